// Helpers for the real-browser tests of a site built by preflight: the site and
// screenshot folders, launching Chromium, a small static HTTP server, axe-core
// and an HTML scanner for the link crawl.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

/** Absolute path of the built site (env PREFLIGHT_SITE). */
export function siteDir() {
  const dir = process.env.PREFLIGHT_SITE;
  if (!dir) throw new Error('set PREFLIGHT_SITE to the folder of the built site');
  const abs = resolve(dir);
  if (!existsSync(join(abs, 'index.html'))) {
    throw new Error(`PREFLIGHT_SITE=${abs} holds no index.html`);
  }
  return abs;
}

/** Absolute path of the screenshot folder (env PREFLIGHT_SHOTS, default SITE/../screenshots). */
export function shotsDir() {
  return resolve(process.env.PREFLIGHT_SHOTS || join(siteDir(), '..', 'screenshots'));
}

/** Launches the system Chromium (env CHROMIUM overrides the path). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDir(path) {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Serves `root` on 127.0.0.1 at an ephemeral port. `/dir/` is served as
 * `/dir/index.html`, `/dir` (a folder) redirects to `/dir/`, anything missing
 * gets /404.html with status 404. Resolves to { url, close() }.
 */
export async function startServer(root) {
  const rootAbs = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const url = new URL(req.url, 'http://127.0.0.1');
      let rel;
      try {
        rel = decodeURIComponent(url.pathname);
      } catch {
        rel = null;
      }
      let path = rel === null || rel.includes('\0') ? null : resolve(rootAbs, '.' + rel);
      if (path !== null && path !== rootAbs && !path.startsWith(rootAbs + sep)) path = null;
      if (path !== null && rel.endsWith('/')) path = join(path, 'index.html');
      else if (path !== null && (await isDir(path))) {
        res.writeHead(301, { Location: url.pathname + '/' + url.search }).end();
        return;
      }
      let status = 200;
      if (path === null || !(await isFile(path))) {
        status = 404;
        path = join(rootAbs, '404.html');
        if (!(await isFile(path))) {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found (and no 404.html)');
          return;
        }
      }
      const body = await readFile(path);
      res.writeHead(status, {
        'Content-Type': TYPES[extname(path).toLowerCase()] || 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(err));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

const AXE_PATH = join(here, 'node_modules', 'axe-core', 'axe.min.js');

/** Runs axe-core (WCAG 2 A/AA + best practices) on the page; returns the violations. */
export async function runAxe(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))),
        summary: n.failureSummary,
      })),
    }));
  });
}

/**
 * Formats axe violations readably: id, impact, help and URL, then the nodes grouped
 * by their failure message, each with its count and a few target selectors.
 */
export function formatViolations(violations, maxGroups = 6, maxTargets = 3) {
  return violations
    .map((v) => {
      const lines = [`  [${v.id}] (${v.impact}) ${v.help} — ${v.helpUrl}`];
      const groups = new Map();
      for (const n of v.nodes) {
        const why = (n.summary || '').split('\n').slice(1).map((s) => s.trim()).filter(Boolean).join(' / ');
        if (!groups.has(why)) groups.set(why, []);
        groups.get(why).push(n.target.join(' '));
      }
      for (const [why, targets] of [...groups].slice(0, maxGroups)) {
        lines.push(`      ${targets.length} × ${why || '(no summary)'}`);
        for (const t of targets.slice(0, maxTargets)) lines.push(`          ${t}`);
        if (targets.length > maxTargets) lines.push(`          … and ${targets.length - maxTargets} more`);
      }
      if (groups.size > maxGroups) lines.push(`      … and ${groups.size - maxGroups} more kinds of failure`);
      return lines.join('\n');
    })
    .join('\n');
}

/** Every .html file under `dir`, as absolute paths (sorted). */
export function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.html')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references that can occur in attribute values. */
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (m, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      try {
        return String.fromCodePoint(code);
      } catch {
        return m;
      }
    }
    const named = NAMED[ref.toLowerCase()];
    return named === undefined ? m : named;
  });
}

const TAG_RE =
  /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR_RE = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * A small tag scanner: yields { tag, attrs } for every start tag in `html`, with
 * attribute names lowercased and values entity-decoded. Comments are skipped,
 * and so are the contents of <script>, <style>, <textarea> and <title> (raw text).
 */
export function* scanTags(html) {
  const cleaned = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<(script|style|textarea|title)\b[^>]*>)[\s\S]*?(<\/\2\s*>)/gi, '$1$3');
  for (const m of cleaned.matchAll(TAG_RE)) {
    const attrs = new Map();
    for (const a of m[2].matchAll(ATTR_RE)) {
      const name = a[1].toLowerCase();
      if (attrs.has(name)) continue; // the first occurrence wins, as in browsers
      const raw = a[2] ?? a[3] ?? a[4] ?? '';
      attrs.set(name, decodeEntities(raw));
    }
    yield { tag: m[1].toLowerCase(), attrs };
  }
}

