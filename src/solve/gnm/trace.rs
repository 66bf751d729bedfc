//! Following the global Newton path from cell to cell, and collecting the points where it
//! crosses λ = 0.
//!
//! Within a cell the path is a smooth curve ([`super::cell`]); it is followed by a
//! predictor–corrector method (Allgower & Georg, *Numerical Continuation Methods*, 1990,
//! ch. 2–3): the unit tangent `t` spans the kernel of the Jacobian, oriented to agree with the
//! last one (this is what Govindan & Wilson's sign rule `λ̇ = −det`, `ż = −adj(DF)·g` does:
//! through turning points of λ the orientation of the curve, not the sign of dλ, is kept), the
//! predictor moves `h` along it, and Newton's method corrects back with steps orthogonal to `t`.
//!
//! Events are the boundaries of the cell, λ = 0 (an equilibrium of the game), and
//! λ = `end_lambda`. No step goes beyond the nearest event as predicted by the linearisation
//! (GameTracer's rule); where no player's payoffs depend on two mixing players (two players, or
//! at most one mixing) the cell's curve is a line, that prediction is exact and the cell takes
//! one step. When a step passes an
//! event, the event's point is found by Newton's method on the cell's equations plus the
//! event's (`distance = 0`, or `λ = 0`). A step is refused, and shortened, when the corrector
//! does not converge within `local_newton_maxits` iterations, its first correction is long,
//! the tangent turns sharply, or the curve's orientation at the corrected point is the other
//! one. The orientation is the sign of `det [J; tᵀ]` (J the cell's Jacobian, t the tangent in
//! the direction of travel); it cannot change along a curve on which J keeps full rank, and
//! the path's orientation is the one Govindan & Wilson's sign rule gives it in every cell
//! (their `(ż, λ̇)` is the cofactor vector of the Jacobian of `Φ(z) − λ·g`, so the bordered
//! determinant with it is positive, and a cell's equations are those of `Φ(z) = λ·g` in
//! coordinates and combinations that change no sign within the cell), so it is the same on
//! every stretch of the path through one cell. A corrector that converges onto another
//! stretch of the cell's curves that the path runs the other way (e.g. where, after a turn
//! of λ, the path passes near where it went before) lands where the orientation is reversed,
//! and taking that point would send the tracer back along the path it came by (on a
//! 2×2×2×2 game: back to λ = +∞, after crossing two of three equilibria). The sign comes with
//! the corrector's factorisations of `[J; t₀ᵀ]` (t₀ the last tangent, whose product with the
//! new one is positive, so the sign is the same): the converged one gives the new point's, and
//! a cell's first step, with no sign known yet, compares it with its predicted point's (its
//! first factorisation), so the check costs no factorisation of its own. After an accepted
//! step the next one's length comes from what the step showed of the curve's curvature
//! ([`next_step`]: the predictor's miss and the tangent's turn); one the corrector accepts at
//! once (a straight stretch of the curve) makes the next aim at the nearest event.
//!
//! Each corrector iteration evaluates the cell's equations and factorises their Jacobian
//! bordered by the last tangent; the factorisation of the converged iteration also gives the
//! new tangent, so an accepted step costs its corrector iterations and nothing more. Once the
//! corrections shrink quadratically and the last is small, the next one would be negligible
//! ([`next_correction`]): that last correction is made without evaluating and factorising at
//! its end, the evaluation is moved there to first order ([`Cell::shift`]) and the tangent is
//! the last factorisation's (off by the length of that small correction). Event points are
//! located likewise: Newton's method stops after the step after which the next would be
//! below rounding. An
//! evaluation no longer needed (a rejected step's, a corrector iteration's, the point left
//! behind) gives its buffers to the next one ([`Path::evaluate`]), so that stepping allocates
//! no matrix for them.
//!
//! Crossing a boundary changes the cell: the strategy moves into or out of the support and the
//! path continues on the new cell's curve, in the direction that moves away from the boundary
//! (for a strategy that left, its slack grows; for one that entered, its probability grows).
//! Where a boundary is met exactly at λ = 0 and no cell across it continues the path (a
//! degenerate game), the point is still an equilibrium of the game: it is kept as a crossing
//! (certified before it is reported) and tracing stops there, incomplete. Likewise where the
//! cell's curve is a line and no event lies ahead on it: the path would run to λ = +∞ (in a
//! degenerate game it can turn back that way; in a generic game only a tracer that left its
//! curve for another component can), so tracing stops with an error at once instead of
//! stepping until `MAX_PATH_STEPS`.
//! On a generic ray the path is a curve, so it never enters a cell twice at the same point; in
//! a degenerate game, where the continuation across a tie is not unique, it can: the path would
//! then cycle, so tracing stops there (the answer is marked incomplete).

use super::bordered::Bordered;
use super::cell::{Boundary, Cell, Evaluation};
use super::payoffs::Payoffs;
use crate::error::{Error, Result};
use crate::limits;
use crate::num::tol;
use crate::solve::deadline::Deadline;
use crate::solve::linalg::col_piv_qr::ColPivQr;
use nalgebra::{DMatrix, DVector};
use std::cell::RefCell;

