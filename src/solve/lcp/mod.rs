//! Linear complementarity: Lemke–Howson on strategic (bimatrix) games ([`strategic`]), and
//! Lemke's algorithm ([`lemke`]) on the sequence form of two-player trees ([`sequence`]; Koller,
//! Megiddo & von Stengel 1996). Both walk complementary pivoting paths on the exact tableau of
//! [`crate::solve::linalg::tableau`].

pub mod lemke;
pub mod sequence;
pub mod strategic;

pub use strategic::{
    lcp_all, lcp_all_until, lcp_one, lemke_howson, lemke_howson_exact, LabelProgress, Labels,
    OneEquilibrium, GAMBIT_FIRST_LABEL, JOIN_AFTER_PIVOTS, RACING_LABELS,
};
