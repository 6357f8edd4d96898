// Node tests of `cccd-vn` and `cccd-vn/scan`: the payload corpus with the Rust tests'
// expectations, equality with the native command's JSON, scans of generated and public
// photos, argument checks and pathological inputs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';

import { Card, CccdError, __panicForTest, parse, validate } from 'cccd-vn';
import { CccdError as ScanCccdError, __panicForTest as scanPanicForTest, scan } from 'cccd-vn/scan';

import { TODAY, cccdJson, corpus, generatedPhotos, sharedPhotos, withoutTime } from './helpers.mjs';

const CASES = corpus();

/** A white RGBA PNG of 1 × 1 pixels whose header claims `width` × `height`. */
function png(width, height) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from('89504e470d0a1a0a', 'hex'),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.from([0, 255, 255, 255, 255]))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}
/** The library's `Reason::as_str` values. */
const REASONS = ['empty', 'too_long', 'invalid_utf8', 'field_count', 'wrong_length', 'not_a_digit', 'empty_field',
  'control_or_format_char', 'not_nfc', 'month_out_of_range', 'day_out_of_range', 'year_zero', 'not_a_sex'];

/** Every key of `expect` is in `actual` with an equal value, as tests/corpus.rs checks:
 * `error` recursively (the message is not pinned), `warnings` by code. */
function assertMatches(name, actual, expect) {
  for (const [key, want] of Object.entries(expect)) {
    const got = actual[key] ?? null;
    if (key === 'error') {
      assertMatches(name, got, want);
    } else if (key === 'warnings') {
      assert.deepEqual(
        got.map((w) => w.code),
        want,
        `${name}: warnings`,
      );
      for (const w of got) {
        assert.ok(w.message.length > 0, name);
        for (const field of ['id_number', 'full_name', 'address']) {
          assert.ok(!w.message.includes(actual.card[field]), `${name}: ${field} in a warning`);
        }
      }
    } else {
      assert.deepEqual(got, want, `${name}: key ${key}`);
    }
  }
}

/** The payload's fields as text, to check that messages do not quote them. */
function personalTexts(c) {
  if (c.input === null) return [];
  return c.input.split('|').filter((f) => f.length >= 4 && !/^\d{8}$/.test(f) && f !== 'Nam');
}

