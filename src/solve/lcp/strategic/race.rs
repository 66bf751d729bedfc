//! One equilibrium from a race of dropped labels.
//!
//! Why race: Lemke–Howson path lengths are heavy-tailed, per game and per dropped label. On
//! seeded random 200×200 games with payoffs in 0..99 the path from label 0 took 70, 741 and
//! 1,961 pivots on three games and more than 100,000 on three others, and which label is short
//! varies from game to game (Savani & von Stengel 2006 build games where every label is
//! exponentially long; random games are not like that, but one long label is common). Following
//! several labels side by side costs their number times the shortest path instead of the
//! length of label 0's path.
//!
//! The schedule, deterministic so that a game always gives the same equilibrium:
//! - Labels join in the order 0, m, 1, m + 1, … (alternating players, label 0 first, so that a
//!   short path from label 0 gives Gambit's equilibrium); label `i ≥ 1` joins once the race has
//!   spent [`JOIN_AFTER_PIVOTS`]` · 2^(i−1)` pivots, at most [`RACING_LABELS`] at once. A
//!   short path from label 0 thus pays for few others; a long race spreads over many labels.
//! - In each round every path takes the same allowance of pivots, on rayon's threads (one path
//!   per task); the allowance grows with the work done ([`allowance`]), so rounds stay long
//!   enough to hide the threads' overhead and short enough that little is spent past the end.
//! - After a round, the first path in joining order that ended and whose end is certified wins;
//!   the others are dropped. The winner's certificate is returned with it: a [`Certified`]
//!   is built only by [`certify_exact`] (`src/game/regret.rs`, which shares no code with this
//!   solver), so `solve_strategic` hands it on instead of certifying the same profile twice.
//!
//! Exactness: an f64 path that fails (no leaving row, a repeated basis, an end that fails exact
//! recovery or certification) is restarted for its label in exact integer arithmetic, whose
//! lexicographic rule cannot cycle, and stays in the race.
//!
//! Time: the race stops at the caller's deadline (`--max-seconds`) and reports how far each
//! label got ([`LabelProgress`]).

use super::walker::{Advance, Walker};
use super::{exact_basic_solution, normalize, Positive, RULE};
use crate::error::Result;
use crate::game::{certify_exact, Certified};
use crate::num::Q;
use crate::solve::deadline::Deadline;
use crate::solve::linalg::tableau::{ExactTableau, FloatTableau, Pivoting};
use rayon::prelude::*;

/// Most labels followed at the same time: each holds two dictionaries (up to `2·m·n` floats
/// once every column has been used), so this bounds memory, and beyond a handful of labels the
/// shortest of them rarely gets shorter.
pub const RACING_LABELS: usize = 16;

/// Pivots the race spends before a second label joins; the `i`-th further label joins after
/// `2^(i−1)` times as many.
pub const JOIN_AFTER_PIVOTS: u64 = 256;

/// Which dropped labels a one-equilibrium run may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// Race labels in the order of the module comment.
    Race,
    /// Follow this label only (`--label K`).
    Pinned(usize),
}

/// How far one label's path got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelProgress {
    /// The dropped label (`0..m` player 1's strategies, `m..m+n` player 2's).
    pub label: usize,
    /// Pivots taken, counting those of an abandoned f64 attempt.
    pub pivots: u64,
    /// Whether the path reached its end (the equilibrium reported comes from the first such).
    pub ended: bool,
    /// Whether the label is being followed in exact arithmetic (after an f64 attempt failed).
    pub exact: bool,
}

/// The outcome of [`lcp_one`]: the certified equilibrium, if one was reached before the
/// deadline, and every label followed.
#[derive(Debug, Clone)]
pub struct OneEquilibrium {
    /// The winning path's end as [`certify_exact`] returned it (its proof: the caller does not
    /// certify it again).
    pub equilibrium: Option<Certified<Q>>,
    /// How far each label that joined the race got.
    pub labels: Vec<LabelProgress>,
}

type ColumnFill<'a> = Box<dyn Fn(usize, &mut [f64]) + Send + Sync + 'a>;

/// A label's path in f64 (first) or exact arithmetic (after the f64 one failed).
enum Path<'a> {
    Float(Box<Walker<FloatTableau<ColumnFill<'a>>>>),
    Exact(Box<Walker<ExactTableau>>),
}

