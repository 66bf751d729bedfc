//! The polymatrix approximation's equilibrium on a guessed support (GameTracer's `ipa` tries
//! the previous answer's support before Lemke's algorithm, [`super::lemke`]): each player's
//! support strategies earn the same against the others' mixtures in the polymatrix game `D`
//! ([`super::polymatrix`]), the probabilities sum to 1, and the answer counts only if every
//! probability and every outside strategy's shortfall is nonnegative.
//!
//! The support system is solved on its fewest unknowns (one probability per player eliminated
//! by its sum, the values by differences): Gaussian elimination costs the cube of its size,
//! `Σ_i (|S_i| − 1)` here against `|S| + N` with the values and sums as unknowns, and against
//! GameTracer's `M + N` (it solves over all strategies, an outside one standing for its
//! shortfall). The three give the same solution up to rounding; where the outer iteration is
//! sensitive to the last bits (`random-6x6x6` of `docs/performance.md`), the path, not the
//! answer, depends on which is used.

use crate::solve::gnm::payoffs::add_scaled;
use nalgebra::DMatrix;

/// The polymatrix game's equilibrium on a guessed support, with its buffers kept from one
/// iteration to the next.
pub struct SupportSystem {
    /// Each player's number of strategies.
    counts: Vec<usize>,
    /// The player of each strategy (over all strategies).
    owner: Vec<usize>,
    /// Each player's first support strategy (its probability is one minus the others').
    first: Vec<usize>,
    /// The support strategies other than their player's first: the system's unknowns.
    unknowns: Vec<usize>,
    /// The support strategies.
    support: Vec<usize>,
    /// Each strategy's payoff at the solution.
    payoffs: Vec<f64>,
    /// The square system, row-major, with its right-hand side as the last column.
    a: Vec<f64>,
    /// An equation's `E_{s f_j}` for each player j (scratch).
    first_excess: Vec<f64>,
}

impl SupportSystem {
    /// The buffers for a game with these strategy counts.
    pub fn new(counts: &[usize]) -> Self {
        let owner = counts
            .iter()
            .enumerate()
            .flat_map(|(i, &count)| std::iter::repeat_n(i, count))
            .collect();
        let total = counts.iter().sum();
        SupportSystem {
            counts: counts.to_vec(),
            owner,
            first: vec![0; counts.len()],
            unknowns: vec![0; total],
            support: vec![0; total],
            payoffs: vec![0.0; total],
            a: vec![0.0; total * total],
            first_excess: vec![0.0; counts.len()],
        }
    }

