//! Property tests: round trips of generated cards, repair of damaged renderings, and no
//! panics on arbitrary input.
#![cfg(feature = "synth")]

use cccd::synth::{damage, CardGenerator};
use cccd::{Layout, Parser, Repair};
use proptest::prelude::*;

fn card(layout: Layout) -> impl Strategy<Value = cccd::Card<'static>> {
    any::<u64>().prop_map(move |seed| CardGenerator::new(seed).card_with_layout(layout))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_cards_round_trip(card in prop_oneof![card(Layout::V2021), card(Layout::V2024)]) {
        let text = card.to_string();
        let back = cccd::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &card);
        prop_assert_eq!(back.to_string(), text.clone());
        prop_assert!(back.is_borrowed());
        prop_assert_eq!(back.id_number().sex(), card.sex());
        let lenient = Parser::new().lenient(true).parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(lenient.repairs.is_empty());
    }

    #[test]
    fn damaged_renderings_are_repaired(
        card in prop_oneof![card(Layout::V2021), card(Layout::V2024)],
        repair in prop::sample::select(Repair::ALL.to_vec()),
    ) {
        let text = card.to_string();
        if let Some(damaged) = damage(&text, repair) {
            // Strict parsing rejects what breaks the payload's form (BOM, whitespace, line
            // ends, NFD, the C1 controls of Latin-1 mojibake); other mojibake is well-formed
            // text that only the lenient parser's plausibility check recognises.
            if matches!(repair, Repair::BomRemoved | Repair::WhitespaceTrimmed | Repair::LineEndingRemoved | Repair::NfcNormalized) {
                prop_assert!(cccd::parse(&damaged).is_err(), "strict parsing must not accept {} damage", repair);
            }
            let parsed = Parser::new().lenient(true).parse(&damaged).map_err(|e| TestCaseError::fail(format!("{repair}: {e}")))?;
            prop_assert_eq!(&parsed.card, &card);
            prop_assert_eq!(parsed.repairs, vec![repair]);
            // The same through the raw-bytes entry point.
            let parsed = Parser::new().lenient(true).parse_bytes(damaged.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&parsed.card, &card);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,200}|[0-9|A-Za-zàáảãạđĐ\u{300}-\u{309}\u{feff}\r\n ]{0,200}") {
        for lenient in [false, true] {
            if let Ok(parsed) = Parser::new().lenient(lenient).parse(&s) {
                // Whatever parses prints a canonical payload that parses strictly.
                let canonical = parsed.card.to_string();
                prop_assert_eq!(cccd::parse(&canonical), Ok(parsed.card.clone()));
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        for lenient in [false, true] {
            if let Ok(parsed) = Parser::new().lenient(lenient).parse_bytes(&bytes) {
                let canonical = parsed.card.to_string();
                prop_assert_eq!(cccd::parse(&canonical), Ok(parsed.card.clone()));
            }
        }
    }

    #[test]
    fn mutated_payloads_never_panic(
        card in prop_oneof![card(Layout::V2021), card(Layout::V2024)],
        pos in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = card.to_string().into_bytes();
        let i = pos.index(bytes.len());
        bytes[i] = byte;
        for lenient in [false, true] {
            let result = Parser::new().lenient(lenient).parse_bytes(&bytes);
            if let Err(e) = result {
                prop_assert!(e.offset() <= bytes.len());
                prop_assert!(!e.to_string().contains(card.full_name()));
            }
        }
    }
}

#[test]
fn every_damage_kind_is_generated() {
    // The property above only checks damages the generator can make; make sure it makes every
    // kind for a fair share of cards.
    let mut gen = CardGenerator::new(42);
    let mut counts = std::collections::BTreeMap::new();
    for _ in 0..2000 {
        let text = gen.payload();
        for repair in Repair::ALL {
            if damage(&text, repair).is_some() {
                *counts.entry(repair).or_insert(0u32) += 1;
            }
        }
    }
    for repair in Repair::ALL {
        let n = counts.get(&repair).copied().unwrap_or(0);
        match repair {
            Repair::LegacyCp1258 => assert_eq!(n, 0),
            Repair::MojibakeBig5 => assert!(n >= 2, "{repair}: {n}"),
            Repair::MojibakeShiftJis => assert!(n >= 50, "{repair}: {n}"),
            Repair::MojibakeEucKr | Repair::MojibakeGb18030 => assert!(n >= 10, "{repair}: {n}"),
            _ => assert!(n >= 1800, "{repair}: {n}"),
        }
    }
}

#[test]
fn generator_is_deterministic_and_covers_the_alphabet() {
    let a: Vec<String> = (0..50).map(|i| CardGenerator::new(i).payload()).collect();
    let b: Vec<String> = (0..50).map(|i| CardGenerator::new(i).payload()).collect();
    assert_eq!(a, b);
    let mut gen = CardGenerator::new(9);
    let text: String = (0..400).map(|_| gen.payload()).collect();
    for vowel in "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ".chars()
    {
        assert!(text.contains(vowel), "{vowel}");
    }
    assert!(text.contains('Đ') && text.contains('đ'));
    let layouts: std::collections::BTreeSet<_> = (0..20)
        .map(|i| CardGenerator::new(i).card().layout())
        .collect();
    assert_eq!(layouts.len(), 2);
}
