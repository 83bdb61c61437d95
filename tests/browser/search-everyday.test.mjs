// Search as citizens type (contract §7, issue 9), in a real browser: a site of 300 generated
// procedures plus the realistic ones of scripts/everyday/titles.txt, and the everyday query
// set that scripts/everyday/make_queries.py makes from them: plain fragments, codes, i/y
// spellings, Telex and VNI keys with the input method off, abbreviations, everyday wording
// and one slip of a finger. Each kind must find the intended procedure in the first ten
// (recall@10) at least 95% of the time, plain fragments and codes 98%.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, useSite } from './lib/harness.mjs';
import { readQueries, recallByKind, submitQuery } from './lib/everyday.mjs';
import { hitRecords, openSearchPage, readHits } from './lib/search.mjs';

const PER_KIND = 60;
const site = useSite({ generate: 300, everyday: PER_KIND });
const browser = useBrowser();
const TARGET = { plain: 0.98, code: 0.98 };

const onSearchPage = (t, params, fn) => openSearchPage(t, site, browser, params, fn);

/** The hits of `q` as open-data records ({ code, title, … }) with the text shown. */
async function hitsOf(page, q) {
  const hits = await submitQuery(page, q);
  return hitRecords(site, hits).map((r, i) => ({ code: r.code, text: hits[i].text, title: r.title }));
}

describe('search as citizens type', () => {
  it(`finds the intended procedure for each kind of everyday query (at most ${PER_KIND} of each)`, async (t) => {
    await onSearchPage(t, {}, async (page) => {
      const { kinds, queries } = readQueries(site.sourceRoot);
      const results = [];
      for (const q of queries) results.push(await hitsOf(page, q.q));
      const table = recallByKind(kinds, queries, results);
      const lines = [...table].map(([kind, r]) => `${kind}: ${r.found}/${r.n}`);
      t.diagnostic(`recall@10: ${lines.join(', ')}`);
      for (const [kind, r] of table) {
        assert.ok(r.n >= 20, `only ${r.n} queries of kind ${kind}`);
        const misses = r.misses.map((m) => `  [${m.q}] wanted "${m.title}", first "${m.first}"`).join('\n');
        assert.ok(r.found / r.n >= (TARGET[kind] ?? 0.95), `${kind}: recall@10 ${r.found}/${r.n}; misses:\n${misses}`);
      }
    });
  });

  it('puts the title that equals the query first, above titles that hold it among other words', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      for (const q of ['dang ky khai sinh', 'đăng ký khai sinh', 'dang ki khai sinh', 'lam the nao de dang ky khai sinh']) {
        const hits = await hitsOf(page, q);
        assert.equal(hits[0]?.title, 'Thủ tục đăng ký khai sinh', `${q}:\n${hits.map((h) => h.title).join('\n')}`);
      }
    });
  });

  it('says how it read a query, and searches exactly what was typed on request', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      const understood = page.locator('#search-understood');
      const cases = [
        ['ddawng kys khai sinh', 'đăng ký khai sinh'],
        ['d9a8ng ky1 khai sinh', 'đăng ký khai sinh'],
        ['dang ky khia sinh', 'dang ky khai sinh'],
        ['cap lai cccd', 'cap lai cccd (căn cước công dân)'],
        ['lam the nao de dang ky ket hon', 'dang ky ket hon'],
      ];
      for (const [typed, read] of cases) {
        const hits = await hitsOf(page, typed);
        assert.ok(hits.length > 0, `${typed}: no hits`);
        assert.ok(await understood.isVisible(), `${typed}: the page does not say how it read the query`);
        const text = await understood.innerText();
        assert.ok(text.includes(read), `${typed}: said ${JSON.stringify(text)}, not ${JSON.stringify(read)}`);
        assert.ok(text.includes(typed), `${typed}: no link to search exactly that: ${JSON.stringify(text)}`);
      }
      await submitQuery(page, 'dang ky khai sinh');
      assert.ok(await understood.isHidden(), 'a query read as typed says nothing more');
      // The link searches the words as typed: "khia" is no word of any title.
      await submitQuery(page, 'dang ky khia sinh');
      await understood.locator('a').click();
      await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
      assert.ok(page.url().includes('chinh-xac=1'), page.url());
      assert.ok(await understood.isHidden());
      assert.equal(await page.locator('#search-q').inputValue(), 'dang ky khia sinh');
    });
  });

  it('opens a shared exact search as it was shared', async (t) => {
    await onSearchPage(t, { q: 'ddawng kys', 'chinh-xac': '1' }, async (page) => {
      await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
      assert.ok(await page.locator('#search-understood').isHidden(), 'read exactly: nothing to say');
      assert.ok(await page.locator('#search-none').isVisible(), 'no title holds "ddawng"');
    });
  });

  it('never leaves a dead end: no results suggest close words and the lists', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      await submitQuery(page, 'giayyy');
      const none = page.locator('#search-none');
      assert.ok(await none.isVisible(), 'no results are said');
      const near = page.locator('#search-none-near');
      assert.ok(await near.isVisible(), 'close words are suggested');
      const links = await near.locator('a').allTextContents();
      assert.ok(links.includes('giấy'), `suggested: ${links.join(', ')}`);
      assert.ok(await page.locator('#search-browse a[href$="thu-tuc/"]').isVisible(), 'the lists are offered');
      await near.locator('a', { hasText: 'giấy' }).first().click();
      await page.waitForLoadState('load');
      await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
      assert.ok((await readHits(page)).length > 0, 'the suggestion finds something');
    });
  });
});
