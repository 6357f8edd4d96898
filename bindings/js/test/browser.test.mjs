// End-to-end test of the demo page in Debian's Chromium (headless, driven by playwright-core):
// the page is served from localhost, a generated card photo goes through the file input, the
// card shown and the JSON are checked against the native `cccd scan`, the redaction toggle,
// the camera path (a fake camera playing the card photo), and that the page made no request
// except for its own files. The screenshot goes to test/output/demo.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { parse as nodeParse, readMrz as nodeReadMrz, validate as nodeValidate } from 'cccd-vn';
import { readChip as nodeReadChip, verify as nodeVerify } from 'cccd-vn/chip';

import { PKG, TODAY, cccdBin, cccdJson, corpus, generatedPhotos, withoutTime } from './helpers.mjs';
import { launch } from './chromium.mjs';
import { serve } from './server.mjs';

export const SCREENSHOT = join(PKG, 'test', 'output', 'demo.png');

/** Records every request of the context's pages. */
function recordRequests(context) {
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

function assertOnlyOwnFiles(urls, origin) {
  assert.ok(urls.length > 0);
  for (const url of urls) {
    const u = new URL(url);
    assert.equal(u.origin, origin, `a request left the page's origin: ${url}`);
    assert.match(u.pathname, /^\/(demo|js|pkg)\//, `a request for something else than the page's files: ${url}`);
  }
}

/** Width and height of a JPEG, from its start-of-frame segment. */
export function jpegSize(bytes) {
  let i = 2;
  while (i + 9 < bytes.length) {
    const marker = bytes[i + 1];
    const len = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker >= 0xc0 && marker <= 0xc3) {
      return { height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
    }
    i += 2 + len;
  }
  throw new Error('no JPEG frame header');
}

/** A Y4M video of `frames` copies of a JPEG, for Chromium's fake camera: decoded in the page,
 * converted to I420 there, returned as base64. */
async function y4m(page, jpeg, frames) {
  const { width, height, planes } = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    const w = bitmap.width & ~1;
    const h = bitmap.height & ~1;
    const g = new OffscreenCanvas(w, h).getContext('2d');
    g.drawImage(bitmap, 0, 0);
    const rgba = g.getImageData(0, 0, w, h).data;
    const out = new Uint8Array((w * h * 3) / 2);
    const u0 = w * h;
    const v0 = u0 + (w / 2) * (h / 2);
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < w; i++) {
        const p = (j * w + i) * 4;
        const [r, gr, b] = [rgba[p], rgba[p + 1], rgba[p + 2]];
        out[j * w + i] = Math.round(0.257 * r + 0.504 * gr + 0.098 * b + 16);
        if (j % 2 === 0 && i % 2 === 0) {
          const q = (j / 2) * (w / 2) + i / 2;
          out[u0 + q] = Math.round(-0.148 * r - 0.291 * gr + 0.439 * b + 128);
          out[v0 + q] = Math.round(0.439 * r - 0.368 * gr - 0.071 * b + 128);
        }
      }
    }
    let s = '';
    for (let k = 0; k < out.length; k += 0x8000) s += String.fromCharCode(...out.subarray(k, k + 0x8000));
    return { width: w, height: h, planes: btoa(s) };
  }, Buffer.from(jpeg).toString('base64'));
  const frame = Buffer.from(planes, 'base64');
  const parts = [Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from('FRAME\n'), frame);
  return Buffer.concat(parts);
}

