//! The agent logit QRE of a perfect-information tree by backward induction: each node is its own
//! information set, so its behaviour is the logit response to its children's values, which
//! depend only on the behaviour below it. No path following and no Jacobian: an independent
//! check of `solve::logit::tree` and of `logit --estimate` on trees.

use patron::game::{Behavior, ExtensiveGame, NodeKind};
use patron::num::Scalar;

/// The profile at precision `lambda` (every node of `game` must be its own information set).
pub fn backward_induction_logit(game: &ExtensiveGame, lambda: f64) -> Behavior<f64> {
    assert!(game.is_perfect_information());
    let mut behaviour: Behavior<f64> = (0..game.num_players())
        .map(|p| vec![Vec::new(); game.infosets(p).len()])
        .collect();
    let n = game.num_nodes();
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); n];
    for h in (0..n).rev() {
        let node = game.node(h);
        let mut v: Vec<f64> = game.node_payoffs(h).iter().map(Scalar::as_f64).collect();
        let probs: Vec<f64> = match node.kind {
            NodeKind::Terminal => Vec::new(),
            NodeKind::Chance { .. } => (0..node.children.len())
                .map(|a| game.chance_prob(h, a).unwrap().as_f64())
                .collect(),
            NodeKind::Decision { player, infoset } => {
                let u: Vec<f64> = node.children.iter().map(|&c| values[c][player]).collect();
                let top = u.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let w: Vec<f64> = u.iter().map(|x| (lambda * (x - top)).exp()).collect();
                let total: f64 = w.iter().sum();
                behaviour[player][infoset] = w.iter().map(|x| x / total).collect();
                behaviour[player][infoset].clone()
            }
        };
        for (&c, p) in node.children.iter().zip(&probs) {
            for (x, y) in v.iter_mut().zip(&values[c]) {
                *x += p * y;
            }
        }
        values[h] = v;
    }
    behaviour
}