/// Largest accepted first corrector step, as a fraction of the step and absolutely (as in the
/// logit tracer, `solve::logit::path`).
const MAX_DISTANCE_RATIO: f64 = 0.3;
const MAX_DISTANCE: f64 = 0.1;
/// Largest accepted angle between successive tangents, radians. (0.15, with a
/// [`TARGET_ANGLE`] of 0.1, took about 1.4 times as many steps on 2×2×2×2×2 and the random
/// peer games, where the turn of the tangent is what limits the step, for the same crossings;
/// the orientation check and the events behind a step catch a corrector that jumps.)
const MAX_ANGLE: f64 = 0.3;
/// Longest step, and the first one in a cell with no event ahead.
const MAX_STEP: f64 = 1.0;
/// Longest step on a straight stretch of the path (the corrector found the predicted point on
/// the curve), and the first one in a cell whose curve is a line.
const MAX_STRAIGHT_STEP: f64 = 100.0;
/// The predictor error the step length aims at ([`next_step`]).
const TARGET_CORRECTION: f64 = 1e-2;
/// The turn of the tangent the step length aims at ([`next_step`]), below [`MAX_ANGLE`].
const TARGET_ANGLE: f64 = 0.2;
/// Most an accepted step's successor may grow.
const MAX_GROWTH: f64 = 4.0;
/// A step aimed at an event goes this fraction (plus [`tol::GNM_NEWTON`]) beyond the predicted
/// distance, so that it passes the event rather than stopping just short of it.
const OVERSHOOT: f64 = 1e-6;
/// Largest last corrector step (relative to `1 + |y|`) that is made without evaluating and
/// factorising again at its end ([`next_correction`]): the evaluation there is the one before
/// it moved to first order ([`Cell::shift`]), whose error, products of two of the step's
/// entries, stays far below [`EVENT_SLACK`].
const SHIFT: f64 = 1e-8;
/// Corrections that shrink at least this much from one to the next are taken to be in Newton's
/// quadratic regime ([`next_correction`]).
const QUADRATIC: f64 = 0.1;
/// Newton iterations allowed when locating an event's point.
const MAX_LOCATE: usize = 30;
/// An event counts as passed once its distance is below minus this (distances that rounding
/// moves around 0, e.g. a slack that stays 0 along a degenerate cell, are not crossings); a
/// located event likewise gives way to another only if that one is below minus this at its point.
const EVENT_SLACK: f64 = 1e-12;
/// Boundaries within this distance of the point where the path meets one are met there too
/// (degenerate games: e.g. both players' second strategies of a symmetric game become best
/// replies at once); the path continues in the cell across some of them ([`Path::cross`]). One
/// that the new cell's path approaches so slowly that it lies more than this far along the
/// path is not met there (near a tie a perturbation of ε broke, rates are of order ε).
const TIE: f64 = 1e-9;
/// A cell whose Jacobian is this close to losing rank (relative to its largest entry, measured
/// by a column-pivoted QR factorisation, see [`kernel`]) has no unique direction (a degenerate
/// support): the path does not continue into it.
const RANK: f64 = 1e-10;
/// Most boundaries met at one point that are tried in every combination.
const MAX_TIES: usize = 8;
/// Most consecutive support changes without moving (a degenerate point) before giving up.
const MAX_STILL_CHANGES: usize = 64;

/// Something the path can reach.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Boundary(Boundary),
    /// λ = 0: an equilibrium of the game.
    Equilibrium,
    /// λ = `end_lambda`.
    End,
}

/// How the trace of one path went.
pub struct Trace {
    /// Each crossing of λ = 0, as a mixed profile, in the order met.
    pub crossings: Vec<Vec<Vec<f64>>>,
    /// Why tracing stopped early (deadline, a stalled step), or `None` if it reached `end_lambda`.
    pub stopped: Option<String>,
}

/// What the path follower needs to know.
pub struct Path<'a> {
    /// The game's payoffs (in the units of the module docs).
    pub payoffs: Payoffs<'a>,
    /// The perturbation, scaled so that the path starts at λ = 1.
    pub g: Vec<Vec<f64>>,
    pub end_lambda: f64,
    /// Steps over which the first step in a cell spreads the distance to its nearest event.
    pub steps: usize,
    pub newton_iterations: usize,
    /// Stop at the first crossing of λ = 0 (Lemke's algorithm, for `ipa`'s polymatrix games).
    pub first_only: bool,
    /// The buffers of the bordered systems, kept from one Newton iteration to the next.
    pub system: RefCell<Bordered>,
    /// Evaluations no longer needed, whose buffers the next ones reuse ([`Path::evaluate`]).
    pub spare: RefCell<Vec<Evaluation>>,
    /// The buffers of the QR factorisations at changes of support ([`kernel`]).
    pub qr: RefCell<ColPivQr>,
    /// The boundaries' rates along the tangent ([`Path::predicted_distance`]), kept from one
    /// step to the next.
    pub rates: RefCell<Vec<f64>>,
}

struct Position {
    cell: Cell,
    x: DVector<f64>,
    t: DVector<f64>,
    /// Sign of λ on the current stretch of the path (+1 until the first equilibrium).
    side: f64,
    /// The sign of `det [J; tᵀ]` (J the cell's Jacobian at x): the same all along the path in
    /// one cell (module docs). `None` where the path has just entered a cell: the first step
    /// there takes the sign at its predicted point instead (a step of 1/`steps` of the distance
    /// to the cell's nearest event, or a line's, where the sign is the same).
    orientation: Option<i8>,
}

/// A corrected step: the point, the cell's equations there, the unit tangent there (oriented
/// as the last one) and the number of corrections made that were not negligible.
struct Stepped {
    x: DVector<f64>,
    at: Evaluation,
    t: DVector<f64>,
    /// The sign of `det [J; tᵀ]` at x.
    orientation: i8,
    /// The sign of `det [J; t₀ᵀ]` at the predicted point (t₀ the last tangent).
    predicted_orientation: i8,
    corrections: usize,
    /// The length of the first correction: the predictor's error.
    first_correction: f64,
}