describe('the demo page in Chromium', () => {
  let server;
  let photo;
  let expected;
  before(async () => {
    server = await serve(PKG);
    photo = generatedPhotos(1, 21)[0];
    expected = cccdJson(['scan', '--format', 'json', photo])[0];
    assert.equal(expected.ok, true);
  });
  after(async () => server?.close());

  test('a photo through the file input: the card shown, the JSON, no foreign request', async () => {
    const { context, close } = await launch();
    try {
      const requests = recordRequests(context);
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${server.origin}/demo/index.html`);
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Ready'));
      await page.setInputFiles('#file', photo);
      await page.waitForSelector('#card:not([hidden])', { timeout: 60_000 });

      const c = expected.card;
      assert.equal(await page.textContent('#card-name'), c.full_name);
      assert.equal(await page.textContent('#card-id'), c.id_number);
      assert.equal(await page.textContent('#card-dob'), c.date_of_birth);
      assert.equal(await page.textContent('#card-issued'), c.issue_date);
      assert.equal(await page.textContent('#card-address'), c.address);
      const expiry = await page.textContent('#card-expiry');
      assert.ok(expiry.includes(expected.expiry.never ? 'never' : expected.expiry.date), expiry);
      const warnings = await page.$$eval('#card-warnings li', (li) => li.map((l) => l.textContent));
      assert.deepEqual(warnings, expected.warnings.map((w) => w.message));

      const shown = JSON.parse(await page.textContent('pre#result'));
      assert.deepEqual(withoutTime(shown), withoutTime(expected));
      mkdirSync(join(PKG, 'test', 'output'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // Redaction: the library's redacted report, as `cccd scan --redact` prints it.
      await page.check('#redact');
      await page.waitForFunction((name) => document.getElementById('card-name').textContent !== name, c.full_name);
      const redacted = cccdJson(['scan', '--format', 'json', '--redact', photo])[0];
      assert.deepEqual(withoutTime(JSON.parse(await page.textContent('pre#result'))), withoutTime(redacted));
      assert.equal(await page.textContent('#card-name'), redacted.card.full_name);
      assert.ok(!(await page.textContent('body')).includes(c.full_name));

      assert.deepEqual(errors, []);
      assertOnlyOwnFiles(requests, server.origin);
    } finally {
      await close();
    }
  });

  test('the camera: frames scanned until the card is read', async () => {
    // A 1280 × 720 card photo (a webcam's frame size), played as the fake camera's video.
    const small = generatedPhotos(12, 31).find((p) => jpegSize(readFileSync(p)).width === 1280);
    assert.ok(small, 'a 1280 × 720 photo among the generated ones');
    const want = cccdJson(['scan', '--format', 'json', small])[0];
    assert.equal(want.ok, true);
    const { context: decoder, close: closeDecoder } = await launch();
    const video = join(mkdtempSync(join(tmpdir(), 'cccd-camera-')), 'card.y4m');
    try {
      const page = await decoder.newPage();
      await page.goto(`${server.origin}/demo/index.html`);
      writeFileSync(video, await y4m(page, readFileSync(small), 3));
    } finally {
      await closeDecoder();
    }
    const { context, close } = await launch([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    try {
      const requests = recordRequests(context);
      await context.grantPermissions(['camera'], { origin: server.origin });
      const page = await context.newPage();
      await page.goto(`${server.origin}/demo/index.html`);
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Ready'));
      await page.click('#camera');
      await page.waitForSelector('#card:not([hidden])', { timeout: 60_000 });
      assert.match(await page.textContent('#status'), /from the camera/);
      assert.equal(await page.textContent('#card-id'), want.card.id_number);
      assert.equal(await page.textContent('#card-name'), want.card.full_name);
      const shown = JSON.parse(await page.textContent('pre#result'));
      assert.deepEqual(shown.card, want.card);
      assertOnlyOwnFiles(requests, server.origin);
    } finally {
      await close();
      rmSync(video, { force: true });
    }
  });

  test('both modules load with a plain <script type="module"> and agree with Node', async () => {
    const cases = corpus().filter((c) => c.input !== null);
    const { context, close } = await launch();
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/demo/index.html`);
      const results = await page.evaluate(
        async ({ inputs, today }) => {
          const { validate, parse, CccdError } = await import('/js/browser.js');
          const scanModule = await import('/js/scan-browser.js');
          const out = inputs.map(([s, lenient]) => validate(s, { lenient, today }));
          let error = null;
          try {
            parse('not a card');
          } catch (e) {
            error = { isCccdError: e instanceof CccdError && e instanceof Error, code: e.code, offset: e.offset };
          }
          let panic = null;
          try {
            scanModule.__panicForTest();
          } catch (e) {
            panic = { isCccdError: e instanceof scanModule.CccdError, code: e.code };
          }
          return { out, error, panic, afterPanic: scanModule.scan(new Uint8Array([1])).error.code };
        },
        { inputs: cases.map((c) => [c.input, c.lenient]), today: TODAY },
      );
      cases.forEach((c, i) => assert.deepEqual(results.out[i], nodeValidate(c.input, { lenient: c.lenient, today: TODAY }), c.name));
      let nodeError;
      try {
        nodeParse('not a card');
      } catch (e) {
        nodeError = { isCccdError: true, code: e.code, offset: e.offset };
      }
      assert.deepEqual(results.error, nodeError);
      assert.deepEqual(results.panic, { isCccdError: true, code: 'panic' });
      assert.equal(results.afterPanic, 'unreadable_image');
    } finally {
      await close();
    }
  });
  test('the chip module and readMrz in the page agree with Node', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cccd-js-chips-'));
    execFileSync(cccdBin(), ['gen', '--format', 'chip', '--kind', 'mixed', '--count', '2', '--seed', '7', '--out', out]);
    const manifest = readFileSync(join(out, 'manifest.jsonl'), 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
    const chips = manifest.map((m) => {
      const files = {};
      for (const f of readdirSync(join(out, m.dir))) files[f.slice(0, -4)] = readFileSync(join(out, m.dir, f)).toString('base64');
      return { files, qr: m.payload };
    });
    const csca = readFileSync(join(out, 'csca.der')).toString('base64');
    const { context, close } = await launch();
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/demo/index.html`);
      const results = await page.evaluate(
        async ({ chips, csca, today }) => {
          const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const { readMrz } = await import('/js/browser.js');
          const { readChip, verify, CccdError } = await import('/js/chip-browser.js');
          const anchor = bytes(csca);
          const out = chips.map(({ files, qr }) => {
            const f = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, bytes(v)]));
            const chip = readChip(f, { csca: anchor });
            const mrz = chip.mrz.lines.join('\n');
            return { chip, mrz: readMrz(mrz, { today }), verify: verify({ qr, mrz, chip: f, csca: anchor }, { redact: true, today }) };
          });
          let error = null;
          try {
            readChip({ dg1: new Uint8Array(1) }, { csca: new Uint8Array(3) });
          } catch (e) {
            error = { isCccdError: e instanceof CccdError, code: e.code };
          }
          return { out, error };
        },
        { chips, csca, today: TODAY },
      );
      const anchor = new Uint8Array(Buffer.from(csca, 'base64'));
      chips.forEach(({ files, qr }, i) => {
        const f = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]));
        const chip = nodeReadChip(f, { csca: anchor });
        const mrz = chip.mrz.lines.join('\n');
        assert.deepEqual(results.out[i].chip, chip);
        assert.deepEqual(results.out[i].mrz, nodeReadMrz(mrz, { today: TODAY }));
        assert.deepEqual(results.out[i].verify, nodeVerify({ qr, mrz, chip: f, csca: anchor }, { redact: true, today: TODAY }));
      });
      assert.equal(results.out[0].chip.passive_authentication.outcome, manifest[0].expected.passive_authentication);
      assert.deepEqual(results.error, { isCccdError: true, code: 'bad_certificate' });
    } finally {
      await close();
    }
  });
});
