// The parser's API over one instance of the parser module (see node.js and browser.js).

import { Card, bytesOf, errorFromReport, isWellFormed, mrzArg, options, payloadArg } from './common.js';

const encoder = new TextEncoder();

const VALIDATE_OPTIONS = { lenient: 'boolean', redact: 'boolean', today: 'date' };
const PARSE_OPTIONS = { lenient: 'boolean', today: 'date' };
const MRZ_OPTIONS = VALIDATE_OPTIONS;

/** UTF-8 length of a string, without encoding it (for payloads too long to copy). */
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** `YYYY-MM-DD`, as the library writes dates. */
function iso(y, m, d) {
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Text field `i` of parseText's numbers `v` (see src/fields.rs). */
function text(v, i, payload, owned) {
  switch (v[i]) {
    case 0:
      return null;
    case 1:
      return payload.slice(v[i + 1], v[i + 2]);
    case 2:
      return owned.slice(v[i + 1], v[i + 2]);
    default:
      return String(v[i + 1]).padStart(v[i + 2], '0');
  }
}

export function makeApi(core) {
  const maxLen = core.call((w) => w.maxPayloadLen());
  const names = JSON.parse(core.call((w) => w.names()));

  /** The report JSON line for a payload (checked arguments). */
  function reportJson(payload, lenient, redact, today) {
    // A payload far over the limit is not copied into WebAssembly memory: the library
    // reports the same error from its length alone.
    if (payload.length > maxLen) {
      const len = typeof payload === 'string' ? utf8Length(payload) : payload.length;
      return core.call((w) => w.validateTooLong(len, lenient, redact, today));
    }
    if (typeof payload === 'string') {
      if (isWellFormed(payload)) return core.call((w) => w.validateText(payload, lenient, redact, today));
      const bytes = bytesOf(payload);
      return core.call((w) => w.validateBytes(bytes, lenient, redact, today));
    }
    return core.call((w) => w.validateBytes(payload, lenient, redact, today));
  }

  function report(payload, opts) {
    return JSON.parse(reportJson(payload, opts.lenient ?? false, opts.redact ?? false, opts.today));
  }

  function canonical(payload, lenient) {
    const bytes = typeof payload === 'string' ? bytesOf(payload) : payload;
    return core.call((w) => w.canonical(bytes, lenient));
  }

  // A view on the numbers parseText writes, renewed when the memory grows (the old buffer is
  // then detached) or the instance is replaced.
  let out = null;
  let outMemory = null;
  function numbers() {
    if (out === null || out.buffer.byteLength === 0 || core.generation !== outMemory) {
      out = new Float64Array(core.w.wasmMemory().buffer, core.w.parseOut(), core.w.parseOutLen());
      outMemory = core.generation;
    }
    return out;
  }

  let input = null;
  let inputMemory = null;
  function inputView() {
    if (input === null || input.buffer.byteLength === 0 || core.generation !== inputMemory) {
      input = new Uint8Array(core.w.wasmMemory().buffer, core.w.inputBuffer(), maxLen);
      inputMemory = core.generation;
    }
    return input;
  }

  /** What a Card asks for. */
  const self = { report, canonical };

  function validate(payload, opts) {
    payloadArg(payload, 'validate');
    return report(payload, options(opts, 'validate', VALIDATE_OPTIONS));
  }

  /** The card from the report: for bytes, and whatever the fast path does not cover. */
  function fromReport(payload, lenient, today) {
    const r = report(payload, { lenient, today });
    if (!r.ok) {
      const long = payload.length > maxLen;
      const bytes = long ? new Uint8Array(0) : bytesOf(payload);
      const len = long ? (typeof payload === 'string' ? utf8Length(payload) : payload.length) : bytes.length;
      const reason = core.call((w) => w.errorReason(bytes, lenient, len));
      throw errorFromReport({ ...r.error, reason });
    }
    return new Card(r.card, r.layout, r.repairs, self, payload, lenient, today, r);
  }

  function parse(payload, opts) {
    payloadArg(payload, 'parse');
    const o = options(opts, 'parse', PARSE_OPTIONS);
    const lenient = o.lenient ?? false;
    if (typeof payload !== 'string' || payload.length > maxLen) {
      return fromReport(payload, lenient, o.today);
    }
    // The fast path (see src/fields.rs): numbers in the module's memory, and strings sliced
    // from the payload.
    // The payload's UTF-8 goes straight into the module's input buffer (a payload of at most
    // maxLen UTF-16 units may need 3 bytes each: longer UTF-8 goes the report's way).
    const input = inputView();
    const { read, written } = encoder.encodeInto(payload, input);
    if (read < payload.length) return fromReport(payload, lenient, o.today);
    let n;
    try {
      n = core.w.parseInput(written, lenient);
    } catch (e) {
      core.fail(e);
    }
    if (n === 0) return fromReport(payload, lenient, o.today);
    const v = numbers();
    const owned = v[10] === 1 ? core.call((w) => w.takeOwned()) : '';
    const extras = [];
    for (let k = 0, i = 23; k < v[9]; k++, i += 3) extras.push(text(v, i, payload, owned));
    const fields = {
      id_number: text(v, 11, payload, owned),
      old_id_number: text(v, 14, payload, owned),
      full_name: text(v, 17, payload, owned),
      date_of_birth: iso(v[2], v[3], v[4]),
      sex: names.sex[v[1]],
      address: text(v, 20, payload, owned),
      issue_date: iso(v[5], v[6], v[7]),
      extra_fields: extras,
    };
    const repairs = v[8] > 0 ? JSON.parse(core.call((w) => w.takeRepairs())) : [];
    return new Card(fields, names.layout[v[0]], repairs, self, payload, lenient, o.today, undefined);
  }

  /** The object `cccd mrz` prints for one MRZ; never throws for an MRZ that does not parse. */
  function readMrz(lines, opts) {
    const bytes = mrzArg(lines, 'readMrz');
    const o = options(opts, 'readMrz', MRZ_OPTIONS);
    return JSON.parse(core.call((w) => w.mrzJson(bytes, o.lenient ?? false, o.redact ?? false, o.today)));
  }

  const panicForTest = () => core.call((w) => w.__panicForTest());
  return { parse, validate, readMrz, panicForTest };
}
