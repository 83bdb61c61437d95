// Search (contract §7, issue 3) in a real browser, on the repository's demo site:
// 18 procedures of standards, metrology and quality.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fold, useBrowser, useSite } from './lib/harness.mjs';
import {
  HITS,
  assertNoProblems,
  hitRecords,
  queryBox,
  queryValue,
  levelIdOfSlug,
  postalSlug,
  searchUrl,
  settledHits,
  showHits,
  skipWithoutSearch,
  statusText,
  typeQuery,
  openSearchPage,
} from './lib/search.mjs';

const site = useSite(); // the demo
const browser = useBrowser();

const onSearchPage = (t, params, fn) => openSearchPage(t, site, browser, params, fn);

/** Type `q`, wait for hits whose first `n` are the procedures of `codes` (any order), check. */
async function expectFirst(page, q, codes) {
  await typeQuery(page, q);
  const n = codes.length;
  const hits = await settledHits(page, (h) => {
    const first = hitRecords(site, h.slice(0, n)).map((r) => r.code);
    return codes.every((c) => first.includes(c));
  });
  const first = hitRecords(site, hits.slice(0, n)).map((r) => r.code).sort();
  assert.deepEqual(first, [...codes].sort(), `query ${JSON.stringify(q)}: expected ${codes.join(', ')} first, got:\n${showHits(site, hits)}`);
  return hits;
}

