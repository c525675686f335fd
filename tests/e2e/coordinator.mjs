// The coordinator's and the process director's screens in real headless Chromium, driven
// by Playwright, after the phone's shift of tests/e2e/pwa.mjs: the year's figures with that
// shift's contacts, Team, the partners, a client's page, escalating a follow-up and the
// director closing it; the experience expert's and the municipality's menus. Started by the
// Rust test tests/api/browser.rs after pwa.mjs.
//
// Environment: INBEELD_URL, INBEELD_PASSWORD; INBEELD_COORDINATOR, INBEELD_DIRECTOR,
// INBEELD_PEER and INBEELD_MUNICIPALITY (usernames), each with INBEELD_*_RECOVERY (a
// recovery code: they enrolled their second factor through the API); INBEELD_ALIASES (JSON
// list), INBEELD_CLIENT, INBEELD_FOLLOWUP; INBEELD_SCREENSHOTS (optional folder).

import assert from 'node:assert/strict';
import { accessible, menuFits, noEnglish, openFromMenu, phone, shot, signInWithRecovery, signOut, step } from './common.mjs';

const env = process.env;
const base = env.INBEELD_URL;
const aliases = JSON.parse(env.INBEELD_ALIASES);

const { page, run } = await phone({ dutch: false });

await run('coordinator, director, peer and municipality', async () => {
  step('the coordinator\'s figures: a bar per week of the year begun so far');
  await signInWithRecovery(page, env.INBEELD_COORDINATOR, env.INBEELD_COORDINATOR_RECOVERY);
  await menuFits(page, 'coordinator');
  await openFromMenu(page, '#/cijfers');
  await page.locator('svg.chart').waitFor();
  const bars = await page.locator('svg.chart rect.chart-bar').count();
  assert.ok(bars >= 1 && bars <= 54, `${bars} weekly bars`);
  const contacts = Number(await page.locator('table.figures td').first().textContent());
  // 22 taps kept (a double tap counted once, one deleted) and one contact by phone.
  assert.equal(contacts, 23, 'the year\'s contacts as recorded in this test');
  await accessible(page, 'cijfers');
  await shot(page, 'cijfers');

  step('the coordinator\'s Team screen (from Cliënten): expiring registrations, flex budget, time-outs');
  await page.click('nav a[href="#/clienten"]');
  await page.click('a[href="#/team"]');
  await page.locator('#registrations').getByRole('link', { name: aliases[1] }).waitFor();
  assert.match(await page.locator('#flex-budget').textContent(), /975,00/);
  assert.match(await page.locator('#timeout-stays').textContent(), /0 van de 6/);
  await accessible(page, 'team');
  await shot(page, 'team');

  step('the coordinator keeps the partner organisations from her Team screen');
  await page.click('#partners-manage');
  await page.locator('#partners').getByText('Zorg- en Veiligheidshuis').waitFor();
  assert.equal(await page.locator('nav.tabs').count(), 0, 'only the partners of Beheer');
  await accessible(page, 'partners');

  step('on a client\'s page: a flex expense, a time-out stay (14 days at most), a warm handover');
  const day = (offset) => new Date(Date.now() + offset * 864e5).toISOString().slice(0, 10);
  const dutch = (date) => new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${date}T12:00:00Z`));
  await page.goto(`${base}/#/client/${env.INBEELD_CLIENT}`);
  await page.fill('#expense-amount', '12.50');
  await page.selectOption('#expense-category', 'clothing');
  await page.fill('#expense-description', 'Regenjas');
  await page.click('#expense button[type=submit]');
  await page.getByText('Regenjas').waitFor();
  await page.fill('#stay-from', day(1));
  await page.fill('#stay-until', day(21));
  await page.click('#stay button[type=submit]');
  await page.locator('#stay').getByText('Een time-out duurt hoogstens 14 dagen.').waitFor();
  await page.fill('#stay-until', day(8));
  await page.click('#stay button[type=submit]');
  await page.getByText(`${dutch(day(1))} – ${dutch(day(8))}`).waitFor();
  await page.fill('#handover-until', day(7));
  await page.fill('#handover-note', 'Ze belt liever dan dat ze langskomt.');
  await page.click('#handover button[type=submit]');
  await page.getByText('Ze belt liever dan dat ze langskomt.').waitFor();
  await accessible(page, 'cliënt');
  await shot(page, 'client');

  step('the coordinator escalates a follow-up; the process director sees it and closes it');
  await page.goto(`${base}/#/opvolging/${env.INBEELD_FOLLOWUP}`);
  await page.getByRole('button', { name: 'Opschalen naar de procesregisseur' }).click();
  await page.getByLabel('Waarom opschalen?').fill('Geen woonplek, zorgen om haar veiligheid');
  await page.getByRole('button', { name: 'Opschalen naar de procesregisseur' }).click();
  // Its history in Dutch: the reminder set, then escalated with the reason typed.
  const timeline = page.locator('ol.list');
  await timeline.getByText(/ · met de hand opgeschaald · Geen woonplek, zorgen om haar veiligheid$/).waitFor();
  await timeline.getByText(/ · herinnering gezet( · |$)/).waitFor();
  assert.ok(!/escalated|created|notified|_/.test(await timeline.textContent()), `English in the timeline: ${await timeline.textContent()}`);
  await noEnglish(page, 'opvolging met verloop');

  step('an error from the server shows in Dutch, by its code');
  await page.goto(`${base}/#/opvolging/999999`);
  await page.getByRole('alert').getByText('Niet gevonden.').waitFor();
  assert.ok(!(await page.textContent('main')).toLowerCase().includes('not found'), 'the server\'s English message shows');
  await noEnglish(page, 'niet gevonden');
  await signOut(page);
  await signInWithRecovery(page, env.INBEELD_DIRECTOR, env.INBEELD_DIRECTOR_RECOVERY);
  await page.getByRole('heading', { name: 'Opvolging' }).waitFor();
  await page.getByText('Opgeschaald naar jou').waitFor();
  await page.getByText('Reden: Geen woonplek, zorgen om haar veiligheid').waitFor();
  assert.deepEqual(await page.locator('nav a').allTextContents(), ['Opvolging', 'Regie', 'Instellingen'], 'the director\'s menu');
  await menuFits(page, 'process_director');
  await accessible(page, 'opschaling');
  await shot(page, 'opschaling');
  await page.getByRole('link', { name: /Zwaluw/ }).click();
  await page.getByRole('button', { name: 'Afsluiten' }).click();
  await page.getByLabel('Uitkomst').fill('Woonplek gevonden via het Zorg- en Veiligheidshuis');
  await page.getByRole('button', { name: 'Afsluiten' }).click();
  await page.getByText(/^afgesloten · /).waitFor();


  step('the experience expert\'s and the municipality\'s menus fit 320 px and speak Dutch');
  await signOut(page);
  for (const [role, who] of [['peer', 'PEER'], ['municipality', 'MUNICIPALITY']]) {
    await signInWithRecovery(page, env[`INBEELD_${who}`], env[`INBEELD_${who}_RECOVERY`]);
    await menuFits(page, role);
    await noEnglish(page, `start van ${role}`);
    await accessible(page, `start van ${role}`);
    await signOut(page);
  }
});
