// Search (contract §7, issue 3) in a real browser, on a site of 300 procedures written by
// scripts/gen_site.py, plus one procedure whose title is an HTML tag: search results must
// show it as text, never run it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fold, useBrowser, useSite, words } from './lib/harness.mjs';
import {
  hitRecords,
  levelIdOfSlug,
  postalSlug,
  searchUrl,
  settledHits,
  showHits,
  titleHas,
  typeQuery,
  openSearchPage,
} from './lib/search.mjs';

const XSS_TITLE = '<img src=x onerror=alert(1)>';
const XSS_CODE = '9.990001';
const XSS_PROCEDURE = `+++
title = "${XSS_TITLE}"
code = "${XSS_CODE}"
field = "Kiểm thử hiển thị"
agency = "Tổ kiểm thử"
service_level = 4
postal = "receive"
keywords = ["chèn mã", "kiểm thử an toàn"]
+++
Thủ tục giả dùng để kiểm thử: tên của nó là một thẻ HTML, và trang nào cũng phải hiện nó
như chữ thường, không bao giờ chạy nó.

## Trình tự thực hiện

1. Nộp hồ sơ.
`;

const site = useSite({
  generate: 300,
  extraFiles: { 'content/procedures/kiem-thu/tieu-de-chen-ma.md': XSS_PROCEDURE },
});
const browser = useBrowser();

const onSearchPage = (t, params, fn) => openSearchPage(t, site, browser, params, fn);

/** Active procedures, in a fixed spread over the whole site. */
function sample(n) {
  const active = site.openData().filter((r) => r.status !== 'abolished' && r.code !== XSS_CODE);
  const step = Math.max(1, Math.floor(active.length / n));
  return active.filter((_, i) => i % step === 0).slice(0, n);
}

describe('search on a generated site of 300 procedures', () => {
  it('shows a title made of HTML as text, and runs nothing', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      for (const q of ['img src onerror alert', XSS_CODE, 'onerr']) {
        await typeQuery(page, q);
        const hits = await settledHits(page, (h) => h.some((x) => x.text.includes(XSS_TITLE)));
        const recs = hitRecords(site, hits);
        assert.equal(recs[0]?.code, XSS_CODE, `query ${JSON.stringify(q)}: expected ${XSS_CODE} first:\n${showHits(site, hits)}`);
        assert.ok(hits[0].text.includes(XSS_TITLE), `the hit does not show the title as text: ${JSON.stringify(hits[0].text)}`);
        const tags = await page.$$eval('#search-results *', (els) => [...new Set(els.map((e) => e.tagName.toLowerCase()))]);
        assert.ok(!tags.includes('img'), `an <img> element inside #search-results (elements: ${tags.join(', ')})`);
        assert.ok(!tags.includes('script'), 'a <script> element inside #search-results');
      }
      await page.waitForTimeout(300); // an onerror would have fired by now (and been caught as a dialog)
    });
  });

  it('finds procedures from 4 words of their title typed without accents', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      const failures = [];
      const active = site.openData().filter((r) => r.status !== 'abolished');
      for (const target of sample(8)) {
        const ws = words(target.title);
        const from = Math.min(Math.max(0, ws.length - 4), 1);
        const q = ws.slice(from, from + 4).join(' ');
        await typeQuery(page, q);
        const hits = await settledHits(page, (h) => hitRecords(site, h.slice(0, 10)).some((r) => r.path === target.path));
        const top = hitRecords(site, hits.slice(0, 10));
        // The procedure itself must be in the top 10, unless ten or more procedures share
        // those words in that order: then the top 10 must all be such procedures.
        const sharing = active.filter((r) => titleHas(r, q));
        const ok = top.some((r) => r.path === target.path) || (sharing.length >= 10 && top.length === 10 && top.every((r) => titleHas(r, q)));
        if (!ok) failures.push(`${JSON.stringify(q)} → expected ${target.code} "${target.title}" in the top 10, got:\n${showHits(site, hits.slice(0, 10))}`);
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  });

  it('ranks an abolished procedure holding the query as a phrase above those holding its words apart', async (t) => {
    const records = site.openData();
    // Abolished procedures, each with the 4-word window of its title that the fewest titles hold.
    const targets = records
      .filter((r) => r.status === 'abolished')
      .map((r) => {
        const ws = words(r.title);
        const windows = ws.slice(0, Math.max(1, ws.length - 3)).map((_, i) => ws.slice(i, i + 4).join(' '));
        const holders = (q) => records.filter((o) => titleHas(o, q)).length;
        const q = windows.reduce((a, b) => (holders(b) < holders(a) ? b : a));
        return { r, q, holders: holders(q) };
      })
      .filter((x) => x.holders <= 10)
      .slice(0, 4);
    assert.ok(targets.length > 0, 'the generated site has no abolished procedure with a fragment held by at most 10 titles');
    await onSearchPage(t, {}, async (page) => {
      const failures = [];
      for (const { r, q } of targets) {
        await typeQuery(page, q);
        const hits = await settledHits(page, (h) => hitRecords(site, h.slice(0, 10)).some((x) => x.path === r.path));
        const top = hitRecords(site, hits.slice(0, 10));
        const at = top.findIndex((x) => x.path === r.path);
        if (at < 0) failures.push(`${JSON.stringify(q)} → expected abolished ${r.code} "${r.title}" in the top 10, got:\n${showHits(site, hits.slice(0, 10))}`);
        else if (top.slice(0, at).some((x) => !titleHas(x, q))) failures.push(`${JSON.stringify(q)}: a procedure without the phrase ranks above ${r.code}:\n${showHits(site, hits.slice(0, 10))}`);
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  });

  it('goes straight to a procedure by its code', async (t) => {
    await onSearchPage(t, {}, async (page) => {
      for (const target of sample(4)) {
        await typeQuery(page, target.code);
        const hits = await settledHits(page, (h) => hitRecords(site, h.slice(0, 1))[0]?.code === target.code);
        assert.equal(hitRecords(site, hits.slice(0, 1))[0]?.code, target.code, `code ${target.code}:\n${showHits(site, hits)}`);
      }
    });
  });

  it('narrows by level and postal mode on a large site', async (t) => {
    const levelSlug = '4';
    const postal = 'nhan-va-tra';
    await onSearchPage(t, { q: 'cap', 'muc-do': levelSlug, 'buu-chinh': postal }, async (page) => {
      const want = levelIdOfSlug(site, levelSlug);
      const hits = await settledHits(page);
      const recs = hitRecords(site, hits);
      assert.ok(recs.length > 0, 'no hits for "cap" at level 4 with postal service');
      const wrong = recs.filter((r) => String(r.service_level) !== want || postalSlug(r) !== postal);
      assert.deepEqual(wrong.map((r) => r.code), [], `hits outside the narrowing:\n${showHits(site, hits)}`);
      // Every postal mode narrows to itself.
      for (const mode of ['nhan-ho-so', 'tra-ket-qua', 'khong']) {
        await page.goto(searchUrl(site, { q: 'giay', 'buu-chinh': mode }));
        const expected = site.openData().some((r) => postalSlug(r) === mode && r.status !== 'abolished' && /\bgiay\b/.test(fold(r.title)));
        const h = await settledHits(page, expected ? (x) => x.length > 0 : () => true);
        const bad = hitRecords(site, h).filter((r) => postalSlug(r) !== mode);
        assert.deepEqual(bad.map((r) => r.code), [], `buu-chinh=${mode}:\n${showHits(site, h)}`);
        if (expected) assert.ok(h.length > 0, `no hits for "giay" with buu-chinh=${mode}`);
      }
    });
  });
});
