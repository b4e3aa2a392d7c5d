//! Tests of the conversion of WordPress content: exact text before and
//! after, and every note with its kind and place.

use super::*;

/// The attachments of the fixture exports; files found for `beet.jpg`
/// (and its size variants) and `amsel.mp3`, not for the others.
struct TestMedia;

impl Media for TestMedia {
    fn attachment(&self, id: u64) -> Option<Attachment> {
        let (url, caption, title) = match id {
            21 => (
                "https://garten.example.org/wp-content/uploads/2026/04/beet.jpg",
                "Das Beet im April",
                "beet",
            ),
            22 => (
                "https://garten.example.org/wp-content/uploads/2026/04/korb.jpg",
                "",
                "korb",
            ),
            _ => return None,
        };
        Some(Attachment {
            url: url.into(),
            caption: caption.into(),
            title: title.into(),
        })
    }
    fn attached(&self) -> Vec<u64> {
        vec![21, 22]
    }
    fn local(&self, url: &str) -> Option<String> {
        let name = url.rsplit('/').next()?;
        match name {
            "beet.jpg" | "beet-300x200.jpg" | "beet-150x150.jpg" => Some("beet.jpg".into()),
            "amsel.mp3" => Some("amsel.mp3".into()),
            "heron.jpg" | "heron-1024x683.jpg" => Some("heron.jpg".into()),
            "route.pdf" => Some("route.pdf".into()),
            "wren.mp3" => Some("wren.mp3".into()),
            _ => None,
        }
    }
}

fn de(content: &str) -> Converted {
    convert(content, &Options { language: "de" }, &TestMedia)
}

fn en(content: &str) -> Converted {
    convert(content, &Options { language: "en" }, &TestMedia)
}

fn fixture_content(name: &str, id: u64) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites/wordpress")
        .join(name);
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let export =
        crate::import::wordpress::wxr::read(&path, &source).unwrap_or_else(|e| panic!("{e}"));
    export
        .items
        .into_iter()
        .find(|i| i.id == id)
        .map(|i| i.content)
        .unwrap_or_default()
}

#[test]
fn show() {
    for (name, id) in [("classic.xml", 10), ("blocks.xml", 40)] {
        let c = en(&fixture_content(name, id));
        println!("=====\n{}\n-----", c.text);
        for n in &c.notes {
            println!("{n:?}");
        }
    }
    let _ = de("");
}
