// The office screens in real headless Chromium, driven by Playwright: Opvolging, Rooster,
// Cijfers and Team. Started by the Rust test `the_office_screens_work_in_chromium`
// (tests/api/browser_office.rs), which prepares the team and checks the database after.
//
// Environment: INBEELD_URL, INBEELD_PASSWORD; INBEELD_CASEMANAGER, INBEELD_COORDINATOR and
// INBEELD_DIRECTOR (usernames) with INBEELD_*_RECOVERY (their recovery codes, comma
// separated: they enrolled their second factor through the API); INBEELD_KIEVIT (her
// client id), INBEELD_SHIFT_DAY, INBEELD_NEEDED_SHIFT and INBEELD_COVERED_SHIFT;
// INBEELD_SCREENSHOTS (optional folder).

import assert from 'node:assert/strict';
import { accessible, fitsWidth, openFromMenu, phone, shot, signInWithRecovery, signOut, step } from './common.mjs';

const base = process.env.INBEELD_URL;
const env = process.env;
const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 800 };

const unused = new Map();
/** Signs in with password and an unused recovery code as the second step; no PIN yet. */
async function signIn(page, username, codes) {
  if (!unused.has(username)) unused.set(username, codes.split(','));
  await signInWithRecovery(page, username, unused.get(username).shift());
}

/** The toast says `text`. */
const toast = (page, text) => page.locator('#toast.visible').getByText(text).waitFor();

const myName = (page) => page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).display_name);

