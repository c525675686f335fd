// Her plan in real headless Chromium, driven by Playwright: a casemanager scores her life
// domains on her page, scores again without a network (the assessment waits in the
// outbox), comes back online, and sees her progress with a chart per domain. Then, again
// offline, she adds a goal and an action under it, comes back online, changes the action
// (what, by when), marks it done and the goal reached with one tap each, and sets the day
// her plan is reviewed. Offline again, her plan and goals are read from the phone. Then
// the municipality finds per life domain how many women went up, stayed equal or went
// down on her Cijfers screen, small groups as "<5", and the coordinator finds another
// client's plan overdue for review and her action past due on her Team screen and opens
// her page from there. Started by the Rust test
// `her_plan_works_in_chromium` (tests/api/browser_plan.rs), which checks the database
// after.
//
// Environment: INBEELD_URL, INBEELD_PASSWORD; INBEELD_CASEMANAGER, INBEELD_MUNICIPALITY
// and INBEELD_COORDINATOR (usernames), each with INBEELD_..._RECOVERY (a recovery code);
// INBEELD_CLIENT (her id);
// INBEELD_SCREENSHOTS (optional folder).

import assert from 'node:assert/strict';
import { accessible, fitsWidth, openFromMenu, phone, shot, signInWithRecovery, signOut, step } from './common.mjs';

const base = process.env.INBEELD_URL;
const env = process.env;
const client = env.INBEELD_CLIENT;

/** The toast says `text` (a string it contains, or a pattern). */
const toast = (page, text) => page.locator('#toast.visible').getByText(text).waitFor();

/** How many items wait in the outbox, as the status line shows it. */
async function waiting() {
  const badge = page.locator('#waiting');
  return (await badge.count()) ? Number(await badge.getAttribute('data-count')) : 0;
}

const { context, page, run } = await phone();

/** Opens "Leefgebieden scoren" and scores `scores` ({ domain: [score, note] }). */
async function score(scores) {
  await page.click('#plan-score-open');
  await page.waitForSelector('#plan-score:not([hidden])');
  for (const [domain, [level, note]] of Object.entries(scores)) {
    await page.selectOption(`#plan-score-${domain}`, String(level));
    if (note) await page.fill(`#plan-note-${domain}`, note);
  }
  await page.click('#plan-score button[type=submit]');
}

