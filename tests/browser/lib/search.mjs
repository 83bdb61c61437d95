// Helpers of the search tests, written against contract §7 only:
// the page /tim-kiem/ has <input type="search" name="q"> and a list #search-results whose
// hits are links to procedure pages; ?q=…&muc-do=…&buu-chinh=… set the query and the
// narrowing. The facts about each hit are taken from the open data (du-lieu/thu-tuc.json),
// never from the search's own output.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { POSTAL_SLUG, describeProblems, fold } from './harness.mjs';

export const QUERY = 'input[name=q]';
export const HITS = '#search-results a';

/**
 * Skip the test (and return true) while the site has no search page or index yet.
 * Usage: `if (skipWithoutSearch(t, site)) return;`
 */
export function skipWithoutSearch(t, site) {
  if (site.hasSearch()) return false;
  t.skip('search page not built: tim-kiem/index.html or tim-kiem/chi-muc/meta.json missing');
  return true;
}

/** URL of the search page with these parameters. */
export function searchUrl(site, params = {}) {
  const p = new URLSearchParams(params).toString();
  return site.url('/tim-kiem/') + (p ? '?' + p : '');
}

/** The hits shown now, as [{ href, text }]. */
export function readHits(page) {
  return page.$$eval(HITS, (as) => as.map((a) => ({ href: a.href, text: a.textContent })));
}

/**
 * Wait until the hits satisfy `ready(hits)` and have stayed the same for `quiet` ms (the
 * search is debounced and fetches its index in pieces), then return them. On timeout,
 * return the last hits seen, so the assertion that follows shows what was there.
 */
export async function settledHits(page, ready = (h) => h.length > 0, { timeout = 8000, quiet = 400 } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  let since = Date.now();
  for (;;) {
    const hits = await readHits(page);
    const key = JSON.stringify(hits);
    if (key !== last) {
      last = key;
      since = Date.now();
    }
    if (ready(hits) && Date.now() - since >= quiet) return hits;
    if (Date.now() > deadline) return hits;
    await page.waitForTimeout(50);
  }
}

/**
 * The search page's query box: the `input[name=q]` inside <main> (a site header may hold
 * another search box that only submits to this page).
 */
export async function queryBox(page) {
  const inMain = page.locator(`main ${QUERY}`);
  return (await inMain.count()) ? inMain.first() : page.locator(QUERY).first();
}

/** What the query box holds. */
export async function queryValue(page) {
  return (await queryBox(page)).inputValue();
}

/** Type a query into the search box, as a person would (one key at a time). */
export async function typeQuery(page, q, { replace = true } = {}) {
  const box = await queryBox(page);
  if (replace) await box.fill('');
  // pressSequentially types each character; for NFD text that means base letters and
  // combining marks one after the other, like some phone keyboards.
  await box.pressSequentially(q, { delay: 10 });
}

/** Records of the open data keyed by their site path. */
export function recordsByPath(site) {
  return new Map(site.openData().map((r) => [r.path, r]));
}

/** The procedure record of each hit (assertion error if a hit is not a procedure page). */
export function hitRecords(site, hits) {
  const byPath = recordsByPath(site);
  return hits.map((h) => {
    const p = site.sitePath(h.href);
    const rec = p && byPath.get(p);
    assert.ok(rec, `hit ${JSON.stringify(h.text)} links to ${h.href}, which is no procedure page`);
    return rec;
  });
}

/** Readable list of hits for assertion messages. */
export function showHits(site, hits) {
  const byPath = recordsByPath(site);
  if (!hits.length) return '  (no hits)';
  return hits
    .map((h, i) => {
      const r = byPath.get(site.sitePath(h.href) ?? '');
      return `  ${i + 1}. ${r ? `${r.code} [${r.service_level}/${r.postal}] ${r.title}` : h.href}`;
    })
    .join('\n');
}

/** The search index's meta.json (levels and postal modes with their URL slugs). */
export function searchMeta(site) {
  return JSON.parse(fs.readFileSync(path.join(site.dir, 'tim-kiem', 'chi-muc', 'meta.json'), 'utf8'));
}

/** The level id (open data `service_level`) of a level URL slug. */
export function levelIdOfSlug(site, slug) {
  const level = searchMeta(site).levels?.find((l) => l.slug === slug);
  return level ? String(level.id) : slug;
}

/** The postal URL slug of an open-data record. */
export const postalSlug = (rec) => POSTAL_SLUG[rec.postal];

/** The text of the page's live status regions (where "no results" and counts are said). */
export function statusText(page) {
  return page.$$eval('[role=status], [aria-live], output', (els) =>
    els.filter((e) => e.offsetParent !== null || e.getClientRects().length).map((e) => e.innerText.trim()).join(' | '),
  );
}

/** Fail with every problem (console errors and warnings, page errors, failed requests, dialogs). */
export function assertNoProblems(problems, what = 'page') {
  assert.equal(problems.length, 0, `${what} had problems:\n${describeProblems(problems)}`);
}

/** Does the folded title hold these folded words, consecutively? */
export const titleHas = (rec, text) => ` ${fold(rec.title).replace(/[^a-z0-9]+/g, ' ')} `.includes(` ${fold(text).replace(/[^a-z0-9]+/g, ' ').trim()} `);

/** Opens the search page of `site` (with these URL parameters), runs `fn`, then checks the console. */
export async function openSearchPage(t, site, browser, params, fn) {
  if (skipWithoutSearch(t, site)) return;
  const { page, context, problems } = await browser.open(searchUrl(site, params));
  try {
    await fn(page);
    assertNoProblems(problems, 'the search page');
  } finally {
    await context.close();
  }
}
