//! One run of the variable-dimension restart algorithm on a fixed grid (van der Laan, Talman &
//! van der Heyden 1987, on a product of unit simplices; on one simplex, van der Laan & Talman
//! 1979), with the path kept inside the product of simplices as Gambit keeps it.
//!
//! Grid and directions: points are `z / M` with integer `z`; `v` is the start. Besides the label
//! set `T` (for each player a set of strategies) the path keeps a set `U` of strategies held at
//! probability 0: the faces of the product of simplices it runs along (at the start, the
//! strategies `v` gives probability 0). For a strategy `h ∉ U` of player `j`, let `b(h)` be `j`'s
//! nearest strategy before `h`, cyclically, that is not in `U`; the direction
//! `q(h) = e(j, h) − e(j, b(h))` moves one grid step of probability from `b(h)` to `h`, passing
//! over the strategies held at 0. A simplex of the path is `σ(y¹, π)`: an order `π` of `T` and
//! a first vertex `y¹`, with `y^{i+1} = y^i + q(π_i)`. The first vertex is
//! `y¹ = v + Σ_{h ∈ T ∪ U} a_h (e(j, h) − e(j, h − 1))` in the cyclic basis; a step `q(h)` adds 1
//! to `a` on the span `(b(h), h]`, so `a` records how far the simplex lies from `v` along each
//! direction (Freudenthal's triangulation in those coordinates).
//!
//! The path starts at `{v}` with `T = ∅`. At each step one vertex has just been labelled with
//! `ℓ` (see [`super::labels`]):
//! - `ℓ ∉ T ∪ U`: if `ℓ` completes its player's strategies (with `T` and `U`) the run ends; else
//!   `T` gains `ℓ` and the simplex the vertex `y^{t+1} + q(ℓ)`.
//! - `ℓ ∈ U`: `ℓ` leaves `U` for `T` (the path leaves the face `x_ℓ = 0`): the step `q(ℓ)` is put
//!   into `π` just before the step of the next strategy after `ℓ` not in `U`, if that is in `T`
//!   (so the two steps together are the old one), else at the end.
//! - `ℓ ∈ T`: the other vertex labelled `ℓ` leaves, by the triangulation's replacement rules:
//!   the first vertex — the simplex shifts by `q(π_1)`; an inner one — two steps of `π` swap;
//!   the last one — the simplex shifts back by `q(π_t)`. Where the new vertex would leave the
//!   product of simplices (a probability below 0), or go further than the leash from `v`, the
//!   path turns: the strategy that would go negative joins `U` (the first vertex's case), or the
//!   step before the leaving vertex leaves `T` (an inner vertex's case: that step's strategy joins
//!   `U` if the simplex touches its face) and the vertex labelled with it leaves instead. The last
//!   vertex at the edge `a = 0` of the region of `T` likewise drops `π_t` from `T` — unless a
//!   strategy of `U` inside `π_t`'s span has room, which then leaves `U` and the simplex shifts
//!   back along the shorter step.
//!
//! Every simplex on the path carries all labels of `T`; the path can neither branch nor return,
//! so it ends. The run reports its best vertex (least exact regret, the first on ties), from
//! which the next run on a finer grid restarts (Gambit's rule).

use super::labels::Labeller;
use crate::num::IBig;
use crate::solve::deadline::Deadline;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// A simplex carried every strategy of some player as a label or a face.
    Complete,
    /// The deadline passed.
    Deadline,
    /// The step limit was reached.
    StepLimit,
}

/// The best vertex of a run and its exact regret, and how the run ended.
#[derive(Debug, Clone)]
pub struct Run {
    /// The vertex of least regret (the first on ties), as integer grid coordinates.
    pub best: Vec<i64>,
    /// Its regret times `M^n · D` ([`Labeller::regret`]).
    pub best_gain: IBig,
    /// Why the run stopped.
    pub end: RunEnd,
    /// Vertices labelled.
    pub steps: usize,
}

/// Limits of one run.
pub struct RunLimits<'d> {
    /// Gambit's leash: no probability may fall more than this many grid steps below the start.
    pub leash: Option<u64>,
    /// Most vertices to label.
    pub max_steps: usize,
    /// When to give up.
    pub deadline: &'d Deadline,
}

/// The label that marks a vertex not yet labelled.
const UNLABELLED: usize = usize::MAX;

/// The state of the path: the sets `T` and `U`, the coordinates `a`, the order `π`, the labels
/// of the simplex's vertices and which of them was labelled last.
struct Path<'a> {
    start: &'a [i64],
    player_of: Vec<usize>,
    offsets: &'a [usize],
    in_t: Vec<bool>,
    on_face: Vec<bool>,
    a: Vec<i64>,
    order: Vec<usize>,
    labels: Vec<usize>,
    fresh: usize,
    leash: Option<i64>,
}

/// What a new label asks of the simplex.
enum Move {
    /// Put the strategy into `T`, its step at this place of `π`.
    Grow(usize, usize),
    /// The vertex at this place leaves.
    Replace(usize),
}

