// The device's own storage: one IndexedDB database per user of this browser, every value
// encrypted (AES-GCM) with her store key from vault.js. On disk a record is its key in the
// clear (a random id, or a cache name such as 'clients') and the rest sealed, bound to that
// key and store so that sealed values cannot be swapped around.
//   outbox  contacts and check-ins waiting to reach the server (keyPath: key)
//   failed  what the server refused for good, kept so nobody's work silently disappears
//   cache   the last client list, shifts and the signed-in user, for offline use
// Locked, the store can be counted but not read or written.

import { dataDbName, owner, storeKey } from './vault.js';

const VERSION = 1;
const KEY_PATHS = { outbox: 'key', failed: 'key', cache: 'name' };

class LockedError extends Error {
  constructor() {
    super('locked');
  }
}

let opening = null;
let openedFor = null;

function open() {
  const user = owner();
  if (user === null) return Promise.reject(new LockedError());
  if (openedFor !== user) {
    opening?.then((db) => db.close(), () => {});
    opening = null;
  }
  if (!opening) {
    openedFor = user;
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(dataDbName(user), VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const [name, keyPath] of Object.entries(KEY_PATHS)) {
          if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath });
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        // The browser closes it when it deletes the database (signing out, a wipe); the
        // next use opens a new, empty one.
        db.onclose = () => { opening = null; };
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
    });
  }
  return opening;
}

function run(store, mode, work, again = true) {
  return open().then((db) => new Promise((resolve, reject) => {
    let tx;
    try {
      tx = db.transaction(store, mode);
    } catch (error) {
      // Closed under us (see open): once more on a fresh connection.
      opening = null;
      if (again) run(store, mode, work, false).then(resolve, reject);
      else reject(error);
      return;
    }
    const request = work(tx.objectStore(store));
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

function key() {
  const found = storeKey();
  if (!found) throw new LockedError();
  return found;
}

const bound = (store, id) => new TextEncoder().encode(`${store}/${id}`);

async function seal(store, value) {
  const keyPath = KEY_PATHS[store];
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(value));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: bound(store, value[keyPath]) }, key(), plain);
  return { [keyPath]: value[keyPath], iv, data };
}

async function unseal(store, record) {
  if (!record) return undefined;
  const id = record[KEY_PATHS[store]];
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv, additionalData: bound(store, id) }, key(), record.data);
  return JSON.parse(new TextDecoder().decode(plain));
}

export async function put(store, value) {
  const sealed = await seal(store, value);
  return run(store, 'readwrite', (s) => s.put(sealed));
}

export async function get(store, id) {
  key();
  return unseal(store, await run(store, 'readonly', (s) => s.get(id)));
}

export async function all(store) {
  key();
  const records = await run(store, 'readonly', (s) => s.getAll());
  return Promise.all(records.map((record) => unseal(store, record)));
}

export const remove = (store, id) => run(store, 'readwrite', (s) => s.delete(id));
export const count = (store) => run(store, 'readonly', (s) => s.count());

/** A named cached value (client list, shifts, me). */
export async function cached(name) {
  const entry = await get('cache', name);
  return entry ? entry.value : undefined;
}

export const remember = (name, value) => put('cache', { name, value });

/**
 * Earlier versions kept one unencrypted database ('inbeeld'). Its waiting and refused
 * items move into her encrypted store when she unlocks (if they were hers), then it is
 * deleted; its cache is simply dropped (it is fetched again).
 */
export async function adoptUnencrypted() {
  const legacy = await new Promise((resolve) => {
    const request = indexedDB.open('inbeeld');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
  if (!legacy) return;
  const read = (name) => new Promise((resolve) => {
    if (!legacy.objectStoreNames.contains(name)) return resolve([]);
    const request = legacy.transaction(name, 'readonly').objectStore(name).getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve([]);
  });
  const me = (await read('cache')).find((entry) => entry.name === 'me')?.value;
  const waiting = [...(await read('outbox')), ...(await read('failed'))];
  if (waiting.length && me?.id !== owner()) {
    legacy.close();
    return; // someone else's: it waits for her
  }
  for (const item of await read('outbox')) await put('outbox', item);
  for (const item of await read('failed')) await put('failed', item);
  legacy.close();
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase('inbeeld');
    request.onsuccess = resolve;
    request.onerror = resolve;
    request.onblocked = resolve;
  });
}