/** The set of element ids in an HTML document. */
export function idsOf(html) {
  const ids = new Set();
  for (const { attrs } of scanTags(html)) if (attrs.has('id')) ids.add(attrs.get('id'));
  return ids;
}

const ids_cache = new Map();
/** Ids of the HTML file at `path` (cached). */
export function idsOfFile(path) {
  if (!ids_cache.has(path)) ids_cache.set(path, idsOf(readFileSync(path, 'utf8')));
  return ids_cache.get(path);
}

/** True if `path` is an existing regular file. */
export function fileExists(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Retries `fn` (which asserts) until it passes or `timeout` ms have gone; returns its value. */
export async function poll(fn, { timeout = 5000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
    }
    await new Promise((ok) => setTimeout(ok, interval));
  }
}

/** An attribute selector for an exact id (ids contain dots). */
export function byId(id) {
  return `[id="${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`;
}

/**
 * Makes `browserTest(name, body)`, which declares a test that opens pages through
 * `open(path, options)`: every call makes a fresh browser context. Uncaught page errors,
 * HTTP errors and failed requests of the pages make the test fail; the contexts are closed
 * at the end. `env()` gives `{ browser, server }` once the suite's `before` hook has run.
 */
export function browserTests(env, DESKTOP = { width: 1280, height: 900 }) {
  return function browserTest(name, body) {
    test(name, { timeout: 120_000 }, async (t) => {
      const contexts = [];
      const problems = [];
      const open = async (path, { colorScheme = 'light', viewport = DESKTOP } = {}) => {
        const context = await env().browser.newContext({
          colorScheme,
          viewport,
          reducedMotion: 'reduce',
          acceptDownloads: true,
        });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(8000);
        page.on('pageerror', (err) => problems.push(`uncaught error in ${page.url()}: ${err.message}`));
        page.on('response', (res) => {
          if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) {
            problems.push(`HTTP ${res.status()} for ${res.url()}`);
          }
        });
        page.on('requestfailed', (req) => {
          if (/^(blob|data):/.test(req.url())) return;
          // Cancelled by the browser, as when a test navigates away while the icon, fetched
          // after load, is in flight; a missing file still shows as an HTTP error above.
          if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
          problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
        });
        const url = /^(https?|file):/.test(path) ? path : env().server.url + path;
        await page.goto(url, { waitUntil: 'load' });
        return page;
      };
      try {
        await body({ t, open });
        assert.deepEqual(problems, [], `the pages reported problems:\n${problems.join('\n')}`);
      } finally {
        for (const context of contexts) await context.close();
      }
    });
  };
}

/** Why the relative URL `value` in `file` of the site in `SITE` is broken, or null if it is fine. */
export function checkLink(SITE, file, value) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return 'unexpected URL scheme';
  const hash = value.indexOf('#');
  const fragment = hash >= 0 ? value.slice(hash + 1) : null;
  const pathPart = (hash >= 0 ? value.slice(0, hash) : value).split('?')[0];
  if (pathPart.startsWith('/')) return 'root-relative URL (breaks on file:// and under a sub-path)';
  let decoded;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return 'bad percent-encoding';
  }
  let target = file;
  if (decoded !== '') {
    target = resolve(dirname(file), decoded);
    if (decoded.endsWith('/')) target = join(target, 'index.html');
  }
  if (target !== SITE && !target.startsWith(SITE + sep)) return `points outside the site (${target})`;
  if (!fileExists(target)) {
    let what = 'does not exist';
    try {
      if (statSync(target).isDirectory()) what = 'is a folder (link its index.html)';
    } catch {}
    return `target ${relative(SITE, target)} ${what}`;
  }
  if (fragment && /\.html?$/i.test(target)) {
    let id;
    try {
      id = decodeURIComponent(fragment);
    } catch {
      return 'bad percent-encoding in the fragment';
    }
    if (!idsOfFile(target).has(id) && id.toLowerCase() !== 'top') {
      return `no element id="${id}" in ${relative(SITE, target)}`;
    }
  }
  return null;
}

/**
 * Checks every relative `href` and `src` of every page of the site in `site`: each must name a
 * file of the site, and a fragment an element of that page. Returns `{ checked, broken }`.
 */
export function crawlLinks(site) {
  const broken = [];
  let checked = 0;
  for (const file of htmlFiles(site)) {
    const from = relative(site, file);
    for (const { tag, attrs } of scanTags(readFileSync(file, 'utf8'))) {
      for (const name of ['href', 'src']) {
        if (!attrs.has(name)) continue;
        const value = attrs.get(name).trim();
        if (/^(https?|mailto|tel|data|javascript):/i.test(value) || value.startsWith('//')) continue;
        checked++;
        const problem = checkLink(site, file, value);
        if (problem) broken.push(`${from}: <${tag} ${name}="${value}">: ${problem}`);
      }
    }
  }
  return { checked, broken };
}
