//! The MRZ: every check digit (tables of valid and invalid lines), errors by line and column,
//! every lenient repair and the refusal of unconfirmed ones, the century from the ID number,
//! `991231`, the cross-checks with the QR payload, round trips of generated cards, redaction.
#![cfg(feature = "synth")]

use cccd::mrz::{check_digit, CheckDigit, ErrorCode, Field, Mrz, Parser, Reason, Repair};
use cccd::synth::{damage_mrz, mrz_for, mrz_text, MrzGenerator};
use cccd::{CrossCode, NaiveDate, Sex};
use proptest::prelude::*;

/// FORMAT.md section 4's synthetic example: born 2003-02-01, male, expires at 25.
const L1: &str = "IDVNM2030123450079203012345<<0";
const L2: &str = "0302014M2802013VNM<<<<<<<<<<<4";
const L3: &str = "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";

fn example() -> String {
    format!("{L1}\n{L2}\n{L3}")
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn digit(s: &str) -> char {
    check_digit(s).unwrap()
}

/// Three MRZ lines with every check digit computed (the document number given apart from
/// the ID, to build inconsistent ones).
fn lines_with(doc: &str, id: &str, birth: &str, sex: char, expiry: &str, name: &str) -> String {
    let l1 = format!("IDVNM{doc}{}{id}<<{}", digit(doc), digit(id));
    let mut l2 = format!(
        "{birth}{}{sex}{expiry}{}VNM<<<<<<<<<<<",
        digit(birth),
        digit(expiry)
    );
    let composite = format!("{}{}{}{}", &l1[5..30], &l2[..7], &l2[8..15], &l2[18..29]);
    l2.push(digit(&composite));
    let l3 = format!("{name:<<30.30}");
    format!("{l1}\n{l2}\n{l3}")
}

fn lines(id: &str, birth: &str, sex: char, expiry: &str, name: &str) -> String {
    lines_with(&id[3..], id, birth, sex, expiry, name)
}

/// `text` with the character at (line, column), 1-based, replaced.
fn with(text: &str, line: usize, column: usize, c: char) -> String {
    let mut ls: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let l = &mut ls[line - 1];
    l.replace_range(column - 1..column, &c.to_string());
    ls.join("\n")
}

#[track_caller]
fn parse_ok(text: &str) -> Mrz {
    cccd::mrz::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

#[track_caller]
fn assert_err(text: &str, code: ErrorCode, reason: Reason, at: (usize, usize), msg: &str) {
    let e = cccd::mrz::parse(text).expect_err("must not parse");
    assert_eq!(e.code(), code, "{e}");
    assert_eq!(e.reason(), reason, "{e}");
    // The code of an error inside the grid is its field's name.
    assert_eq!(
        e.field().map_or(code.as_str(), Field::as_str),
        code.as_str()
    );
    assert_eq!((e.line(), e.column()), at, "{e}");
    assert_eq!(e.to_string(), msg);
}

#[test]
fn the_example_reads_field_by_field() {
    let mrz = parse_ok(&example());
    assert_eq!(mrz.document_code(), "ID");
    assert_eq!(mrz.issuing_state(), "VNM");
    assert_eq!(mrz.document_number(), "203012345");
    assert_eq!(mrz.id_number().as_str(), "079203012345");
    assert_eq!(mrz.date_of_birth(), ymd(2003, 2, 1));
    assert_eq!(mrz.sex(), Sex::Male);
    assert_eq!(mrz.expiry_date(), Some(ymd(2028, 2, 1)));
    assert!(!mrz.expires_never());
    assert_eq!(mrz.nationality(), "VNM");
    assert_eq!(mrz.surname(), "NGUYEN");
    assert_eq!(mrz.given_names(), "VAN AN");
    assert_eq!(mrz.full_name(), "NGUYEN VAN AN");
    assert!(!mrz.name_truncated());
    assert!(mrz.check_digits().all_valid());
    assert_eq!(mrz.to_string(), example());
    assert_eq!(mrz.to_single_line(), format!("{L1}{L2}{L3}"));
    assert_eq!(cccd::mrz::parse(&mrz.to_single_line()), Ok(mrz.clone()));
    assert_eq!(
        cccd::mrz::parse_bytes(mrz.to_single_line().as_bytes()),
        Ok(mrz.clone())
    );
    assert_eq!(example().parse::<Mrz>(), Ok(mrz));
}

/// For every check digit: the valid line, every other digit in its place (invalid), a
/// covered character changed without it (invalid), and for the composite, each covered
/// field changed together with its own check digit (only the composite fails).
#[test]
fn every_check_digit_valid_and_invalid() {
    use CheckDigit::*;
    type Pos = (usize, usize);
    let table: [(CheckDigit, Field, Pos, Pos); 5] = [
        // which, field, check digit position, a covered digit's position
        (
            DocumentNumber,
            Field::DocumentNumberCheckDigit,
            (1, 15),
            (1, 9),
        ),
        (IdNumber, Field::IdNumberCheckDigit, (1, 30), (1, 27)),
        (DateOfBirth, Field::DateOfBirthCheckDigit, (2, 7), (2, 2)),
        (ExpiryDate, Field::ExpiryDateCheckDigit, (2, 15), (2, 10)),
        (Composite, Field::CompositeCheckDigit, (2, 30), (2, 30)),
    ];
    let good = example();
    let grid: Vec<Vec<char>> = good.split('\n').map(|l| l.chars().collect()).collect();
    for (which, field, (line, col), covered) in table {
        assert_eq!(which.position(), (line, col));
        assert_eq!(which.field(), field);
        assert!(parse_ok(&good).check_digits().is_valid(which));
        let printed = grid[line - 1][col - 1];
        for d in ('0'..='9').filter(|&d| d != printed) {
            let bad = with(&good, line, col, d);
            // Another document number check digit also breaks the composite, which comes
            // later: the first error in reading order is this one.
            let e = cccd::mrz::parse(&bad).unwrap_err();
            assert_eq!(e.field(), Some(field));
            assert_err(
                &bad,
                e.code(),
                Reason::CheckDigitMismatch,
                (line, col),
                &format!(
                    "invalid {} at line {line}, column {col}: check digit '{d}' does not match",
                    field.as_str().replace('_', " ")
                ),
            );
            let tolerant = Parser::new()
                .require_check_digits(false)
                .parse(&bad)
                .unwrap();
            assert!(!tolerant.mrz.check_digits().is_valid(which), "{which}");
            assert!(!tolerant.mrz.check_digits().all_valid());
            assert_eq!(
                tolerant.mrz.to_string(),
                bad,
                "Display writes the printed digits"
            );
        }
        if which != Composite {
            // A covered digit changed (7 instead of what is there; 1 in the expiry's year
            // keeps the date valid): its check digit no longer matches.
            let old = grid[covered.0 - 1][covered.1 - 1];
            let new = if old == '1' { '2' } else { '1' };
            let e = cccd::mrz::parse(&with(&good, covered.0, covered.1, new)).unwrap_err();
            assert_eq!(
                (e.reason(), e.field()),
                (Reason::CheckDigitMismatch, Some(field))
            );
        }
    }
    // The composite covers the document number, the ID number, the birth date and the
    // expiry: each changed with its own check digit recomputed fails the composite only.
    let variants = [
        lines_with(
            "203012346",
            "079203012345",
            "030201",
            'M',
            "280201",
            "NGUYEN<<VAN<AN",
        ),
        lines_with(
            "203012345",
            "079203012346",
            "030201",
            'M',
            "280201",
            "NGUYEN<<VAN<AN",
        ),
        lines_with(
            "203012345",
            "079203012345",
            "030202",
            'M',
            "280201",
            "NGUYEN<<VAN<AN",
        ),
        lines_with(
            "203012345",
            "079203012345",
            "030201",
            'M',
            "280202",
            "NGUYEN<<VAN<AN",
        ),
    ];
    for v in variants {
        let stale = with(&v, 2, 30, '4');
        if stale == v {
            continue;
        }
        let e = cccd::mrz::parse(&stale).unwrap_err();
        assert_eq!(
            (e.code(), e.reason()),
            (ErrorCode::CompositeCheckDigit, Reason::CheckDigitMismatch),
            "{e}"
        );
        let t = Parser::new()
            .require_check_digits(false)
            .parse(&stale)
            .unwrap()
            .mrz;
        let failing: Vec<CheckDigit> = t
            .check_digits()
            .iter()
            .filter(|(_, ok)| !ok)
            .map(|(c, _)| c)
            .collect();
        assert_eq!(failing, [Composite]);
        parse_ok(&v);
    }
    // The sex and the nationality are not covered by any check digit.
    parse_ok(&with(&good, 2, 8, 'F'));
    parse_ok(&with(&good, 2, 16, 'X'));
}

#[test]
fn the_id_number_check_digit_is_vietnam_specific() {
    // A generic TD1 reader sees optional data; this one checks the 12-digit ID's digit.
    let bad = with(&example(), 1, 30, '1');
    let e = cccd::mrz::parse(&bad).unwrap_err();
    assert_eq!(e.field(), Some(Field::IdNumberCheckDigit));
    assert_eq!(e.reason(), Reason::CheckDigitMismatch);
    assert_eq!(e.detail(), "check digit '1' does not match");
}

#[test]
fn errors_name_line_and_column() {
    let good = example();
    use ErrorCode as C;
    use Reason as R;
    let id = "079203012345";
    assert_err("", C::Empty, R::Empty, (1, 1), "empty mrz");
    let long = "<".repeat(1025);
    assert_err(
        &long,
        C::TooLong,
        R::TooLong,
        (1, 1),
        "mrz too long: 1025 bytes, at most 1024 allowed",
    );
    assert_err(&format!("{L1}\n{L2}"), C::LineCount, R::LineCount, (2, 1),
        "wrong number of lines at line 2: expected 3 lines of 30 characters (or one of 90), found 2 lines");
    assert_err(&format!("{good}\n"), C::LineCount, R::LineCount, (4, 1),
        "wrong number of lines at line 4: expected 3 lines of 30 characters (or one of 90), found 4 lines");
    assert_err(
        &format!("{L1}\n{}\n{L3}", &L2[..29]),
        C::LineLength,
        R::WrongLength,
        (2, 30),
        "wrong line length at line 2, column 30: expected 30 characters, found 29",
    );
    assert_err(
        &format!("{L1}\n{L2}<\n{L3}"),
        C::LineLength,
        R::WrongLength,
        (2, 31),
        "wrong line length at line 2, column 31: expected 30 characters, found 31",
    );
    assert_err(
        &format!("{L1}{L2}{}", &L3[..29]),
        C::LineLength,
        R::WrongLength,
        (1, 90),
        "wrong line length at line 1, column 90: expected 90 characters on a single line, found 89",
    );
    assert_err(
        &with(&good, 3, 2, 'g'),
        C::Name,
        R::Lowercase,
        (3, 2),
        "invalid name at line 3, column 2: 'g' is lower-case",
    );
    assert_err(
        &good.replace('\n', "\r\n"),
        C::Character,
        R::NotAnMrzCharacter,
        (1, 31),
        "invalid character at line 1, column 31: U+000D is not an mrz character",
    );
    assert_err(
        &with(&good, 3, 3, 'Ễ'),
        C::Name,
        R::NotAnMrzCharacter,
        (3, 3),
        "invalid name at line 3, column 3: 'Ễ' is not an mrz character",
    );
    assert_err(
        &with(&good, 1, 1, 'P'),
        C::DocumentCode,
        R::NotAnIdentityCard,
        (1, 1),
        "invalid document code at line 1, column 1: not an identity card (expected 'I')",
    );
    assert_err(
        &with(&good, 1, 2, '3'),
        C::DocumentCode,
        R::NotALetter,
        (1, 2),
        "invalid document code at line 1, column 2: '3' is not a letter or '<'",
    );
    assert_err(
        &with(&good, 1, 5, 'X'),
        C::IssuingState,
        R::NotVietnam,
        (1, 5),
        "invalid issuing state at line 1, column 5: the issuing state is not VNM",
    );
    assert_err(
        &with(&good, 1, 7, 'A'),
        C::DocumentNumber,
        R::NotADigit,
        (1, 7),
        "invalid document number at line 1, column 7: 'A' is not a digit",
    );
    assert_err(
        &with(&good, 1, 20, 'O'),
        C::IdNumber,
        R::NotADigit,
        (1, 20),
        "invalid id number at line 1, column 20: 'O' is not a digit",
    );
    assert_err(
        &with(&good, 1, 28, 'K'),
        C::Filler,
        R::NotAFiller,
        (1, 28),
        "invalid filler at line 1, column 28: 'K' is not the filler '<'",
    );
    assert_err(
        &lines(id, "031301", 'M', "280201", "A"),
        C::DateOfBirth,
        R::MonthOutOfRange,
        (2, 3),
        "invalid date of birth at line 2, column 3: month 13",
    );
    assert_err(
        &lines(id, "030230", 'M', "280201", "A"),
        C::DateOfBirth,
        R::DayOutOfRange,
        (2, 5),
        "invalid date of birth at line 2, column 5: day 30 does not exist in month 2",
    );
    assert_err(
        &lines(id, "030201", 'M', "280001", "A"),
        C::ExpiryDate,
        R::MonthOutOfRange,
        (2, 11),
        "invalid expiry date at line 2, column 11: month 0",
    );
    assert_err(
        &with(&good, 2, 8, 'X'),
        C::Sex,
        R::NotASex,
        (2, 8),
        "invalid sex at line 2, column 8: 'X' is neither 'M' nor 'F'",
    );
    assert_err(
        &with(&good, 2, 8, '<'),
        C::Sex,
        R::NotASex,
        (2, 8),
        "invalid sex at line 2, column 8: '<' is neither 'M' nor 'F'",
    );
    assert_err(
        &with(&good, 2, 17, '0'),
        C::Nationality,
        R::NotALetter,
        (2, 17),
        "invalid nationality at line 2, column 17: '0' is not a letter or '<'",
    );
    assert_err(
        &with(&good, 2, 25, 'A'),
        C::Filler,
        R::NotAFiller,
        (2, 25),
        "invalid filler at line 2, column 25: 'A' is not the filler '<'",
    );
    assert_err(
        &with(&good, 2, 30, '7'),
        C::CompositeCheckDigit,
        R::CheckDigitMismatch,
        (2, 30),
        "invalid composite check digit at line 2, column 30: check digit '7' does not match",
    );
    assert_err(
        &with(&good, 3, 1, '<'),
        C::Name,
        R::NameStartsWithFiller,
        (3, 1),
        "invalid name at line 3, column 1: the name starts with '<'",
    );
    assert_err(
        &lines(id, "030201", 'M', "280201", "NGUYEN<<<VAN"),
        C::Name,
        R::NameTripleFiller,
        (3, 9),
        "invalid name at line 3, column 9: three '<' in a row inside the name",
    );
    assert_err(
        &lines(id, "030201", 'M', "280201", "NGUYEN<<VAN<<AN"),
        C::Name,
        R::NameTwoSeparators,
        (3, 12),
        "invalid name at line 3, column 12: a second '<<' inside the name",
    );
    assert_err(
        &with(&good, 3, 4, '0'),
        C::Name,
        R::NotALetter,
        (3, 4),
        "invalid name at line 3, column 4: '0' is not a letter or '<'",
    );
    // Bytes that are not UTF-8, on line 2.
    let mut bytes = format!("{L1}\n{L2}\n{L3}").into_bytes();
    bytes[31 + 4] = 0xff;
    let e = cccd::mrz::parse_bytes(&bytes).unwrap_err();
    assert_eq!(
        (e.code(), e.reason(), e.line(), e.column()),
        (C::Encoding, R::InvalidUtf8, 2, 5)
    );
    assert_eq!(e.to_string(), "invalid utf-8 at line 2, column 5");
    // The first problem in reading order wins: a bad date before a bad check digit.
    let both = with(&with(&good, 2, 3, '9'), 2, 30, '0');
    assert_eq!(
        cccd::mrz::parse(&both).unwrap_err().reason(),
        R::MonthOutOfRange
    );
}

#[test]
fn error_codes_reasons_and_fields_are_stable() {
    let codes = [
        (ErrorCode::Empty, "empty"),
        (ErrorCode::TooLong, "too_long"),
        (ErrorCode::Encoding, "encoding"),
        (ErrorCode::LineCount, "line_count"),
        (ErrorCode::LineLength, "line_length"),
        (ErrorCode::Character, "character"),
        (ErrorCode::DocumentCode, "document_code"),
        (ErrorCode::IdNumberCheckDigit, "id_number_check_digit"),
        (ErrorCode::CompositeCheckDigit, "composite_check_digit"),
        (ErrorCode::Name, "name"),
    ];
    for (code, s) in codes {
        assert_eq!(code.as_str(), s);
    }
    let reasons = [
        (Reason::Empty, "empty"),
        (Reason::TooLong, "too_long"),
        (Reason::InvalidUtf8, "invalid_utf8"),
        (Reason::LineCount, "line_count"),
        (Reason::WrongLength, "wrong_length"),
        (Reason::NotAnMrzCharacter, "not_an_mrz_character"),
        (Reason::Lowercase, "lowercase"),
        (Reason::NotADigit, "not_a_digit"),
        (Reason::NotALetter, "not_a_letter"),
        (Reason::NotAnIdentityCard, "not_an_identity_card"),
        (Reason::NotVietnam, "not_vietnam"),
        (Reason::MonthOutOfRange, "month_out_of_range"),
        (Reason::DayOutOfRange, "day_out_of_range"),
        (Reason::NotASex, "not_a_sex"),
        (Reason::NotAFiller, "not_a_filler"),
        (Reason::NameStartsWithFiller, "name_starts_with_filler"),
        (Reason::NameTripleFiller, "name_triple_filler"),
        (Reason::NameTwoSeparators, "name_two_separators"),
        (Reason::CheckDigitMismatch, "check_digit_mismatch"),
    ];
    for (reason, s) in reasons {
        assert_eq!(reason.as_str(), s);
    }
    // The reasons the QR payload's errors share have the same names.
    assert_eq!(Reason::NotADigit.as_str(), cccd::Reason::NotADigit.as_str());
    assert_eq!(
        Reason::MonthOutOfRange.as_str(),
        cccd::Reason::MonthOutOfRange.as_str()
    );
    assert_eq!(
        Reason::DayOutOfRange.as_str(),
        cccd::Reason::DayOutOfRange.as_str()
    );
    assert_eq!(
        Reason::WrongLength.as_str(),
        cccd::Reason::WrongLength.as_str()
    );
    assert_eq!(
        Reason::InvalidUtf8.as_str(),
        cccd::Reason::InvalidUtf8.as_str()
    );
    let names: Vec<&str> = CheckDigit::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "document_number",
            "id_number",
            "date_of_birth",
            "expiry_date",
            "composite"
        ]
    );
}

