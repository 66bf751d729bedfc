//! `patron calibrate MODEL --data TRUCES`: hold the model against observed truces.

use crate::calibrate::data::load_truces;
use crate::calibrate::density::{densities, Density};
use crate::calibrate::infer::{
    default_min_ess, leave_one_out, posterior, summarise, DimensionSummary, ImportanceConfig,
    LooConfig, LooReport, Method, Posterior, PosteriorConfig, SmcConfig, SmcStage,
};
use crate::calibrate::likelihood::{DataFit, TruceSet};
use crate::calibrate::predictive::{predictive, Predictive};
use crate::calibrate::problem::{Calibration, DEFAULT_FREE};
use crate::calibrate::shards::{file_fingerprint, posterior_from_shards, write_shard, ShardHeader};
use crate::cli::output::{text_table, write_stdout, Format};
use crate::model::file::{load_model, ModelSpec};
use crate::sweep::engine::progress_bar;
use crate::sweep::shard::{checked, Shard};
use crate::{Error, Result};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

const WORKFLOW: &str = "\
Workflow (docs/model.md, \"Calibration\"):
  1. Check the data against the model at its stated values: per truce the observed outcome,
     the predicted survival at that week and the log likelihood.
       patron calibrate models/gaza-2024.toml --data models/truces-2023-2025.toml --check
  2. The posterior: free parameters uniform on their declared ranges, weighted by the truces'
     likelihood (importance sampling from the prior; tempered SMC when the effective sample
     size falls below --min-ess). Prints per parameter the prior and posterior mean, 5/50/95%
     quantiles and shrinkage (posterior sd / prior sd), then the posterior predictive of every
     scenario's headline numbers with 90% bands and how often each optimal policy sanctions.
       patron calibrate models/gaza-2024.toml --data models/truces-2023-2025.toml \\
           --samples 200000 --seed 1 --out posterior.jsonl --summary posterior.json
       patron calibrate ... --free chain.baseline_hazard --free 'dyads.*.breaks_ceasefire'
  3. Backtest: leave one truce out, predict it from the posterior of the others, and compare
     with the prior's prediction (log predictive densities; higher is better).
       patron calibrate ... --samples 200000 --backtest
  4. Plots from the summary: patron plot posterior.json --out bands.svg (survival bands of the
     observed truces), --kind posterior (prior and posterior intervals).
  5. On many machines: each computes one shard of the prior draws' likelihoods, then one
     command makes the posterior from all the files (the same answer as one run):
       patron calibrate ... --samples 1000000 --seed 1 --shard 3/8 --likelihoods l3.jsonl
       patron calibrate ... --samples 1000000 --seed 1 --from-likelihoods l*.jsonl

The data file lists truces with their dates, dyads, scenario and policy set, every date cited
(format: models/README.md). A break on day d after the start is week ceil(d/7); a truce known to
hold through day d held through floor(d/7) weeks. Default free parameters: chain.baseline_hazard,
chain.tension_multiplier, chain.recovery, dyads.*.breaks_ceasefire, dyads.*.prior_autonomous.";

