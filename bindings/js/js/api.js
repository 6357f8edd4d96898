// The parser's API over one instance of the parser module (see node.js and browser.js).

import { Card, bytesOf, errorFromReport, isWellFormed, options, payloadArg } from './common.js';

const VALIDATE_OPTIONS = { lenient: 'boolean', redact: 'boolean', today: 'date' };

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

export function makeApi(core) {
  const maxLen = core.call((w) => w.maxPayloadLen());

  /** The report JSON line for a payload (checked arguments). */
  function reportJson(payload, opts) {
    const lenient = opts.lenient ?? false;
    const redact = opts.redact ?? false;
    const today = opts.today;
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

  function validate(payload, opts) {
    payloadArg(payload, 'validate');
    const o = options(opts, 'validate', VALIDATE_OPTIONS);
    return JSON.parse(reportJson(payload, o));
  }

  function parse(payload, opts) {
    payloadArg(payload, 'parse');
    const o = options(opts, 'parse', { lenient: 'boolean', today: 'date' });
    const report = JSON.parse(reportJson(payload, { lenient: o.lenient, today: o.today }));
    if (!report.ok) throw errorFromReport(report.error);
    return new Card(report, payload, o.lenient ?? false, core);
  }

  const panicForTest = () => core.call((w) => w.__panicForTest());
  return { parse, validate, panicForTest };
}
