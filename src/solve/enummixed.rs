//! `enummixed`: all extreme Nash equilibria of a two-player game, exactly (Gambit's
//! `gambit-enummixed`).
//!
//! Method (von Stengel, "Computing equilibria for two-person games", Handbook of Game Theory
//! vol. 3, 2002, §3–4; Avis, Rosenberg, Savani and von Stengel, "Enumeration of Nash equilibria
//! for two-player games", Economic Theory 42, 2010). With payoffs shifted to be positive, the
//! best-response polytopes are
//! `P = {x ∈ ℝ^m : x ≥ 0, Bᵀx ≤ 1}` and `Q = {y ∈ ℝ^n : A y ≤ 1, y ≥ 0}`,
//! and a point carries label `i` (a row) when `x_i = 0` or `(A y)_i = 1`, label `m + j`
//! (a column) when `(Bᵀx)_j = 1` or `y_j = 0`. A pair `(x, y) ≠ (0, 0)` whose labels together
//! are all `m + n` labels is, normalised, a Nash equilibrium; the pairs of *vertices* that do so
//! are exactly the extreme points of the equilibrium components, which is what Gambit prints,
//! degenerate games included.
//!
//! As in lrsnash (Avis et al. 2010), only the polytope of lower dimension is enumerated
//! ([`vertex_enum`], exact integers, on several threads when large);
//! each vertex gets its partners from small exact linear solves on the same thread
//! ([`partner`]): one for a nondegenerate vertex, a few for the
//! degenerate ones that ties in integer payoffs produce. Only a vertex whose face of partners
//! would take too many solves is matched against every vertex of the other polytope, which is
//! then enumerated too. Labels come from the exact vertex, not from a basis, so degenerate
//! vertices pair correctly, and each extreme equilibrium is reported once (Gambit may repeat
//! one, once per basis).

use crate::error::{Error, Result};
use crate::game::StrategicGame;
use crate::limits;
use crate::num::{IBig, Q};
use crate::solve::deadline::{Deadline, NO_DEADLINE};
use crate::solve::enummixed::bit_set::BitSet;
use crate::solve::enummixed::partner::PartnerFinder;
use crate::solve::enummixed::vertex_enum::{
    normalized, vertices, visit_vertices, BasisBudget, Vertex,
};
use dashu::base::Gcd;
use dashu::integer::UBig;

// The exact vertex-enumeration machinery behind enummixed (used by nothing else).
pub(crate) mod basis_search;
pub(crate) mod bit_set;
pub(crate) mod partner;
pub(crate) mod vertex_enum;

#[cfg(test)]
mod support_enumeration;
#[cfg(test)]
mod tests;

/// Test helper: an integer matrix from literal rows.
#[cfg(test)]
pub(crate) fn int_matrix(rows: &[&[i64]]) -> Vec<Vec<IBig>> {
    rows.iter()
        .map(|r| r.iter().map(|&v| IBig::from(v)).collect())
        .collect()
}

/// Every extreme Nash equilibrium of a two-player game, as exact mixed profiles
/// `[x, y]` (player 1's then player 2's probabilities).
///
/// Order: decreasing lexicographic order of `(x, y)`, so pure strategy 1 of player 1 comes
/// first. Refuses games with other than two players (`Error::Unsupported`) and stops with
/// `Error::LimitExceeded` (`MAX_ENUMERATION_BASES`) after [`limits::MAX_ENUMERATION_BASES`] bases.
pub fn enummixed(game: &StrategicGame) -> Result<Vec<Vec<Vec<Q>>>> {
    enummixed_within(game, limits::MAX_ENUMERATION_BASES, &NO_DEADLINE)
}

/// [`enummixed`] that stops at `deadline` with the equilibria found so far (a subset of the
/// complete list; [`Deadline::was_reached`] tells whether it stopped).
pub fn enummixed_until(game: &StrategicGame, deadline: &Deadline) -> Result<Vec<Vec<Vec<Q>>>> {
    enummixed_within(game, limits::MAX_ENUMERATION_BASES, deadline)
}

/// [`enummixed`] with an explicit limit on the bases the vertex enumerations may visit.
fn enummixed_within(
    game: &StrategicGame,
    max_bases: u128,
    deadline: &Deadline,
) -> Result<Vec<Vec<Vec<Q>>>> {
    if game.num_players() != 2 {
        return Err(Error::Unsupported(format!(
            "enummixed solves two-player games; this game has {} players",
            game.num_players()
        )));
    }
    let (m, n) = (game.num_strategies(0), game.num_strategies(1));
    // P's constraint matrix is Bᵀ (n × m), Q's is A (m × n).
    let p_matrix = transpose(&positive_integers(game, 1));
    let q_matrix = positive_integers(game, 0);
    let mut budget = BasisBudget::until(max_bases, deadline);
    let mut equilibria: Vec<Vec<Vec<Q>>> = if m <= n {
        complementary_vertex_pairs(&p_matrix, &q_matrix, &mut budget)?
            .into_iter()
            .map(|(x, y)| vec![x, y])
            .collect()
    } else {
        complementary_vertex_pairs(&q_matrix, &p_matrix, &mut budget)?
            .into_iter()
            .map(|(y, x)| vec![x, y])
            .collect()
    };
    equilibria.sort_by(|x, y| y.cmp(x));
    Ok(equilibria)
}

