//! The Lyapunov function of a strategic game, its gradient, and the conjugate-gradient
//! minimiser that `liap` (strategic and agent form) runs on it.

use crate::game::StrategicGame;
use crate::solve::deadline::Deadline;

/// A function to minimise, and the test that a point is close enough to an equilibrium.
pub trait Lyapunov {
    /// The value at `x`.
    fn value(&self, x: &[f64]) -> f64;
    /// The value and gradient at `x`.
    fn value_and_gradient(&self, x: &[f64]) -> (f64, Vec<f64>);
    /// Whether `x`, as a profile, has regret at most `bound`.
    fn converged(&self, x: &[f64], bound: f64) -> bool;
}

/// Where the minimisation stopped.
#[derive(Debug, Clone)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub iterations: usize,
}

/// Most halvings or doublings of a line-search step (a factor 2⁶⁰ either way).
const MAX_HALVINGS: usize = 60;
/// Rounds of parabolic refinement of a line search's bracketed step.
const REFINEMENTS: usize = 4;

/// Polak–Ribière conjugate gradients (with `β ≥ 0`, and a restart along the steepest descent
/// whenever the direction is not one of descent) from `x`, until `converged`, `max_iter`
/// iterations, a line search that cannot decrease the function, or the deadline. Conjugate
/// directions need near-exact line minimisation (Nocedal & Wright §5.2): each search brackets
/// the minimum along the direction by doubling or halving the step and refines it by parabolic
/// interpolation (§3.5).
pub fn minimise(
    f: &impl Lyapunov,
    mut x: Vec<f64>,
    bound: f64,
    max_iter: usize,
    deadline: &Deadline,
) -> Minimum {
    let (mut value, mut gradient) = f.value_and_gradient(&x);
    let mut direction: Vec<f64> = gradient.iter().map(|g| -g).collect();
    let mut step = 1e-2;
    for iteration in 0..max_iter {
        if f.converged(&x, bound) || deadline.passed() {
            return Minimum {
                x,
                iterations: iteration,
            };
        }
        if dot(&gradient, &direction) >= 0.0 {
            direction = gradient.iter().map(|g| -g).collect();
        }
        let Some((found, next_value)) = line_search(f, &x, value, &direction, step) else {
            break;
        };
        step = found;
        let next: Vec<f64> = x
            .iter()
            .zip(&direction)
            .map(|(a, d)| a + step * d)
            .collect();
        let (_, next_gradient) = f.value_and_gradient(&next);
        let change: Vec<f64> = next_gradient
            .iter()
            .zip(&gradient)
            .map(|(a, b)| a - b)
            .collect();
        let beta = (dot(&next_gradient, &change) / dot(&gradient, &gradient)).max(0.0);
        direction = next_gradient
            .iter()
            .zip(&direction)
            .map(|(g, d)| -g + beta * d)
            .collect();
        (x, value, gradient) = (next, next_value, next_gradient);
    }
    Minimum {
        iterations: max_iter,
        x,
    }
}

