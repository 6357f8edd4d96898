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
}

impl Deadline {
    pub(super) fn new(start: Instant, budget: Duration) -> Self {
        Deadline {
            start,
            budget,
            max_patterns: super::engines::MAX_FINDER_PATTERNS,
            hit: Cell::new(false),
        }
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
