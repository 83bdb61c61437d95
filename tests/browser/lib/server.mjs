// A tiny static file server for a built site, on 127.0.0.1 and a free port.
//
// It serves the site under a path prefix (the path of the site's base_url, `/tthc/` by
// default) so that the tests also prove the site works below the root of a host, as the
// README promises. Like an ordinary web server it:
// - answers a folder with its index.html, and redirects `/folder` to `/folder/`;
// - answers an unknown path with status 404 and the site's own 404.html;
// - sends the right Content-Type, and gzip when the browser accepts it (so byte counts
//   are what a real static host would send);
// - logs every request (path, status, bytes on the wire) for tests of page weight and of
//   what the search downloads, and for the search benchmark (scripts/bench_search/).

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

const COMPRESSIBLE = new Set([
  '.html', '.css', '.js', '.mjs', '.json', '.map', '.webmanifest', '.xml', '.txt', '.csv', '.svg',
]);

/**
 * Serve `root` at http://127.0.0.1:PORT/PREFIX.
 * @param {string} root  folder of the built site
 * @param {object} [opts]
 * @param {string} [opts.prefix='/']   URL path the site lives under, with slashes at both ends
 * @param {boolean} [opts.gzip=true]   compress text when the client accepts gzip
 * @param {number} [opts.port=0]       0 = any free port
 * @param {number} [opts.gzipLevel=9]  zlib level of the gzip sent
 * @param {string} [opts.cacheControl='no-cache']  the Cache-Control header of every answer
 * @param {Object<string,string>} [opts.files]  extra pages that exist only in this server, by URL path
 * @param {()=>object} [opts.tag]      fields added to each request's log entry (a benchmark's phase)
 * @returns {Promise<{origin:string, url:(p?:string)=>string, port:number, prefix:string,
 *   requests:object[], close:()=>Promise<void>}>}
 *   Each request is logged as { method, url, path, status, bytes, time, ...tag() }.
 */
export async function serveSite(root, opts = {}) {
  root = path.resolve(root);
  const prefix = normalisePrefix(opts.prefix ?? '/');
  const gzip = opts.gzip ?? true;
  const gzipLevel = opts.gzipLevel ?? 9;
  const extraFiles = opts.files ?? {};
  const requests = [];
  const gzipCache = new Map();

  async function readFileOrNull(file) {
    try {
      return await fs.readFile(file);
    } catch {
      return null;
    }
  }

  async function send(req, res, status, file, body, extraHeaders = {}) {
    const ext = path.extname(file).toLowerCase();
    const headers = {
      'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': opts.cacheControl ?? 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      ...extraHeaders,
    };
    let payload = body;
    const acceptsGzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (gzip && acceptsGzip && COMPRESSIBLE.has(ext) && body.length > 0) {
      const key = `${file}:${body.length}`;
      payload = gzipCache.get(key);
      if (!payload) {
        payload = zlib.gzipSync(body, { level: gzipLevel });
        gzipCache.set(key, payload);
      }
      headers['Content-Encoding'] = 'gzip';
      headers['Vary'] = 'Accept-Encoding';
    }
    headers['Content-Length'] = payload.length;
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
    return payload.length;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const entry = { method: req.method, url: req.url, path: url.pathname, status: 0, bytes: 0, time: Date.now(), ...opts.tag?.() };
    requests.push(entry);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      entry.status = 405;
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = null;
    }
    const notFound = async () => {
      const page = await readFileOrNull(path.join(root, '404.html'));
      entry.status = 404;
      if (page) {
        entry.bytes = await send(req, res, 404, '404.html', page);
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('404 Not Found (and the site has no 404.html)\n');
      }
    };
    if (pathname === null || pathname.includes('\0')) return notFound();
    if (Object.hasOwn(extraFiles, pathname)) {
      entry.status = 200;
      entry.bytes = await send(req, res, 200, pathname, Buffer.from(extraFiles[pathname]));
      return;
    }
    if (pathname + '/' === prefix) {
      entry.status = 301;
      res.writeHead(301, { Location: prefix + url.search });
      res.end();
      return;
    }
    if (!pathname.startsWith(prefix)) return notFound();
    const rel = pathname.slice(prefix.length);
    let file = path.resolve(root, '.' + path.posix.sep + rel);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound();
    let stat = await fs.stat(file).catch(() => null);
    if (stat?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        entry.status = 301;
        res.writeHead(301, { Location: url.pathname + '/' + url.search });
        res.end();
        return;
      }
      file = path.join(file, 'index.html');
      stat = await fs.stat(file).catch(() => null);
    }
    if (!stat?.isFile()) return notFound();
    const body = await fs.readFile(file);
    entry.status = 200;
    entry.bytes = await send(req, res, 200, file, body);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(String(err?.stack ?? err));
    });
  });
  // Let close() end idle keep-alive connections at once.
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    prefix,
    requests,
    /** Absolute URL of a site path: url('/thu-tuc/') → http://127.0.0.1:PORT/tthc/thu-tuc/ */
    url: (p = '/') => origin + prefix + String(p).replace(/^\//, ''),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function normalisePrefix(p) {
  let out = p.startsWith('/') ? p : '/' + p;
  if (!out.endsWith('/')) out += '/';
  return out;
}
