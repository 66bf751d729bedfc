//! Root isolation by subdivision: every zero of one support profile's system in the region where
//! its unknowns are probabilities, each certified unique in a box and polished by Newton's method
//! (the exclusion–Krawczyk scheme of Moore, Kearfott & Cloud, "Introduction to Interval
//! Analysis", SIAM 2009, §8.2–8.4, on McKelvey & McLennan's systems, 1996 §6).
//!
//! A box is discarded when its probabilities cannot sum to at most 1, when some equation's exact
//! range over it excludes 0, or when a strategy outside the supports earns strictly more
//! throughout ([`SupportSystem::excludes`]). Otherwise it is narrowed by hull consistency
//! ([`SupportSystem::narrow`]) and the Krawczyk operator is applied to it, inflated by
//! [`INFLATION`] of its width (plus [`tol::ROOT_BOX_WIDTH`]) so that zeros on its faces (a
//! probability of exactly 0, or a zero on a bisection plane) lie inside (ε-inflation: Rump,
//! "Verification methods", Acta Numerica 2010, §10); both use the coefficient ranges over the
//! inflated box. Krawczyk either proves one zero there (Newton finds it), proves none, narrows the
//! box, or says nothing; a box left open is looked at again if narrowing halved it, else bisected
//! along the side of largest smear.
//! Boxes narrower than [`tol::ROOT_SEPARATION`], or left when [`limits::MAX_ROOT_BOXES`] is
//! spent, are *unresolved*: the system has non-isolated zeros there (a component of
//! equilibria) or zeros too close to separate. Newton's method still runs from some of them
//! (up to `MAX_UNRESOLVED_STARTS`), and any point it reaches is kept as a candidate, but the
//! support's answer is then incomplete. A box within [`tol::ROOT_BOX_WIDTH`] of a face of the
//! region (some probability that close to 0 throughout) is dropped instead: a zero there that is
//! an equilibrium has, to that precision, a smaller support, whose own search finds it (an
//! equilibrium that plays a strategy with a probability below that width is reported with the
//! strategy unplayed, or not at all if that profile is not an equilibrium). Degenerate games,
//! where a support's equations vanish along a segment that the best-response inequalities cut
//! down to its end point, or along a face, produce such boxes.

use super::system::SupportSystem;
use crate::limits;
use crate::num::tol;
use crate::solve::deadline::Deadline;
use nalgebra::{DMatrix, DVector};

use super::krawczyk::{krawczyk, Verdict};
use super::multilinear::{Interval, BOX_BOUND};

/// Each side of a box grows by this fraction of its width on both ends for the Krawczyk test (a
/// larger one proves fewer boxes: 1/32 needed 20% fewer boxes than 1/8 on Gambit's 5x4x3.nfg).
pub const INFLATION: f64 = 0.03125;

/// Newton steps allowed when polishing a zero: it converges quadratically from the Krawczyk
/// center, so a dozen steps are plenty; more means the start was not in its basin.
const MAX_NEWTON_STEPS: usize = 40;

/// Most Newton starts from one support's unresolved boxes. The search of a support stops once
/// this many boxes have shrunk to [`tol::ROOT_SEPARATION`] unresolved: it is then certainly
/// incomplete (a component of zeros fills box after box), and the rest is not worth its time.
const MAX_UNRESOLVED_STARTS: usize = 64;

/// The candidate zeros of one support system and whether they are all of its isolated zeros.
#[derive(Debug, Clone, Default)]
pub struct SupportRoots {
    pub roots: Vec<Vec<f64>>,
    /// False when some box stayed unresolved (or the deadline passed): other zeros may exist.
    pub resolved: bool,
}

/// A box `[lo, hi]` of unknowns.
type Cube = (Vec<f64>, Vec<f64>);

