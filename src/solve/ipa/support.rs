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
/// iteration to the next, and the support's bookkeeping (its strategies, each player's first,
/// the unknowns) kept while the support stays the same (most iterations).
pub struct SupportSystem {
    /// Each player's strategies, as a range over all strategies.
    ranges: Vec<std::ops::Range<usize>>,
    /// The player of each strategy (over all strategies).
    owner: Vec<usize>,
    /// The support the bookkeeping below is for (over all strategies).
    mask: Vec<bool>,
    /// Whether every player has a support strategy in `mask` (else the system has no
    /// solution).
    complete: bool,
    /// Each player's first support strategy (its probability is one minus the others').
    first: Vec<usize>,
    /// The support strategies other than their player's first: the system's unknowns, with
    /// their players.
    unknowns: Vec<(usize, usize)>,
    /// The support strategies.
    support: Vec<usize>,
    /// The strategies outside the support, with their players.
    outside: Vec<(usize, usize)>,
    /// The square system, row-major, with its right-hand side as the last column.
    a: Vec<f64>,
    /// Scratch of one number per player: an equation's `E_{s f_j}` for each player j while
    /// the system is built, then each player's value at its solution.
    per_player: Vec<f64>,
}

impl SupportSystem {
    /// The buffers for a game with these strategy counts.
    pub fn new(counts: &[usize]) -> Self {
        let owner: Vec<usize> = counts
            .iter()
            .enumerate()
            .flat_map(|(i, &count)| std::iter::repeat_n(i, count))
            .collect();
        let mut start = 0;
        let ranges = counts
            .iter()
            .map(|&count| {
                start += count;
                start - count..start
            })
            .collect();
        let total = owner.len();
        SupportSystem {
            ranges,
            owner,
            mask: Vec::with_capacity(total),
            complete: false,
            first: vec![0; counts.len()],
            unknowns: Vec::with_capacity(total),
            support: Vec::with_capacity(total),
            outside: Vec::with_capacity(total),
            a: vec![0.0; total * total],
            per_player: vec![0.0; counts.len()],
        }
    }

    /// The support's strategies, each player's first and the unknowns, unless they are those
    /// of the last call's support already.
    fn set_up(&mut self, in_support: &[bool]) {
        if self.mask == in_support {
            return;
        }
        self.mask.clear();
        self.mask.extend_from_slice(in_support);
        self.support.clear();
        self.unknowns.clear();
        self.outside.clear();
        self.complete = true;
        for (range, first) in self.ranges.iter().zip(&mut self.first) {
            let mut inside = range.clone().filter(|&c| in_support[c]);
            match inside.next() {
                Some(f) => *first = f,
                None => {
                    self.complete = false;
                    return;
                }
            }
        }
        for (c, (&inside, &i)) in in_support.iter().zip(&self.owner).enumerate() {
            if !inside {
                self.outside.push((c, i));
            } else {
                self.support.push(c);
                if self.first[i] != c {
                    self.unknowns.push((c, i));
                }
            }
        }
    }