    /// The polymatrix game's equilibrium with the given supports (over all strategies,
    /// players in order) into `s`, if one exists with every probability and every outside
    /// strategy's shortfall nonnegative (`false` otherwise, `s` then undefined). Reads the
    /// columns of `jacobian` (`D`) in the support alone.
    ///
    /// The equations: each player i's support strategies earn the same, `Σ_{t∈S} D_{st} x_t`
    /// equal for all s ∈ S_i, and `Σ_{t∈S_i} x_t = 1`. With `f_i` player i's first support
    /// strategy, `x_{f_i} = 1 − Σ_{t∈S_i, t≠f_i} x_t` and `E_{st} = D_{st} − D_{f_i t}`, the
    /// unknowns are the other support probabilities and the equations, for s ∈ S_i, s ≠ f_i,
    ///
    /// ```text
    ///   Σ_{j≠i} Σ_{t∈S_j, t≠f_j} (E_{st} − E_{s f_j}) x_t = −Σ_{j≠i} E_{s f_j}
    /// ```
    ///
    /// (`D` is 0 on its diagonal blocks, so a player's own probabilities do not enter its
    /// equations): `Σ_i (|S_i| − 1)` unknowns, none for a player of one strategy, where the
    /// system with the values `v_i` and the sums as unknowns has `|S| + N`. An outside strategy
    /// r's shortfall is `v_i − Σ_{t∈S} D_{rt} x_t` with `v_i = Σ_{t∈S} D_{f_i t} x_t`. Solved
    /// by Gaussian elimination with partial pivoting; an exactly singular system has no
    /// solution here, nor has an empty support.
    pub fn solve(&mut self, jacobian: &DMatrix<f64>, in_support: &[bool], s: &mut [f64]) -> bool {
        let total = self.owner.len();
        let entries = &jacobian.as_slice()[..total * total];
        let (in_support, s) = (&in_support[..total], &mut s[..total]);
        let (owner, first) = (&self.owner[..total], &mut self.first[..]);
        first.fill(usize::MAX);
        let (mut supported, mut size) = (0, 0);
        for (c, (&inside, &i)) in in_support.iter().zip(owner).enumerate() {
            if inside {
                self.support[supported] = c;
                supported += 1;
                if first[i] == usize::MAX {
                    first[i] = c;
                } else {
                    self.unknowns[size] = c;
                    size += 1;
                }
            }
        }
        if first.contains(&usize::MAX) {
            return false;
        }
        let first = &*first;
        let (support, unknowns) = (&self.support[..supported], &self.unknowns[..size]);
        let width = size + 1;
        let a = &mut self.a[..size * width];
        a.fill(0.0);
        let first_excess = &mut self.first_excess[..first.len()];
        for (equation, &row) in a.chunks_exact_mut(width).zip(unknowns) {
            let (mine, f) = (owner[row], first[owner[row]]);
            // E_{row c} = D_{row c} − D_{f c}
            let excess = |c: usize| entries[c * total + row] - entries[c * total + f];
            for (e, &c) in first_excess.iter_mut().zip(first) {
                *e = excess(c);
            }
            for (entry, &c) in equation.iter_mut().zip(unknowns) {
                let theirs = owner[c];
                if theirs != mine {
                    *entry = excess(c) - first_excess[theirs];
                }
            }
            equation[size] = -first_excess
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != mine)
                .map(|(_, &e)| e)
                .sum::<f64>();
        }
        if !eliminate(a, size) {
            return false;
        }
        s.fill(0.0);
        for &f in first {
            s[f] = 1.0;
        }
        for (equation, &c) in a.chunks_exact(width).zip(unknowns) {
            let x = equation[size];
            s[c] = x;
            s[first[owner[c]]] -= x;
        }
        // not in [0, max]: negative, infinite or NaN
        let negative = |x: f64| !(0.0..=f64::MAX).contains(&x);
        if support.iter().any(|&c| negative(s[c])) {
            return false;
        }
        // every strategy's payoff `Σ_{t∈S} D_{rt} x_t`, column by column
        let payoffs = &mut self.payoffs[..total];
        payoffs.fill(0.0);
        for &c in support {
            add_scaled(payoffs, s[c], &entries[c * total..][..total]);
        }
        // each outside strategy's shortfall, player by player
        let mut start = 0;
        for (&count, &f) in self.counts.iter().zip(first) {
            let value = payoffs[f];
            let range = start..start + count;
            for (&inside, &payoff) in in_support[range.clone()].iter().zip(&payoffs[range]) {
                if !inside && negative(value - payoff) {
                    return false;
                }
            }
            start += count;
        }
        true
    }
}

/// Solves the `size × size` system stored row-major in `a` with its right-hand side as column
/// `size`, by Gaussian elimination with partial pivoting and back substitution: afterwards
/// column `size` holds the solution. `false` when a pivot is exactly 0 (a singular system).
fn eliminate(a: &mut [f64], size: usize) -> bool {
    let width = size + 1;
    for col in 0..size {
        let pivot = (col..size)
            .max_by(|&p, &q| {
                a[p * width + col]
                    .abs()
                    .total_cmp(&a[q * width + col].abs())
            })
            .unwrap_or(col);
        // Only an exactly singular system is refused (as nalgebra's LU does); a nearly singular
        // one gives huge or negative values, which the sign checks reject.
        if a[pivot * width + col] == 0.0 {
            return false;
        }
        if pivot != col {
            for j in col..width {
                a.swap(pivot * width + j, col * width + j);
            }
        }
        let (above, below) = a.split_at_mut((col + 1) * width);
        let pivot_row = &above[col * width + col..];
        for row in below.chunks_exact_mut(width) {
            let factor = row[col] / pivot_row[0];
            // a row with an exact 0 in the pivot column is unchanged by the step
            if factor != 0.0 {
                for (x, &p) in row[col..].iter_mut().zip(pivot_row) {
                    *x -= factor * p;
                }
            }
        }
    }
    for col in (0..size).rev() {
        let (above, from) = a.split_at_mut(col * width);
        let x = from[size] / from[col];
        from[size] = x;
        for row in above.chunks_exact_mut(width) {
            row[size] -= row[col] * x;
        }
    }
    true
}

