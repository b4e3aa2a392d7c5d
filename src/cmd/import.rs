//! `echt import jekyll SRC DEST`: moving a blog in, with a summary of the
//! report at the terminal.

use std::path::Path;

use crate::import::jekyll;
use crate::util::error::Result;

/// Imports the Jekyll site at `source` into `dest`; shows the files that
/// could not be read (on stderr, located like every echt error) and
/// returns the summary.
pub fn jekyll(source: &Path, dest: &Path) -> Result<String> {
    let report = jekyll::import(source, dest)?;
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    Ok(report.summary(&dest.display().to_string()))
}
