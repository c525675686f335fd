// The phone app in real headless Chromium, driven by Playwright: a casemanager's shift,
// offline and online, the lock, push, passkeys. Started by the Rust test
// tests/api/browser.rs, which prepares the server, runs tests/e2e/coordinator.mjs after
// this script and checks the database afterwards.
//
// Environment: INBEELD_URL, INBEELD_USER, INBEELD_PASSWORD, INBEELD_ALIASES (JSON list),
// INBEELD_SIGNUP_SHIFT, INBEELD_CLIENT, INBEELD_SCREENSHOTS (optional folder for README
// screenshots).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { accessible, menuFits, shot, step, totp } from './common.mjs';

const base = process.env.INBEELD_URL;
const aliases = JSON.parse(process.env.INBEELD_ALIASES);


/** Recovery codes per user, from enrolling in this run. */
const recovery = new Map();

/** The device PIN the field worker chooses in this run. */
const PIN = '482915';

/**
 * After a sign-in on a phone without a PIN the app offers to set one: set `pin`, or "Later".
 */
async function pinOffer(page, { pin, shots = false } = {}) {
  await page.waitForFunction(() => document.querySelector('#pin-new')
    || !['', '#/login', '#/pincode'].includes(location.hash));
  if (!(await page.locator('#pin-new').count())) return;
  if (!pin) {
    await page.click('#pin-later');
  } else {
    if (shots) await accessible(page, 'pincode');
    await page.fill('#pin-new', '123456');
    await page.fill('#pin-again', '123456');
    await page.click('#pin-new ~ button[type=submit]');
    await page.getByText('Te makkelijk te raden').waitFor();
    await page.fill('#pin-new', pin);
    await page.fill('#pin-again', pin);
    await page.click('#pin-new ~ button[type=submit]');
  }
  await page.waitForFunction(() => location.hash !== '#/pincode');
}

/**
 * Signs in with password and second factor. A first sign-in enrols the authenticator
 * app shown as a QR code (the key under it is what the "app" reads) and keeps the
 * recovery codes; later ones use a recovery code, each once. Then the PIN offer.
 */
async function signIn(page, username, { shots = false, pin } = {}) {
  await page.fill('#username', username);
  await page.fill('#password', process.env.INBEELD_PASSWORD);
  await page.click('button[type=submit]');
  const next = await (await page.waitForFunction(() =>
    (document.querySelector('#totp-secret') && 'enrol')
    || (document.querySelector('#code') && 'code')
    || (!document.querySelector('#username') && 'in'))).jsonValue();
  if (next === 'enrol') {
    if (shots) await accessible(page, 'tweede-stap-instellen');
    if (shots) await shot(page, 'tweede-stap-instellen');
    const secret = await page.locator('#totp-secret').textContent();
    await page.fill('#code', totp(secret.trim()));
    await page.click('button[type=submit]');
    await page.waitForSelector('#recovery-codes');
    if (shots) await accessible(page, 'herstelcodes');
    recovery.set(username, await page.locator('#recovery-codes code').allTextContents());
    await page.click('#recovery-kept');
  } else if (next === 'code') {
    if (shots) await accessible(page, 'tweede-stap');
    await page.click('#use-recovery');
    const codes = recovery.get(username);
    assert.ok(codes?.length, `no recovery code left for ${username}`);
    await page.fill('#recovery-code', codes.shift());
    await page.click('button[type=submit]');
    await page.waitForSelector('#recovery-code', { state: 'detached' });
  }
  await pinOffer(page, { pin, shots });
}

/** Unlocks the locked app with the PIN. */
async function unlock(page, pin = PIN) {
  await page.fill('#unlock-pin', pin);
  await page.click('#unlock-pin ~ button[type=submit]');
  await page.waitForSelector('#unlock-pin', { state: 'detached' });
}

/** The encrypted stores and key records left in the page's origin. */
function storesLeft(page) {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((db) => db.name);
    const keys = await new Promise((resolve, reject) => {
      const open = indexedDB.open('inbeeld-keys');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        if (!open.result.objectStoreNames.contains('users')) return resolve(0);
        const count = open.result.transaction('users').objectStore('users').count();
        count.onsuccess = () => resolve(count.result);
      };
    });
    return { stores: names.filter((name) => name.startsWith('inbeeld-data-')), keys };
  });
}

