// The editor of `niemyet serve` in a real browser, acting as staff over a temporary copy of
// the demo site: from a procedure's page to its form, a change of title and service level
// saved and shown; errors at their fields; every demo file saved unchanged stays
// byte-identical; axe and the Nu HTML Checker find nothing in the forms; screenshots at
// 360 and 1280 px go to artifacts/editor/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { artifactDir, binaryPath, copyDemo, useBrowser } from './lib/harness.mjs';
import { axeViolations, javaVersion, vnuCheck } from './lib/quality.mjs';
import { startPreview } from './lib/preview.mjs';

const PAGE = '/thu-tuc/cong-bo-hop-chuan-tu-danh-gia/';
const FILE = 'content/procedures/tieu-chuan/cong-bo-hop-chuan-tu-danh-gia.md';

const browser = useBrowser();
let demo;
let preview;
const shots = artifactDir('editor');

before(async () => {
  demo = await copyDemo();
  preview = await startPreview(binaryPath(), demo.root);
});

after(async () => {
  await preview?.stop();
  await demo?.cleanup();
});

const read = (rel) => fs.readFile(path.join(demo.root, rel), 'utf8');

/** Every page of the demo that has a form: procedures, notices and plain pages. */
async function editablePages(page) {
  const paths = new Set();
  for (const list of ['/thu-tuc/', '/tin-tuc/', '/']) {
    await page.goto(preview.url(list));
    const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => new URL(a.href).pathname));
    for (const href of hrefs) if (/^\/(thu-tuc|tin-tuc)\/[^/]+\/$|^\/gioi-thieu\/$/.test(href)) paths.add(href);
  }
  paths.delete('/thu-tuc/trang/');
  return [...paths].sort();
}