describe('search on the demo site', () => {
  it('finds a procedure typed without accents', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      // Two titles start "Đăng ký công bố hợp chuẩn…": 1.000045 and 1.000047.
      await expectFirst(page, 'dang ky cong bo hop chuan', ['1.000045', '1.000047']);
      // The contract's own example: "Đăng ký công bố hợp quy…", two of them.
      await expectFirst(page, 'dang ky cong bo hop quy', ['1.000040.000.00.00.H59', '1.000042.000.00.00.H59']);
      // A title in the middle: "Miễn giảm kiểm tra chất lượng hàng hóa nhập khẩu".
      await expectFirst(page, 'mien giam kiem tra', ['1.000432']);
    });
  });

  it('finds a procedure typed with accents', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      await expectFirst(page, 'Đăng ký công bố hợp quy', ['1.000040.000.00.00.H59', '1.000042.000.00.00.H59']);
      await expectFirst(page, 'Chứng nhận, cấp thẻ kiểm định viên', ['1.000318']);
      // Upper case and the new tone placement ("hoá" for "hóa") meet the title too.
      await expectFirst(page, 'MIỄN GIẢM kiểm tra hàng hoá nhập khẩu', ['1.000432']);
    });
  });

  it('finds a procedure typed in NFD (decomposed Unicode)', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      const q = 'Đăng ký công bố hợp chuẩn'.normalize('NFD');
      assert.notEqual(q, q.normalize('NFC'));
      await expectFirst(page, q, ['1.000045', '1.000047']);
      assert.equal(await queryValue(page), q, 'the box holds what was typed');
      // Mixed: half NFC, half NFD.
      await expectFirst(page, 'kiểm định viên'.normalize('NFC') + ' ' + 'đo lường'.normalize('NFD'), ['1.000318']);
    });
  });

  it('goes straight to a procedure by its code', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      await expectFirst(page, '1.000047', ['1.000047']);
      await expectFirst(page, '1.000318', ['1.000318']);
      // A long code, whole, and its start.
      await expectFirst(page, '1.001056.000.00.00.H59', ['1.001056.000.00.00.H59']);
      await expectFirst(page, '1.000040', ['1.000040.000.00.00.H59']);
    });
  });

  it('matches the last word as a prefix while typing', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      // "vie" is only the start of "viên" (kiểm định viên); no word is "vie".
      await expectFirst(page, 'the kiem dinh vie', ['1.000318']);
      // "chu" starts "chuẩn": the two "hợp chuẩn" titles.
      await expectFirst(page, 'cong bo hop chu', ['1.000045', '1.000047']);
    });
  });

  it('says so helpfully when nothing matches', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      // First a query with hits, so that the test also sees the list emptied.
      await expectFirst(page, '1.000047', ['1.000047']);
      await typeQuery(page, 'qwxz zzyq');
      const hits = await settledHits(page, (h) => h.length === 0);
      assert.equal(hits.length, 0, `expected no hits, got:\n${showHits(site, hits)}`);
      // The message is said in a live region, so screen readers announce it too.
      let said = '';
      for (let i = 0; i < 40 && !said; i++) {
        said = await statusText(page);
        if (!said) await page.waitForTimeout(50);
      }
      assert.match(fold(said), /khong tim thay|khong co|no result|nothing|not found/, `no "nothing found" message; status regions say: ${JSON.stringify(said)}`);
      // The message is visible, not only announced.
      const visible = await page.evaluate(() => {
        const main = document.querySelector('main') || document.body;
        return main.innerText;
      });
      assert.match(fold(visible), /khong tim thay|khong co|no result|nothing|not found/, 'no visible message');
    });
  });

  it('narrows by service level (?muc-do=4)', async (t) => {
    await onSearchPage(t, { q: 'dang ky', 'muc-do': '4' }, async (page) => {
      const want = levelIdOfSlug(site, '4');
      const hits = await settledHits(page);
      const recs = hitRecords(site, hits);
      assert.ok(recs.length > 0, 'no hits for "dang ky" at level 4');
      const wrong = recs.filter((r) => String(r.service_level) !== want);
      assert.deepEqual(wrong.map((r) => r.code), [], `hits not at level 4:\n${showHits(site, hits)}`);
      // The same hits are on the level's filter page.
      const filter = await browser.open(site.url('/muc-do/4/'), { javaScriptEnabled: false });
      const listed = new Set((await filter.page.$$eval('main a', (as) => as.map((a) => a.href))).map((h) => site.sitePath(h)));
      await filter.context.close();
      const absent = recs.filter((r) => !listed.has(r.path));
      assert.deepEqual(absent.map((r) => r.code), [], 'hits missing from /muc-do/4/');
      // Narrowing really narrows: without it, "dang ky" also finds level-3 procedures.
      await page.goto(searchUrl(site, { q: 'dang ky' }));
      const wide = hitRecords(site, await settledHits(page));
      assert.ok(wide.some((r) => String(r.service_level) !== want), 'expected level-3 hits without narrowing');
    });
  });

  it('narrows by postal mode (?buu-chinh=khong, ?buu-chinh=nhan-va-tra)', async (t) => {
    await onSearchPage(t, { q: 'kiem tra', 'buu-chinh': 'khong' }, async (page) => {
      // The only procedure without postal service: 1.001056 (metrology checks of imports).
      let hits = await settledHits(page);
      let recs = hitRecords(site, hits);
      assert.deepEqual(recs.map((r) => r.code), ['1.001056.000.00.00.H59'], `"kiem tra" without postal service:\n${showHits(site, hits)}`);
      await page.goto(searchUrl(site, { q: 'kiem tra', 'buu-chinh': 'nhan-va-tra' }));
      hits = await settledHits(page);
      recs = hitRecords(site, hits);
      assert.ok(recs.length > 0, 'no hits for "kiem tra" with postal service');
      const wrong = recs.filter((r) => postalSlug(r) !== 'nhan-va-tra');
      assert.deepEqual(wrong.map((r) => r.code), [], `hits not "nhan-va-tra":\n${showHits(site, hits)}`);
      // Both narrowings at once.
      await page.goto(searchUrl(site, { q: 'kiem tra', 'muc-do': '4', 'buu-chinh': 'nhan-va-tra' }));
      hits = await settledHits(page);
      recs = hitRecords(site, hits);
      assert.ok(recs.length > 0, 'no hits for "kiem tra" at level 4 with postal service');
      const wrong2 = recs.filter((r) => postalSlug(r) !== 'nhan-va-tra' || String(r.service_level) !== levelIdOfSlug(site, '4'));
      assert.deepEqual(wrong2.map((r) => r.code), [], `hits outside level 4 + nhan-va-tra:\n${showHits(site, hits)}`);
    });
  });

  it('narrows with the form controls, and the address follows', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      await typeQuery(page, 'dang ky');
      await settledHits(page);
      const control = page.locator('[name="muc-do"]').first();
      assert.ok(await control.count(), 'no form control named "muc-do"');
      const tag = await control.evaluate((e) => e.tagName.toLowerCase() + (e.type ? ':' + e.type : ''));
      if (tag.startsWith('select')) await control.selectOption('4');
      else await page.locator('[name="muc-do"][value="4"]').check();
      const want = levelIdOfSlug(site, '4');
      const hits = await settledHits(page, (h) => h.length > 0 && hitRecords(site, h).every((r) => String(r.service_level) === want));
      const wrong = hitRecords(site, hits).filter((r) => String(r.service_level) !== want);
      assert.ok(hits.length > 0 && wrong.length === 0, `after choosing level 4:\n${showHits(site, hits)}`);
      await page.waitForFunction(() => new URL(location.href).searchParams.get('muc-do') === '4', null, { timeout: 3000 })
        .catch(() => {});
      assert.equal(new URL(page.url()).searchParams.get('muc-do'), '4', `address ${page.url()}`);
    });
  });

  it('keeps the query and the narrowing in the address (round trip)', async (t) => {
    await onSearchPage(t, { q: 'kiem tra', 'muc-do': '4' }, async (page) => {
      // Opening the address runs that query with that narrowing.
      assert.equal(await queryValue(page), 'kiem tra', 'the box shows the query of the address');
      const want = levelIdOfSlug(site, '4');
      const hits = await settledHits(page);
      const recs = hitRecords(site, hits);
      assert.ok(recs.length > 0, 'no hits');
      assert.ok(recs.every((r) => String(r.service_level) === want), `hits not at level 4:\n${showHits(site, hits)}`);
      // Typing updates the address, keeping the narrowing.
      await typeQuery(page, 'chat luong');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'chat luong', null, { timeout: 5000 })
        .catch(() => {});
      const url = new URL(page.url());
      assert.equal(url.pathname, new URL(site.url('/tim-kiem/')).pathname);
      assert.equal(url.searchParams.get('q'), 'chat luong', `address after typing: ${page.url()}`);
      assert.equal(url.searchParams.get('muc-do'), '4', `narrowing lost from the address: ${page.url()}`);
      const typed = await settledHits(page);
      assert.ok(typed.length > 0, 'no hits for "chat luong" at level 4');
      // The address, opened anew, gives the same list.
      const again = await browser.open(page.url());
      try {
        const reopened = await settledHits(again.page);
        assert.deepEqual(reopened.map((h) => h.href), typed.map((h) => h.href), 'reopening the address gives another list');
        assert.equal(await queryValue(again.page), 'chat luong');
        assertNoProblems(again.problems, 'the reopened search page');
      } finally {
        await again.context.close();
      }
    });
  });

  it('the home page search box leads to the results', async (t) => {
    if (skipWithoutSearch(t, site)) return;
    const { page, context, problems } = await browser.open(site.url('/'));
    try {
      const box = await queryBox(page);
      assert.ok(await box.count(), 'no search box on the home page');
      await box.fill('cong bo hop quy');
      await Promise.all([page.waitForURL(/\/tim-kiem\//), box.press('Enter')]);
      assert.equal(new URL(page.url()).searchParams.get('q'), 'cong bo hop quy');
      const hits = await settledHits(page);
      const first = hitRecords(site, hits.slice(0, 2)).map((r) => r.code).sort();
      assert.deepEqual(first, ['1.000040.000.00.00.H59', '1.000042.000.00.00.H59'], showHits(site, hits));
      assertNoProblems(problems, 'home → search');
    } finally {
      await context.close();
    }
  });

  it('runs a whole session of queries with no JavaScript error in the console', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      for (const q of ['dang ky', 'Đăng ký công bố'.normalize('NFD'), '1.000', '1.000047', 'qwxz', 'hop chu', '', '  ', 'đ', '"<script>', '%', '1..2']) {
        await typeQuery(page, q);
        await page.waitForTimeout(250);
      }
      await page.keyboard.press('Enter');
      await page.waitForLoadState('networkidle').catch(() => {});
      // The "more" button and the keyboard, if there: no errors either.
      await typeQuery(page, 'a');
      await settledHits(page);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
    });
  });

  it('without JavaScript, the search page leads to the lists of procedures', async (t) => {
    if (skipWithoutSearch(t, site)) return;
    const { page, context } = await browser.open(searchUrl(site, { q: 'dang ky' }), { javaScriptEnabled: false });
    try {
      const links = (await page.$$eval('main a', (as) => as.map((a) => a.href))).map((h) => site.sitePath(h));
      for (const p of ['/thu-tuc/', '/muc-do/', '/buu-chinh/']) {
        assert.ok(links.includes(p), `no link to ${p} on the search page without JavaScript (links: ${links.join(' ')})`);
      }
      assert.equal(await page.locator(HITS).count(), 0);
    } finally {
      await context.close();
    }
  });
});
