// Search benchmark, the browser part (run by run.sh, which builds the site and the
// Pagefind index first). See README.md beside this file.
//
//   node bench.mjs --out BUILT_SITE [--queries 500] [--specific 100] [--seed 7] [--no-pagefind]
//                  [--json results.json] [--chromium /usr/bin/chromium] [--everyday queries.json]
//
// Prints a markdown table comparing niemyet's own search with Pagefind over the same built
// site, then the first misses of each. Everything is deterministic but the timings.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { CHROMIUM_ARGS } from '../../tests/browser/lib/chromium.mjs';
import { serveSite } from '../../tests/browser/lib/server.mjs';
import { recallByKind } from '../../tests/browser/lib/everyday.mjs';

// ---------------------------------------------------------------------------------------
// Arguments

const opts = { queries: 500, distinct: 100, seed: 7, pagefind: true, json: null, chromium: '/usr/bin/chromium', out: null, everyday: null };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const next = () => process.argv[++i];
  if (a === '--out') opts.out = next();
  else if (a === '--queries') opts.queries = Number(next());
  else if (a === '--seed') opts.seed = Number(next());
  else if (a === '--specific') opts.distinct = Number(next());
  else if (a === '--no-pagefind') opts.pagefind = false;
  else if (a === '--json') opts.json = next();
  else if (a === '--chromium') opts.chromium = next();
  else if (a === '--everyday') opts.everyday = next();
  else {
    console.error(`unknown argument ${a}`);
    process.exit(2);
  }
}
if (!opts.out) {
  console.error('usage: node bench.mjs --out BUILT_SITE [--queries N] [--seed S] [--no-pagefind] [--json FILE]');
  process.exit(2);
}
const OUT = path.resolve(opts.out);
const INDEX_DIR = 'tim-kiem/chi-muc';
const log = (...a) => console.error('   ', ...a);


// ---------------------------------------------------------------------------------------
// Words, folded by the search script itself

const { words } = createRequire(import.meta.url)('../../themes/default/static/search.js');

// mulberry32: a small seeded generator, the same numbers on every machine
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------
// The procedures and the query set

function loadProcedures() {
  const file = path.join(OUT, 'du-lieu/thu-tuc.json');
  const list = JSON.parse(fs.readFileSync(file, 'utf8'));
  const procs = list.map((p) => ({ title: p.title, code: p.code, path: p.path, status: p.status }));
  procs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const p of procs) {
    p.words = words(p.title);
    p.key = ' ' + p.words.join(' ') + ' ';
  }
  return procs;
}

function buildQueries(procs, n, seed, distinct) {
  const rand = rng(seed);
  // A seeded shuffle of all the procedures: the first n are the recall set, the next
  // ones feed the "further queries".
  const order = procs.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const fragment = (p, len) => {
    const w = p.words;
    if (w.length <= len) return w.join(' ');
    const start = Math.floor(rand() * (w.length - len + 1));
    return w.slice(start, start + len).join(' ');
  };
  const recall = order.slice(0, n).map((i) => {
    const p = procs[i];
    const q = fragment(p, 4);
    const inTitles = procs.filter((o) => o.key.includes(' ' + q + ' ')).length;
    const sameTitle = new Set(procs.filter((o) => o.key === p.key).map((o) => o.path));
    return { q, expected: p.path, title: p.title, status: p.status, inTitles, sameTitle };
  });
  // Ten further queries, of the kinds a citizen types: 4-word and 2-word accent-free title
  // fragments, a title fragment being typed (the last word cut short), and a code.
  const more = order.slice(n, n + 10).map((i) => procs[i]);
  const further = [
    ...more.slice(0, 6).map((p) => fragment(p, 4)),
    ...more.slice(6, 8).map((p) => fragment(p, 2)),
    (() => {
      const f = fragment(more[8], 3).split(' ');
      f[2] = f[2].slice(0, Math.max(1, Math.ceil(f[2].length / 2)));
      return f.join(' ');
    })(),
    more[9].code,
  ];
  // The most specific 4-word fragment (found in the fewest titles; ties drawn by the
  // seed) of the first `distinct` procedures of the recall set.
  const specific = recall.slice(0, distinct).map((item) => {
    const p = procs.find((o) => o.path === item.expected);
    const w = p.words;
    let best = [];
    let bestN = Infinity;
    for (let s = 0; s + 4 <= Math.max(w.length, 4); s++) {
      const q = w.slice(s, s + 4).join(' ');
      const n = procs.filter((o) => o.key.includes(' ' + q + ' ')).length;
      if (n < bestN) (best = [q]), (bestN = n);
      else if (n === bestN) best.push(q);
    }
    const q = best[Math.floor(rand() * best.length)];
    return { ...item, q, inTitles: bestN };
  });
  return { recall, further, specific };
}

