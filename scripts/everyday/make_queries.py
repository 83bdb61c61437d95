#!/usr/bin/env python3
"""Add realistic procedures to a site and write the everyday queries that should find them.

Usage: make_queries.py SITE_DIR [--seed S] [--per-kind N]

1. Writes one procedure per line of titles.txt (beside this script) into
   SITE_DIR/content/procedures/thuc-te/, with codes 1.9NNNNN.
2. Reads every procedure title of the site (those just written and any others, such
   as a site made by scripts/gen_site.py), and for each written procedure makes the
   queries people type (issue 9), one list per kind:
   - plain:    a fragment of the title typed without accents (the most specific window
               of 3 to 5 words: held by the fewest titles of the site);
   - code:     the procedure code;
   - iy:       a fragment holding a syllable spelled with i or y, spelled the other way
               (dang ki khai sinh, qui hoach);
   - telex:    a fragment typed in Telex keystrokes with the input method off
               (ddawng kys khai sinh), every third one in VNI (d9a8ng ky1);
   - abbrev:   a fragment around a phrase of the built-in abbreviation list
               (src/search/synonyms.rs), the phrase written as its abbreviation (cap lai cccd);
   - everyday: a fragment inside everyday wording (lam the nao de ..., ... can giay to gi);
   - typo:     a fragment with one slip of a finger in one word of 4 letters or more
               (a swap of neighbours, a letter left out, doubled or replaced by its
               neighbour on the keyboard), never making another word of the site.
3. Writes SITE_DIR/queries.json: {"kinds": [...], "queries": [{kind, q, code, title,
   clean, holders}]}, where `clean` is the fragment as it was meant and `holders` the
   number of the site's titles that hold it: when more than 10 titles hold it, no engine
   can know which one was meant, and a top 10 made only of such titles counts as found.

Deterministic for a given site and seed. Python 3 standard library only.
"""

import argparse
import json
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ONSETS = set("b c ch d g gh h k kh l m n ng ngh nh p ph qu r s t th tr v x".split())
# Where both spellings are standard and taught (kí/ký, lí/lý, mĩ/mỹ, hi/hy, tỉ/tỷ, sĩ/sỹ, qui/quy).
IY_ONSETS = set("k l m h t s qu".split())
TEMPLATES = [
    "lam the nao de {}", "{} can giay to gi", "{} nop o dau", "muon {} thi lam sao",
    "thu tuc {}", "{} mat bao lau", "cho toi hoi {}", "{} nhu the nao", "toi muon {}",
]
KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
# Small words a fragment does not end on.
SMALL = set("co cho khi ve cua va voi doi tai trong theo tu la o nhung cac mot duoc bi luu hoac hay tren".split())


def fold(text):
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c))).lower()


def search_word(w):
    return w[:-1] + "i" if w.endswith("y") and w[:-1] in ONSETS else w


def written_words(text):
    """The words of a text as written (lower case, with marks), split as search splits them."""
    return [w for w in re.split(r"[^0-9a-zà-ỹđ]+", unicodedata.normalize("NFC", text.lower())) if w and fold(w).isalnum()]


def words(text):
    return [search_word(w) for w in re.split(r"[^a-z0-9]+", fold(text)) if w]


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


TELEX_TONE = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
VNI_TONE = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
TELEX_SHAPE = {"\u0302": lambda c: c + c, "\u0306": lambda c: c + "w", "\u031b": lambda c: c + "w"}
VNI_SHAPE = {"\u0302": "6", "\u0306": "8", "\u031b": "7"}


def keystrokes(word, vni):
    """How a word is typed in Telex (or VNI) with the input method off: the keys of each
    letter's shape after it, the tone's key at the end of the word."""
    out, tone = [], ""
    for ch in word.lower():
        if ch == "đ":
            out.append("d9" if vni else "dd")
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        keys = base
        for m in marks:
            if m in TELEX_TONE:
                tone = (VNI_TONE if vni else TELEX_TONE)[m]
            elif vni:
                keys += VNI_SHAPE[m]
            else:
                keys = TELEX_SHAPE[m](base)
        out.append(keys)
    typed = "".join(out)
    if not vni:
        typed = typed.replace("uwow", "uow")  # ươ is typed "uow"
    return typed + tone


