//! Strategic (normal-form) games with any number of players.
//!
//! Payoffs are held exactly as rationals, with an `f64` copy for fast float solvers.
//! Pure profiles are stored in Gambit's order: player 1's strategy varies fastest
//! (the order of a `.nfg` payoff list), so `index = Σ_i s_i · stride_i`.

use super::integer_payoffs::IntegerPayoffs;
use crate::error::{Error, Result};
use crate::limits;
use crate::num::{to_f64, Q};

/// A validated strategic-form game: labels, exact payoffs and their `f64` and integer copies.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategicGame {
    title: String,
    comment: String,
    players: Vec<String>,
    strategies: Vec<Vec<String>>,
    /// `payoffs[p][profile_index]`: player p's payoff in that pure profile.
    payoffs: Vec<Vec<Q>>,
    payoffs_f64: Vec<Vec<f64>>,
    /// Each player's table on integer numerators, when it fits (see [`IntegerPayoffs`]).
    payoffs_int: Vec<Option<IntegerPayoffs>>,
    /// The largest absolute payoff, at least 1 (see [`StrategicGame::payoff_scale`]).
    payoff_scale: f64,
    strides: Vec<usize>,
}

impl StrategicGame {
    /// Build a game from labels and payoffs laid out player-1-fastest.
    /// Refuses games over [`limits::MAX_PAYOFF_ENTRIES`] before allocating.
    pub fn new(
        title: impl Into<String>,
        players: Vec<String>,
        strategies: Vec<Vec<String>>,
        payoffs: Vec<Vec<Q>>,
    ) -> Result<Self> {
        let n = players.len();
        if n == 0 {
            return Err(Error::Unsupported(
                "a game needs at least one player".into(),
            ));
        }
        if strategies.len() != n || payoffs.len() != n {
            return Err(Error::Unsupported(format!(
                "{n} players but {} strategy lists and {} payoff tables",
                strategies.len(),
                payoffs.len()
            )));
        }
        let counts: Vec<usize> = strategies.iter().map(Vec::len).collect();
        let cells = check_size(&counts)?;
        if let Some(p) = counts.iter().position(|&c| c == 0) {
            return Err(Error::Unsupported(format!(
                "player {} has no strategies",
                p + 1
            )));
        }
        for (p, table) in payoffs.iter().enumerate() {
            if table.len() != cells {
                return Err(Error::Unsupported(format!(
                    "player {} has {} payoffs, expected {cells}",
                    p + 1,
                    table.len()
                )));
            }
        }
        let mut strides = Vec::with_capacity(n);
        let mut s = 1;
        for &c in &counts {
            strides.push(s);
            s *= c;
        }
        let payoffs_f64: Vec<Vec<f64>> = payoffs
            .iter()
            .map(|t| t.iter().map(to_f64).collect())
            .collect();
        let payoff_scale = payoffs_f64
            .iter()
            .flatten()
            .map(|v| v.abs())
            .fold(1.0, f64::max);
        let payoffs_int = payoffs.iter().map(|t| IntegerPayoffs::new(t)).collect();
        Ok(StrategicGame {
            title: title.into(),
            comment: String::new(),
            players,
            strategies,
            payoffs,
            payoffs_f64,
            payoffs_int,
            payoff_scale,
            strides,
        })
    }

    /// A two-player game from row-player matrix `a` and column-player matrix `b` (`a[i][j]`).
    pub fn bimatrix(a: &[Vec<Q>], b: &[Vec<Q>]) -> Result<Self> {
        let m = a.len();
        let n = a.first().map_or(0, Vec::len);
        if b.len() != m || a.iter().chain(b).any(|r| r.len() != n) {
            return Err(Error::Unsupported(
                "bimatrix: A and B must be m×n matrices of one shape".into(),
            ));
        }
        let mut pa = Vec::with_capacity(m * n);
        let mut pb = Vec::with_capacity(m * n);
        for j in 0..n {
            for i in 0..m {
                pa.push(a[i][j].clone());
                pb.push(b[i][j].clone());
            }
        }
        let labels = |k: usize| (1..=k).map(|i| i.to_string()).collect::<Vec<_>>();
        Self::new(
            "",
            vec!["Player 1".into(), "Player 2".into()],
            vec![labels(m), labels(n)],
            vec![pa, pb],
        )
    }

