// The quality bar of issue 5, in a real browser, on three built sites: the demo (vi), an
// English copy of the demo, and a generated site of 300 procedures (every status, tables,
// long names) plus one procedure whose names run to 400 characters and whose table is
// wider than a phone.
//
// - accessibility: axe-core finds no violation on any page kind, at 360 and 1280 px;
// - valid HTML: the Nu HTML Checker (vnu.jar) finds no error in any page of the three
//   sites, nor in the search page as search.js leaves it after showing results;
// - without JavaScript: every page kind shows its content (a list of procedures and the
//   filter pages over all their numbered pages), and every filter page, numbered list page
//   and procedure is reached by following links from the home page;
// - layout: no sideways scrolling at 360 px (nor at 1280 px); screenshots of every page
//   kind at both widths in artifacts/screenshots/<site>/<width>/<kind>.png;
// - print: a procedure page printed to PDF holds its summary and its document checklist
//   and none of the site's navigation;
// - page weight: a procedure page with its CSS is under 30 KB gzip, loads no script and
//   no web font; the first-visit transfer of a demo procedure page is printed.

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  FILTER_SECTIONS,
  POSTAL_SLUG,
  artifactDir,
  useBrowser,
  useSite,
} from './lib/harness.mjs';
import { levelIdOfSlug } from './lib/search.mjs';
import {
  STRESS_CODE,
  STRESS_PROCEDURE,
  allKinds,
  axeViolations,
  filesUnder,
  gzipSize,
  horizontalOverflow,
  javaVersion,
  kindName,
  pdfText,
  showKind,
  vnuCheck,
} from './lib/quality.mjs';

const DEMO_PREFER = { code: '1.000047', level: '4', postal: 'khong', page: 'gioi-thieu' };
/**
 * The three sites. `axeWidths`: the widths at which axe-core runs. The English copy has
 * the demo's layout and colours with other words, so axe checks it at 360 px only (it
 * checks the demo at both widths); that saves some 15 seconds of the suite.
 */
const SITES = [
  { name: 'demo-vi', site: useSite(), prefer: DEMO_PREFER, axeWidths: [360, 1280] },
  { name: 'demo-en', site: useSite({ language: 'en' }), prefer: DEMO_PREFER, axeWidths: [360] },
  {
    name: 'generated',
    site: useSite({ generate: 300, extraFiles: { 'content/procedures/kiem-thu/bo-cuc-ten-dai.md': STRESS_PROCEDURE } }),
    prefer: { stress: STRESS_CODE },
    axeWidths: [360, 1280],
  },
];
const browser = useBrowser();
const WIDTHS = [360, 1280];
/** Full-page screenshots are cut at this height (a list of 300 procedures runs to 56,000 px). */
const SHOT_MAX_HEIGHT = 5000;
const BUDGET = 30 * 1024;

const squash = (s) => String(s).normalize('NFC').replace(/\s+/g, ' ').trim();

// The Nu HTML Checker reads the built files while the browser works (it runs in Java, on
// the other core): started by the first browser pass, once the sites are built, and
// awaited by its test below.
let vnuFiles;
function startVnu() {
  if (vnuFiles) return;
  vnuFiles = { counts: [], files: [] };
  for (const { name, site } of SITES) {
    const pages = filesUnder(site.dir, '.html');
    vnuFiles.files.push(...pages);
    vnuFiles.counts.push(`${name} ${pages.length}`);
  }
  const css = path.join(SITES[0].site.dir, 'assets', 'niemyet.css');
  vnuFiles.run = javaVersion().then((java) =>
    java ? vnuCheck([...vnuFiles.files, css], { css: true }).then((r) => ({ java, ...r })) : { java: null },
  );
  vnuFiles.run.catch(() => {}); // its test reports the failure
}

// ---------------------------------------------------------------------------------------
// One pass per site and width with JavaScript on: each page kind is opened once, measured,
// photographed and checked by axe-core; the tests below assert on what the pass saw.

