//! Vertex enumeration of the polytopes `{z ∈ ℝ^d : z ≥ 0, M z ≤ 1}` with `M > 0` entrywise, the
//! best-response polytopes of a bimatrix game (von Stengel, "Computing equilibria for two-person
//! games", Handbook of Game Theory vol. 3, 2002, §3).
//!
//! Method: a depth-first search over the lexicographically feasible bases of the all-integer
//! tableau ([`IntTableau`]). With the lexicographic perturbation the polytope is simple: its
//! vertices are exactly those bases and its edges exactly the lexicographic pivots, so the
//! search, which tries every entering column at every basis and keeps a visited set, reaches
//! every basis of the (connected) graph of the perturbed polytope. Every vertex of the original
//! polytope is the limit of a perturbed vertex (maximise a linear function that singles it out),
//! so every vertex is reached; a degenerate vertex is reached through several bases and is kept
//! once, identified by its set of tight constraints (which determines the point). This is the
//! graph that lrs's reverse search walks (Avis and Fukuda 1992; Avis, Rosenberg, Savani and von
//! Stengel, "Enumeration of Nash equilibria for two-player games", Economic Theory 2010), searched
//! here with a visited set instead of reverse search: memory for speed.
//!
//! Only one tableau exists. Each basis lists its neighbours (one ratio test per entering
//! column) when it is first reached, so going back up the search needs no tableau: the tableau
//! moves only when the search resumes from an earlier basis, by at most `min(d, k)` pivots
//! (the bases' difference), however deep the search went in between.
//!
//! The search runs on `i128` entries ([`wide_int`](super::wide_int)) and, if an entry ever
//! outgrows them, starts again on arbitrary-precision integers: same bases, same order.

use crate::error::{Error, Result};
use crate::num::IBig;
use crate::solve::bit_set::{BitSet, BitSetSet};
use crate::solve::deadline::{Deadline, NO_DEADLINE};
use crate::solve::int_tableau::{IntTableau, PivotError};
use crate::solve::tableau_entry::TableauEntry;

/// A vertex of `{z ≥ 0 : M z ≤ 1}` other than the origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vertex {
    /// The coordinates `z` times [`Self::denominator`]: integers, all ≥ 0, not all 0.
    pub scaled: Vec<IBig>,
    /// Positive common denominator of the coordinates.
    pub denominator: IBig,
    /// The tight constraints, over `d + k` indices: `j < d` for `z_j = 0`, `d + i` for row `i`
    /// of `M z ≤ 1` holding with equality.
    pub tight: BitSet,
}

/// Counts the bases visited against a limit shared by several enumerations, and carries the
/// wall-clock [`Deadline`] at which they stop early, keeping the vertices found so far.
#[derive(Debug, Clone)]
pub struct BasisBudget<'d> {
    limit: u128,
    used: u128,
    deadline: &'d Deadline,
}

impl BasisBudget<'static> {
    pub fn new(limit: u128) -> Self {
        BasisBudget::until(limit, &NO_DEADLINE)
    }
}

impl<'d> BasisBudget<'d> {
    pub fn until(limit: u128, deadline: &'d Deadline) -> Self {
        BasisBudget { limit, used: 0, deadline }
    }

    fn charge(&mut self) -> Result<()> {
        self.used += 1;
        if self.used > self.limit {
            return Err(Error::TooLarge(format!(
                "vertex enumeration visited more than {} bases (limits::MAX_ENUMERATION_BASES): \
                 the game is too large or too degenerate to enumerate all its equilibria",
                self.limit
            )));
        }
        Ok(())
    }
}

/// Why a search stopped early.
enum Stop {
    Overflow,
    Error(Error),
}

impl From<PivotError> for Stop {
    fn from(e: PivotError) -> Self {
        match e {
            PivotError::Overflow => Stop::Overflow,
            PivotError::Singular => Stop::Error(internal("a visited basis turned out singular")),
        }
    }
}

fn internal(what: &str) -> Error {
    Error::Solver(format!("vertex enumeration: internal error: {what}"))
}

/// A basis on the search path and the neighbours it still has to try.
struct Frame {
    key: BitSet,
    /// `(entering, leaving)` variable pairs of the lexicographic pivots from this basis, last
    /// to be tried first.
    neighbours: Vec<(usize, usize)>,
}

