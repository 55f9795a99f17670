// Real-browser tests of the static runbook site built by preflight.
//
//   PREFLIGHT_SITE=/tmp/preflight-site PREFLIGHT_SHOTS=/tmp/shots node --test site.test.mjs
//
// Every test gets fresh browser contexts (clean localStorage). Pages are served
// over http://127.0.0.1 by a small static server, except in the file:// test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  browserTests,
  byId,
  crawlLinks,
  fileExists,
  poll,
  formatViolations,
  htmlFiles,
  idsOfFile,
  launchBrowser,
  runAxe,
  shotsDir,
  siteDir,
  startServer,
} from './lib.mjs';

const SITE = siteDir();
const SHOTS = shotsDir();

const RELEASE = 'current';
const CHECKLISTS = [
  'astro-axis-hr-platform',
  'heypeter-academy-lms',
  'invoice-discounting-platform',
  'payments-platform',
  'sme-receivable-platform',
];
// The checklist with group parents (tasks with task children) and several phases.
const CHECKLIST = 'sme-receivable-platform';

const ROOT_PAGE = 'index.html';
const DASHBOARD_PAGE = `${RELEASE}/index.html`;
const CHECKLIST_PAGE = `${RELEASE}/${CHECKLIST}/index.html`;
const NOT_FOUND_PAGE = '404.html';
const PRINT_PAGE = `${RELEASE}/${CHECKLIST}/print/index.html`;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let browser;
let server;
const browserTest = browserTests(() => ({ browser, server }), DESKTOP);

