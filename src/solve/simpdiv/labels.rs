//! The integer labelling of `simpdiv`, computed exactly on grid points.
//!
//! A point of the product of simplices is `x = z / M` with integer `z` (each player's entries
//! summing to the grid's denominator `M`). Its label is a pair (player `j`, strategy `h`): `j` is
//! the player with the largest regret (the first such player on ties) and `h` that player's
//! first best reply. This is the labelling Gambit uses with van der Laan, Talman & van der Heyden's
//! algorithm: a small simplex carrying every strategy of one player `j` as a label is close to a
//! point where each of `j`'s strategies is a best reply, so `j`'s regret is about 0 — and `j` has
//! the largest regret there, so every player's is.
//!
//! A grid point with a negative coordinate lies outside the product of simplices (the path may
//! step one grid layer past a face); it is labelled `(j, k)` for its first negative coordinate:
//! the direction `q(j, k)` raises `x_{jk}` and leads back inside. Near such a point `x_{jk} ≈ 0`,
//! so a complete simplex still certifies that every strategy `j` plays is a best reply.
//!
//! Arithmetic: each player's payoffs are scaled to integer numerators over one denominator,
//! and values `Σ_s Π_{q≠j} z_{q,s_q} · u_j(s)` are computed in big integers, so every label
//! (every tie between payoffs) is decided exactly.

use crate::game::StrategicGame;
use crate::num::{IBig, Q};
use dashu::base::Gcd;
use dashu::integer::UBig;

/// One labelled grid point: its label (a flat strategy index, players' strategies in turn) and,
/// inside the product of simplices, its exact regret.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub label: usize,
    pub regret: Option<Q>,
}

/// Payoffs as integers, and the layout of flat strategy indices.
#[derive(Debug)]
pub struct Labeller<'a> {
    game: &'a StrategicGame,
    numerators: Vec<Vec<IBig>>,
    denominators: Vec<IBig>,
    offsets: Vec<usize>,
}

impl<'a> Labeller<'a> {
    pub fn new(game: &'a StrategicGame) -> Self {
        let (numerators, denominators) = (0..game.num_players())
            .map(|p| integer_table(game.payoff_table(p)))
            .unzip();
        let mut offsets = vec![0];
        for p in 0..game.num_players() {
            offsets.push(offsets[p] + game.num_strategies(p));
        }
        Labeller {
            game,
            numerators,
            denominators,
            offsets,
        }
    }

    /// First flat index of each player's strategies, and the total at the end.
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// The label and regret of the grid point `z / m`.
    pub fn label(&self, z: &[i64], m: i64) -> Labelled {
        if let Some(k) = z.iter().position(|&c| c < 0) {
            return Labelled {
                label: k,
                regret: None,
            };
        }
        let n = self.game.num_players();
        // Player j's regret is gain_j / (m^n · den_j); compare gain_j / den_j across players.
        let mut best: Option<(usize, usize, IBig)> = None;
        for j in 0..n {
            let values = self.values(z, j);
            let own = &z[self.offsets[j]..self.offsets[j + 1]];
            let (reply, top) =
                values
                    .iter()
                    .enumerate()
                    .fold(
                        (0, &values[0]),
                        |(bi, bv), (h, v)| {
                            if v > bv {
                                (h, v)
                            } else {
                                (bi, bv)
                            }
                        },
                    );
            let expected = own
                .iter()
                .zip(&values)
                .fold(IBig::ZERO, |acc, (&c, v)| acc + IBig::from(c) * v);
            let gain = IBig::from(m) * top - expected;
            let larger = match &best {
                None => true,
                Some((bj, _, bg)) => &gain * &self.denominators[*bj] > bg * &self.denominators[j],
            };
            if larger {
                best = Some((j, reply, gain));
            }
        }
        let (j, reply, gain) = best.expect("a game has at least one player");
        let scale = IBig::from(m).pow(n) * &self.denominators[j];
        let scale = UBig::try_from(scale).expect("grid denominators and scales are positive");
        Labelled {
            label: self.offsets[j] + reply,
            regret: Some(Q::from_parts(gain, scale)),
        }
    }

    /// `Σ_s Π_{q≠j} z_{q,s_q} · numerator_j(h, s)` for each strategy `h` of player `j`, over the
    /// others' strategies with nonzero weight.
    fn values(&self, z: &[i64], j: usize) -> Vec<IBig> {
        let game = self.game;
        let others: Vec<usize> = (0..game.num_players()).filter(|&q| q != j).collect();
        let supports: Vec<Vec<usize>> = others
            .iter()
            .map(|&q| {
                (0..game.num_strategies(q))
                    .filter(|&s| z[self.offsets[q] + s] != 0)
                    .collect()
            })
            .collect();
        let mut values = vec![IBig::ZERO; game.num_strategies(j)];
        if supports.iter().any(Vec::is_empty) {
            return values;
        }
        let table = &self.numerators[j];
        let stride = game.stride(j);
        let mut digit = vec![0usize; others.len()];
        loop {
            let mut weight = IBig::ONE;
            let mut base = 0;
            for (d, &q) in others.iter().enumerate() {
                let s = supports[d][digit[d]];
                weight *= IBig::from(z[self.offsets[q] + s]);
                base += s * game.stride(q);
            }
            for (h, value) in values.iter_mut().enumerate() {
                *value += &weight * &table[base + h * stride];
            }
            let mut d = 0;
            while d < others.len() {
                digit[d] += 1;
                if digit[d] < supports[d].len() {
                    break;
                }
                digit[d] = 0;
                d += 1;
            }
            if d == others.len() {
                return values;
            }
        }
    }
}

/// A payoff table as integer numerators over their least common denominator.
fn integer_table(table: &[Q]) -> (Vec<IBig>, IBig) {
    let denominator = table.iter().fold(UBig::ONE, |acc, q| {
        let d = q.denominator();
        let g = acc.clone().gcd(d);
        acc / g * d
    });
    let numerators = table
        .iter()
        .map(|q| q.numerator() * IBig::from(&denominator / q.denominator()))
        .collect();
    (numerators, IBig::from(denominator))
}
