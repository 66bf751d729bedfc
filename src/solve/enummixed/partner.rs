//! The complementary partners of a vertex, found by exact linear solves instead of
//! enumerating the other polytope.
//!
//! For a vertex `z` of `{z ≥ 0 : M z ≤ 1}` (`M` is `k × d`) with support `S` and tight rows
//! `T`, a point `w` of the other player's polytope `{w ≥ 0 : M' w ≤ 1}` (`M'` is `d × k`)
//! completes the labels exactly when `w_i = 0` for `i ∉ T` and `(M' w)_j = 1` for `j ∈ S`:
//! the partners of `z` are the vertices of the face
//! `F = {w_T ≥ 0 : M'_{S,T} w_T = 1, M'_{j,T} w_T ≤ 1 for j ∉ S}` of the other polytope.
//!
//! When `z` is nondegenerate (`|T| = |S|`) and `M'_{S,T}` is nonsingular, `F` is at most one
//! point, found by one solve (the idea of lrsnash: Avis, Rosenberg, Savani and von Stengel,
//! "Enumeration of Nash equilibria for two-player games", Economic Theory 42, 2010). When `z`
//! is degenerate by `e = |T| − |S|` and the equations have full rank `|S|`, every vertex of `F`
//! makes some `e` of the inequalities tight besides them (extend the equations to a basis of
//! its active constraints), so solving every such choice and keeping the feasible solutions
//! finds them all: few systems when `e` is small, as for the ties of integer payoffs. Otherwise
//! (rank-deficient equations, or too many choices) the partners are left undetermined and the
//! caller matches the vertex against the other polytope's vertices.

use crate::num::{IBig, Q};
use crate::solve::enummixed::vertex_enum::{normalized, Vertex};
use crate::solve::linalg::tableau::entry::fixed_int::I256;
use crate::solve::linalg::tableau::entry::TableauEntry;
use std::sync::OnceLock;

/// Most systems one degenerate vertex may cost before its partners are left undetermined.
const FACE_SYSTEMS_LIMIT: u128 = 4096;

/// Finds partners in the polytope `{w ≥ 0 : M' w ≤ 1}` of one `d × k` matrix `M'`, on machine
/// integers when they suffice: `i64` when Hadamard's bound keeps every minor of the system
/// below 2⁶², else `i128`, else 256 bits, else arbitrary precision.
///
/// Each narrower copy of the matrix is made the first time a solve wants it (any thread):
/// converting costs as much as the solves of a small game, which mostly need only one width.
pub struct PartnerFinder {
    other: Vec<Vec<IBig>>,
    wide: OnceLock<Option<Vec<Vec<I256>>>>,
    small: OnceLock<Option<Vec<Vec<i128>>>>,
    tiny: OnceLock<Option<Vec<Vec<i64>>>>,
}

/// A constraint of the face made tight to single out one of its vertices.
#[derive(Clone, Copy, Debug)]
enum Extra {
    /// `w_i = 0`, for the `i`-th of the tight rows `T`.
    Zero(usize),
    /// Row `j` (outside the support) of `M' w ≤ 1` with equality.
    Row(usize),
}

/// What one system says.
enum Solved {
    Singular,
    Infeasible,
    Point(Vec<IBig>),
}

impl PartnerFinder {
    pub fn new(other: &[Vec<IBig>]) -> Self {
        PartnerFinder {
            other: other.to_vec(),
            wide: OnceLock::new(),
            small: OnceLock::new(),
            tiny: OnceLock::new(),
        }
    }