def slip(rng, word, known):
    """One slip of a finger in a word, giving something that is not a word of the site."""
    for _ in range(50):
        i = rng.randrange(1, len(word))
        kind = rng.randrange(4)
        if kind == 0 and i + 1 < len(word) and word[i] != word[i + 1]:
            w = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif kind == 1:
            w = word[:i] + word[i + 1:]
        elif kind == 2:
            w = word[:i] + word[i] + word[i:]
        else:
            row = next((r for r in KEYBOARD if word[i] in r), None)
            if not row:
                continue
            j = row.index(word[i])
            w = word[:i] + row[j - 1 if j and rng.random() < 0.5 or j + 1 == len(row) else j + 1] + word[i + 1:]
        if w != word and search_word(w) not in known:
            return w
    return None


def site_titles(site):
    """The titles of the site's procedures (as " w1 w2 … "), and every word search indexes
    with titles: those of titles, keywords, fields and agencies."""
    titles, known = [], set()
    for dirpath, _, files in os.walk(os.path.join(site, "content", "procedures")):
        for name in sorted(files):
            if name.endswith(".md"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    text = f.read()
                for key, value in re.findall(r'^(title|field|agency|keywords) = (.*)$', text, re.M):
                    for item in re.findall(r'"((?:[^"\\]|\\.)*)"', value):
                        ws = words(json.loads('"' + item + '"'))
                        known.update(ws)
                        if key == "title":
                            titles.append(" " + " ".join(ws) + " ")
    return titles, known


def abbreviations():
    with open(os.path.join(ROOT, "src", "search", "synonyms.rs"), encoding="utf-8") as f:
        groups = [re.findall(r'"([^"]+)"', line) for line in f if line.strip().startswith('&["')]
    return [(g[0], words(form)) for g in groups if g[0].isupper() for form in g[1:] if len(words(form)) > 1]


def write_procedures(site, lines):
    folder = os.path.join(site, "content", "procedures", "thuc-te")
    os.makedirs(folder, exist_ok=True)
    procs = []
    for i, (field, agency, title) in enumerate(lines):
        code = f"1.9{i + 1:05d}"
        slug = "-".join(words(title))[:60].rstrip("-")
        with open(os.path.join(folder, f"{i + 1:03d}-{slug}.md"), "w", encoding="utf-8") as f:
            f.write(f"+++\ntitle = {toml_str(title)}\ncode = {toml_str(code)}\nfield = {toml_str(field)}\n"
                    f"agency = {toml_str(agency)}\nservice_level = 3\npostal = \"both\"\nupdated = 2026-11-01\n+++\n"
                    f"Thủ tục dùng để đo tìm kiếm với cách gõ thường ngày (dữ liệu minh họa).\n\n"
                    f"## Trình tự thực hiện\n\n1. Nộp hồ sơ tại {agency}.\n")
        procs.append(dict(code=code, title=title))
    return procs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--per-kind", type=int, default=0, help="at most this many queries of each kind (0: all)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(os.path.join(HERE, "titles.txt"), encoding="utf-8") as f:
        lines = [[p.strip() for p in line.split("|")] for line in f if line.strip() and not line.startswith("#")]
    procs = write_procedures(args.site, lines)
    titles, known = site_titles(args.site)
    holders_cache = {}

    def holders(ws):
        key = " " + " ".join(ws) + " "
        if key not in holders_cache:
            holders_cache[key] = sum(1 for t in titles if key in t)
        return holders_cache[key]

    def best_window(ws, must=None):
        """The words people would type for a title: a run of 3 to 6 words held by at most
        10 titles, from the title's start (after "Thủ tục") if one is, not ending on a
        small word; else the run held by the fewest titles."""
        start = 2 if ws[:2] == ["thu", "tuc"] and len(ws) > 2 else 0
        spans = [(a, a + n) for n in (4, 3, 5, 6, 7) for a in range(start, len(ws) - n + 1)] or [(start, len(ws))]
        if must is not None:
            spans = [(a, b) for a, b in spans if a <= must < b] or [(start, len(ws))]
        fit = {4: 0, 5: 1, 3: 2, 6: 3, 7: 4}
        return min(spans, key=lambda s: (holders(ws[s[0]:s[1]]) > 10, s[0] != start, ws[s[1] - 1] in SMALL,
                                         fit.get(s[1] - s[0], 4), holders(ws[s[0]:s[1]]), s[0]))

    abbrevs = abbreviations()
    queries = {k: [] for k in ["plain", "code", "iy", "telex", "abbrev", "everyday", "typo"]}
    for n, p in enumerate(procs):
        written = written_words(p["title"])
        ws = [search_word(fold(w)) for w in written]
        raw = [fold(w) for w in written]
        a, b = best_window(ws)
        clean = ws[a:b]
        q = dict(code=p["code"], title=p["title"], clean=" ".join(clean), holders=holders(clean))
        queries["plain"].append(dict(q, q=" ".join(raw[a:b])))
        queries["code"].append(dict(q, q=p["code"], clean=p["code"], holders=1))
        queries["everyday"].append(dict(q, q=rng.choice(TEMPLATES).format(" ".join(raw[a:b]))))
        queries["telex"].append(dict(q, q=" ".join(keystrokes(w, n % 3 == 2) for w in written[a:b])))
        rare = max(range(a, b), key=lambda i: (len(raw[i]) >= 4, -holders([ws[i]]), -i))
        if len(raw[rare]) >= 4:
            typo = slip(rng, raw[rare], known)
            if typo:
                queries["typo"].append(dict(q, q=" ".join(raw[a:rare] + [typo] + raw[rare + 1:b])))
        for i, w in enumerate(raw):
            if w[-1:] in "iy" and w[:-1] in IY_ONSETS:
                a2, b2 = best_window(ws, must=i)
                other = w[:-1] + ("i" if w.endswith("y") else "y")
                spelled = raw[a2:i] + [other] + raw[i + 1:b2]
                queries["iy"].append(dict(q, q=" ".join(spelled), clean=" ".join(ws[a2:b2]), holders=holders(ws[a2:b2])))
                break
        for abbr, form in sorted(abbrevs, key=lambda x: -len(x[1])):
            at = next((i for i in range(len(ws) - len(form) + 1) if ws[i:i + len(form)] == form), None)
            if at is not None:
                a2, b2 = max(2 if ws[:2] == ["thu", "tuc"] else 0, at - 2), at + len(form)
                while b2 < len(ws) and (holders(ws[a2:b2]) > 10 or ws[b2 - 1] in SMALL) and b2 < at + len(form) + 3:
                    b2 += 1
                typed = raw[a2:at] + [fold(abbr)] + raw[at + len(form):b2]
                queries["abbrev"].append(dict(q, q=" ".join(typed), clean=" ".join(ws[a2:b2]), holders=holders(ws[a2:b2])))
                break
    if args.per_kind:
        for k in queries:
            if len(queries[k]) > args.per_kind:
                queries[k] = rng.sample(queries[k], args.per_kind)
    out = dict(kinds=list(queries), queries=[dict(kind=k, **q) for k in queries for q in queries[k]])
    with open(os.path.join(args.site, "queries.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    counts = ", ".join(f"{k} {len(v)}" for k, v in queries.items())
    print(f"wrote {len(procs)} procedures and queries ({counts}) to {args.site}", file=sys.stderr)


if __name__ == "__main__":
    main()
