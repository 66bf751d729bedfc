//! `patron info GAME`: what a game is, before solving it.

use crate::cli::info_tree;
use crate::cli::output::write_stdout;
use crate::error::Result;
use crate::game::dominance::dominated_strategies;
use crate::game::StrategicGame;
use crate::io::{read_game_file, GameFile};
use crate::num::fmt_q;
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
            let info = strategic_info(&game);
            if args.json {
                write_stdout(&serde_json::to_string_pretty(&info).unwrap_or_default())?;
            } else {
                write_stdout(&strategic_text(&game))?;
            }
            Ok(())
        }
        GameFile::Extensive(game) => {
            let text = if args.json {
                serde_json::to_string_pretty(&info_tree::tree_info(&game)).unwrap_or_default()
            } else {
                info_tree::tree_text(&game)
            };
            write_stdout(&text)
        }
    }
}

/// The facts `info` reports about a strategic game, as JSON.
pub fn strategic_info(game: &StrategicGame) -> serde_json::Value {
    let dominated: Vec<serde_json::Value> = dominated_strategies(game)
        .into_iter()
        .map(|d| {
            serde_json::json!({
                "player": game.players()[d.player],
                "strategy": game.strategies()[d.player][d.strategy],
                "by": game.strategies()[d.player][d.by],
                "strict": d.strict,
            })
        })
        .collect();
    serde_json::json!({
        "title": game.title(),
        "form": "strategic",
        "players": game.players(),
        "strategies": game.strategies(),
        "profiles": game.num_profiles(),
        "constant_sum": game.constant_sum().map(|c| fmt_q(&c)),
        "dominated": dominated,
    })
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
