#!/usr/bin/env python3
"""Generate a deterministic benchmark site for echt.

Usage: python3 bench/corpus.py [--code] N DIR

With --code every post also gets 2-3 code blocks of 10-30 lines (Rust,
Python, JavaScript, Go, a console session, SQL, YAML, Java, Haskell, shell,
HTML, C), to measure highlighting; the text stays the same.

Creates DIR/echt.yaml and N posts of roughly 4 KB of German-looking Markdown
in DIR/content/posts/YYYY/<slug>.md. The corpus depends only on N (every post
comes from its own seeded random generator), so runs are comparable.

Each post has 2-3 `##` headings, one list, *emphasis* and **strong** text,
sometimes a link to https://example.org, sometimes a fenced code block, and in
about a third of the posts a `<!-- more -->` marker. Posts carry 1-4 tags out
of a vocabulary of exactly 45; tags are drawn with a Zipf-like distribution so
that the most popular tags have thousands of posts and need many list pages.
Dates are spread over the ten years 2016-01-01 .. 2025-12-31 (German local time).

DIR is only ever deleted if it holds the marker file this script writes
(DIR/.echt-bench-corpus); an existing non-empty DIR without it is refused.
Standard library only.
"""

import datetime as dt
import os
import random
import shutil
import sys

MARKER = ".echt-bench-corpus"
SEED = "echt-bench-v1"
TARGET_BYTES = 4000

# Exactly 45 tags, several with umlauts or ß. Their slugs are all distinct.
TAGS = [
    "Vertrauen", "Arbeit", "Schreiben", "Öffentlichkeit", "Kunden", "Alltag",
    "Größe", "Übergaben", "Ehrlichkeit", "Werkzeuge", "Führung", "Gespräche",
    "Handwerk", "Zusammenarbeit", "Datenschutz", "Lernen", "Geduld", "Fehler",
    "Planung", "Bücher", "Gesundheit", "Familie", "Nachbarschaft", "Reisen",
    "Kochen", "Musik", "Fotografie", "Garten", "Technik", "Software",
    "Gemeinschaft", "Verantwortung", "Mut", "Freiheit", "Qualität",
    "Nachhaltigkeit", "Gründung", "Buchhaltung", "Steuern", "Marketing",
    "Sprache", "Erinnerungen", "Rückblick", "Zukunft", "Wochenende",
]
assert len(TAGS) == 45 and len(set(TAGS)) == 45
# Zipf-like weights: the k-th tag is drawn with weight 1/k.
TAG_WEIGHTS = [1.0 / (k + 1) for k in range(len(TAGS))]
# How many tags a post has (1-4), mostly two or three.
TAG_COUNTS = [1, 2, 3, 4]
TAG_COUNT_WEIGHTS = [2, 4, 3, 1]

