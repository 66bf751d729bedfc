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
/// Most candidate supports/bases `enummixed` will examine before refusing (support-enumeration work).
pub const MAX_ENUMERATION_BASES: u128 = 50_000_000;
/// Most bytes of a game or model file read from disk.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Largest decimal exponent accepted in a game file number (`1e4000` would be a 4000-digit integer).
pub const MAX_DECIMAL_EXPONENT: i64 = 1000;
/// Most dyads in a model: the ceasefire chain mixes over all 2^dyads client-type profiles.
pub const MAX_DYADS: usize = 20;
/// Longest ceasefire horizon in weeks (the survival curve has one entry per week).
pub const MAX_HORIZON_WEEKS: u32 = 10_000;
/// Most pivots one complementary pivoting run (Lemke–Howson, Lemke) may take before it is
/// stopped: a guard against cycling from rounding and against exponentially long paths
/// (Savani & von Stengel 2006).
pub const MAX_PIVOTS: usize = 100_000;
/// Most points one sweep may have: grid points, Monte Carlo samples, or model evaluations of a
/// sensitivity analysis (a row index is a `u64`; this keeps files and runs within reason).
pub const MAX_SWEEP_POINTS: u64 = 100_000_000;
/// Most draws a Monte Carlo point rejects for breaking a model constraint (ω ≤ β) before the
/// point is reported as failed: a range box almost entirely outside the constraints.
pub const MAX_REJECTED_DRAWS: u32 = 1_000;
/// Most numbers a Monte Carlo summary keeps in memory for its exact quantiles (8 bytes each).
pub const MAX_SUMMARY_VALUES: u64 = 50_000_000;