for (const { name, site, prefer, axeWidths } of SITES) {
  describe(`${name}: each page kind at 360 and 1280 px`, () => {
    const seen = []; // { kind, path, width, overflow, violations, shot }
    before(
      async () => {
        startVnu();
        for (const width of WIDTHS) {
          const shots = artifactDir('screenshots', name, String(width));
          const { page, context } = await browser.newPage({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
          for (const k of allKinds(site, prefer)) {
            await showKind(page, site, k);
            const overflow = await horizontalOverflow(page);
            const shot = path.join(shots, `${kindName(k)}.png`);
            const height = Math.min(SHOT_MAX_HEIGHT, await page.evaluate(() => document.documentElement.scrollHeight));
            await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width, height } });
            const axe = axeWidths.includes(width);
            const violations = axe ? await axeViolations(page) : [];
            seen.push({ ...k, width, overflow, axe, violations, shot });
          }
          await context.close();
        }
      },
      { timeout: 300_000 },
    );

    it('covers every page kind', () => {
      const kinds = new Set(seen.map((s) => s.kind));
      const wanted = ['home', 'procedures', 'procedure', 'levels', 'level', 'postal modes', 'postal mode', 'fields',
        'field', 'agencies', 'agency', 'notices', 'notice', 'plain page', 'statistics', 'search', 'search results',
        'not found'];
      if (name === 'generated') wanted.push('list page 2', 'procedure amended', 'procedure abolished', 'procedure long names', 'field long name', 'agency long name');
      assert.deepEqual(wanted.filter((k) => !kinds.has(k)), [], 'page kinds not visited');
      const axed = seen.filter((s) => s.axe);
      assert.ok(axed.length >= kinds.size, 'axe-core did not check every page kind');
      console.log(`${name}: axe-core checked ${kinds.size} page kinds at ${axeWidths.join(' and ')} px (${axed.length} pages)`);
    });

    it('has no accessibility violation (axe-core)', () => {
      const failures = seen
        .filter((s) => s.violations.length)
        .map((s) => `${s.kind} ${s.path} at ${s.width} px:\n    ${s.violations.join('\n    ')}`);
      assert.deepEqual(failures, [], `axe-core violations:\n${failures.join('\n')}`);
    });

    it('never scrolls sideways', () => {
      const failures = seen
        .filter((s) => s.overflow.scrollWidth > s.overflow.innerWidth)
        .map((s) => `${s.kind} ${s.path} at ${s.width} px: scrollWidth ${s.overflow.scrollWidth} > ${s.overflow.innerWidth} (${s.overflow.culprits.join(', ')})`);
      assert.deepEqual(failures, [], failures.join('\n'));
    });

    it('lets the keyboard scroll every box that scrolls sideways, and names it', () => {
      // axe-core asks this only of a box with nothing focusable inside; a table whose
      // links can take the focus still hides its other columns from keyboard users.
      const boxes = seen.flatMap((s) => s.overflow.scrollers.map((b) => ({ ...b, where: `${s.kind} ${s.path} at ${s.width} px` })));
      const failures = boxes.filter((b) => !b.keyboard || !b.named).map((b) => `${b.where}: ${b.what}${b.keyboard ? '' : ' has no tabindex="0"'}${b.named ? '' : ' has no name'}`);
      assert.deepEqual(failures, [], failures.join('\n'));
      if (name === 'generated') {
        // The wide table of the long-names procedure does scroll at 360 px: the check ran.
        assert.ok(boxes.some((b) => b.where.startsWith('procedure long names') && b.where.endsWith('360 px')), 'the wide table did not scroll at 360 px');
      }
    });

    it('leaves a screenshot of each page kind at each width', () => {
      assert.equal(seen.length, new Set(seen.map((s) => s.shot)).size, 'two page kinds share a screenshot file');
      for (const s of seen) {
        const png = fs.readFileSync(s.shot);
        assert.equal(png.subarray(1, 4).toString(), 'PNG', `${s.shot} is no PNG`);
        assert.equal(png.readUInt32BE(16), s.width, `${s.shot} is not ${s.width} px wide`);
      }
      console.log(`${name}: ${seen.length} screenshots in ${path.dirname(path.dirname(seen[0].shot))}`);
    });
  });
}