#[test]
fn errors_never_contain_the_mrz() {
    let good = example();
    let mut bad = vec![
        with(&good, 2, 30, '0'),
        with(&good, 1, 20, 'O'),
        with(&good, 3, 4, '0'),
        with(&good, 1, 3, 'X'),
        good.replace('\n', ""),
    ];
    bad.push(bad[4][..89].to_owned());
    for text in bad {
        let Err(e) = cccd::mrz::parse(&text) else {
            continue;
        };
        let message = e.to_string();
        for piece in ["NGUYEN", "203012345", "079203", "030201", "280201", "VAN"] {
            assert!(!message.contains(piece), "{message}");
            assert!(!format!("{e:?}").contains(piece), "{e:?}");
        }
    }
}

#[test]
fn century_comes_from_the_id_number() {
    // The same six birth digits; the ID's 4th digit says the century (and the sex).
    for (g, sex, year) in [
        ('0', 'M', 1903),
        ('1', 'F', 1903),
        ('2', 'M', 2003),
        ('3', 'F', 2003),
        ('4', 'M', 2103),
        ('9', 'F', 2303),
    ] {
        let id = format!("079{g}03012345");
        let mrz = parse_ok(&lines(&id, "030201", sex, "280201", "A<<B"));
        assert_eq!(mrz.date_of_birth(), ymd(year, 2, 1), "digit {g}");
        // The expiry's year is the first after the birth year ending in its two digits.
        assert_eq!(mrz.expiry_date(), Some(ymd(year + 25, 2, 1)));
    }
    // 29 February exists in 2000, not in 1900: the century digit decides.
    assert_eq!(
        parse_ok(&lines("001200123456", "000229", 'M', "250228", "A")).date_of_birth(),
        ymd(2000, 2, 29)
    );
    assert_err(
        &lines("001000123456", "000229", 'M', "250228", "A"),
        ErrorCode::DateOfBirth,
        Reason::DayOutOfRange,
        (2, 5),
        "invalid date of birth at line 2, column 5: day 29 does not exist in month 2",
    );
}

