//! `lcp` on game trees: one Nash equilibrium of a two-player extensive game with perfect
//! recall in behaviour strategies, through the sequence form (Koller, Megiddo & von Stengel
//! 1996, "Efficient computation of equilibria for extensive two-person games", GEB 14;
//! von Stengel 1996, "Efficient computation of behavior strategies", GEB 14), exact.
//!
//! Player 1's strategy is a realization plan `x ≥ 0` with `E x = e`, player 2's `y ≥ 0` with
//! `F y = f` (see [`crate::game::tree::sequence`]); payoffs are the sequence-form matrices
//! `A`, `B` (`A[σ][τ]` sums chance probability × payoff over the leaves the pair of sequences
//! reaches). `(x, y)` is an equilibrium exactly when, for some `p`, `q`, the linear
//! complementarity problem of KMvS (their Theorem 3.1) holds:
//!
//! ```text
//!   Eᵀp − A y ≥ 0 ⊥ x ≥ 0,    Fᵀq − Bᵀx ≥ 0 ⊥ y ≥ 0,    E x = e,  F y = f,  p, q free,
//! ```
//!
//! `p[0]`, `q[0]` being the players' payoffs. Payoffs are first shifted so every leaf pays
//! each player at most −1 (this changes no equilibrium, as the leaf probabilities sum to one),
//! which is the condition of KMvS's termination argument for Lemke's algorithm. The problem
//! is solved by [`Lcp`] (exact integer pivoting, lexicographic, free variables, covering
//! vector all ones) and the plans are turned into behaviour strategies by
//! [`SequenceForm::behavior_from_plan`] (uniform where a player's own plan never reaches an
//! information set, as Gambit reports them).

use crate::error::{Error, Result};
use crate::game::tree::{Behavior, ExtensiveGame, SequenceForm};
use crate::limits;
use crate::num::Q;
use crate::solve::lcp::lemke::Lcp;

/// The sequence form of a two-player game as matrices.
#[derive(Debug, Clone)]
pub(crate) struct SequenceMatrices {
    pub sf: SequenceForm,
    /// `constraints[p]`: `E` (player 1) or `F` (player 2), one row for the empty sequence
    /// (right-hand side 1) then one per information set (right-hand side 0).
    pub constraints: [Vec<Vec<Q>>; 2],
}

impl SequenceMatrices {
    /// The sequence form of `game`, refusing what the sequence-form solvers cannot take
    /// (`method` names the solver in the message): other than two players, imperfect recall,
    /// and problems over [`limits::MAX_SEQUENCE_FORM_ROWS`].
    pub fn new(game: &ExtensiveGame, method: &str) -> Result<Self> {
        if game.num_players() != 2 {
            return Err(Error::Unsupported(format!(
                "{method} on a game tree needs two players; this game has {} (use enumpure)",
                game.num_players()
            )));
        }
        if let Some(why) = game.perfect_recall_violation() {
            return Err(Error::Unsupported(format!(
                "{method} on a game tree uses the sequence form, which needs perfect recall, \
                 and this game lacks it: {why}"
            )));
        }
        let sf = game.sequence_form()?;
        let rows = sf.sequences[0].len()
            + sf.sequences[1].len()
            + sf.infoset_parent[0].len()
            + sf.infoset_parent[1].len()
            + 2;
        if rows > limits::MAX_SEQUENCE_FORM_ROWS {
            return Err(Error::limit(
                "MAX_SEQUENCE_FORM_ROWS",
                format!(
                    "{method}: the sequence form has {rows} rows; the limit is {} \
                 (limits::MAX_SEQUENCE_FORM_ROWS)",
                    limits::MAX_SEQUENCE_FORM_ROWS
                ),
            ));
        }
        let constraints = [0, 1].map(|p| constraint_matrix(&sf, p));
        Ok(SequenceMatrices { sf, constraints })
    }

    pub fn num_sequences(&self, player: usize) -> usize {
        self.sf.sequences[player].len()
    }