impl Path<'_> {
    /// Follow the path from `start` (a point of `cell` at λ = 1, with the tangent pointing to
    /// smaller λ) until λ passes `end_lambda`.
    pub fn follow(&self, cell: Cell, start: DVector<f64>, deadline: &Deadline) -> Trace {
        let mut crossings = Vec::new();
        let stopped = match self.run(cell, start, deadline, &mut crossings) {
            Ok(()) => None,
            Err(why) => Some(why.to_string()),
        };
        Trace { crossings, stopped }
    }

    fn run(
        &self,
        cell: Cell,
        start: DVector<f64>,
        deadline: &Deadline,
        crossings: &mut Vec<Vec<Vec<f64>>>,
    ) -> Result<()> {
        let mut seed = DVector::zeros(start.len());
        seed[cell.lambda_index()] = -1.0;
        // `at`: the cell's equations evaluated at `here.x`, kept up to date as `here` moves
        let mut at = self.evaluate(&cell, &start);
        let (t, orientation) = tangent(&mut self.system.borrow_mut(), &at.jacobian, &seed)
            .ok_or_else(|| stall(&start, &cell, "singular start"))?;
        let mut here = Position {
            cell,
            x: start,
            t,
            side: 1.0,
            orientation: Some(orientation),
        };
        let mut fresh: Vec<Boundary> = Vec::new();
        let mut still = 0;
        let mut h = self.first_step(&here, &at);
        let mut entered: Vec<(Vec<Vec<usize>>, DVector<f64>)> = Vec::new();
        for _ in 0..limits::MAX_PATH_STEPS {
            if deadline.passed() {
                return Err(Error::Solver("the time budget ran out".into()));
            }
            let ahead = self.predicted_distance(&here, &at, &fresh);
            if !ahead.is_finite() && here.cell.is_line(self.payoffs.game()) {
                // on a line every distance changes linearly, so none will ever be met: λ grows
                // without end (in a degenerate game the path can turn back to λ = +∞; in a
                // generic one, a tracer that jumped to another component)
                return Err(stall(
                    &here.x,
                    &here.cell,
                    "no event lies ahead on this cell's line, so the path never ends (it heads \
                     back to λ = +∞: the game is degenerate, or the tracer left the path)",
                ));
            }
            let try_h = h.min(ahead * (1.0 + OVERSHOOT) + tol::GNM_NEWTON);
            // a corrected point where the curve's orientation is the other one lies on another
            // stretch of the cell's curves, which the path runs the other way: the corrector
            // jumped there, the step was too long
            let stepped = self.step(&here, try_h).and_then(|s| {
                if here.orientation.unwrap_or(s.predicted_orientation) == s.orientation {
                    Some(s)
                } else {
                    self.recycle(s.at);
                    None
                }
            });
            let Some(Stepped {
                x: next,
                at: next_at,
                t,
                orientation,
                corrections,
                first_correction,
                ..
            }) = stepped
            else {
                h = try_h / 2.0;
                if h < tol::GNM_MIN_STEP {
                    return Err(stall(&here.x, &here.cell, "no step length was accepted"));
                }
                continue;
            };
            let passed = self.events_passed(&here, &at, &next, &next_at, &fresh);
            if passed.is_empty() {
                let angle = here.t.dot(&t).clamp(-1.0, 1.0).acos();
                if angle > MAX_ANGLE {
                    self.recycle(next_at);
                    h = try_h * (TARGET_ANGLE / angle).min(0.5);
                    continue;
                }
                {
                    // the allocations of the point and tangent left, for the next ones
                    let mut system = self.system.borrow_mut();
                    system.keep_vector(std::mem::replace(&mut here.x, next));
                    system.keep_vector(std::mem::replace(&mut here.t, t));
                }
                here.orientation = Some(orientation);
                self.recycle(std::mem::replace(&mut at, next_at));
                fresh.clear();
                still = 0;
                h = match corrections {
                    // the prediction was on the curve: a straight stretch, aim at the next event
                    0 => MAX_STRAIGHT_STEP,
                    _ => next_step(try_h, first_correction, angle),
                };
                continue;
            }
            self.recycle(next_at);
            let (event, point, point_at) = self.first_event(&here, &next, passed)?;
            if event != Event::End
                && (&point - &here.x).dot(&here.t) < -TIE
                && self.signed_distance(&here.cell, event, &here.x, here.side) > 0.0
            {
                // the event lies behind the point the step started from: the corrector
                // converged onto another stretch of the curve (e.g. back across the boundary
                // the path just came through), so the step was too long. Not so if the start
                // had reached the event already (its distance in [−EVENT_SLACK, 0]): its point
                // is then behind by that distance over the distance's rate along the path,
                // more than TIE where the rate is slow.
                self.recycle_any(point_at);
                h = try_h / 2.0;
                continue;
            }
            match event {
                Event::End => return Ok(()),
                Event::Equilibrium => {
                    // the tangent from the equations evaluated afresh at the point
                    self.recycle_any(point_at);
                    crossings.push(here.cell.profile(self.payoffs.game(), &point));
                    if self.first_only {
                        return Ok(());
                    }
                    here.side = -here.side;
                    self.recycle(std::mem::replace(
                        &mut at,
                        self.evaluate(&here.cell, &point),
                    ));
                    let orientation;
                    (here.t, orientation) =
                        tangent(&mut self.system.borrow_mut(), &at.jacobian, &here.t).ok_or_else(
                            || stall(&point, &here.cell, "singular at an equilibrium"),
                        )?;
                    here.orientation = Some(orientation);
                    here.x = point;
                }
                Event::Boundary(boundary) => {
                    still = if amax_difference(&point, &here.x) <= TIE {
                        still + 1
                    } else {
                        0
                    };
                    if still > MAX_STILL_CHANGES {
                        return Err(stall(&point, &here.cell, "the supports cycle at one point"));
                    }
                    // met where λ is 0 too (a degenerate game): the point is an equilibrium of
                    // the game even if the path cannot go on from it (certified before it is
                    // reported, as every crossing)
                    let at_zero = point[here.cell.lambda_index()].abs() <= TIE;
                    let profile = at_zero.then(|| here.cell.profile(self.payoffs.game(), &point));
                    let (crossed, next_at);
                    let point_at = point_at.expect("a located boundary has its evaluation");
                    (here, crossed, next_at) = match self.cross(here, &point, point_at, boundary) {
                        Ok(next) => next,
                        Err(stalled) => {
                            crossings.extend(profile);
                            return Err(stalled);
                        }
                    };
                    self.recycle(std::mem::replace(&mut at, next_at));
                    if entered.iter().any(|(support, x)| {
                        support == here.cell.support() && amax_difference(x, &here.x) <= TIE
                    }) {
                        return Err(stall(
                            &here.x,
                            &here.cell,
                            "the path entered this cell here before, so it would cycle (a \
                             degenerate game, where the continuation at a tie is not unique)",
                        ));
                    }
                    entered.push((here.cell.support().to_vec(), here.x.clone()));
                    fresh = crossed.into_iter().map(Boundary::reverse).collect();
                    h = self.first_step(&here, &at);
                }
            }
        }
        Err(Error::limit(
            "MAX_PATH_STEPS",
            format!(
                "gnm: the path needed more than {} steps (limit MAX_PATH_STEPS)",
                limits::MAX_PATH_STEPS
            ),
        ))
    }

    /// The equilibrium of the game with supports `support` nearest `profile`, by Newton's method
    /// on the cell's equations at λ = 0 (to polish an approximate equilibrium); `None` if it
    /// does not converge. `profile` plays no strategy outside `support`.
    pub fn polish(&self, support: Vec<Vec<usize>>, profile: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
        // The profile is 0 off the supports, so the payoffs against the others' supports are
        // those against the whole profile (the skipped terms add exactly 0), at a fraction of
        // the cost of a pass over the whole game; and the pass plans the supports that the
        // cell's evaluations in `locate` use next.
        let values = self.payoffs.at(&support, |j, l| profile[j][support[j][l]]);
        let cell = Cell::new(support);
        let v: Vec<f64> = (0..profile.len())
            .map(|i| {
                (0..profile[i].len())
                    .map(|s| profile[i][s] * values.own(&self.payoffs, i, s))
                    .sum()
            })
            .collect();
        let x = cell.point(profile, &v, 0.0);
        let (point, at) = self.locate(&cell, Event::Equilibrium, x, 1.0).ok()?;
        self.recycle(at);
        Some(cell.profile(self.payoffs.game(), &point))
    }

    /// The cell's equations at `x`, in the buffers of an evaluation [`Path::recycle`]d, if any.
    fn evaluate(&self, cell: &Cell, x: &DVector<f64>) -> Evaluation {
        let mut at = self
            .spare
            .borrow_mut()
            .pop()
            .unwrap_or_else(Evaluation::empty);
        cell.evaluate_into(&self.payoffs, &self.g, x, &mut at);
        at
    }

    /// Keep the buffers of `at`, no longer needed, for the next [`Path::evaluate`].
    fn recycle(&self, at: Evaluation) {
        self.spare.borrow_mut().push(at);
    }

    /// [`Path::recycle`] an evaluation, if there is one.
    fn recycle_any(&self, at: Option<Evaluation>) {
        if let Some(at) = at {
            self.recycle(at);
        }
    }

    /// The first step in a cell: `1/steps` of the predicted distance to the nearest event, or
    /// where the cell's curve is a line all of it (at most [`MAX_STEP`]). The curve is a line
    /// when no player's payoffs depend on two mixing players (two players, or at most one
    /// mixing): every `W_is` is then linear in the unknowns, and so are the equations.
    fn first_step(&self, here: &Position, at: &Evaluation) -> f64 {
        let ahead = self.predicted_distance(here, at, &[]);
        if !ahead.is_finite() {
            MAX_STEP
        } else if here.cell.is_line(self.payoffs.game()) {
            ahead.min(MAX_STEP)
        } else {
            (ahead / self.steps as f64).min(MAX_STEP)
        }
    }

    /// Arclength along the tangent to the nearest event, if every distance changed linearly.
    fn predicted_distance(&self, here: &Position, at: &Evaluation, fresh: &[Boundary]) -> f64 {
        let cell = &here.cell;
        let mut nearest = f64::INFINITY;
        let mut consider = |value: f64, rate: f64| {
            if rate < 0.0 && value >= -EVENT_SLACK {
                nearest = nearest.min((value + EVENT_SLACK) / -rate);
            }
        };
        let mut rates = self.rates.borrow_mut();
        cell.distance_rates(&self.payoffs, at, &self.g, &here.t, &mut rates);
        let mut rates = rates.iter();
        cell.for_each_boundary(self.payoffs.game(), |b| {
            let rate = *rates.next().expect("a rate for every boundary");
            if rate < 0.0 && !fresh.contains(&b) {
                consider(cell.distance(&self.payoffs, b, &here.x, at, &self.g), rate);
            }
        });
        let (lambda, rate) = (here.x[cell.lambda_index()], here.t[cell.lambda_index()]);
        consider(lambda * here.side, rate * here.side);
        consider(lambda - self.end_lambda, rate);
        nearest
    }

    /// One predictor–corrector step of length `h`, or `None` to retry shorter. The corrector is
    /// Newton's method with steps orthogonal to the last tangent; it has converged at the point
    /// whose correction would be negligible, and the factorisation that shows it also gives the
    /// tangent there (so an accepted step evaluates and factorises once per iteration, nothing
    /// more).
    fn step(&self, here: &Position, h: f64) -> Option<Stepped> {
        let mut system = self.system.borrow_mut();
        let mut delta = system.take_buffer(here.x.len());
        let stepped = self.step_in(here, h, &mut system, &mut delta);
        system.keep_buffer(delta);
        stepped
    }

    /// [`Path::step`] with the bordered systems' buffers and one for the corrections.
    fn step_in(
        &self,
        here: &Position,
        h: f64,
        system: &mut Bordered,
        delta: &mut [f64],
    ) -> Option<Stepped> {
        // x + t·h, entry by entry
        let mut y = system.vector(here.x.len());
        for ((y, x), t) in y
            .as_mut_slice()
            .iter_mut()
            .zip(here.x.as_slice())
            .zip(here.t.as_slice())
        {
            *y = x + t * h;
        }
        let max_distance = (MAX_DISTANCE_RATIO * h).min(MAX_DISTANCE);
        let mut first_correction = 0.0;
        let mut predicted_orientation = 0;
        let mut previous = None;
        for iteration in 0..self.newton_iterations.max(1) {
            let mut at = self.evaluate(&here.cell, &y);
            if !system.factor(&at.jacobian, &here.t) {
                self.recycle(at);
                return None;
            }
            system.solve(at.value.as_slice(), 0.0, delta);
            let norm = amax(delta);
            let scale = 1.0 + amax_entries(&y);
            // A residual at rounding level cannot shrink further (as in `locate`): where the
            // bordered system is nearly singular (a nearly degenerate game, near a tie its
            // perturbation broke) Newton's step is then that rounding over the small singular
            // value, swinging back and forth above GNM_NEWTON, and `y` is already a point of
            // the curve as nearly as it can be computed.
            let settled = amax_entries(&at.value) <= tol::GNM_RESIDUAL * scale;
            let converged = settled || norm <= tol::GNM_NEWTON * scale;
            // the last correction, small, leaves a point where the next would be negligible:
            // it is made, and the evaluation moved with it to first order
            let last = !converged
                && norm <= SHIFT * scale
                && next_correction(previous, norm) <= tol::GNM_NEWTON * scale;
            // a first correction the corrector accepts as converged is no sign of a long step
            // (on steps shorter than GNM_NEWTON / MAX_DISTANCE_RATIO, e.g. up to an event a
            // rounding unit ahead, it is above max_distance)
            if !norm.is_finite() || (iteration == 0 && norm > max_distance && !converged) {
                self.recycle(at);
                return None;
            }
            if iteration == 0 {
                first_correction = norm;
                predicted_orientation = system.orientation();
            }
            if converged || last {
                let Some(t) = system.kernel_along() else {
                    self.recycle(at);
                    return None;
                };
                if last {
                    for (x, d) in y.iter_mut().zip(delta.iter()) {
                        *x -= d;
                    }
                    here.cell.shift(&self.payoffs, &mut at, delta);
                }
                return Some(Stepped {
                    orientation: system.orientation(),
                    predicted_orientation,
                    t,
                    x: y,
                    at,
                    corrections: iteration + usize::from(last),
                    first_correction,
                });
            }
            self.recycle(at);
            for (x, d) in y.iter_mut().zip(delta.iter()) {
                *x -= d;
            }
            previous = Some(norm);
        }
        None
    }

    /// The events whose distance is negative at `next`, each with its distance at `here` (where
    /// the equations evaluate to `at`) and at `next`.
    fn events_passed(
        &self,
        here: &Position,
        at: &Evaluation,
        next: &DVector<f64>,
        next_at: &Evaluation,
        fresh: &[Boundary],
    ) -> Vec<(Event, f64, f64)> {
        let cell = &here.cell;
        let mut passed = Vec::new();
        cell.for_each_boundary(self.payoffs.game(), |b| {
            let after = cell.distance(&self.payoffs, b, next, next_at, &self.g);
            if after < -EVENT_SLACK && !fresh.contains(&b) {
                passed.push((
                    Event::Boundary(b),
                    cell.distance(&self.payoffs, b, &here.x, at, &self.g),
                    after,
                ));
            }
        });
        let l = cell.lambda_index();
        if next[l] * here.side < -EVENT_SLACK {
            passed.push((
                Event::Equilibrium,
                here.x[l] * here.side,
                next[l] * here.side,
            ));
        }
        if next[l] < self.end_lambda {
            passed.push((
                Event::End,
                here.x[l] - self.end_lambda,
                next[l] - self.end_lambda,
            ));
        }
        passed
    }

    /// Of the events passed between `here` and `next`, the one the path meets first, its
    /// point on the path and (but for the end) the equations there ([`Path::locate`]).
    /// Candidates are tried in the order of their linearly interpolated position; a located
    /// point beyond which another event already lies gives way to that one.
    fn first_event(
        &self,
        here: &Position,
        next: &DVector<f64>,
        mut passed: Vec<(Event, f64, f64)>,
    ) -> Result<(Event, DVector<f64>, Option<Evaluation>)> {
        let fraction = |before: f64, after: f64| (before / (before - after)).clamp(0.0, 1.0);
        passed.sort_by(|a, b| fraction(a.1, a.2).total_cmp(&fraction(b.1, b.2)));
        let (event, before, after) = passed[0];
        if event == Event::End {
            return Ok((event, next.clone(), None));
        }
        let start = &here.x + (next - &here.x) * fraction(before, after);
        let (point, at) = self.locate(&here.cell, event, start, here.side)?;
        let earlier = passed[1..].iter().find(|(e, _, _)| {
            *e != Event::End
                && self.signed_distance(&here.cell, *e, &point, here.side) < -EVENT_SLACK
        });
        match earlier {
            Some(&(e, before, after)) => {
                self.recycle(at);
                let start = &here.x + (next - &here.x) * fraction(before, after);
                let (point, at) = self.locate(&here.cell, e, start, here.side)?;
                Ok((e, point, Some(at)))
            }
            None => Ok((event, point, Some(at))),
        }
    }

    fn signed_distance(&self, cell: &Cell, event: Event, x: &DVector<f64>, side: f64) -> f64 {
        match event {
            Event::Boundary(b) => {
                let at = self.evaluate(cell, x);
                let distance = cell.distance(&self.payoffs, b, x, &at, &self.g);
                self.recycle(at);
                distance
            }
            Event::Equilibrium => x[cell.lambda_index()] * side,
            Event::End => x[cell.lambda_index()] - self.end_lambda,
        }
    }

    /// The point of the cell's curve where `event`'s distance is 0, by Newton's method on the
    /// square system (the cell's equations and the event's), and the equations there: the last
    /// iteration's evaluation, moved to first order by the last step ([`Cell::shift`]; the
    /// point may also have been set exactly onto the boundary, a change at rounding level).
    fn locate(
        &self,
        cell: &Cell,
        event: Event,
        x: DVector<f64>,
        side: f64,
    ) -> Result<(DVector<f64>, Evaluation)> {
        let mut system = self.system.borrow_mut();
        let mut delta = system.take_buffer(x.len());
        let mut gradient = system.vector(x.len());
        let located = self.locate_in(cell, event, x, side, &mut system, &mut delta, &mut gradient);
        system.keep_vector(gradient);
        system.keep_buffer(delta);
        located
    }

    /// [`Path::locate`] with the bordered systems' buffers, one for the corrections and one
    /// for the event's gradient.
    #[allow(clippy::too_many_arguments)]
    fn locate_in(
        &self,
        cell: &Cell,
        event: Event,
        mut x: DVector<f64>,
        side: f64,
        system: &mut Bordered,
        delta: &mut [f64],
        gradient: &mut DVector<f64>,
    ) -> Result<(DVector<f64>, Evaluation)> {
        let mut previous = None;
        for _ in 0..MAX_LOCATE {
            let mut at = self.evaluate(cell, &x);
            let distance = match event {
                Event::Boundary(b) => {
                    cell.distance_gradient_into(&self.payoffs, b, &at, &self.g, gradient);
                    cell.distance(&self.payoffs, b, &x, &at, &self.g)
                }
                _ => {
                    gradient.fill(0.0);
                    gradient[cell.lambda_index()] = side;
                    x[cell.lambda_index()] * side
                }
            };
            let gradient = &*gradient;
            if !system.factor(&at.jacobian, gradient) {
                self.recycle(at);
                return Err(stall(&x, cell, "singular system at an event"));
            }
            system.solve(at.value.as_slice(), distance, delta);
            // A residual at rounding level cannot shrink further: where the event's distance
            // changes slowly along the curve, a step is then that rounding divided by the slow
            // rate (far above GNM_NEWTON, and back and forth), and x is already the event's
            // point as nearly as it can be computed.
            let residual = amax_entries(&at.value).max(distance.abs());
            let settled = residual <= tol::GNM_RESIDUAL * (1.0 + amax_entries(&x));
            let step = amax(delta);
            let moved_amax = x
                .iter()
                .zip(delta.iter())
                .fold(0.0_f64, |m, (x, d)| m.max((x - d).abs()));
            let scale = 1.0 + moved_amax;
            // or the step is small and the next would be below rounding
            let converged = step <= tol::GNM_NEWTON * scale
                || (step <= SHIFT * scale
                    && next_correction(previous, step) <= f64::EPSILON * scale);
            previous = Some(step);
            let moves = converged || !settled;
            if moves {
                for (x, d) in x.iter_mut().zip(delta.iter()) {
                    *x -= d;
                }
            }
            if converged || settled {
                if moves {
                    cell.shift(&self.payoffs, &mut at, delta);
                }
                if let Event::Boundary(Boundary::Leaves { .. }) | Event::Equilibrium = event {
                    // land exactly on the boundary, so the next cell starts on it
                    let index = match event {
                        Event::Equilibrium => cell.lambda_index(),
                        _ => (0..x.len()).find(|&k| gradient[k] != 0.0).unwrap_or(0),
                    };
                    x[index] = 0.0;
                }
                return Ok((x, at));
            }
            self.recycle(at);
        }
        Err(stall(
            &x,
            cell,
            "Newton's method did not find the event's point",
        ))
    }

    /// Continue across `boundary`, met at `point`, together with any other boundaries met
    /// there too ([`TIE`]): the first combination of them (fewest first, `boundary` first) whose
    /// cell has a unique direction that moves away from every boundary crossed and into no
    /// other one met (`at`: the cell's equations at `point`, from [`Path::locate`], whose
    /// rounding-level difference from an evaluation afresh is far below [`TIE`]). Returns the
    /// new position, the boundaries crossed and the new cell's equations at the new position.
    fn cross(
        &self,
        here: Position,
        point: &DVector<f64>,
        at: Evaluation,
        boundary: Boundary,
    ) -> Result<(Position, Vec<Boundary>, Evaluation)> {
        let mut met = vec![boundary];
        met.extend(here.cell.boundaries(self.payoffs.game()).filter(|&b| {
            b != boundary
                && here
                    .cell
                    .distance(&self.payoffs, b, point, &at, &self.g)
                    .abs()
                    <= TIE
        }));
        self.recycle(at);
        met.truncate(MAX_TIES);
        // the subsets of `met` by size, each size's in the order of their masks, built one at a
        // time into one buffer
        let count = met.len();
        let mut crossed = Vec::with_capacity(count);
        for size in 1..=count as u32 {
            for mask in (1..1u32 << count).filter(|mask| mask.count_ones() == size) {
                crossed.clear();
                crossed.extend((0..count).filter(|k| mask & (1 << k) != 0).map(|k| met[k]));
                if let Some((next, at)) = self.continue_across(&here, point, &crossed, &met) {
                    return Ok((next, crossed, at));
                }
            }
        }
        Err(stall(
            point,
            &here.cell,
            "no cell across the boundaries met continues the path",
        ))
    }

    /// The position in the cell across all of `crossed` at `point` (and the new cell's equations
    /// there), if that cell's curve has a unique direction there that moves away from the
    /// boundaries crossed (their reverses grow, or some stay 0) and crosses no other boundary of
    /// `met` within [`TIE`] of path.
    fn continue_across(
        &self,
        here: &Position,
        point: &DVector<f64>,
        crossed: &[Boundary],
        met: &[Boundary],
    ) -> Option<(Position, Evaluation)> {
        let cell = here.cell.across(crossed);
        if cell.support().iter().any(Vec::is_empty) {
            return None;
        }
        let x = here.cell.carry(point, &cell);
        let at = self.evaluate(&cell, &x);
        let mut t = self.system.borrow_mut().vector(x.len());
        if !kernel(&mut self.qr.borrow_mut(), &at.jacobian, &mut t) {
            self.system.borrow_mut().keep_vector(t);
            self.recycle(at);
            return None;
        }
        let rate =
            |b: Boundary, t: &DVector<f64>| cell.distance_rate(&self.payoffs, b, &at, &self.g, t);
        let away: f64 = crossed.iter().map(|&b| rate(b.reverse(), &t)).sum();
        if away < 0.0 {
            t = -t;
        }
        // A boundary crossed may also stay met (rate 0, in degenerate games a payoff tie that
        // holds across the whole cell), as long as the path leaves one of them.
        let moves_away = away.abs() > EVENT_SLACK
            && crossed
                .iter()
                .all(|&b| rate(b.reverse(), &t) >= -EVENT_SLACK);
        // A boundary met but approached slowly (its distance over its rate more than TIE of
        // path away) is not met here: the path crosses it later, as an event of the new cell.
        let stays_in = met.iter().filter(|b| !crossed.contains(b)).all(|&b| {
            let r = rate(b, &t);
            r >= -EVENT_SLACK || cell.distance(&self.payoffs, b, &x, &at, &self.g) > -r * TIE
        });
        if !(moves_away && stays_in) {
            self.system.borrow_mut().keep_vector(t);
            self.recycle(at);
            return None;
        }
        Some((
            Position {
                cell,
                x,
                t,
                side: here.side,
                orientation: None,
            },
            at,
        ))
    }
}

