// Lighthouse on a built site served on 127.0.0.1: the four category scores of each page,
// and every audit that did not pass, so that cheap fixes show themselves.
//
//   node run.mjs --bin NIEMYET --root SITE [--report-dir DIR] PATH...   (PATH: /, /thu-tuc/x/ …)
//
// The site in SITE is built into a temporary folder with --base-url set to the test
// server's address (so its canonical links are its own), served by
// tests/browser/lib/server.mjs (gzip, under /tthc/, like the browser tests); chromium is Debian's (CHROME_PATH, default /usr/bin/chromium) with the flags of
// tests/browser/lib/chromium.mjs. Lighthouse's defaults otherwise: a mobile phone, with
// simulated slow 4G and a 4× slower processor.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const { serveSite } = await import(path.join(REPO, 'tests/browser/lib/server.mjs'));
const { CHROMIUM_ARGS } = await import(path.join(REPO, 'tests/browser/lib/chromium.mjs'));

const { values, positionals } = parseArgs({
  options: { bin: { type: 'string' }, root: { type: 'string' }, 'report-dir': { type: 'string' } },
  allowPositionals: true,
});
if (!values.bin || !values.root || !positionals.length) {
  console.error('usage: node run.mjs --bin NIEMYET --root SITE [--report-dir DIR] PATH...');
  process.exit(2);
}

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'niemyet-lighthouse-'));
const out = path.join(tmp, 'site');
const server = await serveSite(out, { prefix: '/tthc/' });
execFileSync(values.bin, ['build', '--root', values.root, '--output', out, '--base-url', server.url('/')], { stdio: ['ignore', 'ignore', 'inherit'] });
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  // chrome-launcher adds its own defaults (no first run, no default-browser check…).
  chromeFlags: CHROMIUM_ARGS,
  logLevel: 'error',
});
const rows = [];
let failed = false;
try {
  for (const p of positionals) {
    const url = server.url(p);
    const result = await lighthouse(url, {
      port: chrome.port,
      logLevel: 'error',
      output: ['json', 'html'],
      onlyCategories: CATEGORIES,
    });
    const lhr = result.lhr;
    if (lhr.runtimeError) {
      console.error(`${p}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      failed = true;
    }
    const scores = CATEGORIES.map((c) => Math.round((lhr.categories[c]?.score ?? 0) * 100));
    rows.push({ path: p, scores });
    console.log(`\n${p}  ${CATEGORIES.map((c, i) => `${c} ${scores[i]}`).join('  ')}`);
    const m = (id) => lhr.audits[id]?.displayValue;
    console.log(`  FCP ${m('first-contentful-paint')}, LCP ${m('largest-contentful-paint')}, TBT ${m('total-blocking-time')}, ` +
      `CLS ${m('cumulative-layout-shift')}, transfer ${m('total-byte-weight') ?? '?'}`);
    // Audits that count and did not pass (score below 1), by category.
    for (const c of CATEGORIES) {
      const refs = lhr.categories[c]?.auditRefs ?? [];
      for (const ref of refs) {
        const a = lhr.audits[ref.id];
        if (!a || a.score === null || a.score >= 1 || a.scoreDisplayMode === 'informative' || a.scoreDisplayMode === 'notApplicable') continue;
        console.log(`  [${c}] ${a.id} (${Math.round(a.score * 100)}; weight ${ref.weight}): ${a.title}${a.displayValue ? ` — ${a.displayValue}` : ''}`);
      }
    }
    if (values['report-dir']) {
      fs.mkdirSync(values['report-dir'], { recursive: true });
      const base = path.join(values['report-dir'], p.replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'home');
      fs.writeFileSync(`${base}.report.json`, result.report[0]);
      fs.writeFileSync(`${base}.report.html`, result.report[1]);
    }
  }
} finally {
  await chrome.kill();
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

console.log(`\n| page | ${CATEGORIES.join(' | ')} |\n|---|${CATEGORIES.map(() => '---:').join('|')}|`);
for (const r of rows) console.log(`| ${r.path} | ${r.scores.join(' | ')} |`);
if (values['report-dir']) console.log(`\nreports: ${values['report-dir']}`);
process.exit(failed ? 1 : 0);
