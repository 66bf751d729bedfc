//! Linear complementarity: Lemke–Howson on strategic (bimatrix) games ([`strategic`]), and
//! Lemke's algorithm ([`lemke`]) on the sequence form of two-player trees ([`sequence`]; Koller,
//! Megiddo & von Stengel 1996). Both walk complementary pivoting paths on the exact tableau of
//! [`crate::solve::linalg::tableau`].

pub(crate) mod lemke;
pub(crate) mod sequence;
pub(crate) mod strategic;

pub use strategic::{
    lcp_all_until, lcp_one, lemke_howson, lemke_howson_exact, LabelProgress, Labels,
    GAMBIT_FIRST_LABEL,
};