before(async () => {
  browser = await launchBrowser();
  server = await startServer(SITE);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// ---------------------------------------------------------------------------
// helpers

/** The checkbox of the item with this id: the tick in its own line, inside the label. */
function tickSelector(id) {
  return `${byId(`item-${id}`)} > .item-line > label > input.tick`;
}

/** The state of one item: its checkbox and its li. */
function itemState(page, id) {
  return page.evaluate((id) => {
    const li = document.getElementById(`item-${id}`);
    const box = li ? li.querySelector(':scope > .item-line > label > input.tick') : null;
    return {
      box: !!box,
      li: !!li,
      checked: box ? box.checked : null,
      indeterminate: box ? box.indeterminate : null,
      done: li ? li.classList.contains('done') : null,
      visible: li ? li.checkVisibility() : null,
    };
  }, id);
}

function tickBox(page, id) {
  return page.locator(tickSelector(id));
}

/**
 * Ids of `n` leaf tasks (li.item with its own checkbox, not a group) such that
 * ticking all of them completes no group: at most one child per group, and only
 * from groups with at least two task children.
 */
async function pickLeaves(page, n) {
  const ids = await page.evaluate((n) => {
    const isTask = (li) => !!li.querySelector(':scope > .item-line > label > input.tick');
    const out = [];
    const used = new Set();
    for (const li of document.querySelectorAll('li.item')) {
      if (li.classList.contains('group') || !isTask(li) || !li.checkVisibility()) continue;
      const parent = li.parentElement.closest('li.item');
      if (parent) {
        if (used.has(parent)) continue;
        const siblings = [...li.parentElement.children].filter((c) => c.matches('li.item') && isTask(c));
        if (siblings.length < 2) continue;
        used.add(parent);
      }
      out.push(li.id.slice(5));
      if (out.length === n) break;
    }
    return out;
  }, n);
  assert.equal(
    ids.length,
    n,
    `expected ${n} visible task items (li.item#item-<id> with its own input.tick) on ${page.url()}, found ${ids.length}`,
  );
  return ids;
}

/** data-done, data-total and text of #progress (sectionId null) or of a section's own .section-progress. */
function readProgress(page, sectionId = null) {
  return page.evaluate(
    ({ sectionId }) => {
      let el;
      if (sectionId === null) el = document.getElementById('progress');
      else {
        const section = document.getElementById(sectionId);
        el = [...section.querySelectorAll('.section-progress')].find(
          (p) => p.closest('section.section') === section,
        );
      }
      if (!el) return null;
      return {
        done: el.getAttribute('data-done'),
        total: el.getAttribute('data-total'),
        text: el.textContent.replace(/\s+/g, ' ').trim(),
      };
    },
    { sectionId },
  );
}

/** Maps a result/link URL of the site (http://127.0.0.1 or file://) to a file of SITE_DIR. */
function siteFileOf(urlString) {
  const url = new URL(urlString);
  let path;
  if (url.protocol === 'file:') path = fileURLToPath(url);
  else path = join(SITE, decodeURIComponent(url.pathname));
  if (url.pathname.endsWith('/')) path = join(path, 'index.html');
  return path;
}

/**
 * Types `query` into #search-input, waits for results from at least 3 checklists,
 * checks every result's target, clicks one pointing at an item and checks the
 * item is there and in the viewport.
 */
async function searchAndFollow(page, query = 'rollback') {
  const input = page.locator('#search-input');
  assert.equal(await input.getAttribute('type'), 'search', '#search-input should be type=search');
  await input.focus();
  await input.pressSequentially(query, { delay: 15 });
  const results = page.locator('#search-results a.search-result');
  const list = await poll(
    async () => {
      const list = await results.evaluateAll((as) =>
        as.map((a) => ({
          href: a.href,
          raw: a.getAttribute('href'),
          checklist: a.getAttribute('data-checklist'),
          text: a.textContent.replace(/\s+/g, ' ').trim(),
          visible: a.checkVisibility(),
        })),
      );
      const distinct = new Set(list.map((r) => r.checklist));
      assert.ok(
        distinct.size >= 3,
        `search "${query}" on ${page.url()}: expected #search-results a.search-result from at least 3 ` +
          `checklists (data-checklist), got ${list.length} result(s) from [${[...distinct].join(', ')}]`,
      );
      return list;
    },
    { timeout: 10_000 },
  );
  const bad = [];
  for (const r of list) {
    const where = `result "${r.text.slice(0, 60)}" href="${r.raw}"`;
    if (!CHECKLISTS.includes(r.checklist)) bad.push(`${where}: data-checklist="${r.checklist}" is not a checklist id`);
    const url = new URL(r.href);
    const file = siteFileOf(r.href);
    if (!fileExists(file)) {
      bad.push(`${where}: target file ${relative(SITE, file)} does not exist`);
      continue;
    }
    if (!file.endsWith(`${sep}${RELEASE}${sep}${r.checklist}${sep}index.html`)) {
      bad.push(`${where}: does not point at ${RELEASE}/${r.checklist}/index.html`);
    }
    const id = decodeURIComponent(url.hash.slice(1));
    if (!id) bad.push(`${where}: no #fragment`);
    else if (!idsOfFile(file).has(id)) bad.push(`${where}: no element id="${id}" in ${relative(SITE, file)}`);
  }
  assert.deepEqual(bad, [], `broken search results:\n${bad.join('\n')}`);
  const index = list.findIndex((r) => r.visible && new URL(r.href).hash.startsWith('#item-'));
  assert.ok(index >= 0, `no visible search result links to an #item-… fragment: ${JSON.stringify(list.slice(0, 5))}`);
  const chosen = list[index];
  const want = new URL(chosen.href);
  await results.nth(index).click();
  await page.waitForURL((u) => u.pathname === want.pathname && u.hash === want.hash, { timeout: 8000 });
  const id = decodeURIComponent(want.hash.slice(1));
  await poll(async () => {
    const state = await page.evaluate((id) => {
      const el = document.getElementById(id);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return {
        visible: el.checkVisibility(),
        top: r.top,
        bottom: r.bottom,
        height: window.innerHeight,
        checklist: document.body.dataset.checklist,
      };
    }, id);
    assert.ok(state, `after clicking the result, ${page.url()} has no element id="${id}"`);
    assert.equal(state.checklist, chosen.checklist, 'body[data-checklist] of the page the result led to');
    assert.ok(state.visible, `#${id} exists but is not visible`);
    assert.ok(
      state.bottom > 0 && state.top < state.height,
      `#${id} is not in the viewport (top ${state.top}, bottom ${state.bottom}, viewport height ${state.height})`,
    );
  });
  return { chosen, id };
}

// ---------------------------------------------------------------------------
// tests

browserTest('a ticked item stays ticked after a reload (localStorage)', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  const body = await page.evaluate(() => ({ ...document.body.dataset }));
  assert.equal(body.release, RELEASE, 'body[data-release]');
  assert.equal(body.checklist, CHECKLIST, 'body[data-checklist]');
  assert.ok(body.site, 'body[data-site] is missing or empty');
  const rootPath = await page.evaluate(() => new URL(document.body.dataset.root, location.href).pathname);
  const key = `preflight:${body.site}:${rootPath}:${body.release}:${body.checklist}`;

  const [id] = await pickLeaves(page, 1);
  assert.deepEqual(await itemState(page, id), {
    box: true, li: true, checked: false, indeterminate: false, done: false, visible: true,
  }, `initial state of item ${id}`);
  await tickBox(page, id).check();
  await poll(async () => {
    const s = await itemState(page, id);
    assert.ok(s.checked && s.done, `after ticking, item ${id} checked / li.done: ${JSON.stringify(s)}`);
  });
  const stored = await page.evaluate((key) => localStorage.getItem(key), key);
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.ok(stored, `localStorage has nothing under "${key}"; keys: ${JSON.stringify(keys)}`);
  assert.ok(stored.includes(id), `localStorage["${key}"] does not mention ${id}: ${stored.slice(0, 300)}`);

  await page.reload({ waitUntil: 'load' });
  await poll(async () => {
    const s = await itemState(page, id);
    assert.ok(s.checked && s.done, `after reload, item ${id} checked / li.done: ${JSON.stringify(s)}`);
  });

  // And unticking is remembered too.
  await tickBox(page, id).uncheck();
  await page.reload({ waitUntil: 'load' });
  await poll(async () => {
    const s = await itemState(page, id);
    assert.ok(!s.checked && !s.done, `after unticking and reload: ${JSON.stringify(s)}`);
  });
});

browserTest('a group parent reflects its children (checked / indeterminate)', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  const group = await page.evaluate(() => {
    const isTask = (li) => !!li.querySelector(':scope > .item-line > label > input.tick');
    for (const li of document.querySelectorAll('li.item.group')) {
      const list = [...li.querySelectorAll('ul.items, ol.items')].find((l) => l.closest('li.item') === li);
      if (!list) continue;
      const kids = [...list.children].filter((c) => c.matches('li.item') && isTask(c));
      if (isTask(li) && kids.length >= 2 && kids.every((k) => !k.classList.contains('group'))) {
        return { parent: li.id.slice(5), kids: kids.map((k) => k.id.slice(5)) };
      }
    }
    return null;
  });
  assert.ok(
    group,
    'found no li.item.group (with its own checkbox) holding a nested ul.items/ol.items ' +
      'with at least 2 task li.item children',
  );
  const parent = () => itemState(page, group.parent);
  assert.deepEqual(
    { checked: (await parent()).checked, indeterminate: (await parent()).indeterminate },
    { checked: false, indeterminate: false },
    'group parent before ticking anything',
  );

  await tickBox(page, group.kids[0]).check();
  await poll(async () => {
    const s = await parent();
    assert.deepEqual(
      { checked: s.checked, indeterminate: s.indeterminate },
      { checked: false, indeterminate: true },
      `group ${group.parent} after ticking 1 of ${group.kids.length} children`,
    );
  });

  for (const kid of group.kids.slice(1)) await tickBox(page, kid).check();
  await poll(async () => {
    const s = await parent();
    assert.deepEqual(
      { checked: s.checked, indeterminate: s.indeterminate },
      { checked: true, indeterminate: false },
      `group ${group.parent} after ticking all ${group.kids.length} children`,
    );
  });

  await tickBox(page, group.kids[group.kids.length - 1]).uncheck();
  await poll(async () => {
    const s = await parent();
    assert.deepEqual(
      { checked: s.checked, indeterminate: s.indeterminate },
      { checked: false, indeterminate: true },
      `group ${group.parent} after unticking one child again`,
    );
  });

  // The indeterminate state is computed again after a reload.
  await page.reload({ waitUntil: 'load' });
  await poll(async () => {
    const s = await parent();
    assert.deepEqual(
      { checked: s.checked, indeterminate: s.indeterminate },
      { checked: false, indeterminate: true },
      `group ${group.parent} after reload with some children ticked`,
    );
  });
});