/// The step after an accepted step of length `h` whose predictor missed the curve by
/// `first_correction` and whose tangent turned by `angle`: the predictor's error grows as the
/// square of the step and the turn in proportion to it (Allgower & Georg, §6.1), so the step
/// that would miss by [`TARGET_CORRECTION`] is `h·√(target / miss)` and the one that would turn
/// by [`TARGET_ANGLE`] is `h·target / angle`; the smaller is taken, growing at most
/// [`MAX_GROWTH`]-fold, shrinking at most by half, and no longer than [`MAX_STEP`].
fn next_step(h: f64, first_correction: f64, angle: f64) -> f64 {
    let ideal = (h * (TARGET_CORRECTION / first_correction).sqrt()).min(h * TARGET_ANGLE / angle);
    ideal.clamp(h / 2.0, h * MAX_GROWTH).min(MAX_STEP)
}

/// The length Newton's method's next correction is expected to have after corrections of
/// lengths `previous` (`None` before the first) and `current`: near a regular solution the
/// corrections shrink quadratically, `c_{k+1} ≈ K·c_k²` (Kantorovich's theorem; Deuflhard,
/// *Newton Methods for Nonlinear Problems*, 2004, §2.1), and with K estimated from the last two
/// (`c_k ≈ K·c_{k−1}²`) that is `current · (current / previous)²`. Infinite (no estimate)
/// before two corrections, or when they shrink less than [`QUADRATIC`]-fold (no sign yet of
/// the quadratic regime).
fn next_correction(previous: Option<f64>, current: f64) -> f64 {
    match previous {
        Some(previous) if current <= QUADRATIC * previous => current * (current / previous).powi(2),
        _ => f64::INFINITY,
    }
}

