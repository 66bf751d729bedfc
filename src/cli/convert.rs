//! `patron convert IN --to FORMAT`: write a game in another Gambit format.

use crate::error::{Error, Result};
use crate::game::reduced::reduced_strategic_form;
use crate::io::efg::write_efg;
use crate::io::nfg::{write_nfg, NfgVersion};
use crate::io::{read_game_file, GameFile};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Gambit strategic form, payoff version (a tree becomes its reduced strategic form).
    Nfg,
    /// Gambit strategic form, outcome version (one outcome per profile).
    NfgOutcome,
    /// Gambit extensive form (game trees only: a round trip through the reader and writer).
    Efg,
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
        GameFile::Extensive(tree) if args.to == Target::Efg => {
            return write_out(&args, write_efg(&tree))
        }
        GameFile::Extensive(tree) => reduced_strategic_form(&tree)?.0,
    };
    let version = match args.to {
        Target::Nfg => NfgVersion::Payoff,
        Target::NfgOutcome => NfgVersion::Outcome,
        Target::Efg => {
            return Err(Error::Usage(
                "--to efg writes game trees; a strategic game (.nfg) has none".into(),
            ))
        }
    };
    write_out(&args, write_nfg(&game, version))
}

fn write_out(args: &ConvertArgs, text: String) -> Result<()> {
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| Error::io(path, e)),
        None => {
            crate::cli::output::write_stdout(text.trim_end())?;
            Ok(())
        }
    }
}
