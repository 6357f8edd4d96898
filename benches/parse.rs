//! Parsing speed: `cccd::parse` against the way such parsers are usually written, and against a
//! bare scan that only counts the separators.
//!
//! ```text
//! cargo bench --features synth --bench parse
//! ```
//!
//! All three members see the same few thousand generated payloads (both layouts) per iteration,
//! and criterion reports throughput in bytes per second, so the ratios can be read off directly.

use std::hint::black_box;

use cccd::chrono::NaiveDate;
use cccd::synth::CardGenerator;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// How many payloads each iteration parses.
const PAYLOADS: usize = 4096;

/// A parser written the way it usually is: `split('|')`, a `String` per field and
/// `NaiveDate::parse_from_str`. It checks less than `cccd::parse` (no digit checks beyond what
/// `parse::<u64>` does, no control characters), so the comparison flatters it.
#[allow(dead_code)] // the fields are there to be built, as in the code this stands for
struct NaiveCard {
    id_number: String,
    old_id_number: Option<String>,
    full_name: String,
    date_of_birth: NaiveDate,
    sex: String,
    address: String,
    issue_date: NaiveDate,
    extra: Vec<String>,
}

fn naive_parse(payload: &str) -> Option<NaiveCard> {
    let fields: Vec<String> = payload.split('|').map(|f| f.to_string()).collect();
    if fields.len() != 7 && fields.len() != 11 {
        return None;
    }
    if fields[0].len() != 12 || fields[0].parse::<u64>().is_err() {
        return None;
    }
    let old_id_number = if fields[1].is_empty() {
        None
    } else {
        Some(fields[1].clone())
    };
    let date_of_birth = NaiveDate::parse_from_str(&fields[3], "%d%m%Y").ok()?;
    let issue_date = NaiveDate::parse_from_str(&fields[6], "%d%m%Y").ok()?;
    if fields[4] != "Nam" && fields[4] != "Nữ" {
        return None;
    }
    Some(NaiveCard {
        id_number: fields[0].clone(),
        old_id_number,
        full_name: fields[2].clone(),
        date_of_birth,
        sex: fields[4].clone(),
        address: fields[5].clone(),
        issue_date,
        extra: fields[7..].to_vec(),
    })
}

/// The floor: find every separator and nothing else.
fn bare_scan(payload: &str) -> usize {
    memchr::memchr_iter(b'|', payload.as_bytes()).count()
}

fn payloads() -> Vec<String> {
    let mut gen = CardGenerator::new(0x6363_6364);
    (0..PAYLOADS).map(|_| gen.payload()).collect()
}

fn bench_parse(c: &mut Criterion) {
    let payloads = payloads();
    let bytes: usize = payloads.iter().map(String::len).sum();
    // Every member must accept every payload, or the comparison means nothing.
    assert!(payloads.iter().all(|p| cccd::parse(p).is_ok()));
    assert!(payloads.iter().all(|p| naive_parse(p).is_some()));
    assert!(payloads.iter().all(|p| matches!(bare_scan(p), 6 | 10)));

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("cccd::parse", |b| {
        b.iter(|| {
            for p in &payloads {
                let card = cccd::parse(black_box(p));
                black_box(&card);
            }
        })
    });
    group.bench_function("naive split", |b| {
        b.iter(|| {
            for p in &payloads {
                let card = naive_parse(black_box(p));
                black_box(&card);
            }
        })
    });
    group.bench_function("bare memchr scan", |b| {
        b.iter(|| {
            for p in &payloads {
                black_box(bare_scan(black_box(p)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
