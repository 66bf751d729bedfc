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