    /// The same game with its free-text comment replaced.
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = comment.into();
        self
    }

    /// The game's title (the quoted string after `NFG 1 R` in `.nfg`).
    pub fn title(&self) -> &str {
        &self.title
    }
    /// The game's free-text comment.
    pub fn comment(&self) -> &str {
        &self.comment
    }
    /// Player names, by 0-based player index.
    pub fn players(&self) -> &[String] {
        &self.players
    }
    /// Number of players.
    pub fn num_players(&self) -> usize {
        self.players.len()
    }
    /// Strategy labels: `strategies()[p][s]` names player p's pure strategy s.
    pub fn strategies(&self) -> &[Vec<String>] {
        &self.strategies
    }
    /// Number of pure strategies of player `player` (0-based).
    pub fn num_strategies(&self, player: usize) -> usize {
        self.strategies[player].len()
    }
    /// Number of pure strategies of each player, in player order.
    pub fn strategy_counts(&self) -> Vec<usize> {
        self.strategies.iter().map(Vec::len).collect()
    }
    /// Where each player's strategies start when all players' strategies are laid end to end
    /// (player 1's first): the running sums of [`StrategicGame::strategy_counts`].
    pub fn strategy_offsets(&self) -> Vec<usize> {
        self.strategies
            .iter()
            .scan(0, |start, s| {
                let here = *start;
                *start += s.len();
                Some(here)
            })
            .collect()
    }
    /// Number of pure strategy profiles.
    pub fn num_profiles(&self) -> usize {
        self.payoffs[0].len()
    }

    /// Flat index of a pure profile (one strategy index per player).
    pub fn profile_index(&self, pure: &[usize]) -> usize {
        pure.iter().zip(&self.strides).map(|(s, st)| s * st).sum()
    }

    /// The pure profile at a flat index.
    pub fn profile_at(&self, mut index: usize) -> Vec<usize> {
        self.strategy_counts()
            .iter()
            .map(|&c| {
                let s = index % c;
                index /= c;
                s
            })
            .collect()
    }

    /// Stride of a player's strategy in the flat profile index.
    pub fn stride(&self, player: usize) -> usize {
        self.strides[player]
    }

    /// Exact payoff to `player` (0-based) in the pure profile `pure` (one strategy index per player).
    pub fn payoff(&self, player: usize, pure: &[usize]) -> &Q {
        &self.payoffs[player][self.profile_index(pure)]
    }
    /// `f64` copy of [`Self::payoff`].
    pub fn payoff_f64(&self, player: usize, pure: &[usize]) -> f64 {
        self.payoffs_f64[player][self.profile_index(pure)]
    }
    /// Player's payoffs over all pure profiles, player-1-fastest.
    pub fn payoff_table(&self, player: usize) -> &[Q] {
        &self.payoffs[player]
    }
    /// `f64` copy of [`Self::payoff_table`], player-1-fastest.
    pub fn payoff_table_f64(&self, player: usize) -> &[f64] {
        &self.payoffs_f64[player]
    }
    /// The largest absolute payoff (at least 1), the scale of float tolerances: certification
    /// bounds a float regret by `tol::REGRET_F64` times it. Found once, here, since every
    /// certificate needs it.
    pub fn payoff_scale(&self) -> f64 {
        self.payoff_scale
    }
    /// Player's payoffs as integer numerators over one denominator, when they fit an `i64`.
    pub fn payoff_table_int(&self, player: usize) -> Option<&IntegerPayoffs> {
        self.payoffs_int[player].as_ref()
    }

    /// Row matrix `A[i][j]` of player `p` in a 2-player game (rows = player 1).
    pub fn matrix(&self, p: usize) -> Vec<Vec<Q>> {
        assert_eq!(self.num_players(), 2, "matrix() is for two-player games");
        let (m, n) = (self.num_strategies(0), self.num_strategies(1));
        (0..m)
            .map(|i| (0..n).map(|j| self.payoffs[p][i + j * m].clone()).collect())
            .collect()
    }
    /// `f64` copy of [`Self::matrix`]: `A[i][j]` with rows = player 1 (two-player games only).
    pub fn matrix_f64(&self, p: usize) -> Vec<Vec<f64>> {
        assert_eq!(
            self.num_players(),
            2,
            "matrix_f64() is for two-player games"
        );
        let (m, n) = (self.num_strategies(0), self.num_strategies(1));
        (0..m)
            .map(|i| (0..n).map(|j| self.payoffs_f64[p][i + j * m]).collect())
            .collect()
    }

    /// `Some(c)` when every pure profile's payoffs sum to the same `c` (a constant-sum game).
    pub fn constant_sum(&self) -> Option<Q> {
        if let Some(sum) = self.constant_sum_on_integers() {
            return sum;
        }
        let sum_at = |k: usize| self.payoffs.iter().fold(Q::ZERO, |acc, t| acc + &t[k]);
        let c = sum_at(0);
        (1..self.num_profiles())
            .all(|k| sum_at(k) == c)
            .then_some(c)
    }

    /// [`Self::constant_sum`] in `i128` when every player's table has an integer view with the
    /// same denominator (the usual case); `None` when that does not apply.
    fn constant_sum_on_integers(&self) -> Option<Option<Q>> {
        let views: Vec<&IntegerPayoffs> = self.payoffs_int.iter().flatten().collect();
        let denominator = views.first()?.denominator();
        if views.len() != self.num_players() || views.iter().any(|v| v.denominator() != denominator)
        {
            return None;
        }
        let sum_at = |k: usize| {
            views
                .iter()
                .map(|v| v.numerators()[k] as i128)
                .sum::<i128>()
        };
        let c = sum_at(0);
        let constant = (1..self.num_profiles()).all(|k| sum_at(k) == c);
        Some(constant.then(|| Q::from(c) / Q::from(denominator)))
    }
}

