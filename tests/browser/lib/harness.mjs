// Shared harness of the real-browser tests: build a site with the release binary into a
// temporary folder, serve it, drive Debian's chromium through playwright-core, collect
// every console error, page error, failed request and dialog of each page, and close
// everything at the end.
//
// A test file typically does:
//
//   import { describe, it } from 'node:test';
//   import { useSite, useBrowser } from './lib/harness.mjs';
//   const site = useSite({ demo: true });        // built + served in before(), closed in after()
//   const browser = useBrowser();                // one chromium per test file
//   it('...', async () => {
//     const { page, response, problems } = await browser.open(site.url('/thu-tuc/'));
//     ...
//   });
//
// Environment:
//   NIEMYET_BIN       the niemyet binary (default: $CARGO_TARGET_DIR or ../../target, then
//                     release/niemyet; `cargo build --release` must have run)
//   CHROMIUM_PATH     the browser (default /usr/bin/chromium)
//   KEEP_SITES=1      keep the temporary site folders (their paths are printed)

import { after, before } from 'node:test';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { serveSite } from './server.mjs';

const run = promisify(execFile);

export const BROWSER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(BROWSER_DIR, '../..');
/** Git-ignored folder for screenshots and other artefacts. */
export const ARTIFACTS = path.join(BROWSER_DIR, 'artifacts');

import { CHROMIUM_ARGS } from './chromium.mjs';

export { CHROMIUM_ARGS };

/** Filter sections of the site (contract §5) and the plain top-level folders that are not pages. */
export const FILTER_SECTIONS = ['muc-do', 'buu-chinh', 'linh-vuc', 'co-quan'];
const GENERATED_SECTIONS = new Set([
  'assets', 'du-lieu', 'thu-tuc', 'tin-tuc', 'thong-ke', 'tim-kiem', 'niem-yet', 'mau-don', ...FILTER_SECTIONS,
]);

/** Postal words of the front matter and the URL slugs of contract §5. */
export const POSTAL_SLUG = { both: 'nhan-va-tra', receive: 'nhan-ho-so', return: 'tra-ket-qua', none: 'khong' };

/** The fold of the search spec: NFC, lower case, marks removed, đ → d. */
export function fold(s) {
  return String(s)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .normalize('NFC');
}

/** The words of a text as the search sees them. */
export function words(s) {
  return fold(s).split(/[^a-z0-9]+/).filter(Boolean);
}

export function binaryPath() {
  if (process.env.NIEMYET_BIN) return path.resolve(process.env.NIEMYET_BIN);
  const target = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO, process.env.CARGO_TARGET_DIR)
    : path.join(REPO, 'target');
  return path.join(target, 'release', 'niemyet');
}

/**
 * Write a generated site of `n` procedures with scripts/gen_site.py into a new temporary
 * folder, add the given extra files (path relative to the site folder → text), and return
 * the site folder. With `everyday: N`, scripts/everyday/make_queries.py then adds its
 * realistic procedures and writes queries.json (at most N queries of each kind) there.
 */
export async function generateSite(n, { extraFiles = {}, seed, everyday } = {}) {
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'niemyet-gen-'));
  const root = path.join(tmp, 'src');
  const args = [path.join(REPO, 'scripts', 'gen_site.py'), String(n), root];
  if (seed !== undefined) args.push('--seed', String(seed));
  await run('python3', args, { maxBuffer: 16 << 20 });
  if (everyday) {
    await run('python3', [path.join(REPO, 'scripts', 'everyday', 'make_queries.py'), root, '--per-kind', String(everyday)]);
  }
  for (const [rel, text] of Object.entries(extraFiles)) {
    const file = path.join(root, rel);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, text);
  }
  return { root, cleanup: () => fsp.rm(tmp, { recursive: true, force: true }) };
}

/**
 * Copy the repository's demo site (site.toml, content/, and static/ and themes/ when
 * present) into a new temporary folder, with `language` set in its site.toml (for the
 * English copy of the demo: `copyDemo({ language: 'en' })`). Returns the site folder.
 */
export async function copyDemo({ language } = {}) {
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'niemyet-demo-'));
  const root = path.join(tmp, 'src');
  await fsp.mkdir(root);
  for (const name of ['content', 'static', 'themes']) {
    const from = path.join(REPO, name);
    if (fs.existsSync(from)) await fsp.cp(from, path.join(root, name), { recursive: true });
  }
  let toml = await fsp.readFile(path.join(REPO, 'site.toml'), 'utf8');
  if (language) {
    const line = `language = ${JSON.stringify(language)}`;
    if (/^language\s*=.*$/m.test(toml)) toml = toml.replace(/^language\s*=.*$/m, line);
    else toml = `${line}\n${toml}`;
  }
  await fsp.writeFile(path.join(root, 'site.toml'), toml);
  return { root, cleanup: () => fsp.rm(tmp, { recursive: true, force: true }) };
}

