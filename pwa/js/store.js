// The device's own storage: IndexedDB, shared by the page and the service worker.
//   outbox  contacts and check-ins waiting to reach the server (keyPath: key)
//   failed  what the server refused for good, kept so nobody's work silently disappears
//   cache   the last client list, shifts and the signed-in user, for offline use

const DB_NAME = 'inbeeld';
const VERSION = 1;
export const STORES = ['outbox', 'failed', 'cache'];

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'key' });
        if (!db.objectStoreNames.contains('failed')) db.createObjectStore('failed', { keyPath: 'key' });
        if (!db.objectStoreNames.contains('cache')) db.createObjectStore('cache', { keyPath: 'name' });
      };
      request.onsuccess = () => {
        const db = request.result;
        // The browser closes it when it deletes the database (Clear-Site-Data on signing
        // out); the next use opens a new, empty one.
        db.onclose = () => { opening = null; };
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => reject(request.error);
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

export const put = (store, value) => run(store, 'readwrite', (s) => s.put(value));
export const get = (store, key) => run(store, 'readonly', (s) => s.get(key));
export const all = (store) => run(store, 'readonly', (s) => s.getAll());
export const remove = (store, key) => run(store, 'readwrite', (s) => s.delete(key));
export const count = (store) => run(store, 'readonly', (s) => s.count());
export const clearStore = (store) => run(store, 'readwrite', (s) => s.clear());

/** A named cached value (client list, shifts, me). */
export async function cached(name) {
  const entry = await get('cache', name);
  return entry ? entry.value : undefined;
}

export const remember = (name, value) => put('cache', { name, value });
