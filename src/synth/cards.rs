//! Synthetic, internally consistent cards and their damaged renderings.

use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use unicode_normalization::UnicodeNormalization;

use crate::qr::{Card, CardDate, Layout};
use crate::rules::Sex;
use crate::text::{self, Repair};

const SURNAMES: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE_MALE: [&str; 6] = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Công"];
const MIDDLE_FEMALE: [&str; 6] = ["Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Bảo"];

const ONSETS: [&str; 27] = [
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "p",
    "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];
/// The 12 Vietnamese vowel letters, each with its 6 tones (level, grave, hook, tilde, acute,
/// dot below).
const VOWELS: [[&str; 6]; 12] = [
    ["a", "à", "ả", "ã", "á", "ạ"],
    ["ă", "ằ", "ẳ", "ẵ", "ắ", "ặ"],
    ["â", "ầ", "ẩ", "ẫ", "ấ", "ậ"],
    ["e", "è", "ẻ", "ẽ", "é", "ẹ"],
    ["ê", "ề", "ể", "ễ", "ế", "ệ"],
    ["i", "ì", "ỉ", "ĩ", "í", "ị"],
    ["o", "ò", "ỏ", "õ", "ó", "ọ"],
    ["ô", "ồ", "ổ", "ỗ", "ố", "ộ"],
    ["ơ", "ờ", "ở", "ỡ", "ớ", "ợ"],
    ["u", "ù", "ủ", "ũ", "ú", "ụ"],
    ["ư", "ừ", "ử", "ữ", "ứ", "ự"],
    ["y", "ỳ", "ỷ", "ỹ", "ý", "ỵ"],
];
const CODAS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

const UNITS: [&str; 6] = ["Phường", "Xã", "Thị trấn", "Thôn", "Tổ", "Ấp"];
const PLACES: [&str; 12] = [
    "Hà Nội",
    "TP. Hồ Chí Minh",
    "Đà Nẵng",
    "Hải Phòng",
    "Cần Thơ",
    "Nghệ An",
    "Thanh Hóa",
    "Đắk Lắk",
    "Quảng Ngãi",
    "Bà Rịa - Vũng Tàu",
    "Thừa Thiên Huế",
    "Khánh Hòa",
];

/// A deterministic generator of synthetic, internally consistent cards.
///
/// The ID number agrees with the sex and birth year and starts with a real province code;
/// dates are plausible for the layout (2021 layout: issued 2021 – June 2024 to holders of 14
/// or more; 2024 layout: issued from September 2024); names and addresses are made of
/// random Vietnamese syllables, so over many cards every vowel appears with every tone, and
/// `Đ`/`đ` too. The same seed always gives the same cards.
///
/// ```
/// let mut gen = cccd::synth::CardGenerator::new(7);
/// let card = gen.card();
/// assert_eq!(cccd::parse(&card.to_string()), Ok(card.clone()));
/// assert_eq!(card.id_number().sex(), card.sex());
/// ```
#[derive(Clone, Debug)]
pub struct CardGenerator {
    rng: ChaCha8Rng,
}

impl CardGenerator {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        CardGenerator {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The next card, in a random layout.
    pub fn card(&mut self) -> Card<'static> {
        let layout = if self.rng.gen_bool(0.5) {
            Layout::V2021
        } else {
            Layout::V2024
        };
        self.card_with_layout(layout)
    }

    /// The next card's canonical payload.
    pub fn payload(&mut self) -> String {
        self.card().to_string()
    }

    /// The next card, in the given layout.
    pub fn card_with_layout(&mut self, layout: Layout) -> Card<'static> {
        let sex = if self.rng.gen_bool(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let (date_of_birth, issue_date) = match layout {
            Layout::V2024 => {
                let issue = self.date_between(ymd(2024, 9, 1), ymd(2026, 6, 30));
                let dob = self.date_between(ymd(1930, 1, 1), issue - Duration::days(30));
                (dob, issue)
            }
            _ => {
                let issue = self.date_between(ymd(2021, 1, 1), ymd(2024, 6, 30));
                let dob = self.date_between(ymd(1930, 1, 1), years_before(issue, 15));
                (dob, issue)
            }
        };
        let provinces = crate::Province::all();
        let province = provinces[self.rng.gen_range(0..provinces.len())].code();
        let century = (date_of_birth.year() - 1900) / 100;
        let g = century * 2 + i32::from(sex == Sex::Female);
        let id = format!(
            "{province:03}{g}{:02}{:06}",
            date_of_birth.year() % 100,
            self.rng.gen_range(0..1_000_000)
        );
        let old = match self.rng.gen_range(0..10) {
            0..=4 => String::new(),
            5..=8 => format!("{:09}", self.rng.gen_range(10_000_000..1_000_000_000u32)),
            _ => format!(
                "{:012}",
                self.rng.gen_range(1_000_000_000..1_000_000_000_000u64)
            ),
        };
        let name = self.name(sex);
        let address = self.address();
        let mut payload = format!(
            "{id}|{old}|{name}|{}|{}|{address}|{}",
            CardDate(date_of_birth),
            sex.as_card_str(),
            CardDate(issue_date)
        );
        if layout == Layout::V2024 {
            payload.push_str("||||");
        }
        match crate::parse(&payload) {
            Ok(card) => card.into_owned(),
            // Unreachable by construction; a test pins it. Never panic in library code.
            Err(_) => self.card_with_layout(layout),
        }
    }

    fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = (to - from).num_days().max(0);
        from + Duration::days(self.rng.gen_range(0..=days))
    }

    /// A random Vietnamese-looking syllable, Title Case.
    fn syllable(&mut self) -> String {
        let onset = ONSETS[self.rng.gen_range(0..ONSETS.len())];
        let vowel = VOWELS[self.rng.gen_range(0..VOWELS.len())][self.rng.gen_range(0..6)];
        let coda = CODAS[self.rng.gen_range(0..CODAS.len())];
        let mut s = String::with_capacity(12);
        let mut chars = onset.chars().chain(vowel.chars()).chain(coda.chars());
        if let Some(first) = chars.next() {
            s.extend(first.to_uppercase());
        }
        s.extend(chars);
        s
    }

    fn name(&mut self, sex: Sex) -> String {
        let surname = SURNAMES[self.rng.gen_range(0..SURNAMES.len())];
        let middle = match sex {
            Sex::Female => MIDDLE_FEMALE[self.rng.gen_range(0..MIDDLE_FEMALE.len())],
            _ => MIDDLE_MALE[self.rng.gen_range(0..MIDDLE_MALE.len())],
        };
        let mut name = format!("{surname} {middle}");
        for _ in 0..self.rng.gen_range(1..=2) {
            name.push(' ');
            name.push_str(&self.syllable());
        }
        name
    }

    fn address(&mut self) -> String {
        let mut parts = Vec::with_capacity(4);
        match self.rng.gen_range(0..4) {
            0 => parts.push(format!(
                "Số {}/{} {} {}",
                self.rng.gen_range(1..300),
                self.rng.gen_range(1..30),
                self.syllable(),
                self.syllable()
            )),
            1 => parts.push(format!(
                "Số {} Ngõ {}, Tổ {}",
                self.rng.gen_range(1..200),
                self.rng.gen_range(1..100),
                self.rng.gen_range(1..40)
            )),
            2 => parts.push(format!(
                "Xóm {}, Khu đô thị {}",
                self.rng.gen_range(1..20),
                self.syllable()
            )),
            _ => parts.push(format!("Thôn {} ({})", self.syllable(), self.syllable())),
        }
        let unit = UNITS[self.rng.gen_range(0..UNITS.len())];
        parts.push(format!("{unit} {} {}", self.syllable(), self.syllable()));
        if self.rng.gen_bool(0.5) {
            parts.push(format!("Quận {}-{}", self.syllable(), self.syllable()));
        }
        parts.push(PLACES[self.rng.gen_range(0..PLACES.len())].to_owned());
        parts.join(", ")
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn years_before(date: NaiveDate, years: i32) -> NaiveDate {
    date.with_year(date.year() - years)
        .unwrap_or_else(|| ymd(date.year() - years, date.month(), 28))
}

/// `payload` damaged the way `repair` undoes: a BOM put in front, whitespace around it, a
/// CR LF after it, its text decomposed (NFD), or its UTF-8 bytes decoded in the wrong
/// charset (mojibake). `None` when this payload cannot carry that damage recognisably: it
/// would not change (no non-ASCII text), the charset cannot hold the bytes losslessly, or
/// the garbled text would be indistinguishable from another kind of damage (Windows-1252
/// mojibake of bytes that Latin-1 reads the same).
pub fn damage(payload: &str, repair: Repair) -> Option<String> {
    let garble = |enc: &'static encoding_rs::Encoding| {
        let s = enc.decode_without_bom_handling_and_without_replacement(payload.as_bytes())?;
        let (back, _, unmappable) = enc.encode(&s);
        (!unmappable && *back == *payload.as_bytes() && s.chars().any(|c| !text::is_plausible(c)))
            .then(|| s.into_owned())
    };
    match repair {
        Repair::BomRemoved => Some(format!("\u{feff}{payload}")),
        Repair::WhitespaceTrimmed => Some(format!("  {payload}\t ")),
        Repair::LineEndingRemoved => Some(format!("{payload}\r\n")),
        Repair::NfcNormalized => {
            let nfd: String = payload.nfd().collect();
            (nfd != payload).then_some(nfd)
        }
        Repair::MojibakeLatin1 => {
            let s: String = payload.bytes().map(char::from).collect();
            (s != payload).then_some(s)
        }
        Repair::MojibakeCp1252 => {
            let latin1_differs = payload.bytes().any(|b| (0x80..0xa0).contains(&b))
                && garble(encoding_rs::WINDOWS_1252)
                    .is_some_and(|s| s.chars().any(|c| u32::from(c) > 0xff));
            if latin1_differs {
                garble(encoding_rs::WINDOWS_1252)
            } else {
                None
            }
        }
        Repair::MojibakeShiftJis => garble(encoding_rs::SHIFT_JIS),
        Repair::MojibakeBig5 => garble(encoding_rs::BIG5),
        Repair::MojibakeEucKr => garble(encoding_rs::EUC_KR),
        Repair::MojibakeGb18030 => garble(encoding_rs::GB18030),
        Repair::LegacyCp1258 => None,
    }
}