/**
 * Build the site in `root` (default: the repository's demo site) into a new temporary
 * folder with the release binary, and serve it under `prefix`. The site is built with
 * --base-url pointing at the test server, so even its absolute links (404.html, feed,
 * sitemap) lead to the served copy.
 */
export async function startSite({ root = REPO, prefix = '/tthc/', drafts = false, gzip = true } = {}) {
  const bin = binaryPath();
  if (!fs.existsSync(bin)) {
    throw new Error(`${bin} does not exist: run \`cargo build --release\` first (or set NIEMYET_BIN)`);
  }
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'niemyet-site-'));
  const dir = path.join(tmp, 'site');
  const server = await serveSite(dir, { prefix, gzip });
  const args = ['build', '--root', root, '--output', dir, '--base-url', server.url('/')];
  if (drafts) args.push('--drafts');
  try {
    await run(bin, args, { maxBuffer: 64 << 20 });
  } catch (err) {
    await server.close();
    await fsp.rm(tmp, { recursive: true, force: true });
    throw new Error(`niemyet ${args.join(' ')} failed:\n${err.stderr || err.message}`);
  }
  if (process.env.KEEP_SITES) console.log(`# site of ${root} kept in ${dir}`);
  let openData;
  return {
    root,
    dir,
    prefix,
    origin: server.origin,
    url: server.url,
    requests: server.requests,
    /** Does the built site hold this path (relative to the site root)? */
    has: (rel) => fs.existsSync(path.join(dir, rel)),
    /** The search page and its index exist (contract §7; index format in the search spec). */
    hasSearch: () =>
      fs.existsSync(path.join(dir, 'tim-kiem', 'index.html')) &&
      fs.existsSync(path.join(dir, 'tim-kiem', 'chi-muc', 'meta.json')),
    /** du-lieu/thu-tuc.json, parsed once. */
    openData: () => (openData ??= JSON.parse(fs.readFileSync(path.join(dir, 'du-lieu', 'thu-tuc.json'), 'utf8'))),
    /** Site path (`/thu-tuc/x/`) of an absolute URL of this server, or null for another host. */
    sitePath(href) {
      const u = new URL(href);
      if (u.origin !== server.origin || !u.pathname.startsWith(prefix)) return null;
      return '/' + decodeURIComponent(u.pathname.slice(prefix.length));
    },
    async close() {
      await server.close();
      if (!process.env.KEEP_SITES) await fsp.rm(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * The page kinds of a built site (contract §5), discovered from its output: one
 * representative URL of each kind. `prefer` picks a given procedure code, level, postal
 * mode where present.
 */
export function pageKinds(site, prefer = {}) {
  const subfolders = (rel) => {
    const d = path.join(site.dir, rel);
    if (!fs.existsSync(d)) return [];
    return fs
      .readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(d, e.name, 'index.html')))
      .map((e) => e.name)
      .sort();
  };
  const pick = (list, wanted) => (wanted && list.includes(wanted) ? wanted : list[list.length - 1]);
  const data = site.openData();
  const active = data.filter((r) => r.status !== 'abolished');
  const procedure = active.find((r) => r.code === prefer.code) ?? active[0];
  const kinds = [
    { kind: 'home', path: '/' },
    { kind: 'procedures', path: '/thu-tuc/' },
    { kind: 'procedure', path: procedure.path },
    { kind: 'levels', path: '/muc-do/' },
    { kind: 'level', path: `/muc-do/${pick(subfolders('muc-do'), prefer.level)}/` },
    { kind: 'postal modes', path: '/buu-chinh/' },
    { kind: 'postal mode', path: `/buu-chinh/${pick(subfolders('buu-chinh'), prefer.postal ?? 'khong')}/` },
    { kind: 'fields', path: '/linh-vuc/' },
    { kind: 'field', path: `/linh-vuc/${subfolders('linh-vuc')[0]}/` },
    { kind: 'agencies', path: '/co-quan/' },
    { kind: 'agency', path: `/co-quan/${subfolders('co-quan')[0]}/` },
    { kind: 'notices', path: '/tin-tuc/' },
  ];
  // A listing's second page, when the list of procedures runs past one page.
  if (site.has('thu-tuc/trang/2/index.html')) kinds.splice(2, 0, { kind: 'list page 2', path: '/thu-tuc/trang/2/' });
  const notices = subfolders('tin-tuc');
  if (notices.length) kinds.push({ kind: 'notice', path: `/tin-tuc/${notices[0]}/` });
  const pages = subfolders('').filter((n) => !GENERATED_SECTIONS.has(n));
  const plain = prefer.page && pages.includes(prefer.page) ? prefer.page : pages[0];
  if (plain) kinds.push({ kind: 'plain page', path: `/${plain}/` });
  kinds.push({ kind: 'statistics', path: '/thong-ke/' });
  if (site.has('niem-yet/index.html')) {
    kinds.push({ kind: 'posting sheets', path: '/niem-yet/' }, { kind: 'posting sheet', path: `/niem-yet/${subfolders('niem-yet')[0]}/` });
  }
  if (site.has('tim-kiem/index.html')) kinds.push({ kind: 'search', path: '/tim-kiem/' });
  kinds.push({ kind: 'not found', path: '/thu-tuc/khong-co-thu-tuc-nay/', status: 404 });
  return kinds;
}

/** Launch Debian's chromium (playwright gives it a fresh user-data-dir). */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * Record everything that goes wrong on a page: console errors, uncaught errors, failed
 * requests, HTTP errors of sub-resources, and dialogs (alert, confirm…), which are
 * dismissed. Returns the live array of messages.
 */
export function watchPage(page) {
  const problems = [];
  page.on('console', (msg) => {
    // Errors, and warnings too: a script that catches its own failure often reports it
    // with console.warn.
    const type = msg.type();
    if (type === 'error' || type === 'warning') {
      const where = msg.location()?.url;
      problems.push({ kind: type === 'error' ? 'console' : 'console.warn', text: msg.text(), url: where || '' });
    }
  });
  page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: String(err?.stack || err) }));
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText ?? '';
    // A fetch cancelled on purpose (a newer keystroke supersedes it) is not a fault.
    if (why === 'net::ERR_ABORTED' && req.resourceType() !== 'document') return;
    problems.push({ kind: 'requestfailed', text: `${req.url()} ${why}`, url: req.url() });
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document') {
      problems.push({ kind: 'http', text: `${res.status()} ${res.url()}`, url: res.url() });
    }
  });
  page.on('dialog', (dialog) => {
    problems.push({ kind: 'dialog', text: `${dialog.type()}: ${dialog.message()}` });
    dialog.dismiss().catch(() => {});
  });
  return problems;
}

