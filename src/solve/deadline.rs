//! A wall-clock budget for the solvers whose work can grow exponentially with the game
//! (`enummixed`'s vertex enumeration, `lcp --all-labels`, `spe`, the reduced-form
//! enumerations on trees): `patron solve --max-seconds S`.
//!
//! Why a deadline and not a work limit: the size limits in [`crate::limits`] refuse a game
//! before the work starts; a deadline instead lets the solver run and keeps what it found. Each
//! solver checks [`Deadline::passed`] once per step of its main loop (a basis, a dropped label,
//! a node) and, once it has passed, stops and returns what it has: every item already found is
//! a genuine equilibrium (it is certified like any other), only the list may be incomplete.
//! [`Deadline::was_reached`] then tells the caller that it is.
//!
//! It is shared by reference, also across threads: the flag is atomic, so the first solver
//! thread that sees the time pass stops the others at their next check.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A moment after which the enumerating solvers stop, or none.
#[derive(Debug)]
pub struct Deadline {
    end: Option<Instant>,
    reached: AtomicBool,
}

/// The deadline that never passes, for callers that set none.
pub static NO_DEADLINE: Deadline = Deadline::none();

impl Deadline {
    /// No deadline: [`Self::passed`] is always false.
    pub const fn none() -> Self {
        Deadline {
            end: None,
            reached: AtomicBool::new(false),
        }
    }

    /// The deadline `budget` from now (a budget too large to represent means none).
    pub fn after(budget: Duration) -> Self {
        Deadline {
            end: Instant::now().checked_add(budget),
            reached: AtomicBool::new(false),
        }
    }

    /// Whether the deadline has passed; once it has, this stays true and
    /// [`Self::was_reached`] records it.
    pub fn passed(&self) -> bool {
        if self.reached.load(Ordering::Relaxed) {
            return true;
        }
        let passed = self.end.is_some_and(|end| Instant::now() >= end);
        if passed {
            self.reached.store(true, Ordering::Relaxed);
        }
        passed
    }

    /// Pass the deadline now, from any thread (an interrupt: the Python package's Ctrl-C):
    /// the solvers stop at their next check as if the time had run out.
    pub fn stop(&self) {
        self.reached.store(true, Ordering::Relaxed);
    }

    /// Whether some solver saw the deadline pass and stopped early: its results are
    /// then a subset of the complete answer.
    pub fn was_reached(&self) -> bool {
        self.reached.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_deadline_never_passes() {
        assert!(!NO_DEADLINE.passed());
        assert!(!Deadline::none().was_reached());
    }

    #[test]
    fn a_past_deadline_passes_and_is_remembered() {
        let d = Deadline::after(Duration::ZERO);
        assert!(!d.was_reached(), "not reached until a solver checks");
        assert!(d.passed());
        assert!(d.was_reached());
    }

    #[test]
    fn a_far_deadline_has_not_passed() {
        let d = Deadline::after(Duration::from_secs(3600));
        assert!(!d.passed());
        assert!(!d.was_reached());
    }
}