describe('the payload corpus (testdata/payloads/cases.jsonl)', () => {
  test('has the cases the Rust tests have', () => {
    assert.ok(CASES.filter((c) => c.name.startsWith('valid-')).length >= 50);
    assert.ok(CASES.filter((c) => c.name.startsWith('invalid-')).length >= 40);
    assert.ok(CASES.filter((c) => c.name.startsWith('damaged-')).length >= 20);
  });

  test('validate gives the expected objects, from text and from bytes', () => {
    for (const c of CASES) {
      const opts = { lenient: c.lenient, today: TODAY };
      const fromBytes = validate(c.bytes, opts);
      assertMatches(c.name, fromBytes, c.expect);
      if (c.input !== null) assert.deepEqual(validate(c.input, opts), fromBytes, c.name);
    }
  });

  test('validate gives exactly the JSON lines of `cccd parse --format json`', () => {
    for (const lenient of [false, true]) {
      // Lines of stdin cannot hold a line break; those inputs go as arguments.
      const cases = CASES.filter(
        (c) => c.lenient === lenient && c.bytes.length > 0 && !c.bytes.includes(10) && c.bytes.at(-1) !== 13,
      );
      const args = ['parse', '--format', 'json', '--today', TODAY, ...(lenient ? ['--lenient'] : [])];
      const stdin = Buffer.concat(cases.flatMap((c) => [Buffer.from(c.bytes), Buffer.from('\n')]));
      const native = cccdJson(args, stdin);
      assert.equal(native.length, cases.length);
      cases.forEach((c, i) => {
        const ours = validate(c.bytes, { lenient, today: TODAY });
        assert.equal(JSON.stringify(ours), JSON.stringify(native[i]), c.name);
      });
      // And with redaction.
      const redacted = cccdJson([...args, '--redact'], stdin);
      cases.forEach((c, i) => {
        assert.deepEqual(validate(c.bytes, { lenient, today: TODAY, redact: true }), redacted[i], c.name);
      });
    }
  });

  test('parse returns a Card, or throws a CccdError with the code, field and offset', () => {
    let cards = 0;
    let errors = 0;
    for (const c of CASES) {
      const opts = { lenient: c.lenient, today: TODAY };
      if (c.expect.ok) {
        const card = parse(c.bytes, opts);
        assert.ok(card instanceof Card, c.name);
        assert.deepEqual(card.toJSON(), c.expect.card, c.name);
        assert.equal(JSON.stringify(card), JSON.stringify(c.expect.card), c.name);
        assert.equal(card.layout, c.expect.layout, c.name);
        assert.deepEqual(card.repairs, c.expect.repairs, c.name);
        assert.deepEqual(card.id_info, c.expect.id_info, c.name);
        assert.deepEqual(card.expiry, c.expect.expiry, c.name);
        assert.equal(card.expired, c.expect.expired, c.name);
        assert.equal(card.full_name_ascii, c.expect.full_name_ascii, c.name);
        assert.deepEqual(
          card.warnings.map((w) => w.code),
          c.expect.warnings,
          c.name,
        );
        // The canonical payload parses strictly to the same card; strict input is canonical.
        const canonical = card.toString();
        assert.deepEqual(parse(canonical, { today: TODAY }).toJSON(), card.toJSON(), c.name);
        if (!c.lenient) assert.equal(canonical, c.input, c.name);
        assert.ok(Object.isFrozen(card), c.name);
        cards++;
      } else {
        assert.throws(
          () => parse(c.bytes, opts),
          (e) => {
            assert.ok(e instanceof CccdError && e instanceof Error, c.name);
            assert.equal(e.name, 'CccdError');
            assert.equal(e.code, c.expect.error.code, c.name);
            assert.equal(e.field, c.expect.error.field, c.name);
            assert.equal(e.offset, c.expect.error.offset, c.name);
            assert.ok(REASONS.includes(e.reason), `${c.name}: reason ${e.reason}`);
            assert.ok(e.message.length > 0, c.name);
            for (const text of personalTexts(c)) {
              assert.ok(!e.message.includes(text), `${c.name}: the message quotes the payload`);
            }
            return true;
          },
          c.name,
        );
        errors++;
      }
    }
    assert.ok(cards >= 70 && errors >= 40, `${cards} cards, ${errors} errors`);
  });

  test("a card's inspection output hides the personal data", () => {
    const c = CASES.find((c) => c.name === 'valid-01');
    const card = parse(c.input, { today: TODAY });
    const shown = inspect(card);
    assert.ok(!shown.includes(card.full_name) && !shown.includes(card.id_number), shown);
  });

  test('the default reference date is today', () => {
    const c = CASES.find((c) => c.expect.ok && !c.expect.expiry.never);
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    assert.deepEqual(validate(c.bytes, { lenient: c.lenient }), validate(c.bytes, { lenient: c.lenient, today }));
  });
});

describe('arguments', () => {
  const payload = CASES.find((c) => c.name === 'valid-01').input;

  test('a payload that is neither a string nor a Uint8Array is a TypeError', () => {
    for (const bad of [undefined, null, 42, 42n, true, {}, [], [1, 2], new ArrayBuffer(4), new Uint16Array(2), Symbol('x'), () => 1]) {
      assert.throws(() => parse(bad), TypeError, String(typeof bad));
      assert.throws(() => validate(bad), TypeError, String(typeof bad));
    }
    // A Node Buffer is a Uint8Array.
    assert.equal(parse(Buffer.from(payload)).id_number, parse(payload).id_number);
  });

  test('options of the wrong type are a TypeError', () => {
    for (const bad of ['lenient', 1, true, [true]]) {
      assert.throws(() => parse(payload, bad), TypeError);
      assert.throws(() => validate(payload, bad), TypeError);
    }
    assert.throws(() => parse(payload, { lenient: 'yes' }), TypeError);
    assert.throws(() => validate(payload, { redact: 1 }), TypeError);
    for (const today of ['2026-13-01', '2026-02-30', '01/01/2026', '', 20260101]) {
      assert.throws(() => validate(payload, { today }), TypeError, String(today));
    }
    assert.equal(parse(payload, {}).id_number, parse(payload, undefined).id_number);
  });

  test('scan arguments of the wrong type are a TypeError', () => {
    for (const bad of [undefined, null, 'card.jpg', 42, {}, [], new ArrayBuffer(8), { width: 2, height: 2, data: [0] }]) {
      assert.throws(() => scan(bad), TypeError);
    }
    const tooShort = { width: 4, height: 4, data: new Uint8ClampedArray(4 * 4 * 4 - 1) };
    assert.throws(() => scan(tooShort), TypeError);
    assert.throws(() => scan(new Uint8Array(8), { raw: 'yes' }), TypeError);
    assert.throws(() => scan(new Uint8Array(8), { today: 'tomorrow' }), TypeError);
  });
});

