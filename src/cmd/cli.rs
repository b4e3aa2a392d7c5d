//! The command line: parsed with clap into typed options, then dispatched.
//!
//! Nothing here knows how a site is built; it turns arguments into the
//! library's option structs and prints the one-line result.

use std::path::PathBuf;

use chrono::Local;
use clap::{Args, Parser, Subcommand};

use crate::cmd::build::{build, BuildOptions};
use crate::cmd::scaffold;
use crate::util::error::Result;

/// A static site generator for authentic blogs: fast, accessible, and
/// provably free of tracking.
#[derive(Debug, Parser)]
#[command(name = "echt", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output).
    Build(BuildArgs),
    /// Preview the site locally, rebuilding and reloading on every save.
    Serve(ServeArgs),
    /// Check the site without writing it: privacy, links, page weight.
    Check(CheckArgs),
    /// Create a new site in DIR, with a first post and the default theme.
    New {
        /// Folder to create (must be empty or not exist yet).
        dir: PathBuf,
    },
    /// Make an echt site from another generator's site.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Turn a reader's e-mail into a draft comment on a post.
    ///
    /// Writes content/posts/NAME/comments/m-….md for you to review; the
    /// sender's address is never written.
    Comment {
        /// The post: its file (content/posts/NAME/index.md), its folder or
        /// its folder's name.
        post: String,
        /// The saved message (.eml); without it, the message is read from
        /// standard input.
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create content/posts/<slug>.md for a new post, dated today.
    Post {
        /// The post's title; the file name is derived from it.
        title: String,
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A Jekyll site (the folder with _config.yml) into a new echt site in
    /// DEST, keeping every old URL; the report goes to DEST/IMPORT.md.
    Jekyll {
        /// The Jekyll site (never changed).
        src: PathBuf,
        /// The new site's folder (must be empty or not exist yet).
        dest: PathBuf,
    },
    /// A WordPress export (Tools → Export, WXR) into a new echt site in
    /// DEST, with its comments, keeping every old URL; the report goes to
    /// DEST/IMPORT.md.
    Wordpress {
        /// The export file (.xml).
        export: PathBuf,
        /// The new site's folder (must be empty or not exist yet).
        dest: PathBuf,
        /// A copy of the blog's wp-content/uploads folder.
        #[arg(long, value_name = "DIR")]
        media: Option<PathBuf>,
        /// Fetch the files not in --media from the blog's own host (into
        /// EXPORT-uploads/ beside the export, so that a second run goes on
        /// where the first stopped).
        #[arg(long)]
        download: bool,
    },
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's folder (where echt.yaml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: <root>/public].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Include posts marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated in the future.
    #[arg(long)]
    pub future: bool,
    /// Publish under this address instead of base_url from echt.yaml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Read, render and audit everything, ignoring the build cache beside
    /// the output folder (a new one is written).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's folder (where echt.yaml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include posts marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Also request every outbound link over the network.
    #[arg(long)]
    pub external: bool,
    /// Seconds to wait for each outbound link.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub timeout: u64,
    /// Outbound links requested at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site's folder (where echt.yaml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on; anything but loopback shares your drafts.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Leave out drafts and future posts, as `echt build` does.
    #[arg(long)]
    pub no_drafts: bool,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Runs one command; the caller prints the error and sets the exit code.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build(args) => {
            let report = build(&BuildOptions {
                root: args.root,
                output: args.output,
                drafts: args.drafts,
                future: args.future,
                base_url: args.base_url,
                no_cache: args.no_cache,
            })?;
            if let Some(note) = &report.note {
                eprintln!("note: {note}");
            }
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            println!("{report}");
        }
        Command::Check(args) => {
            let network = args.external.then(|| crate::cmd::external::Options {
                timeout: std::time::Duration::from_secs(args.timeout.max(1)),
                concurrency: args.concurrency.max(1),
            });
            let options = BuildOptions {
                root: args.root,
                drafts: args.drafts,
                ..BuildOptions::default()
            };
            let checked = crate::cmd::check::check(&options, network.as_ref()).map_err(|e| {
                let n = e.diagnostics.iter().filter(|d| d.is_error()).count();
                e.with_footer(format!(
                    "error: the check found {n} problem{}",
                    if n == 1 { "" } else { "s" }
                ))
            })?;
            for warning in &checked.warnings {
                eprintln!("{warning}");
            }
            println!("{checked}");
        }
        Command::Serve(args) => {
            crate::cmd::serve::serve(&crate::cmd::serve::ServeOptions {
                root: args.root,
                bind: args.bind,
                port: args.port,
                drafts: !args.no_drafts,
                open: args.open,
            })?;
        }
        Command::New { dir } => {
            scaffold::new_site(&dir, Local::now().date_naive())?;
            println!("echt: created a new site in {}", dir.display());
            println!("      build it with: echt build --root {}", dir.display());
        }
        Command::Import(ImportCommand::Jekyll { src, dest }) => {
            print!("{}", crate::cmd::import::jekyll(&src, &dest)?);
        }
        Command::Import(ImportCommand::Wordpress {
            export,
            dest,
            media,
            download,
        }) => {
            let options = crate::import::wordpress::Options { media, download };
            print!(
                "{}",
                crate::cmd::import::wordpress(&export, &dest, &options)?
            );
        }
        Command::Comment { post, from, root } => {
            let added = crate::cmd::comment::comment(
                &crate::cmd::comment::CommentOptions { root, post, from },
                Local::now().fixed_offset(),
            )?;
            print!("{added}");
        }
        Command::Post { title, root } => {
            let path = scaffold::new_post(&root, &title, Local::now().date_naive())?;
            println!("echt: created {}", root.join(path).display());
        }
    }
    Ok(())
}
