// Signals in real headless Chromium, driven by Playwright: a peer sends a signal of
// trafficking from Turven without a network (it waits in the outbox), comes back online
// and it is sent once; the coordinator finds it first on Signalen, assesses it, records a
// hand-off and adds an indicator to the checklist, and reads a signal on a client's page.
// Every screen in Dutch and no wider than a phone of 320 and 360 px. Started by the Rust
// test `signals_work_in_chromium` (tests/api/browser_signals.rs), which checks the
// database after.
//
// Environment: INBEELD_URL, INBEELD_PASSWORD; INBEELD_PEER and INBEELD_COORDINATOR
// (usernames) with INBEELD_PEER_RECOVERY and INBEELD_COORDINATOR_RECOVERY (a recovery code
// each); INBEELD_CLIENT (the id of a client with a signal about her); INBEELD_SCREENSHOTS
// (optional folder).

import assert from 'node:assert/strict';
import {
  accessible, fitsWidth, menuFits, openFromMenu, phone, shot, signInWithRecovery, signOut, step,
} from './common.mjs';

const base = process.env.INBEELD_URL;
const env = process.env;

/** The toast says `text`. */
const toast = (page, text) => page.locator('#toast.visible').getByText(text).waitFor();

const { context, page, run } = await phone();

/** The screen is accessible, in Dutch, and fits 360 and 320 px; back at 360 after. */
async function fits(screen) {
  await accessible(page, screen);
  await fitsWidth(page, `${screen} at 360 px`);
  await page.setViewportSize({ width: 320, height: 640 });
  await fitsWidth(page, `${screen} at 320 px`);
  await page.setViewportSize({ width: 360, height: 640 });
}

await run('signals', async () => {
  step('a peer opens the signal form from Turven: one tap');
  await signInWithRecovery(page, env.INBEELD_PEER, env.INBEELD_PEER_RECOVERY);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.goto(`${base}/#/turven`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.click('#signal-open');
  await page.waitForSelector('#signal-form');
  await fits('the signal form');
  await page.locator('label.kind').filter({ hasText: 'Gevaarlijke klant' }).click();
  await page.waitForSelector('#signal-warning:visible');
  await page.locator('label.kind').filter({ hasText: 'Uitbuiting of mensenhandel' }).click();
  assert.equal(await page.locator('#signal-warning:visible').count(), 0, 'no warning for trafficking');
  await page.waitForSelector('#signal-indicators:not([hidden])');
  assert.equal(await page.locator('#signal-indicators input[type=checkbox]').count(), 5, 'the team\'s checklist');
  await fits('the signal form with the checklist');
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, 'signaal');
  await page.click('a.back');
  await page.waitForSelector('#clients');

  step('offline, she sends a signal of trafficking about an unknown woman: kept on the phone');
  await context.setOffline(true);
  await page.click('#signal-open');
  await page.locator('label.kind').filter({ hasText: 'Uitbuiting of mensenhandel' }).click();
  await page.locator('#signal-indicators label').filter({ hasText: 'Ze wordt gebracht en gehaald' }).click();
  await page.selectOption('#signal-who', 'unknown');
  await page.fill('#signal-description', 'Jong, rode jas, spreekt geen Nederlands');
  await page.fill('#signal-text', 'Werd om tien uur gebracht door een man in een witte bus.');
  await page.click('#signal-form button[type=submit]');
  await toast(page, 'Signaal bewaard op deze telefoon');
  await page.waitForSelector('#clients');
  await page.waitForSelector('#waiting[data-count="1"]');

  step('back online: sent once');
  await context.setOffline(false);
  await page.waitForFunction(() => !document.querySelector('#waiting'), null, { timeout: 30000 });
  const listed = await page.evaluate(async () => (await fetch('/api/v1/signals')).json());
  assert.equal(listed.filter((s) => s.kind === 'trafficking').length, 1, 'one signal at the server');
  assert.deepEqual(listed.find((s) => s.kind === 'trafficking').indicators.map((i) => i.label), ['Ze wordt gebracht en gehaald']);
  await signOut(page);

  step('the coordinator finds it first on Signalen');
  await signInWithRecovery(page, env.INBEELD_COORDINATOR, env.INBEELD_COORDINATOR_RECOVERY);
  await menuFits(page, 'coordinator');
  await openFromMenu(page, '#/signalen');
  const card = page.locator('#signals section[data-signal]').filter({ hasText: 'Uitbuiting of mensenhandel' });
  await card.waitFor();
  assert.equal(await card.getAttribute('data-status'), 'new');
  const statuses = () => page.locator('#signals section[data-signal]').evaluateAll((cards) => cards.map((c) => c.dataset.status));
  assert.deepEqual(await statuses(), ['new', 'new']);
  await card.getByText('Onbekende vrouw: Jong, rode jas, spreekt geen Nederlands').waitFor();
  await card.getByText('Ze wordt gebracht en gehaald').waitFor();
  await fits('Signalen');
  await shot(page, 'signalen');

  step('she assesses it and records a hand-off to the regional trafficking coordinator');
  await card.locator('select[id$="-status"]').selectOption('assessed');
  await card.getByRole('button', { name: 'Status opslaan' }).click();
  await toast(page, 'Status opgeslagen.');
  const assessed = page.locator('#signals section[data-status="assessed"]');
  await assessed.getByText('Uitbuiting of mensenhandel').waitFor();
  assert.deepEqual(await statuses(), ['new', 'assessed'], 'new signals first, though older');
  await assessed.getByRole('button', { name: 'Overdracht vastleggen' }).click();
  await assessed.locator('select[id$="-handoff-to"]').selectOption('trafficking_coordinator');
  await assessed.locator('input[id$="-handoff-detail"]').fill('Team mensenhandel Oost');
  await fits('the hand-off form');
  await assessed.getByRole('button', { name: 'Overdracht opslaan' }).click();
  await toast(page, 'Overdracht vastgelegd.');
  const passed = page.locator('#signals section[data-status="passed_on"]');
  await passed.getByText('Regiocoördinator mensenhandel (Team mensenhandel Oost) · telefonisch').waitFor();
  await passed.scrollIntoViewIfNeeded();
  await shot(page, 'signalen-overdracht', { quiet: true });

  step('she adds an indicator to the checklist');
  await page.goto(`${base}/#/signalen`);
  await page.click('#indicators-open');
  await page.fill('#indicator-new-label', 'Ze heeft geen eigen telefoon');
  await page.click('#indicator-new button[type=submit]');
  await toast(page, 'Lijst bijgewerkt.');
  await page.waitForFunction(() => document.querySelectorAll('#indicators li').length === 6);
  await fits('the checklist');

  step('a signal about a known client shows on her page');
  await page.goto(`${base}/#/client/${env.INBEELD_CLIENT}`);
  const about = page.locator('#client-signals');
  await about.getByText('Zorg om gezondheid').waitFor();
  await about.getByText('Hoest al weken').waitFor();
  await fits('her page with a signal');
});