/// Number of pure profiles, refusing games whose payoff tables would exceed the limit.
pub fn check_size(counts: &[usize]) -> Result<usize> {
    if counts.len() > limits::MAX_PLAYERS {
        return Err(Error::limit(
            "MAX_PLAYERS",
            format!(
                "{} players: the limit is {}",
                counts.len(),
                limits::MAX_PLAYERS
            ),
        ));
    }
    let mut cells: u128 = 1;
    for &c in counts {
        cells = cells.saturating_mul(c as u128);
    }
    let entries = cells.saturating_mul(counts.len() as u128);
    if entries > limits::MAX_PAYOFF_ENTRIES {
        return Err(Error::limit(
            "MAX_PAYOFF_ENTRIES",
            format!(
            "game with strategy counts {counts:?} has {entries} payoff entries: the limit is {}",
            limits::MAX_PAYOFF_ENTRIES
        ),
        ));
    }
    Ok(cells as usize)
}

#[cfg(test)]
impl StrategicGame {
    /// A unit-test fixture: a game with these strategy counts, players `a`, `b`, …, and
    /// arbitrary but fixed payoffs, player p's at profile index k being
    /// `((7k + 5p) mod modulus) − shift`.
    pub(crate) fn arbitrary(counts: &[usize], modulus: usize, shift: i64) -> StrategicGame {
        let cells: usize = counts.iter().product();
        let tables = (0..counts.len())
            .map(|p| {
                (0..cells)
                    .map(|k| Q::from(((k * 7 + p * 5) % modulus) as i64 - shift))
                    .collect()
            })
            .collect();
        let labels = counts
            .iter()
            .map(|&c| (0..c).map(|s| s.to_string()).collect())
            .collect();
        let players = (b'a'..)
            .take(counts.len())
            .map(|c| char::from(c).to_string())
            .collect();
        StrategicGame::new("", players, labels, tables).expect("a valid fixture")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::parse_q;

    fn q(v: i64) -> Q {
        Q::from(v)
    }

    #[test]
    fn bimatrix_layout_is_player_one_fastest() {
        let a = vec![vec![q(1), q(2)], vec![q(3), q(4)], vec![q(5), q(6)]];
        let b = vec![vec![q(-1), q(-2)], vec![q(-3), q(-4)], vec![q(-5), q(-6)]];
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        assert_eq!(g.payoff(0, &[2, 1]), &q(6));
        assert_eq!(g.payoff(1, &[1, 0]), &q(-3));
        assert_eq!(g.profile_index(&[1, 1]), 4);
        assert_eq!(g.profile_at(4), vec![1, 1]);
        assert_eq!(g.matrix(0), a);
        assert!(g.constant_sum().is_some());
    }

    #[test]
    fn refuses_oversized_games_before_allocating() {
        let err = check_size(&[100_000, 100_000]).unwrap_err();
        assert!(err.to_string().contains("limit"), "{err}");
        assert_eq!(check_size(&[3, 4]).unwrap(), 12);
    }

    #[test]
    fn constant_sum_is_exact_on_both_paths() {
        let p = |t: &str| parse_q(t).unwrap();
        // same denominator (2) for both players: the integer path; the sum is 3/2 everywhere
        let a = vec![vec![p("1/2"), p("3/2")], vec![p("5/2"), p("-1/2")]];
        let b: Vec<Vec<Q>> = a
            .iter()
            .map(|r| r.iter().map(|v| p("3/2") - v).collect())
            .collect();
        let g = StrategicGame::bimatrix(&a, &b).unwrap();
        assert_eq!(g.payoff_table_int(0).unwrap().denominator(), 2);
        assert_eq!(g.constant_sum(), Some(p("3/2")));
        // denominators 6 and 3: the rational path, same answer
        let a2 = vec![vec![p("7/6"), p("3/2")], vec![p("5/2"), p("1/2")]];
        let mut b2 = vec![vec![p("1/3"), p("0")], vec![p("-1"), p("1")]];
        let g2 = StrategicGame::bimatrix(&a2, &b2).unwrap();
        assert_eq!(g2.payoff_table_int(0).unwrap().denominator(), 6);
        assert_eq!(g2.payoff_table_int(1).unwrap().denominator(), 3);
        assert_eq!(g2.constant_sum(), Some(p("3/2")));
        b2[1][1] = p("1/3");
        assert_eq!(
            StrategicGame::bimatrix(&a2, &b2).unwrap().constant_sum(),
            None
        );
    }

    #[test]
    fn detects_general_sum() {
        let a = vec![vec![q(1), q(0)], vec![q(0), q(1)]];
        let g = StrategicGame::bimatrix(&a, &a).unwrap();
        assert!(g.constant_sum().is_none());
        let half = parse_q("1/2").unwrap();
        assert_eq!(half.clone() + half, q(1));
    }
}