// ---------------------------------------------------------------------------------------
// Sizes and statistics

function dirSize(dir) {
  let bytes = 0, blocks = 0, files = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const st = fs.statSync(p);
        bytes += st.size;
        blocks += st.blocks * 512;
        files++;
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return { bytes, disk: blocks, files };
}

function quantile(xs, q) {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

const kB = (b) => (b == null ? 'n/a' : `${(b / 1000).toFixed(1)} kB`);
const MB = (b) => `${(b / 1e6).toFixed(1)} MB`;
const ms = (x) => (x == null ? 'n/a' : `${x.toFixed(1)} ms`);
const pct = (k, n) => (n ? `${((100 * k) / n).toFixed(1)}% (${k}/${n})` : 'n/a');

// Sums the server log: bytes and requests, optionally only those matching `pick`.
function sum(entries, pick = () => true) {
  const e = entries.filter(pick);
  return { bytes: e.reduce((a, x) => a + x.bytes, 0), requests: e.length, files: e.map((x) => x.path) };
}

// ---------------------------------------------------------------------------------------
// In the page: instrumentation of niemyet's search page (added before any script runs)

// Counts fetches in flight, and notes when each timer set while `__bench.arm` is true
// starts to run: the search debounces its input event with a setTimeout, so the time from
// the debounce timer firing to the results being in the DOM is the search's own time.
const INIT_SCRIPT = `(() => {
  const B = (window.__bench = { inflight: 0, arm: false, timers: [], errors: [] });
  const origFetch = window.fetch.bind(window);
  window.fetch = (...a) => {
    B.inflight++;
    return origFetch(...a).finally(() => B.inflight--);
  };
  const origSetTimeout = window.setTimeout.bind(window);
  window.setTimeout = (cb, delay, ...rest) => {
    if (B.arm && typeof cb === 'function') {
      const rec = { delay: Number(delay) || 0, fired: null };
      B.timers.push(rec);
      return origSetTimeout(function (...a) { rec.fired = performance.now(); return cb.apply(this, a); }, delay, ...rest);
    }
    return origSetTimeout(cb, delay, ...rest);
  };
})();`;

// Types one query the way the page's input handler sees it (value set, `input` event
// dispatched; or, with enter = true, value set and the form submitted, as pressing Enter
// does, which runs the search at once), waits until the results list has been updated and
// the page is quiet, and returns the timings and the hit links.
async function ourQuery(page, q, { quiet = 30, timeout = 15000, enter = false } = {}) {
  return page.evaluate(
    async ({ q, quiet, timeout, enter }) => {
      const B = window.__bench;
      const list = document.getElementById('search-results');
      const status = document.getElementById('search-status');
      const input = document.getElementById('search-q') || document.querySelector('input[name="q"]');
      const loading = document.getElementById('search')?.dataset.loading ?? '';
      let lastList = 0, lastStatus = 0, lastAny = 0;
      const mo = new MutationObserver((recs) => {
        const t = performance.now();
        for (const r of recs) {
          if (list.contains(r.target)) lastList = t;
          else if (status.textContent !== loading) lastStatus = t;
        }
        lastAny = t;
      });
      mo.observe(list, { childList: true, subtree: true, characterData: true });
      if (status) mo.observe(status, { childList: true, subtree: true, characterData: true });
      B.timers = [];
      B.arm = !enter;
      const t0 = performance.now();
      input.value = q;
      if (enter) input.form.requestSubmit();
      else input.dispatchEvent(new Event('input', { bubbles: true }));
      B.arm = false;
      // The debounce timer: the longest one set by the input handler.
      const deb = B.timers.reduce((a, b) => (a && a.delay >= b.delay ? a : b), null);
      const tick = () => new Promise((r) => setTimeout(r, 4));
      let timedOut = false;
      for (;;) {
        await tick();
        const now = performance.now();
        if (now - t0 > timeout) {
          timedOut = true;
          break;
        }
        if (deb && deb.fired == null) continue;
        if (B.inflight > 0) continue;
        const end = lastList || lastStatus;
        if (end && now - lastAny >= quiet) break;
        // Nothing changed on the page (an empty list stays empty): give up after a while.
        if (!end && now - (deb ? deb.fired : t0) >= 1500) break;
      }
      mo.disconnect();
      const end = lastList || lastStatus || null;
      const hits = [...list.querySelectorAll('a[href]')].map((a) => ({ path: new URL(a.href).pathname, text: a.textContent.trim() }));
      return {
        raw: end ? end - t0 : null,
        excl: end ? end - (deb && deb.fired != null ? deb.fired : t0) : null,
        debounce: deb ? deb.delay : 0,
        rendered: !!end,
        timedOut,
        hits,
        status: status ? status.textContent : '',
      };
    },
    { q, quiet, timeout, enter },
  );
}

async function pagefindQuery(page, q) {
  return page.evaluate(async (q) => {
    const pf = window.__pf;
    const t0 = performance.now();
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    const t1 = performance.now();
    return {
      excl: t1 - t0,
      raw: t1 - t0,
      total: r.results.length,
      hits: data.map((d) => ({ path: new URL(d.url, location.href).pathname, text: d.meta?.title ?? '' })),
    };
  }, q);
}

async function pagefindInit(page) {
  return page.evaluate(async () => {
    const t0 = performance.now();
    const pf = await import('/pagefind/pagefind.js');
    await pf.init();
    window.__pf = pf;
    return performance.now() - t0;
  });
}

function watchProblems(page, sink) {
  page.on('pageerror', (e) => sink.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') sink.push(`console.error: ${m.text()}`);
  });
}