describe('pathological input', () => {
  test('a payload of megabytes gives the too_long error without being copied', () => {
    const huge = '1'.repeat(10_000_000);
    const r = validate(huge);
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'too_long');
    // The command reads the same line and says the same.
    assert.deepEqual(r, cccdJson(['parse', '--format', 'json'], Buffer.from(huge + '\n'))[0]);
    assert.match(r.error.message, /10000000 bytes/);
    const hugeBytes = new Uint8Array(20_000_000).fill(0xe1);
    assert.match(validate(hugeBytes).error.message, /20000000 bytes/);
    // Multi-byte text: the length is counted in UTF-8 bytes, as the library counts.
    assert.match(validate('ễ'.repeat(2_000_000)).error.message, /6000000 bytes/);
    assert.throws(() => parse(huge), (e) => e instanceof CccdError && e.code === 'too_long' && e.reason === 'too_long');
  });

  test('lone surrogates are an encoding error at their UTF-8 offset, never a silent U+FFFD', () => {
    const c = CASES.find((c) => c.name === 'valid-01');
    const broken = c.input.replace('Bùi', 'B\uD800i');
    const r = validate(broken);
    assert.equal(r.error.code, 'encoding');
    assert.equal(r.error.offset, Buffer.from(c.input.slice(0, c.input.indexOf('Bùi') + 1)).length);
    assert.throws(() => parse('\uDC00'), (e) => e instanceof CccdError && e.code === 'encoding' && e.offset === 0);
  });

  test('NUL bytes, control characters and every byte value are errors, never traps', () => {
    for (let b = 0; b < 256; b++) {
      const bytes = new Uint8Array(200).fill(b);
      for (const lenient of [false, true]) {
        const r = validate(bytes, { lenient });
        assert.equal(typeof r.ok, 'boolean');
      }
    }
  });

  test('a panic in WebAssembly is a CccdError, and the module works after it', () => {
    for (const [panic, Err] of [
      [__panicForTest, CccdError],
      [scanPanicForTest, ScanCccdError],
    ]) {
      assert.throws(panic, (e) => {
        assert.ok(e instanceof Err, String(e));
        assert.equal(e.code, 'panic');
        assert.match(e.message, /panic at .*lib\.rs:\d+/);
        assert.ok(!(e instanceof WebAssembly.RuntimeError));
        return true;
      });
    }
    // The instances were replaced: both modules still work.
    assert.equal(parse(CASES.find((c) => c.name === 'valid-01').input).layout, '2021');
    assert.equal(scan(new Uint8Array([1, 2, 3])).error.code, 'unreadable_image');
  });

  test('damaged and hostile images are reports of failure, as the command says, never traps', () => {
    const photo = new Uint8Array(readFileSync(generatedPhotos(1, 7)[0]));
    const cases = {
      'empty.png': new Uint8Array(0),
      'soi.jpg': new Uint8Array([0xff, 0xd8, 0xff]),
      'third.jpg': photo.slice(0, photo.length / 3),
      'header.jpg': photo.slice(0, 100),
      'bomb.png': png(100_000, 100_000),
      'noise.bin': new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24),
      'tiny.png': png(1, 1),
    };
    const dir = mkdtempSync(join(tmpdir(), 'cccd-js-hostile-'));
    const names = Object.keys(cases);
    for (const name of names) writeFileSync(join(dir, name), cases[name]);
    for (const raw of [false, true]) {
      const native = cccdJson(['scan', '--format', 'json', ...(raw ? ['--raw'] : []), ...names.map((n) => join(dir, n))]);
      names.forEach((name, i) => {
        const r = scan(cases[name], { raw });
        assert.equal(r.ok, false, name);
        if (name === 'bomb.png') {
          // On 32-bit targets (wasm32) the png crate refuses a header whose image would not
          // fit the address space before the scanner sees the size: too_large as natively,
          // but from the memory bound, with the size unknown.
          assert.equal(native[i].error.reason, 'dimension');
          assert.deepEqual(r.error, { code: 'too_large', message: 'image too large: 0x0 exceeds the limit', reason: 'memory' });
        } else {
          assert.deepEqual(withoutTime(r), withoutTime(native[i]), name);
        }
      });
    }
    // Decoded pixels of odd shapes.
    for (const [w, h] of [[0, 0], [1, 1], [1, 5000], [3, 3]]) {
      const r = scan({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) });
      assert.equal(r.ok, false, `${w}x${h}`);
    }
  });
});