#[cfg(test)]
pub(super) mod support_tests {
    use super::*;
    use crate::game::StrategicGame;
    use crate::solve::deadline::Deadline;
    use crate::solve::ipa::lemke::Lemke;
    use crate::solve::ipa::polymatrix::Tables;

    /// An interior profile (over all strategies, players in order) with unequal probabilities:
    /// player i's t-th strategy at `2(t + 1) / (c(c + 1))`, c its number of strategies.
    pub(in crate::solve::ipa) fn interior(counts: &[usize]) -> Vec<f64> {
        counts
            .iter()
            .flat_map(|&c| (0..c).map(move |t| (t + 1) as f64 * 2.0 / (c * (c + 1)) as f64))
            .collect()
    }

    /// Each player's best payoff against `s` in the polymatrix game `d` and whether every
    /// strategy of positive probability earns it (within `1e-9`): an equilibrium.
    pub(in crate::solve::ipa) fn is_equilibrium(
        d: &DMatrix<f64>,
        counts: &[usize],
        s: &[f64],
    ) -> bool {
        let payoffs = d * nalgebra::DVector::from_column_slice(s);
        let mut first = 0;
        counts.iter().all(|&count| {
            let range = first..first + count;
            first += count;
            let best = range.clone().map(|r| payoffs[r]).fold(f64::MIN, f64::max);
            let sum: f64 = range.clone().map(|r| s[r]).sum();
            (sum - 1.0).abs() < 1e-9
                && range
                    .clone()
                    .all(|r| s[r] > -1e-12 && (s[r] <= 0.0 || payoffs[r] > best - 1e-9))
        })
    }

    /// On the polymatrix approximations of a few 3- and 4-player games (at interior
    /// profiles): Lemke's algorithm (written independently) reaches an equilibrium; the
    /// support system on its support finds the same one, and on every other support either
    /// refuses or returns an equilibrium (checked from the payoffs `D s`).
    #[test]
    fn support_system_agrees_with_lemke() {
        for (counts, seed) in [
            (vec![3, 2, 3], 13),
            (vec![2, 3, 2, 2], 17),
            (vec![4, 3, 2], 19),
            (vec![2, 2, 2], 23),
            (vec![3, 3, 3], 29),
        ] {
            let game = StrategicGame::arbitrary(&counts, seed, 4);
            let total: usize = counts.iter().sum();
            let profile = interior(&counts);
            let mut tables = Tables::new(&game, -1.0);
            let mut d = DMatrix::zeros(total, total);
            tables.columns(
                &profile,
                &vec![true; total],
                &mut vec![false; total],
                &mut d,
            );
            let g: Vec<f64> = counts
                .iter()
                .flat_map(|&c| (0..c).map(|t| if t == 0 { 1.0 } else { 0.0 }))
                .collect();
            let best = vec![0; counts.len()];
            let mut theirs = vec![0.0; total];
            Lemke::new(&counts)
                .solve(&d, &g, &best, &Deadline::none(), &mut theirs)
                .unwrap();
            assert!(
                is_equilibrium(&d, &counts, &theirs),
                "{counts:?}: {theirs:?}"
            );
            let mut system = SupportSystem::new(&counts);
            let mut ours = vec![0.0; total];
            let support: Vec<bool> = theirs.iter().map(|&p| p > 1e-12).collect();
            assert!(system.solve(&d, &support, &mut ours), "{counts:?}");
            for (a, b) in ours.iter().zip(&theirs) {
                assert!(
                    (a - b).abs() < 1e-9,
                    "{counts:?}: {ours:?} against {theirs:?}"
                );
            }
            let mut found = 0;
            for mask in 1..1u32 << total {
                let support: Vec<bool> = (0..total).map(|c| mask >> c & 1 == 1).collect();
                if system.solve(&d, &support, &mut ours) {
                    found += 1;
                    assert!(
                        is_equilibrium(&d, &counts, &ours),
                        "{counts:?} {mask:b}: {ours:?}"
                    );
                }
            }
            assert!(found >= 1, "{counts:?}");
        }
    }
}
