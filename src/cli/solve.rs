//! `patron solve FILE`: dispatch on the file's kind (a Gambit game or a TOML model).

use crate::cli::output::Format;
use crate::cli::solve_game;
use crate::error::{Error, Result};
use crate::io::{read_game_file, GameFile};
use crate::solve::method::{Method, SolveOptions};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// A Gambit game (.nfg, .efg) or a patron–client model (.toml).
    pub file: PathBuf,
    /// Solver for games: enumpure (all pure equilibria), enummixed (all extreme equilibria,
    /// 2 players, exact), lcp (one equilibrium by Lemke–Howson, 2 players), lp (constant-sum
    /// value and optimal strategies, 2 players). Default: enummixed for 2 players, else enumpure.
    #[arg(long, short, value_name = "METHOD", value_parser = parse_method)]
    pub method: Option<Method>,
    /// lcp: report the distinct equilibria reached by dropping each label, not just the first.
    #[arg(long)]
    pub all_labels: bool,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_method(name: &str) -> std::result::Result<Method, String> {
    Method::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Method::ALL.iter().map(|m| m.name()).collect();
        format!("unknown method '{name}'; choose one of: {}", names.join(", "))
    })
}

pub fn run(args: SolveArgs) -> Result<()> {
    match read_game_file(&args.file)? {
        GameFile::Strategic(game) => {
            let method = args.method.unwrap_or(if game.num_players() == 2 { Method::EnumMixed } else { Method::EnumPure });
            let options = SolveOptions { all_labels: args.all_labels };
            solve_game::run_strategic(&game, method, &options, args.format)
        }
        GameFile::Extensive(_) => Err(Error::Unsupported(format!(
            "{}: solving extensive games is not implemented yet; convert it with `patron convert {} --to nfg` first",
            args.file.display(),
            args.file.display()
        ))),
    }
}
