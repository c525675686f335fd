// The shell: who is signed in, the router, the menu, the outbox status line.

import { api, ApiError, OfflineError } from './api.js';
import { clear, h } from './dom.js';
import { t } from './i18n.js';
import { flush, onChange, refused, waiting } from './queue.js';
import { cached, remember } from './store.js';
import { showClient } from './screens/client.js';
import { showFollowup, showFollowups } from './screens/followups.js';
import { showLogin } from './screens/login.js';
import { showReports } from './screens/reports.js';
import { showRota } from './screens/rota.js';
import { showSettings } from './screens/settings.js';
import { showTally } from './screens/tally.js';
import { showTeam } from './screens/team.js';
import { showTonight } from './screens/tonight.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const status = document.getElementById('status');
const toastBox = document.getElementById('toast');

// Field roles work shifts and clients; the figures are for the coordinator and the
// municipality (who sees nothing else). The backend enforces this; the menu follows it.
const FIELD = ['coordinator', 'casemanager', 'peer'];
const MENU = [
  ['#/vanavond', 'nav.tonight', FIELD],
  ['#/turven', 'nav.tally', FIELD],
  // The process director's Opvolging is her escalation list.
  ['#/opvolging', 'nav.followups', [...FIELD, 'process_director']],
  ['#/rooster', 'nav.rota', FIELD],
  ['#/team', 'nav.team', ['coordinator']],
  ['#/cijfers', 'nav.reports', ['coordinator', 'municipality']],
  ['#/instellingen', 'nav.settings', null],
];


const ROUTES = [
  [/^#\/login$/, showLogin],
  [/^#\/vanavond$/, showTonight],
  [/^#\/turven$/, showTally],
  [/^#\/client\/(\d+)$/, showClient],
  [/^#\/opvolging$/, showFollowups],
  [/^#\/opvolging\/(\d+)$/, showFollowup],
  [/^#\/rooster$/, showRota],
  [/^#\/cijfers$/, showReports],
  [/^#\/team$/, showTeam],
  [/^#\/instellingen$/, showSettings],
];

const app = {
  me: null,
  online: navigator.onLine,
  /** Where a signed-in user lands: tallying, or the figures for the municipality. */
  home() {
    if (app.me?.role === 'municipality') return '#/cijfers';
    return app.me?.role === 'process_director' ? '#/opvolging' : '#/turven';
  },
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  async signedIn(me) {
    app.me = me;
    // Again after signing out, whose Clear-Site-Data unregistered the worker: offline
    // use must not wait for the next reload. Registering an installed worker is a no-op.
    registerWorker();
    // Queued taps must not be evicted when the phone runs short of space.
    navigator.storage?.persist?.().catch(() => {});
    await remember('me', me);
    drawMenu();
    flush();
  },
  toast(message, action) {
    clear(toastBox).append(h('span', {}, message));
    if (action) {
      toastBox.append(h('button', { on: { click: () => { hideToast(); action.run(); } } }, action.label));
    }
    toastBox.classList.add('visible');
    clearTimeout(app.toastTimer);
    app.toastTimer = setTimeout(hideToast, action ? 5000 : 3000);
  },
  redraw() {
    route();
  },
};

function hideToast() {
  toastBox.classList.remove('visible');
}

function drawMenu() {
  clear(nav);
  if (!app.me) return;
  for (const [hash, key, roles] of MENU) {
    if (roles && !roles.includes(app.me.role)) continue;
    const current = location.hash.startsWith(hash) ? 'page' : undefined;
    nav.append(h('a', { href: hash, 'aria-current': current }, t(key)));
  }
}

async function drawStatus() {
  const [count, failed] = await Promise.all([waiting(), refused()]);
  const parts = [];
  if (!app.online) parts.push(h('span', { class: 'offline' }, t('status.offline')));
  if (count > 0) parts.push(h('span', { id: 'waiting', dataset: { count: String(count) } }, t('status.waiting', { n: count })));
  if (failed.length > 0) parts.push(h('span', { class: 'error' }, t('status.refused', { n: failed.length })));
  clear(status).append(...parts.flatMap((part, i) => (i ? [' · ', part] : [part])));
}

let routing = 0;

async function route() {
  const run = ++routing;
  const hash = location.hash || (app.me ? app.home() : '#/login');
  if (!app.me && hash !== '#/login') {
    location.hash = '#/login';
    return;
  }
  const match = ROUTES.map(([pattern, screen]) => [hash.match(pattern), screen]).find(([m]) => m);
  drawMenu();
  clear(main);
  if (!match) {
    app.navigate(app.home());
    return;
  }
  const [params, screen] = match;
  try {
    await screen(main, app, ...params.slice(1));
  } catch (error) {
    if (run !== routing) return;
    const message = error instanceof ApiError || error instanceof OfflineError ? error : null;
    clear(main).append(h('p', { class: 'error', role: 'alert' }, message ? message.message : String(error)));
  }
  if (run === routing) main.focus({ preventScroll: true });
}

function registerWorker() {
  navigator.serviceWorker?.register('/sw.js', { type: 'module', scope: '/' }).catch(() => {});
}

async function start() {
  if ('serviceWorker' in navigator) {
    registerWorker();
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (event.data?.type === 'open' && event.data.hash) app.navigate(event.data.hash);
    });
  }
  onChange(drawStatus);
  const online = () => {
    app.online = navigator.onLine;
    drawStatus();
    if (app.online) flush();
  };
  addEventListener('online', online);
  addEventListener('offline', online);
  addEventListener('focus', () => flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') flush();
  });
  setInterval(() => flush(), 30000);
  addEventListener('hashchange', route);
  addEventListener('inbeeld:signed-out', () => {
    app.me = null;
    app.navigate('#/login');
  });

  try {
    await app.signedIn(await api('GET', '/me'));
  } catch (error) {
    // Offline at start: carry on as the last signed-in user, with the cached data.
    app.me = error instanceof OfflineError ? (await cached('me')) ?? null : null;
    if (error instanceof OfflineError) app.online = false;
  }
  drawMenu();
  drawStatus();
  flush();
  route();
}

start();
