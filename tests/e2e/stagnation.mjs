// A stagnation in real headless Chromium, driven by Playwright: her casemanager reports a
// stalled case on her page ("Stagnatie melden"), the process director finds it under Regie
// (her overview without names above it) and agrees an action on the client's page, and the
// casemanager sees the answer on her timeline. Started by the Rust test
// `a_stagnation_goes_to_the_director_and_back_in_chromium` (tests/api/browser_stagnation.rs),
// which checks the database after.
//
// Environment: INBEELD_URL, INBEELD_PASSWORD; INBEELD_CASEMANAGER and INBEELD_DIRECTOR
// (usernames) with INBEELD_CASEMANAGER_RECOVERY and _AGAIN (each code works once) and
// INBEELD_DIRECTOR_RECOVERY; INBEELD_CLIENT
// (her id); INBEELD_DUE (the agreed date, yyyy-mm-dd); INBEELD_SCREENSHOTS (optional).

import { accessible, fitsWidth, phone, shot, signInWithRecovery, signOut, step } from './common.mjs';

const base = process.env.INBEELD_URL;
const env = process.env;
const client = env.INBEELD_CLIENT;

/** The toast says `text`. */
const toast = (page, text) => page.locator('#toast.visible').getByText(text).waitFor();

const { page, run } = await phone();

await run('stagnation', async () => {
  step('her casemanager reports a stalled case on her page');
  await signInWithRecovery(page, env.INBEELD_CASEMANAGER, env.INBEELD_CASEMANAGER_RECOVERY);
  await page.goto(`${base}/#/client/${client}`);
  await page.locator('#stagnation-open').waitFor();
  await page.click('#stagnation-open');
  await page.selectOption('#stagnation-kind', 'housing');
  await page.fill('#stagnation-reason', 'Al zes maanden op de wachtlijst, slaapt buiten');
  await page.click('#stagnation-new button[type=submit]');
  await toast(page, 'Stagnatie gemeld bij de procesregisseur.');
  const item = page.locator('#stagnations li[data-stagnation]');
  await item.getByText('Huisvesting').waitFor();
  await item.getByText('wacht op reactie').waitFor();
  await accessible(page, 'stagnatie gemeld');
  await fitsWidth(page, 'stagnatie gemeld');
  await signOut(page);

  step('the process director finds it under Regie and agrees an action on her page');
  await signInWithRecovery(page, env.INBEELD_DIRECTOR, env.INBEELD_DIRECTOR_RECOVERY);
  await page.click('#nav a[href="#/regie"]');
  await page.getByRole('heading', { name: 'Overzicht zonder namen' }).waitFor();
  await page.locator('#overview-stagnations').getByText('Huisvesting').waitFor();
  const mine = page.locator('#director-stagnations li[data-stagnation]');
  await mine.getByText('Al zes maanden op de wachtlijst, slaapt buiten').first().waitFor();
  await accessible(page, 'regie');
  await fitsWidth(page, 'regie');
  await shot(page, 'regie');
  await mine.getByRole('link').first().click();
  const hers = page.locator('#stagnations li[data-stagnation]');
  await hers.getByRole('button', { name: 'Actie afspreken' }).click();
  await hers.getByLabel('Afgesproken actie').fill('Voordragen voor een plek bij Skeave Huse');
  await hers.getByLabel('Wie (collega of partner)').fill('Domus');
  await hers.getByLabel('Uiterlijk op').fill(env.INBEELD_DUE);
  await hers.locator('form[id$="-answer"] button[type=submit]').click();
  await toast(page, 'Actie afgesproken.');
  await hers.locator('div.good').getByText(/^Actie: Voordragen voor een plek bij Skeave Huse · Domus · uiterlijk /).waitFor();
  await accessible(page, 'stagnatie beantwoord');
  await signOut(page);

  step('her casemanager sees the answer on her page, with its timeline');
  await signInWithRecovery(page, env.INBEELD_CASEMANAGER, env.INBEELD_CASEMANAGER_RECOVERY_AGAIN);
  await page.goto(`${base}/#/client/${client}`);
  await item.locator('div.good').getByText(/^Actie: Voordragen voor een plek bij Skeave Huse · Domus · uiterlijk /).waitFor();
  await item.locator('summary').click();
  await item.locator('ul.timeline li').nth(1).getByText(/ · actie afgesproken/).waitFor();
  await accessible(page, 'stagnatie met antwoord');
  await fitsWidth(page, 'stagnatie met antwoord');
  await shot(page, 'client-stagnatie');
});