// ---------------------------------------------------------------------------------------
// The static server: the browser tests' (tests/browser/lib/server.mjs) at the root of the
// origin, gzip at level 6 as an ordinary static host sends, cacheable for the length of a
// run (a file fetched once in a page is not fetched again; each measurement starts in a
// fresh browser context). Pagefind's index and WebAssembly files are gzip streams already
// and are sent as they are. Every request is logged with the phase the benchmark is in, and
// /__bench/blank.html is an empty page to load Pagefind from.

async function benchServer(root) {
  let phase = 'none';
  const site = await serveSite(root, {
    gzipLevel: 6,
    cacheControl: 'public, max-age=600',
    files: {
      '/__bench/blank.html':
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bench</title></head><body></body></html>\n',
    },
    tag: () => ({ phase }),
  });
  return {
    origin: site.origin,
    log: site.requests,
    setPhase: (p) => {
      phase = p;
    },
    close: site.close,
  };
}

// ---------------------------------------------------------------------------------------
// The runs

async function waitQuiet(server, ms = 300) {
  // until no request has reached the server for `ms`
  for (;;) {
    const last = server.log.length ? server.log[server.log.length - 1].time : 0;
    await new Promise((r) => setTimeout(r, ms));
    const now = server.log.length ? server.log[server.log.length - 1].time : 0;
    if (now === last) return;
  }
}