#[test]
fn never_expires_is_991231() {
    // Born 15 July 1962, issued 10 May 2021 at 58: the card never expires.
    let text = lines("001162004321", "620715", 'F', "991231", "TRAN<<THI<HUONG");
    let mrz = parse_ok(&text);
    assert_eq!(mrz.expiry_date(), None);
    assert!(mrz.expires_never());
    assert_eq!(mrz.date_of_birth(), ymd(1962, 7, 15));
    let card = cccd::parse("001162004321||Trần Thị Hương|15071962|Nữ|Hà Nội|10052021").unwrap();
    assert!(card.expiry().is_never());
    assert!(cccd::mrz::cross_check(&card, &mrz).is_empty());
    assert_eq!(mrz_text(&card), text);
    // Issued at 57: expires at 60, so 991231 disagrees with the law.
    let young = cccd::parse("001162004321||Trần Thị Hương|15071962|Nữ|Hà Nội|10052019").unwrap();
    assert_eq!(young.expiry().date(), Some(ymd(2022, 7, 15)));
    let codes: Vec<CrossCode> = cccd::mrz::cross_check(&young, &mrz)
        .iter()
        .map(|w| w.code())
        .collect();
    assert_eq!(codes, [CrossCode::MrzExpiryMismatch]);
    // 991231 is never, whatever the birth date; 991230 is a date, in the first year after
    // the birth year that ends in 99.
    let mrz = parse_ok(&lines(
        "001162004321",
        "620715",
        'F',
        "991230",
        "TRAN<<THI<HUONG",
    ));
    assert_eq!(mrz.expiry_date(), Some(ymd(1999, 12, 30)));
}

