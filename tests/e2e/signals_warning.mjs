// A warning in real headless Chromium, in two parts started by the Rust test
// `a_warning_from_turven_reaches_a_colleague_in_chromium` (tests/api/browser_signals.rs),
// which between them takes the push the server sent to a colleague's phone from its push
// service stand-in. "send": a peer on shift sends a warning of a dangerous customer from
// Turven. "receive": that push, delivered to the colleague's service worker, shows as a
// notification, and her Vanavond lists the warning at the top.
//
// Environment: INBEELD_URL, INBEELD_PASSWORD, INBEELD_PART (send or receive), INBEELD_USER
// (username) with INBEELD_RECOVERY (a recovery code); INBEELD_PUSH (the payload, to
// receive); INBEELD_SCREENSHOTS (optional folder).

import assert from 'node:assert/strict';
import { accessible, fitsWidth, phone, shot, signInWithRecovery, step } from './common.mjs';

const base = process.env.INBEELD_URL;
const origin = new URL(base).origin;
const env = process.env;
const { context, page, run } = await phone();

/** The push as the colleague's service worker receives it: delivered until it shows. */
async function deliver(payload) {
  // She allowed notifications when she switched them on in Instellingen.
  await context.grantPermissions(['notifications'], { origin });
  await page.evaluate(() => navigator.serviceWorker.ready);
  const cdp = await context.newCDPSession(page);
  const registration = new Promise((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Headless Chromium now and then drops a push delivered while it starts the worker;
  // deliver again until it shows (the notification's tag keeps it to one).
  let shown = [];
  for (let attempt = 0; attempt < 5 && shown.length === 0; attempt += 1) {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(payload) });
    for (let i = 0; i < 40 && shown.length === 0; i += 1) {
      shown = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
        .map((n) => ({ title: n.title, body: n.body, url: n.data.url, requireInteraction: n.requireInteraction })));
      if (shown.length === 0) await page.waitForTimeout(100);
    }
  }
  return shown;
}

if (env.INBEELD_PART === 'send') {
  await run('a warning sent', async () => {
    step('a peer on shift sends a warning of a dangerous customer from Turven');
    await signInWithRecovery(page, env.INBEELD_USER, env.INBEELD_RECOVERY);
    await page.goto(`${base}/#/turven`);
    await page.click('#signal-open');
    await page.locator('label.kind').filter({ hasText: 'Gevaarlijke klant' }).click();
    await page.click('label[for=signal-warning]');
    assert.ok(await page.isChecked('#signal-warning'), 'the switch is on');
    await page.fill('#signal-text', 'Witte bestelbus, kenteken begint met 12, rijdt rondjes.');
    await fitsWidth(page, 'the warning at 360 px');
    await accessible(page, 'the warning');
    // The kinds and the switch in view, below the app's bar.
    await page.evaluate(() => scrollTo(0, document.getElementById('signal-kind').getBoundingClientRect().top + scrollY - 140));
    await shot(page, 'signaal-waarschuwing');
    await page.click('#signal-form button[type=submit]');
    await page.locator('#toast.visible').getByText('Waarschuwing verstuurd aan wie nu dienst heeft.').waitFor();
    await page.waitForSelector('#clients');
  });
} else {
  await run('a warning received', async () => {
    step('a colleague on shift: the push shows on her phone, saying only to open InBeeld');
    await signInWithRecovery(page, env.INBEELD_USER, env.INBEELD_RECOVERY);
    const shown = await deliver(JSON.parse(env.INBEELD_PUSH));
    assert.deepEqual(shown, [{ title: 'InBeeld', body: 'Waarschuwing: open InBeeld', url: '/#/vanavond', requireInteraction: true }]);

    step('her Vanavond lists the warning at the top');
    await page.goto(`${base}/#/vanavond`);
    const warning = page.locator('#warnings');
    await warning.getByText('Gevaarlijke klant').waitFor();
    await warning.getByText('Witte bestelbus, kenteken begint met 12, rijdt rondjes.').waitFor();
    const first = await page.evaluate(() => document.querySelector('main .title-row + *')?.id);
    assert.equal(first, 'warnings', 'the warnings come first');
    await accessible(page, 'Vanavond with a warning');
    await fitsWidth(page, 'Vanavond with a warning at 360 px');
    await page.setViewportSize({ width: 320, height: 640 });
    await fitsWidth(page, 'Vanavond with a warning at 320 px');
    await page.setViewportSize({ width: 360, height: 640 });
    await shot(page, 'vanavond-waarschuwing');
  });
}
