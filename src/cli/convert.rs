//! `patron convert IN --to FORMAT`: write a game in another Gambit format.

use crate::error::{Error, Result};
use crate::io::nfg::{write_nfg, NfgVersion};
use crate::io::{read_game_file, GameFile};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Gambit strategic form, payoff version (a tree becomes its reduced strategic form).
    Nfg,
    /// Gambit strategic form, outcome version (one outcome per profile).
    NfgOutcome,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// A Gambit game (.nfg or .efg).
    pub file: PathBuf,
    /// Target format.
    #[arg(long, value_enum)]
    pub to: Target,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: ConvertArgs) -> Result<()> {
    let game = match read_game_file(&args.file)? {
        GameFile::Strategic(game) => game,
        GameFile::Extensive(_) => {
            return Err(Error::Unsupported("converting extensive games is not implemented yet".into()))
        }
    };
    let version = match args.to {
        Target::Nfg => NfgVersion::Payoff,
        Target::NfgOutcome => NfgVersion::Outcome,
    };
    let text = write_nfg(&game, version);
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| Error::io(path, e)),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}
