#!/usr/bin/env python3
"""Time from Save to the updated page in the editor of `niemyet serve` (issue 15).

Usage: scripts/bench_editor.py BINARY SITE_FOLDER [RUNS]

Starts `BINARY serve` over SITE_FOLDER on a free port of 127.0.0.1, opens the form of
the site's first procedure, and RUNS times (default 7) changes its title and saves, as
a browser does: the POST, its 303, and the GET of the page, until the page holds the new
title. Prints each time and the median, in milliseconds; stops the server by its process id.
Every save rewrites the file, so run it on a copy (scripts keep data under /work/editor-bench/).
"""

import html
import json
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request


def fields_of(page):
    """What a browser sends for the form as it stands."""
    fields = []
    for tag in re.findall(r"<input ([^>]*)>", page):
        attrs = dict((k, html.unescape(v)) for k, v in re.findall(r'(\w+)="([^"]*)"', tag))
        if "name" not in attrs or attrs.get("type") == "file":
            continue
        if attrs.get("type") in ("radio", "checkbox") and " checked" not in tag:
            continue
        fields.append((attrs["name"], attrs.get("value", "")))
    for name, text in re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>\n(.*?)</textarea>', page, re.S):
        fields.append((name, html.unescape(text)))
    for name, options in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options) or re.search(r'<option value="([^"]*)"', options)
        fields.append((name, html.unescape(chosen.group(1))))
    return fields


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    binary, root = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    server = subprocess.Popen([binary, "serve", "--root", root, "--port", "0", "--lang", "en"],
                              stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        origin = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
        records = json.load(urllib.request.urlopen(origin + "/du-lieu/thu-tuc.json"))
        target = records[0]["path"]
        form_url = origin + "/_sua" + target
        opener = urllib.request.build_opener(NoRedirect)
        times = []
        for run in range(runs):
            fields = fields_of(urllib.request.urlopen(form_url).read().decode())
            title = f"Bench title {run} {time.time()}"
            fields = [(k, title if k == "title" else v) for k, v in fields]
            body = urllib.parse.urlencode(fields).encode()
            request = urllib.request.Request(form_url, data=body, headers={
                "Origin": origin, "Content-Type": "application/x-www-form-urlencoded"})
            started = time.perf_counter()
            try:
                opener.open(request)
                raise SystemExit("the save did not redirect")
            except urllib.error.HTTPError as reply:
                if reply.code != 303:
                    raise SystemExit(f"the save answered {reply.code}: {reply.read()[:2000]!r}")
                location = reply.headers["Location"]
            while html.escape(title) not in urllib.request.urlopen(origin + location).read().decode():
                time.sleep(0.005)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{len(records)} procedures: " + ", ".join(f"{t:.0f}" for t in times)
              + f" ms; median {statistics.median(times):.0f} ms")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
