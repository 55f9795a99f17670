// Real-browser tests of a versioned site: the book of tests/fixtures/releases (three tagged
// releases and a draft) built by preflight.
//
//   PREFLIGHT_SITE=/tmp/release-site PREFLIGHT_SHOTS=/tmp/shots node --test releases.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  browserTests,
  crawlLinks,
  formatViolations,
  launchBrowser,
  poll,
  runAxe,
  shotsDir,
  siteDir,
  startServer,
} from './lib.mjs';

const SITE = siteDir();
const SHOTS = shotsDir();

let browser;
let server;
const browserTest = browserTests(() => ({ browser, server }));

before(async () => {
  browser = await launchBrowser();
  server = await startServer(SITE);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the version switcher of `page` and follows the link to `release`. */
async function switchTo(page, release) {
  await page.locator('#version-switcher summary').click();
  const link = page.locator('#version-switcher a').filter({ hasText: release }).first();
  await link.waitFor({ state: 'visible' });
  await Promise.all([page.waitForURL((url) => url.pathname.includes(`/${release}/`)), link.click()]);
}

browserTest('the switcher keeps the section, following a renamed one', async ({ open }) => {
  const page = await open('v1.0.0/deploy/index.html#pre-deployment');
  await switchTo(page, 'v1.1.0');
  assert.match(page.url(), /\/v1\.1\.0\/deploy\/index\.html#preparation$/);
  assert.ok(await page.locator('[id="preparation"]').isVisible());
  await page.goto(`${server.url}v1.1.0/deploy/index.html#checks`);
  await switchTo(page, 'v1.2.0');
  assert.match(page.url(), /\/v1\.2\.0\/deploy\/index\.html#checks$/);
});

// Regressions: an item in the address kept its old section's id in a release where the
// section was renamed, and so opened the page at its top; with no address, the page opened at
// its top whatever section was being read; an item the release lacks led nowhere.
browserTest('the switcher keeps the item or the section being read', async ({ open }) => {
  const page = await open('v1.0.0/deploy/index.html#item-pre-deployment.back-up-the-database');
  await switchTo(page, 'v1.1.0');
  assert.match(page.url(), /#item-preparation\.back-up-the-database$/);
  await page.setViewportSize({ width: 1000, height: 300 });
  await page.goto(`${server.url}v1.1.0/deploy/index.html`);
  await page.evaluate(() => document.getElementById('checks').scrollIntoView());
  await poll(async () => assert.ok(await page.evaluate(() => window.scrollY) > 8, 'the page did not scroll'));
  // Clicked as a reader does, without the page scrolling to show the link first.
  const link = page.locator('#version-switcher a').filter({ hasText: 'v1.2.0' }).first();
  await Promise.all([
    page.waitForURL((url) => url.pathname.includes('/v1.2.0/')),
    link.evaluate((a) => a.click()),
  ]);
  assert.match(page.url(), /\/v1\.2\.0\/deploy\/index\.html#checks$/);
  await page.goto(`${server.url}v1.2.0/deploy/index.html#item-checks.no-such-step`);
  await poll(async () => {
    const top = await page.evaluate(() => document.getElementById('checks').getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 260, `the section of a missing item is not in view: ${top}`);
  });
});

browserTest('a checklist missing from a release opens its home with a notice', async ({ open }) => {
  const page = await open('v1.2.0/hotfix/index.html');
  await switchTo(page, 'v1.0.0');
  assert.match(page.url(), /\/v1\.0\.0\/index\.html\?missing=hotfix$/);
  const notice = page.locator('#missing-notice');
  await notice.waitFor({ state: 'visible' });
  assert.match(await notice.textContent(), /“hotfix” is not in release v1\.0\.0/);
});

browserTest('a renamed checklist is followed to its new name', async ({ open }) => {
  const page = await open('v1.0.0/old-name/index.html');
  await switchTo(page, 'v1.2.0');
  assert.match(page.url(), /\/v1\.2\.0\/rollback\/index\.html$/);
});

browserTest('older releases link the same page in the latest', async ({ open }) => {
  const page = await open('v1.1.0/deploy/index.html');
  const banner = page.locator('.release-banner a');
  assert.equal(await banner.textContent(), 'see this page in v1.2.0');
  await Promise.all([page.waitForURL(/\/latest\/deploy\/index\.html$/), banner.click()]);
  assert.equal(await page.locator('.release-banner').count(), 0);
});

browserTest('ticks are kept per release; latest shares them with its release', async ({ open }) => {
  const page = await open('v1.1.0/deploy/index.html');
  const first = page.locator('input.tick').first();
  await first.check();
  await poll(async () => assert.equal(await page.locator('#progress').getAttribute('data-done'), '1'));
  await page.goto(`${server.url}v1.2.0/deploy/index.html`);
  assert.equal(await page.locator('#progress').getAttribute('data-done'), '0');
  await page.locator('input.tick').first().check();
  await page.goto(`${server.url}latest/deploy/index.html`);
  await poll(async () => assert.equal(await page.locator('#progress').getAttribute('data-done'), '1'));
  await page.goto(`${server.url}v1.1.0/deploy/index.html`);
  await poll(async () => assert.equal(await page.locator('#progress').getAttribute('data-done'), '1'));
});

browserTest('rows of a table of tasks are ticked, counted, kept and hidden when done', async ({ open }) => {
  const page = await open('v1.2.0/hotfix/index.html');
  const rows = page.locator('table.kind-tasks tr.item');
  assert.equal(await rows.count(), 2);
  assert.equal(await page.locator('#progress').getAttribute('data-total'), '4');
  const box = page.getByRole('checkbox', { name: 'Error rate back under 1%' });
  await box.check();
  await poll(async () => assert.equal(await page.locator('#progress').getAttribute('data-done'), '1'));
  assert.match(await rows.first().getAttribute('class'), /\bdone\b/);
  await page.reload();
  assert.ok(await page.getByRole('checkbox', { name: 'Error rate back under 1%' }).isChecked());
  await page.locator('#hide-done').check();
  assert.equal(await rows.first().isVisible(), false);
  assert.equal(await rows.nth(1).isVisible(), true);
});

browserTest('the what-changed page lists the changes and links them', async ({ open }) => {
  const page = await open('v1.1.0/changes/index.html');
  const summary = await page.locator('.diff-summary').textContent();
  assert.match(summary, /1 item added, 1 removed, 1 changed, 1 moved/);
  assert.equal(await page.locator('del', { hasText: '#deploys' }).count(), 1);
  assert.equal(await page.locator('ins', { hasText: '#releases' }).count(), 1);
  const added = page.locator('a.diff-text', { hasText: 'Deploy the worker tier' });
  await Promise.all([page.waitForURL(/\/v1\.1\.0\/deploy\/index\.html#item-/), added.click()]);
  const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
  assert.ok(await page.locator(`[id="${id}"]`).isVisible());
});

browserTest('axe-core: no violations on versioned pages, light and dark', async ({ open }) => {
  const report = [];
  for (const colorScheme of ['light', 'dark']) {
    for (const [path, openSwitcher] of [
      ['index.html', false],
      ['v1.0.0/deploy/index.html', true],
      ['v1.1.0/changes/index.html', false],
      ['v1.2.0/hotfix/index.html', false],
      ['v1.0.0/index.html?missing=hotfix', false],
    ]) {
      const page = await open(path, { colorScheme });
      if (openSwitcher) await page.locator('#version-switcher summary').click();
      const violations = await runAxe(page);
      if (violations.length) report.push(`${path}, ${colorScheme}:\n${formatViolations(violations)}`);
    }
  }
  assert.equal(report.length, 0, `axe-core violations:\n${report.join('\n')}`);
});

browserTest('screenshots of the versioned site', async ({ open }) => {
  mkdirSync(SHOTS, { recursive: true });
  const page = await open('v1.0.0/deploy/index.html');
  await page.locator('#version-switcher summary').click();
  await page.screenshot({ path: join(SHOTS, 'release-switcher.png') });
  const changes = await open('v1.1.0/changes/index.html');
  await changes.screenshot({ path: join(SHOTS, 'release-changes.png'), fullPage: true });
  const root = await open('index.html');
  await root.screenshot({ path: join(SHOTS, 'release-root.png') });
});

test('link crawl of the versioned site', () => {
  const { checked, broken } = crawlLinks(SITE);
  assert.ok(checked > 100, `only ${checked} links`);
  assert.equal(broken.length, 0, `${broken.length} broken link(s) of ${checked}:\n${broken.join('\n')}`);
});
