//! `patron._patron`: the native half of the `patron` Python package (pyo3, stable ABI).
//!
//! Layout: [`calls`] holds every call into the library; [`game`] and [`model`] are the Python
//! classes and functions; [`run`] runs long work off the GIL with Ctrl-C and progress;
//! [`errors`] turns the library's errors into `patron.PatronError`. The pure-Python package
//! (`python/patron/`) builds the user-facing objects from what these return (a Nash solution
//! of a strategic game stays a [`game::Solution`] in Rust, read field by field).

mod calls;
mod errors;
mod game;
mod model;
mod run;

use pyo3::prelude::*;

/// mimalloc for the Rust side (see Cargo.toml): Python's objects keep Python's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[pymodule]
fn _patron(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("PatronError", m.py().get_type::<errors::PatronError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<game::Game>()?;
    m.add_class::<game::Solution>()?;
    m.add_class::<model::Model>()?;
    m.add_function(wrap_pyfunction!(game::read_game, m)?)?;
    m.add_function(wrap_pyfunction!(game::parse_game, m)?)?;
    m.add_function(wrap_pyfunction!(game::game_from_tables, m)?)?;
    m.add_function(wrap_pyfunction!(game::solve_nash, m)?)?;
    m.add_function(wrap_pyfunction!(game::solve_approximate, m)?)?;
    m.add_function(wrap_pyfunction!(game::solve_logit, m)?)?;
    m.add_function(wrap_pyfunction!(game::logit_branch, m)?)?;
    m.add_function(wrap_pyfunction!(game::solve_stackelberg, m)?)?;
    m.add_function(wrap_pyfunction!(game::solve_correlated, m)?)?;
    Ok(())
}
