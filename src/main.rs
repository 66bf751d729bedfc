fn main() {
    std::process::exit(patron::cli::main());
}