/// The largest magnitude of an entry (NaN if any entry is: then no step is accepted).
fn amax(v: &[f64]) -> f64 {
    let mut largest: f64 = 0.0;
    for x in v {
        if x.is_nan() {
            return f64::NAN;
        }
        largest = largest.max(x.abs());
    }
    largest
}

/// The largest magnitude of an entry of `a − b`, as nalgebra's `(a − b).amax()` computes it,
/// without allocating the difference.
fn amax_difference(a: &DVector<f64>, b: &DVector<f64>) -> f64 {
    largest(a.iter().zip(b).map(|(a, b)| (a - b).abs()))
}

/// The largest magnitude of an entry of `v`, as nalgebra's `v.amax()` computes it, over the
/// slice (without nalgebra's index arithmetic per entry).
fn amax_entries(v: &DVector<f64>) -> f64 {
    largest(v.as_slice().iter().map(|x| x.abs()))
}

/// The largest of `magnitudes` as nalgebra's `amax` finds it: from the first on (0 for none),
/// by `f64::max`.
fn largest(mut magnitudes: impl Iterator<Item = f64>) -> f64 {
    let first = magnitudes.next().unwrap_or(0.0);
    magnitudes.fold(first, f64::max)
}

/// The unit tangent at a point of a cell's curve (Jacobian `jacobian` there) along `previous`,
/// and the curve's orientation there (the sign of `det [J; tᵀ]`).
fn tangent(
    system: &mut Bordered,
    jacobian: &DMatrix<f64>,
    previous: &DVector<f64>,
) -> Option<(DVector<f64>, i8)> {
    if !system.factor(jacobian, previous) {
        return None;
    }
    let orientation = system.orientation();
    Some((system.kernel_along()?, orientation))
}

