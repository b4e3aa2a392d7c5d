//! What a page costs a reader on a phone. A page with responsive pictures
//! names every version of each picture, and a browser loads one of them:
//! the first `<source>` of a `<picture>` whose type it reads, and within a
//! `srcset` the narrowest candidate at least as wide as the picture's slot
//! (from `sizes`) times the screen's density. Counting every candidate
//! would weigh a page by files nobody loads; counting the largest would
//! weigh it for a desktop. The budget counts what a phone loads: the
//! screen of Lighthouse's phone, 412 CSS pixels wide at a density of 1.75.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::Facts;

/// The phone a page is weighed for: its width in CSS pixels, and how many
/// device pixels one CSS pixel has.
pub const PHONE: Screen = Screen {
    width: 412.0,
    density: 1.75,
};

/// A screen a page is shown on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Screen {
    pub width: f32,
    pub density: f32,
}

/// One picture of a page: its `<source>`s in order, then its `<img>`. A
/// browser loads one file of all their candidates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub sources: Vec<Candidates>,
    pub img: Candidates,
}

/// The files of one `srcset` (or of a `src`), with their widths.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidates {
    /// The `type` of a `<source>`, if it says one.
    pub mime: Option<String>,
    /// Whether a `<source>` applies only to some screens (`media`): it is
    /// not taken for the phone, which keeps the weight an upper bound.
    pub media: bool,
    pub sizes: Option<String>,
    /// Files of the site with their `w` descriptor (None for `2x` or none).
    pub files: Vec<(String, Option<u32>)>,
}

impl Choice {
    /// Every file the picture names.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.sources
            .iter()
            .chain(std::iter::once(&self.img))
            .flat_map(|c| c.files.iter().map(|(f, _)| f.as_str()))
    }

    /// The file a browser on `screen` loads; None when it would load one
    /// of another host or none.
    pub fn chosen(&self, screen: Screen) -> Option<&str> {
        let source = self
            .sources
            .iter()
            .find(|s| !s.media && s.mime.as_deref().is_none_or(is_shown_type));
        source.unwrap_or(&self.img).chosen(screen)
    }
}

impl Candidates {
    /// The narrowest candidate at least as wide as the slot needs on
    /// `screen`, else the widest; without widths, the first.
    fn chosen(&self, screen: Screen) -> Option<&str> {
        let wide: Vec<(&str, u32)> = self
            .files
            .iter()
            .filter_map(|(f, w)| Some((f.as_str(), (*w)?)))
            .collect();
        if wide.is_empty() {
            return self.files.first().map(|(f, _)| f.as_str());
        }
        let slot = self
            .sizes
            .as_deref()
            .map_or(screen.width, |sizes| slot_width(sizes, screen.width));
        let needed = slot * screen.density;
        let fits = wide
            .iter()
            .filter(|(_, w)| *w as f32 >= needed)
            .min_by_key(|(_, w)| *w);
        let widest = wide.iter().max_by_key(|(_, w)| *w);
        fits.or(widest).map(|(f, _)| *f)
    }
}

/// Image types every current browser shows.
fn is_shown_type(mime: &str) -> bool {
    matches!(
        mime.trim().to_ascii_lowercase().as_str(),
        "image/webp" | "image/jpeg" | "image/png" | "image/gif" | "image/avif" | "image/svg+xml"
    )
}

/// The width in CSS pixels that `sizes` gives a picture on a screen
/// `viewport` pixels wide: the first entry whose media condition holds
/// (`(min-width: …)`, `(max-width: …)`, joined by `and`), else the last;
/// lengths in `px`, `rem`, `em` and `vw`. What cannot be read counts as
/// the whole screen.
pub fn slot_width(sizes: &str, viewport: f32) -> f32 {
    for entry in sizes.split(',') {
        let entry = entry.trim();
        let (condition, length) = match entry.rfind(')') {
            Some(end) if entry.starts_with('(') => (&entry[..=end], entry[end + 1..].trim()),
            _ => ("", entry),
        };
        if condition.is_empty() || holds(condition, viewport) == Some(true) {
            return length_px(length, viewport).unwrap_or(viewport);
        }
    }
    viewport
}

/// Whether a media condition of `(min-width: …)` and `(max-width: …)`
/// joined by `and` holds; None for one echt does not read.
fn holds(condition: &str, viewport: f32) -> Option<bool> {
    let mut all = true;
    for part in condition.split(" and ") {
        let inner = part.trim().strip_prefix('(')?.strip_suffix(')')?;
        let (feature, value) = inner.split_once(':')?;
        let value = length_px(value.trim(), viewport)?;
        all &= match feature.trim() {
            "min-width" => viewport >= value,
            "max-width" => viewport <= value,
            _ => return None,
        };
    }
    Some(all)
}

