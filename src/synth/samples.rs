//! Labelled samples for QA corpora: valid cards, payloads that break exactly one rule, and
//! damaged but repairable payloads, each with the outcome the parser must give.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::cards::{damage, CardGenerator};
use crate::error::{ErrorCode, Field};
use crate::qr::{Card, Layout};
use crate::text::Repair;

/// What kind of sample to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SampleKind {
    /// A consistent, valid card.
    Valid,
    /// A payload that breaks exactly one rule.
    Invalid,
    /// A valid card with repairable damage.
    Damaged,
}

impl SampleKind {
    /// `valid`, `invalid` or `damaged`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SampleKind::Valid => "valid",
            SampleKind::Invalid => "invalid",
            SampleKind::Damaged => "damaged",
        }
    }
}

/// The outcome a lenient parse (`Parser::new().lenient(true).parse_bytes`) must give.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expected {
    /// This card, after these repairs (none for valid samples).
    Card {
        /// The card.
        card: Card<'static>,
        /// The repairs, in the order the parser applies them.
        repairs: Vec<Repair>,
    },
    /// An error with this code (and field, if the error is in one field).
    Error {
        /// The error code.
        code: ErrorCode,
        /// The field, `None` for `empty`, `too_long`, `encoding` and `field_count`.
        field: Option<Field>,
        /// Which rule the sample breaks, e.g. `"dob_month_13"`.
        rule: &'static str,
    },
}

/// One labelled sample.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// What kind of sample it is.
    pub kind: SampleKind,
    /// The payload bytes (not always UTF-8: see the `encoding` rule).
    pub payload: Vec<u8>,
    /// What the lenient parser must make of it.
    pub expected: Expected,
}

/// A deterministic generator of labelled samples.
///
/// With `line_safe(true)` every sample can be written as one line of a file whose lines end in
/// CR LF and read back by `cccd parse` unchanged: no empty payload, no LF, and line-ending
/// damage is a lone trailing CR (what keyboard-wedge scanners send).
///
/// ```
/// use cccd::synth::{Expected, SampleGenerator, SampleKind};
/// let mut gen = SampleGenerator::new(3);
/// let sample = gen.sample(SampleKind::Invalid);
/// let result = cccd::Parser::new().lenient(true).parse_bytes(&sample.payload);
/// match sample.expected {
///     Expected::Error { code, .. } => assert_eq!(result.unwrap_err().code(), code),
///     _ => unreachable!(),
/// }
/// ```
#[derive(Clone, Debug)]
pub struct SampleGenerator {
    rng: ChaCha8Rng,
    cards: CardGenerator,
    line_safe: bool,
}

