//! `patron serve MODEL.toml`: the model in a browser (guide: docs/explorer.md; API schemas:
//! docs/output.md). The server itself is `crate::serve`.

use crate::model::file::load_model;
use crate::serve::{server, CalibrationBands, Explorer};
use crate::{Error, Result};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  patron serve models/gaza-2024.toml                 # http://127.0.0.1:8357/
  patron serve models/gaza-2024.toml --port 0 --open # any free port, then open a browser
  patron calibrate models/gaza-2024.toml --data models/truces-2023-2025.toml --summary cal.json
  patron serve models/gaza-2024.toml --calibration cal.json  # with the posterior's 90% bands
  curl 'http://127.0.0.1:8357/api/solve?scenario=ceasefire&set=dyads.us_israel.credibility=0.7'

The page moves every parameter of the model on a slider within its declared range and shows
what `patron solve` would print, live; \"copy as command\" gives the `patron solve … --set …`
line that reproduces the view. The API answers JSON: /api/model, /api/solve, /api/sweep.";

/// Serve an interactive explorer of a model on a local web page.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct ServeArgs {
    /// The model file (TOML; see models/README.md). Read once, at start.
    pub model: PathBuf,
    /// TCP port to listen on; 0 picks any free port (the URL is printed).
    #[arg(long, default_value_t = 8357)]
    pub port: u16,
    /// Address to listen on. The default, 127.0.0.1, is reachable from this machine only;
    /// anything else lets others on the network use the explorer (a warning is printed).
    #[arg(long, value_name = "IP", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Show calibrated bands beside the point values: the summary `patron calibrate MODEL
    /// --data TRUCES --summary FILE.json` wrote for this model file (its posterior predictive
    /// 90 % bands; refused if it was computed from another model file).
    #[arg(long, value_name = "SUMMARY.json")]
    pub calibration: Option<PathBuf>,
    /// Open the page in the system's web browser once the server listens.
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: ServeArgs) -> Result<()> {
    let spec = load_model(&args.model)?;
    let calibration = args
        .calibration
        .as_deref()
        .map(|summary| CalibrationBands::load(summary, &spec))
        .transpose()?;
    let explorer = Explorer::new(spec, calibration)?;
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this address can use the explorer",
            args.bind
        );
    }
    let listener = server::bind(SocketAddr::new(args.bind, args.port))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Solver(format!("cannot read the listening address: {e}")))?;
    let url = format!("http://{addr}/");
    println!(
        "patron explorer for {} at {url} (Ctrl-C stops it)",
        args.model.display()
    );
    // The URL line is what scripts and tests wait for: make sure it is out before serving.
    let _ = std::io::stdout().flush();
    if args.open {
        open_browser(&url);
    }
    server::serve(listener, explorer)
}

/// Ask the desktop to open `url`; failure is a note, not an error (the URL is printed anyway).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("note: could not run `{opener} {url}` ({e}); open the URL yourself");
    }
}
