//! The complementary partner of a nondegenerate vertex, by one exact linear solve.
//!
//! For a vertex `z` of `{z ≥ 0 : M z ≤ 1}` (`M` is `k × d`) with support `S` and tight rows
//! `T`, a point `w` of the other player's polytope `{w ≥ 0 : M' w ≤ 1}` (`M'` is `d × k`)
//! completes the labels exactly when `w_i = 0` for `i ∉ T` and `(M' w)_j = 1` for `j ∈ S`.
//! When `z` is nondegenerate (`|T| = |S|`) and `M'_{S,T}` is nonsingular these `k` equations
//! have one solution, so `z` has at most one partner, found without enumerating the other
//! polytope (the idea of lrsnash: Avis, Rosenberg, Savani and von Stengel, "Enumeration of
//! Nash equilibria for two-player games", Economic Theory 42, 2010, §5). Otherwise the
//! partners form a face of the other polytope and the caller must enumerate it.

use crate::num::IBig;
use crate::solve::tableau_entry::TableauEntry;
use crate::solve::vertex_enum::Vertex;

/// What the equations say about a vertex's partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Partner {
    /// The unique partner, over the other polytope's `k` variables, times a positive number
    /// (only its direction matters to equilibria).
    Unique { scaled: Vec<IBig> },
    /// No point of the other polytope completes the labels.
    Nothing,
    /// Degenerate vertex or singular system: the partners, if any, are a face to enumerate.
    Undetermined,
}

/// Finds partners in the polytope `{w ≥ 0 : M' w ≤ 1}` of one `d × k` matrix `M'`, on `i128`
/// entries when they suffice.
pub struct PartnerFinder {
    other: Vec<Vec<IBig>>,
    small: Option<Vec<Vec<i128>>>,
}

impl PartnerFinder {
    pub fn new(other: &[Vec<IBig>]) -> Self {
        let small = other
            .iter()
            .map(|row| row.iter().map(i128::from_ibig).collect())
            .collect();
        PartnerFinder {
            other: other.to_vec(),
            small,
        }
    }

    /// The partner of `vertex`, a vertex of the polytope of a `k × d` matrix.
    pub fn partner(&self, vertex: &Vertex) -> Partner {
        let d = vertex.scaled.len();
        let k = self.other.first().map_or(0, Vec::len);
        let support: Vec<usize> = (0..d).filter(|&j| !vertex.tight.contains(j)).collect();
        let tight_rows: Vec<usize> = (0..k).filter(|&i| vertex.tight.contains(d + i)).collect();
        if support.len() != tight_rows.len() {
            return Partner::Undetermined;
        }
        let fast = self
            .small
            .as_ref()
            .map(|m| partner_on(m, &self.other, &support, &tight_rows));
        match fast {
            Some(Ok(found)) => found,
            Some(Err(Overflow)) | None => {
                partner_on(&self.other, &self.other, &support, &tight_rows)
                    .unwrap_or(Partner::Undetermined)
            }
        }
    }
}

/// [`PartnerFinder::partner`] with the system solved on entries of type `T` (`matrix` is the
/// other polytope's matrix in `T`, `exact` the same in arbitrary precision, for the final check).
fn partner_on<T: TableauEntry>(
    matrix: &[Vec<T>],
    exact: &[Vec<IBig>],
    support: &[usize],
    tight_rows: &[usize],
) -> Result<Partner, Overflow> {
    let system: Vec<Vec<T>> = support
        .iter()
        .map(|&j| {
            tight_rows
                .iter()
                .map(|&i| matrix[j][i].clone())
                .chain([T::one()])
                .collect()
        })
        .collect();
    let Some((values, det)) = solve_unit_system(system)? else {
        return Ok(Partner::Undetermined);
    };
    // w_i = values_i / det must be ≥ 0: same sign as det, or zero
    let det_positive = det.is_positive();
    if values
        .iter()
        .any(|v| !v.is_zero() && v.is_positive() != det_positive)
    {
        return Ok(Partner::Nothing);
    }
    let flip = |v: &T| {
        let v = v.to_ibig();
        if det_positive {
            v
        } else {
            -v
        }
    };
    let det = flip(&det);
    let k = exact.first().map_or(0, Vec::len);
    let mut scaled = vec![IBig::ZERO; k];
    for (&i, v) in tight_rows.iter().zip(&values) {
        scaled[i] = flip(v);
    }
    // rows of M' w ≤ 1 outside the support (those inside hold with equality by construction)
    for (j, row) in exact.iter().enumerate() {
        if support.contains(&j) {
            continue;
        }
        let value = tight_rows
            .iter()
            .fold(IBig::ZERO, |acc, &i| acc + &row[i] * &scaled[i]);
        if value > det {
            return Ok(Partner::Nothing);
        }
    }
    Ok(Partner::Unique { scaled })
}

/// An entry outgrew its type.
struct Overflow;

