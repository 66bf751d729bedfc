//! Gambit's extensive-form file format, `.efg` version 2.
//!
//! Grammar (Gambit's `ReadEfgFile` in `src/games/file.cc`), nodes listed in preorder:
//!
//! ```text
//! EFG 2 (R|D) "title" { "player" ... } [ "comment" ]
//! node := t "label" outcome
//!       | c "label" infoset [ "infoset label" { "action" prob ... } ] outcome
//!       | p "label" player infoset [ "infoset label" { "action" ... } ] outcome
//! outcome := 0 | number [ "outcome label" { payoff [,] payoff ... } ]
//! ```
//!
//! Information sets are numbered per player (chance has its own numbers); their label and
//! actions must be given the first time a number appears and, when repeated, must match
//! (as current Gambit checks). Outcomes likewise: payoffs on first use, optional afterwards,
//! equal when repeated; 0 is the null outcome. Infosets and outcomes are numbered in order of
//! first appearance. Chance probabilities must be non-negative and sum to exactly 1.
//!
//! **Node labels need not be unique.** Gambit 16.7 refuses files with repeated node labels
//! (e.g. Gambit's own `nim.efg`, where "1 left" labels several positions), earlier versions
//! read them. Nodes are identified by their place in the tree, never by label, so we accept
//! such files and keep the labels as written. Player labels are normalised as Gambit does
//! (see `normalize_labels` in `io`).
//!
//! The reader is iterative (an explicit stack), so arbitrarily deep trees cannot overflow
//! the call stack; the node count is checked against [`limits::MAX_TREE_NODES`] as it grows.

use super::lexer::{Lexer, Tok};
use super::nfg::payoff_vector;
use super::{normalize_labels, quote};
use crate::error::{Pos, Result};
use crate::game::tree::{
    check_chance_probs, ChanceInfoset, ExtensiveGame, Infoset, Node, NodeKind, Outcome, TreeSpec,
};
use crate::limits;
use crate::num::fmt_q;
use std::collections::HashMap;

/// Parse `.efg` text; `file` names the source in error messages.
pub fn parse_efg(text: &str, file: &str) -> Result<ExtensiveGame> {
    let mut lx = Lexer::new(text, file);
    lx.expect_word(&["EFG"], "the 'EFG' file header")?;
    let (version, vpos) = lx.expect_usize("the EFG version number")?;
    if version != 2 {
        return Err(lx.error(
            vpos,
            format!("only EFG version 2 is supported, found {version}"),
        ));
    }
    lx.expect_word(&["R", "D"], "data type 'R' or 'D'")?;
    let (title, _) = lx.expect_str("the game title (a quoted string)")?;
    let (mut players, ppos) = lx.string_list("the player names")?;
    if players.is_empty() || players.len() > limits::MAX_PLAYERS {
        return Err(lx.error(
            ppos,
            format!(
                "{} players: need 1 to {}",
                players.len(),
                limits::MAX_PLAYERS
            ),
        ));
    }
    let comment = match lx.peek()?.tok {
        Tok::Str(_) => lx.expect_str("the comment")?.0,
        _ => String::new(),
    };
    normalize_labels(&mut players);
    let mut reader = TreeReader::new(TreeSpec {
        title,
        comment,
        infosets: vec![Vec::new(); players.len()],
        players,
        ..TreeSpec::default()
    });
    let root_pos = lx.peek()?.pos;
    let mut open: Vec<(usize, usize)> = Vec::new(); // (node, children still to read)
    let (root, k) = reader.node(&mut lx)?;
    if k > 0 {
        open.push((root, k));
    }
    while let Some(top) = open.last_mut() {
        if top.1 == 0 {
            open.pop();
            continue;
        }
        top.1 -= 1;
        let parent = top.0;
        let (child, k) = reader.node(&mut lx)?;
        reader.spec.nodes[parent].children.push(child);
        if k > 0 {
            open.push((child, k));
        }
    }
    lx.expect_eof()?;
    ExtensiveGame::new(reader.spec).map_err(|e| lx.error(root_pos, e.to_string()))
}

/// The game being read, with Gambit's file numbers mapped to our indices.
struct TreeReader {
    spec: TreeSpec,
    /// `(player, file number)` → infoset index; player 0 here is chance.
    infoset_ids: HashMap<(usize, usize), usize>,
    outcome_ids: HashMap<usize, usize>,
}

impl TreeReader {
    fn new(spec: TreeSpec) -> Self {
        TreeReader {
            spec,
            infoset_ids: HashMap::new(),
            outcome_ids: HashMap::new(),
        }
    }