/// A length in CSS pixels (`rem` and `em` at 16 pixels).
fn length_px(length: &str, viewport: f32) -> Option<f32> {
    let length = length.trim();
    let number = |unit: &str| length.strip_suffix(unit)?.trim().parse::<f32>().ok();
    if let Some(n) = number("rem").or_else(|| number("em")) {
        return Some(n * 16.0);
    }
    if let Some(n) = number("px") {
        return Some(n);
    }
    number("vw").map(|n| n * viewport / 100.0)
}

/// Bytes each HTML page costs a reader on a phone: the page, and every
/// file of the site it loads (stylesheets, images, icons, and what
/// stylesheets load), each counted once; of each picture, the one file
/// [`PHONE`] loads.
pub fn weights(facts: &Facts) -> Vec<(String, u64)> {
    facts
        .iter()
        .filter(|(file, _)| file.ends_with(".html"))
        .map(|(file, page)| {
            let choices: HashSet<&str> = page.pictures.iter().flat_map(Choice::files).collect();
            let mut todo: Vec<&str> = page
                .resources
                .iter()
                .map(String::as_str)
                .filter(|f| !choices.contains(f))
                .chain(page.pictures.iter().filter_map(|p| p.chosen(PHONE)))
                .collect();
            let mut loaded: HashSet<&str> = HashSet::new();
            while let Some(next) = todo.pop() {
                if loaded.insert(next) {
                    if let Some(f) = facts.get(next) {
                        todo.extend(f.resources.iter().map(String::as_str));
                    }
                }
            }
            let weight = page.size
                + loaded
                    .iter()
                    .filter_map(|f| facts.get(*f))
                    .map(|f| f.size)
                    .sum::<u64>();
            (file.clone(), weight)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(files: &[(&str, u32)], sizes: &str) -> Candidates {
        Candidates {
            mime: None,
            media: false,
            sizes: Some(sizes.to_string()),
            files: files
                .iter()
                .map(|(f, w)| (f.to_string(), Some(*w)))
                .collect(),
        }
    }

    #[test]
    fn sizes_give_the_slot_of_the_screen() {
        let theme = "(min-width: 42rem) 38rem, 100vw";
        assert_eq!(slot_width(theme, 412.0), 412.0);
        assert_eq!(slot_width(theme, 1350.0), 608.0);
        assert_eq!(slot_width("(max-width: 600px) 90vw, 500px", 400.0), 360.0);
        assert_eq!(
            slot_width("(min-width: 30em) and (max-width: 50em) 300px, 10px", 600.0),
            300.0
        );
        assert_eq!(slot_width("400px", 1000.0), 400.0);
        // What cannot be read is the whole screen.
        assert_eq!(
            slot_width("(orientation: portrait) 10px, calc(100vw - 2rem)", 412.0),
            412.0
        );
    }

    #[test]
    fn a_phone_loads_one_file_of_a_picture() {
        let sizes = "(min-width: 42rem) 38rem, 100vw";
        let jpeg = candidates(
            &[
                ("a-480w.jpg", 480),
                ("a-800w.jpg", 800),
                ("a-1600w.jpg", 1600),
            ],
            sizes,
        );
        let webp = Candidates {
            mime: Some("image/webp".into()),
            ..candidates(
                &[
                    ("a-480w.webp", 480),
                    ("a-800w.webp", 800),
                    ("a-1600w.webp", 1600),
                ],
                sizes,
            )
        };
        let picture = Choice {
            sources: vec![webp.clone()],
            img: jpeg.clone(),
        };
        // 412 × 1.75 = 721 device pixels: the 800 version, in WebP.
        assert_eq!(picture.chosen(PHONE), Some("a-800w.webp"));
        let desktop = Screen {
            width: 1350.0,
            density: 2.0,
        };
        assert_eq!(picture.chosen(desktop), Some("a-1600w.webp"));
        // A source for some screens only, or of a type no browser shows, is passed over.
        let only_wide = Choice {
            sources: vec![
                Candidates {
                    media: true,
                    ..webp.clone()
                },
                Candidates {
                    mime: Some("image/x-new".into()),
                    ..webp
                },
            ],
            img: jpeg,
        };
        assert_eq!(only_wide.chosen(PHONE), Some("a-800w.jpg"));
        // Narrower than needed: the widest there is.
        let small = Choice {
            sources: Vec::new(),
            img: candidates(&[("s-300w.png", 300)], sizes),
        };
        assert_eq!(small.chosen(PHONE), Some("s-300w.png"));
        assert_eq!(small.files().count(), 1);
    }
}
