//! Gambit file formats and other game I/O.