    /// Read one node line; returns its index and how many children follow it.
    fn node(&mut self, lx: &mut Lexer) -> Result<(usize, usize)> {
        let (kind_word, pos) = lx.expect_word(&["c", "p", "t"], "a node type 'c', 'p' or 't'")?;
        if self.spec.nodes.len() >= limits::MAX_TREE_NODES {
            return Err(lx.error(
                pos,
                format!("more than {} nodes: the tree limit", limits::MAX_TREE_NODES),
            ));
        }
        let (label, _) = lx.expect_str("the node label")?;
        let (kind, children) = match kind_word.as_str() {
            "c" => {
                let (id, id_pos) = lx.expect_usize("the chance infoset number")?;
                let i = self.chance_infoset(lx, id, id_pos)?;
                (
                    NodeKind::Chance { infoset: i },
                    self.spec.chance_infosets[i].actions.len(),
                )
            }
            "p" => {
                let (player, player_pos) = lx.expect_usize("the player number")?;
                if player == 0 || player > self.spec.players.len() {
                    return Err(lx.error(
                        player_pos,
                        format!(
                            "player {player} does not exist (players 1 to {})",
                            self.spec.players.len()
                        ),
                    ));
                }
                let (id, id_pos) = lx.expect_usize("the infoset number")?;
                let i = self.player_infoset(lx, player, id, id_pos)?;
                let k = self.spec.infosets[player - 1][i].actions.len();
                (
                    NodeKind::Decision {
                        player: player - 1,
                        infoset: i,
                    },
                    k,
                )
            }
            _ => (NodeKind::Terminal, 0),
        };
        let outcome = self.outcome(lx)?;
        self.spec.nodes.push(Node {
            label,
            kind,
            outcome,
            children: Vec::with_capacity(children),
        });
        Ok((self.spec.nodes.len() - 1, children))
    }

    fn chance_infoset(&mut self, lx: &mut Lexer, id: usize, id_pos: Pos) -> Result<usize> {
        let known = self.infoset_ids.get(&(0, id)).copied();
        if !matches!(lx.peek()?.tok, Tok::Str(_)) {
            return known
                .ok_or_else(|| lx.error(id_pos, format!("chance infoset {id} is not defined")));
        }
        let (label, label_pos) = lx.expect_str("the chance infoset label")?;
        let open = lx.expect(Tok::LBrace, "'{' opening the chance actions")?;
        let (mut actions, mut probs) = (Vec::new(), Vec::new());
        loop {
            let t = lx.next_token()?;
            match t.tok {
                Tok::Str(a) => {
                    actions.push(a);
                    probs.push(lx.expect_q(|| "the action's probability".into())?.0);
                }
                Tok::RBrace if !actions.is_empty() => break,
                other => {
                    return Err(lx.error(
                        t.pos,
                        format!(
                            "expected a quoted action label or '}}', found {}",
                            other.describe()
                        ),
                    ))
                }
            }
        }
        check_chance_probs(&actions, &probs).map_err(|m| lx.error(open, m))?;
        let set = ChanceInfoset {
            label,
            actions,
            probs,
        };
        match known {
            Some(i) if self.spec.chance_infosets[i] != set => Err(lx.error(
                label_pos,
                format!("chance infoset {id} does not match its earlier definition"),
            )),
            Some(i) => Ok(i),
            None => {
                self.spec.chance_infosets.push(set);
                let i = self.spec.chance_infosets.len() - 1;
                self.infoset_ids.insert((0, id), i);
                Ok(i)
            }
        }
    }

    fn player_infoset(
        &mut self,
        lx: &mut Lexer,
        player: usize,
        id: usize,
        id_pos: Pos,
    ) -> Result<usize> {
        let known = self.infoset_ids.get(&(player, id)).copied();
        if !matches!(lx.peek()?.tok, Tok::Str(_)) {
            return known.ok_or_else(|| {
                lx.error(
                    id_pos,
                    format!("infoset {id} of player {player} is not defined"),
                )
            });
        }
        let (label, label_pos) = lx.expect_str("the infoset label")?;
        let (actions, open) = lx.string_list("the action labels")?;
        if actions.is_empty() {
            return Err(lx.error(open, "expected at least one action"));
        }
        let set = Infoset { label, actions };
        let sets = &mut self.spec.infosets[player - 1];
        match known {
            Some(i) if sets[i] != set => Err(lx.error(
                label_pos,
                format!("infoset {id} of player {player} does not match its earlier definition"),
            )),
            Some(i) => Ok(i),
            None => {
                sets.push(set);
                self.infoset_ids.insert((player, id), sets.len() - 1);
                Ok(sets.len() - 1)
            }
        }
    }

