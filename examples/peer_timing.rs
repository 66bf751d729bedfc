//! In-process timing of one patron solver on one game file, for `benches/peers/run.sh`.
//!
//! Usage: `peer_timing METHOD GAME REPS [LAMBDA]` with METHOD one of `enummixed`, `lcp` (as
//! `patron solve --method lcp`: labels raced), `lcp-label0` (label 0's path alone), `lp`,
//! `logit` (needs LAMBDA), `seqlcp` (a two-player `.efg`), `enumpoly` (any number of players;
//! the solver's own certification and exact recovery included, as pygambit's solve includes
//! its own checks), `simpdiv` and `liap` (any number of players, from the centroid with
//! Gambit's defaults; polishing and certification included), `gnm` and `ipa` (any number of
//! players, Gambit's default perturbation and settings; certification included), and
//! `tree-logit` (needs LAMBDA; a `.efg`: the agent QRE in behaviour strategies, printed per
//! information set as `seqlcp`'s profiles are).
//!
//! Why a harness and not only `patron solve`: Python peers are timed inside a warm interpreter,
//! so patron is timed the same way, the solver call alone (file parsing, certification and
//! output excluded; `run.sh` also times the whole process). The protocol is the peers' own
//! (`benches/peers/peers.py`): one untimed warm-up run, then at least REPS timed runs and
//! more until they add up to [`MIN_TOTAL`] (a median of five microsecond runs is mostly
//! noise), at most [`MAX_RUNS`], and none started once the runs pass [`BUDGET`]; a warm-up run
//! of at least [`SLOW`] is the one timed run (a run that long is not disturbed by warm-up
//! effects, and repeating it would multiply a slow cell's time). The output
//! is one JSON line with the median and every equilibrium as floats, for the equilibrium-set
//! comparison.

/// The allocator of the `patron` binary and the Python package (see Cargo.toml), so that the
/// harness times what their users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use patron::game::{Behavior, Certified};
use patron::io::{read_game_file, GameFile};
use patron::limits;
use patron::num::{to_f64, Q};
use patron::solve::Deadline;
use patron::solve::{
    agent_logit_at, enummixed, enumpoly, lcp_one, lemke_howson, logit_at, lp, sequence_lcp, Labels,
    GAMBIT_FIRST_LABEL,
};
use patron::solve::{solve_strategic, Method, SolveOptions};
use std::path::Path;
use std::time::{Duration, Instant};

/// Total solver time after which no further repetition starts.
const BUDGET: Duration = Duration::from_secs(10);

/// Total solver time that fast cells keep repeating to (after REPS runs).
const MIN_TOTAL: Duration = Duration::from_millis(200);

/// A warm-up run at least this long is kept as the cell's one timed run.
const SLOW: Duration = Duration::from_secs(1);

/// Most timed runs of one cell.
const MAX_RUNS: usize = 10_000;

type Profiles = Vec<Vec<Vec<f64>>>;

fn floats(profiles: &[Behavior<Q>]) -> Profiles {
    profiles
        .iter()
        .map(|p| {
            p.iter()
                .flatten()
                .map(|v| v.iter().map(to_f64).collect())
                .collect()
        })
        .collect()
}

fn strategic_floats(profiles: &[Vec<Vec<Q>>]) -> Profiles {
    profiles
        .iter()
        .map(|p| p.iter().map(|v| v.iter().map(to_f64).collect()).collect())
        .collect()
}

fn solve_once(method: &str, game: &GameFile, lambda: Option<f64>) -> patron::Result<Profiles> {
    use patron::Error;
    let usage = |what: &str| Error::Usage(format!("{method}: {what}"));
    match (method, game) {
        ("enummixed", GameFile::Strategic(g)) => Ok(strategic_floats(&enummixed(g)?)),
        ("lcp", GameFile::Strategic(g)) => {
            let deadline = Deadline::after(Duration::from_secs(limits::LCP_DEFAULT_SECONDS));
            let one = lcp_one(g, Labels::Race, &deadline)?;
            let profile = one
                .equilibrium
                .map(Certified::into_profile)
                .ok_or_else(|| Error::Solver("lcp: no path ended within the budget".into()))?;
            Ok(strategic_floats(&[profile]))
        }
        ("lcp-label0", GameFile::Strategic(g)) => {
            Ok(strategic_floats(&[lemke_howson(g, GAMBIT_FIRST_LABEL)?]))
        }
        ("lp", GameFile::Strategic(g)) => Ok(vec![lp(g)?.equilibrium.profile_f64()]),
        ("logit", GameFile::Strategic(g)) => {
            let lambda = lambda.ok_or_else(|| usage("needs LAMBDA"))?;
            Ok(vec![logit_at(g, lambda)?])
        }
        ("enumpoly", GameFile::Strategic(g)) => Ok(enumpoly(g)?
            .equilibria
            .iter()
            .map(|e| e.profile_f64())
            .collect()),
        ("tree-logit", GameFile::Extensive(g)) => {
            let lambda = lambda.ok_or_else(|| usage("needs LAMBDA"))?;
            let qre = agent_logit_at(g, lambda)?;
            Ok(vec![qre.behaviour.into_iter().flatten().collect()])
        }
        ("seqlcp", GameFile::Extensive(g)) => Ok(floats(&[sequence_lcp(g)?])),
        ("simpdiv" | "liap" | "gnm" | "ipa", GameFile::Strategic(g)) => {
            let method = Method::parse(method).ok_or_else(|| usage("unknown method"))?;
            Ok(solve_strategic(g, method, &SolveOptions::default())?
                .equilibria
                .iter()
                .map(|e| e.profile_f64())
                .collect())
        }
        _ => Err(usage("unknown method, or the wrong kind of game file")),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: peer_timing METHOD GAME REPS [LAMBDA]");
        std::process::exit(2);
    }
    let (method, path) = (args[1].as_str(), Path::new(&args[2]));
    let reps: usize = args[3].parse().unwrap_or(1).max(1);
    let lambda = args.get(4).and_then(|l| l.parse().ok());
    let result = read_game_file(path).and_then(|game| {
        let mut times = Vec::new();
        let mut total = Duration::ZERO;
        let warm_up = Instant::now();
        let mut found = solve_once(method, &game, lambda)?;
        let warm_up = warm_up.elapsed();
        if warm_up >= SLOW {
            return Ok((vec![warm_up], found));
        }
        while total < BUDGET && times.len() < MAX_RUNS && (times.len() < reps || total < MIN_TOTAL)
        {
            let start = Instant::now();
            found = solve_once(method, &game, lambda)?;
            times.push(start.elapsed());
            total += start.elapsed();
        }
        Ok((times, found))
    });
    match result {
        Ok((mut times, found)) => {
            times.sort();
            let median = times[times.len() / 2].as_secs_f64();
            let line = serde_json::json!({
                "runs": times.len(),
                "median_s": median,
                "equilibria": found,
            });
            println!("{line}");
        }
        Err(e) => {
            println!("{}", serde_json::json!({ "error": e.to_string() }));
            std::process::exit(1);
        }
    }
}