/** Problems as readable lines, for assertion messages. */
export function describeProblems(problems) {
  return problems.map((p) => `  [${p.kind}] ${p.text}${p.url && !p.text.includes(p.url) ? ` (${p.url})` : ''}`).join('\n');
}

/**
 * Problems of a page, less the one that an expected error status of the document itself
 * causes (Chromium logs "Failed to load resource: … 404" for a 404 page).
 */
export function unexpectedProblems(problems, { url, status } = {}) {
  return problems.filter(
    (p) => !(status >= 400 && p.kind === 'console' && p.url === url && /Failed to load resource/.test(p.text)),
  );
}

/**
 * node:test fixture: a built and served site, ready in before(), closed in after().
 * Options: { root } a site folder (default the demo), { generate: n, extraFiles } for
 * a site written by scripts/gen_site.py, or { language: 'en' } for a copy of the demo in
 * that language. The returned object gains startSite()'s fields.
 */
export function useSite(options = {}) {
  const fx = {};
  let cleanup;
  before(
    async () => {
      let root = options.root;
      if (options.generate) {
        const gen = await generateSite(options.generate, options);
        root = gen.root;
        fx.sourceRoot = root;
        cleanup = gen.cleanup;
      } else if (options.language) {
        const copy = await copyDemo(options);
        root = copy.root;
        cleanup = copy.cleanup;
      }
      Object.assign(fx, await startSite({ ...options, root: root ?? REPO }));
    },
    { timeout: 180_000 },
  );
  after(async () => {
    await fx.close?.();
    if (!process.env.KEEP_SITES) await cleanup?.();
  });
  return fx;
}

/**
 * node:test fixture: one chromium per test file. `fx.open(url, contextOptions)` opens a
 * page in a new context (so each page starts with no cache, cookies or storage) and
 * returns { page, context, response, problems }; contexts are closed with the browser.
 */
export function useBrowser() {
  const fx = { browser: null };
  before(
    async () => {
      fx.browser = await launchBrowser();
    },
    { timeout: 90_000 },
  );
  after(async () => {
    await fx.browser?.close();
  });
  fx.newPage = async (contextOptions = {}) => {
    const context = await fx.browser.newContext(contextOptions);
    const page = await context.newPage();
    const problems = watchPage(page);
    return { page, context, problems };
  };
  fx.open = async (url, contextOptions = {}) => {
    const { page, context, problems } = await fx.newPage(contextOptions);
    const response = await page.goto(url, { waitUntil: 'load' });
    return { page, context, response, problems };
  };
  return fx;
}

/** Make a folder under artifacts/ and return its path. */
export function artifactDir(...parts) {
  const d = path.join(ARTIFACTS, ...parts);
  fs.mkdirSync(d, { recursive: true });
  return d;
}
