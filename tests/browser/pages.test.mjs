// Every page kind of the demo site in a real browser: loads, with and without JavaScript,
// and on a 360 px wide phone screen.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  FILTER_SECTIONS,
  artifactDir,
  describeProblems,
  pageKinds,
  unexpectedProblems,
  useBrowser,
  useSite,
} from './lib/harness.mjs';

const site = useSite(); // the repository's demo site
const browser = useBrowser();

/** The page kinds of the demo, with the procedure 1.000047, level 4 and postal mode "khong". */
const kinds = () => pageKinds(site, { code: '1.000047', level: '4', postal: 'khong', page: 'gioi-thieu' });

describe('demo site: every page kind', () => {
  it('covers the kinds of contract §5', () => {
    const paths = kinds().map((k) => k.path);
    for (const p of ['/', '/thu-tuc/', '/thu-tuc/cong-bo-hop-chuan-tu-danh-gia/', '/muc-do/', '/muc-do/4/',
      '/buu-chinh/', '/buu-chinh/khong/', '/linh-vuc/', '/co-quan/', '/tin-tuc/', '/gioi-thieu/', '/thong-ke/']) {
      assert.ok(paths.includes(p), `${p} missing from ${paths.join(' ')}`);
    }
    assert.ok(kinds().some((k) => k.kind === 'notice'), 'no notice page');
  });

  it('loads with the right status and no console errors', async () => {
    const failures = [];
    const { page, context, problems } = await browser.newPage();
    for (const k of kinds()) {
      const url = site.url(k.path);
      problems.length = 0;
      const response = await page.goto(url);
      const want = k.status ?? 200;
      // A page with scripts: let them finish their work (fetches, late errors).
      if (await page.evaluate(() => document.scripts.length > 0)) {
        await page.waitForLoadState('networkidle').catch(() => {});
      }
      const status = response?.status();
      const bad = unexpectedProblems(problems, { url, status: want });
      if (status !== want) failures.push(`${k.kind} ${k.path}: status ${status}, expected ${want}`);
      if (bad.length) failures.push(`${k.kind} ${k.path}:\n${describeProblems(bad)}`);
      if (k.status === 404) {
        // The site's own 404 page, with its styles (its links must work from any depth).
        const title = await page.title();
        if (!/Không tìm thấy|Not found/i.test(title)) failures.push(`404 page has title ${JSON.stringify(title)}`);
        const styled = await page.evaluate(() => [...document.styleSheets].some((s) => { try { return s.cssRules.length > 0; } catch { return false; } }));
        if (!styled) failures.push('404 page has no loaded stylesheet');
      }
    }
    await context.close();
    assert.deepEqual(failures, [], failures.join('\n'));
  });
});

describe('demo site without JavaScript', () => {
  it('renders the h1 of every page kind', async () => {
    const failures = [];
    const { page, context } = await browser.newPage({ javaScriptEnabled: false });
    for (const k of kinds()) {
      const response = await page.goto(site.url(k.path));
      const h1 = page.locator('h1');
      const count = await h1.count();
      if (response?.status() !== (k.status ?? 200)) failures.push(`${k.kind} ${k.path}: status ${response?.status()}`);
      if (count !== 1) failures.push(`${k.kind} ${k.path}: ${count} h1 elements`);
      else {
        const text = (await h1.innerText()).trim();
        const visible = await h1.isVisible();
        if (!text || !visible) failures.push(`${k.kind} ${k.path}: h1 ${visible ? 'empty' : 'hidden'}`);
      }
    }
    await context.close();
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  it('reaches every filter page by following links from the home page', async () => {
    // Every filter page the build wrote (contract §5: each exists even when empty).
    const fs = await import('node:fs');
    const expected = new Set();
    for (const section of FILTER_SECTIONS) {
      expected.add(`/${section}/`);
      for (const e of fs.readdirSync(path.join(site.dir, section), { withFileTypes: true })) {
        if (e.isDirectory()) expected.add(`/${section}/${e.name}/`);
      }
    }
    // Breadth-first walk from home, following links in the rendered pages, expanding only
    // list pages (home, the list of procedures and the filter pages), never a procedure.
    const expandable = (p) => p === '/' || p === '/thu-tuc/' || FILTER_SECTIONS.some((s) => p.startsWith(`/${s}/`));
    const { page, context } = await browser.newPage({ javaScriptEnabled: false });
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
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
      for (const href of hrefs) {
        const target = site.sitePath(href.split('#')[0]);
        if (!target || seen.has(target) || !expandable(target)) continue;
        seen.add(target);
        queue.push(target);
      }
    }
    await context.close();
    const missing = [...expected].filter((p) => !seen.has(p));
    assert.deepEqual(broken, [], broken.join('\n'));
    assert.deepEqual(missing, [], `filter pages not reachable from home: ${missing.join(' ')}`);
  });
});

describe('demo site on a 360 px phone', () => {
  it('never scrolls sideways', async () => {
    const shots = artifactDir('screenshots', '360');
    const failures = [];
    const { page, context } = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 });
    for (const k of kinds()) {
      await page.goto(site.url(k.path));
      const { scrollWidth, culprits } = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const culprits = [];
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.right > width + 0.5 && r.width > 0) {
            culprits.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''} right=${Math.round(r.right)}`);
          }
        }
        return { scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 5) };
      });
      const name = k.kind.replace(/\s+/g, '-');
      await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
      if (scrollWidth > 360) failures.push(`${k.kind} ${k.path}: scrollWidth ${scrollWidth} (${culprits.join(', ')})`);
    }
    await context.close();
    assert.deepEqual(failures, [], failures.join('\n'));
  });
});