    /// The polymatrix game's equilibrium with the given supports (over all strategies,
    /// players in order) into `s`, and its image `z = D s + s` ([`image`]) into
    /// `z`, if one exists with every probability and every outside strategy's shortfall
    /// nonnegative (`false` otherwise, `s` and `z` then undefined). Reads the columns of `jacobian` (`D`)
    /// in the support alone.
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
    /// r's shortfall is `v_i − Σ_{t∈S} D_{rt} x_t` with `v_i = Σ_{t∈S} D_{f_i t} x_t`; the
    /// sum for r is `z_r` (`x_r = 0`, and `z_r` adds the same nonzero terms in the same order
    /// from 0), so it is read from the image, which the iteration needs anyway. Solved by
    /// Gaussian elimination with partial pivoting; an exactly singular system has no solution
    /// here, nor has an empty support.
    pub fn solve(
        &mut self,
        jacobian: &DMatrix<f64>,
        in_support: &[bool],
        s: &mut [f64],
        z: &mut [f64],
    ) -> bool {
        let total = self.owner.len();
        self.set_up(&in_support[..total]);
        if !self.complete {
            return false;
        }
        let entries = &jacobian.as_slice()[..total * total];
        let s = &mut s[..total];
        let (first, support, unknowns) = (&self.first[..], &self.support[..], &self.unknowns[..]);
        let size = unknowns.len();
        let width = size + 1;
        let a = &mut self.a[..size * width];
        let first_excess = &mut self.per_player[..first.len()];
        for (equation, &(row, mine)) in a.chunks_exact_mut(width).zip(unknowns) {
            let f = first[mine];
            // E_{row c} = D_{row c} − D_{f c}
            let excess = |c: usize| entries[c * total + row] - entries[c * total + f];
            for (j, (e, &c)) in first_excess.iter_mut().zip(first).enumerate() {
                if j != mine {
                    *e = excess(c);
                }
            }
            for (entry, &(c, theirs)) in equation.iter_mut().zip(unknowns) {
                *entry = if theirs != mine {
                    excess(c) - first_excess[theirs]
                } else {
                    0.0
                };
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
        for (equation, &(c, i)) in a.chunks_exact(width).zip(unknowns) {
            let x = equation[size];
            s[c] = x;
            s[first[i]] -= x;
        }
        // not in [0, max]: negative, infinite or NaN
        let negative = |x: f64| !(0.0..=f64::MAX).contains(&x);
        if support.iter().any(|&c| negative(s[c])) {
            return false;
        }
        // z, and each player's value v_i = Σ_{t∈S} D_{f_i t} x_t from 0 in the support's
        // order (the terms of probability 0, whose columns z skips, add nothing)
        let values = &mut self.per_player[..first.len()];
        values.fill(0.0);
        let columns = support.iter().copied();
        image_of(entries, columns, s, z, |p, column| {
            for (value, &f) in values.iter_mut().zip(first) {
                *value += p * column[f];
            }
        });
        // each outside strategy's shortfall: its payoff is z's entry
        !self
            .outside
            .iter()
            .any(|&(r, i)| negative(values[i] - z[r]))
    }
}

/// `z = D s + s` for the polymatrix matrix `jacobian` (`D`) and a profile `s` (over all
/// strategies, players in order): `s`, then each column of positive probability added in
/// index order, as GameTracer computes it. Reads the columns of positive probability alone.
pub fn image(jacobian: &DMatrix<f64>, s: &[f64], z: &mut [f64]) {
    image_of(jacobian.as_slice(), 0..s.len(), s, z, |_, _| {});
}

/// [`image`] over the given columns (in index order, every column of positive probability
/// among them), calling `also` with each added column and its probability.
fn image_of(
    entries: &[f64],
    columns: impl Iterator<Item = usize>,
    s: &[f64],
    z: &mut [f64],
    mut also: impl FnMut(f64, &[f64]),
) {
    let total = s.len();
    let z = &mut z[..total];
    z.copy_from_slice(s);
    for c in columns {
        let p = s[c];
        if p > 0.0 {
            let column = &entries[c * total..][..total];
            add_scaled(z, p, column);
            also(p, column);
        }
    }
}

/// Solves the `size × size` system stored row-major in `a` with its right-hand side as column
/// `size`, by Gaussian elimination with partial pivoting and back substitution: afterwards
/// column `size` holds the solution. `false` when a pivot is exactly 0 (a singular system).
fn eliminate(a: &mut [f64], size: usize) -> bool {
    match size {
        0 => true,
        1 => eliminate_one(a),
        2 => eliminate_two(a),
        _ => eliminate_any(a, size),
    }
}

/// [`eliminate_any`]'s steps for one unknown: `a_00 x = a_01`.
fn eliminate_one(a: &mut [f64]) -> bool {
    let [pivot, rhs, ..] = a else { return false };
    if *pivot == 0.0 {
        return false;
    }
    *rhs /= *pivot;
    true
}

/// [`eliminate_any`]'s steps for two unknowns, unrolled: the same operations in the same
/// order (the pivot is the last row of largest magnitude, as `max_by` picks it).
fn eliminate_two(a: &mut [f64]) -> bool {
    let Some(a) = a.get_mut(..6) else {
        return false;
    };
    if a[3].abs().total_cmp(&a[0].abs()).is_ge() {
        if a[3] == 0.0 {
            return false;
        }
        let (top, bottom) = a.split_at_mut(3);
        top.swap_with_slice(bottom);
    } else if a[0] == 0.0 {
        return false;
    }
    let factor = a[3] / a[0];
    if factor != 0.0 {
        for j in 0..3 {
            a[3 + j] -= factor * a[j];
        }
    }
    if a[4] == 0.0 {
        return false;
    }
    let x = a[5] / a[4];
    a[5] = x;
    a[2] -= a[1] * x;
    a[2] /= a[0];
    true
}

/// [`eliminate`] for any size.
fn eliminate_any(a: &mut [f64], size: usize) -> bool {
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

    /// `D s + s` as GameTracer computes it: `s`, then every column of positive probability
    /// added in full, in index order.
    fn naive_image(d: &DMatrix<f64>, s: &[f64]) -> Vec<f64> {
        let mut z = s.to_vec();
        for (c, &p) in s.iter().enumerate() {
            if p > 0.0 {
                for (z, &v) in z.iter_mut().zip(d.column(c).iter()) {
                    *z += p * v;
                }
            }
        }
        z
    }

    fn bits(x: &[f64]) -> Vec<u64> {
        x.iter().map(|v| v.to_bits()).collect()
    }

    /// The unrolled eliminations for one and two unknowns take the general one's steps: the
    /// same answer (or refusal) to the last bit, on systems with ties for the pivot, zeros
    /// and exactly singular ones.
    #[test]
    fn small_eliminations_are_the_general_one() {
        let entries = [
            0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 3.0, -3.0, 1e-300, 7.0, -0.25,
        ];
        let mut state = 99u64;
        let mut pick = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            entries[(state >> 33) as usize % entries.len()]
        };
        for size in 0..=2 {
            for _ in 0..5000 {
                let system: Vec<f64> = (0..size * (size + 1)).map(|_| pick()).collect();
                let (mut ours, mut general) = (system.clone(), system.clone());
                let solved = eliminate(&mut ours, size);
                assert_eq!(solved, eliminate_any(&mut general, size), "{system:?}");
                if solved {
                    let answers = |a: &[f64]| -> Vec<u64> {
                        (0..size)
                            .map(|r| a[r * (size + 1) + size].to_bits())
                            .collect()
                    };
                    assert_eq!(answers(&ours), answers(&general), "{system:?}");
                }
            }
        }
    }

    /// On the polymatrix approximations of a few 3- and 4-player games (at interior
    /// profiles): Lemke's algorithm (written independently) reaches an equilibrium; the
    /// support system on its support finds the same one, and on every other support either
    /// refuses or returns an equilibrium (checked from the payoffs `D s`) with its image
    /// `D s + s` equal to the one computed in full to the last bit. The supports follow one
    /// another, so the bookkeeping kept for the last support is tested against each new one.
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
            let (mut ours, mut z) = (vec![0.0; total], vec![0.0; total]);
            let support: Vec<bool> = theirs.iter().map(|&p| p > 1e-12).collect();
            assert!(system.solve(&d, &support, &mut ours, &mut z), "{counts:?}");
            for (a, b) in ours.iter().zip(&theirs) {
                assert!(
                    (a - b).abs() < 1e-9,
                    "{counts:?}: {ours:?} against {theirs:?}"
                );
            }
            let mut found = 0;
            for mask in 1..1u32 << total {
                let support: Vec<bool> = (0..total).map(|c| mask >> c & 1 == 1).collect();
                if system.solve(&d, &support, &mut ours, &mut z) {
                    found += 1;
                    assert_eq!(
                        bits(&z),
                        bits(&naive_image(&d, &ours)),
                        "{counts:?} {mask:b}"
                    );
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