/// What one look at a box found.
enum Examined {
    Excluded,
    Root(Vec<f64>),
    /// Zeros, if any, lie in this box (the one examined, or a part of it Krawczyk kept); split it
    /// along `side` if it cannot be narrowed further.
    Open(Cube, usize),
}

/// Every zero of `system` with unknowns in `[0, 1]`, each player's summing to at most 1.
pub fn find_roots(system: &SupportSystem, deadline: &Deadline) -> SupportRoots {
    let n = system.unknowns();
    let mut roots = Vec::new();
    let mut unresolved = Vec::new();
    let mut stack: Vec<Cube> = vec![(vec![0.0; n], vec![1.0; n])];
    let mut boxes = 0;
    while let Some(cube) = stack.pop() {
        let hopeless = unresolved.len() >= MAX_UNRESOLVED_STARTS;
        if hopeless || boxes >= limits::MAX_ROOT_BOXES || deadline.passed() {
            unresolved.push(cube);
            unresolved.append(&mut stack);
            break;
        }
        boxes += 1;
        let before = widest(&cube).1;
        match examine(system, cube) {
            Examined::Excluded => {}
            Examined::Root(x) => roots.push(x),
            Examined::Open(cube, side) => {
                let width = widest(&cube).1;
                if system.hugs_face(&cube.0, &cube.1) {
                    // zeros here that are equilibria are those of a smaller support
                } else if width < 0.5 * before {
                    stack.push(cube); // narrowed to half: look again before bisecting
                } else if width < tol::ROOT_SEPARATION {
                    unresolved.push(cube);
                } else {
                    let (lo, hi) = cube;
                    let cut = 0.5 * (lo[side] + hi[side]);
                    let (mut left_hi, mut right_lo) = (hi.clone(), lo.clone());
                    left_hi[side] = cut;
                    right_lo[side] = cut;
                    stack.push((right_lo, hi));
                    stack.push((lo, left_hi));
                }
            }
        }
    }
    let resolved = unresolved.is_empty();
    // a few Newton starts spread over the unresolved boxes (a component may leave thousands)
    let every = unresolved.len().div_ceil(MAX_UNRESOLVED_STARTS).max(1);
    let unresolved = unresolved.into_iter().step_by(every);
    for (lo, hi) in unresolved {
        let mid: Vec<f64> = lo.iter().zip(&hi).map(|(a, b)| 0.5 * (a + b)).collect();
        roots.extend(newton(system, &mid));
    }
    SupportRoots { roots, resolved }
}

/// Exclusion tests, then the Krawczyk test on the inflated box.
fn examine(system: &SupportSystem, (mut lo, mut hi): Cube) -> Examined {
    if !system.clip_to_simplex(&lo, &mut hi) || system.excludes(&lo, &hi) {
        return Examined::Excluded;
    }
    if lo.is_empty() {
        return Examined::Root(Vec::new()); // a pure profile: nothing to solve
    }
    // ranges over the inflated box serve both the narrowing and the Krawczyk test
    let (outer_lo, outer_hi) = inflated(&lo, &hi);
    let ranges = system.coefficient_ranges(&outer_lo, &outer_hi);
    if !system.narrow(&ranges, &mut lo, &mut hi) {
        return Examined::Excluded;
    }
    let (outer_lo, outer_hi) = inflated(&lo, &hi);
    let mid: Vec<f64> = lo.iter().zip(&hi).map(|(a, b)| 0.5 * (a + b)).collect();
    let half: Vec<f64> = outer_lo
        .iter()
        .zip(&outer_hi)
        .map(|(a, b)| 0.5 * (b - a))
        .collect();
    let (f_mid, rounding) = system.residual(&mid);
    let jacobian = system.jacobian_range(&ranges);
    let side = largest_smear(&lo, &hi, &jacobian);
    match krawczyk(&mid, &half, &f_mid, rounding, &jacobian) {
        Verdict::NoRoot => Examined::Excluded,
        Verdict::Unique { center } => match newton(system, &center) {
            Some(x) if inside(&x, &outer_lo, &outer_hi) => Examined::Root(x),
            _ => Examined::Open((lo, hi), side),
        },
        Verdict::Narrowed { lo: k_lo, hi: k_hi } => {
            let lo: Vec<f64> = lo.iter().zip(&k_lo).map(|(a, b)| a.max(*b)).collect();
            let hi: Vec<f64> = hi.iter().zip(&k_hi).map(|(a, b)| a.min(*b)).collect();
            if lo.iter().zip(&hi).any(|(a, b)| a > b) {
                Examined::Excluded
            } else {
                Examined::Open((lo, hi), side)
            }
        }
        Verdict::Undecided => Examined::Open((lo, hi), side),
    }
}

