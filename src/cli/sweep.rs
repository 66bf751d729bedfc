//! `patron sweep MODEL.toml`: solve the model over a grid of parameter values or over Monte
//! Carlo draws from the parameters' ranges, one row per point (guide: docs/sweeps.md).

use crate::cli::output::{text_table, write_stdout};
use crate::cli::solve_model::parse_assignment;
use crate::model::file::{load_model, ModelSpec};
use crate::sweep::columns::OutputParts;
use crate::sweep::grid::{Axis, Grid};
use crate::sweep::meta::{fnv1a64, ModelId, SetValue, SweepId, SweepMeta, VaryRange, META_FORMAT};
use crate::sweep::monte_carlo::MonteCarlo;
use crate::sweep::plan::{Design, Plan};
use crate::sweep::quantiles::{OutputSummary, Summary};
use crate::sweep::run::{run_sweep, summary_columns, Destination, RunOptions, RunReport};
use crate::sweep::shard::{self, Shard};
use crate::sweep::vary::{all_ranged, base_model, check_distinct, Bounds, Varied, VarySpec};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "\
Examples:
  patron sweep models/gaza-2024.toml --scenario ceasefire \\
      --vary dyads.us_israel.credibility=0.3:0.8:11 --out credibility.csv
  patron sweep models/gaza-2024.toml --vary dyads.iran_hamas.monitoring=0.1:0.5:5 \\
      --vary chain.recovery=0.2:0.8:4 --out grid.jsonl
  patron sweep models/gaza-2024.toml --scenario ceasefire --samples 10000 --seed 1 --out mc.csv
  patron sweep models/gaza-2024.toml --samples 2000 --vary dyads.us_israel.dependence   (declared range)
  patron sweep ... --out big.csv --shard $SLURM_ARRAY_TASK_ID/16     (then: patron merge all.csv big.csv ...)";

/// Solve a model over a parameter grid or Monte Carlo draws.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct SweepArgs {
    /// The model file (TOML; see models/README.md).
    pub model: PathBuf,
    /// Scenario to start from (default: the file's `default_scenario`).
    #[arg(long)]
    pub scenario: Option<String>,
    /// A parameter to vary. Grid: PATH=LO:HI:STEPS (repeat for a full grid; the first is the
    /// outer loop). With --samples: PATH (drawn from its declared range) or PATH=LO:HI; without
    /// any --vary, --samples draws every parameter.
    #[arg(long, value_name = "PATH[=LO:HI[:STEPS]]")]
    pub vary: Vec<VarySpec>,
    /// Fix a parameter for the whole sweep.
    #[arg(long, value_name = "PATH=VALUE", value_parser = parse_assignment)]
    pub set: Vec<(String, f64)>,
    /// Where rows go: FILE.csv, FILE.jsonl, or - for CSV on standard output. A FILE gets a
    /// metadata sidecar FILE.meta.json. Optional with --samples (then only the summary is made).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Monte Carlo: this many independent uniform draws instead of a grid.
    #[arg(long, value_name = "N")]
    pub samples: Option<u64>,
    /// Seed of the Monte Carlo draws (sample i uses random stream i of this seed).
    #[arg(long, default_value_t = 0, requires = "samples")]
    pub seed: u64,
    /// Monte Carlo summary file: .json, .csv, or anything else for a text table (default: the
    /// table on standard output).
    #[arg(long, value_name = "FILE", requires = "samples")]
    pub summary: Option<PathBuf>,
    /// Finish an interrupted --out FILE: keep its rows, compute the missing ones.
    #[arg(long)]
    pub resume: bool,
    /// Replace an existing --out FILE.
    #[arg(long, conflicts_with = "resume")]
    pub overwrite: bool,
    /// Run only shard I of N (points p with p mod N = I − 1); join shards with `patron merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Add the survival curves P(hold at week t) as JSON-array columns.
    #[arg(long)]
    pub with_survival: bool,
    /// Add the patron game (payoffs, equilibria) to every point (much slower).
    #[arg(long)]
    pub with_patron_game: bool,
    /// Let --vary and --set go beyond the parameters' declared ranges (not their domains).
    #[arg(long)]
    pub allow_outside_range: bool,
    /// No progress bar and no closing message.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: SweepArgs) -> Result<()> {
    let spec = load_model(&args.model)?;
    let plan = plan(&spec, &args)?;
    let shard = shard::checked(args.shard, plan.len())?;
    let destination = match &args.out {
        Some(p) if p.as_os_str() == "-" => Some(Destination::Stdout),
        Some(p) => Some(Destination::File(p.clone())),
        None => None,
    };
    let monte_carlo = matches!(plan.design(), Design::MonteCarlo(_));
    if !monte_carlo && destination.is_none() {
        return Err(Error::Usage(
            "a grid sweep needs --out FILE.csv, FILE.jsonl or - (standard output)".into(),
        ));
    }
    if monte_carlo && destination == Some(Destination::Stdout) && args.summary.is_none() {
        return Err(Error::Usage(
            "--out - and the summary would both go to standard output: add --summary FILE".into(),
        ));
    }
    let meta = SweepMeta {
        format: META_FORMAT.into(),
        sweep: sweep_id(&spec, &args, &plan)?,
        shard: args.shard.map(|_| shard),
        model_file: args.model.display().to_string(),
        command: std::env::args().collect(),
    };
    let mut summary = if monte_carlo {
        Some(Summary::new(
            summary_columns(&plan),
            shard.rows(plan.len()),
        )?)
    } else {
        None
    };
    let options = RunOptions {
        resume: args.resume,
        overwrite: args.overwrite,
        quiet: args.quiet,
    };
    let destination = destination.unwrap_or(Destination::Discard);
    let report = run_sweep(&plan, &meta, &destination, &options, summary.as_mut())?;
    if !args.quiet {
        eprintln!("{}", closing_message(&report, args.out.as_deref()));
    }
    if let Some(summary) = summary {
        write_summary(summary, args.summary.as_deref())?;
    }
    Ok(())
}