SUBJECTS = [
    "Der Kunde", "Die Kollegin", "Ein gutes Gespräch", "Das Team", "Die Nachbarin",
    "Mein Chef", "Eine ehrliche Antwort", "Der Handwerker", "Die Buchhalterin",
    "Ein kleiner Betrieb", "Die Gemeinde", "Der Lieferant", "Unsere Praxis",
    "Die Redaktion", "Ein langer Brief", "Der Bäcker an der Ecke", "Die Tochter",
    "Das Büro", "Eine Liste", "Der Entwurf", "Die Übergabe", "Das Werkzeug",
    "Ein Fehler", "Die Öffentlichkeit", "Der Zug nach Köln", "Die Straße",
]
VERBS = [
    "braucht", "verändert", "zeigt", "verlangt", "erleichtert", "verdient",
    "übersieht", "schätzt", "kostet", "prägt", "vergisst", "gewinnt", "sucht",
    "begleitet", "erklärt", "verschiebt", "trägt", "öffnet", "bewahrt", "stört",
]
OBJECTS = [
    "mehr Zeit", "einen klaren Plan", "das Vertrauen der anderen",
    "eine ruhige Hand", "die richtigen Fragen", "ein offenes Ohr",
    "den nächsten Schritt", "eine ehrliche Rechnung", "die Mühe",
    "jeden einzelnen Tag", "die alte Gewohnheit", "eine zweite Meinung",
    "den Überblick", "die Geduld aller Beteiligten", "ein gutes Werkzeug",
    "die Größe des Vorhabens", "eine schnelle Lösung", "die Verantwortung",
    "das schöne Wetter", "den Kaffee am Morgen", "eine Pause",
]
ADVERBIALS = [
    "am Montagmorgen", "ohne großen Aufwand", "fast immer", "seit Jahren",
    "im Grunde", "gerade im Winter", "nach Feierabend", "zum Glück",
    "erstaunlich oft", "in aller Ruhe", "trotz allem", "meistens",
    "vor allem", "schon lange", "auf dem Land", "mitten in der Woche",
    "ganz nebenbei", "überraschend schnell",
]
CLAUSES = [
    "weil niemand gern wartet", "wenn die Übergabe gelingt",
    "obwohl es anfangs mühsam war", "damit am Ende alle zufrieden sind",
    "sobald die Arbeit beginnt", "weil Vertrauen nicht von selbst entsteht",
    "wenn man genau hinsieht", "solange niemand fragt",
    "weil gute Arbeit Zeit braucht", "bevor die Frist abläuft",
    "nachdem der Regen aufgehört hat", "während draußen die Kinder spielen",
    "obwohl die Zahlen etwas anderes sagen", "wenn es darauf ankommt",
]
OPENERS = [
    "Ehrlich gesagt", "Manchmal", "Am Anfang", "Heute", "Letzte Woche",
    "Inzwischen", "Damals", "Natürlich", "Vielleicht", "Jedenfalls",
]
THOUGHTS = [
    "habe ich darüber lange nachgedacht", "war mir das nicht klar",
    "ist das gar nicht so einfach", "lohnt sich ein zweiter Blick",
    "fällt mir das immer wieder auf", "merke ich den Unterschied sofort",
    "bleibt vieles ungesagt", "gehört das einfach dazu",
]
STRONG_PHRASES = [
    "Vertrauen braucht Zeit", "Weniger ist mehr", "Zuhören zuerst",
    "Keine Werbung", "Fehler sind erlaubt", "Qualität setzt sich durch",
    "Ehrlichkeit zahlt sich aus", "Der Kunde merkt alles",
]
HEADINGS = [
    "Worum es geht", "Was ich gelernt habe", "Ein Beispiel aus dem Alltag",
    "Warum das wichtig ist", "Was schiefging", "Der nächste Schritt",
    "Ein Blick zurück", "Was andere sagen", "Kleine Schritte",
    "Die Sache mit der Größe", "Über Übergaben", "Zum Schluss",
    "Ein Gedanke zur Öffentlichkeit", "Was bleibt", "Offene Fragen",
]
TITLE_NOUNS = [
    "Vertrauen", "Arbeit", "Geduld", "Übergaben", "Kunden", "Fehler",
    "Werkzeuge", "Gespräche", "Rechnungen", "Pausen", "Briefe", "Listen",
    "Nachbarn", "Gewohnheiten", "Antworten", "Größe", "Ehrlichkeit", "Ordnung",
    "Wege", "Zweifel", "Routinen", "Versprechen", "Grenzen", "Anfänge",
]
TITLE_PATTERNS = [
    "Über {a} und {b}", "Warum {a} wichtiger ist als {b}", "{a} ohne {b}",
    "Notizen zu {a}", "Was {a} mit {b} zu tun hat", "Ein Jahr mit {a}",
    "{a}, {b} und der Rest", "Weniger {a}, mehr {b}", "Gedanken über {a}",
]
LIST_ITEMS = [
    "früh anfangen und ehrlich bleiben", "Rückfragen sofort beantworten",
    "Termine schriftlich bestätigen", "einmal am Tag die Post lesen",
    "kleine Fehler offen zugeben", "Rechnungen pünktlich schreiben",
    "Pausen wirklich als Pausen nutzen", "Notizen am selben Tag ordnen",
    "lieber nachfragen als raten", "Übergaben mit einer Checkliste machen",
    "Zusagen nur geben, wenn sie halten", "Werkzeuge pflegen",
]
CODE_BLOCKS = [
    ("sh", "echt build --root . --output public\nls public/tags/ | wc -l"),
    ("yaml", "title: \"Mein Blog\"\nlanguage: de\nposts_per_page: 10"),
    ("python", "def zaehle(woerter):\n    return {w: woerter.count(w) for w in set(woerter)}"),
    ("text", "Montag:   Angebote schreiben\nDienstag: Kundengespräche\nMittwoch: Buchhaltung"),
    ("rust", "fn main() {\n    println!(\"Grüß Gott!\");\n}"),
]
# With --code, every post gets 2-3 of these (10-30 lines, the size of the
# code on a technical blog), in several languages, on top of its text.
CODE_SAMPLES = [
    ("rust", """use std::collections::HashMap;

/// Zählt, wie oft jedes Wort in `text` vorkommt.
pub fn zaehle(text: &str) -> HashMap<String, usize> {
    let mut anzahl = HashMap::new();
    for wort in text.split_whitespace() {
        let wort = wort.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if wort.is_empty() {
            continue;
        }
        *anzahl.entry(wort).or_insert(0) += 1;
    }
    anzahl
}

#[cfg(test)]
mod tests {
    #[test]
    fn zaehlt_gross_und_klein_gleich() {
        let a = super::zaehle("Der Hund, der Ball.");
        assert_eq!(a["der"], 2);
    }
}"""),
    ("python", """import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Auftrag:
    kunde: str
    stunden: float
    erledigt: bool = False
    notizen: list[str] = field(default_factory=list)


def lade(pfad: Path) -> list[Auftrag]:
    \"\"\"Liest die Aufträge aus einer JSON-Datei.\"\"\"
    daten = json.loads(pfad.read_text(encoding="utf-8"))
    return [Auftrag(**eintrag) for eintrag in daten if eintrag.get("kunde")]


def offen(auftraege: list[Auftrag]) -> float:
    return sum(a.stunden for a in auftraege if not a.erledigt)


if __name__ == "__main__":
    print(f"{offen(lade(Path('auftraege.json'))):.1f} Stunden offen")"""),
    ("javascript", """const liste = document.querySelector("#termine");

async function ladeTermine(url) {
  const antwort = await fetch(url, { headers: { Accept: "application/json" } });
  if (!antwort.ok) {
    throw new Error(`Fehler ${antwort.status} beim Laden von ${url}`);
  }
  return (await antwort.json()).filter((t) => t.bestaetigt);
}

export function zeige(termine) {
  liste.replaceChildren(
    ...termine.map((t) => {
      const li = document.createElement("li");
      li.textContent = `${t.datum}: ${t.titel}`;
      return li;
    }),
  );
}"""),
    ("go", """package main

import (
\t"fmt"
\t"os"
\t"strings"
)

// Rechnung ist eine offene Rechnung an einen Kunden.
type Rechnung struct {
\tKunde  string
\tBetrag float64
}

func summe(rechnungen []Rechnung) (gesamt float64) {
\tfor _, r := range rechnungen {
\t\tgesamt += r.Betrag
\t}
\treturn gesamt
}

func main() {
\tr := []Rechnung{{"Bäckerei", 120.5}, {"Tischlerei", 980}}
\tfmt.Fprintf(os.Stdout, "%s: %.2f EUR\\n", strings.ToUpper("offen"), summe(r))
}"""),
    ("console", """$ echt build --root blog
echt: 412 pages (380 posts, 12 tags), 3 files in 210 ms → public
$ ls public/posts | head -n 3
alte-briefe
an-einem-dienstag
angebote-schreiben
user@werkstatt:~/blog$ du -sh public
4,1M\tpublic"""),
    ("sql", """-- Offene Aufträge je Kunde, die größten zuerst.
SELECT k.name,
       COUNT(a.id)        AS auftraege,
       SUM(a.stunden)     AS stunden
FROM kunden AS k
JOIN auftraege AS a ON a.kunde_id = k.id
WHERE a.erledigt = FALSE
  AND a.angelegt >= DATE '2024-01-01'
GROUP BY k.name
HAVING SUM(a.stunden) > 10
ORDER BY stunden DESC
LIMIT 20;"""),
    ("yaml", """# Die Dienste der Werkstatt.
services:
  blog:
    image: nginx:1.27
    ports:
      - "8080:80"
    volumes:
      - ./public:/usr/share/nginx/html:ro
    restart: unless-stopped
  sicherung:
    image: debian:12
    command: ["/bin/sh", "-c", "rsync -a /daten/ /sicherung/"]
    volumes:
      - daten:/daten
volumes:
  daten: {}"""),
    ("java", """import java.time.LocalDate;
import java.util.List;

public final class Termine {
    private final List<LocalDate> tage;

    public Termine(List<LocalDate> tage) {
        this.tage = List.copyOf(tage);
    }

    /** Der nächste Termin ab heute, falls es einen gibt. */
    public LocalDate naechster(LocalDate heute) {
        return tage.stream()
                .filter(tag -> !tag.isBefore(heute))
                .min(LocalDate::compareTo)
                .orElse(null);
    }
}"""),
    ("haskell", """module Rechnung where

import Data.List (sortOn)

data Posten = Posten { name :: String, preis :: Double }

-- | Die teuersten Posten zuerst.
teuerste :: Int -> [Posten] -> [Posten]
teuerste n = take n . sortOn (negate . preis)

summe :: [Posten] -> Double
summe = sum . map preis

main :: IO ()
main = mapM_ (putStrLn . name) (teuerste 3 [Posten "Holz" 120, Posten "Leim" 8.5])"""),
    ("bash", """#!/bin/sh
# Sichert das Blog jeden Abend und behält sieben Stände.
set -eu
ziel="/mnt/sicherung/$(date +%F)"
mkdir -p "$ziel"
rsync -a --delete "$HOME/blog/" "$ziel/"
for alt in $(ls -1d /mnt/sicherung/* | head -n -7); do
    rm -rf "$alt"
done
echo "gesichert nach $ziel\""""),
    ("html", """<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <title>Werkstatt</title>
  <link rel="stylesheet" href="/style.css">
</head>
<body>
  <header class="kopf"><a href="/">Startseite</a></header>
  <main>
    <h1>Öffnungszeiten</h1>
    <p>Montag bis Freitag, 8&ndash;17 Uhr.</p>
  </main>
</body>
</html>"""),
    ("c", """#include <stdio.h>
#include <stdlib.h>

/* Liest Zahlen von der Eingabe und gibt ihre Summe aus. */
int main(void)
{
    double zahl, summe = 0.0;
    int anzahl = 0;

    while (scanf("%lf", &zahl) == 1) {
        summe += zahl;
        anzahl++;
    }
    if (anzahl == 0) {
        fprintf(stderr, "keine Zahlen\\n");
        return EXIT_FAILURE;
    }
    printf("%d Zahlen, Summe %.2f\\n", anzahl, summe);
    return EXIT_SUCCESS;
}"""),
]
LINK_TEXTS = [
    "diesen Artikel", "eine kurze Anleitung", "die Übersicht",
    "ein älteres Interview", "die Studie dazu", "meine Notizen",
]
LINK_PATHS = [
    "artikel/vertrauen", "anleitung/uebergaben", "uebersicht", "interview-2019",
    "studien/arbeit-und-zeit", "notizen",
]