/// The box `[lo, hi]` grown by [`INFLATION`] of its width, plus [`tol::ROOT_BOX_WIDTH`], on
/// every side.
fn inflated(lo: &[f64], hi: &[f64]) -> (Vec<f64>, Vec<f64>) {
    lo.iter()
        .zip(hi)
        .map(|(a, b)| {
            let grow = (b - a) * INFLATION + tol::ROOT_BOX_WIDTH;
            (a - grow, b + grow)
        })
        .unzip()
}

/// Newton's method from `start`: the zero it converges to (steps below
/// [`tol::NEWTON_STEP`]), or `None` if it leaves the region the forms are evaluated on, meets a
/// singular Jacobian or does not converge.
pub fn newton(system: &SupportSystem, start: &[f64]) -> Option<Vec<f64>> {
    if start.is_empty() {
        return Some(Vec::new()); // nothing to solve (nalgebra's LU wants a nonempty matrix)
    }
    let mut x = DVector::from_column_slice(start);
    for _ in 0..MAX_NEWTON_STEPS {
        let (f, _) = system.residual(x.as_slice());
        let step = system
            .jacobian(x.as_slice())
            .lu()
            .solve(&DVector::from_vec(f))?;
        x -= &step;
        if x.iter().any(|v| !v.is_finite() || v.abs() > BOX_BOUND) {
            return None;
        }
        if step.amax() <= tol::NEWTON_STEP {
            return Some(x.as_slice().to_vec());
        }
    }
    None
}

/// The side along which the equations vary most over the box: its width times the largest
/// magnitude of a partial derivative along it (the "maximal smear" rule, Kearfott 1996,
/// "Rigorous Global Search", §5.2), ties going to the wider side; sides narrower than
/// [`tol::ROOT_BOX_WIDTH`] are never chosen while a wider one is left.
fn largest_smear(lo: &[f64], hi: &[f64], jacobian: &DMatrix<Interval>) -> usize {
    let score = |v: usize| {
        let width = hi[v] - lo[v];
        let slope = jacobian
            .column(v)
            .iter()
            .map(|r| r.lo.abs().max(r.hi.abs()))
            .fold(0.0, f64::max);
        (width >= tol::ROOT_BOX_WIDTH, slope * width, width)
    };
    (0..lo.len())
        .max_by(|&a, &b| {
            let (sa, sb) = (score(a), score(b));
            (sa.0.cmp(&sb.0))
                .then(sa.1.total_cmp(&sb.1))
                .then(sa.2.total_cmp(&sb.2))
        })
        .unwrap_or(0)
}

fn inside(x: &[f64], lo: &[f64], hi: &[f64]) -> bool {
    x.iter()
        .zip(lo.iter().zip(hi))
        .all(|(v, (a, b))| *a <= *v && *v <= *b)
}

/// The widest side of a box and its width.
fn widest((lo, hi): &Cube) -> (usize, f64) {
    lo.iter().zip(hi).map(|(a, b)| b - a).enumerate().fold(
        (0, f64::NEG_INFINITY),
        |best, (k, w)| {
            if w > best.1 {
                (k, w)
            } else {
                best
            }
        },
    )
}