/// A step along `direction` that lowers the function below `value` (near the line's minimum),
/// and the value there; `None` when no step does.
fn line_search(
    f: &impl Lyapunov,
    x: &[f64],
    value: f64,
    direction: &[f64],
    first: f64,
) -> Option<(f64, f64)> {
    let at = |t: f64| {
        let trial: Vec<f64> = x.iter().zip(direction).map(|(a, d)| a + t * d).collect();
        f.value(&trial)
    };
    let mut step = first;
    let mut here = at(step);
    if here < value {
        // Expand while the function keeps falling.
        for _ in 0..MAX_HALVINGS {
            let further = at(2.0 * step);
            if further >= here {
                break;
            }
            (step, here) = (2.0 * step, further);
        }
    } else {
        let mut lowered = false;
        for _ in 0..MAX_HALVINGS {
            step *= 0.5;
            here = at(step);
            if here < value {
                lowered = true;
                break;
            }
        }
        if !lowered {
            return None;
        }
    }
    // Parabolic refinement inside [step/2, 2·step], keeping the lowest point seen.
    let (mut a, mut b, mut c) = (0.5 * step, step, 2.0 * step);
    let (mut fa, mut fb, mut fc) = (at(a), here, at(c));
    for _ in 0..REFINEMENTS {
        let numerator = (b - a).powi(2) * (fb - fc) - (b - c).powi(2) * (fb - fa);
        let denominator = (b - a) * (fb - fc) - (b - c) * (fb - fa);
        if denominator.abs() <= f64::MIN_POSITIVE {
            break;
        }
        let t = b - 0.5 * numerator / denominator;
        if !(t > a && t < c) || (t - b).abs() <= 1e-12 * b {
            break;
        }
        let ft = at(t);
        if ft < fb {
            if t < b {
                (c, fc) = (b, fb);
            } else {
                (a, fa) = (b, fb);
            }
            (b, fb) = (t, ft);
        } else if t < b {
            (a, fa) = (t, ft);
        } else {
            (c, fc) = (t, ft);
        }
    }
    (fb < value).then_some((b, fb))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// McKelvey's function on a strategic game (see [`super`]).
#[derive(Debug)]
pub struct StrategicLyapunov<'a> {
    game: &'a StrategicGame,
    offsets: Vec<usize>,
}

impl<'a> StrategicLyapunov<'a> {
    pub fn new(game: &'a StrategicGame) -> Self {
        let mut offsets = vec![0];
        for p in 0..game.num_players() {
            offsets.push(offsets[p] + game.num_strategies(p));
        }
        StrategicLyapunov { game, offsets }
    }

    /// `x` as a mixed profile: negative entries set to 0, each player's vector renormalised
    /// (uniform when nothing is left).
    pub fn profile(&self, x: &[f64]) -> Vec<Vec<f64>> {
        self.offsets
            .windows(2)
            .map(|w| project(&x[w[0]..w[1]]))
            .collect()
    }

    /// The largest gain of a player from a pure deviation, at a mixed profile.
    pub fn regret(&self, profile: &[Vec<f64>]) -> f64 {
        let flat: Vec<f64> = profile.iter().flatten().copied().collect();
        let (values, _) = self.values(&flat, false);
        let mut regret: f64 = 0.0;
        for (p, s) in profile.iter().enumerate() {
            let v = &values[self.offsets[p]..self.offsets[p + 1]];
            let expected: f64 = v.iter().zip(s).map(|(a, b)| a * b).sum();
            let best = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            regret = regret.max(best - expected);
        }
        regret
    }

    /// `V_i(s) = u_i(s, x_{−i})` for every strategy (flat), and, when `pairs`, for each ordered
    /// pair of players `i ≠ j` the table `W_i(s; j, t) = u_i(s, t, x_{−ij})`, flat index
    /// `((i·n + j)` block, `s·m_j + t`).
    fn values(&self, x: &[f64], pairs: bool) -> (Vec<f64>, Vec<Vec<f64>>) {
        let game = self.game;
        let n = game.num_players();
        let counts = game.strategy_counts();
        let mut values = vec![0.0; self.offsets[n]];
        let mut pair_tables: Vec<Vec<f64>> = (0..n * n)
            .map(|k| {
                let (i, j) = (k / n, k % n);
                vec![
                    0.0;
                    if pairs && i != j {
                        counts[i] * counts[j]
                    } else {
                        0
                    }
                ]
            })
            .collect();
        let mut pure = vec![0usize; n];
        let mut weights = vec![0.0; n];
        for k in 0..game.num_profiles() {
            for q in 0..n {
                weights[q] = x[self.offsets[q] + pure[q]];
            }
            for i in 0..n {
                let payoff = game.payoff_table_f64(i)[k];
                let others: f64 = (0..n).filter(|&q| q != i).map(|q| weights[q]).product();
                values[self.offsets[i] + pure[i]] += others * payoff;
                if pairs {
                    for j in (0..n).filter(|&j| j != i) {
                        let w: f64 = (0..n)
                            .filter(|&q| q != i && q != j)
                            .map(|q| weights[q])
                            .product();
                        pair_tables[i * n + j][pure[i] * counts[j] + pure[j]] += w * payoff;
                    }
                }
            }
            for q in 0..n {
                pure[q] += 1;
                if pure[q] < counts[q] {
                    break;
                }
                pure[q] = 0;
            }
        }
        (values, pair_tables)
    }
}