struct Runner<'a> {
    path: Path<'a>,
    /// Pivots of an abandoned f64 attempt.
    earlier_pivots: u64,
    ended: bool,
}

impl<'a> Runner<'a> {
    fn float(pay: &'a Positive<'a>, label: usize) -> Self {
        let (m, n) = (pay.m, pay.n);
        let fill = |p: usize| -> ColumnFill<'a> {
            Box::new(move |col: usize, out: &mut [f64]| pay.float_column(p, col, out))
        };
        let q_tab = FloatTableau::from_columns(m, n, fill(0), |_| 1.0).with_perturbation(RULE);
        let p_tab = FloatTableau::from_columns(n, m, fill(1), |_| 1.0).with_perturbation(RULE);
        Runner {
            path: Path::Float(Box::new(Walker::new(q_tab, p_tab, m, n, label))),
            earlier_pivots: 0,
            ended: false,
        }
    }

    fn label(&self) -> usize {
        match &self.path {
            Path::Float(w) => w.dropped,
            Path::Exact(w) => w.dropped,
        }
    }

    fn pivots(&self) -> u64 {
        self.earlier_pivots
            + match &self.path {
                Path::Float(w) => w.pivots,
                Path::Exact(w) => w.pivots,
            }
    }

    fn progress(&self) -> LabelProgress {
        LabelProgress {
            label: self.label(),
            pivots: self.pivots(),
            ended: self.ended,
            exact: matches!(self.path, Path::Exact(_)),
        }
    }

    fn advance(&mut self, allowance: u64, deadline: &Deadline) -> Advance {
        match &mut self.path {
            Path::Float(w) => w.advance(allowance, deadline),
            Path::Exact(w) => w.advance(allowance, deadline),
        }
    }

    /// Start this label again in exact arithmetic.
    fn go_exact(&mut self, pay: &Positive) {
        self.earlier_pivots = self.pivots();
        self.path = Path::Exact(Box::new(exact_walker(pay, self.label())));
        self.ended = false;
    }

    /// The certified equilibrium at the end of an ended path, or `None` when the f64 bases do
    /// not name one (rounding): the caller then restarts the label exactly.
    fn equilibrium(&self, pay: &Positive) -> Result<Option<Certified<Q>>> {
        match &self.path {
            Path::Float(w) => {
                let y = exact_basic_solution(pay, 0, w.q_tab.basis());
                let x = exact_basic_solution(pay, 1, w.p_tab.basis());
                let (Some(x), Some(y)) = (x, y) else {
                    return Ok(None);
                };
                Ok(certify_exact(pay.game, vec![x, y]).ok())
            }
            Path::Exact(w) => Ok(Some(exact_end(pay, w)?)),
        }
    }
}

/// The exact path for `label` at its start.
pub(super) fn exact_walker(pay: &Positive, label: usize) -> Walker<ExactTableau> {
    let (m, n) = (pay.m, pay.n);
    let q_tab =
        ExactTableau::from_fn(m, n, |i, j| pay.exact(0, i, j), |_| Q::ONE).with_perturbation(RULE);
    let p_tab =
        ExactTableau::from_fn(n, m, |j, i| pay.exact(1, i, j), |_| Q::ONE).with_perturbation(RULE);
    Walker::new(q_tab, p_tab, m, n, label)
}

/// The certified equilibrium at the end of an exact path.
pub(super) fn exact_end(pay: &Positive, w: &Walker<ExactTableau>) -> Result<Certified<Q>> {
    let (m, n) = (pay.m, pay.n);
    let no_point =
        || crate::Error::Solver("Lemke–Howson: the final basis has no mixed strategy".into());
    let y = normalize((0..n).map(|j| w.q_tab.value(m + j)).collect()).ok_or_else(no_point)?;
    let x = normalize((0..m).map(|i| w.p_tab.value(n + i)).collect()).ok_or_else(no_point)?;
    certify_exact(pay.game, vec![x, y])
}

/// Labels in joining order: 0, m, 1, m + 1, …, then the longer player's remaining ones.
fn joining_order(m: usize, n: usize) -> impl Iterator<Item = usize> {
    (0..m.max(n)).flat_map(move |k| {
        let first = (k < m).then_some(k);
        let second = (k < n).then_some(m + k);
        first.into_iter().chain(second)
    })
}

