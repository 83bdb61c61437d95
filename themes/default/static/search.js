/* niemyet search: the client side of the search index, format version 1
   (written by src/search.rs into tim-kiem/chi-muc/). Plain JavaScript, no framework.
   Every piece of data is put on the page with textContent, never as HTML. */
'use strict';

const MARKS = /\p{M}/gu;

/** Folds text as the Rust side does (text::fold): lower case, accents removed, đ → d, NFC. */
function fold(text) {
  let out = '';
  for (const c of String(text)) {
    if (c < '\x80') out += c.toLowerCase();
    else if (c === 'đ' || c === 'Đ') out += 'd';
    else out += c.normalize('NFD').replace(MARKS, '').toLowerCase();
  }
  return out.normalize('NFC');
}

/** The search words of a text (text::words): folded, cut at anything but a-z and 0-9. */
function words(text) {
  return fold(text).split(/[^a-z0-9]+/).filter(Boolean);
}

/** A code as the index keys it (text::code_token): ASCII letters and digits, lower case. */
function codeToken(code) {
  return String(code).replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

if (typeof document !== 'undefined') (() => {
  const box = document.getElementById('search');
  if (!box) return;
  const $ = (id) => document.getElementById(id);
  const T = box.dataset;
  const root = T.root || '';
  const base = root + 'tim-kiem/chi-muc/';
  const form = box.querySelector('form');
  const input = $('search-q');
  const status = $('search-status');
  const list = $('search-results');
  const moreWrap = $('search-more-wrap');
  const none = $('search-none');
  const browse = $('search-browse');
  const sel = { level: $('search-level'), postal: $('search-postal'), field: $('search-field') };
  const LANG = document.documentElement.lang || 'vi';
  const PAGE = 10;
  const title0 = document.title;
  const CODE = /^[0-9][0-9a-z.]{2,}$/i;

  $('search-nojs').hidden = true;
  $('search-narrow').hidden = false;

  // Files, fetched once each.
  const files = new Map();
  const load = (name) => {
    let p = files.get(name);
    if (!p) {
      p = fetch(base + name).then((r) => {
        if (!r.ok) throw new Error(name + ': ' + r.status);
        return r.json();
      });
      p.catch(() => files.delete(name));
      files.set(name, p);
    }
    return p;
  };

  let meta = null;
  let has = null; // sets of shard keys: t, b, c
  let gone = null; // per document: 1 when abolished
  let slugs = null; // per narrowing: the slug of each level, postal mode, field
  let of = null; // per narrowing: the value of each document

  const ready = load('meta.json').then((m) => {
    if (m.version !== 1) throw new Error('index version ' + m.version);
    meta = m;
    has = { t: new Set(m.title_shards), b: new Set(m.body_shards), c: new Set(m.code_shards) };
    gone = new Uint8Array(m.count);
    for (const d of m.abolished) gone[d] = 1;
    slugs = { level: m.levels.map((l) => l.slug), postal: m.postal.map((p) => p.slug), field: m.field_slugs };
    of = [m.level, m.postal_of, m.field];
    m.fields.forEach((f, i) => sel.field.add(new Option(f, slugs.field[i])));
    for (const s of Object.values(sel)) [...s.options].forEach((o) => (o.dataset.name = o.text));
  });

  // Postings, decoded once: "t:term" → [ids, weights].
  const decoded = new Map();
  const postings = (tier, shard, term) => {
    const key = tier + ':' + term;
    let d = decoded.get(key);
    if (!d) {
      const flat = shard[term] || [];
      const ids = [], ws = [];
      for (let i = 0, id = 0; i < flat.length; i += 2) {
        id += flat[i];
        ids.push(id);
        ws.push(flat[i + 1]);
      }
      decoded.set(key, (d = [ids, ws]));
    }
    return d;
  };

  // The terms of a shard in order, to find those that start with a prefix.
  const sortedKeys = new WeakMap();
  const withPrefix = (shard, prefix) => {
    let keys = sortedKeys.get(shard);
    if (!keys) sortedKeys.set(shard, (keys = Object.keys(shard).sort()));
    let lo = 0, hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out = [];
    for (; lo < keys.length && keys[lo].startsWith(prefix); lo++) out.push(keys[lo]);
    return out;
  };

  // Title shards are keyed by a term's first two characters, body shards by three.
  const shardKey = (term, tier = 't') => term.slice(0, tier === 'b' ? 3 : 2);

  // Adds the postings of `term` (× f) into map, keeping the best weight per document.
  const addBest = (map, tier, sh, term, f) => {
    const [ids, ws] = postings(tier, sh, term);
    for (let i = 0; i < ids.length; i++) {
      const s = ws[i] * f;
      const o = map.get(ids[i]);
      if (o === undefined || o < s) map.set(ids[i], s);
    }
  };

  // Document → weight of query word i in one tier. The last word (2+ characters)
  // also matches the terms it begins (× 0.8); a one-letter last word matches the
  // bigrams "previous_x…", so "cong b" finds "công bố" while it is being typed.
  const wordMap = (tier, shards, ws, i, prefix) => {
    const w = ws[i];
    const map = new Map();
    const sh = shards.get(shardKey(w, tier));
    if (sh) {
      addBest(map, tier, sh, w, 1);
      if (prefix && w.length > 1) {
        for (const term of withPrefix(sh, w)) if (term !== w && !term.includes('_')) addBest(map, tier, sh, term, 0.8);
      }
    }
    if (prefix && w.length === 1 && i > 0 && tier === 't') {
      const pair = ws[i - 1] + '_' + w;
      const p = shards.get(shardKey(pair));
      if (p) for (const term of withPrefix(p, pair)) addBest(map, tier, p, term, 0.8);
    }
    return map;
  };

  // Bigram bonus: document → [weight of the pairs of consecutive query words, how many pairs matched].
  const bigrams = (shards, ws, prefix) => {
    const bonus = new Map();
    for (let i = 0; i + 1 < ws.length; i++) {
      const pair = ws[i] + '_' + ws[i + 1];
      const sh = shards.get(shardKey(pair));
      if (!sh) continue;
      const one = new Map();
      addBest(one, 't', sh, pair, 1);
      if (prefix && i + 2 === ws.length) for (const term of withPrefix(sh, pair)) if (term !== pair) addBest(one, 't', sh, term, 0.8);
      for (const [d, s] of one) {
        const b = bonus.get(d) || [0, 0];
        bonus.set(d, [b[0] + s, b[1] + 1]);
      }
    }
    return bonus;
  };

  // The shards of the words, and in the title tier of their pairs ("a_b" is in "a_" when "a" is one letter).
  const loadShards = async (tier, ws) => {
    const terms = tier === 't' ? ws.concat(ws.slice(1).map((w, i) => ws[i] + '_' + w)) : ws;
    const keys = [...new Set(terms.map((t) => shardKey(t, tier)))].filter((k) => has[tier].has(k));
    const got = await Promise.all(keys.map((k) => load(tier + '-' + k + '.json')));
    return new Map(keys.map((k, i) => [k, got[i]]));
  };

  // AND of the words: every word must have a weight; returns document → score.
  const intersect = (maps) => {
    const order = [...maps].sort((a, b) => a.size - b.size);
    const out = new Map();
    for (const [d, s0] of order[0]) {
      let s = s0;
      for (let j = 1; j < order.length && s >= 0; j++) {
        const v = order[j].get(d);
        s = v === undefined ? -1 : s + v;
      }
      if (s >= 0) out.set(d, s);
    }
    return out;
  };

  // Ranks by tier: every consecutive pair of query words in the title (the query as a phrase),
  // then every word in the title, then the rest; within a tier, procedures in force before
  // abolished ones, then by score.
  const rank = (scores, tier) => {
    const ids = [...scores.keys()];
    const key = ids.map((d) => tier(d) * 4e6 + gone[d] * 2e6 - scores.get(d));
    return [...ids.keys()].sort((a, b) => key[a] - key[b] || ids[a] - ids[b]).map((i) => ids[i]);
  };

  const codeSearch = async (tok) => {
    const keys = tok.length >= 5 ? [tok.slice(0, 5)].filter((k) => has.c.has(k)) : meta.code_shards.filter((k) => k.startsWith(tok)).slice(0, 3);
    const shards = await Promise.all(keys.map((k) => load('c-' + k + '.json')));
    const found = [];
    for (const sh of shards) for (const c in sh) if (c.startsWith(tok)) found.push([c, sh[c]]);
    found.sort((a, b) => (a[0] === tok ? -1 : b[0] === tok ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return found.map((f) => f[1]);
  };

  /** Runs a query: { ids (ranked), ws, prefix, code, missing (words that match nothing) }. */
  const search = async (q) => {
    const ws = words(q);
    const res = { ids: [], ws, prefix: '', code: '', missing: [] };
    if (!ws.length) return res;
    const trimmed = q.trim();
    if (CODE.test(trimmed)) {
      res.code = codeToken(trimmed);
      res.ids = await codeSearch(res.code);
      if (res.ids.length) return res;
      res.code = '';
    }
    res.prefix = ws[ws.length - 1];
    const t = await loadShards('t', ws);
    const title = ws.map((w, i) => wordMap('t', t, ws, i, i === ws.length - 1));
    let scores = intersect(title);
    const inTitle = new Set(scores.keys());
    if (scores.size < 10) {
      const b = await loadShards('b', ws);
      const both = title.map((m, i) => {
        const sum = new Map(m);
        for (const [d, s] of wordMap('b', b, ws, i, i === ws.length - 1)) sum.set(d, (sum.get(d) || 0) + s);
        return sum;
      });
      scores = intersect(both);
      res.missing = ws.filter((w, i) => !both[i].size);
    }
    const pairs = bigrams(t, ws, true);
    for (const [d, [s]] of pairs) if (scores.has(d)) scores.set(d, scores.get(d) + s);
    const phrase = (d) => inTitle.has(d) && (pairs.get(d) || [0, 0])[1] === ws.length - 1;
    res.ids = rank(scores, (d) => (phrase(d) ? 0 : inTitle.has(d) ? 1 : 2));
    return res;
  };

  // ---- The page ----

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const fmt = (s, n) => s.replace('{n}', n.toLocaleString(LANG));
  const countText = (n) => fmt(n === 1 ? T.countOne : T.count, n);

  // Appends text to a node with the words of the query marked.
  const highlight = (node, text, ws, prefix) => {
    const exact = new Set(ws);
    const spans = [];
    let start = -1, tok = '', i = 0;
    const end = (at) => {
      if (tok && (exact.has(tok) || (prefix && tok.startsWith(prefix)))) spans.push([start, at]);
      tok = '';
      start = -1;
    };
    for (const c of text) {
      const f = fold(c);
      if (f) {
        if (/^[a-z0-9]+$/.test(f)) {
          if (start < 0) start = i;
          tok += f;
        } else end(i);
      }
      i += c.length;
    }
    end(i);
    let at = 0;
    for (const [a, b] of spans) {
      if (a > at) node.append(text.slice(at, a));
      node.append(el('mark', '', text.slice(a, b)));
      at = b;
    }
    if (at < text.length) node.append(text.slice(at));
  };

  let current = null; // the last search result
  let shown = PAGE;
  let seq = 0;

  // The chosen narrowing: per dimension (level, postal mode, field), an index into meta's list, or -1.
  const DIMS = ['level', 'postal', 'field'];
  const chosen = () => DIMS.map((dim) => slugs[dim].indexOf(sel[dim].value));

  const keep = (id, c, skip) => {
    for (let k = 0; k < 3; k++) if (k !== skip && c[k] >= 0 && of[k][id] !== c[k]) return false;
    return true;
  };

  // Each option tells how many hits it would leave, given the other choices.
  const facets = (ids, c) => {
    DIMS.forEach((dim, k) => {
      const counts = slugs[dim].map(() => 0);
      const a = of[k];
      let all = 0;
      if (ids) for (const id of ids) if (keep(id, c, k)) (all++, counts[a[id]]++);
      for (const o of sel[dim].options) {
        const n = o.value ? counts[slugs[dim].indexOf(o.value)] || 0 : all;
        o.text = ids ? o.dataset.name + ' (' + n.toLocaleString(LANG) + ')' : o.dataset.name;
      }
    });
  };

  const syncUrl = () => {
    const p = new URLSearchParams();
    const q = input.value.trim();
    if (q) p.set('q', q);
    for (const s of Object.values(sel)) if (s.value) p.set(s.name, s.value);
    const s = p.toString();
    history.replaceState(history.state, '', s ? '?' + s : location.pathname);
    document.title = q ? q + ' · ' + title0 : title0;
  };

  const say = (text) => {
    if (status.textContent !== text) status.textContent = text;
  };

  // Shows the current result with the narrowing applied; focus goes to hit number `focusAt` if given.
  const show = async (focusAt) => {
    const my = seq;
    const r = current;
    const c = chosen();
    const narrowing = c.some((x) => x >= 0);
    const browsing = !r.ws.length;
    const all = !browsing ? r.ids : narrowing ? [...meta.level.keys()].sort((a, b) => gone[a] - gone[b]) : null;
    facets(all, c);
    const ids = all ? all.filter((id) => keep(id, c)) : [];
    const page = ids.slice(0, shown);
    const chunks = [...new Set(page.map((id) => Math.floor(id / meta.chunk)))];
    const docs = new Map(await Promise.all(chunks.map(async (k) => [k, await load('docs-' + k + '.json')])));
    if (my !== seq) return;
    const items = page.map((id) => {
      const [title, code, path] = docs.get(Math.floor(id / meta.chunk))[id % meta.chunk];
      const li = el('li');
      const a = el('a');
      a.href = root + path;
      highlight(a, title, r.code ? [] : r.ws, r.prefix);
      li.append(a);
      if (gone[id]) li.append(' ', el('span', 'tag tag-abolished', T.abolished));
      const m = el('p', 'meta');
      const codeSpan = el('span', '', T.code + ' ');
      const codeText = el(r.code ? 'mark' : 'span', '', code);
      codeSpan.append(codeText);
      m.append(codeSpan);
      for (const part of [meta.fields[meta.field[id]], meta.levels[meta.level[id]].name, meta.postal[meta.postal_of[id]].name]) {
        m.append(' · ', el('span', '', part));
      }
      li.append(m);
      return li;
    });
    list.replaceChildren(...items);
    list.hidden = !items.length;
    moreWrap.hidden = ids.length <= shown;
    const empty = !browsing && !ids.length;
    none.hidden = !empty;
    browse.hidden = !!all && !empty;
    if (empty) {
      const miss = $('search-none-words');
      miss.hidden = !r.missing.length;
      miss.querySelector('strong').textContent = r.missing.join(', ');
      const nar = $('search-none-narrowed');
      nar.hidden = !(narrowing && all.length);
      nar.querySelector('span').textContent = fmt(T.noneNarrowed, all.length);
    }
    let text = '';
    if (all) text = empty ? T.none : countText(ids.length) + (ids.length < all.length ? ' ' + fmt(T.narrowed, all.length) : '');
    say(text);
    if (focusAt != null) list.querySelectorAll('a')[focusAt]?.focus();
  };

  const run = async () => {
    const my = ++seq;
    const q = input.value;
    shown = PAGE;
    const slow = setTimeout(() => my === seq && say(T.loading), 400);
    try {
      await ready;
      const r = await search(q);
      if (my !== seq) return;
      current = r;
      await show();
      syncUrl();
    } catch (e) {
      if (my === seq) {
        say(T.error);
        list.replaceChildren();
        browse.hidden = false;
        none.hidden = moreWrap.hidden = true;
      }
      console.warn('search:', e);
    } finally {
      clearTimeout(slow);
    }
  };

  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run();
    if (matchMedia('(pointer: coarse)').matches) input.blur();
  });
  for (const s of Object.values(sel)) s.addEventListener('change', run);
  $('search-clear').addEventListener('click', () => {
    for (const s of Object.values(sel)) s.value = '';
    run();
    input.focus();
  });
  $('search-more').addEventListener('click', () => {
    const from = shown;
    shown += PAGE;
    show(from).catch((e) => (say(T.error), console.warn('search:', e)));
  });

  // Arrow keys: from the box down into the results, and between results.
  box.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const links = [...list.querySelectorAll('li > a')];
    const at = links.indexOf(e.target);
    let to = null;
    if (e.target === input && e.key === 'ArrowDown') to = links[0];
    else if (at >= 0) to = e.key === 'ArrowDown' ? links[at + 1] : at ? links[at - 1] : input;
    if (to) {
      e.preventDefault();
      to.focus();
    }
  });

  // The query and the narrowing come from the address, so a result list can be shared.
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  sel.level.value = params.get('muc-do') || '';
  sel.postal.value = params.get('buu-chinh') || '';
  ready
    .then(() => {
      sel.field.value = params.get('linh-vuc') || '';
      for (const s of Object.values(sel)) if (s.selectedIndex < 0) s.value = '';
    })
    .catch(() => {})
    .then(() => (input.value || [...params.keys()].length) && run());
})();

if (typeof module !== 'undefined') module.exports = { fold, words, codeToken };