START = dt.datetime(2016, 1, 1, 0, 0, 0)
END = dt.datetime(2026, 1, 1, 0, 0, 0)
SPAN_SECONDS = int((END - START).total_seconds())


def last_sunday(year, month):
    """The last Sunday of a month (for the start and end of summer time)."""
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def berlin_offset(local):
    """+02:00 during German summer time, +01:00 otherwise (close enough)."""
    start = last_sunday(local.year, 3)
    end = last_sunday(local.year, 10)
    return "+02:00" if start <= local.date() < end else "+01:00"


def slugify(text):
    table = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ß": "ss"}
    out, pending = [], False
    for c in text:
        c = table.get(c, c)
        for p in c:
            if p.isascii() and p.isalnum():
                if pending and out:
                    out.append("-")
                pending = False
                out.append(p.lower())
            else:
                pending = True
    return "".join(out)


def upper_first(s):
    return s[:1].upper() + s[1:]


def lower_first(s):
    """Lowercases a leading article ("Der Kunde" -> "der Kunde"), not nouns."""
    return s[:1].lower() + s[1:]


def sentence(rng):
    kind = rng.randrange(5)
    if kind == 0:
        s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(ADVERBIALS)} {rng.choice(OBJECTS)}"
    elif kind == 1:
        s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(CLAUSES)}"
    elif kind == 2:
        s = f"{rng.choice(OPENERS)} {rng.choice(THOUGHTS)}"
    elif kind == 3:
        s = f"{rng.choice(OPENERS)} {rng.choice(VERBS)} {lower_first(rng.choice(SUBJECTS))} {rng.choice(OBJECTS)}"
    else:
        s = f"{rng.choice(CLAUSES)}, {rng.choice(THOUGHTS)}"
    s = upper_first(s)
    roll = rng.random()
    if roll < 0.12:
        # Emphasise one plain word of the sentence.
        words = s.split(" ")
        plain = [i for i, w in enumerate(words) if w.isalpha()]
        i = rng.choice(plain)
        words[i] = f"*{words[i]}*"
        s = " ".join(words)
    elif roll < 0.18:
        s = f"**{rng.choice(STRONG_PHRASES)}:** {s}"
    return s + rng.choice([".", ".", ".", ".", "!", "?"] if kind == 2 else ".")