    fn outcome(&mut self, lx: &mut Lexer) -> Result<Option<usize>> {
        let (id, id_pos) = lx.expect_usize("the outcome number")?;
        let known = self.outcome_ids.get(&id).copied();
        if !matches!(lx.peek()?.tok, Tok::Str(_)) {
            return match (id, known) {
                (0, _) => Ok(None),
                (_, Some(o)) => Ok(Some(o)),
                _ => Err(lx.error(id_pos, format!("outcome {id} is not defined"))),
            };
        }
        if id == 0 {
            return Err(lx.error(id_pos, "the null outcome 0 cannot have a label or payoffs"));
        }
        let (label, label_pos) = lx.expect_str("the outcome label")?;
        lx.expect(Tok::LBrace, "'{' opening the outcome's payoffs")?;
        let payoffs = payoff_vector(lx, self.spec.players.len(), &format!("outcome {id}"))?;
        let outcome = Outcome { label, payoffs };
        match known {
            Some(o) if self.spec.outcomes[o] != outcome => Err(lx.error(
                label_pos,
                format!("outcome {id} does not match its earlier definition"),
            )),
            Some(o) => Ok(Some(o)),
            None => {
                self.spec.outcomes.push(outcome);
                let o = self.spec.outcomes.len() - 1;
                self.outcome_ids.insert(id, o);
                Ok(Some(o))
            }
        }
    }
}