await run('plan', async () => {
  step('a casemanager opens her page: nothing scored yet');
  await signInWithRecovery(page, env.INBEELD_CASEMANAGER, env.INBEELD_CASEMANAGER_RECOVERY);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.goto(`${base}/#/client/${client}`);
  await page.locator('#plan').getByText('Nog geen leefgebieden gescoord.').waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  step('she scores housing and finances at intake, with a note');
  await score({ housing: [1, 'Slaapt bij wisselende kennissen'], finances: [3] });
  await toast(page, 'Scoring opgeslagen.');
  const housing = page.locator('#plan li[data-domain=housing]');
  await housing.getByText('Huisvesting').waitFor();
  await housing.getByText('nu 1 (acuut probleem)').waitFor();
  assert.equal(await housing.locator('svg.chart circle').count(), 1);

  step('offline, she scores again: kept on the phone');
  await context.setOffline(true);
  await score({ housing: [3], finances: [2] });
  await toast(page, 'Scoring bewaard op deze telefoon');
  await page.waitForSelector('#waiting[data-count="1"]');
  assert.equal(await waiting(), 1, 'the assessment waits in the outbox');

  step('back online: sent once, and her progress shows the change');
  await context.setOffline(false);
  await page.waitForFunction(() => !document.querySelector('#waiting'), null, { timeout: 30000 });
  assert.equal(await waiting(), 0, 'the outbox drained');
  await page.goto(`${base}/#/clienten`);
  await page.goto(`${base}/#/client/${client}`);
  await page.locator('#plan-summary').getByText('1 domein vooruit, 1 achteruit, 0 gelijk sinds intake').waitFor();
  await housing.getByText('2 vooruit').waitFor();
  assert.equal(await housing.locator('svg.chart circle').count(), 2, 'two scores over time');
  assert.equal(await housing.locator('svg.chart polyline').count(), 1, 'a line between them');
  const label = await housing.locator('svg.chart').getAttribute('aria-label');
  assert.match(label, /^Huisvesting door de tijd: .*: 1, .*: 3$/);
  const box = await housing.locator('svg.chart').boundingBox();
  assert.ok(box.width >= 80 && box.height >= 20, `the chart is readable: ${JSON.stringify(box)}`);

  step('offline, she adds a goal in her words and an action under it: both wait');
  await context.setOffline(true);
  await page.click('#goal-open');
  await page.fill('#goal-text', 'Ik wil een eigen kamer');
  await page.check('#goal-domains input[value=housing]');
  await page.click('#goal-new button[type=submit]');
  await toast(page, 'Bewaard op deze telefoon');
  const waitingGoal = page.locator('#goals li[data-waiting]');
  await waitingGoal.getByText('Wacht op verbinding').waitFor();
  await waitingGoal.getByRole('button', { name: 'Actie toevoegen' }).click();
  await waitingGoal.locator('input[id$=-what]').fill('Inschrijven bij de woningcorporatie');
  await waitingGoal.locator('button[type=submit]').click();
  await page.waitForSelector('#waiting[data-count="2"]');

  step('back online: the goal and then its action reach the server once');
  await context.setOffline(false);
  await page.waitForFunction(() => !document.querySelector('#waiting'), null, { timeout: 30000 });
  await page.goto(`${base}/#/clienten`);
  await page.goto(`${base}/#/client/${client}`);
  const goal = page.locator('#goals li[data-goal]');
  await goal.getByText('Ik wil een eigen kamer').waitFor();
  await goal.getByText('Huisvesting').waitFor();
  const action = goal.locator('li[data-action]');
  await action.getByText('Inschrijven bij de woningcorporatie').waitFor();
  assert.equal(await page.locator('#goals li[data-waiting]').count(), 0, 'nothing waits any more');

  step('she changes the action: what, and by when');
  await action.locator('button[data-edit]').click();
  const edit = action.locator('form[id^=action-edit-]');
  await edit.locator('input[id$=-what]').fill('Inschrijven bij Talis');
  await edit.locator('input[id$=-due]').fill('2030-01-15');
  await edit.locator('button[type=submit]').click();
  await action.getByText(/vóór 15 jan\.? 2030$/).waitFor();
  await action.getByText('Inschrijven bij Talis').waitFor();
  assert.equal(await waiting(), 0, 'sent at once, not kept on the phone');

  step('one tap marks the action done');
  await action.locator('button[data-status=done]').click();
  await toast(page, /^Opgeslagen\.$/);
  await action.locator('button[data-status]').first().waitFor({ state: 'detached' });
  await action.getByText(/· klaar$/).waitFor();
  assert.equal(await waiting(), 0, 'sent at once, not kept on the phone');

  step('one tap marks her goal reached');
  await goal.locator('button[data-goal-status=reached]').click();
  await goal.locator('button[data-goal-status]').first().waitFor({ state: 'detached' });
  await goal.getByText(/^Huisvesting · bereikt$/).waitFor();

  step('she sets the day her plan is reviewed, instead of three months after the scoring');
  const review = page.locator('#plan-review');
  await review.getByText(/^Evaluatie van het plan: .+ \(3 maanden na de laatste scoring\)$/).waitFor();
  await page.click('#plan-review-open');
  await page.fill('#plan-review-on', '2030-02-01');
  await page.click('#plan-review-form button[type=submit]');
  await toast(page, 'Evaluatiedatum opgeslagen.');
  await review.getByText(/^Evaluatie van het plan: 1 feb\.? 2030$/).waitFor();

  step('offline, her plan and goals are read from the phone');
  await context.setOffline(true);
  await page.goto(`${base}/#/clienten`);
  // Her page opened from the list once the list is drawn: one screen at a time.
  await page.getByRole('link', { name: /Wielewaal/ }).click();
  await page.getByText('Geen verbinding: je ziet de laatst bekende gegevens.').waitFor();
  assert.equal(await housing.locator('svg.chart circle').count(), 2, 'her chart, from the phone');
  await goal.getByText('Ik wil een eigen kamer').waitFor();
  await review.getByText(/^Evaluatie van het plan: 1 feb\.? 2030$/).waitFor();
  await context.setOffline(false);
  await page.goto(`${base}/#/clienten`);
  await page.goto(`${base}/#/client/${client}`);
  await page.locator('#goals li[data-goal]').waitFor();

  await accessible(page, 'plan');
  await fitsWidth(page, 'plan at 360 px');
  await page.locator('#plan').scrollIntoViewIfNeeded();
  await shot(page, 'client-plan', { quiet: true });
  await page.click('#plan-score-open');
  await fitsWidth(page, 'the scoring form at 360 px');
  await page.setViewportSize({ width: 320, height: 640 });
  await fitsWidth(page, 'the scoring form at 320 px');
  await page.locator('#plan-score').scrollIntoViewIfNeeded();
  await shot(page, 'client-plan-scoren');

  step('the municipality sees per life domain who went up, stayed or went down, small groups as "<5"');
  await signOut(page);
  await signInWithRecovery(page, env.INBEELD_MUNICIPALITY, env.INBEELD_MUNICIPALITY_RECOVERY);
  await openFromMenu(page, '#/cijfers');
  const domains = page.locator('#figures-plan-progress');
  await domains.waitFor();
  assert.equal(await domains.locator('tbody tr').count(), 13, 'all 13 life domains');
  const housingRow = domains.locator('tr[data-domain=housing]');
  assert.equal(await housingRow.locator('th').textContent(), 'Huisvesting');
  for (const trend of ['improved', 'equal', 'declined']) {
    assert.equal(await housingRow.locator(`td[data-trend=${trend}]`).textContent(), '<5', trend);
  }
  await fitsWidth(page, 'cijfers with the life domains at 320 px');
  await accessible(page, 'cijfers with the life domains');
  await domains.scrollIntoViewIfNeeded();
  await shot(page, 'cijfers-leefgebieden');

  step('the coordinator finds plans overdue for review and actions past due on her Team screen');
  await signOut(page);
  await signInWithRecovery(page, env.INBEELD_COORDINATOR, env.INBEELD_COORDINATOR_RECOVERY);
  await page.goto(`${base}/#/clienten`);
  await page.click('a[href="#/team"]');
  const plans = page.locator('#plans-overdue');
  await plans.getByRole('heading', { name: 'Plannen en acties over datum' }).waitFor();
  await plans.locator('#plans-review').getByRole('link', { name: 'Kwartel', exact: true }).waitFor();
  const late = plans.locator('#plans-actions li');
  assert.equal(await late.count(), 1, 'one action past due');
  await late.getByText('Afspraak bij de schuldhulp').waitFor();
  await fitsWidth(page, 'team with plans at 320 px');
  await plans.scrollIntoViewIfNeeded();
  await shot(page, 'team-plannen');
  await late.getByRole('link', { name: 'Kwartel', exact: true }).click();
  await page.locator('#goals').getByText('Schulden regelen').waitFor();
});
