//! `patron serve`: the model in a browser. A local HTTP server answers one page (the explorer,
//! compiled into the binary from `assets/explorer/`) and a small JSON API over one model file:
//!
//! - `GET /api/model`: every parameter with its value, range and source, grouped by dyad, the
//!   scenarios with their overrides, and (with `--calibration`) the posterior predictive bands
//!   ([`calibration`]);
//! - `GET /api/solve?scenario=S&set=PATH=VALUE&…`: exactly `patron solve MODEL --format json`'s
//!   document (the same function writes both);
//! - `GET /api/sweep?scenario=S&vary=PATH=LO:HI:STEPS&set=…`: a grid sweep's columns, each an
//!   array with one entry per point, as `patron sweep --out FILE.jsonl` would write its rows.
//!
//! Schemas: `docs/output.md`; user guide: `docs/explorer.md`.
//!
//! Requests are answered by pure functions ([`Explorer::handle`]: method and target in, status
//! and body out), so every route is tested without sockets; [`server`] only moves bytes. Safety
//! comes by construction: a request can name a scenario and parameter values, nothing else (no
//! path reaches the file system), values are checked against their declared ranges exactly as
//! `--set` checks them, sweeps are bounded by [`crate::limits::MAX_EXPLORER_SWEEP_POINTS`],
//! every refusal is a 4xx JSON body `{"error": message}` carrying the CLI's message, and a
//! panic in a handler becomes a 500 for that request only.

pub(crate) mod api;
pub(crate) mod calibration;
pub(crate) mod page;
pub(crate) mod query;
pub(crate) mod response;
pub(crate) mod server;

pub use api::Explorer;
pub use calibration::CalibrationBands;