/// A unit vector spanning the kernel of an `n × (n+1)` matrix `J` of rank n (either sign), or
/// `None` when its rank is less ([`RANK`]). From the column-pivoted QR factorisation `Jᵀ = QR`
/// (Golub & Van Loan, *Matrix Computations*, 4th ed., §5.4.2), taken in `qr`'s kept buffers
/// with nalgebra's arithmetic ([`ColPivQr`]): J loses rank when R's last diagonal entry is
/// negligible beside its first (the pivoting puts the largest remaining entry first at each
/// stage, so a rank-deficient `Jᵀ` leaves a negligible last stage); otherwise the kernel is the
/// orthogonal complement of Q's n columns, the projection `e_j − Q Qᵀ e_j` of the unit vector
/// `e_j` farthest from their span (its length² is `1 − |row j of Q|²`, and these add up to 1
/// over the n + 1 rows, so the largest is at least `1/(n+1)`: no cancellation). The vector is
/// written into `k` (of n + 1 entries, overwritten); `false` (and `k` stale) for no kernel
/// vector.
fn kernel(qr: &mut ColPivQr, jacobian: &DMatrix<f64>, k: &mut DVector<f64>) -> bool {
    let (n, rows) = jacobian.shape();
    // Jᵀ, column by column: J's column c is row c of Jᵀ, entry r of it in Jᵀ's column r
    qr.resize(rows, n);
    let transpose = qr.matrix_mut();
    for (c, column) in jacobian.as_slice().chunks_exact(n.max(1)).enumerate() {
        for (r, &x) in column.iter().enumerate() {
            transpose[r * rows + c] = x;
        }
    }
    qr.factor();
    let diagonal = qr.diagonal();
    let largest = diagonal.first().map_or(0.0, |d| d.abs());
    // a NaN entry (no number) is no rank either
    if diagonal.iter().any(|d| {
        let d = d.abs();
        d.is_nan() || d <= RANK * largest
    }) {
        return false;
    }
    let q = qr.q();
    let columns = || q.chunks_exact(rows.max(1));
    // each row's squared norm, summed along the row from 0 as nalgebra's `norm_squared` of the
    // row sums it, in `k` (overwritten below)
    k.fill(0.0);
    for column in columns() {
        for (norm, x) in k.as_mut_slice().iter_mut().zip(column) {
            *norm += x * x;
        }
    }
    // the first row of least norm
    let mut j = None;
    let mut least = 0.0;
    for (row, &norm) in k.iter().enumerate() {
        if j.is_none() || norm.total_cmp(&least).is_lt() {
            (j, least) = (Some(row), norm);
        }
    }
    let Some(j) = j else {
        return false;
    };
    // −Q·(row j of Q)ᵀ, as nalgebra's product forms it: the first column times its weight,
    // then each next column times its weight added on
    for (c, column) in columns().enumerate() {
        let weight = column[j];
        for (k, x) in k.as_mut_slice().iter_mut().zip(column) {
            *k = if c == 0 { x * weight } else { x * weight + *k };
        }
    }
    for k in k.as_mut_slice() {
        *k = -*k;
    }
    k[j] += 1.0;
    let norm = k.norm();
    if !(norm.is_finite() && norm > 0.0) {
        return false;
    }
    for k in k.as_mut_slice() {
        *k /= norm;
    }
    true
}

