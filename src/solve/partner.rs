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

/// The partner of `vertex` (of the polytope of the `k × d` matrix behind it) in the polytope of
/// `other` (`d × k`).
pub fn partner(vertex: &Vertex, other: &[Vec<IBig>]) -> Partner {
    let d = vertex.scaled.len();
    let support: Vec<usize> = (0..d).filter(|&j| !vertex.tight.contains(j)).collect();
    let k = other.first().map_or(0, Vec::len);
    let tight_rows: Vec<usize> = (0..k).filter(|&i| vertex.tight.contains(d + i)).collect();
    if support.len() != tight_rows.len() {
        return Partner::Undetermined;
    }
    let system: Vec<Vec<IBig>> = support
        .iter()
        .map(|&j| {
            tight_rows
                .iter()
                .map(|&i| other[j][i].clone())
                .chain([IBig::ONE])
                .collect()
        })
        .collect();
    let solved = match solve_unit_system::<i128>(&system) {
        Err(Overflow) => solve_unit_system::<IBig>(&system).unwrap_or(None),
        Ok(solved) => solved,
    };
    let Some((values, det)) = solved else {
        return Partner::Undetermined;
    };
    // Normalise to a positive denominator, then check w ≥ 0 and the rows outside the support.
    let flip = det < IBig::ZERO;
    let sign = |v: IBig| if flip { -v } else { v };
    let (values, det): (Vec<IBig>, IBig) = (values.into_iter().map(sign).collect(), sign(det));
    if values.iter().any(|v| *v < IBig::ZERO) {
        return Partner::Nothing;
    }
    let mut scaled = vec![IBig::ZERO; k];
    for (&i, v) in tight_rows.iter().zip(values) {
        scaled[i] = v;
    }
    let outside = (0..d).filter(|j| !support.contains(j));
    for j in outside {
        let row_value = tight_rows
            .iter()
            .fold(IBig::ZERO, |acc, &i| acc + &other[j][i] * &scaled[i]);
        if row_value > det {
            return Partner::Nothing;
        }
    }
    Partner::Unique { scaled }
}

/// An entry outgrew its type.
struct Overflow;

/// Solve the `s × (s+1)` augmented system `[N | b]` by fraction-free Gauss–Jordan elimination
/// (the pivot rule of [`IntTableau`](super::int_tableau)): `Some((x·det, det))` with
/// `det = ± det N`, or `None` when `N` is singular.
fn solve_unit_system<T: TableauEntry>(
    system: &[Vec<IBig>],
) -> Result<Option<(Vec<IBig>, IBig)>, Overflow> {
    let s = system.len();
    let mut rows: Vec<Vec<T>> = Vec::with_capacity(s);
    for row in system {
        rows.push(
            row.iter()
                .map(T::from_ibig)
                .collect::<Option<_>>()
                .ok_or(Overflow)?,
        );
    }
    let mut previous = T::one();
    for t in 0..s {
        let Some(pivot_row) = (t..s).find(|&r| !rows[r][t].is_zero()) else {
            return Ok(None);
        };
        rows.swap(t, pivot_row);
        let divisor = T::divisor(&previous);
        let (before, rest) = rows.split_at_mut(t);
        let (pivot, after) = rest.split_at_mut(1);
        let pivot = &pivot[0];
        for row in before.iter_mut().chain(after.iter_mut()) {
            let factor = std::mem::take(&mut row[t]);
            for j in t + 1..=s {
                row[j] =
                    T::bareiss(&row[j], &pivot[t], &factor, &pivot[j], &divisor).ok_or(Overflow)?;
            }
        }
        previous = pivot[t].clone();
    }
    let values = rows.iter().map(|row| row[s].to_ibig()).collect();
    Ok(Some((values, previous.to_ibig())))
}

#[cfg(test)]
mod tests {
    use super::*;
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
        for solved in [
            solve_unit_system::<i128>(&system).ok().flatten(),
            solve_unit_system::<IBig>(&system).ok().flatten(),
        ] {
            let (values, det) = solved.unwrap();
            let w: Vec<_> = values
                .iter()
                .map(|v| crate::num::Q::from_parts_signed(v.clone(), det.clone()))
                .collect();
            assert_eq!(w, vec![crate::num::Q::from(-1), crate::num::Q::ONE]);
        }
        assert!(solve_unit_system::<i128>(&ints(&[&[1, 2, 1], &[2, 4, 1]]))
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
        let a = ints(&[&[3, 1], &[1, 2]]);
        assert_eq!(
            partner(&vertex, &a),
            Partner::Unique {
                scaled: ints(&[&[1, 2]]).remove(0)
            }
        );
        // a degenerate vertex (three tight constraints in the plane) is left to enumeration
        let degenerate = Vertex {
            tight: BitSet::from_indices(4, [1, 2, 3]),
            ..vertex
        };
        assert_eq!(partner(&degenerate, &a), Partner::Undetermined);
    }
}