/// Negative entries set to 0 and the vector renormalised (uniform when nothing is left).
pub fn project(x: &[f64]) -> Vec<f64> {
    let clipped: Vec<f64> = x.iter().map(|v| v.max(0.0)).collect();
    let sum: f64 = clipped.iter().sum();
    if sum > 0.0 {
        clipped.iter().map(|v| v / sum).collect()
    } else {
        vec![1.0 / x.len() as f64; x.len()]
    }
}

impl Lyapunov for StrategicLyapunov<'_> {
    fn value(&self, x: &[f64]) -> f64 {
        let (values, _) = self.values(x, false);
        let mut value = 0.0;
        for w in self.offsets.windows(2) {
            let (v, xi) = (&values[w[0]..w[1]], &x[w[0]..w[1]]);
            let expected: f64 = v.iter().zip(xi).map(|(a, b)| a * b).sum();
            value += v
                .iter()
                .map(|a| (a - expected).max(0.0).powi(2))
                .sum::<f64>();
            value += (1.0 - xi.iter().sum::<f64>()).powi(2);
            value += xi.iter().map(|p| p.min(0.0).powi(2)).sum::<f64>();
        }
        value
    }

    fn value_and_gradient(&self, x: &[f64]) -> (f64, Vec<f64>) {
        let game = self.game;
        let n = game.num_players();
        let counts = game.strategy_counts();
        let (values, pairs) = self.values(x, true);
        let mut value = 0.0;
        let mut gradient = vec![0.0; x.len()];
        for i in 0..n {
            let own = self.offsets[i]..self.offsets[i + 1];
            let v = &values[own.clone()];
            let xi = &x[own.clone()];
            let expected: f64 = v.iter().zip(xi).map(|(a, b)| a * b).sum();
            let gains: Vec<f64> = v.iter().map(|a| (a - expected).max(0.0)).collect();
            let total_gain: f64 = gains.iter().sum();
            value += gains.iter().map(|g| g * g).sum::<f64>();
            // ∂/∂x_it of u_i(x) is V_i(t); V_i(s) does not depend on x_i.
            for (t, vt) in v.iter().enumerate() {
                gradient[own.start + t] -= 2.0 * total_gain * vt;
            }
            for j in (0..n).filter(|&j| j != i) {
                let table = &pairs[i * n + j];
                for t in 0..counts[j] {
                    // ∂u_i(s, x_{−i})/∂x_jt = W_i(s; j, t); ∂u_i(x)/∂x_jt = Σ_s x_is W_i(s; j, t).
                    let through_expected: f64 = (0..counts[i])
                        .map(|s| xi[s] * table[s * counts[j] + t])
                        .sum();
                    let d: f64 = (0..counts[i])
                        .map(|s| 2.0 * gains[s] * (table[s * counts[j] + t] - through_expected))
                        .sum();
                    gradient[self.offsets[j] + t] += d;
                }
            }
            let missing = 1.0 - xi.iter().sum::<f64>();
            value += missing * missing;
            for t in own.clone() {
                gradient[t] -= 2.0 * missing;
                let negative = x[t].min(0.0);
                value += negative * negative;
                gradient[t] += 2.0 * negative;
            }
        }
        (value, gradient)
    }

    fn converged(&self, x: &[f64], bound: f64) -> bool {
        self.regret(&self.profile(x)) <= bound
    }
}