fn stall(x: &DVector<f64>, cell: &Cell, why: &str) -> Error {
    Error::Solver(format!(
        "gnm: the path stopped at λ = {:.6} with supports {:?}: {why}",
        x[cell.lambda_index()],
        cell.support()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::StrategicGame;
    use proptest::prelude::*;

    /// The kernel as the tracer took it before [`ColPivQr`], from nalgebra's `col_piv_qr`, its
    /// `r()` and `q()`: the reference [`kernel`] must match to the last bit.
    fn nalgebra_kernel(jacobian: &DMatrix<f64>) -> Option<DVector<f64>> {
        let qr = jacobian.transpose().col_piv_qr();
        let r = qr.r();
        let largest = if r.nrows() > 0 { r[(0, 0)].abs() } else { 0.0 };
        if (0..r.nrows()).any(|k| {
            let d = r[(k, k)].abs();
            d.is_nan() || d <= RANK * largest
        }) {
            return None;
        }
        let q = qr.q();
        let mut j = None;
        let mut least = 0.0;
        for row in 0..q.nrows() {
            let norm = q.row(row).norm_squared();
            if j.is_none() || norm.total_cmp(&least).is_lt() {
                (j, least) = (Some(row), norm);
            }
        }
        let j = j?;
        let mut k = -(&q * q.row(j).transpose());
        k[j] += 1.0;
        let norm = k.norm();
        (norm.is_finite() && norm > 0.0).then(|| k / norm)
    }

    /// [`kernel`] against [`nalgebra_kernel`], bit for bit (or both without a kernel vector),
    /// reusing one set of buffers across matrices of different shapes as the path does.
    fn assert_kernel_bits(qr: &mut ColPivQr, jacobian: &DMatrix<f64>) {
        let theirs = nalgebra_kernel(jacobian);
        // a vector with stale entries, as the path's pool hands out
        let mut k = DVector::from_element(jacobian.ncols(), 0.5);
        let found = kernel(qr, jacobian, &mut k);
        match theirs {
            None => assert!(
                !found,
                "a kernel vector where nalgebra has none: {jacobian}"
            ),
            Some(theirs) => {
                assert!(found, "no kernel vector where nalgebra has one: {jacobian}");
                for (a, b) in k.iter().zip(theirs.iter()) {
                    assert_eq!(a.to_bits(), b.to_bits(), "{k} vs {theirs} for {jacobian}");
                }
            }
        }
    }

    /// The Jacobians of cells of arbitrary 3-, 4- and 5-player games at arbitrary points (the
    /// matrices the path factorises), and rank-deficient ones (a repeated row; a NaN).
    #[test]
    fn kernel_has_nalgebras_bits_on_cells() {
        let mut qr = ColPivQr::default();
        for (counts, support) in [
            (vec![2, 3, 2], vec![vec![0, 1], vec![0, 2], vec![1]]),
            (vec![3, 3, 3], vec![vec![0, 1, 2], vec![1, 2], vec![0, 2]]),
            (
                vec![2, 2, 2, 2],
                vec![vec![0, 1], vec![0, 1], vec![1], vec![0, 1]],
            ),
            (
                vec![2, 2, 2, 2, 2],
                vec![vec![0, 1], vec![0, 1], vec![0, 1], vec![0, 1], vec![0, 1]],
            ),
            (
                vec![5, 4, 3],
                vec![vec![0, 2, 3, 4], vec![0, 1, 3], vec![0, 1, 2]],
            ),
        ] {
            let game = StrategicGame::arbitrary(&counts, 11, 4);
            let g: Vec<Vec<f64>> = counts
                .iter()
                .enumerate()
                .map(|(i, &m)| (0..m).map(|s| ((i + 3 * s) as f64 * 0.7).sin()).collect())
                .collect();
            let cell = Cell::new(support);
            let payoffs = Payoffs::new(&game);
            let x = DVector::from_fn(cell.equations() + 1, |k, _| {
                0.2 + ((k * 5) as f64 * 0.31).cos().abs() * 0.5
            });
            let at = cell.evaluate(&payoffs, &g, &x);
            assert_kernel_bits(&mut qr, &at.jacobian);
            let mut repeated = at.jacobian.clone();
            let first = repeated.row(0).clone_owned();
            repeated.set_row(1, &first);
            assert_kernel_bits(&mut qr, &repeated);
            let mut nan = at.jacobian.clone();
            nan[(1, 2)] = f64::NAN;
            assert_kernel_bits(&mut qr, &nan);
        }
    }

    proptest! {
        /// Random `n × (n+1)` matrices with the Jacobians' ±1 and 0 entries among others.
        #[test]
        fn kernel_has_nalgebras_bits_on_random_matrices(
            n in 1usize..16,
            seed in proptest::collection::vec(-5i32..6, 16 * 17),
        ) {
            let jacobian = DMatrix::from_fn(n, n + 1, |r, c| {
                let s = seed[r * 17 + c];
                if s.abs() <= 1 { s as f64 } else { s as f64 * 0.37 }
            });
            assert_kernel_bits(&mut ColPivQr::default(), &jacobian);
        }
    }
}
