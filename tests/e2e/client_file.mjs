// The client file in real headless Chromium, driven by Playwright. Started by the Rust test
// `the_client_file_works_in_chromium` (tests/api/browser.rs), which prepares the team and
// checks the database afterwards.
//
// Environment: INBEELD_URL, INBEELD_PASSWORD, INBEELD_CASEMANAGER and INBEELD_COORDINATOR
// (usernames) with INBEELD_CASEMANAGER_RECOVERY and INBEELD_COORDINATOR_RECOVERY (a recovery
// code each: they enrolled their second factor through the API), INBEELD_SCREENSHOTS
// (optional folder).

import assert from 'node:assert/strict';
import { accessible, fitsWidth, openFromMenu, phone, shot, signInWithRecovery, signOut, step } from './common.mjs';

const base = process.env.INBEELD_URL;

/** The value shown beside `label` on her file. */
const fileValue = (page, label) => page.locator('#client-file dl > div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');

const { context, page, run } = await phone();

await run('client file', async () => {
  step('a casemanager opens Cliënten: the team\'s own caseload');
  await signInWithRecovery(page, process.env.INBEELD_CASEMANAGER, process.env.INBEELD_CASEMANAGER_RECOVERY);
  await page.click('nav a[href="#/clienten"]');
  await page.locator('#client-list').getByText('Merel').waitFor();
  assert.equal(await page.locator('#clients-filter option').count(), 4, 'a casemanager has no "Zonder casemanager" list');
  await accessible(page, 'cliënten');
  await fitsWidth(page, 'cliënten');
  await shot(page, 'clienten');

  step('intake: a new client with her categories and an application for a registration');
  await page.click('#new-client');
  await page.fill('#intake-alias', 'Roos');
  await page.selectOption('#intake-region', 'mo_region');
  await page.fill('#intake-threshold', '21');
  await page.locator('#intake-addiction').getByLabel('ja').check();
  await page.locator('#intake-huiskamer').getByLabel('ja').check();
  await page.locator('#intake-registration').getByLabel('Aangevraagd').check();
  await page.getByText('Jij wordt haar casemanager.').waitFor();
  await accessible(page, 'nieuwe cliënt');
  await fitsWidth(page, 'nieuwe cliënt');
  await page.locator('#intake-registration').scrollIntoViewIfNeeded();
  await shot(page, 'nieuwe-client');
  await page.click('#intake button[type=submit]');
  await page.getByRole('heading', { name: 'Roos' }).waitFor();
  const roos = Number(page.url().match(/#\/client\/(\d+)/)[1]);
  assert.equal(await fileValue(page, 'Regio').textContent(), 'Elders in de regio');
  assert.equal(await fileValue(page, 'Verslaving').textContent(), 'ja');
  assert.equal(await fileValue(page, 'Bekend bij de Huiskamer').textContent(), 'ja');
  assert.equal(await fileValue(page, 'Opvolgen na').textContent(), '21 dagen zonder contact');
  assert.match(await fileValue(page, 'Registratie').textContent(), /^Aangevraagd/);
  assert.match(await fileValue(page, 'Casemanagers').textContent(), new RegExp(process.env.INBEELD_CASEMANAGER));

  step('she edits the file: Nijmegen, in Beschermd Wonen');
  await page.click('#edit-open');
  await page.selectOption('#edit-region', 'nijmegen');
  await page.locator('#edit-sheltered').getByLabel('ja').check();
  await page.click('#client-edit button[type=submit]');
  await page.getByText('Opgeslagen.').waitFor();
  await fileValue(page, 'In Beschermd Wonen').getByText('ja').waitFor();
  assert.equal(await fileValue(page, 'Regio').textContent(), 'Nijmegen');

  step('her registration is granted: a step in its history, and her file follows');
  await page.locator('#registration-history li').first().getByText('Aangevraagd', { exact: false }).waitFor();
  await page.click('#registration-open');
  await page.selectOption('#registration-kind', 'granted');
  await page.fill('#registration-number', 'NIJ-2026-031');
  const inAYear = new Date(Date.now() + 365 * 86400000).toISOString().slice(0, 10);
  await page.fill('#registration-expires', inAYear);
  await page.click('#registration-event button[type=submit]');
  await page.getByText('Registratie bijgewerkt.').waitFor();
  await page.locator('#registration-history li').first().getByText('Verleend · nr. NIJ-2026-031', { exact: false }).waitFor();
  assert.match(await fileValue(page, 'Registratie').textContent(), /^Geregistreerd · nr\. NIJ-2026-031/);
  await accessible(page, 'registratie');
  await page.locator('#registration-history').scrollIntoViewIfNeeded();
  await shot(page, 'client-registratie', { quiet: true });

  step('a housing application to Domus: it waits, then starts');
  await page.click('#referral-open');
  await page.selectOption('#referral-kind', 'housing_application');
  await page.selectOption('#referral-partner', { label: 'Domus' });
  await page.click('#referral-new button[type=submit]');
  await page.getByText('Verwijzing opgeslagen.').waitFor();
  const referral = page.locator('#referrals li').first();
  await referral.getByText('Woningaanvraag · Domus').waitFor();
  await referral.getByText('wacht al 0 dagen', { exact: false }).waitFor();
  await referral.getByRole('button', { name: 'Gestart' }).click();
  await referral.locator('form button[type=submit]').first().click();
  await page.getByText('Genoteerd: gestart.').waitFor();
  await page.locator('#referrals li').first().getByText(/^loopt sinds .* · 0 dagen gewacht$/).waitFor();
  await accessible(page, 'verwijzingen');
  await fitsWidth(page, 'verwijzingen');
  await page.locator('#referrals').scrollIntoViewIfNeeded();
  await shot(page, 'client-verwijzingen', { quiet: true });

  step('to regular care: she stays in Turven');
  await page.click('#to-regular-care-open');
  await page.click('#to-regular-care button[type=submit]');
  await page.getByText('Roos is nu in reguliere zorg.').waitFor();
  assert.equal(await fileValue(page, 'Status').textContent(), 'Reguliere zorg');
  await page.locator('#status-history li').first().getByText('Naar reguliere zorg').waitFor();
  await page.click('nav a[href="#/turven"]');
  await page.getByRole('button', { name: 'Roos', exact: true }).waitFor();

  step('offline: the list and her file are read from the phone, a change is not pretended');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.goto(`${base}/#/client/${roos}`);
  await page.waitForSelector('#client-file');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.click('nav a[href="#/clienten"]');
  await page.getByText('Geen verbinding: je ziet de laatst bekende gegevens.').waitFor();
  await page.locator('#clients-filter').selectOption('regulier');
  await page.locator('#client-list').getByRole('link', { name: /Roos/ }).click();
  await page.getByRole('heading', { name: 'Roos' }).waitFor();
  await page.getByText('Je bent offline. Wijzigen kan alleen met verbinding.').first().waitFor();
  await page.click('#edit-open');
  await page.fill('#edit-alias', 'Roosje');
  await page.click('#client-edit button[type=submit]');
  await page.locator('#client-edit').getByText('Geen verbinding: dit is niet opgeslagen.').waitFor();

  step('offline, a file never opened on this phone: what it does not hold is left out, and said so');
  await page.click('nav a[href="#/clienten"]');
  await page.locator('#clients-filter').selectOption({ index: 0 });
  await page.locator('#client-list').getByRole('link', { name: /Merel/ }).click();
  await page.getByRole('heading', { name: 'Merel' }).waitFor();
  await page.locator('#file-partial').getByText('Niet alles van haar dossier staat op deze telefoon').waitFor();
  // Seen tonight: her contacts are never shown as "Geen.", nor her casemanagers as "niemand".
  assert.equal(await page.getByRole('heading', { name: 'Contacten' }).count(), 0, 'no contacts shown as none');
  assert.equal(await fileValue(page, 'Casemanagers').count(), 0, 'no casemanagers shown as nobody');
  assert.equal(await page.locator('#casemanagers').count(), 0);
  await context.setOffline(false);
  await signOut(page);

  step('the coordinator sees who is out of view and who has no casemanager');
  await signInWithRecovery(page, process.env.INBEELD_COORDINATOR, process.env.INBEELD_COORDINATOR_RECOVERY);
  await page.click('nav a[href="#/clienten"]');
  await page.locator('#clients-filter').selectOption('buiten-beeld');
  await page.locator('#client-list').getByText('Kievit').waitFor();
  await page.locator('#client-list li').filter({ hasText: 'Kievit' }).getByText('Buiten beeld').waitFor();
  await page.locator('#clients-filter').selectOption('zonder-casemanager');
  await page.locator('#client-list').getByText('Zwaluw').waitFor();
  await accessible(page, 'zonder casemanager');
  await shot(page, 'clienten-zonder-casemanager');

  step('the coordinator closes Roos with a reason, then reopens her');
  await page.goto(`${base}/#/client/${roos}`);
  await page.click('#close-open');
  await page.selectOption('#close-reason', 'moved_away');
  await page.fill('#close-note', 'Terug naar Arnhem');
  await page.click('#close button[type=submit]');
  await page.locator('#close').getByText('Het dossier van Roos afsluiten per').waitFor();
  await accessible(page, 'afsluiten');
  await page.locator('#close').scrollIntoViewIfNeeded();
  await shot(page, 'client-afsluiten');
  await page.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await page.getByText('Het dossier van Roos is afgesloten.').waitFor();
  assert.match(await fileValue(page, 'Status').textContent(), /^Gesloten op .*: Verhuisd of terug naar de eigen regio$/);
  assert.equal(await fileValue(page, 'Toelichting').textContent(), 'Terug naar Arnhem');
  await page.click('#reopen-open');
  await page.click('#reopen button[type=submit]');
  await page.getByRole('button', { name: 'Ja, heropenen' }).click();
  await page.getByText('Het dossier van Roos is heropend.').waitFor();
  assert.equal(await fileValue(page, 'Status').textContent(), 'Eigen caseload');
  const history = await page.locator('#status-history li').allTextContents();
  assert.deepEqual(history.map((line) => line.split(' · ')[1].replace(/door .*/, '')),
    ['Heropend', 'Gesloten', 'Naar reguliere zorg', 'Intake']);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => !document.querySelector('#toast').classList.contains('visible'));
  await accessible(page, 'cliënt');
  await fitsWidth(page, 'cliënt');
  await shot(page, 'client-dossier');

  step('and closes Merel, detained');
  await page.goto(`${base}/#/clienten`);
  await page.locator('#client-list').getByRole('link', { name: /Merel/ }).click();
  await page.getByRole('heading', { name: 'Merel' }).waitFor();
  await page.click('#close-open');
  await page.selectOption('#close-reason', 'detained');
  await page.click('#close button[type=submit]');
  await page.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await page.getByText('Het dossier van Merel is afgesloten.').waitFor();

  step('Cijfers: the caseload by status and the outflow by reason');
  await openFromMenu(page, '#/cijfers');
  await page.locator('#figures-caseload').waitFor();
  const figure = async (table, label) => (await page.locator(`#figures-${table} tr`)
    .filter({ has: page.getByRole('rowheader', { name: label, exact: true }) }).locator('td').textContent());
  assert.equal(await figure('caseload', 'Reguliere zorg'), '0');
  assert.equal(await figure('caseload', 'Gesloten'), '1');
  assert.equal(await figure('outflow', 'Gedetineerd'), '1');
  await page.waitForFunction(() => !document.querySelector('#toast').classList.contains('visible'));
  await page.locator('#figures-caseload').scrollIntoViewIfNeeded();
  await accessible(page, 'cijfers');
  await shot(page, 'cijfers-caseload');
});