    /// The partners of `vertex` (a vertex of the polytope of a `k × d` matrix) as mixed
    /// strategies, or `None` when they are left to the caller (see the module documentation).
    pub fn partners(&self, vertex: &Vertex) -> Option<Vec<Vec<Q>>> {
        let d = vertex.scaled.len();
        let k = self.other.first().map_or(0, Vec::len);
        let support: Vec<usize> = (0..d).filter(|&j| !vertex.tight.contains(j)).collect();
        let tight_rows: Vec<usize> = (0..k).filter(|&i| vertex.tight.contains(d + i)).collect();
        let face = Face {
            exact: &self.other,
            support: &support,
            tight_rows: &tight_rows,
        };
        if support.len() == tight_rows.len() {
            // the usual case: a square system, at most one partner
            let narrow = self.minors_fit_i64(&support, &tight_rows);
            let system = FaceSystem {
                face,
                equations: &support,
                chosen: &[],
            };
            match self.run(system, narrow)? {
                Solved::Point(scaled) => return Some(vec![normalized(&scaled)]),
                Solved::Infeasible => return Some(Vec::new()),
                Solved::Singular => {}
            }
        }
        let equations = self.run(IndependentRows { face }, false)?;
        let excess = tight_rows.len().checked_sub(equations.len())?;
        let extras: Vec<Extra> = (0..tight_rows.len())
            .map(Extra::Zero)
            .chain((0..d).filter(|j| !support.contains(j)).map(Extra::Row))
            .collect();
        if binomial(extras.len(), excess) > FACE_SYSTEMS_LIMIT {
            return None;
        }
        let mut found: Vec<Vec<Q>> = Vec::new();
        for choice in Combinations::new(extras.len(), excess) {
            let chosen: Vec<Extra> = choice.iter().map(|&c| extras[c]).collect();
            // a singular choice is just not a vertex
            let system = FaceSystem {
                face,
                equations: &equations,
                chosen: &chosen,
            };
            if let Solved::Point(scaled) = self.run(system, false)? {
                let w = normalized(&scaled);
                if !found.contains(&w) {
                    found.push(w);
                }
            }
        }
        Some(found)
    }

    /// Whether every minor of the square system `[M'_{S,T} | 1]` (`|T| = |S|`) is below 2⁶²
    /// in magnitude, by Hadamard's bound: a minor is at most the product of its columns'
    /// norms (each taken at least 1), so the product of all `|S| + 1` column norms but the
    /// smallest bounds them all. In logarithms, with a bit to spare for rounding.
    fn minors_fit_i64(&self, support: &[usize], tight_rows: &[usize]) -> bool {
        let Some(tiny) = self.tiny() else {
            return false;
        };
        let log_norm = |squares: f64| 0.5 * squares.max(1.0).log2();
        let ones = log_norm(support.len() as f64);
        let (total, least) = tight_rows.iter().fold((ones, ones), |(total, least), &i| {
            let bits = log_norm(support.iter().map(|&j| (tiny[j][i] as f64).powi(2)).sum());
            (total + bits, least.min(bits))
        });
        total - least + 1.0 <= 62.0
    }

    /// The matrix on `i64` entries, if they hold it.
    fn tiny(&self) -> Option<&[Vec<i64>]> {
        converted(&self.tiny, &self.other)
    }

    /// Run `job` on `i64` entries if `narrow` says they suffice, else on `i128` entries, then
    /// on 256-bit ones and on arbitrary precision when those overflow; `None` only if even
    /// that fails, which it cannot.
    fn run<J: OnEntries>(&self, job: J, narrow: bool) -> Option<J::Output> {
        if let (true, Some(tiny)) = (narrow, self.tiny()) {
            if let Ok(r) = job.on(tiny) {
                return Some(r);
            }
        }
        if let Some(small) = converted(&self.small, &self.other) {
            if let Ok(r) = job.on(small) {
                return Some(r);
            }
        }
        if let Some(wide) = converted(&self.wide, &self.other) {
            if let Ok(r) = job.on(wide) {
                return Some(r);
            }
        }
        job.on(&self.other).ok()
    }
}

/// The matrix on entries of type `T`, if they can hold it, converted once into `cache`.
fn converted<'c, T: TableauEntry>(
    cache: &'c OnceLock<Option<Vec<Vec<T>>>>,
    matrix: &[Vec<IBig>],
) -> Option<&'c [Vec<T>]> {
    cache
        .get_or_init(|| {
            matrix
                .iter()
                .map(|row| row.iter().map(T::from_ibig).collect())
                .collect()
        })
        .as_deref()
}

