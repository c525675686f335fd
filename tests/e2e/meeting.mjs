// A case meeting in real headless Chromium, driven by Playwright: the coordinator plans
// yesterday's meeting under Casusoverleg (in "Meer"), takes over the client InBeeld
// proposes, adds a free subject and moves it up, writes down the discussion and a
// decision for a casemanager due yesterday, opens the minutes (client code, not her
// alias), runs the sweep and moves a time-out stay on Team; the casemanager finds the
// follow-up under Opvolging.
// Started by the Rust test `a_case_meeting_decision_reaches_its_owner_in_chromium`
// (tests/api/browser_meeting.rs), which checks the database after.
//
// Environment: INBEELD_URL, INBEELD_PASSWORD; INBEELD_COORDINATOR and INBEELD_CASEMANAGER
// (usernames) with INBEELD_COORDINATOR_RECOVERY and INBEELD_CASEMANAGER_RECOVERY;
// INBEELD_CASEMANAGER_ID; INBEELD_CODE (the client's code); INBEELD_YESTERDAY,
// INBEELD_STAY_FROM and INBEELD_STAY_UNTIL (yyyy-mm-dd: the stay's new dates);
// INBEELD_SCREENSHOTS (optional).

import assert from 'node:assert/strict';

import { accessible, fitsWidth, menuFits, openFromMenu, phone, shot, signInWithRecovery, signOut, step } from './common.mjs';

const base = process.env.INBEELD_URL;
const env = process.env;

/** The toast says exactly `text`. */
const toast = (page, text) => page.locator('#toast.visible').getByText(text, { exact: true }).waitFor();

const { page, run } = await phone();

await run('meeting', async () => {
  step('the coordinator plans yesterday\'s meeting under Casusoverleg');
  await signInWithRecovery(page, env.INBEELD_COORDINATOR, env.INBEELD_COORDINATOR_RECOVERY);
  await menuFits(page, 'coordinator');
  await openFromMenu(page, '#/casusoverleg');
  await page.getByRole('heading', { name: 'Casusoverleg', exact: true }).waitFor();
  await page.click('#meeting-open');
  await page.fill('#meeting-day', env.INBEELD_YESTERDAY);
  await page.fill('#meeting-time', '14:00');
  await page.fill('#meeting-location', 'Zorg- en Veiligheidshuis');
  await page.locator('#meeting-partners').getByLabel('Domus', { exact: true }).check();
  await accessible(page, 'overleg plannen');
  await fitsWidth(page, 'overleg plannen');
  await page.click('#meeting-new button[type=submit]');
  await toast(page, 'Overleg gepland.');

  step('she takes over the proposed client and adds a free subject, moved up');
  const draft = page.locator('#meeting-draft');
  await draft.locator('li').filter({ hasText: 'Wielewaal · stagnatie' }).waitFor();
  await page.click('#meeting-take-all');
  await toast(page, 'Agenda bijgewerkt.');
  const agenda = page.locator('#meeting-agenda > li');
  await agenda.first().getByText('Wielewaal', { exact: true }).waitFor();
  await draft.getByText('InBeeld stelt niemand (meer) voor.', { exact: true }).waitFor();
  await page.fill('#meeting-free-title', 'Winterregeling');
  await page.click('#meeting-free button[type=submit]');
  await toast(page, 'Agenda bijgewerkt.');
  await agenda.nth(1).getByText('Winterregeling', { exact: true }).waitFor();
  await agenda.nth(1).getByRole('button', { name: 'Omhoog', exact: true }).click();
  await toast(page, 'Agenda bijgewerkt.');
  await agenda.first().getByText('Winterregeling', { exact: true }).waitFor();
  await shot(page, 'casusoverleg-agenda', { quiet: true });

  step('she writes down the discussion and a decision for the casemanager');
  const hers = agenda.nth(1);
  await hers.getByRole('button', { name: 'Verslag', exact: true }).click();
  await hers.getByLabel('Verslag').fill('Slaapt buiten, Domus heeft plek in januari');
  await hers.locator('form[id$="-summary-form"] button[type=submit]').click();
  await toast(page, 'Verslag opgeslagen.');
  await agenda.nth(1).locator('p', { hasText: 'Slaapt buiten, Domus heeft plek in januari' }).waitFor();
  await agenda.nth(1).getByRole('button', { name: 'Afspraak', exact: true }).click();
  await agenda.nth(1).getByLabel('Wat is afgesproken').fill('Voordragen bij Domus');
  await agenda.nth(1).getByLabel('Wie doet het').selectOption(`user:${env.INBEELD_CASEMANAGER_ID}`);
  await agenda.nth(1).getByLabel('Uiterlijk op').fill(env.INBEELD_YESTERDAY);
  await agenda.nth(1).locator('form[id$="-decision"] button[type=submit]').click();
  await toast(page, 'Afspraak vastgelegd.');
  await agenda.nth(1).locator('ul.timeline li').getByText('Voordragen bij Domus').waitFor();
  await accessible(page, 'casusoverleg');
  await fitsWidth(page, 'casusoverleg');
  await shot(page, 'casusoverleg', { quiet: true });

  step('the minutes name her by code; the internal copy by alias');
  await page.click('#meeting-minutes');
  const minutes = page.locator('#minutes');
  await minutes.getByText(`${env.INBEELD_CODE} · stagnatie`, { exact: true }).waitFor();
  assert.equal(await minutes.getByText('Wielewaal').count(), 0, 'no alias on the minutes');
  await minutes.getByText(/^Voordragen bij Domus — /).waitFor();
  await accessible(page, 'notulen');
  await fitsWidth(page, 'notulen');
  await shot(page, 'casusoverleg-notulen');
  await page.click('#minutes-switch');
  await minutes.getByText('Wielewaal · stagnatie', { exact: true }).waitFor();

  step('the sweep runs: the decision past due becomes her follow-up');
  const swept = await page.evaluate(async () => {
    const response = await fetch('/api/v1/followups/sweep', { method: 'POST', credentials: 'same-origin' });
    return response.json();
  });
  assert.equal(swept.meeting_decisions_overdue, 1);

  step('on Team she moves a time-out stay by a day');
  await page.goto(`${base}/#/team`);
  const stay = page.locator('#stay-list li[data-stay]').first();
  await stay.getByRole('button', { name: 'Data', exact: true }).click();
  await stay.getByLabel('Eerste dag').fill(env.INBEELD_STAY_FROM);
  await stay.getByLabel('Laatste dag').fill(env.INBEELD_STAY_UNTIL);
  await stay.locator('form[id$="-dates-form"] button[type=submit]').click();
  await toast(page, 'Data van de time-out opgeslagen.');
  await accessible(page, 'team met time-out');
  await fitsWidth(page, 'team met time-out');
  await signOut(page);

  step('the casemanager sees it under Opvolging');
  await signInWithRecovery(page, env.INBEELD_CASEMANAGER, env.INBEELD_CASEMANAGER_RECOVERY);
  await openFromMenu(page, '#/opvolging');
  await page.locator('#followup-list').getByText('Wielewaal · Afspraak uit het casusoverleg is over de datum', { exact: true }).waitFor();
  await accessible(page, 'opvolging met afspraak');
  await shot(page, 'opvolging-casusoverleg');
});