#[test]
fn names_split_and_truncated() {
    let one_word = parse_ok(&lines(
        "079203012345",
        "030201",
        'M',
        "280201",
        "NGUYEN<VAN<AN",
    ));
    assert_eq!(
        (one_word.surname(), one_word.given_names()),
        ("NGUYEN VAN AN", "")
    );
    let long = lines(
        "079203012345",
        "030201",
        'M',
        "280201",
        "NGUYEN<<THANH<NGHIEP<QUYNH<HUONG",
    );
    let m = parse_ok(&long);
    assert!(m.name_truncated());
    assert_eq!(m.given_names(), "THANH NGHIEP QUYNH HUO");
    assert_eq!(m.to_string(), long);
}

#[test]
fn lenient_layout_repairs() {
    let good = example();
    let mrz = parse_ok(&good);
    let single = format!("{L1}{L2}{L3}");
    let cases: Vec<(String, Vec<Repair>)> = vec![
        (good.clone(), vec![]),
        (single.clone(), vec![]),
        (
            format!(" \u{feff}{good}\n\n"),
            vec![Repair::WhitespaceTrimmed],
        ),
        (
            format!("{L1}  \n\t{L2}\n{L3}"),
            vec![Repair::WhitespaceTrimmed],
        ),
        (
            good.replace('\n', "\r\n") + "\r\n",
            vec![Repair::WhitespaceTrimmed, Repair::LineEndingsNormalized],
        ),
        (
            good.replace('\n', "\r"),
            vec![Repair::LineEndingsNormalized],
        ),
        (good.replace('\n', "\n\n"), vec![Repair::LinesRejoined]),
        (
            format!("{} {}\n{L2}\n{L3}", &L1[..5], &L1[5..]),
            vec![Repair::SpacesRemoved],
        ),
        (
            format!("{L1}\n{}\t{}\n{L3}", &L2[..7], &L2[7..]),
            vec![Repair::SpacesRemoved],
        ),
        (good.to_ascii_lowercase(), vec![Repair::Uppercased]),
        (
            format!("{}\n{}", &single[..45], &single[45..]),
            vec![Repair::LinesRejoined],
        ),
        (format!("{L1}{L2}\n{L3}"), vec![Repair::LinesRejoined]),
        (
            format!("{L1}\n{L2}\n{}", L3.trim_end_matches('<')),
            vec![Repair::FillerPadded],
        ),
        (
            format!("{L1}\n{L2}\n{}", &L3[..20]),
            vec![Repair::FillerPadded],
        ),
        (
            format!(
                "  {}\r\n{}\r\n{}  ",
                L1.to_lowercase(),
                L2,
                L3.trim_end_matches('<')
            ),
            vec![
                Repair::WhitespaceTrimmed,
                Repair::LineEndingsNormalized,
                Repair::Uppercased,
                Repair::FillerPadded,
            ],
        ),
    ];
    for (text, repairs) in cases {
        let parsed = Parser::new()
            .lenient(true)
            .parse(&text)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(parsed.mrz, mrz, "{text:?}");
        assert_eq!(parsed.repairs, repairs, "{text:?}");
        if !repairs.is_empty() {
            assert!(
                cccd::mrz::parse(&text).is_err(),
                "strict must refuse {text:?}"
            );
        }
    }
    // What lenient mode does not repair.
    for (text, code) in [
        (String::new(), ErrorCode::Empty),
        (" \n\t ".to_owned(), ErrorCode::Empty),
        (format!("{L1}\n{L2}"), ErrorCode::LineCount),
        (format!("{L1}\n{L2}\n{L3}\n{L3}"), ErrorCode::LineCount),
        (format!("{L1}\n{}\n{L3}", &L2[..29]), ErrorCode::LineLength),
        (single[..89].to_owned(), ErrorCode::LineLength),
        (format!("{L1}\n{L2}\n{L3}<"), ErrorCode::LineLength),
        (good.replacen('<', "«", 1), ErrorCode::Filler),
    ] {
        let e = Parser::new().lenient(true).parse(&text).unwrap_err();
        assert_eq!(e.code(), code, "{text:?}: {e}");
    }
}