describe('scan', () => {
  test('generated card photos: the card, and exactly what `cccd scan` prints', () => {
    const photos = generatedPhotos(6, 11);
    assert.equal(photos.length, 6);
    const native = cccdJson(['scan', '--format', 'json', '--today', TODAY, ...photos]);
    photos.forEach((path, i) => {
      const bytes = new Uint8Array(readFileSync(path));
      const ours = scan(bytes, { today: TODAY });
      assert.equal(ours.ok, true, path);
      assert.ok(!('file' in ours));
      assert.equal(typeof ours.elapsed_ms, 'number');
      assert.ok(ours.card.id_number.length === 12);
      assert.deepEqual(withoutTime(ours), withoutTime(native[i]), path);
      // The same card through the parser module (some photos hold a second, unrelated code).
      const code = ours.codes.find((c) => validate(c.text, { lenient: true }).ok);
      const card = parse(code.text, { lenient: true, today: TODAY });
      assert.deepEqual(card.toJSON(), ours.card);
      // Redacted, as the command redacts.
      const redacted = cccdJson(['scan', '--format', 'json', '--today', TODAY, '--redact', path])[0];
      assert.deepEqual(withoutTime(scan(bytes, { today: TODAY, redact: true })), withoutTime(redacted), path);
    });
  });

  test('the shared public QR photos in raw mode: what `cccd scan --raw` prints', () => {
    const photos = sharedPhotos();
    assert.ok(photos.length >= 79, `${photos.length} photos`);
    const native = cccdJson(['scan', '--raw', '--format', 'json', ...photos]);
    let decoded = 0;
    let rqrrMissed = 0;
    photos.forEach((path, i) => {
      const ours = scan(new Uint8Array(readFileSync(path)), { raw: true });
      const rqrrOnly = native[i].ok && native[i].codes.every((c) => c.engine === 'rqrr');
      if (rqrrOnly && !ours.ok) {
        // The library never runs rqrr when built with panic = "abort", as WebAssembly is
        // (rqrr panics on some images and a panic there cannot be caught): a code only rqrr
        // reads natively is not found here.
        assert.equal(ours.error.code, 'not_found', path);
        rqrrMissed++;
        return;
      }
      assert.deepEqual(withoutTime(ours), withoutTime(native[i]), path);
      if (ours.ok) {
        decoded++;
        const want = readFileSync(path.replace(/\.[a-z]+$/, '.txt'), 'utf8').replaceAll('\r\n', '\n');
        assert.ok(
          ours.codes.some((c) => c.text.replaceAll('\r\n', '\n') === want),
          `${path}: text`,
        );
      }
    });
    const nativeDecoded = native.filter((r) => r.ok).length;
    assert.equal(decoded + rqrrMissed, nativeDecoded);
    assert.ok(decoded >= 75 && rqrrMissed <= 3, `decoded ${decoded}/${photos.length}, ${rqrrMissed} only rqrr reads`);
  });

  test('a photo that is not a card: not_a_card, or the codes in raw mode', () => {
    const path = sharedPhotos()[0];
    const bytes = new Uint8Array(readFileSync(path));
    const r = scan(bytes);
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'not_a_card');
    assert.match(r.error.message, /^1 qr code\(s\) found, none holds a card payload$/);
    const raw = scan(bytes, { raw: true });
    assert.equal(raw.ok, true);
    assert.equal(raw.codes.length, 1);
  });
});