browserTest('the total and section progress update when ticking', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  const [id] = await pickLeaves(page, 1);
  const sections = await page.evaluate((id) => {
    const out = [];
    for (let s = document.getElementById(`item-${id}`).closest('section.section'); s; s = s.parentElement.closest('section.section')) {
      out.push(s.id);
    }
    return out;
  }, id);
  assert.ok(sections.length > 0, `item ${id} is not inside any section.section`);
  const inner = sections[0];
  const outer = sections[sections.length - 1];

  const total0 = await readProgress(page);
  assert.ok(total0, '#progress is missing');
  assert.match(String(total0.total), /^\d+$/, '#progress[data-total] must be an integer');
  assert.equal(total0.done, '0', '#progress[data-done] on a fresh page');
  assert.ok(Number(total0.total) > 0, '#progress[data-total] should be > 0');
  const inner0 = await readProgress(page, inner);
  const outer0 = await readProgress(page, outer);
  assert.ok(inner0, `section #${inner} has no .section-progress of its own`);
  assert.ok(outer0, `section #${outer} has no .section-progress of its own`);

  await tickBox(page, id).check();
  await poll(async () => {
    const total1 = await readProgress(page);
    assert.equal(Number(total1.done), Number(total0.done) + 1, `#progress[data-done] after ticking ${id}`);
    assert.equal(total1.total, total0.total, '#progress[data-total] must not change');
    assert.notEqual(total1.text, total0.text, '#progress text did not change');
    assert.match(total1.text, new RegExp(`\\b${total1.done}\\b`), '#progress text should show the done count');
    assert.match(total1.text, new RegExp(`\\b${total1.total}\\b`), '#progress text should show the total');
    const inner1 = await readProgress(page, inner);
    assert.equal(Number(inner1.done), Number(inner0.done) + 1, `#${inner} .section-progress[data-done]`);
    const outer1 = await readProgress(page, outer);
    assert.equal(
      Number(outer1.done),
      Number(outer0.done) + 1,
      `#${outer} .section-progress[data-done] (counts tasks of its sub-sections too)`,
    );
  });
});