#[test]
fn lenient_digit_confusions_only_where_a_check_digit_confirms() {
    let good = example();
    let mrz = parse_ok(&good);
    let confusion = |letter, digit, line, column| Repair::DigitConfusion {
        letter,
        digit,
        line,
        column,
    };
    // One confusion of each kind, in each digit field and in check digits.
    let cases = [
        (with(&good, 1, 7, 'O'), vec![confusion('O', '0', 1, 7)]),
        (with(&good, 1, 15, 'O'), vec![confusion('O', '0', 1, 15)]),
        (with(&good, 1, 23, 'I'), vec![confusion('I', '1', 1, 23)]),
        (with(&good, 1, 27, 'S'), vec![confusion('S', '5', 1, 27)]),
        (with(&good, 1, 30, 'O'), vec![confusion('O', '0', 1, 30)]),
        (with(&good, 2, 3, 'O'), vec![confusion('O', '0', 2, 3)]),
        (with(&good, 2, 10, 'B'), vec![confusion('B', '8', 2, 10)]),
        (with(&good, 2, 14, 'I'), vec![confusion('I', '1', 2, 14)]),
        (
            with(&with(&good, 1, 14, 'S'), 1, 16, 'O'),
            vec![confusion('S', '5', 1, 14), confusion('O', '0', 1, 16)],
        ),
        (
            with(&with(&good, 2, 1, 'o'), 2, 5, 'o'),
            vec![
                Repair::Uppercased,
                confusion('O', '0', 2, 1),
                confusion('O', '0', 2, 5),
            ],
        ),
    ];
    for (text, repairs) in cases {
        let strict = cccd::mrz::parse(&text).unwrap_err().reason();
        assert!(
            matches!(strict, Reason::NotADigit | Reason::Lowercase),
            "{text}"
        );
        let parsed = Parser::new()
            .lenient(true)
            .parse(&text)
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(parsed.mrz, mrz);
        assert_eq!(parsed.repairs, repairs);
        let codes: Vec<&str> = parsed.repairs.iter().map(Repair::as_str).collect();
        assert!(codes
            .iter()
            .all(|c| ["o_to_0", "i_to_1", "b_to_8", "s_to_5", "uppercased"].contains(c)));
    }
    // The composite's own digit: the line 2 column 30 '4' cannot be confused; build an MRZ
    // whose composite is 0, 1, 5 or 8 and confuse it.
    let mut seen = 0;
    for n in 0..200u32 {
        let id = format!("0792030{n:05}");
        let text = lines(&id, "030201", 'M', "280201", "NGUYEN<<VAN<AN");
        let last = text.as_bytes()[60];
        let letter = match last {
            b'0' => 'O',
            b'1' => 'I',
            b'5' => 'S',
            b'8' => 'B',
            _ => continue,
        };
        seen += 1;
        let damaged = with(&text, 2, 30, letter);
        let parsed = Parser::new().lenient(true).parse(&damaged).unwrap();
        assert_eq!(parsed.mrz, parse_ok(&text));
        assert_eq!(parsed.repairs, [confusion(letter, char::from(last), 2, 30)]);
    }
    assert!(seen >= 4);

    // Refused: the letter does not stand for the digit that is there (3 read as O), the
    // field's check digit also fails, no check digit covers the place (name, nationality,
    // document code, sex), or another character in the field is not a digit.
    let refused = [
        (with(&good, 1, 8, 'O'), Reason::NotADigit, (1, 8)),
        (
            with(&with(&good, 2, 3, 'O'), 2, 7, '5'),
            Reason::NotADigit,
            (2, 3),
        ),
        (
            with(&with(&good, 1, 7, 'O'), 1, 8, 'A'),
            Reason::NotADigit,
            (1, 7),
        ),
        (
            lines("079203012345", "030201", 'M', "280201", "H0<<VAN<AN"),
            Reason::NotALetter,
            (3, 2),
        ),
        (with(&good, 2, 17, '0'), Reason::NotALetter, (2, 17)),
        (with(&good, 1, 1, '1'), Reason::NotAnIdentityCard, (1, 1)),
        (with(&good, 2, 8, '0'), Reason::NotASex, (2, 8)),
        (with(&good, 1, 28, 'O'), Reason::NotAFiller, (1, 28)),
    ];
    for (text, reason, at) in refused {
        let e = Parser::new().lenient(true).parse(&text).unwrap_err();
        assert_eq!(
            (e.reason(), (e.line(), e.column())),
            (reason, at),
            "{text}: {e}"
        );
    }
}

