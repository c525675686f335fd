//! The `inbeeld` binary: parse the command line and hand over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = inbeeld::cli::Cli::parse();
    match inbeeld::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("inbeeld: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
