//! Words and dates in the site's language.
//!
//! All text the default theme shows comes from here, so a German blog reads
//! German throughout ("11. März 2015", "Weiterlesen") and an English one
//! English. Templates see the strings as `t`.

use chrono::{DateTime, Datelike, FixedOffset};
use serde::Deserialize;
use serde::Serialize;

/// The languages echt speaks: UI strings, dates, quotes, archive URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    De,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    /// The locale OpenGraph names the language by (`og:locale`).
    pub fn locale(self) -> &'static str {
        match self {
            Language::De => "de_DE",
            Language::En => "en_US",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "de" | "de-de" | "de-at" | "de-ch" => Some(Language::De),
            "en" | "en-us" | "en-gb" => Some(Language::En),
            _ => None,
        }
    }
}

/// The UI strings of one language (see themes/default/README.md).
#[derive(Debug, Serialize)]
pub struct Strings {
    pub home: &'static str,
    pub archive: &'static str,
    pub tags: &'static str,
    pub read_more: &'static str,
    pub min_read: &'static str,
    pub published: &'static str,
    pub updated: &'static str,
    pub by: &'static str,
    pub image_credit: &'static str,
    pub toc: &'static str,
    pub previous_post: &'static str,
    pub next_post: &'static str,
    pub newer_posts: &'static str,
    pub older_posts: &'static str,
    pub page_of: &'static str,
    pub of: &'static str,
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub footer_navigation: &'static str,
    pub pagination: &'static str,
    pub posts_tagged: &'static str,
    pub all_tags: &'static str,
    pub tag_list_label: &'static str,
    pub posts_count_one: &'static str,
    pub posts_count_many: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub footnotes: &'static str,
    pub back_to_text: &'static str,
    /// How a task of a task list that is done, or still open, is read out.
    pub task_done: &'static str,
    pub task_open: &'static str,
    pub feed_atom: &'static str,
    pub feed_rss: &'static str,
    pub feed_json: &'static str,
    pub subscribe: &'static str,
    pub draft: &'static str,
    pub privacy_promise: &'static str,
    pub privacy: &'static str,
    pub anchor_label: &'static str,
    pub redirect_text: &'static str,
    pub post_navigation: &'static str,
    pub no_posts: &'static str,
    pub scheduled: &'static str,
    pub comments: &'static str,
    pub comment_count_one: &'static str,
    pub comment_count_many: &'static str,
    pub reply_by_email: &'static str,
    pub comments_closed: &'static str,
    pub comments_feed: &'static str,
    pub comment_draft: &'static str,
    pub replies_to: &'static str,
    pub share: &'static str,
    pub share_email: &'static str,
    pub share_on: &'static str,
    pub share_link: &'static str,
    pub about_author: &'static str,
    pub posts_by: &'static str,
    pub all_posts_by: &'static str,
    pub and: &'static str,
    pub search: &'static str,
    pub search_label: &'static str,
    pub search_button: &'static str,
    pub search_results_one: &'static str,
    pub search_results_many: &'static str,
    pub search_no_results: &'static str,
    pub search_without_script: &'static str,
    pub search_browse: &'static str,
    pub search_failed: &'static str,
    pub series: &'static str,
    pub series_part: &'static str,
    pub all_series: &'static str,
    pub related_posts: &'static str,
}

const DE: Strings = Strings {
    home: "Start",
    archive: "Archiv",
    tags: "Schlagworte",
    read_more: "Weiterlesen",
    min_read: "Min. Lesezeit",
    published: "Veröffentlicht am",
    updated: "Aktualisiert am",
    by: "von",
    image_credit: "Bild:",
    toc: "Inhalt",
    previous_post: "Vorheriger Beitrag",
    next_post: "Nächster Beitrag",
    newer_posts: "Neuere Beiträge",
    older_posts: "Ältere Beiträge",
    page_of: "Seite",
    of: "von",
    skip_to_content: "Zum Inhalt springen",
    main_navigation: "Hauptnavigation",
    footer_navigation: "Rechtliches",
    pagination: "Seitennavigation",
    posts_tagged: "Beiträge zum Schlagwort",
    all_tags: "Alle Schlagworte",
    tag_list_label: "Schlagworte dieses Beitrags",
    posts_count_one: "Beitrag",
    posts_count_many: "Beiträge",
    not_found_title: "Seite nicht gefunden",
    not_found_text: "Diese Seite gibt es hier nicht (mehr). Vielleicht hilft das Archiv weiter.",
    back_home: "Zur Startseite",
    footnotes: "Fußnoten",
    back_to_text: "Zurück zum Text",
    task_done: "erledigt",
    task_open: "offen",
    feed_atom: "Atom-Feed",
    feed_rss: "RSS-Feed",
    feed_json: "JSON-Feed",
    subscribe: "Abonnieren",
    draft: "Entwurf",
    privacy_promise: "Keine Werbung, keine Cookies, kein Tracking.",
    privacy: "Datenschutz",
    anchor_label: "Link zu diesem Abschnitt",
    redirect_text: "Diese Seite ist umgezogen:",
    post_navigation: "Weitere Beiträge",
    no_posts: "Hier gibt es noch keine Beiträge.",
    scheduled: "Geplant – noch nicht veröffentlicht",
    comments: "Kommentare",
    comment_count_one: "Kommentar",
    comment_count_many: "Kommentare",
    reply_by_email: "Per E-Mail antworten",
    comments_closed: "Die Kommentare zu diesem Beitrag sind geschlossen.",
    comments_feed: "Kommentare als Feed",
    comment_draft: "Wartet auf Freigabe",
    replies_to: "Antworten auf",
    share: "Teilen",
    share_email: "Per E-Mail teilen",
    share_on: "Teilen auf",
    share_link: "Link zum Kopieren:",
    about_author: "Zur Person",
    posts_by: "Beiträge von",
    all_posts_by: "Alle Beiträge von",
    and: "und",
    search: "Suche",
    search_label: "Suchbegriffe",
    search_button: "Suchen",
    search_results_one: "Treffer",
    search_results_many: "Treffer",
    search_no_results: "Nichts gefunden. Vielleicht hilft das Archiv oder ein Schlagwort weiter.",
    search_without_script: "Die Suche läuft als kleines Skript dieser Website in deinem Browser und schickt nichts an andere. Ohne JavaScript findest du alle Beiträge im Archiv und nach Schlagworten:",
    search_browse: "Stöbern",
    search_failed: "Die Suche konnte ihr Verzeichnis nicht laden. Das Archiv und die Schlagworte helfen weiter.",
    series: "Serie",
    series_part: "Teil",
    all_series: "Alle Serien",
    related_posts: "Ähnliche Beiträge",
};

