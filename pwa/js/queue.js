// The outbox: every contact and check-in goes through here, online or not. Each item has
// its own Idempotency-Key, made once on the phone, so a retry after a dropped connection,
// a reload or a crash can never record the same tap twice. Items are encrypted at rest
// (store.js), so only an unlocked page sends them: the service worker's Background Sync
// asks an open page to (sw.js), and unlocking sends what waited.

import { all, count, get, put, remove } from './store.js';
import { isOpen } from './vault.js';

const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('inbeeld-outbox') : null;
const listeners = new Set();

/** Contact ids the server gave to items sent from this page (for undo). */
const sentIds = new Map();
const sentListeners = new Set();

/** Calls `listener(item)` whenever an item reached the server from this page. */
export function onSent(listener) {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

function changed() {
  channel?.postMessage('changed');
  for (const listener of listeners) listener();
}

channel?.addEventListener('message', () => {
  for (const listener of listeners) listener();
});

export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const waiting = () => count('outbox').catch(() => 0);
export const refused = () => (isOpen() ? all('failed') : Promise.resolve([]));

/**
 * Queues a POST to `path` and tries to send it at once. Returns the item's key. A PATCH
 * of a contact still on its way names the item that records it (`after`, its key): its
 * `{id}` in `path` becomes the id the server gives that contact.
 */
export async function enqueue(path, body, { method = 'POST', after } = {}) {
  const item = { key: crypto.randomUUID(), path, body, created: Date.now(), method, after };
  await put('outbox', item);
  changed();
  requestBackgroundSync();
  flush();
  return item.key;
}

function requestBackgroundSync() {
  const sw = navigator.serviceWorker;
  if (!sw) return;
  sw.ready.then((registration) => registration.sync?.register('outbox')).catch(() => {});
}

let flushing = null;
let again = false;

/**
 * Sends what waits, oldest first; stops at the first sign of being offline. A call while a
 * pass is under way asks for one more pass after it: an item queued meanwhile (a tap while
 * the outbox drains after coming back online) is sent now, not at the next 'online' event.
 */
export function flush() {
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = drain().finally(() => { flushing = null; });
  return flushing;
}

async function drain() {
  do {
    again = false;
    if (!(await send())) return;
  } while (again);
}

/** One pass over the outbox; false when it stopped early (offline, locked, server busy). */
async function send() {
  if (!isOpen()) return false; // locked: unlocking flushes
  const items = (await all('outbox')).sort((a, b) => a.created - b.created);
  for (const listed of items) {
    // Read again: sending an earlier item may have filled in this one's contact id.
    const item = await get('outbox', listed.key);
    if (!item) continue;
    if (item.after) {
      // What it changes was refused or taken back: nothing left to change.
      if (!(await get('outbox', item.after))) await remove('outbox', item.key);
      continue;
    }
    let response;
    try {
      response = await fetch(`/api/v1${item.path}`, {
        method: item.method ?? 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': item.key },
        body: JSON.stringify(item.body),
      });
    } catch {
      return false; // offline: the next 'online', focus or sync event tries again
    }
    const data = await response.json().catch(() => null);
    if (response.ok) {
      if (data && typeof data.id === 'number') {
        sentIds.set(item.key, data.id);
        await fillIn(item.key, data.id);
      }
      await remove('outbox', item.key);
      for (const listener of sentListeners) listener(item);
      changed();
      continue;
    }
    if (response.status === 401) {
      // Locked, or signed out (session ended): the items wait for unlocking or signing in.
      dispatchEvent(new CustomEvent(data?.error === 'locked' ? 'inbeeld:locked' : 'inbeeld:signed-out'));
      return false;
    }
    if (response.status === 429 || response.status >= 500) return false;
    // Refused for good (a 4xx): keep it where the user can see it, and go on.
    await put('failed', { ...item, status: response.status, error: data?.error ?? 'unknown' });
    await remove('outbox', item.key);
    changed();
  }
  return true;
}

/** Gives the items waiting for contact `key` its id, before `key` leaves the outbox. */
async function fillIn(key, id) {
  for (const item of await all('outbox')) {
    if (item.after === key) await put('outbox', { ...item, path: item.path.replace('{id}', String(id)), after: undefined });
  }
}

/** What waits in the outbox, oldest first. */
export const pending = async () => (await all('outbox')).sort((a, b) => a.created - b.created);

/** The server's id of a contact sent from this page, if known. */
export const sentId = (key) => sentIds.get(key);

/**
 * Takes a tap back: still waiting, it is simply dropped; already sent, the contact is
 * deleted on the server. Returns false when neither is possible.
 */
export async function undo(key) {
  const items = await all('outbox');
  if (items.some((item) => item.key === key)) {
    await remove('outbox', key);
    for (const item of items) if (item.after === key) await remove('outbox', item.key);
    changed();
    return true;
  }
  const id = sentIds.get(key);
  if (id === undefined) return false;
  const response = await fetch(`/api/v1/contacts/${id}`, { method: 'DELETE', credentials: 'same-origin' });
  if (response.ok) sentIds.delete(key);
  return response.ok;
}