def paragraph(rng, n_min=3, n_max=6):
    return " ".join(sentence(rng) for _ in range(rng.randint(n_min, n_max)))


def post_body(rng, code_rng=None):
    """About TARGET_BYTES of Markdown; with `code_rng`, plus 2-3 code
    blocks of CODE_SAMPLES after sections of the text."""
    blocks = [paragraph(rng, 2, 4)]
    if rng.random() < 1 / 3:
        blocks.append("<!-- more -->")
    blocks.append(paragraph(rng))
    headings = rng.sample(HEADINGS, rng.randint(2, 3))
    list_at = rng.randrange(len(headings))
    code_at = rng.randrange(len(headings)) if rng.random() < 0.15 else -1
    link_at = rng.randrange(len(headings)) if rng.random() < 0.3 else -1
    for i, heading in enumerate(headings):
        blocks.append(f"## {heading}")
        blocks.append(paragraph(rng))
        if i == list_at:
            marker = rng.choice(["-", "*", "1."])
            items = rng.sample(LIST_ITEMS, rng.randint(3, 5))
            blocks.append("\n".join(f"{marker} {item}" for item in items))
        if i == code_at:
            lang, code = rng.choice(CODE_BLOCKS)
            blocks.append(f"```{lang}\n{code}\n```")
        if i == link_at:
            k = rng.randrange(len(LINK_TEXTS))
            blocks.append(
                f"Wer mehr wissen will, findet [{LINK_TEXTS[k]}](https://example.org/{LINK_PATHS[k]}) "
                + sentence(rng)
            )
        blocks.append(paragraph(rng))
    # Pad the last section with paragraphs until the post is about 4 KB.
    body = "\n\n".join(blocks)
    while len(body.encode("utf-8")) < TARGET_BYTES - 300:
        body += "\n\n" + paragraph(rng)
    if code_rng is not None:
        body = add_code(body, code_rng)
    return body + "\n"


