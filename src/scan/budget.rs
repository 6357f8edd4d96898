//! The time budget: one deadline for the whole call, checked inside our own loops and
//! before every call into an engine.

use std::cell::Cell;
use std::time::Duration;
use web_time::Instant;

use super::{ScanError, Step};

/// When the call must end, and the finder-pattern density the engines may be given.
#[derive(Debug)]
pub(super) struct Deadline {
    start: Instant,
    budget: Duration,
    /// Most finder patterns an image handed to an engine may hold.
    pub(super) max_patterns: usize,
    /// Set when a step or an engine call was skipped or cut short for lack of time.
    hit: Cell<bool>,
    /// The slowest rate (ns per pixel) an engine call of this scan took: later estimates
    /// use it when it is above the fixed one (a slow machine, a hard image).
    observed_ns_per_pixel: Cell<u64>,
}

impl Deadline {
    pub(super) fn new(start: Instant, budget: Duration) -> Self {
        Deadline {
            start,
            budget,
            max_patterns: super::engines::MAX_FINDER_PATTERNS,
            hit: Cell::new(false),
            observed_ns_per_pixel: Cell::new(0),
        }
    }

    /// Records that a call on `pixels` pixels took `took`.
    pub(super) fn observe(&self, pixels: u64, took: Duration) {
        let rate = u64::try_from(took.as_nanos() / u128::from(pixels.max(1))).unwrap_or(u64::MAX);
        if rate > self.observed_ns_per_pixel.get() {
            self.observed_ns_per_pixel.set(rate);
        }
    }

    /// What a call on `pixels` pixels may take: at `ns_per_pixel`, or at the slowest rate
    /// observed in this scan when that is higher.
    pub(super) fn cost(&self, pixels: u64, ns_per_pixel: u64) -> Duration {
        let rate = ns_per_pixel.max(self.observed_ns_per_pixel.get());
        Duration::from_nanos(pixels.saturating_mul(rate))
    }

    /// Whether the budget is spent (and remembers that it was).
    pub(super) fn passed(&self) -> bool {
        let passed = self.start.elapsed() >= self.budget;
        if passed {
            self.hit.set(true);
        }
        passed
    }

    /// Whether `cost` more would overrun the budget (and remembers that it would).
    pub(super) fn cannot_afford(&self, cost: Duration) -> bool {
        let late = self.start.elapsed().saturating_add(cost) > self.budget;
        if late {
            self.hit.set(true);
        }
        late
    }

    /// A deadline `limit` from now, or this one's if that is sooner (same pattern limit).
    pub(super) fn tighter(&self, limit: Duration) -> Deadline {
        let left = self.budget.saturating_sub(self.start.elapsed());
        Deadline {
            start: Instant::now(),
            budget: limit.min(left),
            max_patterns: self.max_patterns,
            hit: Cell::new(false),
            observed_ns_per_pixel: Cell::new(self.observed_ns_per_pixel.get()),
        }
    }

    /// Whether the budget cut anything short.
    pub(super) fn was_hit(&self) -> bool {
        self.hit.get()
    }

    pub(super) fn exceeded(&self, tried: Vec<Step>) -> ScanError {
        ScanError::time_budget(self.budget, tried)
    }
}
