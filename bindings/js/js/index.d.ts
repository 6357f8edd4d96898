// Types of `cccd-vn`: the parser (the small module; the scanner is `cccd-vn/scan`).

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
