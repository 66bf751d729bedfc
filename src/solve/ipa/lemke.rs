//! Lemke's algorithm on a polymatrix game's linear complementarity problem, from the
//! perturbation's best replies (Howson 1972; Govindan & Wilson 2004, §3, GameTracer's
//! `LemkeHowson`): the first equilibrium on the path of equilibria of the polymatrix game
//! perturbed by `λ·g`, followed from large λ down to λ = 0.
//!
//! The problem. Player n's pure strategy i earns `(D s)_i + λ g_i` against the others' mixtures
//! `s`, `D` being the polymatrix payoff matrix ([`super::polymatrix`]). With `v_n` player n's
//! best value (free) and `w_i ≥ 0` the shortfall of strategy i,
//!
//! ```text
//!   w_i + (D s)_i − v_n + g_i λ = 0      (i a strategy of player n),   s_i w_i = 0,
//!   u_n − Σ_{i of n} s_i = −1            (u_n ≡ 0: an artificial slack that never enters),
//! ```
//!
//! with `s, w, λ ≥ 0`. For λ large the pure profile of the best replies `b_n` of `g` solves it
//! (the basis `s_b, v, w_{i≠b}`); λ enters at the least value keeping every `w ≥ 0`, the `w_i`
//! that reaches 0 leaves, and then the complement of each leaving variable enters (`s_i` for
//! `w_i`, `w_i` for `s_i`) until λ leaves at 0: an equilibrium of the polymatrix game. If the
//! best-reply profile already solves it at λ = 0 it is the answer, as in GameTracer.
//!
//! Degeneracy (ties in the ratio test, common in games with integer payoffs) decides which
//! equilibrium the path reaches. GameTracer takes the first tied row, and so does the path
//! here first, so that on degenerate games (most two-player corpus games) it reaches
//! GameTracer's equilibrium. That rule can cycle; a repeated basis (seen by hashing each basis)
//! makes the path start again under the lexicographic rule (Dantzig, Orden & Wolfe 1955; for
//! Lemke's method von Stengel 2002 §3.7): tied rows are compared by their rows of `B⁻¹`
//! divided by the pivot column. The columns of `w` and `u` in the tableau are `B⁻¹`, since they
//! are the unit columns of the starting system. Rows of `B⁻¹` are linearly independent, so the
//! least row is unique and no basis repeats: that path cannot cycle. On nondegenerate problems
//! both rules take the same pivots. The free `v` never leave (their rows are not in the ratio
//! test). The tableau is dense: the polymatrix matrix `D` has no zeros outside its diagonal
//! blocks.

use crate::error::{Error, Result};
use crate::limits;
use crate::num::tol;
use crate::solve::deadline::Deadline;
use nalgebra::DMatrix;

/// How ties in the ratio test are broken.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// The first tied row, GameTracer's rule: its paths, so its answers on degenerate games.
    FirstRow,
    /// The lexicographic rule: cannot cycle.
    Lexicographic,
}

/// Where each variable sits among the tableau's columns: `s` (`0..m`), `v` (`m..m+n`), λ,
/// `w` (`m+n+1..2m+n+1`), `u` (`2m+n+1..2m+2n+1`), then the right-hand side.
struct Layout {
    strategies: usize,
    players: usize,
}

impl Layout {
    fn v(&self, player: usize) -> usize {
        self.strategies + player
    }
    fn lambda(&self) -> usize {
        self.strategies + self.players
    }
    fn w(&self, strategy: usize) -> usize {
        self.lambda() + 1 + strategy
    }
    /// The first column of `B⁻¹` (`w`, then `u`).
    fn inverse(&self) -> usize {
        self.w(0)
    }
    fn rhs(&self) -> usize {
        self.inverse() + self.rows()
    }
    fn rows(&self) -> usize {
        self.strategies + self.players
    }
    fn is_free(&self, var: usize) -> bool {
        (self.v(0)..self.lambda()).contains(&var)
    }
    /// The complement of `s_i` or `w_i`.
    fn complement(&self, var: usize) -> usize {
        if var < self.strategies {
            self.w(var)
        } else {
            var - self.w(0)
        }
    }
}

/// The dense tableau `basic_r + Σ_j T[r, j] · nonbasic_j = T[r, rhs]`, stored for all columns
/// (basic ones are unit columns).
struct Tableau {
    t: DMatrix<f64>,
    basic: Vec<usize>,
    layout: Layout,
    /// The pivot column during [`Tableau::pivot`].
    pivot_column: Vec<f64>,
    /// The rows [`Tableau::select`] chooses from.
    candidates: Vec<usize>,
    /// Their ratios in [`Tableau::select`].
    ratios: Vec<f64>,
}

