//! Vertex enumeration of the polytopes `{z ∈ ℝ^d : z ≥ 0, M z ≤ 1}` with `M > 0` entrywise, the
//! best-response polytopes of a bimatrix game (von Stengel, "Computing equilibria for two-person
//! games", Handbook of Game Theory vol. 3, 2002, §3).
//!
//! Method: a depth-first search over the lexicographically feasible bases of the all-integer
//! tableau ([`IntegerTableau`](crate::solve::linalg::tableau::IntegerTableau), the exact tableau Lemke–Howson and Lemke pivot too). With the lexicographic perturbation the polytope is simple: its
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
//! The search itself, on one thread or several, is [`basis_search`](super::basis_search). It
//! runs on `i128` entries ([`wide_int`](crate::solve::linalg::tableau::entry::wide_int)) and, if an entry ever outgrows them,
//! starts again on 256-bit entries, and then on arbitrary-precision integers.
//!
//! Why restart rather than choose the width up front: Hadamard's bound (a minor is at most the
//! product of its columns' Euclidean norms) can only certify that a width suffices, and it is
//! far from tight on game matrices: for a 12×12 game with payoffs below 1000 it allows minors
//! of 2¹⁴¹, yet every entry stays below 2¹²⁷ and the `i128` search succeeds; choosing by the
//! bound would run such games on 256-bit entries, about three times the instructions per
//! entry (callgrind). When entries do outgrow a width, they do so within the first few pivots
//! (the search goes deep at once): on a random 16×16 game with payoffs below 1000 the `i128`
//! attempt fails after 0.3 ms of a search that takes a second.

use crate::error::{Error, Result};
use crate::limits;
use crate::num::{IBig, Q};
use crate::solve::deadline::Deadline;
use crate::solve::enummixed::basis_search::{search, SearchPlan, Stop, Threads, Visitor};
use crate::solve::enummixed::bit_set::BitSet;
use crate::solve::linalg::tableau::entry::fixed_int::I256;

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

/// A nonzero, nonnegative point scaled to sum to one: the mixed strategy it stands for.
pub fn normalized(scaled: &[IBig]) -> Vec<Q> {
    let total = scaled.iter().fold(IBig::ZERO, |acc, s| acc + s);
    scaled
        .iter()
        .map(|s| Q::from_parts_signed(s.clone(), total.clone()))
        .collect()
}

/// Counts the bases visited against a limit shared by several enumerations, and carries the
/// wall-clock [`Deadline`] at which they stop early, keeping the vertices found so far.
#[derive(Debug, Clone)]
pub struct BasisBudget<'d> {
    limit: u128,
    used: u128,
    deadline: &'d Deadline,
}

#[cfg(test)]
impl BasisBudget<'static> {
    pub fn new(limit: u128) -> Self {
        BasisBudget::until(limit, &crate::solve::deadline::NO_DEADLINE)
    }
}

impl<'d> BasisBudget<'d> {
    /// A budget of `limit` bases that also stops (incomplete, not failing) at `deadline`.
    pub fn until(limit: u128, deadline: &'d Deadline) -> Self {
        BasisBudget {
            limit,
            used: 0,
            deadline,
        }
    }
}

/// Bases searched on the calling thread before the search is shared among threads: below
/// this a search takes a few milliseconds and threads would cost more than they save.
pub const SOLO_BASES: u64 = 2_000;

/// Every vertex of `{z ∈ ℝ^d : z ≥ 0, M z ≤ 1}` except the origin, for a `k × d` matrix `M` of
/// positive integers (which makes the polytope bounded and full-dimensional), each once, in no
/// particular order.
pub fn vertices(
    matrix: &[Vec<IBig>],
    structural: usize,
    budget: &mut BasisBudget,
) -> Result<Vec<Vertex>> {
    visit_vertices(matrix, structural, budget, &Some)
}

/// Hand every vertex (as [`vertices`] lists them) to `visit`, on the thread that finds it, and
/// keep what it returns, in no particular order. Large searches use as many threads as
/// rayon's pool has.
pub fn visit_vertices<R: Send>(
    matrix: &[Vec<IBig>],
    structural: usize,
    budget: &mut BasisBudget,
    visit: &Visitor<R>,
) -> Result<Vec<R>> {
    visit_vertices_with(matrix, structural, budget, visit, Threads::Pool, SOLO_BASES)
}