/// All complementary vertex pairs of `{z ≥ 0 : M z ≤ 1}` (`own`, `k × d`) and
/// `{w ≥ 0 : M' w ≤ 1}` (`other`, `d × k`), as normalised `(z, w)`.
///
/// In `own`'s tight-set indexing, `j < d` stands for the label of `z_j = 0` and `d + i` for
/// that of row `i` of `M z ≤ 1`; `other`'s labels are the same strategies seen from the other
/// side: `w_i = 0` is label `d + i`, row `j` of `M' w ≤ 1` is label `j`.
fn complementary_vertex_pairs(
    own: &[Vec<IBig>],
    other: &[Vec<IBig>],
    budget: &mut BasisBudget,
) -> Result<Vec<(Vec<Q>, Vec<Q>)>> {
    let (k, d) = (own.len(), other.len());
    let finder = PartnerFinder::new(other);
    // Runs on the search threads; keeps only vertices with partners or left undetermined.
    let visit = |v: Vertex| match finder.partners(&v) {
        Some(partners) if partners.is_empty() => None,
        Some(partners) => Some(Ok((normalized(&v.scaled), partners))),
        None => Some(Err(v)),
    };
    let mut pairs = Vec::new();
    let mut undetermined = Vec::new();
    for kept in visit_vertices(own, d, budget, &visit)? {
        match kept {
            Ok((z, partners)) => pairs.extend(partners.into_iter().map(|w| (z.clone(), w))),
            Err(v) => undetermined.push(v),
        }
    }
    if undetermined.is_empty() {
        return Ok(pairs);
    }
    let others: Vec<(Vertex, BitSet)> = vertices(other, k, budget)?
        .into_iter()
        .map(|w| {
            let label = |t: usize| if t < k { d + t } else { t - k };
            let labels = BitSet::from_indices(
                d + k,
                (0..d + k).filter(|&t| w.tight.contains(t)).map(label),
            );
            (w, labels)
        })
        .collect();
    for v in undetermined {
        let needed = v.tight.complement(d + k);
        for (w, labels) in &others {
            if labels.is_superset(&needed) {
                pairs.push((normalized(&v.scaled), normalized(&w.scaled)));
            }
        }
    }
    Ok(pairs)
}

/// Player `p`'s payoff matrix (rows = player 1's strategies) scaled to integers and shifted so
/// that every entry is at least 1: a positive affine change of one player's payoffs leaves the
/// equilibria unchanged, and positive entries make the best-response polytope bounded (von
/// Stengel 2002, §3). The game's integer view gives the scaled entries directly; only payoffs
/// without one go through rationals.
fn positive_integers(game: &StrategicGame, p: usize) -> Vec<Vec<IBig>> {
    let (m, n) = (game.num_strategies(0), game.num_strategies(1));
    if let Some(view) = game.payoff_table_int(p) {
        // i64 numerators: the shifted entries fit i128
        let table = view.numerators();
        let shift = 1 - i128::from(view.min());
        return (0..m)
            .map(|i| {
                (0..n)
                    .map(|j| IBig::from(i128::from(table[i + j * m]) + shift))
                    .collect()
            })
            .collect();
    }
    let scaled = rational_scaled(&game.matrix(p));
    let min = scaled.iter().flatten().min().cloned().unwrap_or(IBig::ZERO);
    let shift = IBig::ONE - min;
    scaled
        .into_iter()
        .map(|row| row.into_iter().map(|v| v + &shift).collect())
        .collect()
}

/// A rational matrix times the least common multiple of its denominators.
fn rational_scaled(matrix: &[Vec<Q>]) -> Vec<Vec<IBig>> {
    let lcm = matrix.iter().flatten().fold(UBig::ONE, |l, q| {
        let d = q.denominator();
        let g = (&l).gcd(d);
        l / g * d
    });
    matrix
        .iter()
        .map(|row| {
            row.iter()
                .map(|q| q.numerator() * IBig::from(&lcm / q.denominator()))
                .collect()
        })
        .collect()
}

fn transpose(matrix: &[Vec<IBig>]) -> Vec<Vec<IBig>> {
    let cols = matrix.first().map_or(0, Vec::len);
    (0..cols)
        .map(|j| matrix.iter().map(|row| row[j].clone()).collect())
        .collect()
}