def add_code(body, rng):
    """Puts 2-3 code blocks after headed sections' first paragraphs."""
    parts = body.split("\n\n")
    at = [i for i, part in enumerate(parts) if part.startswith("## ")] or [len(parts) - 1]
    for i in sorted(rng.sample(at * 3, rng.randint(2, 3)), reverse=True):
        lang, code = rng.choice(CODE_SAMPLES)
        parts.insert(min(i + 2, len(parts)), f"```{lang}\n{code}\n```")
    return "\n\n".join(parts)


def pick_tags(rng):
    count = rng.choices(TAG_COUNTS, TAG_COUNT_WEIGHTS)[0]
    chosen = []
    while len(chosen) < count:
        tag = rng.choices(TAGS, TAG_WEIGHTS)[0]
        if tag not in chosen:
            chosen.append(tag)
    return chosen


def make_post(index, n, code=False):
    rng = random.Random(f"{SEED}-{index}")
    # A generator of its own, so that the text is the same with or
    # without --code.
    code_rng = random.Random(f"{SEED}-code-{index}") if code else None
    a, b = rng.sample(TITLE_NOUNS, 2)
    title = rng.choice(TITLE_PATTERNS).format(a=a, b=b)
    # Spread the posts evenly over the ten years, with some jitter.
    slot = SPAN_SECONDS / max(n, 1)
    seconds = int(index * slot + rng.random() * slot)
    local = START + dt.timedelta(seconds=min(seconds, SPAN_SECONDS - 1))
    date = local.strftime("%Y-%m-%dT%H:%M:%S") + berlin_offset(local)
    tags = pick_tags(rng)
    slug = f"{slugify(title)}-{index + 1:05d}"
    front = (
        "---\n"
        f'title: "{title}"\n'
        f"date: {date}\n"
        f"tags: [{', '.join(tags)}]\n"
        "---\n\n"
    )
    return local.year, slug, front + post_body(rng, code_rng)


