// Helpers of the quality tests (issue 5): every page kind of a built site, axe-core in the
// page, the Nu HTML Checker (vnu.jar) over files, layout measurements and page weight.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { BROWSER_DIR, pageKinds, words } from './harness.mjs';
import { settledHits, typeQuery } from './search.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** axe-core's browser bundle, injected into each page checked. */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The Nu HTML Checker of the npm package vnu-jar. */
export const VNU_JAR = path.join(BROWSER_DIR, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

/**
 * Every page kind of a built site: pageKinds() (home, lists, filters, notices, plain page,
 * statistics, search, 404), plus an amended and an abolished procedure where the site has
 * them, and the search page with a query typed and its results shown (`search` holds the
 * query). `prefer.stress`: the code of a procedure with very long names, whose page and
 * the pages of its field and agency are added. Each entry: { kind, path, status?,
 * record?, search? }.
 */
export function allKinds(site, prefer = {}) {
  const data = site.openData();
  const kinds = pageKinds(site, prefer).map((k) => ({ ...k }));
  const byPath = new Map(data.map((r) => [r.path, r]));
  for (const k of kinds) if (k.kind === 'procedure') k.record = byPath.get(k.path);
  const at = kinds.findIndex((k) => k.kind === 'procedure') + 1;
  const extra = [];
  for (const status of ['amended', 'abolished']) {
    const rec = data.find((r) => r.status === status);
    if (rec) extra.push({ kind: `procedure ${status}`, path: rec.path, record: rec });
  }
  kinds.splice(at, 0, ...extra);
  if (prefer.stress) {
    // The procedure with the longest names, and the pages of its field and its agency.
    const rec = byPath.get(data.find((r) => r.code === prefer.stress)?.path);
    if (!rec) throw new Error(`no procedure ${prefer.stress} in the site`);
    const listing = (section) => {
      const dir = path.join(site.dir, section);
      const slug = fs.readdirSync(dir).find((n) => {
        const f = path.join(dir, n, 'index.html');
        return fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes(`href="../../${rec.path.slice(1)}"`);
      });
      if (!slug) throw new Error(`no /${section}/ page lists ${rec.path}`);
      return `/${section}/${slug}/`;
    };
    kinds.push(
      { kind: 'procedure long names', path: rec.path, record: rec },
      { kind: 'field long name', path: listing('linh-vuc') },
      { kind: 'agency long name', path: listing('co-quan') },
    );
  }
  if (site.hasSearch()) {
    const procedure = kinds.find((k) => k.kind === 'procedure').record;
    // Two words of a procedure's title, typed without diacritics: a query with hits.
    const q = words(procedure.title).slice(0, 2).join(' ');
    const search = kinds.findIndex((k) => k.kind === 'search');
    kinds.splice(search + 1, 0, { kind: 'search results', path: '/tim-kiem/', search: q });
  }
  return kinds;
}

/** File-name form of a page kind ("procedure amended" → "procedure-amended"). */
export const kindName = (k) => k.kind.replace(/\s+/g, '-');

/**
 * Open a page kind in `page` (a page of a JavaScript-enabled context): go to it and, for
 * "search results", type the query and wait for its hits. Returns the response.
 */
export async function showKind(page, site, k) {
  const response = await page.goto(site.url(k.path), { waitUntil: 'load' });
  if (await page.evaluate(() => document.scripts.length > 0).catch(() => false)) {
    await page.waitForLoadState('networkidle').catch(() => {});
  }
  if (k.search) {
    await typeQuery(page, k.search);
    const hits = await settledHits(page);
    if (!hits.length) throw new Error(`search for ${JSON.stringify(k.search)} showed no hits`);
  }
  return response;
}

/**
 * Run axe-core in the page with its default rules (WCAG 2.0–2.2 A and AA and the
 * best practices) and return the violations as short readable lines.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes
        .slice(0, 5)
        .map((n) => `      ${n.target}\n        ${String(n.summary).replace(/\n/g, '\n        ')}`)
        .join('\n') +
      (v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : ''),
  );
}

/** Is a Java runtime on the PATH? */
export async function javaVersion() {
  try {
    const { stderr, stdout } = await run('java', ['-version']);
    return (stderr || stdout).split('\n')[0].trim();
  } catch {
    return null;
  }
}

/**
 * Check files with the Nu HTML Checker (`--errors-only`; CSS files too with
 * `--also-check-css`). Returns { files, errors: [{ file, line, message, extract }] }.
 */
export async function vnuCheck(files, { css = false } = {}) {
  const args = ['-Xss4m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', '--exit-zero-always'];
  if (css) args.push('--also-check-css');
  // vnu prints its JSON report on stderr.
  const { stderr } = await run('java', [...args, ...files], { maxBuffer: 256 << 20 });
  const report = JSON.parse(stderr);
  const errors = report.messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error')
    .map((m) => ({
      file: m.url ? decodeURIComponent(m.url.replace(/^file:/, '')) : '?',
      line: m.lastLine,
      message: m.message,
      extract: (m.extract ?? '').replace(/\s+/g, ' ').trim(),
    }));
  return { files: files.length, errors };
}

/** Every file under `dir` whose name ends with `ext`, sorted. */
export function filesUnder(dir, ext) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Bytes of `buf` gzipped as lib/server.mjs sends it (level 9). */
export const gzipSize = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

/**
 * What makes a page scroll sideways: its scroll width against the viewport's width, and
 * the first elements that stick out past the right edge. `scrollers`: the boxes inside
 * the page that scroll sideways themselves (a wide table in its box), with whether the
 * keyboard can reach the box itself (tabindex="0") to scroll it.
 */
export function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const culprits = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 0.5 && r.width > 0 && getComputedStyle(el).position !== 'absolute') {
        const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '';
        culprits.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(r.right)}`);
      }
    }
    const scrollers = [...document.querySelectorAll('body *')]
      .filter((el) => /auto|scroll/.test(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
      .map((el) => ({
        what: `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''}` +
          ` (${el.scrollWidth} px in ${el.clientWidth} px)`,
        keyboard: el.tabIndex >= 0 && el.getAttribute('tabindex') !== null,
        named: !!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')),
      }));
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits: culprits.slice(0, 5), scrollers };
  });
}

/** Is pdftotext (poppler-utils) on the PATH? Its text of a PDF file, or null without it. */
export async function pdfText(file) {
  try {
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 << 20 });
    return stdout;
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * A procedure that stresses the layout, added to the generated site: a 400-character
 * title, field and agency names as long, a long code and long unbroken words, a wide
 * table of six columns and a long address.
 */
export const STRESS_CODE = '1.009999.000.00.00.H59';
const LONG_TITLE = (
  'Thủ tục cấp, cấp lại, sửa đổi, bổ sung, gia hạn Giấy chứng nhận đủ điều kiện hoạt động ' +
  'thử nghiệm, kiểm định, hiệu chuẩn phương tiện đo, chuẩn đo lường, thiết bị đo lường nhóm 2 ' +
  'và hàng đóng gói sẵn theo định lượng trong lĩnh vực tiêu chuẩn, đo lường, chất lượng sản phẩm, ' +
  'hàng hóa đối với tổ chức, doanh nghiệp có vốn đầu tư nước ngoài hoạt động tại khu công nghiệp, ' +
  'khu chế xuất, khu kinh tế trên địa bàn tỉnh'
).slice(0, 400);
const LONG_FIELD =
  'Tiêu chuẩn, đo lường, chất lượng sản phẩm, hàng hóa; năng lượng nguyên tử, an toàn bức xạ và hạt nhân; ' +
  'sở hữu trí tuệ; chuyển giao công nghệ; ứng dụng tiến bộ khoa học kỹ thuật; thông tin, thống kê khoa học ' +
  'và công nghệ; phát triển tiềm lực khoa học và công nghệ; hoạt động khoa học và công nghệ trong doanh ' +
  'nghiệp, tổ chức khoa học và công nghệ công lập và ngoài công lập trên địa bàn tỉnh, thành phố';
const LONG_AGENCY =
  'Chi cục Tiêu chuẩn Đo lường Chất lượng thuộc Sở Khoa học và Công nghệ tỉnh, phối hợp với Trung tâm ' +
  'Kỹ thuật Tiêu chuẩn Đo lường Chất lượng và Ban Quản lý các khu công nghiệp, khu chế xuất, khu kinh tế';
export const STRESS_TITLE = LONG_TITLE;
export const STRESS_PROCEDURE = `+++
title = ${JSON.stringify(LONG_TITLE)}
code = "${STRESS_CODE}"
field = ${JSON.stringify(LONG_FIELD)}
agency = ${JSON.stringify(LONG_AGENCY)}
service_level = 4
postal = "return"
status = "amended"
processing_time = "Trong thời hạn 15 (mười lăm) ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ theo quy định"
fee = "Phí thẩm định: 2.500.000 đồng/hồ sơ; lệ phí cấp giấy chứng nhận: 100.000 đồng/giấy"
submit_at = "Bộ phận tiếp nhận và trả kết quả của Trung tâm Phục vụ Hành chính công tỉnh, số 000 đường Nguyễn-Thị-Minh-Khai-Phường-Bến-Thành"
online_url = "https://dichvucong.example.gov.vn/p/home/dvc-chi-tiet-thu-tuc-nganh-doc.html?ma_thu_tuc=1.009999.000.00.00.H59&tinh=00"
decision = "1234/QĐ-UBND-KGVX-TCĐLCL"
decision_date = 2021-03-15
updated = 2021-03-16
applicants = ["Tổ chức, doanh nghiệp có vốn đầu tư nước ngoài", "Tổ chức khoa học và công nghệ công lập và ngoài công lập"]

