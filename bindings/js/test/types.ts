// Compiled by test/types.test.mjs with `tsc --noEmit` (strict): the declarations describe the
// API, and misuse is a type error (each @ts-expect-error must meet an error).
import { Card, CccdError, parse, validate, type Report } from 'cccd-vn';
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

// @ts-expect-error a number is not a payload
parse(42);
// @ts-expect-error lenient is a boolean
parse('x', { lenient: 'yes' });
// @ts-expect-error a path is not an image
scan('card.jpg');
// @ts-expect-error the card's fields are read-only
card.full_name = 'x';

export { id, old, sex, dob, expiryDate, fromPixels, text };