browserTest('search finds "rollback" in several checklists and a result leads to its item', async ({ open }) => {
  const page = await open(ROOT_PAGE);
  await searchAndFollow(page, 'rollback');
});

browserTest('the / key focuses the search box unless typing in an input', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  await page.evaluate(() => document.activeElement?.blur());
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'search-input');
  await page.keyboard.press('/');
  await poll(async () => {
    const active = await page.evaluate(() => ({
      id: document.activeElement?.id,
      value: document.getElementById('search-input')?.value,
    }));
    assert.deepEqual(active, { id: 'search-input', value: '' }, 'after pressing / the search box is focused and empty');
  });

  const operator = page.locator('#operator');
  await operator.focus();
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'operator', '/ in #operator must not move focus');
  assert.equal(await operator.inputValue(), '/', '/ typed in #operator must be typed');
});

// Regressions: Enter pressed before the typed query was searched did nothing; Escape from a
// result closed the panel and reopened it; a one-letter query showed nothing at all; sign-off
// fields and prose were not searchable.
browserTest('search: fast Enter, Escape from a result, short queries, fields', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  const input = page.locator('#search-input');
  const panel = page.locator('#search-results');
  await input.fill('a');
  await poll(async () => assert.match(await panel.innerText(), /two letters/));
  await input.fill('');
  await input.pressSequentially('deployed by', { delay: 5 });
  await poll(async () => {
    const kinds = await page.locator('#search-results .search-result-kind').allInnerTexts();
    assert.ok(kinds.some((k) => /text/i.test(k)), `no text result for "deployed by": ${kinds}`);
  });
  await input.press('ArrowDown');
  await page.keyboard.press('Escape');
  await poll(async () => {
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
    assert.equal(await panel.isHidden(), true, 'Escape from a result leaves the results open');
  });
  await input.fill('');
  await input.type('rollback');
  await input.press('Enter');
  await page.waitForURL((u) => u.hash.length > 1, { timeout: 8000 });
});

// Regressions: a version or address (`v0.9.0`) found everything with a `v0` in it, and a code
// result showed its block's first line, not the line that matched.
browserTest('search finds a value of parts whole, and shows the code line that has it', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  const input = page.locator('#search-input');
  await input.pressSequentially('v0.9.0', { delay: 5 });
  await poll(async () => {
    const texts = await page.locator('#search-results .search-result-text').allInnerTexts();
    assert.ok(texts.length > 0, 'no results for v0.9.0');
    assert.ok(texts.every((t) => t.includes('v0.9.0')), `results without v0.9.0: ${JSON.stringify(texts)}`);
  });
  const marks = await page.locator('#search-results mark').allInnerTexts();
  assert.ok(marks.includes('v0.9.0'), `v0.9.0 is not highlighted: ${marks}`);
});

// Regression: the choices of an outcome (`⬜ Success / ⬜ Rolled Back / ⬜ Partial`) could all
// be ticked at once.
browserTest('an outcome takes one answer, and keeps it after a reload', async ({ open }) => {
  const page = await open(`${RELEASE}/invoice-discounting-platform/index.html`);
  const group = page.locator('.choices[data-exclusive]').first();
  const box = (name) => group.locator('label.choice', { hasText: name }).locator('input');
  await box('Success').check();
  await box('Rolled Back').check();
  const states = async () => Promise.all(['Success', 'Rolled Back', 'Partial'].map((n) => box(n).isChecked()));
  assert.deepEqual(await states(), [false, true, false]);
  await page.reload({ waitUntil: 'load' });
  await poll(async () => assert.deepEqual(await states(), [false, true, false]));
  await box('Rolled Back').uncheck();
  assert.deepEqual(await states(), [false, false, false], 'an answer can be taken back');
});

// Regression: the blank cells of a sign-off table (Name, Date, Signature) could not be filled
// in on the page.
browserTest('the blanks of a sign-off table are filled in and kept', async ({ open }) => {
  const page = await open(`${RELEASE}/heypeter-academy-lms/index.html`);
  const cell = page.locator('table.kind-sign-off input.cell-input').first();
  const label = await cell.getAttribute('aria-label');
  assert.match(label, /^Name, /, 'the input names its column and its row');
  await cell.fill('Dana');
  await page.reload({ waitUntil: 'load' });
  await poll(async () => assert.equal(await page.locator('table.kind-sign-off input.cell-input').first().inputValue(), 'Dana'));
});

