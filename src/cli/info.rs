//! `patron info GAME`: what a game is, before solving it.

use crate::cli::info_tree;
use crate::cli::output::write_stdout;
use crate::cli::solve_game::pretty_json;
use crate::error::Result;
use crate::game::dominance::dominated_strategies;
use crate::game::StrategicGame;
use crate::io::{read_game_file, GameFile};
use crate::num::fmt_q;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct InfoArgs {
    /// A Gambit game (.nfg or .efg).
    pub file: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: InfoArgs) -> Result<()> {
    match read_game_file(&args.file)? {
        GameFile::Strategic(game) => {
            if args.json {
                write_stdout(&pretty_json(&StrategicInfoJson::new(&game))?)?;
            } else {
                write_stdout(&strategic_text(&game))?;
            }
            Ok(())
        }
        GameFile::Extensive(game) => {
            let text = if args.json {
                pretty_json(&info_tree::TreeInfoJson::new(&game))?
            } else {
                info_tree::tree_text(&game)
            };
            write_stdout(&text)
        }
    }
}

/// The facts `info` reports about a strategic game, as JSON (docs/output.md).
#[derive(Debug, Serialize)]
pub struct StrategicInfoJson<'a> {
    /// The game's title.
    pub title: &'a str,
    /// Always `strategic`.
    pub form: &'static str,
    /// Player names.
    pub players: &'a [String],
    /// `strategies[p]`: player p's strategy labels.
    pub strategies: &'a [Vec<String>],
    /// The number of pure profiles.
    pub profiles: usize,
    /// The sum of the payoffs in every cell, when it is the same in all.
    pub constant_sum: Option<String>,
    /// Every strategy dominated by another pure strategy.
    pub dominated: Vec<DominatedJson<'a>>,
}

/// A dominated strategy and its first dominator.
#[derive(Debug, Serialize)]
pub struct DominatedJson<'a> {
    /// The player.
    pub player: &'a str,
    /// The dominated strategy.
    pub strategy: &'a str,
    /// The dominating strategy.
    pub by: &'a str,
    /// Whether the domination is strict.
    pub strict: bool,
}

impl<'a> StrategicInfoJson<'a> {
    /// The facts about `game`.
    pub fn new(game: &'a StrategicGame) -> Self {
        StrategicInfoJson {
            title: game.title(),
            form: "strategic",
            players: game.players(),
            strategies: game.strategies(),
            profiles: game.num_profiles(),
            constant_sum: game.constant_sum().map(|c| fmt_q(&c)),
            dominated: dominated_strategies(game)
                .into_iter()
                .map(|d| DominatedJson {
                    player: &game.players()[d.player],
                    strategy: &game.strategies()[d.player][d.strategy],
                    by: &game.strategies()[d.player][d.by],
                    strict: d.strict,
                })
                .collect(),
        }
    }
}

fn strategic_text(game: &StrategicGame) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if !game.title().is_empty() {
        let _ = writeln!(out, "{}", game.title());
    }
    let _ = writeln!(
        out,
        "strategic game, {} players, {} pure profiles",
        game.num_players(),
        game.num_profiles()
    );
    for (p, player) in game.players().iter().enumerate() {
        let _ = writeln!(
            out,
            "  {player}: {} strategies: {}",
            game.num_strategies(p),
            game.strategies()[p].join(", ")
        );
    }
    match game.constant_sum() {
        Some(c) => {
            let _ = writeln!(
                out,
                "constant-sum: yes (payoffs add up to {} in every cell)",
                fmt_q(&c)
            );
        }
        None => {
            let _ = writeln!(out, "constant-sum: no");
        }
    }
    let dominated = dominated_strategies(game);
    if dominated.is_empty() {
        let _ = writeln!(out, "dominated strategies: none (by pure strategies)");
    } else {
        let _ = writeln!(out, "dominated strategies (by pure strategies):");
        for d in dominated {
            let _ = writeln!(
                out,
                "  {}: {} is {} dominated by {}",
                game.players()[d.player],
                game.strategies()[d.player][d.strategy],
                if d.strict { "strictly" } else { "weakly" },
                game.strategies()[d.player][d.by]
            );
        }
    }
    out.trim_end().to_string()
}