#[test]
fn lenient_errors_are_in_the_repaired_grid() {
    let single = format!("{L1}{L2}{L3}");
    let text = format!("{}\n{}", &single[..45], &single[45..]).replacen("0302014M", "0302015M", 1);
    let e = Parser::new().lenient(true).parse(&text).unwrap_err();
    assert_eq!(
        (e.code(), e.line(), e.column()),
        (ErrorCode::DateOfBirthCheckDigit, 2, 7)
    );
}

#[test]
fn cross_check_each_warning() {
    let card = cccd::parse("079203012345||Nguyễn Văn An|01022003|Nam|Hà Nội|15082021").unwrap();
    let good = parse_ok(&example());
    assert!(cccd::mrz::cross_check(&card, &good).is_empty());
    let codes = |mrz: &Mrz, card: &cccd::Card<'_>| -> Vec<CrossCode> {
        cccd::mrz::cross_check(card, mrz)
            .iter()
            .map(|w| w.code())
            .collect()
    };
    let name = "NGUYEN<<VAN<AN";
    let mrz = |doc: &str, id: &str, birth: &str, sex: char, expiry: &str, name: &str| {
        parse_ok(&lines_with(doc, id, birth, sex, expiry, name))
    };
    let cases = [
        (
            mrz("203099999", "079203099999", "030201", 'M', "280201", name),
            CrossCode::MrzIdMismatch,
        ),
        (
            mrz("203012344", "079203012345", "030201", 'M', "280201", name),
            CrossCode::MrzDocumentNumberMismatch,
        ),
        (
            mrz("203012345", "079203012345", "030202", 'M', "280201", name),
            CrossCode::MrzBirthDateMismatch,
        ),
        (
            mrz("203012345", "079203012345", "030201", 'F', "280201", name),
            CrossCode::MrzSexMismatch,
        ),
        (
            mrz(
                "203012345",
                "079203012345",
                "030201",
                'M',
                "280201",
                "NGUYEN<<VAN<ANH",
            ),
            CrossCode::MrzNameMismatch,
        ),
        (
            mrz("203012345", "079203012345", "030201", 'M', "430201", name),
            CrossCode::MrzExpiryMismatch,
        ),
        (
            mrz("203012345", "079203012345", "030201", 'M', "991231", name),
            CrossCode::MrzExpiryMismatch,
        ),
    ];
    for (m, code) in &cases {
        assert_eq!(codes(m, &card), [*code]);
        let w = cccd::mrz::cross_check(&card, m)[0];
        assert_eq!(w.to_string(), code.message());
        for piece in ["NGUYEN", "079203", "2003", "Nguyễn"] {
            assert!(!w.message().contains(piece));
        }
    }
    let strs: Vec<&str> = CrossCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        strs,
        [
            "mrz_id_mismatch",
            "mrz_document_number_mismatch",
            "mrz_birth_date_mismatch",
            "mrz_sex_mismatch",
            "mrz_name_mismatch",
            "mrz_expiry_mismatch"
        ]
    );
    // Everything at once, in the order of CrossCode::ALL.
    let other = cccd::parse("079303099999||Lê Thị Hoa|05052003|Nữ|Hà Nội|01032026").unwrap();
    assert_eq!(
        codes(&good, &other),
        CrossCode::ALL[..1]
            .iter()
            .copied()
            .chain(CrossCode::ALL[2..].iter().copied())
            .collect::<Vec<_>>()
    );
}

