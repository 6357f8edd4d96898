//! What the library knows about a card: birthplace tables, expiry by law, cross-field
//! warnings, ASCII folding. All data synthetic.

use cccd::{Birthplace, Checks, Country, Expiry, Law, NaiveDate, Province, WarningCode};

#[track_caller]
fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// The rows of a TSV file without its header.
fn tsv(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').collect())
        .collect()
}

#[test]
fn province_table_matches_data_file() {
    let rows = tsv(include_str!("../data/province_codes.tsv"));
    assert_eq!(rows.len(), 63);
    assert_eq!(Province::all().len(), rows.len());
    for (row, p) in rows.iter().zip(Province::all()) {
        let [code, name, since] = row[..] else {
            panic!("3 columns: {row:?}")
        };
        assert_eq!(format!("{:03}", p.code()), code);
        assert_eq!(p.name(), name, "{code}");
        assert_eq!(p.since_2025(), since, "{code}");
        let code: u16 = code.parse().expect("numeric code");
        assert_eq!(Province::by_code(code), Some(p));
        assert_eq!(Birthplace::from_code(code), Birthplace::Province(p));
    }
}

#[test]
fn country_table_matches_data_file() {
    let rows = tsv(include_str!("../data/country_codes.tsv"));
    assert_eq!(rows.len(), 195);
    assert_eq!(Country::all().len(), rows.len());
    for (row, c) in rows.iter().zip(Country::all()) {
        let [code, iso, name_en, name_vi] = row[..] else {
            panic!("4 columns: {row:?}")
        };
        assert_eq!(format!("{:03}", c.code()), code);
        assert_eq!(c.iso(), iso, "{code}");
        assert_eq!(c.name_en(), name_en, "{code}");
        assert_eq!(c.name(), name_vi, "{code}");
        let code: u16 = code.parse().expect("numeric code");
        assert_eq!(Country::by_code(code), Some(c));
        assert_eq!(Birthplace::from_code(code), Birthplace::Country(c));
    }
}

#[test]
fn codes_outside_the_tables_are_unknown() {
    let provinces = tsv(include_str!("../data/province_codes.tsv"));
    let countries = tsv(include_str!("../data/country_codes.tsv"));
    let listed = |code: u16| {
        let code = format!("{code:03}");
        provinces.iter().chain(&countries).any(|r| r[0] == code)
    };
    let mut unknown = 0;
    for code in 0..1000 {
        let place = Birthplace::from_code(code);
        assert_eq!(place.code(), code);
        if !listed(code) {
            assert_eq!(place, Birthplace::Unknown(code));
            assert_eq!(place.kind(), "unknown");
            assert_eq!(place.name(), None);
            unknown += 1;
        }
    }
    assert_eq!(unknown, 1000 - 63 - 195);
    for code in [0, 3, 97, 100, 296, 999] {
        assert_eq!(Birthplace::from_code(code), Birthplace::Unknown(code));
    }
}

#[test]
fn id_number_accessors() {
    // (ID, birthplace kind, name, century, sex, birth year)
    let table = [
        (
            "079203001234",
            "province",
            Some("Hồ Chí Minh"),
            21,
            "male",
            2003,
        ),
        (
            "002190004321",
            "province",
            Some("Hà Giang"),
            20,
            "female",
            1990,
        ),
        (
            "102305000001",
            "country",
            Some("Ai Cập"),
            21,
            "female",
            2005,
        ),
        ("300099000001", "unknown", None, 20, "male", 1999),
        ("001400000001", "province", Some("Hà Nội"), 22, "male", 2100),
        (
            "001999000001",
            "province",
            Some("Hà Nội"),
            24,
            "female",
            2399,
        ),
    ];
    for (id, kind, name, century, sex, year) in table {
        let id: cccd::IdNumber = id.parse().expect("12 digits");
        assert_eq!(id.birthplace().kind(), kind, "{id}");
        assert_eq!(id.birthplace().name(), name, "{id}");
        assert_eq!(id.century(), century, "{id}");
        assert_eq!(id.sex().as_str(), sex, "{id}");
        assert_eq!(id.birth_year(), year, "{id}");
    }
    let id: cccd::IdNumber = "002190004321".parse().expect("12 digits");
    let Birthplace::Province(p) = id.birthplace() else {
        panic!("province")
    };
    assert_eq!(p.since_2025(), "Tuyên Quang");
}

