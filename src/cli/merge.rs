//! `patron merge OUT SHARD...`: join the shards of one sweep (guide: docs/sweeps.md).

use crate::sweep::merge::merge;
use crate::Result;
use std::path::PathBuf;

/// Join the shard files of one sweep into one file, checking that none is missing or repeated.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The merged file (.csv or .jsonl, as the shards).
    pub out: PathBuf,
    /// Every shard file of the sweep, in any order.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Replace an existing OUT.
    #[arg(long)]
    pub overwrite: bool,
    /// No closing message.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: MergeArgs) -> Result<()> {
    let report = merge(
        &args.out,
        &args.shards,
        args.overwrite,
        std::env::args().collect(),
    )?;
    if !args.quiet {
        eprintln!(
            "{} rows from {} shards in {}",
            report.rows,
            report.shards,
            args.out.display()
        );
    }
    Ok(())
}