/// Every vertex of `{z ∈ ℝ^d : z ≥ 0, M z ≤ 1}` except the origin, for a `k × d` matrix `M` of
/// positive integers (which makes the polytope bounded and full-dimensional). Vertices come in
/// the order the depth-first search first meets them (entering columns tried in index order),
/// a deterministic order.
pub fn vertices(
    matrix: &[Vec<IBig>],
    structural: usize,
    budget: &mut BasisBudget,
) -> Result<Vec<Vertex>> {
    let mut fast_budget = budget.clone();
    match search::<i128>(matrix, structural, &mut fast_budget) {
        Ok(found) => {
            *budget = fast_budget;
            return Ok(found);
        }
        Err(Stop::Error(e)) => return Err(e),
        Err(Stop::Overflow) => {}
    }
    search::<IBig>(matrix, structural, budget).map_err(|stop| match stop {
        Stop::Error(e) => e,
        Stop::Overflow => internal("arbitrary-precision entries overflowed"),
    })
}

/// The depth-first search of [`vertices`] on tableau entries of type `T`.
fn search<T: TableauEntry>(
    matrix: &[Vec<IBig>],
    structural: usize,
    budget: &mut BasisBudget,
) -> std::result::Result<Vec<Vertex>, Stop> {
    let mut tableau = IntTableau::<T>::slack_basis(matrix, structural).ok_or(Stop::Overflow)?;
    let vars = tableau.vars();
    let mut current = BitSet::from_indices(vars, tableau.basis().iter().copied());
    let mut visited = BitSetSet::default();
    visited.insert(current.clone());
    let mut seen_points = BitSetSet::default();
    let mut found = Vec::new();
    budget.charge().map_err(Stop::Error)?;
    record_vertex(&tableau, &mut seen_points, &mut found);

    let mut stack = vec![Frame {
        key: current.clone(),
        neighbours: tableau.neighbours(),
    }];
    while let Some(frame) = stack.last_mut() {
        let mut step = None;
        while let Some((entering, leaving)) = frame.neighbours.pop() {
            frame.key.toggle(leaving);
            frame.key.toggle(entering);
            if !visited.contains(&frame.key) {
                step = Some((entering, leaving, frame.key.clone()));
            }
            frame.key.toggle(leaving);
            frame.key.toggle(entering);
            if step.is_some() {
                break;
            }
        }
        let Some((entering, leaving, key)) = step else {
            stack.pop();
            continue;
        };
        if budget.deadline.passed() {
            break;
        }
        budget.charge().map_err(Stop::Error)?;
        if current != frame.key {
            tableau.move_to(&frame.key)?;
        }
        let row = tableau
            .row_of(leaving)
            .ok_or_else(|| Stop::Error(internal("leaving variable not basic")))?;
        tableau.pivot(row, entering)?;
        current.clone_from(&key);
        visited.insert(key.clone());
        record_vertex(&tableau, &mut seen_points, &mut found);
        stack.push(Frame {
            key,
            neighbours: tableau.neighbours(),
        });
    }
    Ok(found)
}

