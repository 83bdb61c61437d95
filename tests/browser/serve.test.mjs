// `niemyet serve` in a real browser: a page open in the preview follows the edits of its
// file without a reload by hand (in place, keeping its scroll position; a page with
// scripts of its own reloads), and shows the errors of a broken file over the last good
// page until the file is fixed. Runs over a temporary copy of the demo site.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { binaryPath, copyDemo, describeProblems, unexpectedProblems, useBrowser } from './lib/harness.mjs';
import { startPreview } from './lib/preview.mjs';

const PAGE = '/thu-tuc/cong-bo-hop-chuan-tu-danh-gia/';
const FILE = 'content/procedures/tieu-chuan/cong-bo-hop-chuan-tu-danh-gia.md';
const WAIT = { timeout: 20_000 };

const browser = useBrowser();
let demo;
let root;
let preview;

before(async () => {
  demo = await copyDemo();
  root = demo.root;
  preview = await startPreview(binaryPath(), root);
});

after(async () => {
  await preview?.stop();
  await demo?.cleanup();
});

/** The text of the error list over the page, or null while there is none. */
function overlayText() {
  const host = document.getElementById('niemyet-errors');
  return host ? host.shadowRoot.textContent : null;
}

/** Wait until `condition()` holds, checking every 20 ms, for up to WAIT.timeout. */
async function until(condition, what) {
  const deadline = Date.now() + WAIT.timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Wait until the preview has printed nothing for half a second: the rebuilds of earlier
 * saves are over, so a page opened now is not reloaded by one of them while it loads. */
async function settled() {
  let seen = -1;
  while (seen !== preview.lines.length) {
    seen = preview.lines.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('serve: live preview', () => {
  it('updates an open page in place when its file is saved, and shows errors over it until fixed', async () => {
    const { page, problems } = await browser.open(preview.url(PAGE));
    const file = path.join(root, FILE);
    const original = await fs.readFile(file, 'utf8');
    const originalTitle = original.match(/^title = "(.*)"$/m)[1];
    assert.equal(await page.locator('h1').first().textContent(), originalTitle);

    // The writer has scrolled down to the part being edited: the page follows the edit
    // in place, without a new document, and stays where it was.
    await page.setViewportSize({ width: 800, height: 400 });
    await page.evaluate(() => window.scrollTo(0, 300));
    const before = await page.evaluate(() => [performance.timeOrigin, window.scrollY]);
    const newTitle = 'Công bố hợp chuẩn: tiêu đề sửa trong bản xem trước';
    const edited = original.replace(/^title = ".*"$/m, `title = "${newTitle}"`);
    await fs.writeFile(file, edited);
    await page.waitForFunction((title) => document.querySelector('h1')?.textContent === title, newTitle, WAIT);
    assert.deepEqual(await page.evaluate(() => [performance.timeOrigin, window.scrollY]), before, 'the page was reloaded, or lost its place');
    assert.equal(await page.title(), `${newTitle} · ${await page.evaluate(() => document.querySelector('.site-title').textContent)}`);

    await fs.writeFile(file, edited.replace('title = "', 'title = = "'));
    const overlay = await page.waitForFunction(overlayText, null, WAIT);
    const text = await overlay.jsonValue();
    assert.match(text, new RegExp(`${FILE.replaceAll('.', '\\.')}:2:\\d+`), text);
    assert.equal(await page.locator('h1').first().textContent(), newTitle, 'the last good page stays under the errors');
    await until(() => preview.errors.some((line) => line.startsWith(`${FILE}:2:`)), 'the terminal shows the error');

    await fs.writeFile(file, original);
    await page.waitForFunction(
      (title) => !document.getElementById('niemyet-errors') && document.querySelector('h1')?.textContent === title,
      originalTitle,
      WAIT,
    );
    const bad = unexpectedProblems(problems);
    assert.deepEqual(bad, [], describeProblems(bad));
  });

  it('reloads a page that runs scripts of its own, such as the search page', async () => {
    await settled();
    const { page, problems } = await browser.open(preview.url('/tim-kiem/?q=hop+chuan'));
    await page.waitForSelector('#search-results a', WAIT);
    const origin = await page.evaluate(() => performance.timeOrigin);
    const file = path.join(root, FILE);
    const original = await fs.readFile(file, 'utf8');
    const newTitle = 'Công bố hợp chuẩn, tìm lại sau khi sửa';
    await fs.writeFile(file, original.replace(/^title = ".*"$/m, `title = "${newTitle}"`));
    try {
      await page.waitForFunction((o) => performance.timeOrigin !== o, origin, WAIT);
      await page.waitForFunction((title) => [...document.querySelectorAll('#search-results a')].some((a) => a.textContent.includes(title)), newTitle, WAIT);
    } finally {
      await fs.writeFile(file, original);
    }
    const bad = unexpectedProblems(problems);
    assert.deepEqual(bad, [], describeProblems(bad));
  });
});