/// [`visit_vertices`] with the number of threads and the size of the single-threaded start.
///
/// The bases allowed are the budget's, and at most [`limits::MAX_ENUMERATION_CELLS`] divided
/// by the number of variables: the search keeps a list of pivots for every basis on its path.
fn visit_vertices_with<R: Send>(
    matrix: &[Vec<IBig>],
    structural: usize,
    budget: &mut BasisBudget,
    visit: &Visitor<R>,
    threads: Threads,
    solo_bases: u64,
) -> Result<Vec<R>> {
    let vars = (structural + matrix.len()).max(1) as u128;
    let allowed = budget.limit.min(limits::MAX_ENUMERATION_CELLS / vars);
    let plan = SearchPlan {
        max_bases: allowed.saturating_sub(budget.used),
        deadline: budget.deadline,
        threads,
        solo_bases,
    };
    let stopped = |stop: Stop| match stop {
        Stop::Budget => Error::limit(
            "MAX_ENUMERATION_BASES",
            format!(
            "vertex enumeration visited more than {allowed} bases (limits::MAX_ENUMERATION_BASES, \
             and MAX_ENUMERATION_CELLS for {vars} variables): the game is too large or too \
             degenerate to enumerate all its equilibria"
        ),
        ),
        Stop::Error(e) => e,
        Stop::Deadline => Error::Solver("vertex enumeration: a deadline escaped the search".into()),
        Stop::Overflow => {
            Error::Solver("vertex enumeration: arbitrary-precision entries overflowed".into())
        }
    };
    let found = match search::<i128, R>(matrix, structural, plan, visit) {
        Err(Stop::Overflow) => match search::<I256, R>(matrix, structural, plan, visit) {
            Err(Stop::Overflow) => search::<IBig, R>(matrix, structural, plan, visit),
            wide => wide,
        },
        narrow => narrow,
    }
    .map_err(stopped)?;
    budget.used += found.bases;
    Ok(found.kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::Q;
    use crate::solve::deadline::NO_DEADLINE;
    use crate::solve::linalg::test_linear::solve_square_exact;
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

    /// All vertices, searched by `workers` threads after `solo` bases on one.
    fn threaded(
        m: &[Vec<IBig>],
        d: usize,
        budget: &mut BasisBudget,
        workers: usize,
        solo: u64,
    ) -> Result<Vec<Vertex>> {
        visit_vertices_with(m, d, budget, &Some, Threads::Exactly(workers), solo)
    }

    fn sorted_points(vs: &[Vertex]) -> Vec<(Vec<Q>, BitSet)> {
        let mut out: Vec<_> = vs.iter().map(|v| (point(v), v.tight.clone())).collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Sorted exact points with their tight sets, from our enumeration; one thread and three
    /// (from the first basis on), `i128`, 256 bits and arbitrary precision must all agree.
    fn enumerated(m: &[Vec<i64>], d: usize) -> Vec<(Vec<Q>, BitSet)> {
        let m = ints(m);
        let one = threaded(&m, d, &mut BasisBudget::new(1_000_000), 1, 0).unwrap();
        let three = threaded(&m, d, &mut BasisBudget::new(1_000_000), 3, 1).unwrap();
        let plan = SearchPlan {
            max_bases: 1_000_000,
            deadline: &NO_DEADLINE,
            threads: Threads::Exactly(1),
            solo_bases: 0,
        };
        let big = search::<IBig, Vertex>(&m, d, plan, &Some)
            .map(|f| f.kept)
            .unwrap_or_default();
        let wide = search::<I256, Vertex>(&m, d, plan, &Some)
            .map(|f| f.kept)
            .unwrap_or_default();
        let out = sorted_points(&one);
        assert_eq!(out, sorted_points(&three));
        assert_eq!(out, sorted_points(&big));
        assert_eq!(out, sorted_points(&wide));
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
            let Some(z) = solve_square_exact(a, b) else {
                continue;
            };
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

    /// Scaling `M` by `c` scales every vertex by `1/c`. With `c = 10²⁰` the first 2×2
    /// determinant overflows `i128` and the search runs on 256 bits (3×3 minors near 2²⁰⁵);
    /// with `c = 10⁴⁰` the 2×2 determinants overflow those too and it runs on arbitrary
    /// precision; with `c = 10⁸⁰` the entries themselves do not fit 256 bits.
    #[test]
    fn huge_entries_fall_back_to_wider_entries() {
        let m = vec![vec![2, 1, 1], vec![1, 3, 1], vec![1, 1, 4]];
        let expected: Vec<Vec<Q>> = enumerated(&m, 3).into_iter().map(|(p, _)| p).collect();
        let plan = SearchPlan {
            max_bases: 1000,
            deadline: &NO_DEADLINE,
            threads: Threads::Exactly(1),
            solo_bases: 0,
        };
        for exponent in [20usize, 40, 80] {
            let c = IBig::from(10u8).pow(exponent);
            let scaled: Vec<Vec<IBig>> = ints(&m)
                .into_iter()
                .map(|r| r.into_iter().map(|v| v * &c).collect())
                .collect();
            assert!(matches!(
                search::<i128, Vertex>(&scaled, 3, plan, &Some),
                Err(Stop::Overflow)
            ));
            let wide = search::<I256, Vertex>(&scaled, 3, plan, &Some);
            assert_eq!(wide.is_ok(), exponent == 20);
            let got = vertices(&scaled, 3, &mut BasisBudget::new(1000)).unwrap();
            let c = Q::from(c);
            let mut got: Vec<Vec<Q>> = got
                .iter()
                .map(|v| point(v).into_iter().map(|x| x * &c).collect())
                .collect();
            got.sort();
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn budget_stops_the_search() {
        let m = vec![vec![1, 0], vec![0, 1]];
        let err = vertices(&ints(&m), 2, &mut BasisBudget::new(2)).unwrap_err();
        assert!(
            err.exceeded_limit() == Some("MAX_ENUMERATION_BASES"),
            "{err}"
        );
        assert!(vertices(&ints(&m), 2, &mut BasisBudget::new(4)).is_ok());
    }

    #[test]
    fn threads_visit_every_basis_exactly_once() {
        // a 7×7 positive matrix has thousands of bases: enough for three threads to share work
        let m: Vec<Vec<i64>> = (0..7)
            .map(|i| (0..7).map(|j| 1 + (i * 7 + j * 3 + i * j) % 11).collect())
            .collect();
        let m = ints(&m);
        let (mut one, mut three) = (BasisBudget::new(1_000_000), BasisBudget::new(1_000_000));
        let a = threaded(&m, 7, &mut one, 1, 0).unwrap();
        let b = threaded(&m, 7, &mut three, 3, 10).unwrap();
        assert!(one.used > 100, "only {} bases", one.used);
        assert_eq!(one.used, three.used);
        assert_eq!(sorted_points(&a), sorted_points(&b));
        // the limit holds across threads too
        let err = threaded(&m, 7, &mut BasisBudget::new(50), 3, 10).unwrap_err();
        assert!(
            err.exceeded_limit() == Some("MAX_ENUMERATION_BASES"),
            "{err}"
        );
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