SITE_CONFIG = """\
# Generated by bench/corpus.py for the echt benchmark. Do not edit.
title: "Echt Benchmark"
description: "Ein erzeugter Blog mit {n} Beiträgen, um echt zu messen."
base_url: "https://bench.example.org/"
language: de
author:
  name: "Bea Benchmark"
  email: "bea@example.org"
theme: default
posts_per_page: 10
feed:
  limit: 20
extra:
  tagline: "Erzeugt, nicht geschrieben."
"""


def prepare_dir(path):
    if os.path.lexists(path):
        if not os.path.isdir(path) or os.path.islink(path):
            sys.exit(f"corpus.py: {path} exists and is not a folder; refusing to touch it")
        if os.path.isfile(os.path.join(path, MARKER)):
            shutil.rmtree(path)
        elif os.listdir(path):
            sys.exit(
                f"corpus.py: {path} is not empty and was not made by corpus.py "
                f"(no {MARKER}); refusing to delete it"
            )
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, MARKER), "w", encoding="utf-8") as f:
        f.write("Generated by echt bench/corpus.py; this folder may be deleted by it.\n")


def main(argv):
    code = "--code" in argv[1:]
    argv = [a for a in argv if a != "--code"]
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.exit(
            "usage: python3 bench/corpus.py [--code] N DIR   (N >= 1 posts, DIR = site folder;\n"
            "       --code puts 2-3 code blocks of 10-30 lines in several languages into every post)"
        )
    n, root = int(argv[1]), argv[2]
    prepare_dir(root)
    with open(os.path.join(root, "echt.yaml"), "w", encoding="utf-8") as f:
        f.write(SITE_CONFIG.format(n=n))
    posts = os.path.join(root, "content", "posts")
    made = set()
    total = 0
    for i in range(n):
        year, slug, text = make_post(i, n, code)
        folder = os.path.join(posts, str(year))
        if year not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(year)
        data = text.encode("utf-8")
        with open(os.path.join(folder, slug + ".md"), "wb") as f:
            f.write(data)
        total += len(data)
    print(f"corpus.py: {n} posts, {total / 1e6:.1f} MB of Markdown in {root}")


if __name__ == "__main__":
    main(sys.argv)