const EN: Strings = Strings {
    home: "Home",
    archive: "Archive",
    tags: "Tags",
    read_more: "Read more",
    min_read: "min read",
    published: "Published on",
    updated: "Updated on",
    by: "by",
    image_credit: "Image:",
    toc: "Contents",
    previous_post: "Previous post",
    next_post: "Next post",
    newer_posts: "Newer posts",
    older_posts: "Older posts",
    page_of: "Page",
    of: "of",
    skip_to_content: "Skip to content",
    main_navigation: "Main navigation",
    footer_navigation: "Legal",
    pagination: "Pagination",
    posts_tagged: "Posts tagged",
    all_tags: "All tags",
    tag_list_label: "Tags of this post",
    posts_count_one: "post",
    posts_count_many: "posts",
    not_found_title: "Page not found",
    not_found_text: "This page does not exist (any more). The archive may help.",
    back_home: "Back to the home page",
    footnotes: "Footnotes",
    back_to_text: "Back to the text",
    task_done: "done",
    task_open: "to do",
    feed_atom: "Atom feed",
    feed_rss: "RSS feed",
    feed_json: "JSON feed",
    subscribe: "Subscribe",
    draft: "Draft",
    privacy_promise: "No ads, no cookies, no tracking.",
    privacy: "Privacy",
    anchor_label: "Link to this section",
    redirect_text: "This page has moved:",
    post_navigation: "More posts",
    no_posts: "No posts yet.",
    scheduled: "Scheduled – not yet published",
    comments: "Comments",
    comment_count_one: "comment",
    comment_count_many: "comments",
    reply_by_email: "Reply by e-mail",
    comments_closed: "Comments on this post are closed.",
    comments_feed: "Comments feed",
    comment_draft: "Awaiting review",
    replies_to: "Replies to",
    share: "Share",
    share_email: "Share by e-mail",
    share_on: "Share on",
    share_link: "Link to copy:",
    about_author: "About the author",
    posts_by: "Posts by",
    all_posts_by: "All posts by",
    and: "and",
    search: "Search",
    search_label: "Search terms",
    search_button: "Search",
    search_results_one: "result",
    search_results_many: "results",
    search_no_results: "Nothing found. The archive or a tag may help.",
    search_without_script: "Search runs as a small script of this site in your browser and sends nothing to anyone. Without JavaScript, every post is in the archive and under its tags:",
    search_browse: "Browse",
    search_failed: "Search could not load its index. The archive and the tags can help.",
    series: "Series",
    series_part: "Part",
    all_series: "All series",
    related_posts: "Related posts",
};

pub fn strings(language: Language) -> &'static Strings {
    match language {
        Language::De => &DE,
        Language::En => &EN,
    }
}

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as readers of `language` write it: "11. März 2015", "March 11, 2015".
pub fn format_date(date: &DateTime<FixedOffset>, language: Language) -> String {
    let month = date.month0() as usize;
    match language {
        Language::De => format!("{}. {} {}", date.day(), MONTHS_DE[month], date.year()),
        Language::En => format!("{} {}, {}", MONTHS_EN[month], date.day(), date.year()),
    }
}

/// The path segment of the year archive.
/// Where the privacy page lives.
pub fn privacy_path(language: Language) -> &'static str {
    match language {
        Language::De => "datenschutz/",
        Language::En => "privacy/",
    }
}

/// Where the pages of the site's authors live: `autoren/max/`.
pub fn authors_path(language: Language) -> &'static str {
    match language {
        Language::De => "autoren/",
        Language::En => "authors/",
    }
}

/// Where the search page lives (with `search: true`).
pub fn search_path(language: Language) -> &'static str {
    match language {
        Language::De => "suche/",
        Language::En => "search/",
    }
}

/// The folder of the search index and the search script, beside the
/// search page (not below it: the host files give the page alone the
/// policy that lets the script run).
pub const SEARCH_INDEX_PATH: &str = "search-index/";
/// echt's search script, the one script the search page may run.
pub const SEARCH_SCRIPT: &str = "search-index/search.js";

pub fn archive_path(language: Language) -> &'static str {
    match language {
        Language::De => "archiv/",
        Language::En => "archive/",
    }
}

/// Where the list of series lives; each series has its page below it.
pub fn series_path(language: Language) -> &'static str {
    match language {
        Language::De => "serien/",
        Language::En => "series/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_are_localized() {
        let d = FixedOffset::east_opt(3600)
            .and_then(|tz| tz.with_ymd_and_hms(2015, 3, 11, 9, 0, 0).single());
        let Some(d) = d else { panic!("valid date") };
        assert_eq!(format_date(&d, Language::De), "11. März 2015");
        assert_eq!(format_date(&d, Language::En), "March 11, 2015");
    }
}
