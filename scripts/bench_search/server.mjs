// A tiny static file server for the search benchmark: serves a built site at the root of
// http://127.0.0.1:PORT/ (PORT 0 = any free port) and gzips text responses the way an
// ordinary static host does (Content-Encoding: gzip, level 6), so the byte counts are
// what a citizen's browser would really download.
//
// Every request is logged as { url, path, status, bytes, phase, t } where `bytes` is the
// size of the body on the wire (the gzip size when gzipped) and `phase` is whatever the
// caller last set with setPhase(): the benchmark sums bytes per phase and per kind of file.
//
// A few synthetic paths under /__bench/ exist only here (an empty page to load Pagefind
// from, so that no page asset of our own search is fetched in the Pagefind runs).

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  // Pagefind's own binary index files (already compressed by Pagefind: sent as they are)
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};
// The text types a static host compresses. Pagefind's index files (.pf_meta, .pf_index,
// .pf_fragment) and its WebAssembly (wasm.*.pagefind) are gzip streams already, written so
// by Pagefind: they are sent as they are, their size on disk is their size on the wire.
const COMPRESS = new Set(['.html', '.css', '.js', '.mjs', '.json', '.xml', '.txt', '.csv', '.svg']);

const SYNTHETIC = {
  '/__bench/blank.html':
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bench</title></head><body></body></html>\n',
};

export async function serve(root) {
  root = path.resolve(root);
  const log = [];
  let phase = 'none';
  const gz = new Map(); // file -> gzip bytes (the files do not change while serving)

  async function handle(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const entry = { url: req.url, path: url.pathname, status: 0, bytes: 0, phase, t: Date.now() };
    log.push(entry);
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = '/\0';
    }
    let body = null;
    let ext = '';
    let key = null;
    if (SYNTHETIC[pathname]) {
      body = Buffer.from(SYNTHETIC[pathname]);
      ext = '.html';
      key = pathname;
    } else if (!pathname.includes('\0')) {
      let file = path.join(root, pathname);
      if (file === root || file.startsWith(root + path.sep)) {
        let st = await fs.stat(file).catch(() => null);
        if (st?.isDirectory()) {
          if (!pathname.endsWith('/')) {
            entry.status = 301;
            res.writeHead(301, { Location: url.pathname + '/' + url.search });
            res.end();
            return;
          }
          file = path.join(file, 'index.html');
          st = await fs.stat(file).catch(() => null);
        }
        if (st?.isFile()) {
          body = await fs.readFile(file);
          ext = path.extname(file).toLowerCase();
          key = file;
        }
      }
    }
    let status = 200;
    if (body === null) {
      status = 404;
      body = (await fs.readFile(path.join(root, '404.html')).catch(() => null)) ?? Buffer.from('404\n');
      ext = '.html';
      key = '404';
    }
    const headers = {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      // Cacheable for the length of a run, like a static host with a short max-age: a
      // file fetched once in a page is not fetched again (each measurement starts in a
      // fresh browser context, so nothing is carried over between measurements).
      'Cache-Control': 'public, max-age=600',
    };
    let payload = body;
    if (COMPRESS.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && body.length > 0) {
      payload = gz.get(key);
      if (!payload) {
        payload = zlib.gzipSync(body, { level: 6 });
        gz.set(key, payload);
      }
      headers['Content-Encoding'] = 'gzip';
      headers['Vary'] = 'Accept-Encoding';
    }
    headers['Content-Length'] = payload.length;
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
    entry.status = status;
    entry.bytes = payload.length;
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(err?.stack ?? err));
    });
  });
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    log,
    setPhase(p) {
      phase = p;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