/// The sweep the flags describe on `spec` (`args.model` is not read again): its base model
/// (scenario and `--set`), its grid or Monte Carlo design, and its columns. The Python
/// package's `Model.sweep` builds its sweeps here too, so its columns are this command's.
pub fn plan(spec: &ModelSpec, args: &SweepArgs) -> Result<Plan> {
    check_distinct(
        args.vary
            .iter()
            .map(|v| v.path.as_str())
            .chain(args.set.iter().map(|(p, _)| p.as_str())),
    )?;
    let base = base_model(
        spec,
        args.scenario.as_deref(),
        &args.set,
        args.allow_outside_range,
    )?;
    let design = design(spec, args)?;
    let parts = OutputParts {
        survival: args.with_survival,
        patron_game: args.with_patron_game,
    };
    Plan::new(base, design, parts)
}

/// The grid or Monte Carlo design the flags describe.
fn design(spec: &ModelSpec, args: &SweepArgs) -> Result<Design> {
    let resolve =
        |v: &VarySpec, bounds| Varied::resolve(spec, &v.path, bounds, args.allow_outside_range);
    match args.samples {
        Some(samples) => {
            let params = if args.vary.is_empty() {
                all_ranged(spec, &args.set)?
            } else {
                args.vary
                    .iter()
                    .map(|v| match v.bounds {
                        Bounds::Declared => resolve(v, None),
                        Bounds::Range { lo, hi } => resolve(v, Some((lo, hi))),
                        Bounds::Grid { .. } => Err(Error::Usage(format!(
                            "--vary {}: STEPS belongs to grids; with --samples give PATH (its \
                             declared range) or PATH=LO:HI",
                            v.path
                        ))),
                    })
                    .collect::<Result<_>>()?
            };
            Ok(Design::MonteCarlo(MonteCarlo::new(
                params, samples, args.seed,
            )?))
        }
        None => {
            if args.vary.is_empty() {
                return Err(Error::Usage(
                    "nothing to sweep: give --vary PATH=LO:HI:STEPS for a grid, or --samples N \
                     for Monte Carlo"
                        .into(),
                ));
            }
            let axes = args
                .vary
                .iter()
                .map(|v| match v.bounds {
                    Bounds::Grid { lo, hi, steps } => Axis::new(resolve(v, Some((lo, hi)))?, steps),
                    _ => Err(Error::Usage(format!(
                        "--vary {}: a grid needs PATH=LO:HI:STEPS (or add --samples N for Monte \
                         Carlo draws)",
                        v.path
                    ))),
                })
                .collect::<Result<_>>()?;
            Ok(Design::Grid(Grid::new(axes)?))
        }
    }
}