/// Add the current basis's point to `found` unless it is the origin or already there.
fn record_vertex<T: TableauEntry>(
    tableau: &IntTableau<T>,
    seen_points: &mut BitSetSet,
    found: &mut Vec<Vertex>,
) {
    let vars = tableau.vars();
    let d = tableau.structural();
    let tight = BitSet::from_indices(vars, (0..vars).filter(|&v| tableau.is_zero(v)));
    if (0..d).all(|j| tight.contains(j)) || seen_points.contains(&tight) {
        return;
    }
    seen_points.insert(tight.clone());
    let scaled = (0..d).map(|j| tableau.scaled_value(j)).collect();
    found.push(Vertex {
        scaled,
        denominator: tableau.det(),
        tight,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::Q;
    use crate::solve::test_linear::solve_exact;
    use proptest::prelude::*;

    fn ints(rows: &[Vec<i64>]) -> Vec<Vec<IBig>> {
        rows.iter()
            .map(|r| r.iter().map(|&v| IBig::from(v)).collect())
            .collect()
    }

    fn point(v: &Vertex) -> Vec<Q> {
        v.scaled
            .iter()
            .map(|s| Q::from_parts_signed(s.clone(), v.denominator.clone()))
            .collect()
    }

    /// Sorted exact points with their tight sets, from our enumeration; the `i128` and the
    /// arbitrary-precision searches must agree vertex for vertex, in order.
    fn enumerated(m: &[Vec<i64>], d: usize) -> Vec<(Vec<Q>, BitSet)> {
        let budget = || BasisBudget::new(1_000_000);
        let vs = vertices(&ints(m), d, &mut budget()).unwrap();
        let big = search::<IBig>(&ints(m), d, &mut budget()).ok();
        assert_eq!(Some(&vs), big.as_ref());
        let mut out: Vec<_> = vs.iter().map(|v| (point(v), v.tight.clone())).collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Brute force: every choice of `d` of the `d + k` constraints as equalities with a unique
    /// solution that satisfies the rest, deduplicated; origin excluded. Tight sets recomputed
    /// from the point.
    fn brute_force(m: &[Vec<i64>], d: usize) -> Vec<(Vec<Q>, BitSet)> {
        let k = m.len();
        let row = |c: usize| -> (Vec<Q>, Q) {
            if c < d {
                ((0..d).map(|j| Q::from((j == c) as i64)).collect(), Q::ZERO)
            } else {
                (m[c - d].iter().map(|&v| Q::from(v)).collect(), Q::ONE)
            }
        };
        let value = |c: usize, z: &[Q]| -> Q {
            let (a, _) = row(c);
            a.iter().zip(z).fold(Q::ZERO, |acc, (x, y)| acc + x * y)
        };
        let mut out: Vec<(Vec<Q>, BitSet)> = Vec::new();
        for mask in 0u32..1 << (d + k) {
            if mask.count_ones() as usize != d {
                continue;
            }
            let chosen: Vec<usize> = (0..d + k).filter(|c| mask >> c & 1 == 1).collect();
            let (a, b): (Vec<_>, Vec<_>) = chosen.iter().map(|&c| row(c)).unzip();
            let Some(z) = solve_exact(a, b) else { continue };
            let feasible = (0..d + k).all(|c| {
                if c < d {
                    z[c] >= Q::ZERO
                } else {
                    value(c, &z) <= Q::ONE
                }
            });
            if !feasible || z.iter().all(|x| *x == Q::ZERO) || out.iter().any(|(p, _)| *p == z) {
                continue;
            }
            let tight = BitSet::from_indices(
                d + k,
                (0..d + k).filter(|&c| {
                    if c < d {
                        z[c] == Q::ZERO
                    } else {
                        value(c, &z) == Q::ONE
                    }
                }),
            );
            out.push((z, tight));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn square_pyramid_apex_is_found_once() {
        // z1 + z3 ≤ 1, z2 + z3 ≤ 1: corners (1,0,0), (0,1,0), (1,1,0) and the apex (0,0,1),
        // where four constraints are tight in dimension 3 (degenerate).
        let m = vec![vec![1, 0, 1], vec![0, 1, 1]];
        let got = enumerated(&m, 3);
        let q = |v: [i64; 3]| v.iter().map(|&x| Q::from(x)).collect::<Vec<_>>();
        let pts: Vec<_> = got.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(
            pts,
            vec![q([0, 0, 1]), q([0, 1, 0]), q([1, 0, 0]), q([1, 1, 0])]
        );
        assert_eq!(got[0].1, BitSet::from_indices(5, [0, 1, 3, 4]));
    }

    #[test]
    fn huge_entries_fall_back_to_arbitrary_precision() {
        // Scaling M by c scales every vertex by 1/c; c = 10³⁰ overflows i128 at the first
        // 2×2 determinant, so this runs the fallback.
        let m = vec![vec![2, 1, 1], vec![1, 3, 1], vec![1, 1, 4]];
        let c = IBig::from(10u8).pow(30);
        let scaled: Vec<Vec<IBig>> = ints(&m)
            .into_iter()
            .map(|r| r.into_iter().map(|v| v * &c).collect())
            .collect();
        assert!(matches!(
            search::<i128>(&scaled, 3, &mut BasisBudget::new(1000)),
            Err(Stop::Overflow)
        ));
        let got = vertices(&scaled, 3, &mut BasisBudget::new(1000)).unwrap();
        let c = Q::from(c);
        let mut got: Vec<Vec<Q>> = got
            .iter()
            .map(|v| point(v).into_iter().map(|x| x * &c).collect())
            .collect();
        got.sort();
        let expected: Vec<Vec<Q>> = enumerated(&m, 3).into_iter().map(|(p, _)| p).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn budget_stops_the_search() {
        let m = vec![vec![1, 0], vec![0, 1]];
        let err = vertices(&ints(&m), 2, &mut BasisBudget::new(2)).unwrap_err();
        assert!(matches!(err, Error::TooLarge(_)), "{err}");
        assert!(vertices(&ints(&m), 2, &mut BasisBudget::new(4)).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Small entries make ties, so degenerate vertices are common.
        #[test]
        fn agrees_with_brute_force(
            (d, m) in (1usize..=4, 1usize..=4).prop_flat_map(|(d, k)| {
                (Just(d), proptest::collection::vec(proptest::collection::vec(1i64..=3, d), k))
            })
        ) {
            prop_assert_eq!(enumerated(&m, d), brute_force(&m, d));
        }
    }
}
