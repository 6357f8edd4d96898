// Shared by every entry point: argument checks, the error class, the card class, and the
// guard that turns a WebAssembly trap into a CccdError. No card logic: every object comes
// from the library's report, serialised in Rust.

/** Thrown when a payload does not parse, or when the WebAssembly module fails. */
export class CccdError extends Error {
  /**
   * @param {string} message never contains personal data
   * @param {{code: string, field?: string|null, offset?: number|null, reason?: string|null}} info
   */
  constructor(message, info) {
    super(message);
    this.name = 'CccdError';
    /** Machine-readable code: the JSON contract's error codes, or "panic". */
    this.code = info.code;
    /** The payload field the problem is in, or null. */
    this.field = info.field ?? null;
    /** Byte offset (UTF-8) in the payload, or null. */
    this.offset = info.offset ?? null;
    /** Finer machine-readable reason, when the library gives one; else null. */
    this.reason = info.reason ?? null;
  }
}

/** The CccdError of a report's `error` object. */
export function errorFromReport(error) {
  return new CccdError(error.message, error);
}

const CARD_FIELDS = [
  'id_number',
  'old_id_number',
  'full_name',
  'date_of_birth',
  'sex',
  'address',
  'issue_date',
  'extra_fields',
];

/**
 * A parsed card: the fields of the JSON contract (own properties, dates as ISO strings),
 * `layout`, `repairs`, and what the library knows about the card (`id_info`, `expiry`,
 * `expired`, `full_name_ascii`, `warnings`: read from the library's report the first time
 * one of them is read).
 */
export class Card {
  #api;
  #payload;
  #lenient;
  #today;
  #report;

  /** @internal `fields`: the card object; the rest: how to get the report when asked. */
  constructor(fields, layout, repairs, api, payload, lenient, today, report) {
    this.id_number = fields.id_number;
    this.old_id_number = fields.old_id_number;
    this.full_name = fields.full_name;
    this.date_of_birth = fields.date_of_birth;
    this.sex = fields.sex;
    this.address = fields.address;
    this.issue_date = fields.issue_date;
    this.extra_fields = fields.extra_fields;
    this.layout = layout;
    this.repairs = repairs;
    this.#api = api;
    this.#payload = payload;
    this.#lenient = lenient;
    this.#today = today;
    this.#report = report;
    Object.freeze(this);
  }

  #facts() {
    if (this.#report === undefined) {
      this.#report = this.#api.report(this.#payload, { lenient: this.#lenient, today: this.#today });
    }
    return this.#report;
  }

  /** What the ID number says: birthplace, century, sex, birth year. */
  get id_info() {
    return this.#facts().id_info;
  }

  /** When the card expires. */
  get expiry() {
    return this.#facts().expiry;
  }

  /** Whether the card had expired on the reference date. */
  get expired() {
    return this.#facts().expired;
  }

  /** The name in ASCII capitals. */
  get full_name_ascii() {
    return this.#facts().full_name_ascii;
  }

  /** The checks' findings on the reference date. */
  get warnings() {
    return this.#facts().warnings;
  }

  /** The `"card"` object of the JSON contract (what `JSON.stringify(card)` writes). */
  toJSON() {
    const out = {};
    for (const key of CARD_FIELDS) out[key] = this[key];
    return out;
  }

  /** The canonical payload (what the card's QR code holds, repairs applied). */
  toString() {
    return this.#api.canonical(this.#payload, this.#lenient);
  }

  /** Redacted: a card's personal data never shows in logs by accident. */
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `Card { layout: '${this.layout}', id_number: [redacted], full_name: [redacted], … }`;
  }
}

const encoder = new TextEncoder();

/** UTF-8 of a string; lone surrogates become their 3-byte (invalid UTF-8) sequences, so the
 * library reports them as an encoding error at the right offset instead of a silent U+FFFD. */
export function bytesOf(payload) {
  if (typeof payload !== 'string') return payload;
  if (isWellFormed(payload)) return encoder.encode(payload);
  const out = [];
  for (let i = 0; i < payload.length; i++) {
    const c = payload.codePointAt(i);
    if (c > 0xffff) {
      i++;
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    } else if (c >= 0x800) {
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    } else if (c >= 0x80) {
      out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    } else {
      out.push(c);
    }
  }
  return Uint8Array.from(out);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormed(s) {
  return typeof s.isWellFormed === 'function' ? s.isWellFormed() : !LONE_SURROGATE.test(s);
}

/** Checks the options object and its keys: `undefined` or a plain object of known types. */
const NO_OPTIONS = Object.freeze({});

export function options(opts, fn, keys) {
  if (opts === undefined || opts === null) return NO_OPTIONS;
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw new TypeError(`${fn}: options must be an object`);
  }
  for (const [key, type] of Object.entries(keys)) {
    const v = opts[key];
    if (v === undefined) continue;
    if (type === 'date') {
      if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) {
        throw new TypeError(`${fn}: options.${key} must be a date written YYYY-MM-DD`);
      }
    } else if (typeof v !== type) {
      throw new TypeError(`${fn}: options.${key} must be a ${type}`);
    }
  }
  return opts;
}

/** Checks a payload argument: a string or a Uint8Array (a Node Buffer is one). */
export function payloadArg(payload, fn) {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return payload;
  throw new TypeError(`${fn}: payload must be a string or a Uint8Array, not ${describe(payload)}`);
}

/** MRZ lines: a string, its UTF-8 bytes, or an array of line strings. */
export function mrzArg(lines, fn, what = 'lines') {
  if (Array.isArray(lines) && lines.every((l) => typeof l === 'string')) return bytesOf(lines.join('\n'));
  if (typeof lines === 'string' || lines instanceof Uint8Array) return bytesOf(lines);
  throw new TypeError(`${fn}: ${what} must be a string, an array of strings or a Uint8Array, not ${describe(lines)}`);
}

export function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'object') return v.constructor?.name ?? 'object';
  return typeof v;
}

/**
 * One WebAssembly module (the parser's or the scanner's), with its trap guard.
 *
 * A Rust panic in WebAssembly is a trap (`RuntimeError: unreachable`) that leaves the instance
 * in an unknown state: the guard reads where the panic happened (the panic hook recorded it),
 * throws a CccdError with code "panic", and replaces the instance with a fresh one.
 */
export class Module {
  #reset;

  /** @param exports the wasm-bindgen module's exports; @param reset re-instantiates it */
  constructor(exports, reset) {
    /** The module's exports (valid across resets: they call the current instance). */
    this.w = exports;
    this.#reset = reset;
    /** Counts the instances: views on the memory of an older one are stale. */
    this.generation = 0;
  }

  /** Calls `fn` with the exports; a trap becomes a CccdError. */
  call(fn) {
    try {
      return fn(this.w);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Rethrows `e`; a trap becomes a CccdError, after replacing the instance. */
  fail(e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    let at = null;
    try {
      at = this.w.takePanic() ?? null;
    } catch {
      // The instance may be too broken to answer: the reset below fixes it.
    }
    this.#reset();
    this.generation++;
    const what = at ? `a panic at ${at}` : `a trap (${e.message})`;
    throw new CccdError(`internal error in the cccd WebAssembly module: ${what}; the module was reset`, {
      code: 'panic',
    });
  }
}
