// InBeeld's service worker: keeps the app shell for offline use, wakes the outbox on
// Background Sync, and shows pushed notifications. The server fills in the shell's file
// list and its version (a hash of every file), so a changed app replaces the old cache.

const VERSION = '__VERSION__';
const SHELL = __SHELL__;
const CACHE = `inbeeld-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(['/', ...SHELL])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('inbeeld-shell-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The shell: network first (always the newest app when online), the cache when offline.
// API requests are never cached: they carry client data and answer `no-store`.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  event.respondWith((async () => {
    try {
      const response = await fetch(event.request);
      if (response.ok) {
        const cache = await caches.open(CACHE);
        await cache.put(event.request.mode === 'navigate' ? '/' : event.request, response.clone());
      }
      return response;
    } catch {
      const cached = await caches.match(event.request.mode === 'navigate' ? '/' : event.request, { ignoreSearch: true });
      return cached ?? Response.error();
    }
  })());
});

// The outbox is encrypted with a key only an unlocked page holds: the worker asks the open
// pages to send it. With none open, the next unlock sends it.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'outbox') return;
  event.waitUntil((async () => {
    for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'flush' });
  })());
});

// A push carries only counts and a link (it shows on locked screens): see the server's
// push/payload.rs. Details are fetched inside the signed-in app.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const tag = data.tag || 'inbeeld';
  // A new message replaces an unread one with the same tag (one notification, not a pile),
  // keeps what the earlier one said, and alerts again (`renotify`): a second alert is
  // never silent.
  // A warning (an acute danger at the zone) stays on screen until it is opened. Merged
  // notifications keep their link only when all of them had it, else open Opvolging.
  event.waitUntil((async () => {
    const earlier = await self.registration.getNotifications({ tag });
    const lines = [data.body || '', ...earlier.map((n) => n.body)].filter(Boolean);
    const url = data.url || '/#/opvolging';
    await self.registration.showNotification(data.title || 'InBeeld', {
      body: [...new Set(lines)].join('\n'),
      tag,
      renotify: true,
      requireInteraction: tag === 'inbeeld-warning',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: earlier.every((n) => n.data?.url === url) ? url : '/#/opvolging' },
    });
  })());
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || '/', self.location.origin);
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).origin === target.origin) {
        client.postMessage({ type: 'open', hash: target.hash });
        return client.focus();
      }
    }
    return self.clients.openWindow(target.href);
  })());
});
