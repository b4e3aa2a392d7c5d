//! The `echt` binary: parse arguments, run, report.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = echt::cmd::cli::Cli::parse();
    match echt::cmd::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One write: a build can report thousands of problems.
            let report = err.to_string();
            eprint!("{report}");
            ExitCode::FAILURE
        }
    }
}
