//! The integer labelling of `simpdiv`, computed exactly on grid points.
//!
//! A point of the product of simplices is `x = z / M` with integer `z ≥ 0` (each player's
//! entries summing to the grid's denominator `M`). Its label is a pair (player `j`, strategy
//! `h`): `j` is the player with the largest regret (the first such player on ties) and `h` that
//! player's first best reply. This is the labelling Gambit uses with van der Laan, Talman & van
//! der Heyden's algorithm: a small simplex carrying every strategy of one player `j` as a label
//! (or as a face of the simplex the path is confined to) is close to a point where each strategy
//! `j` plays is a best reply, so `j`'s regret is about 0 — and `j` has the largest regret there,
//! so every player's is.
//!
//! Arithmetic: all payoffs are scaled to integer numerators over one common denominator `D`, so
//! player `j`'s value of strategy `h` times `M^{n−1}·D` is the integer
//! `V_j(h) = Σ_s Π_{q≠j} z_{q,s_q} · numerator_j(h, s)` and its regret times `M^n·D` is the
//! integer `gain_j = M · max_h V_j(h) − Σ_h z_{jh} V_j(h)`. Every label (every tie between
//! payoffs) is decided exactly, and regrets of points of one grid compare as integers. Since
//! `Σ_h z_{qh} = M`, every partial sum is at most `M^n · max|numerator|` in size: when twice that
//! fits in an `i128` (3 players on the grids Gambit's default stopping rule reaches, 4 players on
//! most) the sums run in machine integers, else in big integers — the same values either way.

use crate::game::StrategicGame;
use crate::num::{IBig, Q};
use dashu::base::{BitTest, Gcd, UnsignedAbs};
use dashu::integer::UBig;

/// One labelled grid point: its label (a flat strategy index, players' strategies in turn) and
/// its regret times `M^n · D` (see [`Labeller::regret`]).
#[derive(Debug, Clone)]
pub struct Labelled {
    /// The label: the flat index of the best reply of the player with the largest regret.
    pub label: usize,
    /// The largest regret, times `M^n · D`.
    pub gain: IBig,
}

/// Payoffs as integers over one denominator, and the layout of flat strategy indices.
#[derive(Debug)]
pub struct Labeller<'a> {
    game: &'a StrategicGame,
    numerators: Vec<Vec<IBig>>,
    /// The same numerators as machine integers, when each fits an `i128`.
    small: Option<Vec<Vec<i128>>>,
    /// Bits of the largest |numerator|.
    numerator_bits: usize,
    denominator: UBig,
    offsets: Vec<usize>,
}

/// The integer arithmetic of one labelling: `i128` when the sums are known to fit, else big
/// integers.
trait Exact: Clone + PartialOrd {
    fn zero() -> Self;
    fn of(c: i64) -> Self;
    /// `self += a · b`.
    fn add_product(&mut self, a: &Self, b: &Self);
    fn times(&self, c: &Self) -> Self;
    fn minus(&self, b: &Self) -> Self;
    fn to_ibig(&self) -> IBig;
}

impl Exact for i128 {
    fn zero() -> Self {
        0
    }
    fn of(c: i64) -> Self {
        i128::from(c)
    }
    fn add_product(&mut self, a: &Self, b: &Self) {
        *self += a * b;
    }
    fn times(&self, c: &Self) -> Self {
        self * c
    }
    fn minus(&self, b: &Self) -> Self {
        self - b
    }
    fn to_ibig(&self) -> IBig {
        IBig::from(*self)
    }
}

impl Exact for IBig {
    fn zero() -> Self {
        IBig::ZERO
    }
    fn of(c: i64) -> Self {
        IBig::from(c)
    }
    fn add_product(&mut self, a: &Self, b: &Self) {
        *self += a * b;
    }
    fn times(&self, c: &Self) -> Self {
        self * c
    }
    fn minus(&self, b: &Self) -> Self {
        self - b
    }
    fn to_ibig(&self) -> IBig {
        self.clone()
    }
}

