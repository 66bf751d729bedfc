//! The linear-algebra kernels the solvers are built on, kept apart from the algorithms so that
//! a reader finds each idea once.
//!
//! - [`tableau`]: pivoting dictionaries with the lexicographic ratio test, exact (integer
//!   pivoting, Edmonds 1967 / Bareiss 1968) and `f64`, shared by Lemke–Howson, Lemke's
//!   algorithm and vertex enumeration.
//! - [`integer_system`]: square integer systems, fraction-free (Bareiss) or by p-adic lifting
//!   (Dixon 1982).
//! - [`linear`]: rational Gauss–Jordan elimination, for small systems of tight constraints.
//! - [`simplex`]: a dense `f64` simplex that finds the supports of a matrix game's minimax
//!   strategies.
//! - [`small_lu`]: LU with partial pivoting of small dense `f64` matrices, in reused buffers
//!   (the global Newton path's Newton steps).
//! - [`col_piv_qr`]: QR with column pivoting of small dense `f64` matrices, in reused buffers,
//!   with nalgebra's arithmetic (the kernel at the global Newton path's changes of support).
//! - [`nalgebra_sums`]: dot products and squared norms summed in nalgebra's order, for paths
//!   whose rounding must stay what it was under nalgebra.
//! - [`exact_lp`]: linear programs with exact data, solved in floating point and made exact
//!   with a primal–dual certificate.

pub(crate) mod col_piv_qr;
pub(crate) mod exact_lp;
pub(crate) mod integer_system;
pub(crate) mod linear;
pub(crate) mod nalgebra_sums;
pub(crate) mod simplex;
pub(crate) mod small_lu;
pub(crate) mod tableau;

#[cfg(test)]
pub(crate) mod test_linear;
