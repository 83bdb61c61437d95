// The everyday query set of issue 9, which scripts/everyday/make_queries.py writes into a
// site folder as queries.json, and how a search result counts as found: the intended
// procedure among the first ten hits, or, when more than ten titles of the site hold the
// fragment that was meant (`clean`), a first ten made only of such titles (no engine can
// tell which of them was meant).

import fs from 'node:fs';
import path from 'node:path';

const ONSETS = new Set('b c ch d g gh h k kh l m n ng ngh nh p ph qu r s t th tr v x'.split(' '));

/** Search words as make_queries.py writes `clean`: folded, the i/y spellings of a syllable as one. */
export function searchWords(text) {
  return String(text)
    .replace(/[đĐ]/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => (w.endsWith('y') && ONSETS.has(w.slice(0, -1)) ? w.slice(0, -1) + 'i' : w));
}

/** The query set written into a site folder: { kinds, queries: [{ kind, q, code, title, clean, holders }] }. */
export function readQueries(siteRoot) {
  return JSON.parse(fs.readFileSync(path.join(siteRoot, 'queries.json'), 'utf8'));
}

/** Whether `hits` ([{ code, text }], in order) answer `query`. */
export function found(query, hits) {
  const top = hits.slice(0, 10);
  if (top.some((h) => h.code === query.code)) return true;
  if (query.holders <= 10) return false;
  const key = ' ' + query.clean + ' ';
  return top.length === 10 && top.every((h) => (' ' + searchWords(h.text).join(' ') + ' ').includes(key));
}

/** Per kind: { n, found, misses: [{ q, title, first }] }, in the order of `kinds`. */
export function recallByKind(kinds, queries, results) {
  const out = new Map(kinds.map((k) => [k, { n: 0, found: 0, misses: [] }]));
  queries.forEach((query, i) => {
    const r = out.get(query.kind);
    r.n++;
    if (found(query, results[i])) r.found++;
    else r.misses.push({ q: query.q, title: query.title, first: results[i][0]?.text ?? '(none)' });
  });
  return out;
}

/**
 * Types `q` into the search page's box and submits it as Enter does; returns the hits once the
 * search is done (the results list is `aria-busy` while a search runs), as [{ href, text }].
 */
export async function submitQuery(page, q) {
  return page.evaluate(async (q) => {
    const input = document.querySelector('main input[name=q]') || document.querySelector('input[name=q]');
    const list = document.getElementById('search-results');
    input.value = q;
    input.form.requestSubmit();
    const t0 = performance.now();
    while (list.getAttribute('aria-busy') === 'true' && performance.now() - t0 < 15000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    return [...list.querySelectorAll('li > a')].map((a) => ({ href: a.href, text: a.textContent }));
  }, q);
}
