// Turning notifications on and off for this device.

import { api } from './api.js';

const SUBSCRIPTION_ID = 'inbeeld.push-subscription';

export const pushSupported = () =>
  'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** iPhone and iPad get web push only from the home screen (iOS 16.4+). */
export function needsHomeScreen() {
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent);
  const standalone = window.matchMedia('(display-mode: standalone)').matches || navigator.standalone;
  return ios && !standalone;
}

export async function pushEnabled() {
  if (!pushSupported()) return false;
  const registration = await navigator.serviceWorker.ready;
  return (await registration.pushManager.getSubscription()) !== null;
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** Asks permission, subscribes with the server's VAPID key and registers the device. */
export async function enablePush() {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('denied');
  const { public_key: publicKey } = await api('GET', '/push/public-key');
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(publicKey),
  });
  const saved = await api('POST', '/push/subscriptions', subscription.toJSON());
  localStorage.setItem(SUBSCRIPTION_ID, String(saved.id));
}

/** Unsubscribes in the browser and deletes the device on the server. */
export async function disablePush() {
  const id = localStorage.getItem(SUBSCRIPTION_ID);
  if (id) await api('DELETE', `/push/subscriptions/${id}`).catch(() => {});
  localStorage.removeItem(SUBSCRIPTION_ID);
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  await subscription?.unsubscribe();
}
