#!/usr/bin/env node
// Benchmark of the live preview (`niemyet serve`) on a site of 10,000 procedures: how long
// the preview takes to start, and how long from saving one procedure file with a new title
// to the open page showing that title in Debian's chromium.
//
//   cargo build --release && (cd tests/browser && npm ci)
//   node scripts/bench_serve.mjs
//
// The site is copied into a temporary folder first (the source is never changed): SITE if
// set, else $BENCH_DIR/site-10000 or $BENCH_DIR/search-10000/site (the folders the other
// benchmarks generate), else a new one made with `scripts/gen_site.py 10000`.
// Each of RUNS saves (default 15) writes one procedure file with a new title, at a time
// taken just before the write, and waits, frame by frame, for the open page's h1 to show
// that title: the preview puts the page's new body in place (or reloads the page when it
// must; then the time is the new document's first paint). Reported from the write, with
// the server's own rebuild time ("Rebuilt ... in N ms"). Each save comes 300 ms after the
// page showed the previous one (or after its first load).
// Environment: SITE, BENCH_DIR (default ${TMPDIR:-/tmp}/niemyet-bench), RUNS, NIEMYET_BIN,
// CHROMIUM_PATH. Prints a markdown table on stdout, progress on stderr.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from '../tests/browser/lib/chromium.mjs';
import { startPreview } from '../tests/browser/lib/preview.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = process.env.BENCH_DIR ?? path.join(process.env.TMPDIR ?? '/tmp', 'niemyet-bench');
const RUNS = Number(process.env.RUNS ?? 15);
const BIN = process.env.NIEMYET_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target'), 'release', 'niemyet');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const N = 10000;
const PAUSE_MS = 300;

const log = (...args) => console.error('#', ...args);

function requirePlaywright() {
  try {
    return createRequire(path.join(REPO, 'tests/browser/package.json'))('playwright-core');
  } catch {
    throw new Error('playwright-core is missing: run `npm ci` in tests/browser first');
  }
}

/** The site to copy: SITE, a site the other benchmarks made, or a new one. */
function sourceSite(tmp) {
  const candidates = [process.env.SITE, path.join(BENCH_DIR, `site-${N}`), path.join(BENCH_DIR, `search-${N}`, 'site')];
  const found = candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'site.toml')));
  if (found) return found;
  const made = path.join(tmp, 'generated');
  log(`generating a site of ${N} procedures into ${made}`);
  execFileSync('python3', [path.join(REPO, 'scripts/gen_site.py'), String(N), made], { stdio: 'inherit' });
  return made;
}

/** Every procedure file under `dir`, sorted. */
function procedureFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((rel) => rel.endsWith('.md'))
    .sort()
    .map((rel) => path.join(dir, rel));
}

/** The page of a procedure file: its `slug`, or its file name. */
function pageOf(file, text) {
  const slug = text.match(/^slug = "(.*)"$/m)?.[1] ?? path.basename(file, '.md');
  return `/thu-tuc/${slug}/`;
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const ms = (x) => `${Math.round(x)} ms`;

async function main() {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} does not exist: run \`cargo build --release\` first`);
  const { chromium } = requirePlaywright();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'niemyet-bench-serve-'));
  let preview;
  let browser;
  try {
    const source = sourceSite(tmp);
    const root = path.join(tmp, 'site');
    log(`copying ${source} to ${root}`);
    fs.cpSync(path.join(source, 'site.toml'), path.join(root, 'site.toml'));
    for (const name of ['content', 'static', 'themes']) {
      const from = path.join(source, name);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(root, name), { recursive: true });
    }
    const files = procedureFiles(path.join(root, 'content', 'procedures'));
    const file = files[files.length >> 1];
    const original = fs.readFileSync(file, 'utf8');
    const page = pageOf(file, original);

    preview = await startPreview(BIN, root);
    const serverStart = Number(preview.lines[0].match(/built in (\d+) ms/)[1]);
    log(`serving ${files.length} procedure files at ${preview.origin} after ${ms(preview.startMs)}`);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const tab = await browser.newPage();
    const loadStart = performance.now();
    const response = await tab.goto(preview.url(page), { waitUntil: 'load' });
    const firstLoad = performance.now() - loadStart;
    if (response.status() !== 200) throw new Error(`${page} answered ${response.status()}`);

    const saves = [];
    const reloads = [];
    let lastOrigin = await tab.evaluate(() => performance.timeOrigin);
    const rebuilds = [];
    for (let run = 1; run <= RUNS; run++) {
      // A person does not save again within a moment (and the last rebuild's old site is freed meanwhile).
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      const title = `Thủ tục đo thời gian xem trước, lần ${run}`;
      const text = original.replace(/^title = ".*"$/m, `title = "${title}"`);
      const rebuilt = preview.waitForLine(/^Rebuilt /, 30_000);
      const written = performance.timeOrigin + performance.now();
      fs.writeFileSync(file, text);
      // Checked at each frame: the first frame whose page shows the new title. After a
      // reload (a new document) the time is its first paint; after the preview put the new
      // body in place, the frame's own time (at most one frame before it is painted).
      const shown = await tab.waitForFunction(
        (wanted) => {
          if (document.querySelector('h1')?.textContent !== wanted) return false;
          const paint = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
          return [performance.timeOrigin, paint ? paint.startTime : null, performance.now()];
        },
        title,
        { polling: 'raf', timeout: 30_000 },
      );
      const [origin, paint, now] = await shown.jsonValue();
      const reloaded = origin !== lastOrigin;
      lastOrigin = origin;
      if (reloaded) reloads.push(origin - written);
      saves.push(origin + (reloaded ? paint : now) - written);
      rebuilds.push(Number((await rebuilt).match(/in (\d+) ms/)[1]));
      log(`save ${run}: rebuilt in ${ms(rebuilds.at(-1))}, ${reloaded ? `reloaded from ${ms(reloads.at(-1))}` : 'body replaced'}, new title shown at ${ms(saves.at(-1))}`);
    }

    const rows = [
      ['the server rebuilds (its "Rebuilt ... in N ms")', stats(rebuilds)],
      [`save → the open page shows the new title (${RUNS - reloads.length} times its body was replaced, ${reloads.length} reloaded)`, stats(saves)],
    ];
    console.log(`Live preview of a site of ${files.length} procedure files (${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})\n`);
    console.log('| measurement | median | min | max |');
    console.log('|---|---|---|---|');
    console.log(`| start: process to "Serving" line | ${ms(preview.startMs)} | | |`);
    console.log(`| start: the server's own load and build | ${ms(serverStart)} | | |`);
    console.log(`| first load of a procedure page | ${ms(firstLoad)} | | |`);
    for (const [what, { median, min, max }] of rows) {
      console.log(`| ${what} (${RUNS} saves) | ${ms(median)} | ${ms(min)} | ${ms(max)} |`);
    }
  } finally {
    await browser?.close();
    await preview?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
