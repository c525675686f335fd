// The report pack on Cijfers in real headless Chromium, driven by Playwright: the
// coordinator picks the first quarter, opens Verantwoording and sees each figure beside
// the year before, exactly, with the caseload per casemanager and the PDF to download;
// the municipality sees the same pack with "<5" where a number is small or would give one
// away; De Cirkel's visits and the services by location among them. Started by the Rust
// test `the_report_pack_opens_on_cijfers_in_chromium` (tests/api/browser_report_pack.rs),
// which made the data (a woman seen six times at De Cirkel in January 2026, two anonymous
// visitors).
//
// Environment: INBEELD_URL, INBEELD_PASSWORD; INBEELD_COORDINATOR and INBEELD_MUNICIPALITY
// (usernames) with INBEELD_COORDINATOR_RECOVERY and INBEELD_MUNICIPALITY_RECOVERY;
// INBEELD_SCREENSHOTS (optional).

import assert from 'node:assert/strict';

import { accessible, fitsWidth, phone, shot, signInWithRecovery, signOut, step } from './common.mjs';

const env = process.env;

const { page, run } = await phone();

/** Picks the first quarter of 2026 on Cijfers and opens the pack. */
async function openPack() {
  await page.goto(`${env.INBEELD_URL}/#/cijfers`);
  await page.selectOption('#report-kind', 'quarter');
  await page.fill('#report-year', '2026');
  await page.locator('#report-year').dispatchEvent('change');
  await page.selectOption('#report-quarter', '1');
  await page.click('#pack-open');
  await page.locator('#pack-contacts').waitFor();
}

/** The pack's row of `key`: this quarter, the year before. */
const cells = async (key) => page.locator(`#pack tr[data-key="${key}"] td`).allTextContents();

await run('report pack', async () => {
  step('the coordinator opens the pack of the first quarter');
  await signInWithRecovery(page, env.INBEELD_COORDINATOR, env.INBEELD_COORDINATOR_RECOVERY);
  await openPack();
  await page.getByRole('heading', { name: 'Verantwoording' }).waitFor();
  await page.getByRole('columnheader', { name: '2025-Q1' }).first().waitFor();
  assert.deepEqual(await cells('contacts.total'), ['8', '0']);
  assert.deepEqual(await cells('contacts.named'), ['6', '0']);
  assert.equal(await page.locator('#pack tr[data-key="contacts.named"] th').textContent(), 'Met bekende vrouwen');
  assert.equal(await page.locator('#pack tr[data-key="staffing.coordinator.hours_on_shift"] th').textContent(),
    'Coördinator: uren op dienst');
  // De Cirkel's own figures, and the services under the location's name.
  assert.deepEqual(await cells('living_room.visits'), ['8', '0']);
  assert.equal(await page.locator('#pack tr[data-key="living_room.visits"] th').textContent(), 'Bezoeken');
  assert.equal(await page.locator('#pack tr[data-key="services.cirkel.condoms"] th').textContent(),
    'Huiskamer De Cirkel: condooms');
  await page.locator('#pack-casemanagers').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Download als PDF' }).getAttribute('href'),
    '/api/v1/reports/pack.pdf?from=2026-01-01&to=2026-03-31');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pack-pdf')]);
  assert.equal(download.suggestedFilename(), 'inbeeld-pakket-2026-Q1.pdf');
  await accessible(page, 'verantwoording');
  await fitsWidth(page, 'verantwoording');
  await page.locator('#pack-section').scrollIntoViewIfNeeded();
  await shot(page, 'cijfers-verantwoording');
  await signOut(page);

  step('the municipality sees the same pack with small numbers hidden');
  await signInWithRecovery(page, env.INBEELD_MUNICIPALITY, env.INBEELD_MUNICIPALITY_RECOVERY);
  await openPack();
  assert.deepEqual(await cells('contacts.total'), ['10', '<5']);
  assert.deepEqual(await cells('contacts.named'), ['<5', '<5']);
  assert.deepEqual(await cells('living_room.visits'), ['10', '<5']);
  assert.equal(await page.locator('#pack-casemanagers').count(), 0);
  await page.getByText(/^"<5" betekent minder dan vijf, of een aantal/).waitFor();
  await accessible(page, 'verantwoording gemeente');
  await fitsWidth(page, 'verantwoording gemeente');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator('#pack-section').scrollIntoViewIfNeeded();
  await shot(page, 'cijfers-verantwoording-desktop');
});