#[test]
fn fold_ascii_every_vietnamese_letter_and_tone() {
    // Each vowel letter with its 6 tones (level, grave, hook, tilde, acute, dot below), and the
    // ASCII letter it folds to.
    let table = [
        ("aàảãáạ", 'A'),
        ("ăằẳẵắặ", 'A'),
        ("âầẩẫấậ", 'A'),
        ("eèẻẽéẹ", 'E'),
        ("êềểễếệ", 'E'),
        ("iìỉĩíị", 'I'),
        ("oòỏõóọ", 'O'),
        ("ôồổỗốộ", 'O'),
        ("ơờởỡớợ", 'O'),
        ("uùủũúụ", 'U'),
        ("ưừửữứự", 'U'),
        ("yỳỷỹýỵ", 'Y'),
    ];
    for (letters, base) in table {
        assert_eq!(letters.chars().count(), 6);
        for c in letters.chars() {
            for c in [c.to_string(), c.to_uppercase().to_string()] {
                assert_eq!(cccd::fold_ascii(&c), base.to_string(), "{c}");
            }
        }
    }
    assert_eq!(cccd::fold_ascii("Đđ"), "DD");
    for c in "bcdghklmnpqrstvx".chars() {
        let up = c.to_ascii_uppercase().to_string();
        assert_eq!(cccd::fold_ascii(&c.to_string()), up);
    }
    assert_eq!(
        cccd::fold_ascii("Đặng Thị Hồng Nhung"),
        "DANG THI HONG NHUNG"
    );
    assert_eq!(cccd::fold_ascii("Nguyễn Hữu Đức"), "NGUYEN HUU DUC");
    // Decomposed input folds the same.
    assert_eq!(
        cccd::fold_ascii("Nguye\u{302}\u{303}n Thi\u{323}"),
        "NGUYEN THI"
    );
    assert!(matches!(
        cccd::fold_ascii("LE VAN A"),
        std::borrow::Cow::Borrowed(_)
    ));
    let card =
        cccd::parse("048195000001||Đỗ Thị Ngọc Ánh|02031995|Nữ|Đà Nẵng|01022022").expect("valid");
    assert_eq!(card.full_name_ascii(), "DO THI NGOC ANH");
}

#[test]
#[rustfmt::skip]
fn expiry_edges() {
    // (case, date of birth, issue date, expiry or "never", law)
    let table = [
        ("2014: more than 2 years before 25", "1990-05-10", "2013-05-09", "2015-05-10", "2014"),
        ("2014: exactly 2 years before 25", "1990-05-10", "2013-05-10", "2030-05-10", "2014"),
        ("2014: a day after the window opens", "1990-05-10", "2013-05-11", "2030-05-10", "2014"),
        ("2023: a day before 2 years before 40", "1990-05-10", "2028-05-09", "2030-05-10", "2023"),
        ("2023: exactly 2 years before 40", "1990-05-10", "2028-05-10", "2050-05-10", "2023"),
        ("2014: a day before 2 years before 60", "1964-03-15", "2022-03-14", "2024-03-15", "2014"),
        ("2014: issued at exactly 58", "1964-03-15", "2022-03-15", "never", "2014"),
        ("2014: issued at 58 and a day", "1964-03-15", "2022-03-16", "never", "2014"),
        ("2014: issued at 70", "1951-01-01", "2021-06-01", "never", "2014"),
        ("2023: issued at 59", "1966-01-01", "2025-06-01", "never", "2023"),
        ("29 Feb: 25th birthday in a common year", "2000-02-29", "2021-01-10", "2025-02-28", "2014"),
        ("29 Feb: the day before 23rd (28 Feb)", "2000-02-29", "2023-02-27", "2025-02-28", "2014"),
        ("29 Feb: on 23rd birthday (28 Feb)", "2000-02-29", "2023-02-28", "2040-02-29", "2014"),
        ("29 Feb: 12th birthday on 29 Feb, day before", "2016-02-29", "2028-02-28", "2030-02-28", "2023"),
        ("29 Feb: 12th birthday on 29 Feb, on it", "2016-02-29", "2028-02-29", "2041-02-28", "2023"),
        ("2023: a baby's card expires at 14", "2025-01-01", "2025-03-01", "2039-01-01", "2023"),
        ("2023: a child's card at 9 expires at 14", "2015-06-01", "2025-01-10", "2029-06-01", "2023"),
        ("2023: a child at 12 and 7 months: 25", "2012-01-01", "2024-08-01", "2037-01-01", "2023"),
        ("law: last day of 2014 law, child", "2012-09-01", "2024-06-30", "2037-09-01", "2014"),
        ("law: first day of 2023 law, child", "2012-09-01", "2024-07-01", "2026-09-01", "2023"),
    ];
    for (case, dob, issue, want, law) in table {
        let e = Expiry::compute(d(dob), d(issue));
        assert_eq!(e.law().as_str(), law, "{case}");
        if want == "never" {
            assert!(e.is_never(), "{case}: {e}");
            assert_eq!(e.date(), None, "{case}");
            assert_eq!(e.age(), None, "{case}");
            assert!(!e.is_expired(d("9999-12-31")), "{case}");
        } else {
            assert!(!e.is_never(), "{case}");
            assert_eq!(e.date(), Some(d(want)), "{case}");
            let age = e.age().expect("an age");
            assert!(e.law().renewal_ages().contains(&age), "{case}");
            assert!(!e.is_expired(d(want).pred_opt().expect("date")), "{case}");
            assert!(e.is_expired(d(want)), "{case}");
        }
    }
    assert_eq!(Law::for_issue_date(d("2024-06-30")), Law::Y2014);
    assert_eq!(Law::for_issue_date(d("2024-07-01")), Law::Y2023);
    assert_eq!(Law::Y2014.renewal_ages(), [25, 40, 60]);
    assert_eq!(Law::Y2023.renewal_ages(), [14, 25, 40, 60]);
}

