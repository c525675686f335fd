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

/**
 * Asks permission, subscribes with the server's VAPID key and registers the device. On a
 * shared phone the browser may still hold a colleague's push address, which stays hers
 * (409 endpoint_taken): that one is dropped and a new address made, once. A subscription
 * the server refuses is dropped too, so the screen does not show notifications as on.
 */
export async function enablePush() {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('denied');
  const { public_key: publicKey } = await api('GET', '/push/public-key');
  const registration = await navigator.serviceWorker.ready;
  const subscribe = () => registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(publicKey),
  });
  let subscription = await subscribe();
  try {
    let saved;
    try {
      saved = await api('POST', '/push/subscriptions', subscription.toJSON());
    } catch (error) {
      if (error?.code !== 'endpoint_taken') throw error;
      await subscription.unsubscribe();
      subscription = await subscribe();
      saved = await api('POST', '/push/subscriptions', subscription.toJSON());
    }
    localStorage.setItem(SUBSCRIPTION_ID, String(saved.id));
  } catch (error) {
    await subscription.unsubscribe().catch(() => {});
    throw error;
  }
}

/**
 * After she signed in: a subscription this browser holds is registered again, for this
 * phone's device. The server removes a phone's subscriptions when its device is revoked (its
 * session ended from elsewhere, the account switched off), so signing in there anew brings
 * her notifications back without a visit to Instellingen, which shows them as on. A refusal
 * (another account's address on a shared phone) changes nothing; `enablePush` deals with it.
 */
export async function registerAgain() {
  if (!pushSupported() || Notification.permission !== 'granted') return;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
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
