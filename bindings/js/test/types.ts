// Compiled by test/types.test.mjs with `tsc --noEmit` (strict): the declarations describe the
// API, and misuse is a type error (each @ts-expect-error must meet an error).
import { Card, CccdError, parse, readMrz, validate, type MrzReport, type Report } from 'cccd-vn';
import { readChip, verify, CccdError as ChipError, type ChipReport, type VerifyReport } from 'cccd-vn/chip';
import { scan, type ScanReport } from 'cccd-vn/scan';

const card: Card = parse('079203001234||Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021', { lenient: true });
const id: string = card.id_number;
const old: string | null = card.old_id_number;
const sex: 'male' | 'female' = card.sex;
const fields = card.toJSON();
const dob: string = fields.date_of_birth;
const expiryDate: string | null = card.expiry.date;

const report: Report = validate(new Uint8Array([0x31]), { today: '2026-01-01', redact: true });
if (report.ok) {
  const name: string = report.card.full_name;
  const place = report.id_info.birthplace;
  if (place.kind === 'province') {
    const since: string = place.province_since_2025;
  }
} else {
  const code: string = report.error.code;
}

try {
  parse('x');
} catch (e) {
  if (e instanceof CccdError) {
    const code: string = e.code;
    const field: string | null = e.field;
    const offset: number | null = e.offset;
    const message: string = e.message;
  }
}

const scanned: ScanReport = scan(new Uint8Array(8), { raw: true });
const fromPixels: ScanReport = scan({ width: 1, height: 1, data: new Uint8ClampedArray(4) });
const text: string | undefined = scanned.codes?.[0]?.text;

const mrz: MrzReport = readMrz(['IDVNM', 'line 2', 'line 3'], { lenient: true, redact: false, today: '2026-01-01' });
if (mrz.ok) {
  const idFromMrz: string = mrz.mrz.id_number;
  const never: string | null = mrz.mrz.expiry_date;
  const composite: boolean = mrz.mrz.check_digits.composite;
  const column: number | undefined = mrz.repairs[0]?.column;
} else {
  const line: number = mrz.error.line;
}

const dg13 = new Uint8Array(4);
const chip: ChipReport = readChip({ com: dg13, dg1: dg13, dg13, sod: dg13 }, { csca: [dg13], redact: true });
if (chip.ok) {
  const outcome: 'verified' | 'chain_not_verified' | 'dg_hash_mismatch' | 'bad_signature' | 'unsupported_algorithm' | 'malformed_sod' =
    chip.passive_authentication.outcome;
  const father: string | null | undefined = chip.dg13?.father_name;
  const faceLen: number | undefined = chip.face?.len;
} else {
  const file: string = chip.error.field;
}
const checked: VerifyReport = verify({ qr: 'payload', mrz: 'lines', chip: { dg13 }, csca: dg13 }, { today: '2026-01-01' });
const between: [string, string] | undefined = checked.cross_checks[0]?.between;
const pa: string | undefined = checked.chip?.ok ? checked.chip.passive_authentication.outcome : undefined;
const sameError: typeof CccdError = ChipError;

// @ts-expect-error a number is not an MRZ
readMrz(7);
// @ts-expect-error the chip's files are bytes, not paths
readChip({ dg13: 'dg13.bin' });
// @ts-expect-error a certificate is bytes, not a path
readChip({ dg13 }, { csca: 'csca.der' });
// @ts-expect-error verify takes the records as one object
verify('payload', 'lines');
// @ts-expect-error redact is a boolean
verify({ qr: 'x' }, { redact: 'yes' });
// @ts-expect-error a number is not a payload
parse(42);
// @ts-expect-error lenient is a boolean
parse('x', { lenient: 'yes' });
// @ts-expect-error a path is not an image
scan('card.jpg');
// @ts-expect-error the card's fields are read-only
card.full_name = 'x';

export { id, old, sex, dob, expiryDate, fromPixels, text, between, pa, sameError };
