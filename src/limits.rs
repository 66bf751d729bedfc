//! Size limits: every input that could exhaust memory or time is refused above these numbers
//! with a clear error (documented in `docs/limits.md`).

/// Most payoff entries (players × strategy profiles) a strategic game may hold.
pub const MAX_PAYOFF_ENTRIES: u128 = 10_000_000;
/// Most players in a game.
pub const MAX_PLAYERS: usize = 64;
/// Most strategies (or actions) one player may have in a file.
pub const MAX_STRATEGIES: usize = 100_000;
/// Most nodes in a game tree.
pub const MAX_TREE_NODES: usize = 1_000_000;
/// Most pure strategies per player in a reduced strategic form built from a tree.
pub const MAX_REDUCED_STRATEGIES: u128 = 100_000;
/// Most bases the vertex enumeration of `enummixed` visits before refusing. Time and memory
/// grow with it: about 7 µs and 1 KB per basis for a 16×16 game (the visited set, the search
/// stack and the vertices kept), so the limit means at most a few GB and a minute or so.
pub const MAX_ENUMERATION_BASES: u128 = 2_000_000;
/// Most bases × variables (strategies of both players) that vertex enumeration visits: its
/// search keeps a list of pivots, one per variable, for every basis on its path, so for large
/// games this bounds memory (about 8 bytes a cell) before [`MAX_ENUMERATION_BASES`] does.
pub const MAX_ENUMERATION_CELLS: u128 = 128_000_000;
/// Most bytes of a game or model file read from disk.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Largest decimal exponent accepted in a game file number (`1e4000` would be a 4000-digit integer).
pub const MAX_DECIMAL_EXPONENT: i64 = 1000;
/// Most dyads in a model: the ceasefire chain mixes over all 2^dyads client-type profiles.
pub const MAX_DYADS: usize = 20;
/// Longest ceasefire horizon in weeks (the survival curve has one entry per week).
pub const MAX_HORIZON_WEEKS: u32 = 10_000;
/// Most pivots one run of Lemke's algorithm may take before it is stopped: a guard against
/// cycling from rounding and against exponentially long paths (Savani & von Stengel 2006).
/// Lemke–Howson (`lcp`) has no pivot cap: it runs under a time budget instead
/// ([`LCP_DEFAULT_SECONDS`]), since random games have genuine paths of 10⁵–10⁶ pivots.
pub const MAX_PIVOTS: usize = 100_000;
/// Time budget in seconds of a one-equilibrium `lcp` run when `--max-seconds` names none: it
/// races dropped labels until one path ends, and a path of 10⁶ pivots on a 300×300 game
/// takes about a minute, so ten minutes leave room while still ending a hopeless run.
pub const LCP_DEFAULT_SECONDS: u64 = 600;
/// Most pivots the dense simplex of `lp` may take (each costs one pass over the m × n tableau):
/// a guard against cycling from rounding; Bland's rule already excludes it in exact arithmetic.
pub const MAX_SIMPLEX_PIVOTS: usize = 100_000;
/// Most points one sweep may have: grid points, Monte Carlo samples, or model evaluations of a
/// sensitivity analysis (a row index is a `u64`; this keeps files and runs within reason).
pub const MAX_SWEEP_POINTS: u64 = 100_000_000;
/// Most draws a Monte Carlo point rejects for breaking a model constraint (ω ≤ β) before the
/// point is reported as failed: a range box almost entirely outside the constraints.
pub const MAX_REJECTED_DRAWS: u32 = 1_000;
/// Most numbers a Monte Carlo summary keeps in memory for its exact quantiles (8 bytes each).
pub const MAX_SUMMARY_VALUES: u64 = 50_000_000;
/// Most subgame-perfect equilibria `spe` lists. Every subtree has at most as many equilibria
/// as the whole tree (each of its equilibria extends to at least one), so backward induction
/// refuses as soon as any subtree exceeds this.
pub const MAX_SUBGAME_PERFECT_EQUILIBRIA: usize = 10_000;
/// Most work units backward induction may spend: partial solutions kept (weighted by the
/// node's number of children) plus nodes visited writing out the equilibria.
pub const MAX_BACKWARD_INDUCTION_WORK: u128 = 50_000_000;
/// Largest sequence-form LCP or LP (rows: both players' sequences plus their information
/// sets plus two) that `lcp` and `lp` build on a game tree. The exact tableau is dense and
/// each pivot touches all of it: about 180 rows take seconds, so this bounds hours.
pub const MAX_SEQUENCE_FORM_ROWS: usize = 1_000;
/// Certification of a behaviour profile builds the reduced strategic form only when its pure
/// profiles times the tree's nodes stay below this (one tree walk per pure profile); larger
/// games are certified by sequence-form best responses instead (equivalent by Kuhn 1953).
pub const MAX_REDUCED_FORM_CERTIFICATION_WORK: u128 = 200_000_000;
/// Most distinct values along one side of a heatmap (cells = side × side; each cell is one SVG element).
pub const MAX_HEATMAP_SIDE: usize = 200;
/// Most predictor–corrector steps the logit QRE path tracer takes before refusing.
pub const MAX_PATH_STEPS: usize = 1_000_000;
/// Most LPs (follower type-profiles) the multiple-LPs Bayesian Stackelberg solver will solve;
/// above it the DOBSS mixed-integer program is used instead.
pub const MAX_STACKELBERG_LPS: u128 = 4_096;
/// Largest support (nonzero variables) of a float LP optimum that is made exact.
pub const MAX_EXACT_LP_SUPPORT: usize = 200;
/// Most pure profiles of a game whose correlated-equilibrium polytope may be vertex-enumerated.
pub const MAX_CE_VERTEX_PROFILES: usize = 16;
/// Most vertices the correlated-equilibrium vertex enumeration may hold at any stage.
pub const MAX_CE_VERTICES: usize = 2_000;
/// Most constraint-matrix entries (incentive rows × pure profiles, held densely) of the
/// correlated-equilibrium LP.
pub const MAX_CE_LP_ENTRIES: u128 = 4_000_000;
/// Most strategies (all players together; actions, on game trees) for the logit QRE tracer,
/// whose Jacobian is dense.
pub const MAX_LOGIT_STRATEGIES: usize = 500;
/// `logit --estimate` traces the branch up to this λ (gambit-logit's default `-m`): beyond it the
/// profile no longer moves in floating point for games with payoffs of order 1.
pub const LOGIT_ESTIMATE_MAX_LAMBDA: f64 = 1e6;
/// Most strategies (all players together) for `gnm` and `ipa`, whose Jacobians and tableaus are
/// dense.
pub const MAX_GNM_STRATEGIES: usize = 500;
/// Most calibrated attacks per week for which an exported dyad game computes ε̄ = 1 − (1−ε)^n
/// exactly: the rational's digits grow linearly in n. Above it (or for a fractional n) ε̄ is
/// the shortest decimal of its floating-point value.
pub const MAX_EXACT_ATTACKS_PER_WEEK: u32 = 100;
/// Most boxes the branch and bound for the patron's commitment against logit clients may
/// evaluate (each a few dozen flops; the open ones, about 100 bytes each, are kept in memory).
pub const MAX_LOGIT_COMMITMENT_BOXES: usize = 2_000_000;
/// Most node visits `enumpure --agent` may spend (each step of its branch and bound refreshes
/// the nodes above and below one information set, then checks the agents met there): about
/// 10 ns each, so the limit means a minute or so.
pub const MAX_AGENT_FORM_WORK: u128 = 5_000_000_000;
/// Most pure agent-form equilibria `enumpure --agent` lists (each is certified afterwards).
pub const MAX_AGENT_FORM_EQUILIBRIA: usize = 10_000;
/// Most probabilities the equilibria of one solve may list over a strategic form together
/// (equilibria × all players' strategies): `enumpure` refuses beyond it; `spe` and
/// `enumpure --agent` then certify by the sequence form and list no reduced-form profiles. A
/// game of ties has as many pure equilibria as profiles; each probability costs about 50 bytes
/// in memory (260 while JSON is written), so the limit keeps a solve near 1 GB at most.
pub const MAX_LISTED_PROBABILITIES: u128 = 4_000_000;
/// Most support profiles (`Π (2^{n_i} − 1)` over the players) `enumpoly` enumerates; each may
/// need a polynomial system solved, so this bounds its time (a few µs for each pruned profile).
pub const MAX_SUPPORT_PROFILES: u128 = 1_000_000;
/// Most unknowns (strategies minus one per player, over all players) in `enumpoly`'s largest
/// support system: its exact interval ranges visit up to `2^unknowns` box vertices.
pub const MAX_SYSTEM_UNKNOWNS: usize = 14;
/// Most boxes `enumpoly`'s subdivision examines for one support profile before it reports that
/// support unresolved (a continuum of solutions, or zeros too close to separate): 5–10 µs each
/// with a dozen unknowns, where a full support of a random 5×5×5 game needs about a million.
pub const MAX_ROOT_BOXES: usize = 2_000_000;
/// Largest denominator `enumpoly` tries when it turns a float equilibrium into exact rationals.
pub const MAX_RECOVERED_DENOMINATOR: u64 = 1_000_000;
/// Largest absolute payoff `enumpoly` accepts: it computes in `f64`, summing thousands of payoffs
/// times probabilities, so payoffs must stay far from its overflow at 1.8e308.
pub const MAX_FLOAT_SOLVER_PAYOFF: f64 = 1e100;
/// Most bytes of one HTTP request head (request line and headers) `patron serve` reads; a longer
/// one (say a query string with thousands of `set=`) is refused with 431 before it is parsed.
pub const MAX_REQUEST_HEAD_BYTES: usize = 16 * 1024;
/// Most grid points one `patron serve` `/api/sweep` request may solve (each a model solve of
/// well under a millisecond in a release build), so one request costs a second or so at most.
pub const MAX_EXPLORER_SWEEP_POINTS: u64 = 2_000;
/// Threads of `patron serve` that answer requests, one connection each at a time.
pub const SERVE_WORKERS: usize = 4;
/// Connections `patron serve` lets wait for a free worker; beyond them a connection gets 503.
pub const MAX_QUEUED_CONNECTIONS: usize = 64;
/// Seconds `patron serve` gives a client to send its whole request head, and to take each part
/// of its answer, before it closes the connection (a slow or silent client cannot hold a worker
/// for longer).
pub const SERVE_IO_TIMEOUT_SECS: u64 = 10;
/// Finest grid `simpdiv` refines to: probabilities are multiples of `1 / MAX_SIMPDIV_GRID`
/// (2⁴⁰ ≈ 1.1e12; Gambit's default stopping rule needs about 2²⁴ on its examples). Grid
/// coordinates are `i64` and their products are big integers, so this bounds only the work.
pub const MAX_SIMPDIV_GRID: i64 = 1 << 40;
/// Most path steps (labelled vertices) `simpdiv` takes over all its grids from one start: a
/// guard against very long paths (each step costs one evaluation of every player's payoffs).
pub const MAX_SIMPDIV_STEPS: usize = 10_000_000;
/// Most draws of one calibration run: importance-sampling draws, SMC particles, SBC rank draws.
pub const MAX_CALIBRATION_SAMPLES: u64 = 10_000_000;
/// Most numbers a calibration run keeps in memory (draws × (parameters + 2: the point, its
/// log-likelihood and weight), or draws × observations for leave-one-out; 8 bytes each, so
/// 400 MB).
pub const MAX_CALIBRATION_VALUES: u64 = 50_000_000;
/// Most free parameters of a calibration prior box.
pub const MAX_CALIBRATION_DIMENSIONS: usize = 1_000;
/// Most tempering stages of one SMC run (each costs particles × moves likelihood evaluations;
/// the adaptive schedule needs about log₂ of the information gain, tens for a calibration).
pub const MAX_SMC_STAGES: usize = 1_000;
/// Most Metropolis–Hastings sweeps per SMC stage a configuration may ask for.
pub const MAX_SMC_MOVES: u32 = 1_000;
/// Most simulated data sets of one simulation-based calibration.
pub const MAX_SBC_REPLICATIONS: u64 = 1_000_000;
