//! The `patron` command line. The binary is a thin shell over the library (as ripgrep splits
//! its CLI from its crates): argument parsing and output formatting live here, nothing else.

pub mod model_report;

use clap::Parser;

/// patron — a game-theory solver for patron–client games.
#[derive(Debug, Parser)]
#[command(name = "patron", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {}

/// Parse the arguments, run the command, print errors as one line; returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

pub fn run(cli: Cli) -> crate::Result<()> {
    match cli.command {}
}
