// The admin's office in real headless Chromium, driven by Playwright. Started by the Rust
// test tests/api/browser_admin.rs, which prepares the server and checks the database after.
//
// The admin signs in (enrolling her authenticator app), lands on Beheer, looks through its
// parts and creates a casemanager with a start password, which she reads off the screen;
// the casemanager signs in with it, chooses her own password, enrols her app and lands on
// Turven. Every Beheer screen fits 320 px without scrolling sideways and shows no English.
//
// Environment: INBEELD_URL, INBEELD_ADMIN, INBEELD_PASSWORD (the admin's),
// INBEELD_SCREENSHOTS (optional folder for the documentation's screenshots).

import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { accessible, menuFits, shot, step, totp } from './common.mjs';

const base = process.env.INBEELD_URL;

/** Her own password, chosen after the start password. */
const HERS = 'een eigen wachtwoord voor Fleur';

/** The screen fits 320 and 360 px without sideways scrolling, and says nothing in English. */
async function fits(page, screen) {
  for (const width of [320, 360]) {
    await page.setViewportSize({ width, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${screen} is ${overflow} px too wide at ${width} px`);
  }
  await accessible(page, screen);
}

/** Signs in with a password; a first sign-in enrols the authenticator app. Then "Later" for the PIN. */
async function enrolAndContinue(page) {
  await page.waitForSelector('#totp-secret');
  const secret = (await page.locator('#totp-secret').textContent()).trim();
  await page.fill('#code', totp(secret));
  await page.click('button[type=submit]');
  await page.waitForSelector('#recovery-codes');
  await page.click('#recovery-kept');
  await page.waitForSelector('#pin-later');
  await page.click('#pin-later');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
const page = await context.newPage();
const consoleLog = [];
page.on('console', (message) => consoleLog.push(`${message.type()}: ${message.text()}`));
page.on('dialog', (dialog) => dialog.accept());

try {
  step('the admin signs in, enrols her app and lands on Beheer');
  await page.goto(`${base}/`);
  await page.fill('#username', process.env.INBEELD_ADMIN);
  await page.fill('#password', process.env.INBEELD_PASSWORD);
  await page.click('button[type=submit]');
  await enrolAndContinue(page);
  await page.waitForSelector('#accounts');
  assert.equal(await page.evaluate(() => location.hash), '#/beheer');
  assert.deepEqual(await page.locator('nav#nav a').allTextContents(), ['Beheer', 'Instellingen']);
  await fits(page, 'beheer');
  await menuFits(page, 'admin');
  await shot(page, 'beheer', { quiet: true });

  step('a screen of another role is not hers: back to Beheer, in Dutch');
  await page.goto(`${base}/#/turven`);
  await page.waitForSelector('#accounts');
  assert.equal(await page.evaluate(() => location.hash), '#/beheer');

  step('teams, locations and partners');
  await page.click('nav.tabs a[href="#/beheer/teams"]');
  await page.waitForSelector('#teams');
  await fits(page, 'teams');
  await shot(page, 'beheer-teams', { quiet: true });
  await page.click('nav.tabs a[href="#/beheer/locaties"]');
  await page.waitForSelector('#locations');
  await page.locator('#locations summary').first().click();
  await fits(page, 'locaties');
  await shot(page, 'beheer-locaties', { quiet: true });
  await page.click('nav.tabs a[href="#/beheer/partners"]');
  await page.waitForSelector('#partners');
  await page.getByText('Zorg- en Veiligheidshuis').waitFor();
  await fits(page, 'partners');
  await shot(page, 'beheer-partners', { quiet: true });
  await page.getByLabel('Naam').last().fill('Veilig Thuis');
  await page.getByRole('button', { name: 'Partner toevoegen' }).click();
  await page.locator('#partners summary').getByText('Veilig Thuis').waitFor();

  step('a new casemanager with a start password, shown once');
  await page.click('nav.tabs a[href="#/beheer"]');
  await page.click('#account-new');
  await page.fill('#account-username', 'fleur');
  await page.fill('#account-name', 'Fleur de Vries');
  await page.selectOption('#account-role', 'casemanager');
  await page.selectOption('#account-organisation', { label: 'IrisZorg' });
  await fits(page, 'nieuw account');
  await shot(page, 'beheer-nieuw-account', { quiet: true });
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.waitForSelector('#start-password');
  const start = (await page.locator('#start-password').textContent()).trim();
  assert.equal(start.length, 20, `a start password: ${start}`);
  await page.getByText('Dit wordt maar één keer getoond').waitFor();
  await page.getByText('Account aangemaakt voor Fleur de Vries.').waitFor();
  await fits(page, 'startwachtwoord');
  await shot(page, 'beheer-startwachtwoord', { quiet: true });
  await page.click('#shown-done');
  await page.locator('#accounts').getByText('Fleur de Vries').click();
  await page.waitForSelector('#access');
  await fits(page, 'account');
  await shot(page, 'beheer-account', { quiet: true });

  step('the admin signs out');
  await page.click('nav#nav a[href="#/instellingen"]');
  await page.click('#logout');
  await page.waitForSelector('#username');

  step('the casemanager signs in with the start password and chooses her own');
  await page.fill('#username', 'fleur');
  await page.fill('#password', start);
  await page.click('button[type=submit]');
  await page.waitForSelector('#new-password');
  await fits(page, 'eigen wachtwoord');
  await shot(page, 'eigen-wachtwoord', { quiet: true });
  await page.fill('#new-password', HERS);
  await page.fill('#new-password-again', 'iets anders');
  await page.click('button[type=submit]');
  await page.getByText('De twee wachtwoorden zijn niet gelijk.').waitFor();
  await page.fill('#new-password-again', HERS);
  await page.click('button[type=submit]');

  step('then she enrols her app and lands on Turven');
  await enrolAndContinue(page);
  await page.waitForSelector('#clients');
  assert.equal(await page.evaluate(() => location.hash), '#/turven');
  console.log('browser: all steps passed');
} catch (error) {
  console.log(consoleLog.join('\n'));
  console.log(`screen: ${await page.textContent('body').catch(() => '(closed)')}`);
  throw error;
} finally {
  await browser.close();
}