#[test]
fn card_expiry_uses_its_dates() {
    let card = cccd::parse("036303000777||Lê Minh Châu|30092003|Nữ|Xóm 2, Hải Hậu|12112024||||")
        .expect("valid");
    let e = card.expiry();
    assert_eq!(e, Expiry::compute(card.date_of_birth(), card.issue_date()));
    assert_eq!((e.law(), e.date()), (Law::Y2023, Some(d("2028-09-30"))));
    assert_eq!(e.to_string(), "2028-09-30 (2023 law)");
}

/// A 2021-layout payload from its parts.
fn payload(id: &str, dob: &str, sex: &str, issue: &str) -> String {
    let ddmmyyyy = |s: &str| d(s).format("%d%m%Y").to_string();
    format!(
        "{id}||Phạm Thị Ánh|{}|{sex}|Thôn Đông, Hà Nội|{}",
        ddmmyyyy(dob),
        ddmmyyyy(issue)
    )
}

#[track_caller]
fn codes(checks: &Checks) -> Vec<&'static str> {
    checks.codes().map(|c| c.as_str()).collect()
}

/// (case, (ID, date of birth, sex, issue date, today), expected warnings)
type WarningRow = (
    &'static str,
    (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    &'static [WarningCode],
);

#[test]
#[rustfmt::skip]
fn every_warning() {
    use WarningCode as W;
    let base = ("079203001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01");
    let table: [WarningRow; 25] = [
        ("consistent", base, &[]),
        ("sex field", ("079203001234", "2003-01-01", "Nữ", "2021-08-15", "2026-01-01"), &[W::IdSexMismatch]),
        ("sex digit", ("079303001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::IdSexMismatch]),
        ("year digits", ("079204001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::IdBirthYearMismatch]),
        ("century digit", ("079003001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::IdBirthYearMismatch]),
        ("century and sex digit", ("079103001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::IdSexMismatch, W::IdBirthYearMismatch]),
        ("code 000", ("000203001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::IdUnknownBirthplace]),
        ("code 003", ("003203001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::IdUnknownBirthplace]),
        ("code 097", ("097203001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::IdUnknownBirthplace]),
        ("code 296", ("296203001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::IdUnknownBirthplace]),
        ("country 101", ("101203001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[]),
        ("country 295", ("295203001234", "2003-01-01", "Nam", "2021-08-15", "2026-01-01"), &[]),
        ("birth after issue", ("079222001234", "2022-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::BirthAfterIssue]),
        ("birth in future", ("079227001234", "2027-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::BirthAfterIssue, W::BirthInFuture]),
        ("issue in future", ("079203001234", "2003-01-01", "Nam", "2026-01-02", "2026-01-01"), &[W::IssueInFuture]),
        ("issue today", ("079203001234", "2003-01-01", "Nam", "2026-01-01", "2026-01-01"), &[]),
        ("under age, 2014 law", ("079210001234", "2010-01-01", "Nam", "2021-08-15", "2026-01-01"), &[W::IssuedUnderAge]),
        ("a day before 14, 2014 law", ("079207001234", "2007-08-16", "Nam", "2021-08-15", "2026-01-01"), &[W::IssuedUnderAge]),
        ("14th birthday, 2014 law", ("079207001234", "2007-08-15", "Nam", "2021-08-15", "2026-01-01"), &[]),
        ("child, 2023 law", ("079220001234", "2020-01-01", "Nam", "2024-07-01", "2026-01-01"), &[]),
        ("120th birthday", ("079001001234", "1901-08-15", "Nam", "2021-08-15", "2026-01-01"), &[W::ImplausibleAge]),
        ("a day before 120", ("079001001234", "1901-08-16", "Nam", "2021-08-15", "2026-01-01"), &[]),
        ("expires today", ("079203001234", "2003-01-01", "Nam", "2021-08-15", "2028-01-01"), &[W::Expired]),
        ("expires tomorrow", ("079203001234", "2003-01-01", "Nam", "2021-08-15", "2027-12-31"), &[]),
        ("everything at once", ("999100001234", "1900-08-15", "Nam", "2027-01-01", "2026-01-01"), &[W::IdSexMismatch, W::IdUnknownBirthplace, W::IssueInFuture, W::ImplausibleAge]),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (case, (id, dob, sex, issue, today), want) in table {
        let text = payload(id, dob, sex, issue);
        let card = cccd::parse(&text).expect(case);
        let checks = card.check(d(today));
        let want: Vec<&str> = want.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes(&checks), want, "{case}");
        assert_eq!(checks.is_empty(), want.is_empty(), "{case}");
        for w in &checks {
            seen.insert(w.code());
            assert!(checks.contains(w.code()));
            let message = w.to_string();
            assert_eq!(message, w.message());
            assert!(!message.contains(card.full_name()) && !message.contains("Thôn"));
            assert!(!message.contains(&card.id_number().as_str()[..6]), "{case}");
            assert!(!format!("{checks:?}").contains(card.id_number().as_str()));
        }
    }
    assert_eq!(
        seen.len(),
        WarningCode::ALL.len(),
        "every warning is tested"
    );
}

#[test]
fn warning_codes_are_stable() {
    let codes: Vec<&str> = WarningCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "id_sex_mismatch",
            "id_birth_year_mismatch",
            "id_unknown_birthplace",
            "birth_after_issue",
            "birth_in_future",
            "issue_in_future",
            "issued_under_age",
            "implausible_age",
            "expired"
        ]
    );
    let messages: std::collections::BTreeSet<&str> =
        WarningCode::ALL.iter().map(|c| c.message()).collect();
    assert_eq!(messages.len(), WarningCode::ALL.len());
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert<T: Send + Sync + 'static>() {}
    assert::<Birthplace>();
    assert::<Province>();
    assert::<Country>();
    assert::<Expiry>();
    assert::<Law>();
    assert::<Checks>();
    assert::<cccd::Warning>();
    assert::<WarningCode>();
}

/// Generated consistent cards have no warnings; changing one field gives exactly the
/// expected warning.
#[cfg(feature = "synth")]
mod generated {
    use super::*;
    use cccd::synth::CardGenerator;
    use cccd::Card;
    use chrono::{Datelike, Duration, Months};
    use proptest::prelude::*;

    fn card() -> impl Strategy<Value = Card<'static>> {
        any::<u64>().prop_map(|seed| CardGenerator::new(seed).card())
    }

    fn fields(card: &Card<'_>) -> Vec<String> {
        card.to_string().split('|').map(str::to_owned).collect()
    }

    /// The warnings of the payload made of `fields`, checked on `today`.
    fn check(fields: &[String], today: NaiveDate) -> Result<Vec<&'static str>, TestCaseError> {
        let text = fields.join("|");
        let card = cccd::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        Ok(codes(&card.check(today)))
    }

    /// The ID number's century/sex digit and year digits for a birth in `year`.
    fn id_for(id: &str, year: i32, female: bool) -> String {
        let g = (year - 1900) / 100 * 2 + i32::from(female);
        format!("{}{g}{:02}{}", &id[..3], year % 100, &id[6..])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn consistent_cards_have_no_warnings(card in card(), later in 0..2000i64) {
            // On its issue day a card is never expired, and neither date is in the future.
            prop_assert_eq!(codes(&card.check(card.issue_date())), Vec::<&str>::new());
            // Until the day before it expires, neither.
            let today = card.issue_date() + Duration::days(later);
            let want: Vec<&str> = if card.expiry().is_expired(today) { vec!["expired"] } else { vec![] };
            prop_assert_eq!(codes(&card.check(today)), want);
        }

        #[test]
        fn flipping_the_sex_field_is_id_sex_mismatch(card in card()) {
            let mut f = fields(&card);
            f[4] = if f[4] == "Nam" { "Nữ".into() } else { "Nam".into() };
            prop_assert_eq!(check(&f, card.issue_date())?, ["id_sex_mismatch"]);
        }

        #[test]
        fn changing_the_year_digits_is_id_birth_year_mismatch(card in card(), k in 1..100u32, century in any::<bool>()) {
            let mut f = fields(&card);
            let id = f[0].as_bytes();
            let new = if century {
                // Another century, same sex: add 2 to the century digit (mod 10).
                let g = (id[3] - b'0' + 2) % 10;
                format!("{}{g}{}", &f[0][..3], &f[0][4..])
            } else {
                let yy = (u32::from(id[4] - b'0') * 10 + u32::from(id[5] - b'0') + k) % 100;
                format!("{}{yy:02}{}", &f[0][..4], &f[0][6..])
            };
            f[0] = new;
            prop_assert_eq!(check(&f, card.issue_date())?, ["id_birth_year_mismatch"]);
        }

        #[test]
        fn an_unknown_code_is_id_unknown_birthplace(card in card(), code in 0..1000u16) {
            prop_assume!(matches!(Birthplace::from_code(code), Birthplace::Unknown(_)));
            let mut f = fields(&card);
            f[0] = format!("{code:03}{}", &f[0][3..]);
            prop_assert_eq!(check(&f, card.issue_date())?, ["id_unknown_birthplace"]);
        }

        #[test]
        fn a_reference_date_before_issue_is_issue_in_future(card in card(), days in 1..3000i64) {
            let today = card.issue_date() - Duration::days(days);
            let want: Vec<&str> = if card.date_of_birth() > today {
                vec!["birth_in_future", "issue_in_future"]
            } else {
                vec!["issue_in_future"]
            };
            prop_assert_eq!(codes(&card.check(today)), want);
        }

        #[test]
        fn the_expiry_date_is_expired(card in card()) {
            if let Some(date) = card.expiry().date() {
                prop_assert!(date > card.issue_date());
                prop_assert_eq!(codes(&card.check(date)), ["expired"]);
                prop_assert_eq!(codes(&card.check(date - Duration::days(1))), Vec::<&str>::new());
            }
        }

        #[test]
        fn a_birth_after_issue_is_birth_after_issue(card in card(), days in 1..5000i64) {
            // Date of birth after the issue date (and the ID digits kept in agreement).
            let dob = card.issue_date() + Duration::days(days);
            let mut f = fields(&card);
            f[0] = id_for(&f[0], dob.year(), card.sex().as_str() == "female");
            f[3] = dob.format("%d%m%Y").to_string();
            prop_assert_eq!(check(&f, dob)?, ["birth_after_issue"]);
        }

        #[test]
        fn a_child_before_july_2024_is_issued_under_age(card in card(), months in 1..14 * 12u32) {
            // Date of birth 1 month to 14 years before the issue date (ID digits kept in agreement).
            let Some(dob) = card.issue_date().checked_sub_months(Months::new(months)) else {
                return Err(TestCaseError::reject("date"));
            };
            let mut f = fields(&card);
            f[0] = id_for(&f[0], dob.year(), card.sex().as_str() == "female");
            f[3] = dob.format("%d%m%Y").to_string();
            let law_2014 = card.issue_date() < d("2024-07-01");
            let want: Vec<&str> = if law_2014 { vec!["issued_under_age"] } else { vec![] };
            prop_assert_eq!(check(&f, card.issue_date())?, want);
        }

        #[test]
        fn a_holder_of_120_is_implausible_age(card in card(), years in 120..=121u32, days in 0..365u64) {
            // Date of birth 120 years or more before the issue date, from 1900 (the ID's digits
            // cannot encode earlier years).
            let Some(dob) = card.issue_date()
                .checked_sub_months(Months::new(years * 12))
                .and_then(|d| d.checked_sub_days(chrono::Days::new(days)))
                .filter(|d| d.year() >= 1900) else {
                return Err(TestCaseError::reject("before 1900"));
            };
            let mut f = fields(&card);
            f[0] = id_for(&f[0], dob.year(), card.sex().as_str() == "female");
            f[3] = dob.format("%d%m%Y").to_string();
            prop_assert_eq!(check(&f, card.issue_date())?, ["implausible_age"]);
        }
    }
}
