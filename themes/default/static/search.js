/* niemyet search: the client side of the search index, format version 2
   (written by src/search/ into tim-kiem/chi-muc/). Plain JavaScript, no framework.
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

/** The consonants a syllable can start with, folded (text::ONSETS). */
const ONSETS = new Set('b c ch d g gh h k kh l m n ng ngh nh p ph qu r s t th tr v x'.split(' '));

/** One folded word in its search form (text::search_word): ký/kí → "ki", quy/qui → "qui". */
function searchWord(w) {
  return w.endsWith('y') && ONSETS.has(w.slice(0, -1)) ? w.slice(0, -1) + 'i' : w;
}

/** The search words of a text (text::words): folded, cut at anything but a-z and 0-9. */
function words(text) {
  return fold(text).split(/[^a-z0-9]+/).filter(Boolean).map(searchWord);
}

/** A code as the index keys it (text::code_token): ASCII letters and digits, lower case. */
function codeToken(code) {
  return String(code).replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

// ---- Typing with the input method off ----

const TELEX_TONES = { s: '\u0301', f: '\u0300', r: '\u0309', x: '\u0303', j: '\u0323' };
const VNI_TONES = { 1: '\u0301', 2: '\u0300', 3: '\u0309', 4: '\u0303', 5: '\u0323' };
const SHAPED = { 'a^': 'â', 'a(': 'ă', 'e^': 'ê', 'o^': 'ô', 'o+': 'ơ', 'u+': 'ư' };
const isVowel = (c) => 'aeiouy'.includes(c);
/** The shape of a Vietnamese syllable without its marks: onset, one to three vowels, final. */
const SYLLABLE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$/;

/**
 * Reads a word typed in Telex or VNI keystrokes with the input method off as the Vietnamese
 * word it spells: "ddawng" and "d9a8ng" → "đăng", "kys" → "ký", "nhaanj" → "nhận", "dduowngf"
 * → "đường". Returns null when the word holds no keystroke of either (it is then as it was typed).
 */
function decodeTyping(word) {
  const w = fold(word);
  if (!/^[a-z0-9]+$/.test(w) || !/[a-z]/.test(w)) return null;
  const letters = []; // { c, shape: '' | '^' | '(' | '+' }
  let tone = '';
  let toned = false; // a tone key was typed: only final consonants and shaping keys may follow
  let keys = 0;
  const last = () => letters[letters.length - 1];
  const seenVowel = () => letters.some((l) => isVowel(l.c));
  // The vowel a shaping key applies to: the nearest one of `which` before it ("uo" takes the horn together).
  const shape = (which, mark) => {
    for (let i = letters.length - 1; i >= 0; i--) {
      const l = letters[i];
      if (!isVowel(l.c)) continue;
      if (which.includes(l.c) && !l.shape) {
        l.shape = mark;
        if (mark === '+' && l.c === 'o' && letters[i - 1]?.c === 'u' && !letters[i - 1].shape) letters[i - 1].shape = '+';
        return true;
      }
    }
    return false;
  };
  for (const c of w) {
    const prev = last();
    if (c === 'd' && prev?.c === 'd' && !prev.shape && letters.length === 1) (prev.c = 'đ'), keys++;
    else if (c === '9' && prev?.c === 'd') (prev.c = 'đ'), keys++;
    else if ('aeo'.includes(c) && prev?.c === c && !prev.shape) (prev.shape = '^'), keys++;
    else if (c === 'w') {
      if (!shape('uoa', '+')) letters.push({ c: 'u', shape: '+' });
      keys++;
    } else if (c === '6' && shape('aeo', '^')) keys++;
    else if (c === '7' && shape('uo', '+')) keys++;
    else if (c === '8' && shape('a', '(')) keys++;
    else if (TELEX_TONES[c] && seenVowel()) (tone = TELEX_TONES[c]), (toned = true), keys++;
    else if (VNI_TONES[c] && seenVowel()) (tone = VNI_TONES[c]), (toned = true), keys++;
    else if (c === 'z' && seenVowel()) (tone = ''), keys++;
    else if (/[a-z]/.test(c) && !(toned && isVowel(c))) letters.push({ c, shape: '' });
    else return null;
  }
  if (!keys || !SYLLABLE.test(letters.map((l) => (l.c === 'đ' ? 'd' : l.c)).join(''))) return null;
  for (const l of letters) if (l.shape) l.c = SHAPED[l.c + (l.shape === '+' && l.c === 'a' ? '(' : l.shape)] || l.c;
  return placeTone(letters.map((l) => l.c), tone).normalize('NFC');
}

/** Puts a tone mark on the vowel that carries it in a syllable given as letters. */
function placeTone(cs, tone) {
  if (!tone) return cs.join('');
  const base = (c) => fold(c);
  let start = 0;
  if ((base(cs[0]) === 'q' && base(cs[1] || '') === 'u') || (base(cs[0]) === 'g' && base(cs[1] || '') === 'i' && cs.length > 2 && isVowel(base(cs[2])))) start = 2;
  const vowels = [];
  for (let i = start; i < cs.length; i++) if (isVowel(base(cs[i]))) vowels.push(i);
  if (!vowels.length) return cs.join('');
  const shaped = vowels.filter((i) => base(cs[i]) !== cs[i]);
  const endsInVowel = vowels[vowels.length - 1] === cs.length - 1;
  const at = shaped.length ? shaped[shaped.length - 1]
    : vowels.length === 1 ? vowels[0]
    : vowels.length === 3 ? vowels[1]
    : endsInVowel ? vowels[0] : vowels[1];
  cs[at] = cs[at] + tone;
  return cs.join('');
}

// ---- Reading a query ----

const KEYBOARD = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const keyAt = (c) => KEYBOARD.map((row, r) => [r, row.indexOf(c)]).find(([, i]) => i >= 0);
/** Whether two letters are neighbours on a QWERTY keyboard. */
function neighbours(a, b) {
  const [p, q] = [keyAt(a), keyAt(b)];
  return !!p && !!q && Math.abs(p[0] - q[0]) <= 1 && Math.abs(p[1] - q[1]) <= 1;
}

/**
 * How likely `typed` is a slip of the finger for `word`: 1 for a letter left out, doubled or
 * added, two neighbours swapped, or a letter replaced by its neighbour on the keyboard; 1.5
 * for another letter replaced; 2 or more when it is not one slip.
 */
function slipCost(typed, word) {
  if (Math.abs(typed.length - word.length) > 1 || typed === word) return 2;
  if (editDistance(typed, word, 2) !== 1) return 2;
  if (typed.length !== word.length) return 1;
  const diff = [...typed].map((c, i) => i).filter((i) => typed[i] !== word[i]);
  return diff.length === 1 && !neighbours(typed[diff[0]], word[diff[0]]) ? 1.5 : 1;
}

/** Everyday wording around a query: phrases dropped when the query holds other words. */
const STOP_PHRASES = [
  'lam the nao de', 'lam the nao', 'lam sao de', 'lam sao', 'nhu the nao', 'the nao', 'ra sao', 'nhu nao',
  'o dau', 'tai dau', 'nop o dau', 'nop ho so', 'can giay to gi', 'can nhung giay to gi', 'giay to gi',
  'can chuan bi gi', 'can nhung gi', 'gom nhung gi', 'nhung gi', 'can gi', 'mat bao lau', 'bao lau',
  'het bao nhieu tien', 'bao nhieu tien', 'het bao nhieu', 'bao nhieu', 'co duoc khong', 'duoc khong',
  'hay khong', 'cho toi hoi', 'cho hoi', 'xin hoi', 'toi muon', 'em muon', 'minh muon', 'toi can',
  'thu tuc', 'huong dan cach', 'cach thuc',
].map((p) => p.split(' ').map(searchWord));

/** Everyday words that neither exclude a procedure nor outrank a real match. */
const WEAK = new Set(
  'thi gi toi em minh muon nop xin lam de o dau nhu nao the sao vay a ah nhe nhi hoi ko khong duoc can cach ve cua cho va voi la nhung cac mot phai ai'.split(' ').map(searchWord),
);

/**
 * Drops the everyday phrases of a query's words (unless nothing else is left) and marks its
 * weak words: { words, at (the index of each kept word in `ws`), dropped, weak }.
 */
function readQuery(ws) {
  const at = [];
  for (let i = 0; i < ws.length; ) {
    const p = STOP_PHRASES.find((p) => p.every((w, j) => ws[i + j] === w));
    if (p) i += p.length;
    else at.push(i++);
  }
  const keep = at.length && at.some((i) => !WEAK.has(ws[i])) ? at : ws.map((_, i) => i);
  const kept = keep.map((i) => ws[i]);
  const strong = kept.some((w) => !WEAK.has(w));
  return { words: kept, at: keep, dropped: kept.length < ws.length, weak: kept.map((w) => WEAK.has(w) && strong) };
}

/** The words of a text as typed (lower case, with any marks), one for each of words(text). */
function typedWords(text) {
  const out = [];
  let cur = '';
  for (const c of String(text).normalize('NFC')) {
    const f = fold(c);
    if (/^[a-z0-9]+$/.test(f)) cur += c.toLowerCase();
    else if (f || !/\p{M}/u.test(c)) (cur && out.push(cur)), (cur = '');
  }
  if (cur) out.push(cur);
  return out;
}

/** The edit distance of two words, a swap of neighbours counting as one (optimal string alignment). */
function editDistance(a, b, limit = 3) {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let d0 = null, d1 = [...Array(b.length + 1).keys()];
  for (let i = 1; i <= a.length; i++) {
    const d2 = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d1[j] + 1, d2[j - 1] + 1, d1[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d0[j - 2] + 1);
      d2.push(v);
      best = Math.min(best, v);
    }
    if (best >= limit) return limit;
    d0 = d1;
    d1 = d2;
  }
  return Math.min(d1[b.length], limit);
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
  const understood = $('search-understood');
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
  let keys = null; // per tier (t, b): the set of shard keys
  let gone = null; // per document: 1 when abolished
  let slugs = null; // per narrowing: the slug of each level, postal mode, field
  let of = null; // per narrowing (level, postal mode, field): the value of each document
  let forms = null; // synonym forms: "w1 w2" → group id
  let longestForm = 1;

  const ready = load('meta.json').then((m) => {
    if (m.version !== 2) throw new Error('index version ' + m.version);
    meta = m;
    keys = { t: new Set(m.title_shards), b: new Set(m.body_shards), c: new Set(m.code_shards) };
    const level = new Uint8Array(m.count), postal = new Uint8Array(m.count), field = new Uint16Array(m.count);
    gone = new Uint8Array(m.count);
    m.runs.forEach(([from, f, l, p, a], i) => {
      const to = i + 1 < m.runs.length ? m.runs[i + 1][0] : m.count;
      field.fill(f, from, to);
      level.fill(l, from, to);
      postal.fill(p, from, to);
      gone.fill(a, from, to);
    });
    of = [level, postal, field];
    slugs = { level: m.levels.map((l) => l.slug), postal: m.postal.map((p) => p.slug), field: m.field_slugs };
    forms = new Map();
    m.synonyms.forEach((group, id) => {
      for (const f of group) {
        const ws = words(f);
        forms.set(ws.join(' '), id);
        longestForm = Math.max(longestForm, ws.length);
      }
    });
    m.fields.forEach((f, i) => sel.field.add(new Option(f, slugs.field[i])));
    for (const s of Object.values(sel)) [...s.options].forEach((o) => (o.dataset.name = o.text));
  });

  // The key of the shard that holds a term: the longest key the term starts with.
  const keyOf = (tier, term) => {
    for (let n = term.length; n > 0; n--) if (keys[tier].has(term.slice(0, n))) return term.slice(0, n);
    return null;
  };
  const shard = (tier, key) => load(tier + '-' + key + '.json');
  // The shards of some terms, fetched together: key → shard.
  const shardsOf = async (tier, terms) => {
    const ks = [...new Set(terms.map((t) => keyOf(tier, t)).filter(Boolean))];
    const got = await Promise.all(ks.map((k) => shard(tier, k)));
    return new Map(ks.map((k, i) => [k, got[i]]));
  };
  const has = (tier, shards, term) => {
    const sh = shards.get(keyOf(tier, term));
    return !!sh && Object.prototype.hasOwnProperty.call(sh, term);
  };

  // Postings, decoded once: "t:term" → [ids, weights]; runs are [gap, length, weight, …].
  const decoded = new Map();
  const postings = (tier, sh, term) => {
    const key = tier + ':' + term;
    let d = decoded.get(key);
    if (!d) {
      const flat = (sh && Object.prototype.hasOwnProperty.call(sh, term) && sh[term]) || [];
      const ids = [], ws = [];
      for (let i = 0, id = 0; i < flat.length; i += 3) {
        id += flat[i];
        for (let n = 0; n < flat[i + 1]; n++) ids.push(id++), ws.push(flat[i + 2]);
      }
      decoded.set(key, (d = [ids, ws]));
    }
    return d;
  };

  // Terms that start with a prefix, from the shards that can hold them (at most a few).
  const sortedKeys = new WeakMap();
  const inShard = (sh, prefix) => {
    let ks = sortedKeys.get(sh);
    if (!ks) sortedKeys.set(sh, (ks = Object.keys(sh).sort()));
    let lo = 0, hi = ks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ks[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out = [];
    for (; lo < ks.length && ks[lo].startsWith(prefix); lo++) out.push(ks[lo]);
    return out;
  };
  // The keys of the shards that can hold terms starting with a prefix.
  const prefixKeys = (prefix, pairs) => {
    const own = keyOf('t', prefix);
    const longer = [...keys.t].filter((k) => k.length > prefix.length && k.startsWith(prefix) && (pairs || !k.includes('_')));
    return [...new Set([own, ...longer.sort((a, b) => a.length - b.length).slice(0, 6)])].filter(Boolean);
  };
  const withPrefix = async (prefix, pairs) => {
    const ks = prefixKeys(prefix, pairs);
    const got = await Promise.all(ks.map((k) => shard('t', k)));
    const out = [];
    ks.forEach((k, i) => {
      for (const term of inShard(got[i], prefix)) if (keyOf('t', term) === k && (pairs || !term.includes('_'))) out.push([term, got[i]]);
    });
    return out;
  };

  // Starts fetching, all at once, the title shards a query of these words will read: its words,
  // its pairs of neighbouring words, and, when the last word may be still being typed, the
  // words it starts (a query of one word) or the pairs it ends (after another word). Later
  // reads then wait for one round trip, not several.
  const prefetch = (ws, prefix) => {
    const pairs = ws.slice(1).map((w, i) => ws[i] + '_' + w);
    const ks = new Set(ws.concat(pairs).map((t) => keyOf('t', t)));
    const last = ws[ws.length - 1];
    if (prefix && ws.length === 1 && last.length > 1) prefixKeys(last, false).forEach((k) => ks.add(k));
    if (prefix && ws.length > 1) prefixKeys(pairs[pairs.length - 1], true).forEach((k) => ks.add(k));
    for (const k of ks) if (k) shard('t', k);
  };

  const STARTS = 16; // added to the weight of a title's first unit (search/terms.rs)

  // Weights per document, kept in a typed array with the list of documents that have one.
  const weights = () => ({ w: new Float32Array(meta.count), docs: [] });

  // Adds the postings of `term` (× f) into `into`, keeping the best weight per document;
  // `starts` (one byte per document) marks the documents whose title starts with the term.
  const addBest = (into, tier, sh, term, f, starts) => {
    const [ids, ws] = postings(tier, sh, term);
    const { w: best, docs } = into;
    for (let i = 0; i < ids.length; i++) {
      const d = ids[i];
      let w = ws[i];
      if (tier === 't' && w >= STARTS) {
        w -= STARTS;
        if (starts) starts[d] = 1;
      }
      const s = w * f;
      if (best[d] === 0) docs.push(d);
      if (best[d] < s) best[d] = s;
    }
  };

  // The vocabulary (title words, the most common first), fetched when a word is not in the index.
  let vocab = null;
  const vocabulary = () =>
    (vocab ||= load('vocab.json').then((list) => list.map((e, rank) => {
      const [w, written] = e.split(' ');
      return { w, written: written || w, rank };
    })));

  /**
   * Reads a query into units: each a word or a synonym group, with the terms it matches
   * (alternatives with a factor) and how it is shown; notes what was read differently.
   * `exact`: take every word as typed (no typing keys, corrections, synonyms or everyday wording).
   */
  const understand = async (q, exact) => {
    const typed = words(q);
    const asTyped = typedWords(q);
    const read = exact ? { words: typed, at: typed.map((_, i) => i), dropped: false, weak: typed.map(() => false) } : readQuery(typed);
    const ws = read.words;
    prefetch(ws, !/\s$/.test(q));
    const t = await shardsOf('t', ws);
    const units = [];
    let changed = read.dropped;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      const unit = { terms: [[w, 1]], shown: asTyped[read.at[i]] ?? w, weak: read.weak[i], word: w, typed: w };
      units.push(unit);
      if (exact || has('t', t, w) || forms.has(w)) continue;
      const last = i === ws.length - 1 && !/\s$/.test(q);
      const spelled = decodeTyping(w);
      const keys = spelled && { w: searchWord(fold(spelled)), written: spelled, cost: 0.5 };
      if (keys && !has('t', await shardsOf('t', [keys.w]), keys.w)) keys.cost = 2;
      const begins = last && (await withPrefix(w, false)).length > 0;
      const fix = await correction(ws.map((x, j) => (j < i ? units[j].word : x)), i, begins, keys);
      if (fix) {
        Object.assign(unit, { terms: fix.cost < 1 ? [[fix.w, 1]] : [[w, 1], [fix.w, 0.9]], shown: fix.written, word: fix.w });
        changed = true;
      }
    }
    const grouped = exact ? units : groupSynonyms(units);
    return { units: grouped, changed: changed || grouped.some((u) => u.expanded) };
  };

  // What an unknown word `ws[i]` was meant to be: the word its Telex or VNI keys spell
  // (`typedAs`, cost 0.5), or an indexed word one slip of the finger away (cost 1, or 1.5 for a
  // letter replaced by one that is not its neighbour on the keyboard). The one that makes the
  // most pairs of neighbouring query words in one title wins, then the cheapest, then the most
  // common word. When the word may be the start of a word still being typed (`begins`), only
  // a word that makes such a pair will do. Null when nothing is close.
  const correction = async (ws, i, begins, typedAs) => {
    const w = ws[i];
    const slips = w.length < 3 || /[0-9]/.test(w) ? [] : (await vocabulary()).map((e) => ({ ...e, cost: slipCost(w, e.w) }));
    const near = [typedAs, ...slips.filter((e) => e.cost < 2).slice(0, 24)].filter((e) => e && e.cost < 2);
    if (!near.length) return null;
    const fit = await pairsInOneTitle(ws, i, near.map((e) => e.w));
    const ranked = near.map((e, k) => [fit[k], e]).sort((x, y) => y[0] - x[0] || x[1].cost - y[1].cost || (x[1].rank ?? -1) - (y[1].rank ?? -1));
    const [best, e] = ranked[0];
    return begins && !best ? null : e;
  };

  // For each candidate c for word i: the most pairs of neighbouring query words, with c in
  // place of word i, that one title holds.
  const pairsInOneTitle = async (ws, i, cands) => {
    const others = [];
    for (let j = 0; j + 1 < ws.length; j++) if (j !== i && j + 1 !== i) others.push(ws[j] + '_' + ws[j + 1]);
    const own = cands.map((c) => [i > 0 && ws[i - 1] + '_' + c, i + 1 < ws.length && c + '_' + ws[i + 1]].filter(Boolean));
    const sh = await shardsOf('t', others.concat(own.flat()));
    const count = (pairs, into) => {
      for (const p of pairs) for (const d of postings('t', sh.get(keyOf('t', p)), p)[0]) into.set(d, (into.get(d) || 0) + 1);
      return into;
    };
    const base = count(others, new Map());
    return own.map((pairs) => {
      if (!pairs.length) return 0;
      let most = 0;
      for (const [d, n] of count(pairs, new Map())) most = Math.max(most, n + (base.get(d) || 0));
      return most;
    });
  };

  // Replaces the words that make a form of a synonym group by one unit for the group.
  const groupSynonyms = (units) => {
    const out = [];
    for (let i = 0; i < units.length; ) {
      let found = null;
      for (let n = Math.min(longestForm, units.length - i); n >= 1 && !found; n--) {
        const id = forms.get(units.slice(i, i + n).map((u) => u.word).join(' '));
        if (id !== undefined) found = [n, id];
      }
      if (!found) {
        out.push(units[i++]);
        continue;
      }
      const [n, id] = found;
      const part = units.slice(i, i + n);
      const shown = part.map((u) => u.shown).join(' ');
      const others = meta.synonyms[id].filter((f) => words(f).join(' ') !== part.map((u) => u.word).join(' '));
      const abbreviation = n === 1 && others.length && words(others[0]).length > 1;
      out.push({
        terms: [['~' + id, 1]],
        shown: abbreviation ? shown + ' (' + others[0].toLowerCase() + ')' : shown,
        weak: false,
        word: '~' + id,
        group: id,
        expanded: abbreviation,
      });
      i += n;
    }
    return out;
  };

  // The words a hit's title is marked with: every term of the query, and every form of its groups.
  const markWords = (units) => {
    const marks = new Set();
    for (const u of units) {
      if (u.group !== undefined) for (const f of meta.synonyms[u.group]) words(f).forEach((w) => marks.add(w));
      else u.terms.forEach(([term]) => marks.add(term));
    }
    return marks;
  };

  // The weights of each unit in one tier, and the documents whose title starts with the first.
  const unitMaps = async (tier, units, prefix) => {
    const terms = units.flatMap((u) => u.terms.map(([term]) => term));
    const sh = await shardsOf(tier, terms);
    const starts = new Uint8Array(meta.count);
    const maps = [];
    for (let i = 0; i < units.length; i++) {
      const map = weights();
      for (const [term, f] of units[i].terms) addBest(map, tier, sh.get(keyOf(tier, term)), term, f, i === 0 ? starts : null);
      const w = units[i].typed;
      if (tier === 't' && prefix && i === units.length - 1 && units[i].group === undefined) {
        // The word may be still being typed: alone, any word it starts counts; after another
        // word, only the words it starts right after that word (far fewer postings to read).
        if (i === 0 && w.length > 1) for (const [term, s] of await withPrefix(w, false)) if (term !== w) addBest(map, tier, s, term, 0.8, starts);
        if (i > 0) for (const [term, s] of await withPrefix(units[i - 1].word + '_' + w, true)) addBest(map, tier, s, term, 0.8);
      }
      maps.push(map);
    }
    return { maps, starts };
  };

  // Per document: how many neighbouring pairs of units the title holds (n), and their weight (s).
  const pairMaps = async (units, prefix) => {
    const pairs = [];
    for (let i = 0; i + 1 < units.length; i++) {
      for (const [a] of units[i].terms) for (const [b] of units[i + 1].terms) pairs.push([i, a + '_' + b]);
    }
    const sh = await shardsOf('t', pairs.map((p) => p[1]));
    const count = { n: new Uint8Array(meta.count), s: new Float32Array(meta.count) };
    for (let i = 0; i + 1 < units.length; i++) {
      const one = weights();
      for (const [j, pair] of pairs) if (j === i) addBest(one, 't', sh.get(keyOf('t', pair)), pair, 1);
      if (prefix && i + 2 === units.length && units[i + 1].group === undefined) {
        for (const [term, s] of await withPrefix(units[i].word + '_' + units[i + 1].typed, true)) addBest(one, 't', s, term, 0.8);
      }
      for (const d of one.docs) {
        count.n[d]++;
        count.s[d] += one.w[d];
      }
    }
    return count;
  };

  const codeSearch = async (tok) => {
    const ks = tok.length >= 5 ? [tok.slice(0, 5)].filter((k) => keys.c.has(k)) : meta.code_shards.filter((k) => k.startsWith(tok)).slice(0, 3);
    const shards = await Promise.all(ks.map((k) => load('c-' + k + '.json')));
    const found = [];
    for (const sh of shards) for (const c in sh) if (c.startsWith(tok)) found.push([c, sh[c]]);
    found.sort((a, b) => (a[0] === tok ? -1 : b[0] === tok ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return found.map((f) => f[1]);
  };

  /**
   * Runs a query: { ids (ranked), units, understood (how the query was read, when that differs
   * from what was typed), marks (words to mark in titles), prefix, code, missing, near }.
   *
   * Ranking: a title holds a unit when it (or its keywords, field or agency) has one of the
   * unit's terms. Titles that hold every unit come first: those that start with the query,
   * shortest first; then those that hold it as a phrase; then the rest of them. Then titles
   * (and, when titles give fewer than 10, bodies) by how much of the query they hold, rare
   * words counting more than common ones. Everyday words count for little. Within a tier,
   * procedures in force before abolished ones, then by score.
   */
  const search = async (q, exact) => {
    const res = { ids: [], ws: words(q), typed: q.trim(), units: [], understood: '', marks: new Set(), prefix: '', code: '', missing: [], near: [] };
    if (!res.ws.length) return res;
    const trimmed = q.trim();
    if (CODE.test(trimmed)) {
      res.code = codeToken(trimmed);
      res.ids = await codeSearch(res.code);
      if (res.ids.length || /^[0-9]+(\.[0-9]+)+$/.test(trimmed)) return res;
      res.code = '';
    }
    const { units, changed } = await understand(q, exact);
    res.units = units;
    if (changed) res.understood = units.map((u) => u.shown).join(' ');
    res.marks = markWords(units);
    const prefix = !/\s$/.test(q);
    const last = units[units.length - 1];
    if (prefix && last.group === undefined) res.prefix = last.typed;
    const { maps, starts } = await unitMaps('t', units, prefix);
    const idf = maps.map((m, i) => Math.log(1 + meta.count / (1 + m.docs.length)) * (units[i].weak ? 0.05 : 1));
    const needed = idf.reduce((a, x, i) => a + (units[i].weak ? 0 : x), 0) || 1;
    const seen = new Uint8Array(meta.count);
    const docs = [];
    const collect = (m) => m.docs.forEach((d) => seen[d] || ((seen[d] = 1), docs.push(d)));
    maps.forEach(collect);
    // Per document: the share of the query that its title (maps) or anything of it holds, in idf.
    const shares = (ms) => {
      const s = new Float32Array(meta.count);
      ms.forEach((m, i) => units[i].weak || m.docs.forEach((d) => (s[d] += idf[i] / needed)));
      return s;
    };
    const inTitles = shares(maps);
    let good = 0;
    for (const d of docs) if (inTitles[d] >= 0.66 && ++good >= 10) break;
    let all = maps;
    if (good < 10) {
      // Too few titles hold enough of the query: bodies count too, for the words that are rare
      // in titles (a common word's body postings are large and tell little).
      const rare = units.map((u, i) => (maps[i].docs.length < meta.count / 50 ? u : { ...u, terms: [] }));
      const body = (await unitMaps('b', rare, false)).maps;
      all = maps.map((m, i) => {
        const sum = { w: Float32Array.from(m.w), docs: m.docs.slice() };
        for (const d of body[i].docs) {
          if (sum.w[d] === 0) sum.docs.push(d);
          sum.w[d] += body[i].w[d] * 0.5;
        }
        return sum;
      });
      all.forEach(collect);
      res.missing = units.filter((u, i) => !all[i].docs.length).map((u) => u.shown);
    }
    const pairs = await pairMaps(units, prefix);
    // Each document's share of the query held anywhere, then its place, packed in one number
    // so that a plain numeric sort orders them: tier, share held (partial tier only),
    // abolished, score (higher first), then document number.
    const inAll = all === maps ? null : shares(all);
    const cover = new Float32Array(docs.length);
    let best = 0;
    docs.forEach((d, k) => {
      cover[k] = inAll ? Math.max(inTitles[d], inAll[d] * 0.9) : inTitles[d];
      best = Math.max(best, cover[k]);
    });
    // Titles that hold only part of the query are listed when they hold enough of it.
    const enough = best > 0.999 ? 0.66 : best * 0.5;
    const placed = [];
    docs.forEach((d, k) => {
      if (cover[k] < enough || cover[k] <= 0) return;
      let score = pairs.s[d] * 2;
      for (let i = 0; i < units.length; i++) score += all[i].w[d] * idf[i];
      const inTitle = inTitles[d] > 0.999;
      const phrase = pairs.n[d] === units.length - 1;
      const tier = inTitle ? (phrase && starts[d] ? 0 : phrase ? 1 : 2) : 3;
      const share = tier === 3 ? Math.round((1 - cover[k]) * 1023) : 0;
      const points = 0xfffff - Math.min(0xfffff, Math.round(score * 100));
      placed.push((((tier * 1024 + share) * 2 + gone[d]) * 0x100000 + points) * 0x100000 + d);
    });
    res.ids = Array.from(Float64Array.from(placed).sort(), (key) => key % 0x100000);
    if (!res.ids.length && !exact) res.near = await nearWords(units);
    return res;
  };

  // For a query that found nothing: up to three indexed words close to each word, for links.
  const nearWords = async (units) => {
    const list = await vocabulary();
    const out = [];
    for (const u of units) {
      if (u.group !== undefined || u.word.length < 2) continue;
      const close = list.map((e) => [editDistance(u.word, e.w, 3), e]).filter(([d]) => d < 3);
      close.sort((a, b) => a[0] - b[0] || a[1].rank - b[1].rank);
      for (const [, e] of close.slice(0, 3)) out.push([u.word, e.written]);
    }
    return out;
  };

  // ---- The page ----

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const number = new Intl.NumberFormat(LANG);
  const fmt = (s, n) => s.replace('{n}', number.format(n));
  const countText = (n) => fmt(n === 1 ? T.countOne : T.count, n);

  // Appends text to a node with the words of the query marked.
  const highlight = (node, text, marks, prefix) => {
    const spans = [];
    let start = -1, tok = '', i = 0;
    const end = (at) => {
      const w = searchWord(tok);
      if (tok && (marks.has(w) || (prefix && w.startsWith(prefix)))) spans.push([start, at]);
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
  let exact = false; // take the query exactly as typed (the link under a query read differently)
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
        o.text = ids ? o.dataset.name + ' (' + number.format(n) + ')' : o.dataset.name;
      }
    });
  };

  const syncUrl = () => {
    const p = new URLSearchParams();
    const q = input.value.trim();
    if (q) p.set('q', q);
    if (q && exact) p.set('chinh-xac', '1');
    for (const s of Object.values(sel)) if (s.value) p.set(s.name, s.value);
    const s = p.toString();
    history.replaceState(history.state, '', s ? '?' + s : location.pathname);
    document.title = q ? q + ' · ' + title0 : title0;
  };
  // While the query is being typed, the address follows when typing pauses (changing it costs
  // the browser more than a search), and at once before a result is opened or the page left.
  let urlTimer = 0;
  const syncUrlSoon = () => {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => ((urlTimer = 0), syncUrl()), 1000);
  };
  const syncUrlNow = () => {
    clearTimeout(urlTimer);
    urlTimer = 0;
    syncUrl();
  };
  const syncUrlPending = () => urlTimer && syncUrlNow();
  list.addEventListener('click', syncUrlPending);
  addEventListener('pagehide', syncUrlPending);

  // Runs `f` once the results are on screen: the counts in the narrowing choices come second.
  const afterPaint = (f) => requestAnimationFrame(() => setTimeout(f, 0));

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
    const all = !browsing ? r.ids : narrowing ? [...gone.keys()].sort((a, b) => gone[a] - gone[b]) : null;
    afterPaint(() => my === seq && facets(all, c));
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
      highlight(a, title, r.code ? new Set() : r.marks, r.prefix);
      li.append(a);
      if (gone[id]) li.append(' ', el('span', 'tag tag-abolished', T.abolished));
      const m = el('p', 'meta');
      const codeSpan = el('span', '', T.code + ' ');
      const codeText = el(r.code ? 'mark' : 'span', '', code);
      codeSpan.append(codeText);
      m.append(codeSpan);
      for (const part of [meta.fields[of[2][id]], meta.levels[of[0][id]].name, meta.postal[of[1][id]].name]) {
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
    understood.hidden = !r.understood || !ids.length;
    if (r.understood) {
      understood.querySelector('strong').textContent = r.understood;
      const link = understood.querySelector('a');
      link.querySelector('span').textContent = r.typed;
      link.href = '?' + new URLSearchParams({ q: r.typed, 'chinh-xac': '1' });
    }
    if (empty) {
      const miss = $('search-none-words');
      miss.hidden = !r.missing.length;
      miss.querySelector('strong').textContent = r.missing.join(', ');
      const near = $('search-none-near');
      near.hidden = !r.near.length;
      near.querySelector('span').replaceChildren(
        ...r.near.flatMap(([word, written], i) => {
          const a = el('a', '', written);
          a.href = '?' + new URLSearchParams({ q: r.ws.map((w) => (w === word ? written : w)).join(' ') });
          return i ? [', ', a] : [a];
        }),
      );
      const nar = $('search-none-narrowed');
      nar.hidden = !(narrowing && all.length);
      nar.querySelector('span').textContent = fmt(T.noneNarrowed, all.length);
    }
    let text = '';
    if (all) text = empty ? T.none : countText(ids.length) + (ids.length < all.length ? ' ' + fmt(T.narrowed, all.length) : '');
    say(text);
    if (focusAt != null) list.querySelectorAll('a')[focusAt]?.focus();
  };

  const run = async (typing) => {
    const my = ++seq;
    const q = input.value;
    shown = PAGE;
    list.setAttribute('aria-busy', 'true');
    const slow = setTimeout(() => my === seq && say(T.loading), 400);
    try {
      await ready;
      const r = await search(q, exact);
      if (my !== seq) return;
      current = r;
      await show();
      if (typing === true) syncUrlSoon();
      else syncUrlNow();
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
      if (my === seq) list.setAttribute('aria-busy', 'false');
    }
  };

  let timer = 0;
  input.addEventListener('input', () => {
    exact = false;
    clearTimeout(timer);
    timer = setTimeout(() => run(true), 150);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run();
    if (matchMedia('(pointer: coarse)').matches) input.blur();
  });
  for (const s of Object.values(sel)) s.addEventListener('change', () => run());
  $('search-clear').addEventListener('click', () => {
    for (const s of Object.values(sel)) s.value = '';
    run();
    input.focus();
  });
  understood.querySelector('a').addEventListener('click', (e) => {
    e.preventDefault();
    exact = true;
    run();
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
  exact = params.get('chinh-xac') === '1';
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

if (typeof module !== 'undefined') module.exports = { fold, words, typedWords, codeToken, searchWord, decodeTyping, readQuery, editDistance, slipCost };
