// The shell: who is signed in, the lock, the router, the menu, the outbox status line.

import { api, ApiError, OfflineError } from './api.js';
import { clear, h } from './dom.js';
import { validationInAppLanguage } from './forms.js';
import { errorText, officeTexts, t } from './i18n.js';
import { FIELD, drawMenu as drawMenuFor } from './menu.js';
import { flush, onChange, refused, waiting } from './queue.js';
import { adoptUnencrypted, cached, remember } from './store.js';
import * as vault from './vault.js';
import { showFollowup, showFollowups } from './screens/followups.js';
import { showPinSetup, showUnlock } from './screens/lock.js';
import { showLogin } from './screens/login.js';
import { showSettings } from './screens/settings.js';
import { showSignal } from './screens/signal.js';
import { showTally } from './screens/tally.js';
import { showTonight } from './screens/tonight.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const status = document.getElementById('status');
const toastBox = document.getElementById('toast');
const lockButton = document.getElementById('lock-now');

/**
 * An office screen, loaded with its texts when first opened (the street screens load with
 * the app).
 */
const later = (module, name) => async (...args) => {
  const [screen] = await Promise.all([import(module), officeTexts()]);
  return screen[name](...args);
};
const showAdmin = later('./screens/admin.js', 'showAdmin');

// [pattern, screen, roles (null: every signed-in role)]
const ROUTES = [
  [/^#\/login$/, showLogin, null],
  [/^#\/vanavond$/, showTonight, FIELD],
  [/^#\/turven$/, showTally, FIELD],
  [/^#\/signaal\/(turven|vanavond)$/, showSignal, FIELD],
  [/^#\/client\/(\d+)$/, later('./screens/client.js', 'showClient'), [...FIELD, 'process_director']],
  [/^#\/clienten\/nieuw$/, later('./screens/intake.js', 'showIntake'), ['coordinator', 'casemanager']],
  [/^#\/clienten(?:\/([a-z-]+))?$/, later('./screens/clients.js', 'showClients'), FIELD],
  [/^#\/registraties$/, later('./screens/registrations.js', 'showRegistrations'), ['coordinator']],
  [/^#\/opvolging$/, showFollowups, [...FIELD, 'process_director']],
  [/^#\/regie$/, later('./screens/director.js', 'showDirector'), ['process_director']],
  [/^#\/opvolging\/(\d+)$/, showFollowup, [...FIELD, 'process_director']],
  [/^#\/rooster$/, later('./screens/rota.js', 'showRota'), FIELD],
  [/^#\/signalen$/, later('./screens/signal_triage.js', 'showSignalTriage'), ['coordinator']],
  [/^#\/signalen\/indicatoren$/, later('./screens/signal_indicators.js', 'showSignalIndicators'), ['coordinator']],
  [/^#\/cijfers$/, later('./screens/reports.js', 'showReports'), ['coordinator', 'municipality']],
  [/^#\/casusoverleg$/, later('./screens/meetings.js', 'showMeetings'), ['coordinator', 'casemanager']],
  [/^#\/casusoverleg\/(\d+)$/, later('./screens/meetings.js', 'showMeeting'), ['coordinator', 'casemanager']],
  [/^#\/casusoverleg\/(\d+)\/notulen(?:\/(intern))?$/, later('./screens/meeting_minutes.js', 'showMinutes'), ['coordinator', 'casemanager']],
  [/^#\/team$/, later('./screens/team.js', 'showTeam'), ['coordinator']],
  [/^#\/team\/(partners)$/, showAdmin, ['coordinator']],
  [/^#\/beheer(?:\/(teams|locaties|partners))?$/, showAdmin, ['admin']],
  [/^#\/beheer\/account\/(nieuw|\d+)$/, later('./screens/admin_accounts.js', 'showAccount'), ['admin']],
  [/^#\/import$/, later('./screens/client_import.js', 'showClientImport'), ['coordinator']],
  [/^#\/instellingen$/, showSettings, null],
  [/^#\/pincode$/, showPinSetup, null],
];

/** Opened from an invitation link, signed out: choosing the account's password. */
const INVITATION = /^#\/uitnodiging\/([\w-]+)$/;
const showInvitation = later('./screens/password.js', 'showInvitation');

const app = {
  me: null,
  /** While locked: whose store is locked ({ user, username }); `me` is null then. */
  lockedAs: null,
  online: navigator.onLine,
  lockMinutes: vault.lockMinutes,
  /**
   * A session opened with a start password, found when the app started: it must choose
   * its own password (on the sign-in screen) before anything else.
   */
  mustChange: null,
  /** For the sign-in screen once: a username to fill in and a line to say ({ username, message }). */
  loginHint: null,
  /** Where a signed-in user lands: tallying, or what her role is for. */
  home() {
    const role = app.me?.role;
    if (role === 'municipality') return '#/cijfers';
    if (role === 'admin') return '#/beheer';
    return role === 'process_director' ? '#/opvolging' : '#/turven';
  },
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  /** Signed in, or a live session found: opens her store with the server's device key. */
  async signedIn(me) {
    await vault.openWithServer(me);
    app.me = me;
    app.lockedAs = null;
    await adoptUnencrypted().catch(() => {});
    // Again after signing out, whose Clear-Site-Data unregistered the worker: offline
    // use must not wait for the next reload. Registering an installed worker is a no-op.
    registerWorker();
    // Queued taps must not be evicted when the phone runs short of space.
    navigator.storage?.persist?.().catch(() => {});
    await remember('me', me);
    drawMenu();
    drawStatus();
    flush();
  },
  /** Unlocked with the PIN: back to work, with what waited sent. */
  async unlocked() {
    app.me = (await cached('me')) ?? null;
    app.lockedAs = null;
    lastUse = Date.now();
    try {
      app.me = await api('GET', '/me');
      await remember('me', app.me);
    } catch {
      // Offline: the cached account will do.
    }
    if (!app.me) return app.signInAgain();
    drawStatus();
    flush();
    route();
  },
  /** Leaves the lock screen for a full sign-in; her store waits, encrypted, for it. */
  signInAgain() {
    app.lockedAs = null;
    app.me = null;
    vault.lock();
    app.navigate('#/login');
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
  lockButton.hidden = !app.me;
  drawMenuFor(nav, app.me?.role);
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
  if (app.lockedAs && hash !== '#/login') {
    drawMenu();
    clear(main);
    await showUnlock(main, app);
    return;
  }
  const invitation = hash.match(INVITATION);
  if (!app.me && hash !== '#/login' && !invitation) {
    location.hash = '#/login';
    return;
  }
  const match = invitation ? [invitation, showInvitation, null]
    : ROUTES.map(([pattern, screen, roles]) => [hash.match(pattern), screen, roles]).find(([m]) => m);
  drawMenu();
  clear(main);
  if (!match || (match[2] && !match[2].includes(app.me?.role))) {
    app.navigate(app.home());
    return;
  }
  const [params, screen] = match;
  // Each run draws into a view of its own: an earlier, slower run (two taps in quick
  // succession, a redraw while her page still loads) that finishes after this one began
  // draws into a view no longer on the screen, never beside the new one.
  const view = h('div', { class: 'view' });
  main.append(view);
  try {
    await screen(view, app, ...params.slice(1));
  } catch (error) {
    if (run !== routing) return;
    const known = error instanceof ApiError || error instanceof OfflineError;
    // A fault of the app itself is for the console; the screen says it in her language.
    if (!known) console.error(error);
    clear(main).append(h('p', { class: 'error', role: 'alert' }, errorText(known ? error : null)));
  }
  if (run === routing) main.focus({ preventScroll: true });
}

/** Locks: the key leaves memory, the screen shows only the PIN. */
function becomeLocked() {
  if (app.me) app.lockedAs = { user: app.me.id, username: app.me.username };
  app.me = null;
  vault.lock();
  drawStatus();
  route();
}

let lastUse = Date.now();

/** Locks now, here and on the server (the lock button, or the idle timer). */
function lockNow() {
  api('POST', '/session/lock').catch(() => {});
  becomeLocked();
}

let lastPing = Date.now();

/**
 * Locks after the idle time; while she is busy without the server hearing of it (typing a
 * long note, say), tells the server once a minute, so its idle lock does not strike first.
 */
function lockWhenIdle() {
  if (!app.me || !vault.isOpen()) return;
  const now = Date.now();
  if (now - lastUse > vault.lockMinutes() * 60000) {
    lockNow();
  } else if (now - lastUse < 60000 && now - lastPing > 60000 && app.online) {
    lastPing = now;
    api('GET', '/me').catch(() => {});
  }
}

/**
 * A server without the second factor (a demo, local development) says so on every screen,
 * signed in or not, so nobody takes it for one fit for client data. The last answer is
 * kept for offline starts; it is not secret.
 */
async function warnWithoutSecondFactor() {
  const banner = document.getElementById('warning');
  const show = (rules) => {
    banner.hidden = rules?.second_factor_required !== false;
    banner.textContent = t('banner.second_factor_off');
  };
  show(JSON.parse(localStorage.getItem('inbeeld.sign-in-rules') ?? 'null'));
  try {
    const rules = await api('GET', '/sign-in-rules');
    localStorage.setItem('inbeeld.sign-in-rules', JSON.stringify(rules));
    show(rules);
  } catch {
    // Offline: the last answer stands.
  }
}

function registerWorker() {
  navigator.serviceWorker?.register('/sw.js', { type: 'module', scope: '/' }).catch(() => {});
}

async function start() {
  warnWithoutSecondFactor();
  if ('serviceWorker' in navigator) {
    registerWorker();
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (event.data?.type === 'open' && event.data.hash) app.navigate(event.data.hash);
      if (event.data?.type === 'flush') flush();
    });
  }
  const last = await vault.lastUser();
  try {
    const me = await api('GET', '/me');
    if (me.must_change_password) {
      app.mustChange = me;
      location.hash = '#/login';
    } else {
      await app.signedIn(me);
    }
  } catch (error) {
    // Locked on the server, or offline: her PIN (or a sign-in) opens the store. Signed out:
    // a device revoked meanwhile is wiped before anything else.
    if (error instanceof OfflineError) app.online = false;
    if (last && (error instanceof OfflineError || error?.code === 'locked')) app.lockedAs = last;
    else await vault.wipeRevoked();
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
  for (const type of ['pointerdown', 'keydown']) addEventListener(type, () => { lastUse = Date.now(); }, { capture: true, passive: true });
  document.addEventListener('visibilitychange', () => {
    lockWhenIdle();
    if (document.visibilityState === 'visible') flush();
  });
  setInterval(() => flush(), 30000);
  setInterval(lockWhenIdle, 15000);
  lockButton.textContent = t('lock.now');
  lockButton.addEventListener('click', lockNow);
  addEventListener('hashchange', route);
  validationInAppLanguage();
  addEventListener('inbeeld:signed-out', async () => {
    app.me = null;
    app.lockedAs = null;
    vault.lock();
    await vault.wipeRevoked();
    app.navigate('#/login');
  });
  addEventListener('inbeeld:locked', async () => {
    // Unlocked here offline with the PIN while the server locked: unlock it there too.
    if (await vault.unlockServer()) app.redraw();
    else becomeLocked();
  });
  drawMenu();
  drawStatus();
  flush();
  route();
}

start();
