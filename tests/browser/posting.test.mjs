// Posting sheets (issue 14), printed: every sheet of the demo's fields is printed to an A4
// PDF by Chromium, the PDF is rendered to images (pdftoppm, Debian's poppler-utils) and
// every QR code in them is decoded (zbarimg, Debian's zbar-tools). Each procedure of the
// demo in force is found once, at its own absolute URL; each QR code, cut out of the
// printed page on its own, decodes to the URL of the procedure of its row; the QR codes
// are at least 2 cm wide on paper; and the printed pages carry no navigation or search box.
// The PDFs and their page images stay in artifacts/posting/.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { artifactDir, useBrowser, useSite } from './lib/harness.mjs';
import { pdfText } from './lib/quality.mjs';

const run = promisify(execFile);
const site = useSite();
const browser = useBrowser();
const squash = (s) => String(s).normalize('NFC').replace(/\s+/g, ' ').trim();
/** 2 cm in CSS pixels (96 per inch). */
const TWO_CM = (2 / 2.54) * 96;

/** Every page of every field's sheet, as site paths, from the sheets' index. */
async function sheetPages() {
  const { page, context } = await browser.open(site.url('/niem-yet/'));
  const hrefs = await page.$$eval('.sheet-list a', (links) => links.map((a) => a.href));
  await context.close();
  const paths = [...new Set(hrefs.map((h) => site.sitePath(h)))];
  // The whole catalogue's sheet repeats the fields' sheets; the fields' sheets are what is posted.
  return paths.filter((p) => p !== '/niem-yet/toan-bo/');
}

/** The texts QR codes in a PNG image decode to (zbarimg prints one per line). */
async function decode(png) {
  try {
    const { stdout } = await run('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', png]);
    return stdout.split('\n').filter(Boolean);
  } catch (err) {
    if (err.code === 'ENOENT') throw new Error('zbarimg is missing: apt-get install zbar-tools (.ci/run does)');
    if (err.code === 4) return []; // zbarimg: no symbol found
    throw err;
  }
}

describe('posting sheets printed', () => {
  it('decode, QR code by QR code, to the absolute URL of each procedure in force, and print no navigation', async (t) => {
    const dir = artifactDir('posting');
    const expected = site
      .openData()
      .filter((r) => r.status !== 'abolished')
      .map((r) => r.url)
      .sort();
    assert.ok(expected.length >= 18, `the demo has ${expected.length} procedures in force`);
    const found = [];
    const pages = await sheetPages();
    assert.ok(pages.length >= 1, 'no sheet listed on /niem-yet/');
    for (const sheetPath of pages) {
      const name = sheetPath.split('/').filter(Boolean).slice(1).join('-');
      const { page, context } = await browser.newPage();
      t.after(() => context.close());
      await page.goto(site.url(sheetPath));
      const navTexts = await page.$$eval(
        'header a, header button, nav a, .breadcrumbs a, footer.site-footer a, footer.site-footer p, .skip-link, form[role=search] button, .sheet-help',
        (els) => [...new Set(els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()).filter((s) => s.length >= 4))],
      );
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => {
        const shown = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
        const hiddenOnes = ['header.site-header', 'nav', 'footer.site-footer', 'form', 'input', 'button', '.breadcrumbs', '.skip-link', '.sheet-help'];
        return {
          navigation: hiddenOnes.flatMap((sel) => [...document.querySelectorAll(sel)].filter(shown).map((e) => `${sel}: ${e.textContent.trim().slice(0, 60)}`)),
          qrWidths: [...document.querySelectorAll('svg.qr')].map((svg) => svg.getBoundingClientRect().width),
          main: document.querySelector('main').innerText,
          rows: [...document.querySelectorAll('.sheet-table tbody tr:not(.sheet-group)')].map((tr) => tr.querySelector('th a').href),
        };
      });
      assert.deepEqual(printed.navigation, [], `${sheetPath}: navigation shown in print`);
      assert.ok(printed.qrWidths.every((w) => w >= TWO_CM), `${sheetPath}: a QR code narrower than 2 cm in print: ${printed.qrWidths}`);

      // Each QR code on its own, as printed: it decodes to its own row's procedure.
      const svgs = await page.$$('svg.qr');
      assert.equal(svgs.length, printed.rows.length, `${sheetPath}: one QR code per row`);
      for (const [i, svg] of svgs.entries()) {
        const png = path.join(dir, `${name}-qr-${i + 1}.png`);
        await svg.screenshot({ path: png, scale: 'device' });
        assert.deepEqual(await decode(png), [printed.rows[i]], `${sheetPath}: the QR code of row ${i + 1} (${png})`);
      }

      // The whole sheet printed on A4 and rendered to images: every QR code decodes.
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      const file = path.join(dir, `${name}.pdf`);
      await fsp.writeFile(file, pdf);
      // 300 dpi, as a phone's camera sees a printed page from an arm's length or nearer.
      const pagesDir = path.join(dir, `${name}-pages`);
      await fsp.rm(pagesDir, { recursive: true, force: true });
      await fsp.mkdir(pagesDir);
      await run('pdftoppm', ['-r', '300', '-png', file, path.join(pagesDir, 'page')]);
      const images = fs.readdirSync(pagesDir).sort();
      assert.ok(images.length >= 1, `${file} rendered to no image`);
      const decoded = [];
      for (const img of images) decoded.push(...(await decode(path.join(pagesDir, img))));
      assert.deepEqual([...decoded].sort(), [...printed.rows].sort(), `${file}: the QR codes decoded from the printed pages`);
      found.push(...decoded);

      const text = squash(await pdfText(file));
      const printedMain = squash(printed.main);
      const leaked = navTexts.filter((s) => !printedMain.includes(squash(s)) && text.includes(squash(s)));
      assert.deepEqual(leaked, [], `${file}: navigation or on-screen notes printed`);
      console.log(`${sheetPath}: ${path.relative(process.cwd(), file)}, ${images.length} A4 pages, ${decoded.length} QR codes decoded`);
    }
    assert.deepEqual(found.sort(), expected, 'each procedure in force once, over all the sheets');
  });
});
