//! One support cell of the global Newton path: the equations of the perturbed game's
//! equilibria whose supports are a fixed profile `B` of strategy sets, and the boundaries where
//! the path leaves it.
//!
//! Unknowns `x = (σ_B, v, λ)`: the probabilities of the strategies in the supports (player by
//! player, in strategy order), each player's perturbed equilibrium payoff `v_i`, and λ.
//! Equations, with `W_is(σ)` player i's expected payoff from pure strategy s against the others'
//! mixture and `g` the (scaled) perturbation:
//!
//! * `W_is(σ) + λ·g_is − v_i = 0` for each `s ∈ B_i` (every support strategy earns `v_i`), and
//! * `Σ_{s∈B_i} σ_is − 1 = 0` for each player,
//!
//! one fewer than the unknowns, so the solutions form curves. The cell's part of the path is
//! where additionally `σ_is ≥ 0` on the supports and the slack `v_i − W_is − λ·g_is ≥ 0` off
//! them (no strategy outside a support earns more): the path leaves the cell where one of these
//! reaches 0 (a [`Boundary`]), and continues in the cell with that strategy moved into or out of
//! the support. In Govindan & Wilson's coordinates `z = σ + W(σ) + λ·g`, a cell is the region
//! where the retraction onto the strategy simplices has support `B`; there the path is smooth.

use super::payoffs::{Conditional, Payoffs};
use crate::game::StrategicGame;
use nalgebra::{DMatrix, DVector, Dyn, VecStorage, U1};

/// A strategy reaching the edge of the cell: its probability falls to 0 (it leaves the
/// support), or its slack falls to 0 (it earns as much as the support and enters it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    Leaves { player: usize, strategy: usize },
    Enters { player: usize, strategy: usize },
}

impl Boundary {
    /// The boundary on the other side: where the path, having crossed `self`, starts in the
    /// next cell (it must move away from it, into the new cell).
    pub fn reverse(self) -> Boundary {
        match self {
            Boundary::Leaves { player, strategy } => Boundary::Enters { player, strategy },
            Boundary::Enters { player, strategy } => Boundary::Leaves { player, strategy },
        }
    }
}

/// The supports of a cell and where each unknown sits in `x`.
#[derive(Debug, Clone)]
pub struct Cell {
    support: Vec<Vec<usize>>,
    offsets: Vec<usize>,
    sigmas: usize,
}

/// The equations' values, their Jacobian (`n × (n+1)`) and the conditional payoffs at a point.
pub struct Evaluation {
    pub value: DVector<f64>,
    pub jacobian: DMatrix<f64>,
    values: Conditional,
}

impl Evaluation {
    /// An evaluation of nothing, whose buffers [`Cell::evaluate_into`] fills.
    pub fn empty() -> Self {
        Evaluation {
            value: DVector::zeros(0),
            jacobian: DMatrix::zeros(0, 0),
            values: Conditional::default(),
        }
    }
}

impl Cell {
    /// The cell of the supports `support` (each sorted, none empty).
    pub fn new(support: Vec<Vec<usize>>) -> Self {
        let offsets = support
            .iter()
            .scan(0, |acc, s| {
                let start = *acc;
                *acc += s.len();
                Some(start)
            })
            .collect();
        let sigmas = support.iter().map(Vec::len).sum();
        Cell {
            support,
            offsets,
            sigmas,
        }
    }

    pub fn support(&self) -> &[Vec<usize>] {
        &self.support
    }

    /// Number of equations (the unknowns are one more).
    #[inline]
    pub fn equations(&self) -> usize {
        self.sigmas + self.support.len()
    }

    #[inline]
    pub fn lambda_index(&self) -> usize {
        self.equations()
    }

    #[inline]
    fn v_index(&self, player: usize) -> usize {
        self.sigmas + player
    }

    #[inline]
    fn sigma_index(&self, player: usize, strategy: usize) -> Option<usize> {
        self.support[player]
            .iter()
            .position(|&s| s == strategy)
            .map(|k| self.offsets[player] + k)
    }

