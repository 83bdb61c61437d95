#!/usr/bin/env python3
"""Lay a niemyet site out as a Hugo site, for scripts/bench_scale.sh.

Usage: hugo_site.py NIEMYET_SITE HUGO_SITE

The same procedure and notice files (TOML front matter between `+++`, which
Hugo reads too) become content/thu-tuc/ and content/tin-tuc/; `field`,
`agency` and `service_level` become Hugo taxonomies (linh-vuc, co-quan, muc-do;
names cut at 60 characters, as Hugo writes a term's whole name as its folder),
so Hugo makes a list per field, agency and level as niemyet does, paginated by
50 as niemyet's lists are. The layouts are minimal (a title, the facts, the
body, the list with its pager): the comparison favours Hugo, whose pages carry
less than niemyet's. Hugo's search, sitemap and RSS are its defaults.
"""

import os
import shutil
import sys

src, out = sys.argv[1], sys.argv[2]
if os.path.exists(out):
    shutil.rmtree(out)
os.makedirs(out)

with open(os.path.join(out, "config.toml"), "w", encoding="utf-8") as f:
    f.write('''baseURL = "https://example.gov.vn/tthc/"
languageCode = "vi"
title = "Thủ tục hành chính (Hugo)"
paginate = 50
disableKinds = []
[taxonomies]
  linh-vuc = "linh-vuc"
  co-quan = "co-quan"
  muc-do = "muc-do"
''')

LAYOUTS = {
    "_default/baseof.html": '''<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "/thu-tuc/" | relURL }}">Thủ tục</a> <a href="{{ "/linh-vuc/" | relURL }}">Lĩnh vực</a>
<a href="{{ "/co-quan/" | relURL }}">Cơ quan</a> <a href="{{ "/muc-do/" | relURL }}">Mức độ</a>
<a href="{{ "/tin-tuc/" | relURL }}">Tin tức</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
''',
    "_default/single.html": '''{{ define "main" }}<article><h1>{{ .Title }}</h1>
<dl><dt>Mã thủ tục</dt><dd>{{ .Params.code }}</dd>
<dt>Lĩnh vực</dt><dd>{{ with .GetTerms "linh-vuc" }}{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}{{ end }}</dd>
<dt>Cơ quan</dt><dd>{{ with .GetTerms "co-quan" }}{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}{{ end }}</dd>
<dt>Mức độ</dt><dd>{{ .Params.service_level }}</dd>
<dt>Thời hạn</dt><dd>{{ .Params.processing_time }}</dd><dt>Phí</dt><dd>{{ .Params.fee }}</dd></dl>
{{ .TableOfContents }}{{ .Content }}</article>{{ end }}
''',
    "_default/list.html": '''{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $p := .Paginate .Pages }}<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ .Params.code }} · {{ .Params.field }} · {{ .Params.agency }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
''',
    "_default/terms.html": '''{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
''',
    "index.html": '''{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ end }}
''',
}
for rel, text in LAYOUTS.items():
    path = os.path.join(out, "layouts", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

TERMS = {"field": "linh-vuc", "agency": "co-quan", "service_level": "muc-do"}


def with_terms(text):
    """The file with its field, agency and level as taxonomy terms too."""
    lines = text.split("\n")
    terms = []
    for line in lines[1:]:
        if line == "+++":
            break
        key, _, value = line.partition(" = ")
        if key in TERMS:
            name = value.strip().strip('"')[:60]
            terms.append('%s = ["%s"]' % (TERMS[key], name))
    return "\n".join(lines[:1] + terms + lines[1:])


for kind, section in (("procedures", "thu-tuc"), ("notices", "tin-tuc")):
    base = os.path.join(src, "content", kind)
    target = os.path.join(out, "content", section)
    os.makedirs(target, exist_ok=True)
    for folder, _, files in os.walk(base):
        for name in sorted(files):
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    text = f.read()
                with open(os.path.join(target, name), "w", encoding="utf-8") as f:
                    f.write(with_terms(text) if kind == "procedures" else text)
with open(os.path.join(out, "content", "thu-tuc", "_index.md"), "w", encoding="utf-8") as f:
    f.write('+++\ntitle = "Tất cả thủ tục hành chính"\n+++\n')