/// Hold a model against observed truces: likelihood, posterior, backtest.
#[derive(Debug, clap::Args)]
#[command(after_help = WORKFLOW)]
pub struct CalibrateArgs {
    /// The model file (TOML; see models/README.md).
    pub model: PathBuf,
    /// The observed truces (TOML; see models/README.md, "Truce data").
    #[arg(long, value_name = "TRUCES")]
    pub data: PathBuf,
    /// Only print each truce's outcome, predicted survival and log likelihood at the model's
    /// values (no posterior).
    #[arg(long)]
    pub check: bool,
    /// What goes to standard output: a table, or JSON (schemas in docs/output.md).
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// A free parameter (uniform on its declared range): a path or a glob with `*`
    /// (`dyads.*.breaks_ceasefire`). Repeat for more. Default: see below.
    #[arg(long, value_name = "PATH|GLOB")]
    pub free: Vec<String>,
    /// Prior draws for importance sampling (and for the backtest).
    #[arg(long, default_value_t = 20_000, value_name = "N")]
    pub samples: u64,
    /// Seed of every random stream (draw s reads stream s: the same answer on any number of
    /// threads).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Fewest effective draws importance sampling must keep before SMC replaces it
    /// (default max(1000, N/100)).
    #[arg(long, value_name = "ESS")]
    pub min_ess: Option<f64>,
    /// Particles of the SMC sampler, when it runs.
    #[arg(long, default_value_t = 4_000, value_name = "P")]
    pub particles: u64,
    /// Draws of the posterior (and prior) the predictive bands are computed from (each is a
    /// full model solve per scenario).
    #[arg(long, default_value_t = 2_000, value_name = "M")]
    pub predictive_draws: usize,
    /// Also run the leave-one-truce-out backtest.
    #[arg(long)]
    pub backtest: bool,
    /// Write the posterior draws here, one JSON object per line:
    /// {"log_weight", "log_likelihood", "theta": {path: value}}.
    #[arg(long, value_name = "FILE.jsonl")]
    pub out: Option<PathBuf>,
    /// Write the full summary as JSON here (what `patron plot` reads).
    #[arg(long, value_name = "FILE.json")]
    pub summary: Option<PathBuf>,
    /// Compute only shard I of N of the prior draws' likelihoods (draws s with s mod N = I − 1)
    /// into --likelihoods FILE, and stop; then --from-likelihoods with every shard's file.
    #[arg(long, value_name = "I/N", requires = "likelihoods")]
    pub shard: Option<Shard>,
    /// The shard file --shard writes (JSON lines; docs/output.md).
    #[arg(long, value_name = "FILE.jsonl", requires = "shard")]
    pub likelihoods: Option<PathBuf>,
    /// Complete an interrupted --likelihoods FILE: keep its draws, compute the missing ones.
    #[arg(long, requires = "shard")]
    pub resume: bool,
    /// The posterior from these shard files (every shard of one run with the same model, data,
    /// --samples, --seed and --free) instead of computing the likelihoods here.
    #[arg(long, value_name = "FILE.jsonl", num_args = 1.., conflicts_with = "shard")]
    pub from_likelihoods: Vec<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl CalibrateArgs {
    /// `patron calibrate MODEL --data DATA` with every other option at the command line's
    /// default (parsed by the same definition, so the defaults live in one place); set the
    /// public fields to change them.
    pub fn new(model: &std::path::Path, data: &std::path::Path) -> Result<CalibrateArgs> {
        #[derive(clap::Parser)]
        struct Command {
            #[command(flatten)]
            args: CalibrateArgs,
        }
        // `--data=DATA` and `--` before MODEL: paths that begin with `-` stay paths.
        let mut data_option = std::ffi::OsString::from("--data=");
        data_option.push(data);
        let words = [
            std::ffi::OsStr::new("calibrate"),
            &data_option,
            std::ffi::OsStr::new("--"),
            model.as_os_str(),
        ];
        <Command as clap::Parser>::try_parse_from(words)
            .map(|c| c.args)
            .map_err(|e| Error::Usage(e.to_string()))
    }
}

pub fn run(args: CalibrateArgs) -> Result<()> {
    let spec = load_model(&args.model)?;
    let data = load_truces(&args.data, &spec)?;
    let set = TruceSet::new(&spec, &data)?;
    if args.check {
        let fit = set.fit(&set.scenarios)?;
        return match args.format {
            Format::Json => write_stdout(&json(&fit)?),
            Format::Table => write_stdout(&check_table(&fit)),
            Format::Csv => Err(Error::Usage(
                "--check prints a table or JSON (--format table|json)".into(),
            )),
        };
    }
    if args.format == Format::Csv {
        return Err(Error::Usage(
            "calibrate prints a table or JSON (--format table|json)".into(),
        ));
    }
    let calibration = calibration_of(&args, &spec, set)?;
    if let (Some(shard), Some(path)) = (args.shard, &args.likelihoods) {
        let shard = checked(Some(shard), args.samples)?;
        let header = ShardHeader::new(
            &args.model,
            &args.data,
            &calibration,
            args.samples,
            args.seed,
            shard,
        )?;
        let bar = progress_bar(shard.rows(args.samples), 0, "likelihoods", args.quiet);
        let rows = write_shard(path, &header, &calibration, shard, args.resume, &bar)?;
        bar.finish_and_clear();
        if !args.quiet {
            eprintln!("{rows} draws of shard {shard} in {}", path.display());
        }
        return Ok(());
    }
    let (summary, post) = posterior_summary(&args, &spec, &calibration)?;
    if let Some(path) = &args.out {
        write_draws(path, &calibration, &post)?;
    }
    if let Some(path) = &args.summary {
        std::fs::write(path, json(&summary)? + "\n").map_err(|e| Error::io(path, e))?;
    }
    match args.format {
        Format::Json => write_stdout(&json(&summary)?),
        _ => write_stdout(&summary_text(&summary, args.samples)),
    }
}

/// `patron calibrate MODEL --data TRUCES --format json`'s document, for a model already read
/// (what the Python package's `Model.calibrate` returns): the posterior, its predictive bands
/// and, with `backtest`, the leave-one-out backtest. `args.model` names the model in the
/// document; the options that only the command line has (`--check`, `--shard`, `--out`,
/// `--summary`) are refused by name.
pub fn summary_json(spec: &ModelSpec, args: &CalibrateArgs) -> Result<String> {
    let command_line_only = [
        ("check", args.check),
        ("shard", args.shard.is_some()),
        ("out", args.out.is_some()),
        ("summary", args.summary.is_some()),
    ];
    if let Some((name, _)) = command_line_only.iter().find(|(_, given)| *given) {
        return Err(Error::Usage(format!(
            "calibrate: `{name}` is an option of the command line only (the summary is returned)"
        )));
    }
    let data = load_truces(&args.data, spec)?;
    let calibration = calibration_of(args, spec, TruceSet::new(spec, &data)?)?;
    json(&posterior_summary(args, spec, &calibration)?.0)
}

/// The calibration problem: the free parameters `--free` names (or the default ones).
fn calibration_of(args: &CalibrateArgs, spec: &ModelSpec, set: TruceSet) -> Result<Calibration> {
    let patterns: Vec<String> = if args.free.is_empty() {
        DEFAULT_FREE.iter().map(|s| s.to_string()).collect()
    } else {
        args.free.clone()
    };
    Calibration::new(spec, set, &patterns)
}

/// The posterior (from the likelihoods computed here, or from `--from-likelihoods` files) and
/// everything the summary reports about it.
fn posterior_summary(
    args: &CalibrateArgs,
    spec: &ModelSpec,
    calibration: &Calibration,
) -> Result<(Summary, Posterior)> {
    let prior = calibration.prior()?;
    let config = PosteriorConfig {
        importance: ImportanceConfig {
            samples: args.samples,
            seed: args.seed,
        },
        min_ess: args.min_ess,
        smc: SmcConfig {
            particles: args.particles,
            seed: args.seed,
            ..SmcConfig::default()
        },
    };
    let bar = progress_bar(args.samples, 0, "likelihoods", args.quiet);
    let post = if args.from_likelihoods.is_empty() {
        let ll = |theta: &[f64]| calibration.log_likelihood(theta);
        posterior(&prior, &ll, &config, &bar)?
    } else {
        let expected = ShardHeader::new(
            &args.model,
            &args.data,
            calibration,
            args.samples,
            args.seed,
            Shard::WHOLE,
        )?;
        posterior_from_shards(
            &args.from_likelihoods,
            &expected,
            calibration,
            &config,
            &bar,
        )?
    };
    bar.finish_and_clear();
    let parameters = summarise(&prior, &post.sample);
    let prior_sample = prior_draws_sample(&prior, args.predictive_draws, args.seed)?;
    let posterior_predictive = predictive(
        spec,
        calibration,
        &post.sample,
        args.predictive_draws,
        args.seed,
    )?;
    let prior_predictive = predictive(
        spec,
        calibration,
        &prior_sample,
        args.predictive_draws,
        args.seed,
    )?;
    let backtest = if args.backtest {
        let bar = progress_bar(args.samples, 0, "likelihoods (backtest)", args.quiet);
        let pointwise = |theta: &[f64]| calibration.pointwise(theta);
        let loo = leave_one_out(
            &prior,
            &pointwise,
            &LooConfig {
                importance: config.importance.clone(),
                min_ess: args.min_ess,
                smc: config.smc.clone(),
                fallback: true,
            },
            &bar,
        )?;
        bar.finish_and_clear();
        Some(backtest_rows(calibration, &loo))
    } else {
        None
    };
    let summary = Summary {
        model: args.model.display().to_string(),
        model_fnv1a64: spec.fingerprint().to_string(),
        data: args.data.display().to_string(),
        data_fnv1a64: file_fingerprint(&args.data)?,
        samples: args.samples,
        seed: args.seed,
        method: post.method,
        importance_ess: post.importance_ess,
        min_ess: post.min_ess,
        log_evidence: post.log_evidence,
        smc_stages: post.smc.as_ref().map(|s| s.stages.clone()),
        parameters,
        densities: densities(&prior, &post.sample),
        prior_predictive,
        posterior_predictive,
        backtest,
    };
    Ok((summary, post))
}

/// Everything `calibrate` reports (its JSON is the summary file; schema in docs/output.md).
#[derive(Debug, Serialize)]
pub struct Summary {
    pub model: String,
    /// The model file's bytes fingerprinted (FNV-1a 64), so `patron serve --calibration` can
    /// refuse a summary of another model.
    pub model_fnv1a64: String,
    pub data: String,
    pub data_fnv1a64: String,
    pub samples: u64,
    pub seed: u64,
    pub method: Method,
    pub importance_ess: f64,
    pub min_ess: f64,
    pub log_evidence: f64,
    pub smc_stages: Option<Vec<SmcStage>>,
    pub parameters: Vec<DimensionSummary>,
    pub densities: Vec<Density>,
    pub prior_predictive: Predictive,
    pub posterior_predictive: Predictive,
    pub backtest: Option<Vec<BacktestRow>>,
}

/// One truce left out.
#[derive(Debug, Serialize)]
pub struct BacktestRow {
    pub id: String,
    pub outcome: &'static str,
    pub weeks: u32,
    /// log p(y_i) under the prior.
    pub log_prior_predictive: f64,
    /// log p(y_i | the other truces).
    pub log_loo_predictive: f64,
    /// ESS of the prior draws weighted by the other truces' likelihood.
    pub importance_ess: f64,
    pub method: Method,
}

fn backtest_rows(calibration: &Calibration, loo: &LooReport) -> Vec<BacktestRow> {
    loo.folds
        .iter()
        .map(|f| {
            let t = &calibration.set.truces[f.observation].truce;
            BacktestRow {
                id: t.id.clone(),
                outcome: t.outcome.name(),
                weeks: t.weeks,
                log_prior_predictive: f.log_prior_predictive,
                log_loo_predictive: f.log_loo_predictive,
                importance_ess: f.importance_ess,
                method: f.method,
            }
        })
        .collect()
}

/// Equally weighted prior draws, for the prior predictive bands.
fn prior_draws_sample(
    prior: &crate::calibrate::infer::UniformBox,
    draws: usize,
    seed: u64,
) -> Result<crate::calibrate::infer::WeightedSample> {
    let d = prior.dim();
    let mut points = vec![0.0; draws * d];
    for (s, theta) in points.chunks_mut(d).enumerate() {
        prior.draw(
            &mut crate::sweep::rng::PointRng::new(seed ^ PRIOR_PREDICTIVE_STREAM, s as u64),
            theta,
        );
    }
    crate::calibrate::infer::WeightedSample::new(
        d,
        points,
        vec![0.0; draws],
        vec![0.0; draws],
        "prior draws",
    )
}

/// Keys the prior predictive's draws apart from importance sampling's streams under one seed.
const PRIOR_PREDICTIVE_STREAM: u64 = 0x7072_696f_725f_7072;

/// The posterior draws, one JSON object per line.
fn write_draws(path: &std::path::Path, calibration: &Calibration, post: &Posterior) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = std::io::BufWriter::new(file);
    let s = &post.sample;
    for i in 0..s.len() {
        let theta: serde_json::Map<String, serde_json::Value> = calibration
            .free
            .iter()
            .zip(s.point(i))
            .map(|(v, x)| (v.path.clone(), serde_json::json!(x)))
            .collect();
        let row = serde_json::json!({
            "log_weight": s.log_weights()[i],
            "log_likelihood": s.log_likelihoods()[i],
            "theta": theta,
        });
        writeln!(w, "{row}").map_err(|e| Error::io(path, e))?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Solver(format!("JSON output: {e}")))
}