impl<'a> Labeller<'a> {
    /// Scale `game`'s payoffs to integers over their least common denominator.
    pub fn new(game: &'a StrategicGame) -> Self {
        let denominator = (0..game.num_players())
            .flat_map(|p| game.payoff_table(p))
            .fold(UBig::ONE, |acc, q| {
                let d = q.denominator();
                let g = acc.clone().gcd(d);
                acc / g * d
            });
        let numerators: Vec<Vec<IBig>> = (0..game.num_players())
            .map(|p| {
                game.payoff_table(p)
                    .iter()
                    .map(|q| q.numerator() * IBig::from(&denominator / q.denominator()))
                    .collect()
            })
            .collect();
        let numerator_bits = numerators
            .iter()
            .flatten()
            .map(|v| v.unsigned_abs().bit_len())
            .max()
            .unwrap_or(0);
        let small = numerators
            .iter()
            .map(|t| {
                t.iter()
                    .map(|v| i128::try_from(v).ok())
                    .collect::<Option<Vec<i128>>>()
            })
            .collect();
        let mut offsets = vec![0];
        for p in 0..game.num_players() {
            offsets.push(offsets[p] + game.num_strategies(p));
        }
        Labeller {
            game,
            numerators,
            small,
            numerator_bits,
            denominator,
            offsets,
        }
    }

    /// First flat index of each player's strategies, and the total at the end.
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// The regret `gain / (M^n · D)` of a point of the grid `M`.
    pub fn regret(&self, gain: &IBig, m: i64) -> Q {
        let scale = UBig::from(m as u64).pow(self.game.num_players()) * &self.denominator;
        Q::from_parts(gain.clone(), scale)
    }

    /// Whether the sums on grid `m` fit an `i128` (see the module doc).
    fn fits_i128(&self, m: i64) -> bool {
        let m_bits = (m.unsigned_abs().max(1)).ilog2() as usize + 1;
        self.game.num_players() * m_bits + self.numerator_bits + 2 <= 126
    }

    /// The label and regret of the grid point `z / m` (every `z` nonnegative).
    pub fn label(&self, z: &[i64], m: i64) -> Labelled {
        debug_assert!(
            z.iter().all(|&c| c >= 0),
            "a grid point outside the simplices"
        );
        match &self.small {
            Some(small) if self.fits_i128(m) => self.label_in(z, m, small),
            _ => self.label_in(z, m, &self.numerators),
        }
    }

    fn label_in<T: Exact>(&self, z: &[i64], m: i64, tables: &[Vec<T>]) -> Labelled {
        let n = self.game.num_players();
        let grid = T::of(m);
        let mut best: Option<(usize, T)> = None;
        let mut values = Vec::new();
        for j in 0..n {
            self.values(z, j, &tables[j], &mut values);
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
            let own = &z[self.offsets[j]..self.offsets[j + 1]];
            let mut expected = T::zero();
            for (&c, v) in own.iter().zip(&values) {
                expected.add_product(&T::of(c), v);
            }
            let gain = grid.times(top).minus(&expected);
            if best.as_ref().is_none_or(|(_, g)| gain > *g) {
                best = Some((self.offsets[j] + reply, gain));
            }
        }
        let (label, gain) = best.expect("a game has at least one player");
        Labelled {
            label,
            gain: gain.to_ibig(),
        }
    }

    /// `values[h] = Σ_s Π_{q≠j} z_{q,s_q} · table(h, s)` for each strategy `h` of player `j`,
    /// over the others' strategies with nonzero weight.
    fn values<T: Exact>(&self, z: &[i64], j: usize, table: &[T], values: &mut Vec<T>) {
        let game = self.game;
        values.clear();
        values.resize(game.num_strategies(j), T::zero());
        let others: Vec<usize> = (0..game.num_players()).filter(|&q| q != j).collect();
        let supports: Vec<Vec<usize>> = others
            .iter()
            .map(|&q| {
                (0..game.num_strategies(q))
                    .filter(|&s| z[self.offsets[q] + s] != 0)
                    .collect()
            })
            .collect();
        if supports.iter().any(Vec::is_empty) {
            return;
        }
        let stride = game.stride(j);
        let mut digit = vec![0usize; others.len()];
        loop {
            let mut weight = T::of(1);
            let mut base = 0;
            for (d, &q) in others.iter().enumerate() {
                let s = supports[d][digit[d]];
                weight = weight.times(&T::of(z[self.offsets[q] + s]));
                base += s * game.stride(q);
            }
            for (h, value) in values.iter_mut().enumerate() {
                value.add_product(&weight, &table[base + h * stride]);
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
                return;
            }
        }
    }
}
