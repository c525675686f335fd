// Lighthouse's mobile audit of the phone app, against a release build started here on an
// empty SQLite database:
//
//     cargo build --release && npm ci --prefix benches/lighthouse && node benches/lighthouse/run.mjs
//
// Prints the category scores and the main timings. A benchmark: nothing is asserted.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const root = new URL('../../', import.meta.url).pathname;
const data = mkdtempSync(join(tmpdir(), 'inbeeld-lighthouse-'));
const port = 18_091;
const url = `http://127.0.0.1:${port}/`;
const server = spawn(join(root, 'target/release/inbeeld'), ['serve'], {
  env: { ...process.env, INBEELD_BIND: `127.0.0.1:${port}`, INBEELD_DATA_DIR: data },
  stdio: 'ignore',
});

async function ready() {
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`${url}healthz`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not start');
}

let chrome;
try {
  await ready();
  chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const result = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
  });
  const { categories, audits } = result.lhr;
  console.log(`Lighthouse ${result.lhr.lighthouseVersion}, mobile (emulated Moto G Power, slow 4G), ${url}`);
  for (const category of Object.values(categories)) {
    console.log(`  ${category.title}: ${Math.round(category.score * 100)}`);
  }
  for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'total-byte-weight']) {
    console.log(`  ${audits[id].title}: ${audits[id].displayValue}`);
  }
} finally {
  await chrome?.kill();
  server.kill();
  rmSync(data, { recursive: true, force: true });
}