// ---------------------------------------------------------------------------------------
// Valid HTML: every page of the three sites, in one run of the Nu HTML Checker.

describe('valid HTML (Nu HTML Checker)', () => {
  it('finds no error in any page, nor in the search page after search.js showed results', async (t) => {
    startVnu();
    const built = await vnuFiles.run;
    assert.ok(built.java, 'java is not on the PATH: the Nu HTML Checker needs Java 11 or later (apt-get install default-jre-headless; .ci/run does)');
    // The search page as the browser has it once results are shown (search.js's markup).
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'niemyet-vnu-'));
    t.after(() => fsp.rm(tmp, { recursive: true, force: true }));
    const doms = [];
    for (const { name, site, prefer } of SITES) {
      const k = allKinds(site, prefer).find((x) => x.kind === 'search results');
      const { page, context } = await browser.newPage();
      await showKind(page, site, k);
      const dom = path.join(tmp, `${name}-search-results.html`);
      await fsp.writeFile(dom, '<!DOCTYPE html>\n' + (await page.evaluate(() => document.documentElement.outerHTML)));
      await context.close();
      doms.push(dom);
    }
    const live = await vnuCheck(doms);
    const errors = [...built.errors, ...live.errors];
    console.log(`${built.java}; vnu checked ${built.files - 1} built HTML files (${vnuFiles.counts.join(', ')}), ` +
      `the stylesheet, and ${doms.length} search pages showing results`);
    const lines = errors.slice(0, 40).map((e) => `${e.file}:${e.line}: ${e.message}\n    ${e.extract}`);
    assert.equal(errors.length, 0, `${errors.length} errors:\n${lines.join('\n')}`);
  });
});

// ---------------------------------------------------------------------------------------
// Without JavaScript.