/// The sweep's identity for its metadata.
fn sweep_id(spec: &ModelSpec, args: &SweepArgs, plan: &Plan) -> Result<SweepId> {
    let bytes = std::fs::read(&args.model).map_err(|e| Error::io(&args.model, e))?;
    let (vary, samples, seed, design) = match plan.design() {
        Design::Grid(g) => (
            g.axes()
                .iter()
                .map(|a| range(&a.param, Some(a.steps)))
                .collect(),
            None,
            None,
            "grid",
        ),
        Design::MonteCarlo(m) => (
            m.params().iter().map(|p| range(p, None)).collect(),
            Some(m.samples()),
            Some(m.seed()),
            "monte_carlo",
        ),
    };
    Ok(SweepId {
        patron_version: env!("CARGO_PKG_VERSION").into(),
        model: ModelId {
            name: spec.name().into(),
            fnv1a64: fnv1a64(&bytes),
        },
        scenario: plan.base().scenario.clone(),
        set: args
            .set
            .iter()
            .map(|(path, value)| SetValue {
                path: path.clone(),
                value: *value,
            })
            .collect(),
        design: design.into(),
        vary,
        samples,
        seed,
        points: plan.len(),
        survival: args.with_survival,
        patron_game: args.with_patron_game,
        allow_outside_range: args.allow_outside_range,
        columns: plan.columns(),
    })
}

fn range(p: &Varied, steps: Option<u64>) -> VaryRange {
    VaryRange {
        path: p.path.clone(),
        lo: p.lo,
        hi: p.hi,
        steps,
    }
}

fn closing_message(report: &RunReport, out: Option<&Path>) -> String {
    let computed = report.rows - report.resumed;
    let mut msg = match out {
        Some(p) if p.as_os_str() != "-" => format!("{} rows in {}", report.rows, p.display()),
        _ => format!("{} points", report.rows),
    };
    if report.resumed > 0 {
        msg += &format!(
            " ({} kept from before, {computed} computed now)",
            report.resumed
        );
    }
    if report.dropped_partial_line {
        msg += "; a cut last line was dropped";
    }
    if report.failed > 0 {
        msg += &format!(
            "; {} points have no outputs (see their `error` column)",
            report.failed
        );
    }
    msg
}

/// The Monte Carlo summary, as a table on standard output or into `path` (.json, .csv, table).
fn write_summary(summary: Summary, path: Option<&Path>) -> Result<()> {
    let (rows, failed, rejected) = (summary.rows, summary.failed, summary.rejected_draws);
    let outputs = summary.finish();
    let heading = format!(
        "Monte Carlo: {rows} samples, {rejected} draws rejected for breaking a model constraint, \
         {failed} samples without outputs\n\n"
    );
    let extension = path.and_then(|p| p.extension()).and_then(|e| e.to_str());
    let text = match extension {
        Some("json") => serde_json::to_string_pretty(&SummaryFile {
            samples: rows,
            rejected_draws: rejected,
            failed,
            outputs: &outputs,
        })
        .map_err(|e| Error::Solver(format!("cannot write JSON: {e}")))?,
        Some("csv") => {
            let (header, cells) =
                summary_table(&outputs, |v| v.map_or_else(String::new, |x| x.to_string()));
            crate::cli::output::csv_text(&header, &cells)?
        }
        _ => {
            let (header, cells) = summary_table(&outputs, |v| {
                v.map_or_else(|| "—".into(), |x| format!("{x:.6}"))
            });
            heading + &text_table(&header, &cells)
        }
    };
    match path {
        Some(p) => std::fs::write(p, text).map_err(|e| Error::io(p, e)),
        None => write_stdout(text.trim_end()),
    }
}

/// The JSON summary file.
#[derive(serde::Serialize)]
struct SummaryFile<'a> {
    samples: u64,
    rejected_draws: u64,
    failed: u64,
    outputs: &'a [OutputSummary],
}

fn summary_table(
    outputs: &[OutputSummary],
    number: impl Fn(Option<f64>) -> String,
) -> (Vec<String>, Vec<Vec<String>>) {
    let header = ["output", "n", "mean", "q05", "q50", "q95"]
        .map(String::from)
        .to_vec();
    let rows = outputs
        .iter()
        .map(|o| {
            vec![
                o.output.clone(),
                o.n.to_string(),
                number(o.mean),
                number(o.q05),
                number(o.q50),
                number(o.q95),
            ]
        })
        .collect();
    (header, rows)
}
