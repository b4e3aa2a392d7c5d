//! `echt import jekyll SRC DEST` and `echt import wordpress EXPORT DEST`:
//! moving a blog in, with a summary of the report at the terminal.

use std::path::Path;

use crate::import::{jekyll, wordpress};
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

/// Imports the WordPress export at `export` into `dest` and returns the
/// summary.
pub fn wordpress(export: &Path, dest: &Path, options: &wordpress::Options) -> Result<String> {
    let report = wordpress::import(export, dest, options)?;
    Ok(report.summary(&dest.display().to_string()))
}