type Rule = (&'static str, ErrorCode, Option<Field>);

const RULES: [Rule; 34] = [
    ("empty", ErrorCode::Empty, None),
    ("too_long", ErrorCode::TooLong, None),
    ("not_utf8", ErrorCode::Encoding, None),
    ("six_fields_no_old_id", ErrorCode::FieldCount, None),
    ("nationality_field", ErrorCode::FieldCount, None),
    ("trailing_separator", ErrorCode::FieldCount, None),
    ("twelve_fields", ErrorCode::FieldCount, None),
    ("id_11_digits", ErrorCode::IdNumber, Some(Field::IdNumber)),
    ("id_letter", ErrorCode::IdNumber, Some(Field::IdNumber)),
    ("id_labelled", ErrorCode::IdNumber, Some(Field::IdNumber)),
    (
        "id_fullwidth_digit",
        ErrorCode::IdNumber,
        Some(Field::IdNumber),
    ),
    (
        "old_id_8_digits",
        ErrorCode::OldIdNumber,
        Some(Field::OldIdNumber),
    ),
    (
        "old_id_letter",
        ErrorCode::OldIdNumber,
        Some(Field::OldIdNumber),
    ),
    ("name_empty", ErrorCode::FullName, Some(Field::FullName)),
    ("name_tab", ErrorCode::FullName, Some(Field::FullName)),
    ("name_nul", ErrorCode::FullName, Some(Field::FullName)),
    (
        "name_c1_control",
        ErrorCode::FullName,
        Some(Field::FullName),
    ),
    (
        "dob_slashes",
        ErrorCode::DateOfBirth,
        Some(Field::DateOfBirth),
    ),
    (
        "dob_month_13",
        ErrorCode::DateOfBirth,
        Some(Field::DateOfBirth),
    ),
    (
        "dob_day_32",
        ErrorCode::DateOfBirth,
        Some(Field::DateOfBirth),
    ),
    (
        "dob_feb_30",
        ErrorCode::DateOfBirth,
        Some(Field::DateOfBirth),
    ),
    (
        "dob_7_digits",
        ErrorCode::DateOfBirth,
        Some(Field::DateOfBirth),
    ),
    (
        "dob_year_0",
        ErrorCode::DateOfBirth,
        Some(Field::DateOfBirth),
    ),
    ("sex_english", ErrorCode::Sex, Some(Field::Sex)),
    ("sex_upper_case", ErrorCode::Sex, Some(Field::Sex)),
    ("sex_no_diacritic", ErrorCode::Sex, Some(Field::Sex)),
    ("address_empty", ErrorCode::Address, Some(Field::Address)),
    ("address_del", ErrorCode::Address, Some(Field::Address)),
    (
        "address_line_feed",
        ErrorCode::Address,
        Some(Field::Address),
    ),
    (
        "issue_date_iso",
        ErrorCode::IssueDate,
        Some(Field::IssueDate),
    ),
    (
        "issue_date_month_0",
        ErrorCode::IssueDate,
        Some(Field::IssueDate),
    ),
    (
        "issue_date_apr_31",
        ErrorCode::IssueDate,
        Some(Field::IssueDate),
    ),
    (
        "extra_field_control",
        ErrorCode::ExtraField,
        Some(Field::ExtraField),
    ),
    ("sex_empty", ErrorCode::Sex, Some(Field::Sex)),
];

impl SampleGenerator {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        SampleGenerator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            cards: CardGenerator::new(seed ^ 0x5eed_ca4d),
            line_safe: false,
        }
    }

    /// Only make samples that survive being written as one line of a CR LF file.
    pub fn line_safe(mut self, yes: bool) -> Self {
        self.line_safe = yes;
        self
    }

    /// Every rule an invalid sample can break: its name and the error code it must give.
    pub fn rules() -> impl Iterator<Item = (&'static str, ErrorCode)> {
        RULES.iter().map(|(name, code, _)| (*name, *code))
    }

    /// The next sample of `kind`.
    pub fn sample(&mut self, kind: SampleKind) -> Sample {
        match kind {
            SampleKind::Valid => {
                let card = self.cards.card();
                Sample {
                    kind,
                    payload: card.to_string().into_bytes(),
                    expected: Expected::Card {
                        card,
                        repairs: Vec::new(),
                    },
                }
            }
            SampleKind::Invalid => self.invalid(),
            SampleKind::Damaged => self.damaged(),
        }
    }

    /// The next sample of a random kind (valid, invalid and damaged in equal shares).
    pub fn mixed(&mut self) -> Sample {
        let kind =
            [SampleKind::Valid, SampleKind::Invalid, SampleKind::Damaged][self.rng.gen_range(0..3)];
        self.sample(kind)
    }

    fn invalid(&mut self) -> Sample {
        let rules: Vec<&Rule> = RULES
            .iter()
            .filter(|(name, _, _)| {
                !(self.line_safe && matches!(*name, "empty" | "address_line_feed"))
            })
            .collect();
        let &&(rule, code, field) = rules.choose(&mut self.rng).unwrap_or(&&RULES[1]);
        let layout = if rule == "extra_field_control" {
            Layout::V2024
        } else if self.rng.gen_bool(0.5) {
            Layout::V2021
        } else {
            Layout::V2024
        };
        let card = self.cards.card_with_layout(layout);
        let text = card.to_string();
        let mut f: Vec<String> = text.split('|').map(str::to_owned).collect();
        let mut bytes = None;
        match rule {
            "empty" => f = vec![String::new()],
            "too_long" => f[5] = f[5].repeat(4096 / f[5].len().max(1) + 1),
            "not_utf8" => {
                let mut b = text.clone().into_bytes();
                let name_start = f[0].len() + f[1].len() + 2;
                b[name_start + 1] = 0xff;
                bytes = Some(b);
            }
            "six_fields_no_old_id" => {
                f.truncate(7);
                f.remove(1);
            }
            "nationality_field" => {
                f.truncate(7);
                f.push("Việt Nam".into());
            }
            "trailing_separator" => {
                f.truncate(7);
                f.push(String::new());
            }
            "twelve_fields" => {
                f.truncate(7);
                f.extend(std::iter::repeat_n(String::new(), 5));
            }
            "id_11_digits" => f[0].truncate(11),
            "id_letter" => f[0].replace_range(6..7, "O"),
            "id_labelled" => f[0] = format!("CCCD:{}", f[0]),
            "id_fullwidth_digit" => f[0].replace_range(0..1, "０"),
            "old_id_8_digits" => f[1] = "12345678".into(),
            "old_id_letter" => f[1] = "1234567X9".into(),
            "name_empty" => f[2].clear(),
            "name_tab" => f[2] = f[2].replacen(' ', "\t", 1),
            "name_nul" => f[2].push('\0'),
            "name_c1_control" => f[2] = f[2].replacen(' ', "\u{85}", 1),
            "dob_slashes" => f[3] = format!("{}/{}/{}", &f[3][..2], &f[3][2..4], &f[3][4..]),
            "dob_month_13" => f[3].replace_range(2..4, "13"),
            "dob_day_32" => f[3].replace_range(0..2, "32"),
            "dob_feb_30" => f[3].replace_range(0..4, "3002"),
            "dob_7_digits" => {
                f[3].remove(0);
            }
            "dob_year_0" => f[3].replace_range(4..8, "0000"),
            "sex_english" => f[4] = "Female".into(),
            "sex_upper_case" => f[4] = f[4].to_uppercase(),
            "sex_no_diacritic" => f[4] = "Nu".into(),
            "sex_empty" => f[4].clear(),
            "address_empty" => f[5].clear(),
            "address_del" => f[5].push('\u{7f}'),
            "address_line_feed" => f[5] = f[5].replacen(", ", ",\n", 1),
            "issue_date_iso" => {
                f[6] = format!("{}-{}-{}", &f[6][4..], &f[6][2..4], &f[6][..2]);
            }
            "issue_date_month_0" => f[6].replace_range(2..4, "00"),
            "issue_date_apr_31" => f[6].replace_range(0..4, "3104"),
            _ => f[8] = "\u{1}".into(), // extra_field_control
        }
        Sample {
            kind: SampleKind::Invalid,
            payload: bytes.unwrap_or_else(|| f.join("|").into_bytes()),
            expected: Expected::Error { code, field, rule },
        }
    }

    fn damaged(&mut self) -> Sample {
        let mut kinds = vec![
            Repair::BomRemoved,
            Repair::WhitespaceTrimmed,
            Repair::LineEndingRemoved,
            Repair::NfcNormalized,
            Repair::MojibakeLatin1,
            Repair::MojibakeCp1252,
            Repair::MojibakeShiftJis,
            Repair::MojibakeBig5,
        ];
        kinds.shuffle(&mut self.rng);
        // Shift-JIS and Big5 can carry only some payloads; try a few cards before moving on.
        for _ in 0..40 {
            let card = self.cards.card();
            let text = card.to_string();
            for &repair in &kinds {
                let damaged = match repair {
                    Repair::LineEndingRemoved if self.line_safe => Some(format!("{text}\r")),
                    _ => damage(&text, repair),
                };
                if let Some(damaged) = damaged {
                    return Sample {
                        kind: SampleKind::Damaged,
                        payload: damaged.into_bytes(),
                        expected: Expected::Card {
                            card,
                            repairs: vec![repair],
                        },
                    };
                }
            }
        }
        // Unreachable in practice (BOM damage always applies); stay total.
        let card = self.cards.card();
        Sample {
            kind: SampleKind::Damaged,
            payload: format!("\u{feff}{card}").into_bytes(),
            expected: Expected::Card {
                card,
                repairs: vec![Repair::BomRemoved],
            },
        }
    }
}
