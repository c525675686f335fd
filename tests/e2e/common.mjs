// What the browser scripts share: a phone in headless Chromium, an authenticator app's
// codes, the accessibility and no-English check, and the screenshots for the
// documentation (INBEELD_SCREENSHOTS: the folder, optional).

import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const screenshots = process.env.INBEELD_SCREENSHOTS;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const step = (name) => console.log(`- ${name}`);

/**
 * A phone: headless Chromium (Debian's, or CHROMIUM) with a fresh profile at 360x640, in
 * Dutch and Amsterdam's time unless `dutch` is false, its console and page errors kept.
 * `run(name, steps)` runs a script's steps; when one fails it prints the console and the
 * screen, then fails; it always closes the browser and removes the profile.
 */
export async function phone({ dutch = true } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'inbeeld-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    ...(dutch ? { locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' } : {}),
    viewport: { width: 360, height: 640 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', ...(dutch ? ['--lang=nl-NL'] : []),
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLog = [];
  context.on('console', (message) => consoleLog.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLog.push(`pageerror: ${error.message}`));
  async function run(name, steps) {
    try {
      await steps();
      console.log(`${name}: all steps passed`);
    } catch (error) {
      console.log(consoleLog.join('\n'));
      console.log(`screen: ${await page.textContent('body').catch(() => '(closed)')}`);
      throw error;
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
  return { context, page, run };
}

/** RFC 6238 code (SHA-1, 6 digits, 30 s) for a base32 secret, as an authenticator app makes it. */
export function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret.replace(/=+$/, '')].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/** The texts of one translation file of the app, by key. */
function texts(file) {
  return Object.fromEntries([...readFileSync(new URL(`../../pwa/js/i18n/${file}`, import.meta.url), 'utf8')
    .matchAll(/^ {2}'([^']+)': '((?:[^'\\]|\\.)*)',$/gm)].map(([, key, text]) => [key, text.replace(/\\'/g, "'")]));
}

/** The English texts of the app that its Dutch never uses: none may show on a Dutch screen. */
function englishOnly() {
  const files = (lang) => ['.js', '/errors.js', '/office.js', '/figures.js', '/plan.js', '/chain.js']
    .reduce((all, file) => ({ ...all, ...texts(`${lang}${file}`) }), {});
  const dutch = Object.values(files('nl'));
  return Object.values(files('en'))
    .map((text) => text.split('{')[0].trim())
    .filter((text) => text.length >= 8 && !dutch.some((d) => d.includes(text)));
}
const ENGLISH = englishOnly();

/**
 * The server's English messages (error.rs and the API's `message`s) that must never reach
 * a Dutch screen: the app shows its own text for the code.
 */
const SERVER_ENGLISH = ['Not found.', 'Your role', 'Invalid', 'Something went wrong', 'is required', 'must be'];

/** The current screen says nothing in English: not the app's, not the server's. */
export async function noEnglish(page, screen) {
  const text = await page.textContent('body');
  const english = [...ENGLISH, ...SERVER_ENGLISH].filter((sentence) => text.includes(sentence));
  assert.deepEqual(english, [], `English on ${screen}`);
}

/** No serious or critical accessibility violations on the current screen, and no English. */
export async function accessible(page, screen) {
  await noEnglish(page, screen);
  await page.evaluate(`${axeSource}\nundefined`);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const serious = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `axe on ${screen}`);
}

/** A screenshot for the documentation; `quiet`: once a passing toast has gone. */
export async function shot(page, name, { quiet = false } = {}) {
  if (!screenshots) return;
  if (quiet) await page.waitForFunction(() => !document.querySelector('#toast.visible'), null, { timeout: 10000 });
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/**
 * At 320 px the menu of whoever is signed in fits without sideways scrolling: at most five
 * places, each label whole and each a whole tap; "Meer", when there, opens the rest.
 */
export async function menuFits(page, who) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const fit = await page.evaluate(() => {
    const nav = document.getElementById('nav');
    const shown = [...nav.querySelectorAll(':scope > a, :scope > button')].filter((el) => el.offsetParent !== null);
    const small = (el) => el.getBoundingClientRect().height < 44 || el.getBoundingClientRect().width < 44;
    const cut = (el) => { const label = el.querySelector('span'); return label.scrollWidth > label.clientWidth; };
    return {
      overflow: nav.scrollWidth > nav.clientWidth,
      places: shown.length,
      cut: shown.filter(cut).map((el) => el.textContent),
      small: shown.filter(small).map((el) => el.textContent),
    };
  });
  assert.ok(fit.places >= 1 && fit.places <= 5, `${fit.places} places in the menu of ${who}`);
  assert.deepEqual({ ...fit, places: 0 }, { overflow: false, places: 0, cut: [], small: [] }, `the menu of ${who} at 320 px`);
  if (await page.locator('#more').count() > 0) {
    await page.click('#more');
    await page.waitForSelector('#more-menu a');
    assert.ok(await page.locator('#more-menu a').count() >= 2, `"Meer" of ${who} holds the rest`);
    // Opened, the panel is on top: no passing message (a toast) hides a place in it.
    const covered = await page.evaluate(() => [...document.querySelectorAll('#more-menu a')]
      .filter((a) => {
        const r = a.getBoundingClientRect();
        return !a.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      })
      .map((a) => a.textContent.trim()));
    assert.deepEqual(covered, [], `nothing covers "Meer" of ${who}`);
    await shot(page, `menu-more-${who}`);
    await page.click('#more');
    await page.waitForSelector('#more-menu', { state: 'hidden' });
  }
  await page.setViewportSize(before);
}

/** Opens a place from the menu: from the bar, or through "Meer" when it is under it. */
export async function openFromMenu(page, hash) {
  if (await page.locator(`#nav > a[href="${hash}"]:visible`).count() === 0) await page.click('#more');
  await page.click(`#nav a[href="${hash}"]:visible`);
}

/** Nothing in the screen's main part is wider than the screen. */
export async function fitsWidth(page, screen) {
  const wide = await page.evaluate(() => [...document.querySelectorAll('main *')]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className?.baseVal ?? el.className}`));
  assert.deepEqual(wide, [], `wider than the screen on ${screen}`);
}

/** Signs in with the password and a recovery code as the second step; no PIN yet. */
export async function signInWithRecovery(page, username, recovery) {
  await page.goto(`${process.env.INBEELD_URL}/#/login`);
  await page.fill('#username', username);
  await page.fill('#password', process.env.INBEELD_PASSWORD);
  await page.click('button[type=submit]');
  await page.click('#use-recovery');
  await page.fill('#recovery-code', recovery);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#pin-later') || !['', '#/login'].includes(location.hash));
  if (await page.locator('#pin-later').count()) await page.click('#pin-later');
  await page.waitForFunction(() => !['', '#/login', '#/pincode'].includes(location.hash));
}

/** Signs out from Instellingen, back to the sign-in screen. */
export async function signOut(page) {
  await page.goto(`${process.env.INBEELD_URL}/#/instellingen`);
  await page.click('#logout');
  await page.waitForSelector('#username');
}