describe('the editor', () => {
  it('saves a new title and service level from the page and shows them, keeping comments and body', async () => {
    const before = await read(FILE);
    const { page } = await browser.open(preview.url(PAGE));
    await page.getByRole('link', { name: 'Sửa trang này' }).click();
    await page.waitForURL(/\/_sua\//);
    await page.locator('#f-title').fill('Công bố hợp chuẩn (đã sửa)');
    await page.locator('#f-service_level').selectOption({ label: 'Mức độ 3' });
    const started = performance.now();
    await Promise.all([page.waitForURL(preview.url(PAGE)), page.getByRole('button', { name: 'Lưu' }).click()]);
    await page.getByRole('heading', { level: 1, name: 'Công bố hợp chuẩn (đã sửa)' }).waitFor();
    console.log(`save to updated page (demo, 18 procedures): ${Math.round(performance.now() - started)} ms`);
    assert.match(await page.content(), /Mức độ 3/);
    const after = await read(FILE);
    const changed = before
      .replace(/^title = .*$/m, 'title = "Công bố hợp chuẩn (đã sửa)"')
      .replace(/^service_level = .*$/m, 'service_level = 3');
    assert.equal(after, changed, 'only the two values changed; comments, order and body stay');
  });

  it('asks before a form with unsaved changes is left', async () => {
    const { page } = await browser.open(preview.url(`/_sua${PAGE}`));
    await page.locator('#f-fee').fill('100.000 đồng');
    const asked = new Promise((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.type());
        dialog.dismiss().catch(() => {});
      }),
    );
    page.goto(preview.url('/')).catch(() => {});
    assert.equal(await asked, 'beforeunload');
    assert.match(page.url(), /\/_sua\//, 'the form stays');
  });

  it('can be used with the keyboard alone, from the page to a saved change', async () => {
    const { page } = await browser.open(preview.url(PAGE), { viewport: { width: 360, height: 800 } });
    await page.locator('nav.niemyet-edit').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'preview-page-links-360.png') });
    await page.locator('nav.niemyet-edit a').first().focus();
    await Promise.all([page.waitForURL(/\/_sua\//), page.keyboard.press('Enter')]);
    for (let i = 0; i < 3 && (await page.evaluate(() => document.activeElement.id)) !== 'f-title'; i++) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-title', 'the title is the first field');
    await page.keyboard.press('End');
    await page.keyboard.type(' (bàn phím)');
    await Promise.all([page.waitForURL(preview.url(PAGE)), page.keyboard.press('Enter')]);
    await page.getByRole('heading', { level: 1, name: /\(bàn phím\)$/ }).waitFor();
  });

  it('never overwrites a file changed on disk since its form was opened', async () => {
    const { page } = await browser.open(preview.url(`/_sua${PAGE}`));
    const elsewhere = (await read(FILE)).replace(/^fee = .*$/m, 'fee = "Đổi ở nơi khác"');
    await fs.writeFile(path.join(demo.root, FILE), elsewhere);
    await page.locator('#f-title').fill('Sửa cùng lúc');
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu' }).click()]);
    assert.equal(response.status(), 409);
    const notice = await page.locator('.conflict').textContent();
    assert.match(notice, /Phí, lệ phí/, 'it names the field that differs');
    assert.equal(await page.locator('#f-title').inputValue(), 'Sửa cùng lúc', 'what was typed stays');
    assert.equal(await read(FILE), elsewhere);
  });

  it('shows errors in a summary and at their fields, and writes nothing', async () => {
    const before = await read(FILE);
    // One at a time, as check finds them: a file with an empty title is not read, so its
    // code is compared with the others' only once the title is there.
    for (const [key, value] of [
      ['title', ''],
      ['code', '1.000995'],
    ]) {
      const { page } = await browser.open(preview.url(`/_sua${PAGE}`));
      await page.locator(`#f-${key}`).fill(value);
      await page.getByRole('button', { name: 'Lưu' }).click();
      await page.locator('.summary').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'errors', 'the focus moves to the summary');
      assert.equal(await page.locator(`.summary a[href="#f-${key}"]`).count(), 1, key);
      assert.equal(await page.locator(`#f-${key}`).getAttribute('aria-invalid'), 'true', key);
      assert.equal(await page.locator(`#f-${key}`).inputValue(), value, 'what was typed stays');
      await page.locator(`.summary a[href="#f-${key}"]`).click();
      assert.equal(await page.evaluate(() => document.activeElement.id), `f-${key}`, 'the link leads to the field');
      assert.equal(await read(FILE), before);
      await page.setViewportSize({ width: 360, height: 800 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(shots, `errors-${key}-360.png`) });
      assert.deepEqual(await axeViolations(page), [], 'axe on the form with errors');
    }
  });

  it('leaves every file of the demo byte-identical when its form is saved unchanged', async () => {
    const { page } = await browser.open(preview.url('/'));
    const pages = await editablePages(page);
    assert.ok(pages.length >= 25, `${pages.length} pages`);
    const files = await fs.readdir(path.join(demo.root, 'content'), { recursive: true });
    const before = new Map();
    for (const f of files) if (f.endsWith('.md')) before.set(f, await read(path.join('content', f)));
    for (const p of pages) {
      await page.goto(preview.url(`/_sua${p}`));
      await Promise.all([page.waitForURL(preview.url(p)), page.getByRole('button', { name: 'Lưu' }).click()]);
    }
    for (const [f, text] of before) assert.equal(await read(path.join('content', f)), text, f);
  });

  it('makes a new procedure and a new notice that pass check', async () => {
    const { page } = await browser.open(preview.url('/_sua/moi/thu-tuc/'));
    await page.locator('#f-title').fill('Thủ tục thử của biên tập');
    await page.locator('#f-code').fill('9.999001');
    await page.locator('#f-field').fill('Tiêu chuẩn Đo lường Chất lượng');
    await page.locator('#f-agency').fill('Sở Khoa học và Công nghệ');
    await page.locator('#f-service_level').selectOption({ index: 1 });
    await page.getByLabel('Không qua bưu chính').check();
    await Promise.all([page.waitForURL(/\/thu-tuc\/thu-tuc-thu-cua-bien-tap\/$/), page.getByRole('button', { name: 'Lưu' }).click()]);
    await page.goto(preview.url('/_sua/moi/tin-tuc/'));
    await page.locator('#f-title').fill('Tin thử của biên tập');
    await page.locator('#f-procedures').fill('9.999001');
    await Promise.all([page.waitForURL(/\/tin-tuc\/tin-thu-cua-bien-tap\/$/), page.getByRole('button', { name: 'Lưu' }).click()]);
    const { execFile } = await import('node:child_process');
    const status = await new Promise((resolve) =>
      execFile(binaryPath(), ['check', '--root', demo.root], (error) => resolve(error ? error.code : 0)),
    );
    assert.equal(status, 0);
  });

  it('has forms that axe and the Nu HTML Checker find nothing in, shown at 360 and 1280 px', async () => {
    const dir = artifactDir('editor', 'html');
    const files = [];
    for (const [name, url] of [
      ['procedure', `/_sua${PAGE}`],
      ['notice', '/_sua/moi/tin-tuc/'],
      ['new-procedure', '/_sua/moi/thu-tuc/'],
      ['page', '/_sua/gioi-thieu/'],
    ]) {
      for (const width of [360, 1280]) {
        const { page, response } = await browser.open(preview.url(url), { viewport: { width, height: 900 } });
        assert.equal(response.status(), 200, url);
        assert.deepEqual(await axeViolations(page), [], `${url} at ${width}px`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${url} at ${width}px is ${overflow}px too wide`);
        await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: width === 1280 });
        if (width === 360) {
          const file = path.join(dir, `${name}.html`);
          await fs.writeFile(file, await response.text());
          files.push(file);
        }
      }
    }
    if (await javaVersion()) {
      const { errors } = await vnuCheck(files);
      assert.deepEqual(errors, []);
    }
  });
});

describe('form files', () => {
  it('uploads a PDF under a safe name and links it on the page', async () => {
    const { page } = await browser.open(preview.url(`/_sua${PAGE}`));
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    // The procedure already has forms: the new one goes in the empty group after them.
    const names = page.locator('[id^="f-forms."][id$=".name"]');
    const blank = (await names.count()) - 1;
    assert.ok(blank >= 1, 'the demo procedure lists its own forms first');
    assert.equal(await names.nth(blank).inputValue(), '', 'the last group is empty, for a new form');
    await page.locator(`[id="f-forms.${blank}.name"]`).fill('Tờ khai đăng ký');
    await page.locator(`[id="f-forms.${blank}._upload"]`).setInputFiles({ name: 'con.pdf', mimeType: 'application/pdf', buffer: pdf });
    await Promise.all([page.waitForURL(preview.url(PAGE)), page.getByRole('button', { name: 'Lưu' }).click()]);
    const saved = path.join(demo.root, 'static', 'mau-don', '1.000047', 'tep-con.pdf');
    assert.deepEqual(await fs.readFile(saved), pdf);
    assert.equal(await page.locator('a[href$="mau-don/1.000047/tep-con.pdf"]').count(), 1, 'the page links to it');
    assert.equal(await page.locator('a[href*="mau-don/1.000047/"]').count(), blank + 1, 'the forms it had are still linked');
  });
});
