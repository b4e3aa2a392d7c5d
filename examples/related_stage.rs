//! The related-posts stage alone: loads the site in DIR as `echt build`
//! does, then times `site::related::related` over its posts and tags
//! (median of RUNS, default 5), to tell the stage's own cost from that of
//! rendering and auditing the lists. For `bench/related.sh`.
//!
//! `cargo run --release --example related_stage -- DIR [RUNS]`
//! prints one line: posts, tags, milliseconds per run (median, min, max).

use std::path::Path;
use std::time::Instant;

use echt::site::{Cache, Selection, Site};
use echt::source::config::Config;

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        return Err("usage: related_stage DIR [RUNS]".into());
    };
    let runs: usize = args.get(1).map_or(Ok(5), |r| r.parse())?;
    let config = Config::load(Path::new(dir))?;
    let selection = Selection {
        drafts: false,
        future: false,
        now: chrono::Utc::now().fixed_offset(),
    };
    let (site, problems) = Site::load(config, &selection, &mut Cache::default())?;
    if !problems.is_empty() {
        return Err(format!("{} problems loading {dir}", problems.len()).into());
    }
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            let lists = echt::site::related::related(&site.posts, &site.tags, 3);
            std::hint::black_box(lists);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "related_stage: {} posts, {} tags, {:.1} ms median ({:.1}–{:.1}) of {} runs",
        site.posts.len(),
        site.tags.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
    Ok(())
}
