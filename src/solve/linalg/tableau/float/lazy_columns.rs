//! The columns of `A` in the revised dictionary, each computed the first time it is needed.
//!
//! Why lazy: the revised dictionary (see [`super`]) reads a column of `A` only when its
//! variable enters or is basic — the core `M = A[T, X]` and the updates `B⁻¹·v` touch basic
//! columns alone. Lemke–Howson paths on random games are short (a few pivots at 100×100), so
//! materialising all of `A` up front, `O(rows · cols)`, used to cost more than the path.
//! Filling a column when it first enters and keeping it makes the setup
//! `O(columns touched · rows)`.

/// Marks a column not filled yet in [`FilledColumns::start`].
const NOT_FILLED: usize = usize::MAX;

/// The columns filled so far: the read side of [`LazyColumns`], shared with
/// [`super::core_inverse`], which needs no access to the fill function.
#[derive(Debug, Clone)]
pub(super) struct FilledColumns {
    rows: usize,
    /// The filled columns one after another, in the order they were filled.
    arena: Vec<f64>,
    /// Where column `j` starts in `arena`, or [`NOT_FILLED`].
    start: Vec<usize>,
}

impl FilledColumns {
    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn is_filled(&self, j: usize) -> bool {
        self.start[j] != NOT_FILLED
    }

    /// Column `j` of `A`, which must be filled (every basic column is: see
    /// [`LazyColumns::require`]). An unfilled column is a broken invariant, not an input
    /// error: it fails the debug assertion, and in release the slice bounds.
    pub fn column(&self, j: usize) -> &[f64] {
        debug_assert!(
            self.is_filled(j),
            "column {j} of A read before it was filled"
        );
        let start = self.start[j];
        &self.arena[start..start + self.rows]
    }

    /// `A[i, j]` of a filled column `j`.
    pub fn entry(&self, i: usize, j: usize) -> f64 {
        self.column(j)[i]
    }
}

/// Columns of room [`LazyColumns::new`] reserves: a Lemke–Howson path on a small game (10×10)
/// fills a handful; a long path regrows as a `Vec` does.
const RESERVED_COLUMNS: usize = 8;

/// The columns of a `rows × cols` matrix `A`, filled on demand by `fill(j, column)`, which
/// writes column `j` and must give the same column on every call.
#[derive(Clone)]
pub(super) struct LazyColumns<F> {
    filled: FilledColumns,
    fill: F,
}

impl<F: Fn(usize, &mut [f64])> LazyColumns<F> {
    /// Nothing filled yet: `O(cols)`. Room for the first [`RESERVED_COLUMNS`] columns is
    /// reserved, so that a short path (a small game's) fills them without regrowing.
    pub fn new(rows: usize, cols: usize, fill: F) -> Self {
        let filled = FilledColumns {
            rows,
            arena: Vec::with_capacity(rows * cols.min(RESERVED_COLUMNS)),
            start: vec![NOT_FILLED; cols],
        };
        LazyColumns { filled, fill }
    }

    /// Fill column `j` and keep it, unless it is filled already. The tableau calls this for
    /// every variable before it becomes basic, which is why every basic column is filled.
    pub fn require(&mut self, j: usize) {
        let filled = &mut self.filled;
        if filled.is_filled(j) {
            return;
        }
        let start = filled.arena.len();
        filled.arena.resize(start + filled.rows, 0.0);
        (self.fill)(j, &mut filled.arena[start..]);
        filled.start[j] = start;
    }

    pub fn filled(&self) -> &FilledColumns {
        &self.filled
    }

    /// Column `j`: the kept one, or, when not filled yet, computed into `spare` and not kept
    /// (for callers holding only `&self`).
    pub fn kept_or_computed<'a>(&'a self, j: usize, spare: &'a mut Vec<f64>) -> &'a [f64] {
        if self.filled.is_filled(j) {
            return self.filled.column(j);
        }
        spare.clear();
        spare.resize(self.filled.rows, 0.0);
        (self.fill)(j, spare);
        spare
    }
}