// Dates as the app computes them: Amsterdam's today, ISO weeks, Dutch short months.
const amsterdam = (date = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(date);
const addDays = (day, n) => new Date(Date.parse(`${day}T12:00:00Z`) + n * 864e5).toISOString().slice(0, 10);
const mondayOf = (day) => addDays(day, -((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7));
function isoWeek(day) {
  const thursday = addDays(mondayOf(day), 3);
  const january1 = `${thursday.slice(0, 4)}-01-01`;
  return { year: Number(thursday.slice(0, 4)), week: 1 + Math.floor((Date.parse(thursday) - Date.parse(january1)) / (7 * 864e5)) };
}
const MONTHS = 'jan,feb,mrt,apr,mei,jun,jul,aug,sep,okt,nov,dec'.split(',');
const dayMonth = (day) => `${Number(day.slice(8))} ${MONTHS[Number(day.slice(5, 7)) - 1]}`;
const weekLabel = (monday) => `Week ${isoWeek(monday).week} · ${dayMonth(monday)} – ${dayMonth(addDays(monday, 6))}`;

const { page, run } = await phone();

await run('office screens', async () => {
  step('Opvolging: each follow-up says how long she went unseen and whose client she is');
  await signIn(page, env.INBEELD_CASEMANAGER, env.INBEELD_CASEMANAGER_RECOVERY);
  const casemanager = await myName(page);
  await page.click('nav a[href="#/opvolging"]');
  const item = (alias) => page.locator('#followup-list li').filter({ hasText: alias });
  await item('Kievit').getByText('16 dagen niet gezien').waitFor();
  await item('Kievit').getByText(`Casemanager: ${casemanager}`).waitFor();
  await item('Zwaluw').getByText('20 dagen niet gezien').waitFor();
  assert.equal(await page.locator('#followup-list li').count(), 2);
  await accessible(page, 'opvolging');
  await fitsWidth(page, 'opvolging');

  step('"Mijn cliënten": only the clients she is casemanager of');
  await page.getByLabel('Mijn cliënten').check();
  await item('Kievit').waitFor();
  assert.equal(await page.locator('#followup-list li').count(), 1, 'Zwaluw is the coordinator\'s');
  await shot(page, 'opvolging-mijn-clienten');
  await page.getByLabel('Mijn cliënten').uncheck();
  await item('Zwaluw').waitFor();

  step('one follow-up: days and casemanager as on the list; forms folded; taking it on and escalating confirmed');
  await item('Kievit').getByRole('link').click();
  await page.getByRole('button', { name: 'Ik pak het op' }).waitFor();
  await page.locator('main').getByText('16 dagen niet gezien').waitFor();
  await page.locator('main').getByText(`Casemanager: ${casemanager}`).waitFor();
  assert.equal(await page.locator('#snooze-form').isVisible(), false, 'the snooze form is folded');
  assert.equal(await page.locator('#close-form').isVisible(), false, 'the close form is folded');
  assert.equal(await page.locator('#escalate-form').isVisible(), false, 'the escalate form is folded');
  await shot(page, 'opvolging-een');
  await page.getByRole('button', { name: 'Ik pak het op' }).click();
  await toast(page, 'Je hebt het opgepakt.');
  await page.locator('main').getByText(`Opgepakt door ${casemanager}`).waitFor();
  await page.getByRole('button', { name: 'Uitstellen' }).click();
  await page.locator('#snooze-until').waitFor();
  await page.locator('#snooze-form').getByRole('button', { name: 'Annuleren' }).click();
  assert.equal(await page.locator('#snooze-form').isVisible(), false, 'folded again');
  await page.getByRole('button', { name: 'Opschalen naar de procesregisseur' }).click();
  await page.getByLabel('Waarom opschalen?').fill('Al twee weken niet gezien, telefoon staat uit');
  await accessible(page, 'opvolging opschalen');
  await page.getByRole('button', { name: 'Opschalen naar de procesregisseur' }).click();
  await toast(page, 'Opgeschaald naar de procesregisseur.');
  await page.getByText('met de hand opgeschaald', { exact: false }).waitFor();
  await page.goto(`${base}/#/opvolging`);
  await item('Kievit').getByText(`Opgepakt door ${casemanager}`).waitFor();
  await item('Kievit').getByText('Opgeschaald').waitFor();
  await shot(page, 'opvolging-lijst', { quiet: true });

  step('Rooster: opens at this week, named by its ISO week and Dutch days');
  await openFromMenu(page, '#/rooster');
  const thisWeek = mondayOf(amsterdam());
  assert.equal(await page.locator('#rota-week').textContent(), weekLabel(thisWeek));
  const shiftWeek = mondayOf(env.INBEELD_SHIFT_DAY);
  if (shiftWeek !== thisWeek) {
    await page.getByRole('button', { name: 'Volgende week' }).click();
    await page.locator('#rota-week').getByText(weekLabel(shiftWeek)).waitFor();
  }
  const needed = page.locator(`[data-shift="${env.INBEELD_NEEDED_SHIFT}"]`);
  const covered = page.locator(`[data-shift="${env.INBEELD_COVERED_SHIFT}"]`);
  await needed.getByText('0 ingeroosterd (min. 2)').waitFor();
  await covered.getByText('1 ingeroosterd (min. 1)').waitFor();
  await accessible(page, 'rooster');
  await fitsWidth(page, 'rooster');

  step('"Waar ben ik nodig": the shifts short of staff that she is not on; signing up is confirmed');
  await page.getByLabel('Waar ben ik nodig').check();
  await needed.waitFor();
  assert.equal(await covered.count(), 0, 'she is on the Loods shift already');
  await shot(page, 'rooster-nodig');
  await needed.getByRole('button', { name: 'Ik doe mee' }).click();
  await toast(page, 'Je staat op de dienst van');
  await page.getByText('Deze week is er geen dienst die nog iemand nodig heeft en waar jij niet op staat.').waitFor();
  await page.getByLabel('Waar ben ik nodig').uncheck();
  await needed.getByText('1 ingeroosterd (min. 2)').waitFor();
  await signOut(page);

  step('the process director: her Opvolging, and on the client\'s page her open escalation');
  await signIn(page, env.INBEELD_DIRECTOR, env.INBEELD_DIRECTOR_RECOVERY);
  await page.getByRole('heading', { name: 'Opvolging' }).waitFor();
  await page.getByText('Opgeschaald naar jou').waitFor();
  assert.equal(await page.locator('nav a[href="#/opvolging"]').textContent(), 'Opvolging', 'menu and title agree');
  await page.goto(`${base}/#/client/${env.INBEELD_KIEVIT}`);
  await page.locator('#client-followups').getByText('Reden: Al twee weken niet gezien, telefoon staat uit').waitFor();
  await accessible(page, 'cliënt (procesregisseur)');
  await shot(page, 'client-opschaling');
  await signOut(page);

  step('the coordinator on a desktop: the week as a grid, putting a colleague on a gap');
  await signIn(page, env.INBEELD_COORDINATOR, env.INBEELD_COORDINATOR_RECOVERY);
  await page.setViewportSize(DESKTOP);
  await page.goto(`${base}/#/rooster`);
  await page.locator('#rota-grid').waitFor();
  if (shiftWeek !== thisWeek) await page.getByRole('button', { name: 'Volgende week' }).click();
  assert.equal(await page.locator('#rota-grid .week-day').count(), 7);
  const column = page.locator(`#rota-grid .week-day[data-day="${env.INBEELD_SHIFT_DAY}"]`);
  const gap = column.locator(`[data-shift="${env.INBEELD_NEEDED_SHIFT}"]`);
  await gap.getByText('1 ingeroosterd (min. 2)').waitFor();
  await gap.getByRole('button', { name: 'Inroosteren' }).click();
  await toast(page, 'ingeroosterd.');
  await gap.getByText('2 ingeroosterd (min. 2)').waitFor();
  await accessible(page, 'rooster (week)');
  await fitsWidth(page, 'rooster (week)');
  await shot(page, 'rooster-week', { quiet: true });

  step('Cijfers: a scale of numbers, no bars for weeks to come, and one location at a time');
  await page.setViewportSize(PHONE);
  await page.goto(`${base}/#/cijfers`);
  await page.locator('svg.chart').waitFor();
  const today = amsterdam();
  const year = Number(today.slice(0, 4));
  const { year: weekYear, week } = isoWeek(today);
  const lastWeek = isoWeek(`${year}-12-28`).week;
  const begun = weekYear === year ? week : (weekYear > year ? lastWeek : 0);
  assert.equal(await page.locator('svg.chart rect.chart-bar').count(), begun, 'a bar for each week begun');
  const scale = await page.locator('svg.chart text[text-anchor=end]').allTextContents();
  assert.ok(scale.length >= 2 && scale[0] === '0', `a y-axis with values: ${scale}`);
  assert.equal(await page.locator('svg.chart text').getByText('wk 1', { exact: true }).count(), 1, 'weeks named in Dutch');
  const contacts = async () => (await page.locator('table.figures td').first().textContent()).trim();
  assert.equal(await contacts(), '1', 'Merel, seen today at De Cirkel');
  await page.selectOption('#report-location', { label: 'De Loods' });
  await page.locator('#report-place').getByText('Alleen De Loods').waitFor();
  assert.equal(await contacts(), '0', 'nobody was seen at De Loods');
  await accessible(page, 'cijfers');
  await fitsWidth(page, 'cijfers');
  await page.locator('svg.chart').scrollIntoViewIfNeeded();
  await shot(page, 'cijfers-locatie');
  await page.selectOption('#report-location', { label: 'Alle locaties' });
  await page.waitForFunction(() => !document.querySelector('#report-place'));

  step('Team: the coordinator sets the year\'s flex budget');
  await page.goto(`${base}/#/team`);
  await page.locator('#flex-budget').getByText('Nog niet vastgesteld').waitFor();
  await page.fill('#flex-budget-amount', '1500');
  await page.locator('#flex-budget-form').getByRole('button', { name: 'Budget opslaan' }).click();
  await toast(page, `Flexbudget ${year}:`);
  await page.locator('#flex-budget').getByText('1.500,00').first().waitFor();
  await accessible(page, 'team');
  await fitsWidth(page, 'team');
  await page.locator('#flex-budget').scrollIntoViewIfNeeded();
  await shot(page, 'team-flexbudget', { quiet: true });
});