fn strings<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.map(String::from).to_vec()
}

/// The summary as tables for a person.
fn summary_text(s: &Summary, samples: u64) -> String {
    let mut out = String::new();
    let method = match s.method {
        Method::ImportanceSampling => "importance sampling from the prior".to_string(),
        Method::Smc => format!(
            "tempered SMC ({} stages): importance sampling's ESS fell below {:.0}",
            s.smc_stages.as_ref().map_or(0, Vec::len),
            s.min_ess
        ),
    };
    out += &format!(
        "posterior by {method}\n{samples} prior draws, ESS {:.0} (threshold {:.0}, default {:.0}), \
         log evidence {:.3}\n\n",
        s.importance_ess,
        s.min_ess,
        default_min_ess(samples),
        s.log_evidence
    );
    let rows: Vec<Vec<String>> = s
        .parameters
        .iter()
        .map(|p| {
            let f = |m: &crate::calibrate::infer::Moments| {
                format!("{:.4} [{:.4}, {:.4}, {:.4}]", m.mean, m.q05, m.q50, m.q95)
            };
            vec![
                p.name.clone(),
                f(&p.prior),
                f(&p.posterior),
                format!("{:.3}", p.shrinkage),
            ]
        })
        .collect();
    out += &text_table(
        &strings([
            "parameter",
            "prior mean [5%, 50%, 95%]",
            "posterior mean [5%, 50%, 95%]",
            "shrinkage",
        ]),
        &rows,
    );
    out += "\nposterior predictive (90% bands; prior predictive in the last column)\n";
    let band =
        |b: &crate::calibrate::infer::Band| format!("{:.3} [{:.3}, {:.3}]", b.mean, b.q05, b.q95);
    let rows: Vec<Vec<String>> = s
        .posterior_predictive
        .headlines
        .iter()
        .zip(&s.prior_predictive.headlines)
        .map(|(h, p)| {
            vec![
                h.scenario.clone(),
                h.policies.to_string(),
                band(&h.p_hold),
                band(&h.expected_weeks),
                band(&h.p_regional_war),
                band(&p.p_hold),
            ]
        })
        .collect();
    out += &text_table(
        &strings([
            "scenario",
            "policies",
            "P(hold)",
            "expected weeks",
            "P(regional war)",
            "prior P(hold)",
        ]),
        &rows,
    );
    out += "\nhow often the optimal policy sanctions at all\n";
    let rows: Vec<Vec<String>> = s
        .posterior_predictive
        .sanctions
        .iter()
        .zip(&s.prior_predictive.sanctions)
        .map(|(q, p)| {
            vec![
                q.scenario.clone(),
                q.dyad.clone(),
                format!("{:.3}", q.frequency),
                format!("{:.3}", p.frequency),
            ]
        })
        .collect();
    out += &text_table(&strings(["scenario", "dyad", "posterior", "prior"]), &rows);
    if let Some(rows) = &s.backtest {
        out += "\nbacktest: each truce predicted from the other four (log predictive density)\n";
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.id.clone(),
                    format!("{} {}", r.outcome, r.weeks),
                    format!("{:.3}", r.log_prior_predictive),
                    format!("{:.3}", r.log_loo_predictive),
                    format!("{:+.3}", r.log_loo_predictive - r.log_prior_predictive),
                    format!("{:.0}", r.importance_ess),
                ]
            })
            .collect();
        out += &text_table(
            &strings(["truce", "outcome", "prior", "leave-one-out", "gain", "ESS"]),
            &table,
        );
        let (p, l): (f64, f64) = rows.iter().fold((0.0, 0.0), |(p, l), r| {
            (p + r.log_prior_predictive, l + r.log_loo_predictive)
        });
        out += &format!(
            "total: prior {p:.3}, leave-one-out {l:.3}, gain {:+.3}\n",
            l - p
        );
    }
    out.trim_end().to_string()
}

/// One row per truce: what happened, what the chain predicted, and the log likelihood.
fn check_table(fit: &DataFit) -> String {
    let header = strings([
        "truce",
        "dyads",
        "policies",
        "outcome",
        "week",
        "S(t-1)",
        "S(t)",
        "P(outcome)",
        "log lik",
    ]);
    let rows: Vec<Vec<String>> = fit
        .truces
        .iter()
        .map(|t| {
            let w = t.weeks as usize;
            vec![
                t.id.clone(),
                t.dyads.join(","),
                t.policies.to_string(),
                t.outcome.to_string(),
                t.weeks.to_string(),
                format!("{:.4}", t.survival[w - 1]),
                format!("{:.4}", t.survival[w]),
                format!("{:.4}", t.log_likelihood.exp()),
                format!("{:.3}", t.log_likelihood),
            ]
        })
        .collect();
    format!(
        "{}total log likelihood {:.3} over {} truces",
        text_table(&header, &rows),
        fit.log_likelihood,
        fit.truces.len()
    )
}