    /// Player `p`'s sequence-form payoff matrix (rows: player 1's sequences) after
    /// subtracting `shift` from every leaf payoff: `Σ_leaves chance · (u_p − shift)`.
    pub fn payoff_matrix(&self, player: usize, shift: &Q) -> Vec<Vec<Q>> {
        let mut m = vec![vec![Q::ZERO; self.num_sequences(1)]; self.num_sequences(0)];
        for leaf in &self.sf.leaves {
            let (s, t) = (leaf.sequences[0], leaf.sequences[1]);
            m[s][t] += &leaf.chance * (&leaf.payoffs[player] - shift);
        }
        m
    }

    /// Right-hand side of player `p`'s constraints: 1 for the empty sequence, else 0.
    pub fn rhs(&self, player: usize) -> Vec<Q> {
        let mut e = vec![Q::ZERO; self.constraints[player].len()];
        e[0] = Q::ONE;
        e
    }

    /// Largest leaf payoff of `player` (0 for a game without leaves).
    pub fn max_payoff(&self, player: usize) -> Q {
        self.sf
            .leaves
            .iter()
            .map(|l| l.payoffs[player].clone())
            .max()
            .unwrap_or(Q::ZERO)
    }
}

/// `E`: the empty sequence has weight 1; each information set's action sequences add up to
/// the sequence leading to it.
fn constraint_matrix(sf: &SequenceForm, player: usize) -> Vec<Vec<Q>> {
    let ns = sf.sequences[player].len();
    let mut rows = vec![vec![Q::ZERO; ns]];
    rows[0][0] = Q::ONE;
    for (i, actions) in sf.action_sequence[player].iter().enumerate() {
        let mut row = vec![Q::ZERO; ns];
        row[sf.infoset_parent[player][i]] = -Q::ONE;
        for &s in actions {
            row[s] = Q::ONE;
        }
        rows.push(row);
    }
    rows
}

/// One equilibrium of a two-player game tree with perfect recall, exact, as a behaviour
/// profile (see the module comment). `Error::Unsupported` for other games.
pub fn sequence_lcp(game: &ExtensiveGame) -> Result<Behavior<Q>> {
    let sm = SequenceMatrices::new(game, "lcp")?;
    let shift = |p: usize| sm.max_payoff(p) + Q::ONE;
    let (a, b) = (
        sm.payoff_matrix(0, &shift(0)),
        sm.payoff_matrix(1, &shift(1)),
    );
    let (n1, n2) = (sm.num_sequences(0), sm.num_sequences(1));
    let (e, f) = (&sm.constraints[0], &sm.constraints[1]);
    let (k1, k2) = (e.len(), f.len());
    // Unknowns z = (x, y, p, q).
    let (oy, op, oq) = (n1, n1 + n2, n1 + n2 + k1);
    let size = oq + k2;
    let mut m = vec![vec![Q::ZERO; size]; size];
    for i in 0..n1 {
        for j in 0..n2 {
            m[i][oy + j] = -a[i][j].clone();
            m[oy + j][i] = -b[i][j].clone();
        }
        for k in 0..k1 {
            m[i][op + k] = e[k][i].clone();
            m[op + k][i] = -e[k][i].clone();
        }
    }
    for j in 0..n2 {
        for k in 0..k2 {
            m[oy + j][oq + k] = f[k][j].clone();
            m[oq + k][oy + j] = -f[k][j].clone();
        }
    }
    let mut q = vec![Q::ZERO; op];
    q.extend(sm.rhs(0));
    q.extend(sm.rhs(1));
    let free: Vec<usize> = (op..size).collect();
    let solution = Lcp::new(m, q)?.with_free(&free)?.solve()?;
    let x = &solution.z[..n1];
    let y = &solution.z[oy..op];
    Ok(vec![
        sm.sf.behavior_from_plan(0, x)?,
        sm.sf.behavior_from_plan(1, y)?,
    ])
}
