// Types of `cccd-vn`: the parser and `readMrz` (the small module; the scanner is
// `cccd-vn/scan`, the chip and `verify` are `cccd-vn/chip`).

/** The `"card"` object of the JSON contract: the payload's fields. Dates are ISO `YYYY-MM-DD`. */
export interface CardFields {
  id_number: string;
  old_id_number: string | null;
  full_name: string;
  date_of_birth: string;
  sex: 'male' | 'female';
  address: string;
  issue_date: string;
  extra_fields: string[];
}

/** Where the birth was registered, from the ID number's first three digits. */
export type Birthplace =
  | { kind: 'province'; code: string; name: string; province_since_2025: string }
  | { kind: 'country'; code: string; name: string; iso: string }
  | { kind: 'unknown'; code: string };

/** What the ID number says. */
export interface IdInfo {
  birthplace: Birthplace;
  century: number;
  sex: 'male' | 'female';
  birth_year: number;
}

/** When the card expires: `date` null when `never`; `law` is "2014" or "2023". */
export interface Expiry {
  date: string | null;
  never: boolean;
  law: string;
}

/** A finding of the cross-field checks (never personal data in `message`). */
export interface Warning {
  code: string;
  message: string;
}

/** The `"error"` object of a payload that did not parse. */
export interface ErrorObject {
  code: string;
  field?: string | null;
  offset?: number;
  message: string;
}

/** What `cccd parse --format json` prints for a payload that parsed. */
export interface CardReport {
  ok: true;
  layout: '2021' | '2024';
  card: CardFields;
  repairs: string[];
  id_info: IdInfo;
  expiry: Expiry;
  expired: boolean;
  full_name_ascii: string;
  warnings: Warning[];
}

/** What `cccd parse --format json` prints for a payload that did not parse. */
export interface FailedReport {
  ok: false;
  error: ErrorObject;
}

/** The object `cccd parse --format json` prints. */
export type Report = CardReport | FailedReport;

/** Thrown by `parse` for a payload that does not parse, and when the WebAssembly module fails
 * (`code` "panic"). Messages never contain personal data. */
export class CccdError extends Error {
  name: 'CccdError';
  /** The JSON contract's error code (`date_of_birth`, `field_count`, `encoding`, …) or "panic". */
  code: string;
  /** The field the problem is in, or null. */
  field: string | null;
  /** The byte offset (UTF-8) in the payload, or null. */
  offset: number | null;
  /** The library's finer reason (`month_out_of_range`, `not_a_digit`, `wrong_length`, …), or
   * null for errors that are not about the payload (code "panic"). */
  reason: string | null;
}

/** A parsed card: the fields of the JSON contract and what the library knows about it. */
export class Card implements CardFields {
  private constructor();
  readonly id_number: string;
  readonly old_id_number: string | null;
  readonly full_name: string;
  readonly date_of_birth: string;
  readonly sex: 'male' | 'female';
  readonly address: string;
  readonly issue_date: string;
  readonly extra_fields: string[];
  readonly layout: '2021' | '2024';
  /** Repairs applied (lenient parsing), in order. */
  readonly repairs: string[];
  readonly id_info: IdInfo;
  readonly expiry: Expiry;
  /** Whether the card had expired on the reference date. */
  readonly expired: boolean;
  readonly full_name_ascii: string;
  /** The checks' findings on the reference date. */
  readonly warnings: Warning[];
  /** The `"card"` object of the JSON contract. */
  toJSON(): CardFields;
  /** The canonical payload. */
  toString(): string;
}

export interface ParseOptions {
  /** Repair what scanners damage (reported in `repairs`). Default false. */
  lenient?: boolean;
  /** The reference date for `expired` and `warnings`, `YYYY-MM-DD`. Default: today (local). */
  today?: string;
}

export interface ValidateOptions extends ParseOptions {
  /** Redact personal data, as `cccd parse --redact`. Default false. */
  redact?: boolean;
}

/** Parses a card payload (text, or the raw bytes a QR decoder returns).
 * @throws {CccdError} when it does not parse; {TypeError} for arguments of the wrong type. */
export function parse(payload: string | Uint8Array, options?: ParseOptions): Card;

/** Exactly the object `cccd parse --format json` prints for the payload; never throws for a
 * payload that does not parse (`ok` is false).
 * @throws {TypeError} for arguments of the wrong type. */
export function validate(payload: string | Uint8Array, options?: ValidateOptions): Report;

/** The `"mrz"` object of `cccd mrz`: the MRZ's fields (redacted: numbers masked, names as
 * initials, dates `[redacted]`). Dates are ISO `YYYY-MM-DD`. */
export interface MrzRecord {
  document_code: string;
  issuing_state: string;
  document_number: string;
  /** The full 12-digit ID number (the optional data). */
  id_number: string;
  date_of_birth: string;
  sex: 'male' | 'female';
  /** null when the card never expires (`991231`). */
  expiry_date: string | null;
  expires_never: boolean;
  nationality: string;
  surname: string;
  given_names: string;
  /** The name fills its line: it may have been cut. */
  name_truncated: boolean;
  /** Whether each of the five check digits matches. */
  check_digits: {
    document_number: boolean;
    id_number: boolean;
    date_of_birth: boolean;
    expiry_date: boolean;
    composite: boolean;
  };
}

/** A repair of lenient MRZ reading (`uppercased`, `o_to_0`, …), where it was made. */
export interface MrzRepair {
  code: string;
  line?: number;
  column?: number;
}

/** The `"error"` object of an MRZ that did not parse: line and column are 1-based. */
export interface MrzErrorObject {
  code: string;
  field: string | null;
  reason: string;
  line: number;
  column: number;
  message: string;
}

/** What `cccd mrz` prints for an MRZ that parsed. */
export interface MrzParsedReport {
  ok: true;
  mrz: MrzRecord;
  repairs: MrzRepair[];
  /** Whether the printed expiry is on or before the reference date. */
  expired: boolean;
  warnings: Warning[];
}

/** What `cccd mrz` prints for an MRZ that did not parse. */
export interface MrzFailedReport {
  ok: false;
  error: MrzErrorObject;
}

/** The object `cccd mrz --format json` prints. */
export type MrzReport = MrzParsedReport | MrzFailedReport;

export interface MrzOptions {
  /** Repair what OCR and keyboard-wedge readers produce (reported in `repairs`). Default false. */
  lenient?: boolean;
  /** Redact personal data, as `cccd mrz --redact`. Default false. */
  redact?: boolean;
  /** The reference date for `expired` and `warnings`, `YYYY-MM-DD`. Default: today (local). */
  today?: string;
}

/** Exactly the object `cccd mrz --format json` prints for one MRZ: its three lines separated by
 * newlines (or an array of the lines, or DG1's 90 characters); never throws for an MRZ that
 * does not parse (`ok` is false, the error names line and column).
 * @throws {TypeError} for arguments of the wrong type. */
export function readMrz(lines: string | readonly string[] | Uint8Array, options?: MrzOptions): MrzReport;