/** What each page kind must show without JavaScript; returns a list of failures. */
async function contentFailures(page, site, k) {
  const fail = [];
  const where = `${k.kind} ${k.path}`;
  const h1 = page.locator('h1');
  if ((await h1.count()) !== 1 || !(await h1.isVisible())) fail.push(`${where}: no single visible h1`);
  const mainText = squash(await page.locator('main').innerText());
  if (mainText.length < 40) fail.push(`${where}: main holds only ${JSON.stringify(mainText)}`);
  const data = site.openData();
  const active = data.filter((r) => r.status !== 'abolished');
  const byPath = new Map(data.map((r) => [r.path, r]));
  /** Site paths of the visible links in main. */
  const links = async (selector = 'main a[href]') =>
    (await page.$$eval(selector, (as) => as.filter((a) => a.getClientRects().length).map((a) => a.href)))
      .map((h) => site.sitePath(h.split('#')[0]))
      .filter(Boolean);
  const procedureLinks = async () => [...new Set((await links()).filter((p) => byPath.has(p)))];
  /** The procedures that every page of the listing shown links to, following its rel="next" links. */
  const listingLinks = async () => {
    const all = new Set(await procedureLinks());
    for (let next = await page.$('a[rel=next]'); next; next = await page.$('a[rel=next]')) {
      await page.goto(await next.evaluate((a) => a.href));
      for (const p of await procedureLinks()) all.add(p);
    }
    return [...all];
  };
  const sub = (section) =>
    fs.readdirSync(path.join(site.dir, section), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `/${section}/${e.name}/`);

  if (k.kind.startsWith('procedure') && k.kind !== 'procedures') {
    const rec = k.record;
    if (squash(await h1.innerText()) !== squash(rec.title)) fail.push(`${where}: h1 is not the title ${JSON.stringify(rec.title)}`);
    const summary = squash(await page.locator('main').innerText());
    for (const fact of [rec.code, rec.field, rec.agency]) {
      if (!summary.includes(squash(fact))) fail.push(`${where}: ${JSON.stringify(fact)} not shown`);
    }
    const checklist = page.locator('#thanh-phan-ho-so');
    if (!(await checklist.isVisible())) fail.push(`${where}: no visible "Thành phần hồ sơ" heading`);
    else {
      const items = await page.locator('#thanh-phan-ho-so ~ :is(ul, ol) > li').count();
      if (!items) fail.push(`${where}: the document checklist has no item`);
    }
    if (rec.status !== 'active' && !(await page.locator('.banner, [role=note], [role=alert]').first().isVisible().catch(() => false))) {
      fail.push(`${where}: no visible ${rec.status} banner`);
    }
  } else if (k.kind === 'home') {
    const got = new Set(await links());
    for (const p of ['/thu-tuc/', ...FILTER_SECTIONS.map((s) => `/${s}/`)]) if (!got.has(p)) fail.push(`${where}: no link to ${p}`);
    if (!(await page.locator(`form[action] input[name=q]`).count())) fail.push(`${where}: no search form`);
  } else if (k.kind === 'list page 2') {
    const listed = (await procedureLinks()).length;
    if (!listed || listed > 50) fail.push(`${where}: lists ${listed} procedures`);
    if (!(await page.locator('nav.pager [aria-current=page]').isVisible())) fail.push(`${where}: no visible current page in its page links`);
    if (!(await page.locator('nav.pager a[rel=prev]').isVisible())) fail.push(`${where}: no visible link to the previous page`);
  } else if (k.kind === 'procedures') {
    const got = new Set(await listingLinks());
    const missing = active.filter((r) => !got.has(r.path));
    if (missing.length) fail.push(`${where}: ${missing.length} active procedures not listed, e.g. ${missing[0].path}`);
  } else if (['levels', 'postal modes', 'fields', 'agencies'].includes(k.kind)) {
    const section = k.path.split('/')[1];
    const got = new Set(await links());
    const missing = sub(section).filter((p) => !got.has(p));
    if (missing.length) fail.push(`${where}: ${missing.length} of its pages not linked, e.g. ${missing[0]}`);
  } else if (['level', 'postal mode', 'field', 'agency', 'field long name', 'agency long name'].includes(k.kind)) {
    const [, section, slug] = k.path.split('/');
    const listed = (await listingLinks()).map((p) => byPath.get(p));
    const inactive = listed.filter((r) => r.status === 'abolished');
    if (inactive.length) fail.push(`${where}: lists abolished ${inactive[0].path}`);
    let expected;
    if (section === 'muc-do') expected = active.filter((r) => String(r.service_level) === levelIdOfSlug(site, slug));
    else if (section === 'buu-chinh') expected = active.filter((r) => POSTAL_SLUG[r.postal] === slug);
    else {
      // A field or an agency: the one name all its items share.
      const key = section === 'linh-vuc' ? 'field' : 'agency';
      const names = new Set(listed.map((r) => r[key]));
      if (names.size !== 1) fail.push(`${where}: lists procedures of ${names.size} different ${key}s`);
      expected = active.filter((r) => names.has(r[key]));
    }
    if (listed.length !== expected.length) fail.push(`${where}: lists ${listed.length} procedures, the open data has ${expected.length}`);
    if (!expected.length && !(await page.locator('main .empty').isVisible())) fail.push(`${where}: empty, and says nothing`);
  } else if (k.kind === 'notices') {
    const got = new Set(await links());
    const missing = sub('tin-tuc').filter((p) => !got.has(p));
    if (missing.length) fail.push(`${where}: notices not listed: ${missing.join(' ')}`);
  } else if (k.kind === 'statistics') {
    const tables = await page.locator('main table').count();
    if (!tables) fail.push(`${where}: no table`);
    if (!mainText.includes(String(active.length))) fail.push(`${where}: the total ${active.length} is not shown`);
  } else if (k.kind === 'search') {
    const got = new Set(await links());
    for (const p of ['/thu-tuc/', ...FILTER_SECTIONS.map((s) => `/${s}/`)]) if (!got.has(p)) fail.push(`${where}: no link to ${p} to browse instead`);
  } else if (k.kind === 'not found') {
    if (!(await links()).includes('/')) fail.push(`${where}: no link home`);
  }
  return fail;
}

