//! The image stage alone, as a build runs it: every JPEG, PNG, WebP and
//! GIF in DIR through `Images::process` with the default settings and the
//! store in CACHE, then every published file read back (as render does
//! before writing it). For `bench/images.sh`, until the stage is part of
//! `echt build`.
//!
//! `cargo run --release --example image_stage -- DIR CACHE`
//! prints one line: pictures made and reused, files and bytes published,
//! and the seconds each half took.

use std::path::{Path, PathBuf};
use std::time::Instant;

use echt::image::{Images, Job, Store};
use echt::source::config::ImageConfig;
use rayon::prelude::*;

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(cache)) = (args.first(), args.get(1)) else {
        return Err("usage: image_stage DIR CACHE".into());
    };
    let jobs = jobs(Path::new(dir))?;
    let store = Store::new(Some(PathBuf::from(cache)));
    let start = Instant::now();
    let images = Images::process(jobs, &ImageConfig::default(), &store);
    let processed = start.elapsed().as_secs_f64();
    let paths: Vec<String> = images.files().map(|(v, _)| v.site_path.clone()).collect();
    let start = Instant::now();
    let bytes: u64 = paths
        .par_iter()
        .map(|path| match images.bytes(path) {
            Some(Ok(bytes)) => Ok(bytes.len() as u64),
            Some(Err(unusable)) => Err(format!("{path}: {}", unusable.message)),
            None => Err(format!("{path}: not published")),
        })
        .sum::<Result<u64, String>>()?;
    let read = start.elapsed().as_secs_f64();
    let unusable = images.pictures().filter(|(_, p)| p.is_err()).count();
    println!(
        "made {} reused {} unusable {unusable} files {} bytes {bytes} process {processed:.3} s read {read:.3} s",
        images.made(),
        images.reused(),
        paths.len(),
    );
    Ok(())
}

/// A job per picture file below `dir`, published under its name.
fn jobs(dir: &Path) -> Result<Vec<Job>, Failure> {
    let mut jobs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let picture = [".jpg", ".jpeg", ".png", ".webp", ".gif"]
            .iter()
            .any(|ext| name.to_lowercase().ends_with(ext));
        if picture {
            jobs.push(Job {
                display: path.clone(),
                source: path,
                site_path: format!("posts/{name}"),
                keep_metadata: false,
            });
        }
    }
    jobs.sort_by(|a, b| a.site_path.cmp(&b.site_path));
    Ok(jobs)
}