#[test]
fn cross_check_names() {
    let check = |qr_name: &str, line3: &str| -> bool {
        let payload = format!("079203012345||{qr_name}|01022003|Nam|Hà Nội|15082021");
        let card = cccd::parse(&payload).unwrap();
        let mrz = parse_ok(&lines("079203012345", "030201", 'M', "280201", line3));
        cccd::mrz::cross_check(&card, &mrz).is_empty()
    };
    assert!(check("Đặng Thị Hồng Nhung", "DANG<<THI<HONG<NHUNG"));
    assert!(check("Tôn Nữ Thị Hà", "TON<NU<<THI<HA"));
    assert!(check("Tôn Nữ Thị Hà", "TON<<NU<THI<HA"));
    assert!(check(
        "Nguyễn Thanh Nghiệp Quỳnh Hương",
        "NGUYEN<<THANH<NGHIEP<QUYNH<HUONG"
    ));
    assert!(!check(
        "Nguyễn Thanh Nghiệp Quỳnh Hoa",
        "NGUYEN<<THANH<NGHIEP<QUYNH<HUONG"
    ));
    assert!(!check("Nguyễn Văn", "NGUYEN<<VAN<AN"));
    assert!(!check("Nguyễn Văn An", "NGUYEN<<VAN"));
    assert!(!check("Nguyen Van An", "NGUYEN<<VAN<AM"));
}