/// Gambit `.efg` text for `game` (exact `R` numbers). Infosets and outcomes are written with
/// their index + 1 and in full at every node, as Gambit writes them; reading the text back
/// gives an equal game whenever the game's infosets and outcomes are numbered in order of
/// first appearance (always true of games read from files).
pub fn write_efg(game: &ExtensiveGame) -> String {
    let players: Vec<String> = game.players().iter().map(|p| quote(p)).collect();
    let mut out = format!(
        "EFG 2 R {} {{ {} }}\n{}\n\n",
        quote(game.title()),
        players.join(" "),
        quote(game.comment())
    );
    for node in game.nodes() {
        let line = match node.kind {
            NodeKind::Terminal => format!("t {}", quote(&node.label)),
            NodeKind::Chance { infoset } => {
                let set = &game.chance_infosets()[infoset];
                let pairs: Vec<String> = set
                    .actions
                    .iter()
                    .zip(&set.probs)
                    .map(|(a, p)| format!("{} {}", quote(a), fmt_q(p)))
                    .collect();
                format!(
                    "c {} {} {} {{ {} }}",
                    quote(&node.label),
                    infoset + 1,
                    quote(&set.label),
                    pairs.join(" ")
                )
            }
            NodeKind::Decision { player, infoset } => {
                let set = &game.infosets(player)[infoset];
                let actions: Vec<String> = set.actions.iter().map(|a| quote(a)).collect();
                format!(
                    "p {} {} {} {} {{ {} }}",
                    quote(&node.label),
                    player + 1,
                    infoset + 1,
                    quote(&set.label),
                    actions.join(" ")
                )
            }
        };
        out.push_str(&line);
        match node.outcome {
            None => out.push_str(" 0\n"),
            Some(o) => {
                let outcome = &game.outcomes()[o];
                let payoffs: Vec<String> = outcome.payoffs.iter().map(fmt_q).collect();
                out.push_str(&format!(
                    " {} {} {{ {} }}\n",
                    o + 1,
                    quote(&outcome.label),
                    payoffs.join(", ")
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{parse_q, Q};

    fn q(s: &str) -> Q {
        parse_q(s).unwrap()
    }

    const BEER_QUICHE_STUB: &str = r#"EFG 2 R "stub" { "Sender" "Receiver" }
"a comment"

c "nature" 1 "(0,1)" { "weak" 1/10 "strong" 9/10 } 0
p "" 1 1 "(1,1)" { "beer" "quiche" } 0
p "" 2 1 "(2,1)" { "duel" "don't" } 0
t "" 1 "o1" { 0, 1 }
t "" 2 "o2" { 2 0 }
t "" 3 "o3" { 1, 1 }
p "" 1 2 "(1,2)" { "beer" "quiche" } 5 "bonus" { 1/2, 0 }
p "" 2 1 0
t "" 1
t "" 2
t "" 0
"#;

    #[test]
    fn reads_chance_infosets_outcomes_and_repeats() {
        let g = parse_efg(BEER_QUICHE_STUB, "s.efg").unwrap();
        assert_eq!(g.comment(), "a comment");
        assert_eq!(g.num_nodes(), 11);
        assert_eq!(g.num_terminal_nodes(), 6);
        assert_eq!(g.chance_infosets()[0].probs, vec![q("1/10"), q("9/10")]);
        assert_eq!(g.infosets(0).len(), 2);
        assert_eq!(g.infosets(1).len(), 1);
        assert_eq!(g.members(1, 0), [2, 7]);
        assert_eq!(g.outcomes().len(), 4);
        // Node 8 ("duel" after strong/beer): bonus 1/2 at node 6 plus outcome 1 (0, 1).
        assert_eq!(g.accumulated_payoffs(8), vec![q("1/2"), q("1")]);
        assert_eq!(g.accumulated_payoffs(10), vec![q("1/2"), q("0")]);
        assert_eq!(g.actions(2), ["duel", "don't"]);
        assert!(g.is_perfect_recall());
    }

    #[test]
    fn write_then_read_is_identity() {
        let g = parse_efg(BEER_QUICHE_STUB, "s.efg").unwrap();
        let text = write_efg(&g);
        assert_eq!(parse_efg(&text, "w.efg").unwrap(), g, "{text}");
    }

    fn err(text: &str) -> String {
        parse_efg(text, "b.efg").unwrap_err().to_string()
    }

    #[test]
    fn malformed_trees_name_file_line_and_column() {
        let head = "EFG 2 R \"\" { \"A\" }\n";
        assert_eq!(
            err(&format!(
                "{head}p \"\" 1 1 \"\" {{ \"x\" \"y\" }} 0\nt \"\" 0\n"
            )),
            "b.efg:4:1: expected a node type 'c', 'p' or 't', found end of file"
        );
        assert_eq!(
            err(&format!(
                "{head}c \"\" 1 \"\" {{ \"x\" 1/2 \"y\" 1/3 }} 0\nt \"\" 0\nt \"\" 0\n"
            )),
            "b.efg:2:11: probabilities sum to 5/6, not 1"
        );
        assert_eq!(
            err(&format!("{head}p \"\" 2 1 \"\" {{ \"x\" }} 0\nt \"\" 0\n")),
            "b.efg:2:6: player 2 does not exist (players 1 to 1)"
        );
        assert_eq!(
            err(&format!(
                "{head}p \"\" 1 1 \"\" {{ \"x\" }} 0\np \"\" 1 2 0\n"
            )),
            "b.efg:3:8: infoset 2 of player 1 is not defined"
        );
        assert_eq!(
            err(&format!(
                "{head}p \"\" 1 1 \"\" {{ \"x\" }} 0\np \"\" 1 1 \"\" {{ \"z\" }} 0\nt \"\" 0"
            )),
            "b.efg:3:10: infoset 1 of player 1 does not match its earlier definition"
        );
        assert_eq!(
            err(&format!("{head}t \"\" 3\n")),
            "b.efg:2:6: outcome 3 is not defined"
        );
        assert_eq!(
            err(&format!("{head}t \"\" 1 \"o\" {{ 1, 2 }}\n")),
            "b.efg:2:17: expected '}' closing outcome 1 (one payoff per player, 1 players), found number 2"
        );
        assert_eq!(
            err(&format!("{head}t \"\" 0 \"o\" {{ 1 }}\n")),
            "b.efg:2:6: the null outcome 0 cannot have a label or payoffs"
        );
        assert_eq!(
            err(&format!("{head}t \"\" 0\nt \"\" 0\n")),
            "b.efg:3:1: expected end of file, found word 't'"
        );
        assert_eq!(
            err("EFG 2 R \"\" { \"A\" }\nt \"\" 1 \"o\" { 1e5000 }"),
            "b.efg:2:14: number '1e5000' has an exponent beyond ±1000"
        );
    }

    #[test]
    fn deep_trees_do_not_overflow_the_stack() {
        let depth = 200_000;
        let mut text = String::from("EFG 2 R \"\" { \"A\" }\n");
        text.push_str(&"p \"\" 1 1 \"\" { \"on\" } 0\n".repeat(depth));
        text.push_str("t \"\" 1 \"end\" { 7 }\n");
        let g = parse_efg(&text, "deep.efg").unwrap();
        assert_eq!(g.num_nodes(), depth + 1);
        assert_eq!(g.accumulated_payoffs(depth), vec![q("7")]);
        // One infoset met `depth` times on a path: absent-minded, so no perfect recall.
        assert!(!g.is_perfect_recall());
    }
}