/**
 * Breadth-first walk from home without JavaScript, following links in the rendered pages
 * and expanding only list pages (home, the list of procedures and the filter pages, with
 * their numbered pages). Returns the filter and list pages the build wrote that the walk
 * did not reach, the published procedures it did not reach, and bad statuses.
 */
async function crawlFilters(page, site) {
  const expected = new Set();
  /** A listing's numbered pages, `/…/trang/2/` and on. */
  const numbered = (listing) => {
    const dir = path.join(site.dir, listing, 'trang');
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((n) => `/${listing}/trang/${n}/`) : [];
  };
  for (const p of numbered('thu-tuc')) expected.add(p);
  for (const section of FILTER_SECTIONS) {
    expected.add(`/${section}/`);
    for (const e of fs.readdirSync(path.join(site.dir, section), { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      expected.add(`/${section}/${e.name}/`);
      for (const p of numbered(`${section}/${e.name}`)) expected.add(p);
    }
  }
  const procedures = new Set(site.openData().map((r) => r.path));
  const reached = new Set();
  const expandable = (p) =>
    p === '/' || p === '/thu-tuc/' || p.startsWith('/thu-tuc/trang/') || FILTER_SECTIONS.some((s) => p.startsWith(`/${s}/`));
  const seen = new Set(['/']);
  const queue = ['/'];
  const broken = [];
  while (queue.length) {
    const p = queue.shift();
    const response = await page.goto(site.url(p));
    if (response?.status() !== 200) {
      broken.push(`${p}: status ${response?.status()}`);
      continue;
    }
    const hrefs = await page.$$eval('a[href]', (as) => as.filter((a) => a.getClientRects().length).map((a) => a.href));
    for (const href of hrefs) {
      const target = site.sitePath(href.split('#')[0]);
      if (procedures.has(target)) reached.add(target);
      if (!target || seen.has(target) || !expandable(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  const unreached = [...procedures].filter((p) => !reached.has(p));
  return { expected: expected.size, missing: [...expected].filter((p) => !seen.has(p)), unreached, broken };
}

for (const { name, site, prefer } of SITES) {
  describe(`${name} without JavaScript`, () => {
    it('shows the content of every page kind', async () => {
      const { page, context } = await browser.newPage({ javaScriptEnabled: false });
      const failures = [];
      let n = 0;
      for (const k of allKinds(site, prefer).filter((x) => !x.search)) {
        const response = await page.goto(site.url(k.path));
        if (response?.status() !== (k.status ?? 200)) failures.push(`${k.kind} ${k.path}: status ${response?.status()}`);
        failures.push(...(await contentFailures(page, site, k)));
        n++;
      }
      await context.close();
      assert.ok(n >= 17, `only ${n} page kinds`);
      assert.deepEqual(failures, [], failures.join('\n'));
    });

    it('reaches every filter page, numbered list page and procedure by following links from the home page', async () => {
      const { page, context } = await browser.newPage({ javaScriptEnabled: false });
      const { expected, missing, unreached, broken } = await crawlFilters(page, site);
      await context.close();
      assert.deepEqual(broken, [], broken.join('\n'));
      assert.deepEqual(unreached, [], `procedures not reachable from home: ${unreached.join(' ')}`);
      assert.deepEqual(missing, [], `filter pages not reachable from home: ${missing.join(' ')}`);
      assert.ok(expected > 8, `only ${expected} filter pages`);
    });
  });
}

// ---------------------------------------------------------------------------------------
// Print.

describe('a procedure page printed', () => {
  for (const { name, site, prefer } of [SITES[0], SITES[2]]) {
    it(`${name}: holds the summary and the document checklist, and no navigation`, async (t) => {
      const k = allKinds(site, prefer).find((x) => x.kind === (prefer.stress ? 'procedure long names' : 'procedure'));
      const rec = k.record;
      const { page, context } = await browser.newPage();
      t.after(() => context.close());
      await page.goto(site.url(k.path));
      // On screen: the texts of the navigation (header, menus, breadcrumbs, footer, search
      // box, skip link) and of the checklist.
      const navTexts = await page.$$eval(
        'header a, header button, nav a, .breadcrumbs a, footer a, footer p, .skip-link, form[role=search] button',
        (els) => [...new Set(els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()).filter((s) => s.length >= 4))],
      );
      const checklist = await page.$$eval('#thanh-phan-ho-so ~ :is(ul, ol) > li', (lis) => lis.map((li) => li.textContent));
      assert.ok(checklist.length > 0, 'the page has no document checklist');

      await page.emulateMedia({ media: 'print' });
      const visible = await page.evaluate(() => {
        const shown = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
        const hiddenOnes = ['header', 'nav', 'footer', 'form', '.breadcrumbs', '.skip-link', 'input', 'button'];
        return {
          navigation: hiddenOnes.flatMap((sel) => [...document.querySelectorAll(sel)].filter(shown).map((e) => `${sel}: ${e.textContent.replace(/\s+/g, ' ').trim().slice(0, 60)}`)),
          summary: !!document.querySelector('.summary') && shown(document.querySelector('.summary')),
          checklist: [...document.querySelectorAll('#thanh-phan-ho-so, #thanh-phan-ho-so ~ :is(ul, ol) > li')].every(shown),
          main: document.querySelector('main').innerText,
        };
      });
      assert.deepEqual(visible.navigation, [], 'navigation shown in print');
      assert.ok(visible.summary, 'the summary is hidden in print');
      assert.ok(visible.checklist, 'the document checklist is hidden in print');

      const pdf = await page.pdf({ format: 'A4' });
      const file = path.join(artifactDir('print'), `${name}-procedure.pdf`);
      await fsp.writeFile(file, pdf);
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      assert.ok(pdf.length > 10_000, `the PDF is only ${pdf.length} bytes`);
      const raw = await pdfText(file);
      assert.ok(raw !== null, 'pdftotext is missing: apt-get install poppler-utils (.ci/run does)');
      const text = squash(raw);
      const printedMain = squash(visible.main);
      const missing = [rec.code, rec.title.slice(0, 60), rec.field.slice(0, 60), rec.agency.slice(0, 60), 'Thành phần hồ sơ',
        ...checklist.map((s) => squash(s).slice(0, 50))].filter((s) => !text.includes(squash(s)));
      assert.deepEqual(missing, [], `not in the PDF's text (${file})`);
      // Texts that only the navigation holds must not be printed.
      const leaked = navTexts.filter((s) => !printedMain.includes(squash(s)) && text.includes(squash(s)));
      assert.deepEqual(leaked, [], `navigation printed (${file})`);
      console.log(`${name}: ${path.relative(process.cwd(), file)}, ${(pdf.length / 1024).toFixed(1)} KB, ${raw.split('\f').length - 1} pages; ${checklist.length} checklist items and ${navTexts.length} navigation texts checked`);
    });
  }
});

// ---------------------------------------------------------------------------------------
// Page weight.

describe('page weight', () => {
  it('a demo procedure page, first visit: HTML + CSS under 30 KB gzip, no script, no web font', async (t) => {
    const { site, prefer } = SITES[0];
    const k = allKinds(site, prefer).find((x) => x.kind === 'procedure');
    const { page, context } = await browser.newPage();
    t.after(() => context.close());
    const types = new Map();
    page.on('request', (req) => types.set(new URL(req.url()).pathname, req.resourceType()));
    const from = site.requests.length;
    await page.goto(site.url(k.path), { waitUntil: 'networkidle' });
    const requests = site.requests.slice(from).map((r) => ({ ...r, type: types.get(new URL(r.url, 'http://x').pathname) ?? '?' }));
    const fonts = requests.filter((r) => r.type === 'font' || /\.(woff2?|ttf|otf|eot)$/i.test(r.url));
    const scripts = requests.filter((r) => r.type === 'script' || /\.m?js$/.test(r.url));
    const fontFaces = await page.evaluate(() =>
      [...document.styleSheets].flatMap((s) => [...s.cssRules].filter((r) => r.constructor.name === 'CSSFontFaceRule' || r.constructor.name === 'CSSImportRule').map((r) => r.cssText.slice(0, 80))),
    );
    // Structured data (JSON-LD) is a script element too, but data that never runs.
    const scriptTags = await page.evaluate(() => [...document.scripts].filter((s) => s.type !== 'application/ld+json').length);
    const jsonLd = await page.evaluate(() => document.querySelectorAll('script[type="application/ld+json"]').length);
    const htmlCss = requests.filter((r) => r.type === 'document' || r.type === 'stylesheet');
    const total = requests.reduce((n, r) => n + r.bytes, 0);
    const core = htmlCss.reduce((n, r) => n + r.bytes, 0);
    // Headless chromium asks for no favicon; a browser would, once.
    const favicon = fs.existsSync(path.join(site.dir, 'assets', 'favicon.svg'))
      ? gzipSize(fs.readFileSync(path.join(site.dir, 'assets', 'favicon.svg')))
      : 0;
    const favRequested = requests.some((r) => /favicon/.test(r.url));
    console.log(`first visit of ${k.path} (gzip as lib/server.mjs sends it):`);
    for (const r of requests) console.log(`  ${r.status} ${r.type.padEnd(10)} ${(r.bytes / 1024).toFixed(1).padStart(6)} KB  ${r.url}`);
    console.log(`  total ${(total / 1024).toFixed(1)} KB in ${requests.length} requests` +
      (favRequested ? '' : `; with the favicon a browser also fetches (${favicon} B): ${((total + favicon) / 1024).toFixed(1)} KB`));
    assert.ok(htmlCss.some((r) => r.type === 'document') && htmlCss.some((r) => r.type === 'stylesheet'), 'no document or stylesheet request seen');
    assert.ok(htmlCss.every((r) => r.status === 200 && r.bytes > 0));
    assert.ok(core < BUDGET, `HTML + CSS is ${core} bytes gzip, over ${BUDGET}`);
    assert.deepEqual(fonts.map((r) => r.url), [], 'web fonts requested');
    assert.deepEqual(fontFaces, [], '@font-face or @import in the stylesheets');
    assert.deepEqual(scripts.map((r) => r.url), [], 'the procedure page loads scripts');
    assert.equal(scriptTags, 0, 'the procedure page has <script> elements that run');
    assert.equal(jsonLd, 1, 'the procedure page carries its structured data');
  });

  it('every procedure page of the three sites: HTML + CSS under 30 KB gzip', () => {
    const rows = [];
    for (const { name, site } of SITES) {
      const css = gzipSize(fs.readFileSync(path.join(site.dir, 'assets', 'niemyet.css')));
      let worst = { bytes: 0 };
      let count = 0;
      for (const rec of site.openData()) {
        const file = path.join(site.dir, rec.path, 'index.html');
        const bytes = gzipSize(fs.readFileSync(file)) + css;
        count++;
        if (bytes > worst.bytes) worst = { bytes, path: rec.path };
      }
      const cssText = fs.readFileSync(path.join(site.dir, 'assets', 'niemyet.css'), 'utf8');
      assert.doesNotMatch(cssText, /@font-face|@import/, `${name}: the stylesheet loads fonts or other sheets`);
      rows.push(`${name}: ${count} procedure pages, CSS ${(css / 1024).toFixed(1)} KB, heaviest page + CSS ${(worst.bytes / 1024).toFixed(1)} KB (${worst.path})`);
      assert.ok(worst.bytes < BUDGET, `${name}: ${worst.path} with its CSS is ${worst.bytes} bytes gzip, over ${BUDGET}`);
    }
    console.log(rows.map((r) => r).join('\n'));
  });
});
