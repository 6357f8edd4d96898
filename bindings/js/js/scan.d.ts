// Types of `cccd-vn/scan`: the scanner (a second, larger WebAssembly module).
import type { CardFields, Expiry, IdInfo, Warning } from './index.js';
export { CccdError } from './index.js';

/** One QR code found. `text` is the payload text; corners are image pixels, clockwise. */
export interface Code {
  text: string;
  corners: [[number, number], [number, number], [number, number], [number, number]];
  engine: 'rxing' | 'rqrr';
  step: string;
}

/** What `cccd scan` prints for one image, without `"file"`. */
export interface ScanReport {
  ok: boolean;
  elapsed_ms: number;
  codes?: Code[];
  layout?: '2021' | '2024';
  card?: CardFields;
  repairs?: string[];
  id_info?: IdInfo;
  expiry?: Expiry;
  expired?: boolean;
  full_name_ascii?: string;
  warnings?: Warning[];
  /** Why the scan failed: not_found, not_a_card, unreadable_image, too_large, time_budget. */
  error?: { code: string; message: string };
}

export interface ScanOptions {
  /** Succeed on any QR code, without a card (no card keys). Default false. */
  raw?: boolean;
  /** Redact personal data (and the codes' text), as `cccd scan --redact`. Default false. */
  redact?: boolean;
  /** The reference date for `expired` and `warnings`, `YYYY-MM-DD`. Default: today (local). */
  today?: string;
}

/** Decoded RGBA pixels: a canvas `ImageData`, or any object of that shape. */
export interface ImageDataLike {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** Finds the card's QR code in a photo: encoded bytes (PNG, JPEG, WebP, GIF, BMP) or pixels.
 * A photo without a card is a report with `ok` false, not an exception.
 * @throws {TypeError} for arguments of the wrong type. */
export function scan(image: Uint8Array | ImageDataLike, options?: ScanOptions): ScanReport;