    /// The full mixed profile at `x` (0 off the supports).
    pub fn profile(&self, game: &StrategicGame, x: &DVector<f64>) -> Vec<Vec<f64>> {
        self.support
            .iter()
            .enumerate()
            .map(|(i, support)| {
                let mut sigma = vec![0.0; game.num_strategies(i)];
                for (k, &s) in support.iter().enumerate() {
                    sigma[s] = x[self.offsets[i] + k];
                }
                sigma
            })
            .collect()
    }

    /// `x` for a profile, payoffs `v` and `λ`.
    pub fn point(&self, profile: &[Vec<f64>], v: &[f64], lambda: f64) -> DVector<f64> {
        let mut x = DVector::zeros(self.equations() + 1);
        for (i, support) in self.support.iter().enumerate() {
            for (k, &s) in support.iter().enumerate() {
                x[self.offsets[i] + k] = profile[i][s];
            }
            x[self.v_index(i)] = v[i];
        }
        x[self.lambda_index()] = lambda;
        x
    }

    /// The equations at `x` (the path evaluates into kept buffers: [`Cell::evaluate_into`]).
    #[cfg(test)]
    pub fn evaluate(&self, payoffs: &Payoffs, g: &[Vec<f64>], x: &DVector<f64>) -> Evaluation {
        let mut at = Evaluation::empty();
        self.evaluate_into(payoffs, g, x, &mut at);
        at
    }

    /// The equations' values, their Jacobian and the conditional payoffs at `x`, into the
    /// buffers of `into` (an evaluation no longer needed: the path evaluates in every Newton
    /// iteration, and keeps the buffers).
    pub fn evaluate_into(
        &self,
        payoffs: &Payoffs,
        g: &[Vec<f64>],
        x: &DVector<f64>,
        into: &mut Evaluation,
    ) {
        let Evaluation {
            value,
            jacobian,
            values,
        } = into;
        let x = x.as_slice();
        payoffs.at_into(&self.support, |j, l| x[self.offsets[j] + l], values);
        let n = self.equations();
        let lambda = x[self.lambda_index()];
        // every entry of the value is written below, and those of the Jacobian off its pattern
        // are 0 (a buffer of another shape is reshaped in its own allocation)
        if value.len() != n {
            let mut data: Vec<f64> = std::mem::replace(value, DVector::zeros(0)).data.into();
            data.resize(n, 0.0);
            *value = DVector::from_data(VecStorage::new(Dyn(n), U1, data));
        }
        if jacobian.shape() == (n, n + 1) {
            jacobian.as_mut_slice().fill(0.0);
        } else {
            let mut data: Vec<f64> = std::mem::replace(jacobian, DMatrix::zeros(0, 0))
                .data
                .into();
            data.clear();
            data.resize(n * (n + 1), 0.0);
            *jacobian = DMatrix::from_data(VecStorage::new(Dyn(n), Dyn(n + 1), data));
        }
        let value = value.as_mut_slice();
        // column-major, column c from c·n: the probabilities' columns, the v's, then λ's
        let (sigma_columns, rest) = jacobian.as_mut_slice().split_at_mut(self.sigmas * n);
        let (v_columns, lambda_column) = rest.split_at_mut(self.support.len() * n);
        for (i, support) in self.support.iter().enumerate() {
            let (sum_row, rows) = (
                self.v_index(i),
                self.offsets[i]..self.offsets[i] + support.len(),
            );
            let (own, g, v) = (values.own_all(payoffs, i), &g[i], x[sum_row]);
            let mut sum = 0.0;
            let own_columns = sigma_columns[rows.start * n..].chunks_exact_mut(n);
            let v_column = &mut v_columns[i * n..][rows.clone()];
            for (((((&s, &sigma), column), value), v_entry), lambda_entry) in support
                .iter()
                .zip(&x[rows.clone()])
                .zip(own_columns)
                .zip(&mut value[rows.clone()])
                .zip(v_column)
                .zip(&mut lambda_column[rows.clone()])
            {
                sum += sigma;
                column[sum_row] = 1.0;
                *value = own[s] + lambda * g[s] - v;
                *v_entry = -1.0;
                *lambda_entry = g[s];
            }
            value[sum_row] = sum - 1.0;
            // ∂W_is/∂σ_jt for s in i's support: rows `rows` of σ_jt's column (a copy where i
            // mixes all its strategies)
            let m = own.len();
            for (j, other) in self.support.iter().enumerate().filter(|(j, _)| *j != i) {
                let pairs = values.pairs_with(payoffs, i, j);
                let columns = sigma_columns[self.offsets[j] * n..].chunks_exact_mut(n);
                for (column, &t) in columns.zip(other) {
                    let column = &mut column[rows.clone()];
                    let derivatives = &pairs[t * m..][..m];
                    if support.len() == m {
                        column.copy_from_slice(derivatives);
                    } else {
                        for (entry, &s) in column.iter_mut().zip(support) {
                            *entry = derivatives[s];
                        }
                    }
                }
            }
        }
    }

