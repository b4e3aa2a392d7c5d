//! A chained builder for test sites and helpers to look at what was built.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub const CONFIG: &str =
    "title: Testblog\nbase_url: https://example.org/\nlanguage: de\nauthor:\n  name: Erika\n";

/// A site in a temporary folder.
pub struct TestSite {
    dir: TempDir,
}

impl TestSite {
    /// An empty site with a minimal echt.yaml.
    pub fn new() -> Self {
        TestSite::empty().file("echt.yaml", CONFIG)
    }

    /// A folder with nothing in it.
    pub fn empty() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A copy of the fixture site `tests/sites/<name>`.
    pub fn fixture(name: &str) -> Self {
        let site = TestSite::empty();
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/sites")
            .join(name);
        copy_tree(&from, site.root());
        site
    }

    /// A copy of the repository's sample blog: its echt.yaml and content/,
    /// and static/, templates/ and themes/ where it has them.
    pub fn sample() -> Self {
        let site = TestSite::empty();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(repo.join("echt.yaml"), site.root().join("echt.yaml")).expect("copy");
        for folder in ["content", "static", "templates", "themes"] {
            if repo.join(folder).is_dir() {
                copy_tree(&repo.join(folder), &site.root().join(folder));
            }
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(self, rel: &str, text: &str) -> Self {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    /// A post in content/posts/.
    pub fn post(self, name: &str, text: &str) -> Self {
        self.file(&format!("content/posts/{name}"), text)
    }

    /// Runs `echt build` with extra arguments.
    pub fn build_with(&self, args: &[&str]) -> Built {
        let root = self.root().to_string_lossy().into_owned();
        let mut all = vec!["build", "--root", root.as_str()];
        all.extend_from_slice(args);
        let public = match args.iter().position(|a| *a == "--output") {
            Some(i) => PathBuf::from(args[i + 1]),
            None => self.root().join("public"),
        };
        Built {
            out: echt(&all, self.root()),
            public,
        }
    }

    /// No staging or old output folders are left beside the output.
    #[track_caller]
    pub fn assert_no_leftovers(&self) {
        let leftovers: Vec<_> = std::fs::read_dir(self.root())
            .expect("site folder")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("echt-"))
            .collect();
        assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    }

    pub fn build(&self) -> Built {
        self.build_with(&[])
    }

    /// Runs `echt check` with extra arguments. Proxy variables are removed:
    /// `--external` must reach the test's own loopback server directly.
    pub fn check_with(&self, args: &[&str]) -> Built {
        let root = self.root().to_string_lossy().into_owned();
        let mut command = Command::new(env!("CARGO_BIN_EXE_echt"));
        command
            .args(["check", "--root", root.as_str()])
            .args(args)
            .current_dir(self.root());
        for var in PROXY_VARS {
            command.env_remove(var);
        }
        Built {
            out: command.output().expect("run echt"),
            public: self.root().join("public"),
        }
    }
}

/// The variables ureq takes a proxy from, in both spellings.
const PROXY_VARS: [&str; 8] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// Runs the echt binary in `cwd`.
pub fn echt(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_echt"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run echt")
}

/// The result of a build.
pub struct Built {
    pub out: Output,
    pub public: PathBuf,
}

impl Built {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    /// Asserts success and returns self.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert!(
            self.out.status.success(),
            "build failed:\n{}",
            self.stderr()
        );
        self
    }

    /// Asserts failure and returns the error output.
    #[track_caller]
    pub fn fails(self) -> String {
        assert!(
            !self.out.status.success(),
            "build should fail:\n{}",
            self.stdout()
        );
        assert!(
            self.stdout().is_empty(),
            "no success line on failure: {}",
            self.stdout()
        );
        self.stderr()
    }

    /// The text of an output file (`posts/a/` means `posts/a/index.html`).
    #[track_caller]
    pub fn page(&self, path: &str) -> String {
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        std::fs::read_to_string(self.public.join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.public.join(path).exists()
    }

    /// All files below public/, as sorted `/`-separated paths.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(&self.public)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&self.public)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        files.sort();
        files
    }
}

/// Every file below `dir` with its bytes, by `/`-separated path, to compare
/// a folder before and after.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            let bytes = std::fs::read(e.path()).expect("read");
            (rel.to_string_lossy().replace('\\', "/"), bytes)
        })
        .collect()
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A minimal post.
pub fn post(title: &str, date: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\n---\n{body}\n")
}

/// A real PNG of one grey pixel: a picture echt publishes (and cleans)
/// as any other.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\x0DIHDR\0\0\0\x01\0\0\0\x01\x08\0\0\0\0\x3A\x7E\x9B\x55\0\0\0\x0AIDAT\x78\x9C\x63\x68\0\0\0\x82\0\x81\x77\xCD\x72\xB6\0\0\0\0IEND\xAE\x42\x60\x82";

/// A PNG of `width`×`height` pixels of noise, which no format makes much
/// smaller: a picture that weighs what its size says.
pub fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    let mut state: u32 = 0x9E37_79B9;
    for _ in 0..width * height * 3 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        pixels.push((state >> 24) as u8);
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("a PNG header");
    writer.write_image_data(&pixels).expect("PNG data");
    writer.finish().expect("a PNG");
    out
}

/// A file of the built-in theme, to override in a site's templates/.
pub fn theme_file(path: &str) -> String {
    let (_, bytes) = echt::render::theme::DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == path)
        .expect("a file of the default theme");
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}
