// Types of `cccd-vn/chip`: the chip's data groups, passive authentication and the cross-check
// of one card's records (a third WebAssembly module, with the RustCrypto verifiers).
import type { MrzReport, Report, Warning } from './index.js';
export { CccdError } from './index.js';

/** The chip's files as a reader read them, by name (`com`, `dg1` … `dg16`, `sod`;
 * case-insensitive, `ef.`/`ef_` prefixes allowed). */
export type ChipFiles = { readonly [name: string]: Uint8Array | undefined };

/** CSCA certificates (DER, or PEM text with one or more certificates). */
export type Certificates = Uint8Array | readonly Uint8Array[];

/** EF.COM. */
export interface Com {
  lds_version: string;
  unicode_version: string;
  data_groups: string[];
  unknown_tags?: number[];
}

/** DG13, the Vietnamese record: every entry (redacted: numbers masked, names as initials,
 * places to their province, other personal values `[redacted]`). Dates are ISO `YYYY-MM-DD`. */
export interface Dg13 {
  id_number: string | null;
  full_name: string | null;
  date_of_birth: string | null;
  sex: 'male' | 'female' | null;
  nationality: string | null;
  ethnicity: string | null;
  religion: string | null;
  place_of_origin: string | null;
  place_of_residence: string | null;
  identifying_marks: string | null;
  issue_date: string | null;
  /** A date, or `never`. */
  expiry: string | null;
  father_name: string | null;
  mother_name: string | null;
  spouse_name: string | null;
  /** Entries kept raw: `disputed`, `unknown`, `invalid_value`, `duplicate`. */
  raw_entries: { number: number; reason: string; texts: string[] }[];
}

/** The outcome codes of passive authentication. */
export type PaOutcome =
  | 'verified'
  | 'chain_not_verified'
  | 'dg_hash_mismatch'
  | 'bad_signature'
  | 'unsupported_algorithm'
  | 'malformed_sod';

/** Passive authentication of EF.SOD against the trust anchors given. */
export interface PassiveAuthentication {
  outcome: PaOutcome;
  /** A fixed sentence saying what decided the outcome. */
  reason: string;
  /** The data groups that do not hash as EF.SOD says (`dg_hash_mismatch`). */
  mismatched: string[];
  dg_hashes: { file: string; status: 'match' | 'mismatch' | 'not_in_sod' | 'not_read' }[];
  hash_algorithm: string | null;
  /** The signature algorithm's OID, dotted. */
  signature_algorithm: string | null;
  /** The document signer certificate's subject. */
  signer: string | null;
  /** The subject of the trust anchor that signed the document signer certificate. */
  trust_anchor: string | null;
}

/** What `cccd chip` prints for a chip whose files were read, without `"dir"`. */
export interface ChipReadReport {
  ok: true;
  /** The files given, in the chip's order. */
  files: string[];
  com: Com | null;
  /** DG1's MRZ: the lines (`[redacted]` when redacted) and whether they parse. */
  mrz: { lines: string[]; valid: boolean; error: string | null } | null;
  dg13: Dg13 | null;
  /** DG2's face: never the image. */
  face: { format: 'jpeg' | 'jpeg2000' | 'unknown'; width: number; height: number; len: number } | null;
  /** DG13 against DG1 (`chip_mrz_*`). */
  warnings: Warning[];
  passive_authentication: PassiveAuthentication;
}

/** What `cccd chip` prints for a chip whose files did not read: `field` is the file. */
export interface ChipFailedReport {
  ok: false;
  error: { code: string; reason: string; field: string; offset: number; message: string };
}

/** The object `cccd chip --format json` prints, without `"dir"`. */
export type ChipReport = ChipReadReport | ChipFailedReport;

/** A disagreement between two records of the card. */
export interface CrossCheck {
  code: string;
  message: string;
  /** `qr`, `mrz`, `chip.dg1`, `chip.dg13`. */
  between: [string, string];
}

/** The object `cccd verify --format json` prints, without `chip.dir`. */
export interface VerifyReport {
  /** Every record given was read. */
  ok: boolean;
  /** Every record was read and no two disagree. Says nothing about authenticity: see
   * `chip.passive_authentication`. */
  consistent: boolean;
  records: ('qr' | 'mrz' | 'chip')[];
  qr?: Report;
  mrz?: MrzReport;
  chip?: ChipReport;
  cross_checks: CrossCheck[];
}

export interface ChipOptions {
  /** Trusted CSCA certificates: without one, the best outcome is `chain_not_verified`. */
  csca?: Certificates;
  /** Redact personal data, as `cccd chip --redact`. Default false. */
  redact?: boolean;
}

/** One card's records: at least one of `qr`, `mrz`, `chip`. */
export interface Records {
  /** The QR payload (text, or the bytes a QR decoder returns). */
  qr?: string | Uint8Array;
  /** The MRZ printed on the back: three lines separated by newlines, or an array of them. */
  mrz?: string | readonly string[] | Uint8Array;
  /** The chip's files. */
  chip?: ChipFiles;
  /** Trusted CSCA certificates for the chip's passive authentication. */
  csca?: Certificates;
}

export interface VerifyOptions {
  /** Read the QR payload and the MRZ leniently, reporting each repair. Default false. */
  lenient?: boolean;
  /** Redact personal data, as `cccd verify --redact`. Default false. */
  redact?: boolean;
  /** The reference date, `YYYY-MM-DD`. Default: today (local). */
  today?: string;
}

/** Exactly the object `cccd chip --format json` prints for these files (without `"dir"`):
 * the data groups, DG13 against DG1, and passive authentication. Files that do not parse give
 * `ok` false, not an exception.
 * @throws {TypeError} for an unknown file name, a file given twice, no file, or arguments of
 * the wrong type; {CccdError} (code `bad_certificate`) for a certificate that does not parse. */
export function readChip(files: ChipFiles, options?: ChipOptions): ChipReport;

/** Exactly the object `cccd verify --format json` prints for one card's records (without
 * `chip.dir`): each record's report and every disagreement between two of them.
 * @throws {TypeError} when no record is given, for `csca` without `chip`, and as `readChip`;
 * {CccdError} (code `bad_certificate`) for a certificate that does not parse. */
export function verify(records: Records, options?: VerifyOptions): VerifyReport;