/// Solve the `s × (s+1)` augmented system `[N | b]` by fraction-free Gauss–Jordan elimination
/// (the pivot rule of [`IntTableau`](super::int_tableau)): `Some((x·det, det))` with
/// `det = ± det N`, or `None` when `N` is singular.
fn solve_unit_system<T: TableauEntry>(
    mut rows: Vec<Vec<T>>,
) -> Result<Option<(Vec<T>, T)>, Overflow> {
    let s = rows.len();
    let mut previous = T::one();
    for t in 0..s {
        let Some(pivot_row) = (t..s).find(|&r| !rows[r][t].is_zero()) else {
            return Ok(None);
        };
        rows.swap(t, pivot_row);
        let (before, rest) = rows.split_at_mut(t);
        let (pivot, after) = rest.split_at_mut(1);
        let pivot = &pivot[0];
        let plan = T::prepare_pivot(&pivot[t], &pivot[t + 1..], &previous);
        for row in before.iter_mut().chain(after.iter_mut()) {
            let factor = std::mem::take(&mut row[t]);
            T::eliminate(&mut row[t + 1..], &pivot[t + 1..], &factor, &plan).ok_or(Overflow)?;
        }
        previous = pivot[t].clone();
    }
    let values = rows
        .into_iter()
        .map(|mut row| row.pop().unwrap_or_default())
        .collect();
    Ok(Some((values, previous)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::Q;
    use crate::solve::bit_set::BitSet;

    fn ints(rows: &[&[i64]]) -> Vec<Vec<IBig>> {
        rows.iter()
            .map(|r| r.iter().map(|&v| IBig::from(v)).collect())
            .collect()
    }

    #[test]
    fn solves_with_row_exchanges() {
        // [[0, 1], [2, 3]] w = 1 needs a row exchange: w2 = 1, then 2 w1 + 3 = 1, w1 = −1.
        let system = ints(&[&[0, 1, 1], &[2, 3, 1]]);
        let small: Vec<Vec<i128>> = system
            .iter()
            .map(|r| r.iter().filter_map(i128::from_ibig).collect())
            .collect();
        let to_big =
            |(v, d): (Vec<i128>, i128)| (v.iter().map(i128::to_ibig).collect(), d.to_ibig());
        let via_small = solve_unit_system(small).ok().flatten().map(to_big);
        for solved in [via_small, solve_unit_system(system).ok().flatten()] {
            let (values, det): (Vec<IBig>, IBig) = solved.unwrap();
            let w: Vec<_> = values
                .iter()
                .map(|v| Q::from_parts_signed(v.clone(), det.clone()))
                .collect();
            assert_eq!(w, vec![Q::from(-1), Q::ONE]);
        }
        assert!(solve_unit_system(ints(&[&[1, 2, 1], &[2, 4, 1]]))
            .ok()
            .flatten()
            .is_none());
    }

    #[test]
    fn battle_of_the_sexes_partner() {
        // P for B = [[1,0],[0,2]] shifted by 1: Bᵀ = [[2,1],[1,3]]; its vertex with both columns
        // tight is x = (2/5, 1/5), support {0,1}. Partner in Q for A = [[3,1],[1,2]]: A y = 1
        // gives y = (1/5, 2/5), which is feasible.
        let vertex = Vertex {
            scaled: ints(&[&[2, 1]]).remove(0),
            denominator: IBig::from(5),
            tight: BitSet::from_indices(4, [2, 3]),
        };
        let finder = PartnerFinder::new(&ints(&[&[3, 1], &[1, 2]]));
        assert_eq!(
            finder.partner(&vertex),
            Partner::Unique {
                scaled: ints(&[&[1, 2]]).remove(0)
            }
        );
        // with A = [[1,1],[3,2]], A y = 1 gives y = (−1, 2): no partner
        let negative = PartnerFinder::new(&ints(&[&[1, 1], &[3, 2]]));
        assert_eq!(negative.partner(&vertex), Partner::Nothing);
        // a vertex with support {0} and row 0 tight: w = (1/M'₀₀, 0), kept only if row 1 of
        // M' w ≤ 1 holds: 3·(1/2) > 1 fails, 1·(1/2) ≤ 1 holds
        let single = Vertex {
            tight: BitSet::from_indices(4, [1, 2]),
            ..vertex.clone()
        };
        assert_eq!(
            PartnerFinder::new(&ints(&[&[2, 1], &[3, 1]])).partner(&single),
            Partner::Nothing
        );
        assert_eq!(
            PartnerFinder::new(&ints(&[&[2, 1], &[1, 1]])).partner(&single),
            Partner::Unique {
                scaled: ints(&[&[1, 0]]).remove(0)
            }
        );
        // a degenerate vertex (three tight constraints in the plane) is left to enumeration
        let degenerate = Vertex {
            tight: BitSet::from_indices(4, [1, 2, 3]),
            ..vertex
        };
        assert_eq!(finder.partner(&degenerate), Partner::Undetermined);
    }
}