/// A computation on the other polytope's matrix that works for any entry type.
trait OnEntries {
    type Output;
    fn on<T: TableauEntry>(&self, matrix: &[Vec<T>]) -> Result<Self::Output, Overflow>;
}

/// The face `F` of the module documentation, in the other polytope's exact matrix.
#[derive(Clone, Copy)]
struct Face<'a> {
    exact: &'a [Vec<IBig>],
    support: &'a [usize],
    tight_rows: &'a [usize],
}

/// A maximal linearly independent subset of the equations `M'_{j,T} w_T = 1`, `j ∈ S`, as the
/// list of their `j`.
struct IndependentRows<'a> {
    face: Face<'a>,
}

impl OnEntries for IndependentRows<'_> {
    type Output = Vec<usize>;

    /// Fraction-free forward elimination with a search for any nonzero pivot (Bareiss's
    /// divisions stay exact under row and column exchanges); the rows that get a pivot span
    /// the rest.
    fn on<T: TableauEntry>(&self, matrix: &[Vec<T>]) -> Result<Vec<usize>, Overflow> {
        let Face {
            support,
            tight_rows,
            ..
        } = self.face;
        let cols = tight_rows.len();
        let mut rows: Vec<(usize, Vec<T>)> = support
            .iter()
            .map(|&j| {
                (
                    j,
                    tight_rows.iter().map(|&i| matrix[j][i].clone()).collect(),
                )
            })
            .collect();
        let mut used = vec![false; cols];
        let mut previous = T::one();
        for t in 0..rows.len() {
            let pivot_at = (t..rows.len()).find_map(|r| {
                (0..cols)
                    .find(|&c| !used[c] && !rows[r].1[c].is_zero())
                    .map(|c| (r, c))
            });
            let Some((r, c)) = pivot_at else {
                rows.truncate(t);
                break;
            };
            rows.swap(t, r);
            used[c] = true;
            let (done, rest) = rows.split_at_mut(t + 1);
            let pivot = &done[t].1;
            let plan = T::prepare_pivot(&pivot[c], pivot, &previous);
            for (_, row) in rest {
                let factor = row[c].clone();
                T::eliminate(row, pivot, &factor, &plan).ok_or(Overflow)?;
            }
            previous = pivot[c].clone();
        }
        Ok(rows.into_iter().map(|(j, _)| j).collect())
    }
}

/// The `equations` (some of the rows `S`) with `chosen` inequalities made tight, solved and
/// checked against the whole face.
struct FaceSystem<'a> {
    face: Face<'a>,
    equations: &'a [usize],
    chosen: &'a [Extra],
}

impl OnEntries for FaceSystem<'_> {
    type Output = Solved;

    fn on<T: TableauEntry>(&self, matrix: &[Vec<T>]) -> Result<Solved, Overflow> {
        let Face {
            exact,
            support,
            tight_rows,
        } = self.face;
        let t = tight_rows.len();
        // the rows [M'_{j,T} | 1] of the equations, then those of the chosen extras, in one
        // buffer: t rows of t + 1 entries
        let mut system: Vec<T> = Vec::with_capacity(t * (t + 1));
        let push_row = |system: &mut Vec<T>, j: usize| {
            system.extend(tight_rows.iter().map(|&i| matrix[j][i].clone()));
            system.push(T::one());
        };
        for &j in self.equations {
            push_row(&mut system, j);
        }
        for extra in self.chosen {
            match *extra {
                Extra::Zero(p) => {
                    system.extend((0..=t).map(|c| if c == p { T::one() } else { T::default() }))
                }
                Extra::Row(j) => push_row(&mut system, j),
            }
        }
        let Some((values, det)) = solve_augmented(system, t)? else {
            return Ok(Solved::Singular);
        };
        // w = values / det must be ≥ 0: each value zero or of det's sign
        let det_positive = det.is_positive();
        if values
            .iter()
            .any(|v| !v.is_zero() && v.is_positive() != det_positive)
        {
            return Ok(Solved::Infeasible);
        }
        let positive = |v: &T| {
            if det_positive {
                v.to_ibig()
            } else {
                -v.to_ibig()
            }
        };
        let det = positive(&det);
        let k = exact.first().map_or(0, Vec::len);
        let mut scaled = vec![IBig::ZERO; k];
        for (&i, v) in tight_rows.iter().zip(&values) {
            scaled[i] = positive(v);
        }
        // every row of M' w ≤ 1: equal to 1 on the support, at most 1 elsewhere
        for (j, row) in exact.iter().enumerate() {
            if self.equations.contains(&j) {
                continue;
            }
            let value = tight_rows
                .iter()
                .fold(IBig::ZERO, |acc, &i| acc + &row[i] * &scaled[i]);
            let holds = if support.contains(&j) {
                value == det
            } else {
                value <= det
            };
            if !holds {
                return Ok(Solved::Infeasible);
            }
        }
        Ok(Solved::Point(scaled))
    }
}