impl Tableau {
    /// The starting system with the slacks `w`, `u` basic.
    fn new(d: &DMatrix<f64>, counts: &[usize], g: &[f64]) -> Self {
        let layout = Layout {
            strategies: d.nrows(),
            players: counts.len(),
        };
        let rows = layout.rows();
        let mut t = DMatrix::zeros(rows, layout.rhs() + 1);
        let mut first = 0;
        for (player, &count) in counts.iter().enumerate() {
            for i in first..first + count {
                for j in 0..layout.strategies {
                    t[(i, j)] = d[(i, j)];
                }
                t[(i, layout.v(player))] = -1.0;
                t[(i, layout.lambda())] = g[i];
                t[(layout.strategies + player, i)] = -1.0;
            }
            t[(layout.strategies + player, layout.rhs())] = -1.0;
            first += count;
        }
        for r in 0..rows {
            t[(r, layout.inverse() + r)] = 1.0;
        }
        let basic = (0..rows).map(|r| layout.inverse() + r).collect();
        Tableau {
            t,
            basic,
            layout,
            pivot_column: vec![0.0; rows],
            candidates: Vec::with_capacity(rows),
            ratios: Vec::with_capacity(rows),
        }
    }

    fn row_of(&self, var: usize) -> Option<usize> {
        self.basic.iter().position(|&b| b == var)
    }

    /// Exchange the basic variable of `row` for the variable of column `col` (column by
    /// column: the matrix is stored by columns).
    fn pivot(&mut self, row: usize, col: usize) {
        let rows = self.t.nrows();
        let mut pivot_column = std::mem::take(&mut self.pivot_column);
        pivot_column.copy_from_slice(self.t.column(col).as_slice());
        let p = pivot_column[row];
        for column in self.t.as_mut_slice().chunks_exact_mut(rows) {
            // A column with an exact 0 in the pivot row is left unchanged by the pivot (in
            // exact terms and in rounding alike): skipping it changes no entry.
            if column[row] == 0.0 {
                continue;
            }
            let scaled = column[row] / p;
            for (entry, &factor) in column.iter_mut().zip(&pivot_column) {
                *entry -= factor * scaled;
            }
            column[row] = scaled;
        }
        self.pivot_column = pivot_column;
        self.basic[row] = col;
    }

    /// Row `r`'s lexicographic key `k` over the pivot column entry: the right-hand side, then
    /// the row of `B⁻¹`.
    fn key(&self, r: usize, k: usize, col: usize) -> f64 {
        let j = if k == 0 {
            self.layout.rhs()
        } else {
            self.layout.inverse() + k - 1
        };
        self.t[(r, j)] / self.t[(r, col)]
    }

    /// Among the rows whose basic variable is sign-constrained and falls as column `col`
    /// rises (`falling`), or rises (`!falling`), the row whose ratio is least (`sign = 1`) or
    /// greatest (`sign = −1`); ratios that agree within `tol::RATIO_TIE_F64` tie, and `rule`
    /// breaks ties.
    fn select(&mut self, col: usize, falling: bool, sign: f64, rule: Rule) -> Option<usize> {
        let mut candidates = std::mem::take(&mut self.candidates);
        candidates.clear();
        let rows = self.layout.rows();
        let column = &self.t.as_slice()[col * rows..][..rows];
        for (r, (&a, &var)) in column.iter().zip(&self.basic).enumerate() {
            let moves = if falling {
                a > tol::PIVOT_F64
            } else {
                a < -tol::PIVOT_F64
            };
            if moves && !self.layout.is_free(var) {
                candidates.push(r);
            }
        }
        let keys = match rule {
            Rule::FirstRow => 0,
            Rule::Lexicographic => self.layout.rows(),
        };
        let mut ratios = std::mem::take(&mut self.ratios);
        for k in 0..=keys {
            if candidates.len() <= 1 {
                break;
            }
            ratios.clear();
            ratios.extend(candidates.iter().map(|&r| sign * self.key(r, k, col)));
            let best = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let mut kept = 0;
            for e in 0..candidates.len() {
                if ratios[e] - best <= tol::RATIO_TIE_F64 * (1.0 + best.abs()) {
                    candidates[kept] = candidates[e];
                    kept += 1;
                }
            }
            candidates.truncate(kept);
        }
        let chosen = candidates.first().copied();
        self.candidates = candidates;
        self.ratios = ratios;
        chosen
    }

    fn value(&self, var: usize) -> f64 {
        self.row_of(var)
            .map_or(0.0, |r| self.t[(r, self.layout.rhs())])
    }
}

/// The polymatrix game's equilibrium that Lemke's path from the best replies `best` of `g`
/// reaches, as one probability vector over all strategies (players in order). `counts`: each
/// player's number of strategies; `d`: the polymatrix payoff matrix; `g`: the perturbation over
/// all strategies. An error on a ray (no equilibrium reached: impossible in exact arithmetic,
/// so a sign of rounding), after [`limits::MAX_PIVOTS`] pivots, or when the deadline passes.
pub fn lemke(
    d: &DMatrix<f64>,
    counts: &[usize],
    g: &[f64],
    best: &[usize],
    deadline: &Deadline,
) -> Result<Vec<f64>> {
    match follow(d, counts, g, best, Rule::FirstRow, deadline)? {
        Some(s) => Ok(s),
        None => follow(d, counts, g, best, Rule::Lexicographic, deadline)?.ok_or_else(|| {
            Error::Solver("ipa: Lemke's lexicographic path repeated a basis (rounding)".into())
        }),
    }
}