/// Pivots each path may take in the next round, given the race's total so far and the number
/// of paths: an eighth of what each has done on average, at least 64.
fn allowance(total: u64, paths: usize) -> u64 {
    (total / (8 * paths.max(1) as u64)).max(64)
}

/// One certified equilibrium by Lemke–Howson from the labels `labels` allows, or, when
/// `deadline` passes first, none and how far each label got.
pub fn lcp_one(
    game: &crate::game::StrategicGame,
    labels: Labels,
    deadline: &Deadline,
) -> Result<OneEquilibrium> {
    let first = match labels {
        Labels::Race => 0,
        Labels::Pinned(label) => label,
    };
    let pay = Positive::new(game, first)?;
    let order: Vec<usize> = match labels {
        Labels::Race => {
            // `flat_map` gives no size hint: reserved here, not grown from empty.
            let mut order = Vec::with_capacity(pay.m + pay.n);
            order.extend(joining_order(pay.m, pay.n));
            order
        }
        Labels::Pinned(label) => vec![label],
    };
    let mut race = Race {
        pay: &pay,
        order: &order,
        runners: Vec::new(),
        total: 0,
    };
    // Label 0 runs alone on the calling thread until a second label is due: most small games
    // end before that, and handing work to rayon's pool costs more than their whole solve
    // (tens of microseconds to wake a sleeping worker). The schedule is the same either way.
    if let Some(done) = race.rounds(deadline, true)? {
        return Ok(done);
    }
    // The rounds' bookkeeping runs on a rayon thread, so that handing paths to the others is a
    // cheap `join`, not an injection from outside the pool.
    rayon::scope(|_| race.rounds(deadline, false))?.ok_or_else(|| {
        crate::Error::Solver("Lemke–Howson: the race stopped without an outcome".into())
    })
}

/// The race's state between rounds.
struct Race<'a> {
    pay: &'a Positive<'a>,
    /// Labels in joining order; the first `runners.len()` have joined.
    order: &'a [usize],
    runners: Vec<Runner<'a>>,
    /// Pivots taken by all paths so far.
    total: u64,
}

impl Race<'_> {
    /// Rounds until an equilibrium or the deadline; with `alone`, `None` as soon as a second
    /// label is due to join (the caller then goes on in rayon's pool).
    fn rounds(&mut self, deadline: &Deadline, alone: bool) -> Result<Option<OneEquilibrium>> {
        let pay = self.pay;
        loop {
            let joined = self.runners.len();
            let due = JOIN_AFTER_PIVOTS.saturating_mul(1u64 << joined.saturating_sub(1).min(62));
            if joined < RACING_LABELS && (joined == 0 || self.total >= due) {
                if let Some(&label) = self.order.get(joined) {
                    if alone && joined > 0 {
                        return Ok(None);
                    }
                    self.runners.push(Runner::float(pay, label));
                }
            }
            let give = allowance(self.total, self.runners.len());
            let outcomes: Vec<Advance> = match self.runners.as_mut_slice() {
                [runner] => vec![runner.advance(give, deadline)],
                runners => runners
                    .par_iter_mut()
                    .with_max_len(1)
                    .map(|r| r.advance(give, deadline))
                    .collect(),
            };
            self.total = self.runners.iter().map(Runner::pivots).sum();
            let mut winner = None;
            for (runner, outcome) in self.runners.iter_mut().zip(outcomes) {
                match outcome {
                    Advance::Paused => {}
                    Advance::Failed(_) if matches!(runner.path, Path::Float(_)) => {
                        runner.go_exact(pay)
                    }
                    Advance::Failed(why) => {
                        return Err(crate::Error::Solver(format!(
                            "Lemke–Howson (exact, label {}): {why}",
                            runner.label()
                        )))
                    }
                    Advance::Ended => {
                        runner.ended = true;
                        match runner.equilibrium(pay)? {
                            Some(certified) => {
                                winner = Some(certified);
                                break;
                            }
                            None => runner.go_exact(pay),
                        }
                    }
                }
            }
            if winner.is_some() || deadline.passed() {
                return Ok(Some(OneEquilibrium {
                    equilibrium: winner,
                    labels: self.runners.iter().map(Runner::progress).collect(),
                }));
            }
        }
    }
}