async function runOurs(browser, server, Q) {
  const isIndex = (e) => e.path.startsWith('/' + INDEX_DIR + '/');
  const problems = [];
  const res = {};

  // 1. Transfer: a fresh page, the first query, then the ten further queries.
  {
    const ctx = await browser.newContext();
    await ctx.addInitScript(INIT_SCRIPT);
    const page = await ctx.newPage();
    watchProblems(page, problems);
    server.setPhase('ours:page');
    const from = server.log.length;
    await page.goto(server.origin + '/tim-kiem/', { waitUntil: 'load' });
    await waitQuiet(server);
    server.setPhase('ours:first');
    const first = await ourQuery(page, Q.recall[0].q);
    await waitQuiet(server);
    const further = [];
    const perQuery = [];
    for (const q of Q.further) {
      server.setPhase('ours:further');
      const n0 = server.log.length;
      further.push(await ourQuery(page, q));
      await waitQuiet(server, 150);
      perQuery.push({ q, ...sum(server.log.slice(n0)), hits: further[further.length - 1].hits.length });
    }
    const entries = server.log.slice(from);
    const pageAssets = entries.filter((e) => e.phase === 'ours:page' && !isIndex(e));
    res.page = sum(pageAssets);
    res.pageParts = {
      html: sum(pageAssets, (e) => e.path === '/tim-kiem/'),
      css: sum(pageAssets, (e) => e.path.endsWith('.css')),
      js: sum(pageAssets, (e) => e.path.endsWith('.js')),
      other: sum(pageAssets, (e) => e.path !== '/tim-kiem/' && !e.path.endsWith('.css') && !e.path.endsWith('.js')),
    };
    res.onOpen = sum(entries, (e) => e.phase === 'ours:page' && isIndex(e));
    res.first = sum(entries, (e) => (e.phase === 'ours:page' || e.phase === 'ours:first') && isIndex(e));
    res.firstOther = sum(entries, (e) => e.phase === 'ours:first' && !isIndex(e));
    res.further = sum(entries, (e) => e.phase === 'ours:further');
    res.furtherPerQuery = perQuery;
    res.firstQuery = first;
    res.furtherTimes = further.map((r) => r.excl);
    res.furtherRaw = further.map((r) => r.raw);
    await ctx.close();
  }

  // 2. Recall and time per query: a fresh page, the whole query set one after the other.
  {
    const ctx = await browser.newContext();
    await ctx.addInitScript(INIT_SCRIPT);
    const page = await ctx.newPage();
    watchProblems(page, problems);
    server.setPhase('ours:recall');
    await page.goto(server.origin + '/tim-kiem/', { waitUntil: 'load' });
    await waitQuiet(server);
    const out = [];
    const t0 = Date.now();
    for (let i = 0; i < Q.recall.length; i++) {
      out.push(await ourQuery(page, Q.recall[i].q));
      if ((i + 1) % 100 === 0) log(`niemyet: ${i + 1}/${Q.recall.length} queries (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    res.recall = out;
    // The most specific fragments, in the same page, submitted with Enter (no debounce).
    res.specific = [];
    for (const item of Q.specific) res.specific.push(await ourQuery(page, item.q, { enter: true }));
    await ctx.close();
  }
  res.problems = problems;
  res.notFound = [...new Set(server.log.filter((e) => e.phase.startsWith('ours:') && e.status >= 400).map((e) => `${e.status} ${e.path}`))];
  return res;
}

async function runPagefind(browser, server, Q) {
  const isScript = (e) => /^\/pagefind\/(pagefind(-worker)?\.js|wasm\.[^/]*)$/.test(e.path);
  const problems = [];
  const res = {};
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    watchProblems(page, problems);
    server.setPhase('pf:page');
    const from = server.log.length;
    await page.goto(server.origin + '/__bench/blank.html', { waitUntil: 'load' });
    await waitQuiet(server);
    server.setPhase('pf:first');
    const tFirst = Date.now();
    const initMs = await pagefindInit(page);
    const first = await pagefindQuery(page, Q.recall[0].q);
    res.firstWall = Date.now() - tFirst;
    res.initMs = initMs;
    await waitQuiet(server);
    const further = [];
    const perQuery = [];
    for (const q of Q.further) {
      server.setPhase('pf:further');
      const n0 = server.log.length;
      further.push(await pagefindQuery(page, q));
      await waitQuiet(server, 150);
      perQuery.push({ q, ...sum(server.log.slice(n0)), hits: further[further.length - 1].hits.length });
    }
    const entries = server.log.slice(from);
    res.script = sum(entries, (e) => e.phase === 'pf:first' && isScript(e));
    res.first = sum(entries, (e) => e.phase === 'pf:first' && !isScript(e));
    res.firstAll = sum(entries, (e) => e.phase === 'pf:first');
    res.further = sum(entries, (e) => e.phase === 'pf:further');
    res.furtherPerQuery = perQuery;
    res.firstQuery = first;
    res.furtherTimes = further.map((r) => r.excl);
    await ctx.close();
  }
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    watchProblems(page, problems);
    server.setPhase('pf:recall');
    await page.goto(server.origin + '/__bench/blank.html', { waitUntil: 'load' });
    await pagefindInit(page);
    const out = [];
    const t0 = Date.now();
    for (let i = 0; i < Q.recall.length; i++) {
      out.push(await pagefindQuery(page, Q.recall[i].q));
      if ((i + 1) % 100 === 0) log(`pagefind: ${i + 1}/${Q.recall.length} queries (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    res.recall = out;
    res.specific = [];
    for (const item of Q.specific) res.specific.push(await pagefindQuery(page, item.q));
    await ctx.close();
  }
  res.problems = problems;
  res.notFound = [...new Set(server.log.filter((e) => e.phase.startsWith('pf:') && e.status >= 400).map((e) => `${e.status} ${e.path}`))];
  return res;
}

// ---------------------------------------------------------------------------------------
// The everyday query set (scripts/everyday/make_queries.py): each engine runs every query
// in one page; ours also runs the first plain queries each in a fresh page, for the bytes a
// first query costs.

const FRESH = 20;

async function everydayOurs(browser, server, E) {
  const problems = [];
  const ctx = await browser.newContext();
  await ctx.addInitScript(INIT_SCRIPT);
  const page = await ctx.newPage();
  watchProblems(page, problems);
  server.setPhase('ours:everyday');
  await page.goto(server.origin + '/tim-kiem/', { waitUntil: 'load' });
  const runs = [];
  for (const q of E.queries) runs.push(await ourQuery(page, q.q, { enter: true }));
  await ctx.close();
  const first = [];
  for (const q of E.queries.filter((x) => x.kind === 'plain').slice(0, FRESH)) {
    const c = await browser.newContext();
    await c.addInitScript(INIT_SCRIPT);
    const p = await c.newPage();
    watchProblems(p, problems);
    server.setPhase('ours:fresh');
    const from = server.log.length;
    await p.goto(server.origin + '/tim-kiem/', { waitUntil: 'load' });
    await ourQuery(p, q.q, { enter: true });
    await waitQuiet(server, 150);
    // Everything after the page itself: script, CSS, favicon and index.
    first.push(sum(server.log.slice(from), (e) => e.path !== '/tim-kiem/').bytes);
    await c.close();
  }
  return { runs, first, problems };
}

async function everydayPagefind(browser, server, E) {
  const problems = [];
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  watchProblems(page, problems);
  server.setPhase('pf:everyday');
  await page.goto(server.origin + '/__bench/blank.html', { waitUntil: 'load' });
  await pagefindInit(page);
  const runs = [];
  for (const q of E.queries) runs.push(await pagefindQuery(page, q.q));
  await ctx.close();
  return { runs, problems };
}

/** Per kind, from the runs of one engine: recall@10 as everyday.mjs counts it. */
function everydayScore(E, runs) {
  const code = new Map(procs.map((p) => [p.path, p.code]));
  const results = runs.map((r) => r.hits.map((h) => ({ code: code.get(h.path), text: h.text })));
  return recallByKind(E.kinds, E.queries, results);
}

// ---------------------------------------------------------------------------------------
// Scoring

function score(items, runs) {
  let strict = 0, answered = 0, sameTitle = 0, specificN = 0, specificHit = 0, specificMissAbolished = 0, noRender = 0, relevant = 0, shown = 0;
  const misses = [];
  items.forEach((item, i) => {
    const r = runs[i];
    const paths = r.hits.slice(0, 10).map((h) => h.path);
    const hit = paths.includes(item.expected);
    if (hit) strict++;
    if (paths.some((p) => item.sameTitle.has(p))) sameTitle++;
    if (item.inTitles <= 10) {
      specificN++;
      if (hit) specificHit++;
      else if (item.status === 'abolished') specificMissAbolished++;
    }
    if (r.rendered === false) noRender++;
    // Ranking quality where the expected procedure cannot be told apart: of the first
    // min(10, titles holding the fragment) hits, how many have the fragment in their title.
    const want = Math.min(10, item.inTitles);
    const holding = r.hits.slice(0, want).filter((h) => (' ' + words(h.text).join(' ') + ' ').includes(' ' + item.q + ' ')).length;
    shown += want;
    relevant += holding;
    // Answered: that procedure is in the top 10, or more than 10 titles hold the fragment
    // and all of the top 10 are among them (the query cannot tell that procedure apart).
    if (hit || (item.inTitles > 10 && holding === 10)) answered++;
    if (!hit) misses.push({ i, ...item, sameTitle: undefined, first: r.hits[0] ?? null, nhits: r.hits.length, said: r.status ?? '' });
  });
  return { n: items.length, strict, answered, sameTitle, specificN, specificHit, specificMissAbolished, noRender, relevant, shown, misses };
}

// ---------------------------------------------------------------------------------------

const loadNow = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = process.env.LOAD_BEFORE || loadNow();

const procs = loadProcedures();
const Q = buildQueries(procs, opts.queries, opts.seed, Math.min(opts.distinct, opts.queries));
const haveOurs = fs.existsSync(path.join(OUT, 'tim-kiem/index.html')) && fs.existsSync(path.join(OUT, 'assets/search.js'));
const havePagefind = opts.pagefind && fs.existsSync(path.join(OUT, 'pagefind/pagefind.js'));
log(`${procs.length} procedures; ${Q.recall.length} recall queries (seed ${opts.seed}); ` +
  `${Q.recall.filter((x) => x.inTitles > 10).length} of them occur in more than 10 titles`);
if (!haveOurs) log('no search page (tim-kiem/index.html + assets/search.js) in the built site: niemyet column skipped');
if (opts.pagefind && !havePagefind) log('no pagefind/pagefind.js in the built site: Pagefind column skipped');

const E = opts.everyday && JSON.parse(fs.readFileSync(opts.everyday, 'utf8'));
const everyday = {};
const server = await benchServer(OUT);
const browser = await chromium.launch({ executablePath: opts.chromium, args: CHROMIUM_ARGS });
let ours = null, pf = null;
try {
  if (haveOurs) {
    log('niemyet search in chromium…');
    ours = await runOurs(browser, server, Q);
  }
  if (havePagefind) {
    log('Pagefind in chromium…');
    pf = await runPagefind(browser, server, Q);
  }
  if (E && haveOurs) {
    log(`everyday queries (${E.queries.length}), niemyet…`);
    everyday.ours = await everydayOurs(browser, server, E);
  }
  if (E && havePagefind) {
    log(`everyday queries (${E.queries.length}), Pagefind…`);
    everyday.pf = await everydayPagefind(browser, server, E);
  }
} finally {
  await browser.close();
  await server.close();
}
const loadAfter = loadNow();

// ---------------------------------------------------------------------------------------
// Report

const ourIndex = dirSize(path.join(OUT, INDEX_DIR));
const pfIndex = dirSize(path.join(OUT, 'pagefind'));
const sOurs = ours && score(Q.recall, ours.recall);
const sPf = pf && score(Q.recall, pf.recall);
const tOurs = ours && score(Q.specific, ours.specific);
const tPf = pf && score(Q.specific, pf.specific);
const after1 = (runs, key = 'excl') => runs.slice(1).map((r) => r[key]);

const rows = [];
const row = (label, a, b) => rows.push(`| ${label} | ${a} | ${b} |`);
row('index on disk', ours ? `${MB(ourIndex.bytes)} in ${ourIndex.files} files (du: ${MB(ourIndex.disk)})` : 'n/a',
  pf ? `${MB(pfIndex.bytes)} in ${pfIndex.files} files (du: ${MB(pfIndex.disk)})` : 'n/a');
row('page + script + CSS (gzip)',
  ours ? `${kB(ours.page.bytes)}: page ${kB(ours.pageParts.html.bytes)}, search.js ${kB(ours.pageParts.js.bytes)}, CSS ${kB(ours.pageParts.css.bytes)}, other ${kB(ours.pageParts.other.bytes)}` : 'n/a',
  pf ? `${kB(pf.script.bytes)}: pagefind.js + its WebAssembly (on an empty page)` : 'n/a');
row('first query in a fresh page: index bytes (gzip)',
  ours ? `**${kB(ours.first.bytes)}** in ${ours.first.requests} requests (meta.json on opening: ${kB(ours.onOpen.bytes)})` : 'n/a',
  pf ? `**${kB(pf.first.bytes)}** in ${pf.first.requests} requests` : 'n/a');
row('first query: everything after the page itself',
  ours ? `${kB(ours.page.bytes - ours.pageParts.html.bytes + ours.first.bytes + ours.firstOther.bytes)} (script + CSS + index)` : 'n/a',
  pf ? `${kB(pf.firstAll.bytes)} (script + wasm + index)` : 'n/a');
row('ten further queries (gzip)', ours ? `${kB(ours.further.bytes)} in ${ours.further.requests} requests` : 'n/a',
  pf ? `${kB(pf.further.bytes)} in ${pf.further.requests} requests` : 'n/a');
if (ours) {
  const deb = ours.recall.find((r) => r.debounce)?.debounce ?? 0;
  row(`median ms per query, ${Q.recall.length - 1} queries after the first`,
    `**${ms(quantile(after1(ours.recall), 0.5))}** input → results in the DOM, debounce (${deb} ms) excluded; raw ${ms(quantile(after1(ours.recall, 'raw'), 0.5))}`,
    pf ? `**${ms(quantile(after1(pf.recall), 0.5))}** search() + data() of the top 10` : 'n/a');
  row('p90 ms per query, same', `${ms(quantile(after1(ours.recall), 0.9))} (raw ${ms(quantile(after1(ours.recall, 'raw'), 0.9))})`,
    pf ? ms(quantile(after1(pf.recall), 0.9)) : 'n/a');
  row('median ms, the ten further queries (fetching as they go)', `${ms(quantile(ours.furtherTimes, 0.5))} (raw ${ms(quantile(ours.furtherRaw, 0.5))})`,
    pf ? ms(quantile(pf.furtherTimes, 0.5)) : 'n/a');
  row('first query, ms', `${ms(ours.firstQuery.excl)} after the debounce (raw ${ms(ours.firstQuery.raw)}; meta.json already loaded on opening)`,
    pf ? `${ms(pf.firstQuery.excl)} + init ${ms(pf.initMs)}` : 'n/a');
} else if (pf) {
  row(`median ms per query, ${Q.recall.length - 1} queries after the first`, 'n/a', `**${ms(quantile(after1(pf.recall), 0.5))}** search() + data() of the top 10`);
  row('p90 ms per query, same', 'n/a', ms(quantile(after1(pf.recall), 0.9)));
  row('median ms, the ten further queries', 'n/a', ms(quantile(pf.furtherTimes, 0.5)));
  row('first query, ms', 'n/a', `${ms(pf.firstQuery.excl)} + init ${ms(pf.initMs)}`);
}
row(`recall@10, ${Q.recall.length} accent-free 4-word title fragments (that very procedure)`,
  sOurs ? `**${pct(sOurs.strict, sOurs.n)}**` : 'n/a', sPf ? `**${pct(sPf.strict, sPf.n)}**` : 'n/a');
row('recall@10 with ties: that procedure in the top 10, or, when more than 10 titles hold the fragment, all of the top 10 holding it',
  sOurs ? `**${pct(sOurs.answered, sOurs.n)}**` : 'n/a', sPf ? `**${pct(sPf.answered, sPf.n)}**` : 'n/a');
row('recall@10, a procedure with the same title counts', sOurs ? pct(sOurs.sameTitle, sOurs.n) : 'n/a', sPf ? pct(sPf.sameTitle, sPf.n) : 'n/a');
row('of the first min(10, titles holding the fragment) hits, those whose title holds the fragment',
  sOurs ? pct(sOurs.relevant, sOurs.shown) : 'n/a', sPf ? pct(sPf.relevant, sPf.shown) : 'n/a');
const spec = sOurs || sPf;
if (spec) {
  const ab = (x) => `${pct(x.specificHit, x.specificN)}; misses of abolished procedures: ${x.specificMissAbolished}`;
  row(`recall@10 on the ${spec.specificN} fragments found in at most 10 titles`, sOurs ? ab(sOurs) : 'n/a', sPf ? ab(sPf) : 'n/a');
}
if (Q.specific.length) {
  const over = Q.specific.filter((x) => x.inTitles > 10).length;
  row(`recall@10, the most specific 4-word fragment of the first ${Q.specific.length} of those titles (${over} still in more than 10 titles)`,
    tOurs ? `**${pct(tOurs.strict, tOurs.n)}** (same title counts: ${pct(tOurs.sameTitle, tOurs.n)})` : 'n/a',
    tPf ? `**${pct(tPf.strict, tPf.n)}** (same title counts: ${pct(tPf.sameTitle, tPf.n)})` : 'n/a');
  if (ours) {
    row('median / p90 ms per query of those, submitted with Enter (no debounce)', `${ms(quantile(ours.specific.map((r) => r.excl), 0.5))} / ${ms(quantile(ours.specific.map((r) => r.excl), 0.9))}`,
      pf ? `${ms(quantile(pf.specific.map((r) => r.excl), 0.5))} / ${ms(quantile(pf.specific.map((r) => r.excl), 0.9))}` : 'n/a');
  }
}
row('JavaScript errors', ours ? String(ours.problems.length) : 'n/a', pf ? String(pf.problems.length) : 'n/a');
rows.push(`| load average (1, 5, 15 min) before → after | ${loadBefore} → ${loadAfter} | |`);

console.log(`\n### Search on a generated site of ${procs.length} procedures (${Q.recall.length} queries, seed ${opts.seed})\n`);
console.log('| | niemyet | Pagefind 1.6.0 |');
console.log('|---|---|---|');
for (const r of rows) console.log(r);
console.log('\nkB = 1000 bytes; bytes are gzip bodies as sent by the benchmark\'s static server (gzip level 6; Pagefind\'s own files are already gzip and are sent as they are).');

const showMisses = (name, s, max = 10) => {
  if (!s) return;
  const list = s.misses.slice(0, max);
  const which = max === Infinity ? 'all' : `the first ${Math.min(max, list.length)}`;
  console.log(`\n#### ${name}: ${s.misses.length} misses${list.length ? ', ' + which : ''}\n`);
  if (!list.length) return;
  console.log('| # | query | expected (titles holding the fragment) | first hit | hits shown |');
  console.log('|---|---|---|---|---|');
  for (const m of list) {
    const exp = `${m.title}${m.status !== 'active' ? ` [${m.status}]` : ''} (${m.inTitles})`;
    const first = m.first ? `${m.first.text.replace(/\s+/g, ' ').slice(0, 90)} \`${m.first.path}\`` : `none (the page said: "${m.said}")`;
    console.log(`| ${m.i} | \`${m.q}\` | ${exp} | ${first} | ${m.nhits} |`);
  }
};
// Misses where at most 10 titles hold the fragment: those a perfect ranking would not have.
const hard = (s) => s && { ...s, misses: s.misses.filter((m) => m.inTitles <= 10) };
showMisses('niemyet', sOurs);
showMisses('niemyet, fragments held by at most 10 titles', hard(sOurs), Infinity);
showMisses('niemyet, most specific fragments held by at most 10 titles', hard(tOurs), Infinity);
showMisses('Pagefind', sPf);
showMisses('Pagefind, fragments held by at most 10 titles', hard(sPf));
for (const [name, r] of [['niemyet', ours], ['Pagefind', pf]]) {
  if (r?.problems.length) console.log(`\n${name} page errors:\n` + r.problems.slice(0, 10).join('\n'));
  if (r?.notFound.length) console.log(`\n${name} requests that failed:\n` + r.notFound.slice(0, 10).join('\n'));
}

if (E) {
  const o = everyday.ours && everydayScore(E, everyday.ours.runs);
  const p = everyday.pf && everydayScore(E, everyday.pf.runs);
  const cell = (t, k) => (t ? `${pct(t.get(k).found, t.get(k).n)}` : 'n/a');
  console.log(`\n### Everyday queries (scripts/everyday/make_queries.py): recall@10 per kind\n`);
  console.log('| how the query was typed | queries | niemyet | Pagefind 1.6.0 |');
  console.log('|---|---:|---:|---:|');
  for (const k of E.kinds) console.log(`| ${k} | ${E.queries.filter((q) => q.kind === k).length} | **${cell(o, k)}** | ${cell(p, k)} |`);
  if (everyday.ours) {
    const f = everyday.ours.first;
    console.log(`\nniemyet, a first query in a fresh page, ${f.length} plain queries: everything after the page (script, CSS, index) ` +
      `median ${kB(quantile(f, 0.5))}, largest ${kB(Math.max(...f))} (gzip). JavaScript errors: ${everyday.ours.problems.length}.`);
    const times = everyday.ours.runs.map((r) => r.excl).filter((x) => x != null);
    console.log(`niemyet, ms per everyday query (Enter, in one page): median ${ms(quantile(times, 0.5))}, p90 ${ms(quantile(times, 0.9))}.`);
  }
  for (const [name, t] of [['niemyet', o], ['Pagefind', p]]) {
    if (!t) continue;
    const misses = [...t].flatMap(([k, r]) => r.misses.slice(0, 5).map((m) => `| ${k} | \`${m.q}\` | ${m.title} | ${m.first.replace(/\s+/g, ' ').slice(0, 80)} |`));
    if (!misses.length) continue;
    console.log(`\n#### ${name}: everyday misses (at most 5 of each kind)\n`);
    console.log('| kind | query | wanted | first hit |');
    console.log('|---|---|---|---|');
    for (const m of misses) console.log(m);
  }
}

if (opts.json) {
  const strip = (x) => x && { ...x, recall: undefined, specific: undefined };
  const slim = (runs) => runs.map((r) => ({ ...r, hits: r.hits.map((h) => h.path) }));
  fs.writeFileSync(
    opts.json,
    JSON.stringify(
      {
        procedures: procs.length,
        seed: opts.seed,
        queries: Q.recall.map((x) => ({ ...x, sameTitle: [...x.sameTitle] })),
        specific: Q.specific.map((x) => ({ ...x, sameTitle: [...x.sameTitle] })),
        further: Q.further,
        index: { niemyet: ourIndex, pagefind: pfIndex },
        niemyet: ours && { ...strip(ours), runs: slim(ours.recall), specificRuns: slim(ours.specific), score: sOurs, specificScore: tOurs },
        pagefind: pf && { ...strip(pf), runs: slim(pf.recall), specificRuns: slim(pf.specific), score: sPf, specificScore: tPf },
        load: { before: loadBefore, after: loadAfter },
      },
      null,
      1,
    ),
  );
  log(`details in ${opts.json}`);
}