/// `C(n, k)`, saturating.
fn binomial(n: usize, k: usize) -> u128 {
    if k > n {
        return 0;
    }
    (0..k).fold(1u128, |acc, i| {
        acc.saturating_mul((n - i) as u128) / (i as u128 + 1)
    })
}

/// The `k`-element subsets of `0..n` as increasing index lists, in lexicographic order (one
/// empty subset when `k = 0`).
struct Combinations {
    n: usize,
    next: Option<Vec<usize>>,
}

impl Combinations {
    fn new(n: usize, k: usize) -> Self {
        Combinations {
            n,
            next: (k <= n).then(|| (0..k).collect()),
        }
    }
}

impl Iterator for Combinations {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        let k = current.len();
        // advance the rightmost index that can still move
        let mut following = current.clone();
        if let Some(i) = (0..k).rev().find(|&i| following[i] < self.n - k + i) {
            following[i] += 1;
            for j in i + 1..k {
                following[j] = following[j - 1] + 1;
            }
            self.next = Some(following);
        }
        Some(current)
    }
}

/// An entry outgrew its type.
struct Overflow;

/// Solve the `s × (s+1)` augmented system `[N | b]`, stored row after row in `cells`, by
/// fraction-free Gauss–Jordan elimination (the pivot rule of
/// [`IntegerTableau`](crate::solve::linalg::tableau::IntegerTableau)): `Some((x·det, det))` with `det = ± det N`, or `None`
/// when `N` is singular (or `cells` is not `s × (s+1)`).
fn solve_augmented<T: TableauEntry>(
    mut cells: Vec<T>,
    s: usize,
) -> Result<Option<(Vec<T>, T)>, Overflow> {
    let width = s + 1;
    if cells.len() != s * width {
        return Ok(None);
    }
    let mut previous = T::one();
    for t in 0..s {
        let Some(pivot_row) = (t..s).find(|&r| !cells[r * width + t].is_zero()) else {
            return Ok(None);
        };
        if pivot_row != t {
            let (upper, lower) = cells.split_at_mut(pivot_row * width);
            upper[t * width..(t + 1) * width].swap_with_slice(&mut lower[..width]);
        }
        let (before, rest) = cells.split_at_mut(t * width);
        let (pivot, after) = rest.split_at_mut(width);
        let plan = T::prepare_pivot(&pivot[t], &pivot[t + 1..], &previous);
        for row in before.chunks_mut(width).chain(after.chunks_mut(width)) {
            let factor = std::mem::take(&mut row[t]);
            T::eliminate(&mut row[t + 1..], &pivot[t + 1..], &factor, &plan).ok_or(Overflow)?;
        }
        previous = pivot[t].clone();
    }
    let values = cells.chunks(width).map(|row| row[s].clone()).collect();
    Ok(Some((values, previous)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::enummixed::bit_set::BitSet;
    use crate::solve::enummixed::int_matrix;

    fn q(num: i64, den: u64) -> Q {
        Q::from_parts(num.into(), den.into())
    }

    /// A vertex of a polytope in the plane with the given tight constraints (its coordinates
    /// play no part in finding partners).
    fn vertex(tight: &[usize], len: usize) -> Vertex {
        Vertex {
            scaled: vec![IBig::ONE; 2],
            denominator: IBig::ONE,
            tight: BitSet::from_indices(len, tight.iter().copied()),
        }
    }

    #[test]
    fn solves_with_row_exchanges() {
        // [[0, 1], [2, 3]] w = 1 needs a row exchange: w2 = 1, then 2 w1 + 3 = 1, w1 = −1.
        let system = int_matrix(&[&[0, 1, 1], &[2, 3, 1]]);
        let small: Vec<Vec<i128>> = system
            .iter()
            .map(|r| r.iter().filter_map(i128::from_ibig).collect())
            .collect();
        let to_big =
            |(v, d): (Vec<i128>, i128)| (v.iter().map(i128::to_ibig).collect(), d.to_ibig());
        let via_small = solve_augmented(small.concat(), 2)
            .ok()
            .flatten()
            .map(to_big);
        for solved in [
            via_small,
            solve_augmented(system.concat(), 2).ok().flatten(),
        ] {
            let (values, det): (Vec<IBig>, IBig) = solved.unwrap();
            let w: Vec<_> = values
                .iter()
                .map(|v| Q::from_parts_signed(v.clone(), det.clone()))
                .collect();
            assert_eq!(w, vec![Q::from(-1), Q::ONE]);
        }
        assert!(
            solve_augmented(int_matrix(&[&[1, 2, 1], &[2, 4, 1]]).concat(), 2)
                .ok()
                .flatten()
                .is_none()
        );
    }

    #[test]
    fn nondegenerate_vertices_have_at_most_one_partner() {
        // Battle of the sexes shifted by 1: x = (2/5, 1/5) has both columns tight (indices
        // 2, 3). Against A = [[3,1],[1,2]], A y = 1 gives y = (1/5, 2/5), i.e. (1/3, 2/3).
        let both = vertex(&[2, 3], 4);
        let finder = PartnerFinder::new(&int_matrix(&[&[3, 1], &[1, 2]]));
        assert_eq!(finder.partners(&both), Some(vec![vec![q(1, 3), q(2, 3)]]));
        // A = [[1,1],[3,2]] gives y = (−1, 2): none
        assert_eq!(
            PartnerFinder::new(&int_matrix(&[&[1, 1], &[3, 2]])).partners(&both),
            Some(vec![])
        );
        // support {0}, row 0 tight: w = (1/M'₀₀, 0), kept only if row 1 of M' w ≤ 1 holds
        let single = vertex(&[1, 2], 4);
        assert_eq!(
            PartnerFinder::new(&int_matrix(&[&[2, 1], &[3, 1]])).partners(&single),
            Some(vec![])
        );
        let kept = PartnerFinder::new(&int_matrix(&[&[2, 1], &[1, 1]])).partners(&single);
        assert_eq!(kept, Some(vec![vec![Q::ONE, Q::ZERO]]));
    }

    #[test]
    fn every_entry_width_gives_the_same_partners() {
        // Scaling M' by c scales w by 1/c: the same mixed strategies. c = 10¹² puts the
        // minors beyond i64 (i128 runs), c = 10³⁰ beyond i128 (256 bits run), c = 10⁴⁰ the
        // entries beyond i128 and the minors beyond 256 bits, c = 10⁸⁰ the entries beyond 256
        // bits (arbitrary precision).
        for exponent in [0u32, 12, 30, 40, 80] {
            let c = IBig::from(10u8).pow(exponent as usize);
            let scaled: Vec<Vec<IBig>> = int_matrix(&[&[3, 1], &[1, 2]])
                .into_iter()
                .map(|r| r.into_iter().map(|v| v * &c).collect())
                .collect();
            let finder = PartnerFinder::new(&scaled);
            assert_eq!(converted(&finder.small, &scaled).is_some(), exponent < 40);
            assert_eq!(converted(&finder.wide, &scaled).is_some(), exponent < 80);
            assert_eq!(finder.minors_fit_i64(&[0, 1], &[0, 1]), exponent == 0);
            assert_eq!(
                finder.partners(&vertex(&[2, 3], 4)),
                Some(vec![vec![q(1, 3), q(2, 3)]])
            );
            let mut face = finder.partners(&vertex(&[1, 2, 3], 4)).unwrap();
            face.sort();
            assert_eq!(face, vec![vec![q(1, 3), q(2, 3)], vec![Q::ONE, Q::ZERO]]);
        }
    }

    #[test]
    fn degenerate_vertex_gets_the_vertices_of_its_face() {
        // Support {0}, both rows tight (indices 1, 2, 3): partners solve 3w₀ + w₁ = 1 with
        // w ≥ 0 and w₀ + 2w₁ ≤ 1, a segment from (1/3, 0) to (1/5, 2/5) (where row 1 is
        // tight; w₀ = 0 would need w₁ = 1, breaking row 1): mixed, (1, 0) and (1/3, 2/3).
        let finder = PartnerFinder::new(&int_matrix(&[&[3, 1], &[1, 2]]));
        let mut found = finder.partners(&vertex(&[1, 2, 3], 4)).unwrap();
        found.sort();
        assert_eq!(found, vec![vec![q(1, 3), q(2, 3)], vec![Q::ONE, Q::ZERO]]);
    }

    #[test]
    fn dependent_equations_keep_an_independent_subset() {
        // support {0, 1}, all three rows tight; M' rows (1,2,3) twice: one equation
        // w₀ + 2w₁ + 3w₂ = 1 on w ≥ 0, whose vertices are the three unit directions
        let same = PartnerFinder::new(&int_matrix(&[&[1, 2, 3], &[1, 2, 3]]));
        let mut found = same.partners(&vertex(&[2, 3, 4], 5)).unwrap();
        found.sort();
        let unit = |k: usize| (0..3).map(|i| Q::from((i == k) as u8)).collect::<Vec<_>>();
        assert_eq!(found, vec![unit(2), unit(1), unit(0)]);
        // rows (1,2,3) and (2,4,6) ask w₀ + 2w₁ + 3w₂ to be 1 and 1/2: no partner
        let inconsistent = PartnerFinder::new(&int_matrix(&[&[1, 2, 3], &[2, 4, 6]]));
        assert_eq!(inconsistent.partners(&vertex(&[2, 3, 4], 5)), Some(vec![]));
        // a square singular system: the segment w₀ + 2w₁ = 1, w ≥ 0 has two ends
        let mut ends = PartnerFinder::new(&int_matrix(&[&[1, 2], &[1, 2]]))
            .partners(&vertex(&[2, 3], 4))
            .unwrap();
        ends.sort();
        assert_eq!(ends, vec![vec![Q::ZERO, Q::ONE], vec![Q::ONE, Q::ZERO]]);
    }

    #[test]
    fn too_many_choices_are_left_undetermined() {
        // support {0} of 20, all 16 rows tight, M' all ones: 15 more tight constraints out of
        // 35, C(35, 15) ≈ 3·10⁹ systems
        let finder = PartnerFinder::new(&vec![vec![IBig::ONE; 16]; 20]);
        let mut v = vertex(&[], 36);
        v.scaled = vec![IBig::ONE; 20];
        v.tight = BitSet::from_indices(36, 1..36);
        assert_eq!(finder.partners(&v), None);
    }

    #[test]
    fn combinations_in_lexicographic_order() {
        let all: Vec<Vec<usize>> = Combinations::new(5, 2).collect();
        assert_eq!(all.len(), 10);
        assert_eq!((all[0].clone(), all[9].clone()), (vec![0, 1], vec![3, 4]));
        assert_eq!(
            Combinations::new(3, 0).collect::<Vec<_>>(),
            vec![Vec::<usize>::new()]
        );
        assert_eq!(Combinations::new(2, 3).count(), 0);
        assert_eq!(binomial(31, 15), 300_540_195);
        assert_eq!(binomial(5, 2), 10);
    }
}
