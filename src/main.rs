//! The `patron` command (its work is the library's `cli::main`).

/// mimalloc for the whole process (see Cargo.toml): many small allocations a solve.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(patron::cli::main());
}