#[test]
fn debug_is_redacted() {
    let mrz = parse_ok(&example());
    let parsed = Parser::new()
        .lenient(true)
        .parse(&example().to_lowercase())
        .unwrap();
    for debug in [
        format!("{mrz:?}"),
        format!("{mrz:#?}"),
        format!("{parsed:?}"),
    ] {
        for piece in [
            "079203012345",
            "203012345",
            "NGUYEN",
            "VAN",
            "2003",
            "2028",
            "030201",
        ] {
            assert!(!debug.contains(piece), "{debug}");
        }
    }
    assert_eq!(
        format!("{mrz:?}"),
        "Mrz { id_number: IdNumber(\"079*********\"), .. }"
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn is<T: Send + Sync + Unpin + 'static>() {}
    is::<Mrz>();
    is::<cccd::mrz::Error>();
    is::<cccd::mrz::Parsed>();
    is::<Parser>();
    is::<Repair>();
    is::<cccd::CrossWarning>();
}

#[test]
fn synth_mrz_for_the_format_md_card() {
    let card = cccd::parse("079203012345||Nguyễn Văn An|01022003|Nam|Hà Nội|15082021").unwrap();
    assert_eq!(mrz_text(&card), example());
    assert_eq!(mrz_for(&card), Some(parse_ok(&example())));
    // Generated cards always have an MRZ that reads back.
    let mut gen = cccd::synth::CardGenerator::new(11);
    for _ in 0..500 {
        assert!(mrz_for(&gen.card()).is_some());
    }
}

#[cfg(feature = "serde")]
#[test]
fn json_shape() {
    let mrz = parse_ok(&example());
    assert_eq!(
        serde_json::to_string(&mrz).unwrap(),
        r#"{"document_code":"ID","issuing_state":"VNM","document_number":"203012345","id_number":"079203012345","date_of_birth":"2003-02-01","sex":"male","expiry_date":"2028-02-01","expires_never":false,"nationality":"VNM","surname":"NGUYEN","given_names":"VAN AN","name_truncated":false,"check_digits":{"document_number":true,"id_number":true,"date_of_birth":true,"expiry_date":true,"composite":true}}"#
    );
    let parsed = Parser::new()
        .lenient(true)
        .parse(&with(&example().to_lowercase(), 2, 3, 'o'))
        .unwrap();
    assert_eq!(
        serde_json::to_string(&parsed.repairs).unwrap(),
        r#"[{"code":"uppercased"},{"code":"o_to_0","line":2,"column":3}]"#
    );
    let e = cccd::mrz::parse(&with(&example(), 2, 7, '5')).unwrap_err();
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"code":"date_of_birth_check_digit","field":"date_of_birth_check_digit","reason":"check_digit_mismatch","line":2,"column":7,"message":"invalid date of birth check digit at line 2, column 7: check digit '5' does not match"}"#
    );
    let never = parse_ok(&lines(
        "001162004321",
        "620715",
        'F',
        "991231",
        "TRAN<<THI<HUONG",
    ));
    let v: serde_json::Value = serde_json::to_value(&never).unwrap();
    assert_eq!(
        (v["expiry_date"].clone(), v["expires_never"].clone()),
        (serde_json::Value::Null, serde_json::Value::Bool(true))
    );
    let w = cccd::mrz::cross_check(
        &cccd::parse("079203012345||Nguyễn Văn An|01022003|Nữ|Hà Nội|15082021").unwrap(),
        &mrz,
    );
    assert_eq!(
        serde_json::to_string(&w).unwrap(),
        r#"[{"code":"mrz_sex_mismatch","message":"the sex in the MRZ differs from the QR code's"}]"#
    );
}

fn seed() -> impl Strategy<Value = u64> {
    any::<u64>()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// generate → print → parse → compare, and the MRZ agrees with the card it was made for.
    #[test]
    fn generated_mrz_round_trips(seed in seed()) {
        let (card, mrz) = MrzGenerator::new(seed).next_pair();
        let text = mrz.to_string();
        prop_assert_eq!(cccd::mrz::parse(&text), Ok(mrz.clone()));
        prop_assert_eq!(cccd::mrz::parse(&mrz.to_single_line()), Ok(mrz.clone()));
        prop_assert_eq!(mrz.id_number(), card.id_number());
        prop_assert_eq!(mrz.date_of_birth(), card.date_of_birth());
        prop_assert_eq!(mrz.sex(), card.sex());
        prop_assert_eq!(mrz.expiry_date(), card.expiry().date());
        prop_assert_eq!(mrz.document_number(), &card.id_number().as_str()[3..]);
        if !mrz.name_truncated() {
            prop_assert_eq!(mrz.full_name(), card.full_name_ascii().into_owned());
        }
        prop_assert!(cccd::mrz::cross_check(&card, &mrz).is_empty());
        let lenient = Parser::new().lenient(true).parse(&text).unwrap();
        prop_assert!(lenient.repairs.is_empty());
    }

    /// Every kind of damage the lenient parser repairs comes back as that repair only.
    #[test]
    fn damaged_mrz_is_repaired(seed in seed(), line in 1usize..=2, column in 1usize..=30, letter in prop::sample::select(vec!['O', 'I', 'B', 'S'])) {
        let (_, mrz) = MrzGenerator::new(seed).next_pair();
        let digit = match letter { 'O' => '0', 'I' => '1', 'B' => '8', _ => '5' };
        let mut repairs = vec![
            Repair::WhitespaceTrimmed, Repair::LineEndingsNormalized, Repair::SpacesRemoved,
            Repair::Uppercased, Repair::LinesRejoined, Repair::FillerPadded,
        ];
        repairs.push(Repair::DigitConfusion { letter, digit, line, column });
        for repair in repairs {
            let Some(damaged) = damage_mrz(&mrz, repair) else { continue };
            prop_assert!(cccd::mrz::parse(&damaged).is_err(), "strict accepts {} damage", repair);
            let parsed = Parser::new().lenient(true).parse(&damaged).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&parsed.mrz, &mrz);
            prop_assert_eq!(parsed.repairs, vec![repair]);
        }
    }

    /// Arbitrary text never panics, and whatever parses is canonical.
    #[test]
    fn arbitrary_text_never_panics(s in "[A-Z0-9<a-z \\n\\r]{0,120}") {
        cccd::__fuzz::mrz(s.as_bytes());
    }

    /// Near-valid MRZs (one character changed) never panic either.
    #[test]
    fn one_character_changed_never_panics(seed in seed(), i in 0usize..92, c in any::<char>()) {
        let (_, mrz) = MrzGenerator::new(seed).next_pair();
        let mut chars: Vec<char> = mrz.to_string().chars().collect();
        chars[i] = c;
        let s: String = chars.into_iter().collect();
        cccd::__fuzz::mrz(s.as_bytes());
    }
}
