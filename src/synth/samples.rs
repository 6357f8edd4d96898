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
        rule: Rule,
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

/// Declares [`Rule`] from one table: name, error code and field of each rule.
macro_rules! rules {
    ($($variant:ident = $name:literal => $code:ident, $field:expr;)*) => {
        /// A rule an invalid sample breaks, with the error the parser must give.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Rule {
            $(#[doc = concat!("`", $name, "`")] $variant,)*
        }

        impl Rule {
            /// Every rule.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The rule's name (`dob_month_13`, …), as `cccd gen` writes it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            /// The error code the parser must give.
            pub const fn code(self) -> ErrorCode {
                match self {
                    $(Rule::$variant => ErrorCode::$code,)*
                }
            }

            /// The field the error must name.
            pub const fn field(self) -> Option<Field> {
                match self {
                    $(Rule::$variant => $field,)*
                }
            }
        }
    };
}

rules! {
    Empty = "empty" => Empty, None;
    TooLong = "too_long" => TooLong, None;
    NotUtf8 = "not_utf8" => Encoding, None;
    SixFieldsNoOldId = "six_fields_no_old_id" => FieldCount, None;
    NationalityField = "nationality_field" => FieldCount, None;
    TrailingSeparator = "trailing_separator" => FieldCount, None;
    TwelveFields = "twelve_fields" => FieldCount, None;
    Id11Digits = "id_11_digits" => IdNumber, Some(Field::IdNumber);
    IdLetter = "id_letter" => IdNumber, Some(Field::IdNumber);
    IdLabelled = "id_labelled" => IdNumber, Some(Field::IdNumber);
    IdFullwidthDigit = "id_fullwidth_digit" => IdNumber, Some(Field::IdNumber);
    OldId8Digits = "old_id_8_digits" => OldIdNumber, Some(Field::OldIdNumber);
    OldIdLetter = "old_id_letter" => OldIdNumber, Some(Field::OldIdNumber);
    NameEmpty = "name_empty" => FullName, Some(Field::FullName);
    NameTab = "name_tab" => FullName, Some(Field::FullName);
    NameNul = "name_nul" => FullName, Some(Field::FullName);
    NameC1Control = "name_c1_control" => FullName, Some(Field::FullName);
    DobSlashes = "dob_slashes" => DateOfBirth, Some(Field::DateOfBirth);
    DobMonth13 = "dob_month_13" => DateOfBirth, Some(Field::DateOfBirth);
    DobDay32 = "dob_day_32" => DateOfBirth, Some(Field::DateOfBirth);
    DobFeb30 = "dob_feb_30" => DateOfBirth, Some(Field::DateOfBirth);
    Dob7Digits = "dob_7_digits" => DateOfBirth, Some(Field::DateOfBirth);
    DobYear0 = "dob_year_0" => DateOfBirth, Some(Field::DateOfBirth);
    SexEnglish = "sex_english" => Sex, Some(Field::Sex);
    SexUpperCase = "sex_upper_case" => Sex, Some(Field::Sex);
    SexNoDiacritic = "sex_no_diacritic" => Sex, Some(Field::Sex);
    AddressEmpty = "address_empty" => Address, Some(Field::Address);
    AddressDel = "address_del" => Address, Some(Field::Address);
    AddressLineFeed = "address_line_feed" => Address, Some(Field::Address);
    IssueDateIso = "issue_date_iso" => IssueDate, Some(Field::IssueDate);
    IssueDateMonth0 = "issue_date_month_0" => IssueDate, Some(Field::IssueDate);
    IssueDateApr31 = "issue_date_apr_31" => IssueDate, Some(Field::IssueDate);
    ExtraFieldControl = "extra_field_control" => ExtraField, Some(Field::ExtraField);
    SexEmpty = "sex_empty" => Sex, Some(Field::Sex);
}

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
        Rule::ALL.iter().map(|r| (r.as_str(), r.code()))
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
        let rules: Vec<Rule> = Rule::ALL
            .iter()
            .copied()
            .filter(|r| !(self.line_safe && matches!(r, Rule::Empty | Rule::AddressLineFeed)))
            .collect();
        let rule = rules
            .choose(&mut self.rng)
            .copied()
            .unwrap_or(Rule::TooLong);
        let (code, field) = (rule.code(), rule.field());
        let layout = if rule == Rule::ExtraFieldControl {
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
            Rule::Empty => f = vec![String::new()],
            Rule::TooLong => f[5] = f[5].repeat(4096 / f[5].len().max(1) + 1),
            Rule::NotUtf8 => {
                let mut b = text.clone().into_bytes();
                let name_start = f[0].len() + f[1].len() + 2;
                b[name_start + 1] = 0xff;
                bytes = Some(b);
            }
            Rule::SixFieldsNoOldId => {
                f.truncate(7);
                f.remove(1);
            }
            Rule::NationalityField => {
                f.truncate(7);
                f.push("Việt Nam".into());
            }
            Rule::TrailingSeparator => {
                f.truncate(7);
                f.push(String::new());
            }
            Rule::TwelveFields => {
                f.truncate(7);
                f.extend(std::iter::repeat_n(String::new(), 5));
            }
            Rule::Id11Digits => f[0].truncate(11),
            Rule::IdLetter => f[0].replace_range(6..7, "O"),
            Rule::IdLabelled => f[0] = format!("CCCD:{}", f[0]),
            Rule::IdFullwidthDigit => f[0].replace_range(0..1, "０"),
            Rule::OldId8Digits => f[1] = "12345678".into(),
            Rule::OldIdLetter => f[1] = "1234567X9".into(),
            Rule::NameEmpty => f[2].clear(),
            Rule::NameTab => f[2] = f[2].replacen(' ', "\t", 1),
            Rule::NameNul => f[2].push('\0'),
            Rule::NameC1Control => f[2] = f[2].replacen(' ', "\u{85}", 1),
            Rule::DobSlashes => f[3] = format!("{}/{}/{}", &f[3][..2], &f[3][2..4], &f[3][4..]),
            Rule::DobMonth13 => f[3].replace_range(2..4, "13"),
            Rule::DobDay32 => f[3].replace_range(0..2, "32"),
            Rule::DobFeb30 => f[3].replace_range(0..4, "3002"),
            Rule::Dob7Digits => {
                f[3].remove(0);
            }
            Rule::DobYear0 => f[3].replace_range(4..8, "0000"),
            Rule::SexEnglish => f[4] = "Female".into(),
            Rule::SexUpperCase => f[4] = f[4].to_uppercase(),
            Rule::SexNoDiacritic => f[4] = "Nu".into(),
            Rule::SexEmpty => f[4].clear(),
            Rule::AddressEmpty => f[5].clear(),
            Rule::AddressDel => f[5].push('\u{7f}'),
            Rule::AddressLineFeed => f[5] = f[5].replacen(", ", ",\n", 1),
            Rule::IssueDateIso => {
                f[6] = format!("{}-{}-{}", &f[6][4..], &f[6][2..4], &f[6][..2]);
            }
            Rule::IssueDateMonth0 => f[6].replace_range(2..4, "00"),
            Rule::IssueDateApr31 => f[6].replace_range(0..4, "3104"),
            Rule::ExtraFieldControl => f[8] = "\u{1}".into(), // the layout is 2024: 11 fields
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