/** Every byte Chromium keeps for IndexedDB in this profile, as one buffer. */
function rawIndexedDb(dir) {
  const parts = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(readFileSync(join(entry.parentPath ?? entry.path, entry.name)));
  }
  return Buffer.concat(parts);
}

/** A text as IndexedDB may write it: one byte per character, UTF-16 either way round. */
function encodings(text) {
  const le = Buffer.from(text, 'utf16le');
  return [Buffer.from(text, 'latin1'), le, Buffer.from(le).swap16()];
}

async function waiting(page) {
  const badge = page.locator('#waiting');
  return (await badge.count()) ? Number(await badge.getAttribute('data-count')) : 0;
}

const profile = mkdtempSync(join(tmpdir(), 'inbeeld-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 360, height: 640 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const origin = new URL(base).origin;
await context.grantPermissions(['notifications'], { origin });
let page = context.pages()[0] ?? (await context.newPage());
const consoleLog = [];
context.on('console', (message) => consoleLog.push(`${message.type()}: ${message.text()}`));
context.on('requestfailed', (request) => consoleLog.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
// The same server by name: WebAuthn refuses bare IP addresses, so passkeys are tried there.
const named = origin.replace('127.0.0.1', 'localhost');
const thirdParty = [];
context.on('request', (request) => {
  if (![origin, named].includes(new URL(request.url()).origin)) thirdParty.push(request.url());
});

try {
  step('first load within the 100 KB budget (compressed, icons excepted)');
  const loaded = [];
  const collect = (request) => loaded.push(request);
  page.on('requestfinished', collect);
  await page.goto(`${base}/`, { waitUntil: 'networkidle' });
  page.off('requestfinished', collect);
  let transferred = 0;
  for (const request of loaded) {
    if (new URL(request.url()).pathname.startsWith('/icons/')) continue;
    const sizes = await request.sizes();
    transferred += sizes.responseBodySize + sizes.responseHeadersSize;
  }
  console.log(`first load: ${loaded.length} requests, ${(transferred / 1024).toFixed(1)} KB transferred (icons excepted)`);
  assert.ok(transferred <= 100 * 1024, `first load of ${transferred} bytes exceeds 100 KB`);

  step('sign in');
  await page.waitForSelector('#username');
  // The second step is required here: no demo banner.
  assert.ok(await page.locator('#warning').isHidden(), 'the banner for a server without the second step shows');
  await accessible(page, 'login');
  await shot(page, 'login');
  await signIn(page, process.env.INBEELD_USER, { shots: true, pin: PIN });
  await page.waitForSelector('#clients');
  await menuFits(page, 'casemanager');

  step('check in to tonight\'s shift');
  await page.click('nav a[href="#/vanavond"]');
  await page.getByRole('button', { name: 'Inchecken' }).click();
  await page.getByText('Ingecheckt om').waitFor();
  await page.waitForFunction(() => !document.querySelector('#waiting'));
  await accessible(page, 'vanavond');
  await shot(page, 'vanavond');

  step('the previous shift\'s handover shows; leave one for the next');
  await page.getByText('Sleutel van de kast ligt bij de beveiliging.').waitFor();
  await page.getByLabel('Overdracht voor de volgende dienst').fill('Rustige avond, niets over te dragen.');
  await page.getByRole('button', { name: 'Overdracht opslaan' }).click();
  await page.getByText('Overdracht opgeslagen.').waitFor();

  step('tally a client and see the count go up');
  await page.click('nav a[href="#/turven"]');
  const first = page.getByRole('button', { name: aliases[0], exact: true });
  await first.click();
  await page.getByRole('button', { name: `${aliases[0]}, 1 keer vanavond` }).waitFor();
  await page.waitForFunction(() => !document.querySelector('#waiting'));
  await accessible(page, 'turven');
  await shot(page, 'turven');

  step('a double tap is one tap, and tonight\'s count comes back from the server after a reload');
  await page.waitForTimeout(1600); // her first tap on this tile is over 1.5 s ago
  await page.getByRole('button', { name: `${aliases[0]}, 1 keer vanavond` }).dblclick();
  await page.getByRole('button', { name: `${aliases[0]}, 2 keer vanavond` }).waitFor();
  await page.waitForFunction(() => !document.querySelector('#waiting'));
  await page.reload();
  await page.getByRole('button', { name: `${aliases[0]}, 2 keer vanavond` }).waitFor();

  step('Mijn turven vanavond: her own taps, the last one deleted');
  const mine = page.locator('#mine');
  await mine.getByRole('button', { name: new RegExp(`^${aliases[0]} om .* verwijderen$`) }).first().click();
  await page.getByText('Verwijderd').waitFor();
  await page.getByRole('button', { name: `${aliases[0]}, 1 keer vanavond` }).waitFor();
  await shot(page, 'turven-mijn', { quiet: true });

  step('a tap whose answer is lost on the way back is neither lost nor doubled');
  await page.route('**/api/v1/contacts', async (route) => {
    await route.fetch(); // the server records it...
    await route.abort('connectionreset'); // ...and the phone never hears back
  }, { times: 1 });
  await page.getByRole('button', { name: aliases[1], exact: true }).click();
  await page.waitForFunction(() => Number(document.querySelector('#waiting')?.dataset.count) === 1);

  step('the service worker controls the page');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.waitForSelector('#clients');
  await page.waitForFunction(() => !document.querySelector('#waiting'), null, { timeout: 30000 });

  step('offline: 20 taps wait in the outbox');
  await context.setOffline(true);
  for (let i = 0; i < 20; i += 1) {
    await page.locator(`button[data-client]`).nth(i % aliases.length).click();
  }
  await page.waitForFunction(() => Number(document.querySelector('#waiting')?.dataset.count) === 20);
  await shot(page, 'offline');

  step('close the app and open it again, still offline: locked, the PIN opens it');
  await page.close();
  page = await context.newPage();
  await page.goto(`${base}/#/turven`);
  await page.waitForSelector('#unlock-pin');
  assert.equal(await waiting(page), 20, 'the outbox survived closing the app (counted while locked)');
  for (const alias of aliases) assert.ok(!(await page.textContent('body')).includes(alias));
  await accessible(page, 'vergrendeld');
  await shot(page, 'vergrendeld');
  await page.fill('#unlock-pin', '000000');
  await page.click('#unlock-pin ~ button[type=submit]');
  await page.getByText('Die pincode klopt niet').waitFor();
  await unlock(page);
  await page.waitForSelector('#clients');
  assert.equal(await waiting(page), 20);

  step('the raw IndexedDB files hold no alias (the outbox and client list are encrypted)');
  const raw = rawIndexedDb(join(profile, 'Default', 'IndexedDB'));
  // The control: what is kept in the clear (her username, in the key store) is found.
  assert.ok(encodings(process.env.INBEELD_USER).some((bytes) => raw.includes(bytes)),
    `the scan finds plain values (${raw.length} bytes read)`);
  for (const alias of aliases) {
    assert.ok(!encodings(alias).some((bytes) => raw.includes(bytes)), `${alias} is on disk in plain text`);
  }

  step('back online: the outbox drains');
  await context.setOffline(false);
  await page.waitForFunction(() => !document.querySelector('#waiting'), null, { timeout: 30000 })
    .catch(async (error) => {
      throw new Error(`outbox did not drain; status: ${await page.textContent('#status')}; online: ${await page.evaluate(() => navigator.onLine)}`, { cause: error });
    });

  step('a contact outside a shift, recorded offline on her page, reaches the server once online');
  await context.setOffline(true);
  await page.locator('.tile', { hasText: aliases[2] }).locator('a.info').click();
  await page.waitForSelector('#outreach');
  const her = Number(page.url().match(/#\/client\/(\d+)/)[1]);
  await page.selectOption('#outreach-kind', 'phone');
  await page.click('#outreach button[type=submit]');
  await page.getByText('Contact wordt verstuurd zodra er verbinding is.').waitFor();
  await context.setOffline(false);
  await page.waitForFunction(() => !document.querySelector('#waiting'), null, { timeout: 30000 });
  const phoned = await page.evaluate(async (id) => (await (await fetch(`/api/v1/clients/${id}/contacts`)).json())
    .filter((c) => c.kind === 'phone'), her);
  assert.equal(phoned.length, 1, 'one phone contact, sent once');
  assert.equal(phoned[0].location_id, null, 'a contact outside a shift is at no location');
  await page.goto(`${base}/#/turven`);
  await page.waitForSelector('#clients');

  step('the lock button locks the app and the server session; the PIN opens both');
  // The app locks at once and tells the server on the side; wait for the server's answer.
  const serverLocked = page.waitForResponse((r) => r.url().endsWith('/api/v1/session/lock'));
  await page.click('#lock-now');
  await page.waitForSelector('#unlock-pin');
  await serverLocked;
  assert.equal(await page.evaluate(async () => (await fetch('/api/v1/clients')).status), 401);
  for (const alias of aliases) assert.ok(!(await page.textContent('body')).includes(alias));
  await unlock(page);
  await page.goto(`${base}/#/turven`);
  await page.waitForSelector('#clients');

  step('a pushed notification shows, without an alias');
  const cdp = await context.newCDPSession(page);
  const registration = new Promise((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;
  const payload = { title: 'InBeeld', body: '1 cliënt al 14 dagen niet gezien', url: '/#/opvolging/1', tag: 'inbeeld' };
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Headless Chromium now and then drops a push delivered while it starts the worker;
  // deliver again until it shows (the notification's tag keeps it to one).
  let shown = [];
  for (let attempt = 0; attempt < 5 && shown.length === 0; attempt += 1) {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(payload) });
    for (let i = 0; i < 40 && shown.length === 0; i += 1) {
      shown = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
        .map((n) => ({ title: n.title, body: n.body })));
      if (shown.length === 0) await page.waitForTimeout(100);
    }
  }
  assert.deepEqual(shown, [{ title: payload.title, body: payload.body }]);
  for (const alias of aliases) assert.ok(!JSON.stringify(shown).includes(alias));

  step('a second push alerts again and keeps what the first said');
  const second = { ...payload, body: '1 herinnering voor vandaag', url: '/#/opvolging/2' };
  for (let attempt = 0; attempt < 5 && shown[0]?.body === payload.body; attempt += 1) {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(second) });
    for (let i = 0; i < 40 && shown[0]?.body === payload.body; i += 1) {
      shown = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
        .map((n) => ({ body: n.body, renotify: n.renotify, url: n.data.url })));
      if (shown[0]?.body === payload.body) await page.waitForTimeout(100);
    }
  }
  assert.deepEqual(shown, [{ body: `${second.body}\n${payload.body}`, renotify: true, url: '/#/opvolging' }]);

  step('installable');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'Chromium reports installability errors');

  step('signing out warns about unsent work, then wipes the device');
  await context.setOffline(true);
  await page.goto(`${base}/#/turven`);
  await page.waitForSelector('#clients');
  await page.locator('button[data-client]', { hasText: aliases[2] }).click();
  await page.goto(`${base}/#/instellingen`);
  await page.waitForSelector('#logout');
  const warned = new Promise((resolve) => page.once('dialog', (dialog) => { resolve(dialog.message()); dialog.accept(); }));
  await page.click('#logout');
  assert.equal(await warned, 'Er wacht nog 1 registratie die niet verstuurd is. Als je nu uitlogt gaat die verloren. Toch uitloggen?');
  await page.waitForSelector('#username');
  assert.deepEqual(await storesLeft(page), { stores: [], keys: 0 });
  await context.setOffline(false);
  await signIn(page, process.env.INBEELD_USER);
  await page.waitForSelector('#clients');

  step('settings and follow-ups are accessible');
  await page.goto(`${base}/#/instellingen`);
  await page.waitForSelector('#logout');
  await accessible(page, 'instellingen');
  await shot(page, 'instellingen');
  await page.goto(`${base}/#/opvolging`);
  await page.getByRole('heading', { name: 'Opvolging' }).waitFor();
  await accessible(page, 'opvolging');
  await shot(page, 'opvolging');
  step('the browser\'s validation bubbles speak the app\'s language, not the browser\'s');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  assert.equal(await page.$eval('#reminder-due', (input) => input.validationMessage), 'Vul dit veld in.');
  await page.fill('#reminder-note', 'x');
  assert.equal(await page.$eval('#reminder-note', (input) => input.validationMessage), '', 'typing clears the message');
  await page.fill('#reminder-note', '');
  step('sign up for tomorrow\'s shift that still needs two');
  await page.goto(`${base}/#/rooster`);
  await page.getByRole('heading', { name: 'Rooster' }).waitFor();
  const card = page.locator(`[data-shift="${process.env.INBEELD_SIGNUP_SHIFT}"]`);
  if (!(await card.count())) await page.getByRole('button', { name: /Volgende week/ }).click();
  await card.getByText('Nog 2 nodig').waitFor();
  await card.getByRole('button', { name: 'Ik doe mee' }).click();
  await card.getByText('Nog 1 nodig').waitFor();
  await card.getByRole('button', { name: 'Afmelden' }).waitFor();
  await accessible(page, 'rooster');
  await shot(page, 'rooster');

  step('a calendar link for the phone\'s agenda');
  await page.goto(`${base}/#/instellingen`);
  await page.click('#calendar-make');
  const feedUrl = await page.locator('#calendar-url').inputValue();
  const feed = await page.evaluate(async (url) => (await fetch(url, { credentials: 'omit' })).text(), feedUrl);
  assert.match(feed, /^BEGIN:VCALENDAR\r\n/);
  assert.match(feed, /DTSTART;TZID=Europe\/Amsterdam:/);
  for (const alias of aliases) assert.ok(!feed.includes(alias));

  step('signing out online: the browser wipes caches and storage (Clear-Site-Data)');
  await page.click('#logout');
  await page.waitForSelector('#username');
  const kept = await page.evaluate(async () => ({
    caches: await caches.keys(),
    local: JSON.stringify({ ...localStorage }),
  }));
  assert.deepEqual(kept.caches, []);
  for (const alias of aliases) assert.ok(!kept.local.includes(alias));

  step('a passkey: added in settings, then signing in with it alone (virtual authenticator)');
  const keyPage = await context.newPage();
  const webauthn = await context.newCDPSession(keyPage);
  await webauthn.send('WebAuthn.enable');
  const { authenticatorId } = await webauthn.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  await keyPage.goto(`${named}/`);
  await keyPage.waitForSelector('#username');
  await signIn(keyPage, process.env.INBEELD_USER);
  await keyPage.waitForSelector('#clients');
  await keyPage.goto(`${named}/#/instellingen`);
  await keyPage.click('#passkey-add');
  await keyPage.locator('#passkeys li').getByText('Mijn telefoon').waitFor();
  await accessible(keyPage, 'passkeys');
  const made = (await webauthn.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  assert.equal(made.length, 1, 'one passkey on the authenticator');
  await keyPage.click('#logout');
  await keyPage.waitForSelector('#username');
  await keyPage.fill('#username', process.env.INBEELD_USER);
  await keyPage.click('#passkey-sign-in');
  await pinOffer(keyPage);
  await keyPage.waitForSelector('#clients');
  const used = (await webauthn.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  assert.ok(used[0].signCount > made[0].signCount, 'the passkey signed the sign-in');

  step('locked, one tap and her fingerprint unlock with the passkey (no PIN on this phone)');
  await keyPage.click('#lock-now');
  await keyPage.locator('#unlock-passkey').waitFor();
  await keyPage.getByText('ontgrendel met je passkey of log opnieuw in').waitFor();
  assert.equal(await keyPage.evaluate(async () => (await fetch('/api/v1/me')).status), 401, 'the server session is locked');
  await accessible(keyPage, 'vergrendeld met passkey');
  await shot(keyPage, 'ontgrendelen');
  await keyPage.click('#unlock-passkey');
  await keyPage.waitForSelector('#clients');
  assert.equal(await keyPage.evaluate(async () => (await fetch('/api/v1/me')).status), 200, 'the server session is unlocked');
  const unlocked = (await webauthn.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  assert.ok(unlocked[0].signCount > used[0].signCount, 'the passkey signed the unlock');

  step('a phone signed out from another device wipes its store when it next opens');
  await signIn(page, process.env.INBEELD_USER);
  await page.goto(`${base}/#/instellingen`);
  // Every other session of hers ends (the passkey page's, and the one the offline sign-out
  // could not end).
  await page.waitForSelector('#devices li');
  while (await page.locator('#devices button.danger').count()) {
    const ended = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes('/me/sessions/'));
    await page.locator('#devices button.danger').first().click();
    assert.equal((await ended).status(), 204);
    await page.waitForSelector('#devices li');
  }
  await keyPage.reload();
  await keyPage.waitForSelector('#username');
  assert.deepEqual(await storesLeft(keyPage), { stores: [], keys: 0 });
  await keyPage.close();

  assert.deepEqual(thirdParty, [], 'requests left for a third party');
  console.log('browser: all steps passed');
} catch (error) {
  console.log(consoleLog.join('\n'));
  console.log(`screen: ${await page.textContent('body').catch(() => '(closed)')}`);
  throw error;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