// Regression: on a phone the run bar scrolled away and nothing showed the progress.
browserTest('on a phone the progress stays in view when the run bar scrolls away', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE, { viewport: PHONE });
  const mini = page.locator('.mini-progress');
  assert.equal(await mini.isVisible(), false, 'shown while the run bar is in view');
  await pickLeaves(page, 1).then(([id]) => tickBox(page, id).check());
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
  await poll(async () => {
    assert.equal(await mini.isVisible(), true, 'no progress once the run bar is out of view');
    assert.match(await mini.innerText(), /^1 of \d+ done$/);
  });
});

// Regression: when the browser could not save (storage full or turned off), ticks were lost on
// reload without a word.
browserTest('a browser that cannot save the run says so', async ({ open }) => {
  const page = await open(ROOT_PAGE);
  await page.context().addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
  });
  await page.goto(new URL(CHECKLIST_PAGE, page.url()).href);
  const warning = page.locator('#pf_run-warning');
  await poll(async () => {
    assert.equal(await warning.isVisible(), true, 'no warning that the run is not saved');
    assert.match(await warning.innerText(), /not saving this run/);
  });
});

browserTest('the site works from file://: navigation, ticking, search', async ({ open }) => {
  const page = await open(pathToFileURL(join(SITE, 'index.html')).href);
  const dashboard = pathToFileURL(join(SITE, RELEASE, 'index.html')).href;
  const releases = await page.locator('a.release-link').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(releases.includes(dashboard), `root index has no a.release-link to ${dashboard}: ${JSON.stringify(releases)}`);
  await page.locator('a.release-link').nth(releases.indexOf(dashboard)).click();
  await page.waitForURL((u) => u.href === dashboard);

  const links = await page.locator('#checklists a.checklist-link').evaluateAll((as) => as.map((a) => a.href));
  const want = CHECKLISTS.map((c) => pathToFileURL(join(SITE, RELEASE, c, 'index.html')).href);
  assert.deepEqual([...links].sort(), [...want].sort(), 'links of #checklists a.checklist-link on the dashboard');
  const target = pathToFileURL(join(SITE, CHECKLIST_PAGE)).href;
  await page.locator('#checklists a.checklist-link').nth(links.indexOf(target)).click();
  await page.waitForURL((u) => u.href === target);

  const [id] = await pickLeaves(page, 1);
  await tickBox(page, id).check();
  await page.reload({ waitUntil: 'load' });
  await poll(async () => {
    const s = await itemState(page, id);
    assert.ok(s.checked && s.done, `file://: after reload, item ${id}: ${JSON.stringify(s)}`);
  });

  await searchAndFollow(page, 'rollback');
  assert.ok(page.url().startsWith('file:'), `search left file://: ${page.url()}`);
});

// Regression: two books of the same title on one host (two folders opened from disk, two
// project sites) shared their runs, as the storage key did not name the site's root.
test('two copies of a site keep their runs apart; a run under the old key is kept', async () => {
  const copies = mkdtempSync(join(tmpdir(), 'preflight-copies-'));
  const context = await browser.newContext();
  try {
    for (const name of ['a', 'b']) cpSync(SITE, join(copies, name), { recursive: true });
    const url = (name) => pathToFileURL(join(copies, name, CHECKLIST_PAGE)).href;
    const page = await context.newPage();
    await page.goto(url('a'));
    const [id] = await pickLeaves(page, 1);
    await tickBox(page, id).check();
    await poll(async () => assert.ok((await itemState(page, id)).checked));
    await page.goto(url('b'));
    assert.equal((await itemState(page, id)).checked, false, 'a tick of copy a shows in copy b');
    // A run saved under the key without the root is read, then moved to the new key.
    const legacy = await page.evaluate((id) => {
      const b = document.body.dataset;
      const key = `preflight:${b.site}:${b.release}:${b.checklist}`;
      localStorage.setItem(key, JSON.stringify({ operator: 'Dana', items: { [id]: { checked: true } }, fields: {} }));
      return key;
    }, id);
    await page.reload({ waitUntil: 'load' });
    await poll(async () => assert.equal(await page.locator('#operator').inputValue(), 'Dana'));
    await tickBox(page, id).uncheck();
    await poll(async () => assert.equal(await page.evaluate((k) => localStorage.getItem(k), legacy), null));
  } finally {
    await context.close();
    rmSync(copies, { recursive: true, force: true });
  }
});