impl Path<'_> {
    /// The next strategy of the same player, cyclically.
    fn next(&self, k: usize) -> usize {
        let j = self.player_of[k];
        if k + 1 == self.offsets[j + 1] {
            self.offsets[j]
        } else {
            k + 1
        }
    }

    /// The previous strategy of the same player, cyclically.
    fn previous(&self, k: usize) -> usize {
        let j = self.player_of[k];
        if k == self.offsets[j] {
            self.offsets[j + 1] - 1
        } else {
            k - 1
        }
    }

    /// `b(k)`: the nearest strategy before `k` (cyclically) not held at 0.
    fn below(&self, k: usize) -> usize {
        let mut b = self.previous(k);
        while self.on_face[b] {
            b = self.previous(b);
        }
        b
    }

    /// First strategy of the span `(b(k), k]` of the step `q(k)`.
    fn span_start(&self, k: usize) -> usize {
        self.next(self.below(k))
    }

    /// Add `delta` to `a` over the span of `q(k)`: the first vertex moves by `delta · q(k)`.
    fn shift_span(&mut self, k: usize, delta: i64) {
        let mut s = self.span_start(k);
        loop {
            self.a[s] += delta;
            if s == k {
                return;
            }
            s = self.next(s);
        }
    }

    /// `y ← y + sign · q(k)`.
    fn step(&self, y: &mut [i64], k: usize, sign: i64) {
        y[k] += sign;
        y[self.below(k)] -= sign;
    }

    /// Vertex `r` (from 0) of the current simplex.
    fn vertex(&self, r: usize) -> Vec<i64> {
        let mut y = self.start.to_vec();
        for k in 0..y.len() {
            if (self.in_t[k] || self.on_face[k]) && self.a[k] != 0 {
                y[k] += self.a[k];
                y[self.previous(k)] -= self.a[k];
            }
        }
        for &k in &self.order[..r] {
            self.step(&mut y, k, 1);
        }
        y
    }

    /// Whether the vertex `y` may not lose more of strategy `k`: it has none, or it has fallen
    /// the leash's length below the start.
    fn blocked(&self, y: &[i64], k: usize) -> bool {
        y[k] <= 0 || self.leash.is_some_and(|l| self.start[k] - y[k] >= l)
    }

    /// Whether every strategy of `k`'s player but one is in `T` or `U`.
    fn closes(&self, k: usize) -> bool {
        let j = self.player_of[k];
        let range = self.offsets[j]..self.offsets[j + 1];
        let held = range
            .clone()
            .filter(|&s| self.in_t[s] || self.on_face[s])
            .count();
        held + 1 == range.len()
    }

    /// What the label just given to the fresh vertex asks.
    fn move_for(&self, label: usize) -> Option<Move> {
        let t = self.order.len();
        if self.in_t[label] {
            let other = (0..self.labels.len())
                .find(|&i| i != self.fresh && self.labels[i] == label)
                .expect("a label of T is on the simplex");
            return Some(Move::Replace(other));
        }
        if !self.on_face[label] {
            return (!self.closes(label)).then_some(Move::Grow(label, t));
        }
        let mut k = self.next(label);
        while self.on_face[k] {
            k = self.next(k);
        }
        let place = if self.in_t[k] {
            self.order
                .iter()
                .position(|&s| s == k)
                .expect("a strategy of T is in π")
        } else {
            t
        };
        Some(Move::Grow(label, place))
    }

    /// `T` gains `label`, its step at place `r` of `π`; returns the new vertex.
    fn grow(&mut self, label: usize, r: usize) -> Vec<i64> {
        let mut y = self.vertex(r);
        self.order.insert(r, label);
        self.labels.insert(r + 1, UNLABELLED);
        self.fresh = r + 1;
        self.step(&mut y, label, 1);
        self.in_t[label] = true;
        self.on_face[label] = false;
        y
    }

    /// The first vertex leaves: the simplex moves by `q(π_1)`.
    fn shift_forward(&mut self) {
        self.labels.rotate_left(1);
        self.fresh = self.order.len();
        self.shift_span(self.order[0], 1);
        self.order.rotate_left(1);
    }

    /// The last vertex leaves: the simplex moves back by `q(π_t)`.
    fn shift_back(&mut self) {
        let t = self.order.len();
        self.labels.rotate_right(1);
        self.fresh = 0;
        self.shift_span(self.order[t - 1], -1);
        self.order.rotate_right(1);
    }

    /// Vertex `r` leaves; returns the new vertex, or `None` when the path has ended (the
    /// strategy that would go negative completes its player's labels).
    fn replace(&mut self, mut r: usize) -> Option<Vec<i64>> {
        loop {
            let t = self.order.len();
            if t == 0 {
                // Only the start simplex {v} has T = ∅, and the path never returns to it.
                return None;
            }
            let s = self.order[r.min(t - 1)];
            let falling = if r < t { self.below(s) } else { s };
            let other = if r == 0 {
                t
            } else if r == t {
                0
            } else {
                r - 1
            };
            let mut y = self.vertex(other);
            if r == 0 && self.blocked(&y, falling) {
                // The facet lies on the face x_falling = 0: the path turns along it.
                if self.closes(s) {
                    return None;
                }
                self.shift_forward();
                self.on_face[falling] = true;
                self.step(&mut y, self.order[t - 1], 1);
                return Some(y);
            }
            if r > 0 && r < t && self.blocked(&y, falling) {
                r = self.drop_step(r);
                continue;
            }
            if r == t && self.a[self.span_start(s)] == 0 {
                if self.blocked(&y, s) {
                    r = self.drop_step(r);
                    continue;
                }
                match self.room_in_span(s) {
                    None => {
                        r = self.drop_step(r);
                        continue;
                    }
                    Some(k) => {
                        self.release(k, &mut y);
                        return Some(y);
                    }
                }
            }
            if r == 0 {
                self.step(&mut y, self.order[0], 1);
                self.shift_forward();
            } else if r < t {
                self.step(&mut y, self.order[r], 1);
                self.order.swap(r - 1, r);
                self.fresh = r;
            } else {
                self.step(&mut y, self.order[t - 1], -1);
                self.shift_back();
            }
            return Some(y);
        }
    }

    /// The step `π_{r−1}` (before the leaving vertex `r ≥ 1`) leaves `T`, joining `U` when the
    /// first vertex has none of it; vertex `r` goes. Returns the place of the vertex labelled
    /// with the dropped strategy, which leaves next.
    fn drop_step(&mut self, r: usize) -> usize {
        let first = self.vertex(0);
        let s = self.order[r - 1];
        self.in_t[s] = false;
        if self.blocked(&first, s) {
            self.on_face[s] = true;
        }
        self.labels.remove(r);
        self.order.remove(r - 1);
        self.labels
            .iter()
            .position(|&l| l == s)
            .expect("the dropped label is on the facet")
    }

    /// At the edge `a = 0` of the last step `s`'s region: the strategy of `U` just before the
    /// first one in `s`'s span with `a ≠ 0`, or `None` when `a = 0` on all the span (or that
    /// strategy would be `s` itself).
    fn room_in_span(&self, s: usize) -> Option<usize> {
        let mut k = self.span_start(s);
        loop {
            if self.a[k] != 0 {
                let before = self.previous(k);
                return (before != s).then_some(before);
            }
            if k == s {
                return None;
            }
            k = self.next(k);
        }
    }

    /// Strategy `k` leaves `U`; the simplex shifts back by the last step, now `e(s) − e(k)`,
    /// and that step moves to the front of `π`. `y` is the first vertex and becomes the new one.
    fn release(&mut self, k: usize, y: &mut [i64]) {
        let t = self.order.len();
        let s = self.order[t - 1];
        self.labels.rotate_right(1);
        self.fresh = 0;
        self.order.rotate_right(1);
        self.on_face[k] = false;
        self.step(y, s, -1);
        self.shift_span(s, -1);
    }
}