/// Lemke's path under `rule`; `None` when it returns to a basis it has left (a cycle, which
/// only ties broken by [`Rule::FirstRow`] can make in exact arithmetic).
fn follow(
    d: &DMatrix<f64>,
    counts: &[usize],
    g: &[f64],
    best: &[usize],
    rule: Rule,
    deadline: &Deadline,
) -> Result<Option<Vec<f64>>> {
    let mut tableau = Tableau::new(d, counts, g);
    let layout = Layout {
        strategies: d.nrows(),
        players: counts.len(),
    };
    let mut first = 0;
    for (player, (&count, &b)) in counts.iter().zip(best).enumerate() {
        // s_b replaces u_n (the sum row), then v_n replaces w_b.
        tableau.pivot(layout.strategies + player, first + b);
        tableau.pivot(first + b, layout.v(player));
        first += count;
    }
    let lambda = layout.lambda();
    let start = tableau.select(lambda, false, -1.0, rule);
    let Some(row) = start.filter(|&r| tableau.key(r, 0, lambda) > 0.0) else {
        // Every shortfall is already nonnegative at λ = 0: the best replies are an equilibrium.
        return Ok(Some(solution(&tableau, &layout)));
    };
    let mut leaving = tableau.basic[row];
    tableau.pivot(row, lambda);
    // Each basis as the XOR of its variables' hashes (Zobrist hashing), to see a cycle.
    let mut basis = tableau.basic.iter().fold(0, |h, &v| h ^ mix(v));
    let mut seen = vec![basis];
    for pivots in 1.. {
        if leaving == lambda {
            return Ok(Some(solution(&tableau, &layout)));
        }
        if pivots > limits::MAX_PIVOTS {
            return Err(Error::Solver(format!(
                "ipa: Lemke's algorithm on the polymatrix approximation stopped after {} pivots \
                 (limits::MAX_PIVOTS)",
                limits::MAX_PIVOTS
            )));
        }
        if deadline.passed() {
            return Err(Error::Solver(
                "ipa: the deadline passed during Lemke's algorithm".into(),
            ));
        }
        let entering = layout.complement(leaving);
        let row = tableau.select(entering, true, 1.0, rule).ok_or_else(|| {
            Error::Solver(format!(
                "ipa: Lemke's algorithm on the polymatrix approximation ended on a ray after \
                     {pivots} pivots (rounding: no equilibrium of the approximation was reached)"
            ))
        })?;
        leaving = tableau.basic[row];
        tableau.pivot(row, entering);
        basis ^= mix(leaving) ^ mix(entering);
        if seen.contains(&basis) {
            return Ok(None);
        }
        seen.push(basis);
    }
    unreachable!("the pivot loop returns")
}

/// A well-spread 64-bit hash of a variable's index (the SplitMix64 finaliser).
fn mix(var: usize) -> u64 {
    let mut x = (var as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The basic solution's strategy probabilities.
fn solution(tableau: &Tableau, layout: &Layout) -> Vec<f64> {
    (0..layout.strategies)
        .map(|i| tableau.value(i).max(0.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Matching pennies as a polymatrix (two-player) game: the unique equilibrium is (½, ½)
    /// for both, whatever the path.
    #[test]
    fn matching_pennies_reaches_the_mixed_equilibrium() {
        #[rustfmt::skip]
        let d = DMatrix::from_row_slice(4, 4, &[
            0.0, 0.0, 2.0, 0.0,
            0.0, 0.0, 0.0, 2.0,
            0.0, 2.0, 0.0, 0.0,
            2.0, 0.0, 0.0, 0.0,
        ]);
        let g = [1.0, 0.0, 1.0, 0.0];
        let s = lemke(&d, &[2, 2], &g, &[0, 0], &Deadline::none()).unwrap();
        for p in s {
            assert!((p - 0.5).abs() < 1e-12, "{p}");
        }
    }

    /// A game where every payoff is the same (maximally degenerate): the best replies are an
    /// equilibrium at λ = 0 and are returned.
    #[test]
    fn constant_game_returns_the_best_replies() {
        let d = DMatrix::from_element(5, 5, 1.0);
        let g = [0.0, 1.0, 0.0, 0.0, 1.0];
        let s = lemke(&d, &[3, 2], &g, &[1, 1], &Deadline::none()).unwrap();
        assert_eq!(s, vec![0.0, 1.0, 0.0, 0.0, 1.0]);
    }
}