    /// Move the evaluation `at` of the equations at `y` to `y − delta`, to first order: the
    /// values by `−J·delta`, the payoffs `W_is` by their derivatives times `−delta` (what is
    /// left out are products of two entries of `delta`); the Jacobian and the derivatives stay
    /// those at `y`. For a corrector's last, small Newton step, whose evaluation and
    /// factorisation at its end would show only that it converged.
    pub fn shift(&self, payoffs: &Payoffs, at: &mut Evaluation, delta: &[f64]) {
        let n = self.equations();
        let value = at.value.as_mut_slice();
        for (column, &d) in at.jacobian.as_slice().chunks_exact(n).zip(delta) {
            for (value, entry) in value.iter_mut().zip(column) {
                *value -= entry * d;
            }
        }
        at.values
            .step_own(payoffs, &self.support, |j, l| delta[self.offsets[j] + l]);
    }

    /// Whether the cell's curve is a line: no player's payoffs depend on two mixing players
    /// (two players, or at most one mixing), so every `W_is` is linear in the unknowns, and so
    /// are the equations.
    pub fn is_line(&self, game: &StrategicGame) -> bool {
        let mixing = self.support.iter().filter(|s| s.len() > 1).count();
        game.num_players() <= 2 || mixing <= 1
    }

    /// Every boundary of the cell: each support strategy may leave, each other one enter.
    pub fn boundaries<'c>(
        &'c self,
        game: &'c StrategicGame,
    ) -> impl Iterator<Item = Boundary> + 'c {
        self.support
            .iter()
            .enumerate()
            .flat_map(move |(player, support)| {
                (0..game.num_strategies(player)).map(move |strategy| {
                    if support.contains(&strategy) {
                        Boundary::Leaves { player, strategy }
                    } else {
                        Boundary::Enters { player, strategy }
                    }
                })
            })
    }

    /// Call `visit` with every boundary, in the order of [`Cell::boundaries`] (player by
    /// player, each player's strategies in order), without building an iterator over them.
    pub fn for_each_boundary(&self, game: &StrategicGame, mut visit: impl FnMut(Boundary)) {
        for (player, support) in self.support.iter().enumerate() {
            // the support is sorted: walk it along the strategies
            let mut next = support.iter().peekable();
            for strategy in 0..game.num_strategies(player) {
                if next.next_if_eq(&&strategy).is_some() {
                    visit(Boundary::Leaves { player, strategy });
                } else {
                    visit(Boundary::Enters { player, strategy });
                }
            }
        }
    }

    /// [`Cell::distance_rate`] of every boundary, in the order of [`Cell::boundaries`], into
    /// `rates`, in one pass without [`Cell::distance_rate`]'s lookups per boundary: every rate
    /// is the same sum, term by term in the same order, so the same number to the last bit.
    pub fn distance_rates(
        &self,
        payoffs: &Payoffs,
        at: &Evaluation,
        g: &[Vec<f64>],
        t: &DVector<f64>,
        rates: &mut Vec<f64>,
    ) {
        rates.clear();
        let t = t.as_slice();
        let along_lambda = t[self.lambda_index()];
        for (i, support) in self.support.iter().enumerate() {
            let along_v = t[self.v_index(i)];
            let m = g[i].len();
            // the support is sorted: walk it along the strategies
            let mut members = support.iter().enumerate().peekable();
            for (s, &g) in g[i].iter().enumerate() {
                if let Some((k, _)) = members.next_if(|&(_, &u)| u == s) {
                    // a support strategy's distance is its probability
                    rates.push(0.0 + 1.0 * t[self.offsets[i] + k]);
                    continue;
                }
                // the slack's partials by v_i and λ, then by the others' probabilities, in the
                // order `for_each_partial` gives them
                let mut rate = 0.0 + 1.0 * along_v + -g * along_lambda;
                for (j, other) in self.support.iter().enumerate().filter(|(j, _)| *j != i) {
                    let pairs = &at.values.pairs_with(payoffs, i, j)[s..];
                    let along = &t[self.offsets[j]..][..other.len()];
                    for (&u, &along) in other.iter().zip(along) {
                        rate += -pairs[u * m] * along;
                    }
                }
                rates.push(rate);
            }
        }
    }

    /// How far inside the boundary `x` is: `σ_is` for a support strategy, the slack
    /// `v_i − W_is − λ·g_is` for another; negative once the path has crossed it.
    pub fn distance(
        &self,
        payoffs: &Payoffs,
        boundary: Boundary,
        x: &DVector<f64>,
        at: &Evaluation,
        g: &[Vec<f64>],
    ) -> f64 {
        let x = x.as_slice();
        match boundary {
            Boundary::Leaves { player, strategy } => self
                .sigma_index(player, strategy)
                .map_or(f64::NAN, |k| x[k]),
            Boundary::Enters { player, strategy } => {
                x[self.v_index(player)]
                    - at.values.own(payoffs, player, strategy)
                    - x[self.lambda_index()] * g[player][strategy]
            }
        }
    }

    /// The gradient of [`Self::distance`] with respect to `x` (the path writes it into a kept
    /// buffer: [`Cell::distance_gradient_into`]).
    #[cfg(test)]
    pub fn distance_gradient(
        &self,
        payoffs: &Payoffs,
        boundary: Boundary,
        at: &Evaluation,
        g: &[Vec<f64>],
    ) -> DVector<f64> {
        let mut gradient = DVector::zeros(self.equations() + 1);
        self.distance_gradient_into(payoffs, boundary, at, g, &mut gradient);
        gradient
    }

    /// The gradient of [`Self::distance`] with respect to `x`, written into `gradient` (of
    /// `equations() + 1` entries, overwritten).
    pub fn distance_gradient_into(
        &self,
        payoffs: &Payoffs,
        boundary: Boundary,
        at: &Evaluation,
        g: &[Vec<f64>],
        gradient: &mut DVector<f64>,
    ) {
        gradient.fill(0.0);
        self.for_each_partial(payoffs, boundary, at, g, |k, d| gradient[k] = d);
    }

    /// The rate of change of [`Self::distance`] along `t`: its gradient times `t`.
    pub fn distance_rate(
        &self,
        payoffs: &Payoffs,
        boundary: Boundary,
        at: &Evaluation,
        g: &[Vec<f64>],
        t: &DVector<f64>,
    ) -> f64 {
        let mut rate = 0.0;
        self.for_each_partial(payoffs, boundary, at, g, |k, d| rate += d * t[k]);
        rate
    }

    /// Each nonzero partial derivative `(k, ∂distance/∂x_k)` of `boundary`'s distance.
    fn for_each_partial(
        &self,
        payoffs: &Payoffs,
        boundary: Boundary,
        at: &Evaluation,
        g: &[Vec<f64>],
        mut partial: impl FnMut(usize, f64),
    ) {
        match boundary {
            Boundary::Leaves { player, strategy } => {
                if let Some(k) = self.sigma_index(player, strategy) {
                    partial(k, 1.0);
                }
            }
            Boundary::Enters { player, strategy } => {
                partial(self.v_index(player), 1.0);
                partial(self.lambda_index(), -g[player][strategy]);
                let m = payoffs.game().num_strategies(player);
                for (j, other) in self
                    .support
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != player)
                {
                    // ∂W_is/∂σ_jt for each t: the derivatives with j, t-major
                    let pairs = &at.values.pairs_with(payoffs, player, j)[strategy..];
                    for (l, &t) in other.iter().enumerate() {
                        partial(self.offsets[j] + l, -pairs[t * m]);
                    }
                }
            }
        }
    }

    /// The cell on the other side of every boundary of `crossed`, crossed in order.
    pub fn across(&self, crossed: &[Boundary]) -> Cell {
        let mut support = self.support.clone();
        for &boundary in crossed {
            match boundary {
                Boundary::Leaves { player, strategy } => support[player].retain(|&s| s != strategy),
                Boundary::Enters { player, strategy } => {
                    support[player].push(strategy);
                    support[player].sort_unstable();
                }
            }
        }
        Cell::new(support)
    }

    /// A vector of this cell's coordinates in `to`'s (a strategy that is not in `to`'s supports
    /// is dropped, one that is new gets 0).
    pub fn carry(&self, x: &DVector<f64>, to: &Cell) -> DVector<f64> {
        let mut y = DVector::zeros(to.equations() + 1);
        for (i, support) in to.support.iter().enumerate() {
            for (k, &s) in support.iter().enumerate() {
                if let Some(from) = self.sigma_index(i, s) {
                    y[to.offsets[i] + k] = x[from];
                }
            }
            y[to.v_index(i)] = x[self.v_index(i)];
        }
        y[to.lambda_index()] = x[self.lambda_index()];
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×3×2 game with arbitrary payoffs.
    fn game() -> StrategicGame {
        StrategicGame::arbitrary(&[2, 3, 2], 11, 4)
    }

    /// A perturbation of [`game`], a cell with a mixing, a pure and a mixing player, and a point
    /// of its unknowns (probabilities, values, λ) off the path.
    fn cell_and_point() -> (Vec<Vec<f64>>, Cell, DVector<f64>) {
        (
            vec![vec![0.5, -0.2], vec![0.1, 0.7, 0.0], vec![0.3, 0.9]],
            Cell::new(vec![vec![0, 1], vec![0, 2], vec![1]]),
            DVector::from_vec(vec![0.3, 0.6, 0.45, 0.5, 1.1, 0.2, -0.3, 0.4, 0.8]),
        )
    }

    /// The Jacobian and the boundary gradients must be the derivatives of the equations and of
    /// the distances: compare with central differences.
    #[test]
    fn derivatives_match_finite_differences() {
        let game = game();
        let (g, cell, x) = cell_and_point();
        let payoffs = Payoffs::new(&game);
        let at = cell.evaluate(&payoffs, &g, &x);
        let eps = 1e-6;
        let shifted = |c: usize, d: f64| {
            let mut y = x.clone();
            y[c] += d;
            y
        };
        for c in 0..x.len() {
            let (up, down) = (shifted(c, eps), shifted(c, -eps));
            let (e_up, e_down) = (
                cell.evaluate(&payoffs, &g, &up),
                cell.evaluate(&payoffs, &g, &down),
            );
            let numeric = (&e_up.value - &e_down.value) / (2.0 * eps);
            for r in 0..numeric.len() {
                assert!(
                    (numeric[r] - at.jacobian[(r, c)]).abs() < 1e-6,
                    "J[{r},{c}]"
                );
            }
            for b in cell.boundaries(&game) {
                let numeric = (cell.distance(&payoffs, b, &up, &e_up, &g)
                    - cell.distance(&payoffs, b, &down, &e_down, &g))
                    / (2.0 * eps);
                let exact = cell.distance_gradient(&payoffs, b, &at, &g)[c];
                assert!((numeric - exact).abs() < 1e-6, "{b:?} d/dx{c}");
                let mut unit = DVector::zeros(x.len());
                unit[c] = 1.0;
                let rate = cell.distance_rate(&payoffs, b, &at, &g, &unit);
                assert!((rate - exact).abs() < 1e-12, "{b:?} rate along x{c}");
            }
        }
        // every boundary's rate at once, along a direction with no zero entry: the same
        // numbers to the last bit, in the order of the boundaries
        let t = DVector::from_fn(x.len(), |k, _| (k as f64 * 0.9 + 0.4).sin());
        let mut rates = Vec::new();
        cell.distance_rates(&payoffs, &at, &g, &t, &mut rates);
        let mut visited = Vec::new();
        cell.for_each_boundary(&game, |b| visited.push(b));
        assert_eq!(visited, cell.boundaries(&game).collect::<Vec<_>>());
        let one_by_one: Vec<f64> = visited
            .iter()
            .map(|&b| cell.distance_rate(&payoffs, b, &at, &g, &t))
            .collect();
        assert_eq!(rates, one_by_one);
    }

    /// An evaluation moved by a small step (`Cell::shift`) against the equations evaluated
    /// afresh at the new point: the values and every strategy's payoff (read through the
    /// boundaries' distances) agree to second order in the step, while those before the move
    /// are off by first order.
    #[test]
    fn a_shifted_evaluation_is_the_new_points_to_first_order() {
        let game = game();
        let (g, cell, y) = cell_and_point();
        let payoffs = Payoffs::new(&game);
        let delta: Vec<f64> = (0..y.len())
            .map(|k| 1e-5 * ((k as f64) * 1.3).sin())
            .collect();
        let x = &y - DVector::from_column_slice(&delta);
        let fresh = cell.evaluate(&payoffs, &g, &x);
        let mut moved = cell.evaluate(&payoffs, &g, &y);
        let before = cell.evaluate(&payoffs, &g, &y);
        cell.shift(&payoffs, &mut moved, &delta);
        // second order: payoffs of a few units times two steps of 1e-5
        assert!((&moved.value - &fresh.value).amax() < 1e-8);
        assert!((&before.value - &fresh.value).amax() > 1e-6);
        for b in cell.boundaries(&game) {
            let want = cell.distance(&payoffs, b, &x, &fresh, &g);
            let got = cell.distance(&payoffs, b, &x, &moved, &g);
            assert!((got - want).abs() < 1e-8, "{b:?}: {got} vs {want}");
        }
        // the payoffs of strategies off the supports moved too (their slacks read them)
        let entering = Boundary::Enters {
            player: 1,
            strategy: 1,
        };
        let stale = cell.distance(&payoffs, entering, &x, &before, &g);
        let want = cell.distance(&payoffs, entering, &x, &fresh, &g);
        assert!((stale - want).abs() > 1e-7, "{stale} vs {want}");
    }

    #[test]
    fn crossing_a_boundary_moves_one_strategy() {
        let cell = Cell::new(vec![vec![0, 1], vec![2], vec![1]]);
        let out = cell.across(&[Boundary::Leaves {
            player: 0,
            strategy: 0,
        }]);
        assert_eq!(out.support(), &[vec![1], vec![2], vec![1]]);
        let back = out.across(&[Boundary::Enters {
            player: 1,
            strategy: 0,
        }]);
        assert_eq!(back.support(), &[vec![1], vec![0, 2], vec![1]]);
        assert_eq!(back.equations(), 4 + 3);
    }
}