[[channels]]
kind = "direct"
processing_time = "15 ngày làm việc"
fee = "2.500.000 đồng"
note = "Nộp tại Trung tâm Phục vụ Hành chính công; mang theo bản chính để đối chiếu"

[[channels]]
kind = "online"
processing_time = "12 ngày làm việc"
fee = "1.250.000 đồng (giảm 50%)"
note = "https://dichvucong.example.gov.vn/p/home/dvc-chi-tiet-thu-tuc-nganh-doc.html?ma_thu_tuc=1.009999"
+++
Thủ tục giả để kiểm thử bố cục: tên dài 400 ký tự, bảng rộng, địa chỉ dài
https://dichvucong.example.gov.vn/p/home/dvc-chi-tiet-thu-tuc-nganh-doc.html?ma_thu_tuc=1.009999.000.00.00.H59&tinh=00&huong_dan=co

## Trình tự thực hiện

1. Tổ chức chuẩn bị hồ sơ theo quy định và nộp tại Trung tâm Phục vụ Hành chính công.
2. Cơ quan tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ.

## Thành phần hồ sơ

- Đơn đề nghị cấp Giấy chứng nhận (Mẫu số 01-ĐNCGCN-TNKĐHCĐL-NHÓM2-ĐÓNGGÓISẴN);
- Bản sao Giấy chứng nhận đăng ký doanh nghiệp hoặc Quyết định thành lập;
- Danh sách thử nghiệm viên, kiểm định viên, hiệu chuẩn viên kèm bản sao chứng chỉ đào tạo.

## Phí, lệ phí

| Trường hợp | Mức thu lần đầu | Mức thu cấp lại | Mức thu gia hạn | Giảm khi nộp trực tuyến | Căn cứ pháp lý |
|---|---:|---:|---:|---|---|
| Thử nghiệm phương tiện đo nhóm 2 | 2.500.000 đồng | 1.250.000 đồng | 1.000.000 đồng | 50% đến hết ngày 31/12/2025 | Thông tư 183/2016/TT-BTC-sửa-đổi-bổ-sung |
| Kiểm định, hiệu chuẩn chuẩn đo lường | 3.000.000 đồng | 1.500.000 đồng | 1.200.000 đồng | 50% đến hết ngày 31/12/2025 | Thông tư 183/2016/TT-BTC-sửa-đổi-bổ-sung |
`;
