// The chip's API over one instance of the chip module (see chip-node.js, chip-browser.js):
// argument checks only; every object is the library's report, serialised in Rust.

import { CccdError, bytesOf, describe, mrzArg, options, payloadArg } from './common.js';

const CHIP_OPTIONS = { redact: 'boolean' };
const VERIFY_OPTIONS = { lenient: 'boolean', redact: 'boolean', today: 'date' };
const RECORDS = new Set(['qr', 'mrz', 'chip', 'csca']);

/** The names and bytes of a `files` object (`{com, dg1, dg13, sod, …}` of Uint8Arrays). The
 * names are checked by the library (ElementaryFile::from_name). */
function filesArg(files, fn, what) {
  if (files === null || typeof files !== 'object' || Array.isArray(files) || files instanceof Uint8Array) {
    throw new TypeError(`${fn}: ${what} must be an object of the chip's files ({com, dg1, dg2, dg13, sod, …}: Uint8Arrays), not ${describe(files)}`);
  }
  const names = [];
  const bytes = [];
  for (const [name, value] of Object.entries(files)) {
    if (value === undefined) continue;
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(`${fn}: ${what}.${name} must be a Uint8Array, not ${describe(value)}`);
    }
    names.push(name);
    bytes.push(value);
  }
  return { names, bytes };
}

/** The CSCA certificates: a Uint8Array (DER or PEM), an array of them, or none. */
function cscaArg(csca, fn) {
  if (csca === undefined || csca === null) return [];
  const list = Array.isArray(csca) ? csca : [csca];
  list.forEach((c, i) => {
    if (!(c instanceof Uint8Array)) {
      const at = Array.isArray(csca) ? `csca[${i}]` : 'csca';
      throw new TypeError(`${fn}: ${at} must be a Uint8Array (a DER or PEM certificate), not ${describe(c)}`);
    }
  });
  return list;
}

/** The library's certificate error (an Error named CccdError made in Rust) as a CccdError. */
function certificateError(e) {
  if (e instanceof Error && !(e instanceof CccdError) && e.name === 'CccdError' && typeof e.code === 'string') {
    return new CccdError(e.message, { code: e.code, field: 'csca' });
  }
  return e;
}

export function makeChip(mod) {
  function call(fn) {
    try {
      return mod.call(fn);
    } catch (e) {
      throw certificateError(e);
    }
  }

  function readChip(files, opts) {
    const { names, bytes } = filesArg(files, 'readChip', 'files');
    const o = options(opts, 'readChip', CHIP_OPTIONS);
    const csca = cscaArg(o.csca, 'readChip');
    return JSON.parse(call((w) => w.chipJson(names, bytes, csca, o.redact ?? false)));
  }

  function verify(records, opts) {
    if (records === null || typeof records !== 'object' || Array.isArray(records)) {
      throw new TypeError(`verify: records must be an object {qr, mrz, chip, csca}, not ${describe(records)}`);
    }
    for (const key of Object.keys(records)) {
      if (!RECORDS.has(key)) throw new TypeError(`verify: unknown record ${JSON.stringify(key)} (qr, mrz, chip, csca)`);
    }
    const o = options(opts, 'verify', VERIFY_OPTIONS);
    const { qr, mrz, chip, csca } = records;
    if (qr === undefined && mrz === undefined && chip === undefined) {
      throw new TypeError('verify: give at least one of qr, mrz and chip');
    }
    if (csca !== undefined && chip === undefined) {
      throw new TypeError('verify: csca is for the chip: give chip too');
    }
    const qrBytes = qr === undefined ? undefined : bytesOf(payloadArg(qr, 'verify'));
    const mrzBytes = mrz === undefined ? undefined : mrzArg(mrz, 'verify', 'mrz');
    const files = chip === undefined ? { names: undefined, bytes: [] } : filesArg(chip, 'verify', 'chip');
    const cscaList = cscaArg(csca, 'verify');
    const json = call((w) =>
      w.verifyJson(qrBytes, mrzBytes, files.names, files.bytes, cscaList, o.lenient ?? false, o.redact ?? false, o.today),
    );
    return JSON.parse(json);
  }

  const panicForTest = () => mod.call((w) => w.__panicForTest());
  return { readChip, verify, panicForTest };
}
