// Every page kind of the demo site in a real browser loads with the right status and no
// console error. Without JavaScript, at 360 and 1280 px, with axe-core, the Nu HTML
// Checker, in print and by weight: quality.test.mjs, on the demo, its English copy and a
// generated site.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
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