/// Follow the path from the grid point `start / m` until it ends.
pub fn run(labeller: &Labeller, start: &[i64], m: i64, limits: &RunLimits) -> Run {
    let offsets = labeller.offsets();
    let players = offsets.len() - 1;
    let total = offsets[players];
    let mut player_of = vec![0; total];
    for j in 0..players {
        player_of[offsets[j]..offsets[j + 1]].fill(j);
    }
    let mut path = Path {
        start,
        player_of,
        offsets,
        in_t: vec![false; total],
        on_face: start.iter().map(|&c| c == 0).collect(),
        a: vec![0; total],
        order: Vec::new(),
        labels: vec![UNLABELLED],
        fresh: 0,
        leash: limits
            .leash
            .filter(|&l| l > 0)
            .map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
    };
    let mut y = start.to_vec();
    let mut best: Option<(Vec<i64>, IBig)> = None;
    let mut steps = 0usize;
    let end = loop {
        if steps >= limits.max_steps {
            break RunEnd::StepLimit;
        }
        if limits.deadline.passed() {
            break RunEnd::Deadline;
        }
        steps += 1;
        let labelled = labeller.label(&y, m);
        if best.as_ref().is_none_or(|(_, g)| labelled.gain < *g) {
            best = Some((y.clone(), labelled.gain));
        }
        path.labels[path.fresh] = labelled.label;
        let next = match path.move_for(labelled.label) {
            None => break RunEnd::Complete,
            Some(Move::Grow(label, r)) => Some(path.grow(label, r)),
            Some(Move::Replace(r)) => path.replace(r),
        };
        match next {
            Some(vertex) => y = vertex,
            None => break RunEnd::Complete,
        }
    };
    let (best, best_gain) = best.unwrap_or_else(|| (start.to_vec(), labeller.label(start, m).gain));
    Run {
        best,
        best_gain,
        end,
        steps,
    }
}
