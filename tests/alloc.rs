//! A strict parse of a clean payload allocates nothing, for both layouts; nor do the
//! birthplace lookups, the expiry, or the checks of a card without warnings.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts calls.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const PAYLOADS: [&str; 4] = [
    "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 1 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|15082021",
    "001190004321||Trần Thị Hương|29021992|Nữ|Thôn Đông, Xã Yên Bình, Thạch Thất, Hà Nội|10052021",
    "036303000777||Lê Minh Châu|30092003|Nữ|Xóm 2, Hải Hậu, Nam Định|12112024||||",
    "036303000777|123456789012|Lê Minh Châu|30092003|Nữ|Xóm 2, Hải Hậu, Nam Định|12112024|a|b||c",
];

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

#[test]
fn strict_parse_allocates_nothing() {
    // The test harness runs tests on threads; keep this the only test in this binary so
    // nothing else allocates meanwhile.
    for payload in PAYLOADS {
        let mut layout = None;
        let n = allocations_during(|| {
            let card = cccd::parse(std::hint::black_box(payload)).expect("valid");
            layout = Some(card.layout());
            std::hint::black_box(&card);
        });
        assert_eq!(n, 0, "{layout:?}");
        let n = allocations_during(|| {
            let parsed = cccd::Parser::new()
                .lenient(true)
                .parse_bytes(std::hint::black_box(payload.as_bytes()))
                .expect("valid");
            std::hint::black_box(&parsed);
        });
        assert_eq!(n, 0, "lenient parse of a clean payload");
    }
    assert!(layout_both());
    let today = cccd::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let mut places = 0;
    let n = allocations_during(|| {
        for code in 0..1000 {
            let place = cccd::Birthplace::from_code(std::hint::black_box(code));
            places += usize::from(place.name().is_some());
        }
        for payload in [PAYLOADS[0], PAYLOADS[2]] {
            let card = cccd::parse(payload).expect("valid");
            std::hint::black_box(card.id_number().birthplace());
            std::hint::black_box(card.expiry());
            assert!(card.check(today).is_empty());
            // An ASCII name borrows.
            std::hint::black_box(cccd::fold_ascii("LE MINH CHAU"));
        }
    });
    assert_eq!(n, 0, "lookups, expiry and checks");
    assert_eq!(places, 63 + 195);
    // The counter works: an owned copy allocates.
    let n = allocations_during(|| {
        std::hint::black_box(cccd::parse(PAYLOADS[0]).expect("valid").into_owned());
    });
    assert!(n >= 2, "{n}");
}

fn layout_both() -> bool {
    let layouts: Vec<_> = PAYLOADS
        .iter()
        .map(|p| cccd::parse(p).expect("valid").layout())
        .collect();
    layouts.contains(&cccd::Layout::V2021) && layouts.contains(&cccd::Layout::V2024)
}