browserTest('keyboard only: Tab to a checkbox and Space ticks it', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  let focused = null;
  const seen = [];
  for (let i = 0; i < 400 && !focused; i++) {
    await page.keyboard.press('Tab');
    const active = await page.evaluate(() => {
      const el = document.activeElement;
      return {
        tick: el?.matches('input.tick[type=checkbox]') ? el.closest('li.item').id : null,
        desc: el ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` : 'none',
      };
    });
    seen.push(active.desc);
    focused = active.tick;
  }
  assert.ok(focused, `no input.tick reached with Tab; focus went through: ${seen.slice(0, 40).join(' → ')}`);
  const id = focused.replace(/^item-/, '');
  assert.equal((await itemState(page, id)).checked, false, `${focused} should start unticked`);
  await page.keyboard.press('Space');
  await poll(async () => {
    const s = await itemState(page, id);
    assert.ok(s.checked && s.done, `after Space on ${focused}: ${JSON.stringify(s)}`);
  });
});

browserTest('export a run, reset, import it back', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.accept();
  });
  const operator = 'Ada Lovelace';
  await page.locator('#operator').fill(operator);
  await page.locator('#operator').press('Tab');
  const ids = await pickLeaves(page, 2);
  for (const id of ids) await tickBox(page, id).check();

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-run').click()]);
  const dir = mkdtempSync(join(tmpdir(), 'preflight-run-'));
  try {
    const name = download.suggestedFilename() || 'run.json';
    assert.match(name, /\.json$/i, 'suggested file name of the export');
    const file = join(dir, basename(name));
    copyFileSync(await download.path(), file);
    const text = readFileSync(file, 'utf8');
    let run;
    assert.doesNotThrow(() => (run = JSON.parse(text)), `the export is not JSON: ${text.slice(0, 200)}`);
    const site = await page.evaluate(() => document.body.dataset.site);
    assert.equal(run.format, 'preflight-run', 'format');
    assert.equal(run.version, 1, 'version');
    assert.equal(run.site, site, 'site');
    assert.equal(run.release, RELEASE, 'release');
    assert.equal(run.checklist, CHECKLIST, 'checklist');
    assert.equal(run.operator, operator, 'operator');
    assert.ok(!Number.isNaN(Date.parse(run.exported_at)), `exported_at is not a date: ${run.exported_at}`);
    assert.ok(Array.isArray(run.items), 'items must be an array');
    assert.deepEqual(run.items.map((i) => i.id).sort(), [...ids].sort(), 'ids of the exported items');
    for (const item of run.items) {
      assert.equal(typeof item.text, 'string', `items[${item.id}].text`);
      assert.ok(item.text.length > 0, `items[${item.id}].text is empty`);
      assert.ok(
        typeof item.ticked_at === 'string' && !Number.isNaN(Date.parse(item.ticked_at)),
        `items[${item.id}].ticked_at is not a date: ${item.ticked_at}`,
      );
    }

    await page.locator('#reset-run').click();
    await poll(async () => {
      const left = await page.evaluate(() => ({
        ticked: [...document.querySelectorAll('input.tick')].filter((b) => b.checked).map((b) => b.id),
        done: document.querySelectorAll('li.item.done').length,
        progress: document.getElementById('progress')?.getAttribute('data-done'),
      }));
      assert.deepEqual(left, { ticked: [], done: 0, progress: '0' }, 'after #reset-run');
    });
    assert.equal(dialogs.length >= 1 && dialogs[0].startsWith('confirm'), true, `#reset-run should ask window.confirm; dialogs: ${JSON.stringify(dialogs)}`);
    await page.reload({ waitUntil: 'load' });
    for (const id of ids) assert.equal((await itemState(page, id)).checked, false, `${id} ticked again after reset + reload`);

    await page.locator('#import-run').setInputFiles(file);
    await poll(async () => {
      for (const id of ids) {
        const s = await itemState(page, id);
        assert.ok(s.checked && s.done, `after import, item ${id}: ${JSON.stringify(s)}`);
      }
      const done = await page.evaluate(() => document.getElementById('progress').getAttribute('data-done'));
      assert.equal(done, String(ids.length), '#progress[data-done] after import');
    });
    await page.reload({ waitUntil: 'load' });
    for (const id of ids) assert.equal((await itemState(page, id)).checked, true, `${id} after import + reload`);

    // Regression: a run from an older release lost the ticks of items whose section was
    // renamed since (another id, the same text), and did not say which ticks it dropped.
    const moved = {
      ...run,
      items: [
        { ...run.items[0], id: `renamed-section.${run.items[0].id}` },
        { id: 'gone.no-such-step', text: 'No such step', ticked_at: run.items[0].ticked_at },
      ],
    };
    const file2 = join(dir, 'moved.json');
    writeFileSync(file2, JSON.stringify(moved));
    await page.locator('#import-run').setInputFiles(file2);
    await poll(async () => {
      assert.equal((await itemState(page, run.items[0].id)).checked, true, 'the moved item is ticked by its text');
      const said = await page.locator('.runbar').innerText();
      assert.match(said, /1 ticked; not on this page: “No such step”/);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

browserTest('hide done hides ticked items; the phase filter hides other phases', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  const [a, b] = await pickLeaves(page, 2);
  await tickBox(page, a).check();
  await page.locator('#hide-done').check();
  await poll(async () => {
    assert.equal((await itemState(page, a)).visible, false, `ticked item ${a} still visible with #hide-done on`);
    assert.equal((await itemState(page, b)).visible, true, `unticked item ${b} hidden with #hide-done on`);
  });
  await page.locator('#hide-done').uncheck();
  await poll(async () => {
    assert.equal((await itemState(page, a)).visible, true, `ticked item ${a} still hidden with #hide-done off`);
  });

  const info = await page.evaluate(() => ({
    options: [...document.querySelectorAll('#phase-filter option')].map((o) => o.value),
    phases: [...new Set([...document.querySelectorAll('section.section')].map((s) => s.dataset.phase))],
  }));
  assert.ok(info.options.includes(''), `#phase-filter has no option value="" (all phases): ${JSON.stringify(info.options)}`);
  const usable = info.options.filter((o) => o && info.phases.includes(o));
  assert.ok(
    usable.length >= 2,
    `need 2 phases that are both #phase-filter options and section[data-phase]: options ${JSON.stringify(info.options)}, sections ${JSON.stringify(info.phases)}`,
  );
  const phase = usable.includes('rollback') ? 'rollback' : usable[0];
  await page.locator('#phase-filter').selectOption(phase);
  await poll(async () => {
    const vis = await page.evaluate((phase) => {
      const all = [...document.querySelectorAll('section.section')];
      return {
        othersVisible: all.filter((s) => s.dataset.phase !== phase && s.checkVisibility()).map((s) => s.id),
        chosenVisible: all.filter((s) => s.dataset.phase === phase && s.checkVisibility()).length,
      };
    }, phase);
    assert.deepEqual(vis.othersVisible, [], `sections of other phases still visible with phase "${phase}"`);
    assert.ok(vis.chosenVisible > 0, `no section of phase "${phase}" visible with that phase chosen`);
  });
  await page.locator('#phase-filter').selectOption('');
  await poll(async () => {
    const hidden = await page.evaluate(() =>
      [...document.querySelectorAll('section.section')].filter((s) => !s.checkVisibility()).map((s) => s.id),
    );
    assert.deepEqual(hidden, [], 'sections hidden with all phases chosen');
  });
});

// Regression: a jump to a section or item put its heading under the sticky run bar.
browserTest('a jump to a section or item lands below the sticky bars', async ({ open }) => {
  const page = await open(CHECKLIST_PAGE);
  const below = (id) => page.evaluate((id) => {
    const bar = document.querySelector('.runbar').getBoundingClientRect();
    const target = document.getElementById(id).getBoundingClientRect();
    return { top: Math.round(target.top), bar: Math.round(bar.bottom) };
  }, id);
  const ids = await page.evaluate(() => {
    const sections = [...document.querySelectorAll('section.section')].map((s) => s.id);
    const items = [...document.querySelectorAll('li.item')].map((li) => li.id);
    return [sections[sections.length - 2], items[Math.floor(items.length / 2)]];
  });
  for (const id of ids) {
    // Followed as a link on the page, and opened from another page.
    await page.evaluate((id) => { location.hash = id; }, id);
    await poll(async () => {
      const at = await below(id);
      assert.ok(at.top >= at.bar, `#${id} at ${at.top}px is under the run bar (bottom ${at.bar}px)`);
    });
    const fresh = await open(`${CHECKLIST_PAGE}#${id}`);
    await poll(async () => {
      const at = await fresh.evaluate((id) => ({
        top: Math.round(document.getElementById(id).getBoundingClientRect().top),
        bar: Math.round(document.querySelector('.runbar').getBoundingClientRect().bottom),
      }), id);
      assert.ok(at.top >= at.bar, `opened at #${id}: ${at.top}px is under the run bar (bottom ${at.bar}px)`);
    });
  }
});

browserTest('axe-core: no violations on every page type, light and dark', async ({ open }) => {
  const pages = [
    ['root index', ROOT_PAGE],
    ['release dashboard', DASHBOARD_PAGE],
    ['checklist page', CHECKLIST_PAGE],
    ['404 page', NOT_FOUND_PAGE],
    ['checklist page with search results open', CHECKLIST_PAGE, true],
    ['print page of a checklist', PRINT_PAGE],
    ['print pack of the release', `${RELEASE}/print/index.html`],
  ];
  const report = [];
  for (const colorScheme of ['light', 'dark']) {
    for (const [label, path, withSearch] of pages) {
      const page = await open(path, { colorScheme });
      if (withSearch) {
        await page.locator('#search-input').pressSequentially('rollback');
        await page.locator('#search-results a.search-result').first().waitFor({ state: 'visible' });
      }
      await page.evaluate(() => document.fonts.ready);
      const violations = await runAxe(page);
      if (violations.length) report.push(`${label} (${path}), ${colorScheme}:\n${formatViolations(violations)}`);
    }
  }
  assert.equal(report.length, 0, `axe-core violations:\n${report.join('\n')}`);
});

// Regression: served at a missing address deeper than the root, the 404 page loaded its
// stylesheet and its links relative to that address, so it came unstyled and its link to the
// releases led to another 404.
test('404 page at a deep missing address is styled and links to the root', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(`${server.url}${RELEASE}/no-such-checklist/deeper/page.html`);
    assert.equal(response.status(), 404);
    const seen = await page.evaluate(() => ({
      links: [...document.querySelectorAll('a.root-link')].map((a) => a.href),
      styled: document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 10,
    }));
    assert.deepEqual(seen.links, [`${server.url}index.html`]);
    assert.ok(seen.styled, 'the 404 page has no styles');
    // Regression: the page was a dead end; an address in a release links to that release.
    const release = await page.evaluate(() => {
      const a = document.querySelector('a.release-link');
      return { href: a.href, shown: !a.closest('li').hidden };
    });
    assert.deepEqual(release, { href: `${server.url}${RELEASE}/index.html`, shown: true });
    // Regression: with no release in the address (`/nope/x`, a mistyped release), the link
    // was relative to the missing folder and led to another 404.
    for (const missing of ['nope/x', 'v9/deploy/']) {
      const again = await page.goto(`${server.url}${missing}`);
      assert.equal(again.status(), 404);
      await poll(async () => {
        const links = await page.evaluate(() => [...document.querySelectorAll('a.root-link')].map((a) => a.href));
        assert.deepEqual(links, [`${server.url}index.html`], missing);
      });
    }
  } finally {
    await context.close();
  }
});

test('link crawl: every relative href/src resolves to a file and fragment', () => {
  assert.ok(htmlFiles(SITE).length > 0, 'no .html files in the site');
  const { checked, broken } = crawlLinks(SITE);
  assert.ok(checked > 0, 'found no relative links at all');
  assert.equal(broken.length, 0, `${broken.length} broken link(s) of ${checked}:\n${broken.join('\n')}`);
});

browserTest('screenshots', async ({ open }) => {
  mkdirSync(SHOTS, { recursive: true });
  const shots = [];
  const shoot = async (page, name) => {
    const path = join(SHOTS, name);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path, fullPage: false });
    shots.push(path);
  };
  for (const colorScheme of ['light', 'dark']) {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await open(CHECKLIST_PAGE, { colorScheme, viewport });
      await shoot(page, `checklist-${size}-${colorScheme}.png`);
    }
  }
  const search = await open(CHECKLIST_PAGE);
  await search.locator('#search-input').pressSequentially('rollback');
  await search.locator('#search-results a.search-result').first().waitFor({ state: 'visible' });
  await shoot(search, 'search-desktop-light.png');
  const dashboard = await open(DASHBOARD_PAGE);
  await shoot(dashboard, 'dashboard-desktop-light.png');
  const print = await open(PRINT_PAGE);
  await print.emulateMedia({ media: 'print' });
  await shoot(print, 'print-page.png');
  const pdf = await print.pdf({ preferCSSPageSize: true });
  assert.ok(pdf.subarray(0, 5).toString() === '%PDF-', 'the print page does not print to PDF');
  for (const path of shots) {
    const head = readFileSync(path).subarray(0, 8);
    assert.ok(head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${path} is not a PNG`);
  }
});

browserTest('phone width: no page scrolls sideways', async ({ open }) => {
  const report = [];
  for (const path of [ROOT_PAGE, DASHBOARD_PAGE, CHECKLIST_PAGE, NOT_FOUND_PAGE, PRINT_PAGE]) {
    const page = await open(path, { viewport: PHONE });
    const res = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        const parent = el.parentElement.getBoundingClientRect();
        if (r.right > width + 1 && parent.right <= width + 1 && el.checkVisibility()) {
          wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right ${Math.round(r.right)})`);
        }
      }
      return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 6) };
    });
    if (res.scrollWidth > res.width + 1) {
      report.push(`${path}: scrollWidth ${res.scrollWidth} > ${res.width}; widest: ${res.wide.join(', ')}`);
    }
  }
  assert.equal(report.length, 0, `pages wider than a ${PHONE.width}px phone:\n${report.join('\n')}`);
});
