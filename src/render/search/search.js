// echt's search script: the only script an echt site runs, on its search
// page alone (README.md, "Search"). It reads the index beside it on the
// same host and shows what it finds; it sends nothing anywhere else, sets
// no cookie and stores nothing. It builds the results from DOM nodes and
// text, never from HTML, and runs no code it did not bring (no eval).
(() => {
  "use strict";
  const script = document.currentScript;
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-input");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  if (!script || !form || !input || !status || !list) return;
  const base = new URL(".", script.src);
  const SHOWN = 50;
  const files = new Map();

  // A file of the index, fetched once, from the script's own folder.
  const load = (name) => {
    if (!files.has(name)) {
      const url = new URL(name, base);
      const got = url.origin !== base.origin
        ? Promise.reject(new Error("not this site"))
        : fetch(url, { credentials: "omit", referrerPolicy: "no-referrer" }).then((r) => {
            if (!r.ok) throw new Error(String(r.status));
            return r.json();
          });
      files.set(name, got);
    }
    return files.get(name);
  };

  // As the index folds its terms (src/render/search/words.rs): lower
  // case, ß as ss, accents and umlaut dots dropped.
  const fold = (word) =>
    word
      .toLowerCase()
      .replace(/ß/g, "ss")
      .replace(/æ/g, "ae")
      .replace(/œ/g, "oe")
      .replace(/ø/g, "o")
      .normalize("NFD")
      .replace(/\p{M}/gu, "");

  // The spellings to look up: in German `ae`, `oe`, `ue` may be umlauts.
  const forms = (word, language) => {
    const folded = fold(word);
    const out = [folded];
    if (language === "de") {
      const plain = folded.replace(/(^|[^q])ue/g, "$1u").replace(/([ao])e/g, "$1");
      if (plain !== folded) out.push(plain);
    }
    return out;
  };

  const chars = (text) => Array.from(text);

  // fnv1a32 of the first two characters' UTF-8, as the index shards.
  const shard = (word, shards) => {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(chars(word).slice(0, 2).join(""))) {
      hash ^= byte;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % shards;
  };

  // Adds the documents of delta-coded `postings` to `found`, with
  // whether the term is in their title or tags.
  const add = (found, postings) => {
    let value = 0;
    for (const step of postings) {
      value += step;
      const doc = value >> 1;
      found.set(doc, Math.max(found.get(doc) || 0, value & 1));
    }
  };

  // The documents one word finds: terms it begins, and the longest term
  // that begins it leaving at most an ending.
  const find = async (word, meta) => {
    const found = new Map();
    for (const form of forms(word, meta.language)) {
      const terms = await load(`terms-${shard(form, meta.shards)}.json`);
      const length = chars(form).length;
      let longest = null;
      for (const [term, postings] of Object.entries(terms)) {
        if (length < 2 ? term === form : term.startsWith(form)) {
          add(found, postings);
        } else if (form.startsWith(term)) {
          const size = chars(term).length;
          if (size >= meta.stem && length - size <= meta.ending && (!longest || size > chars(longest).length)) {
            longest = term;
          }
        }
      }
      if (longest) add(found, terms[longest]);
    }
    return found;
  };

  // Documents with every word, those with words in their title first,
  // then in the index's order (newest first).
  const search = async (query) => {
    const meta = await load("meta.json");
    const words = [...new Set(query.split(/[^\p{L}\p{N}]+/u).filter(Boolean))].slice(0, 10);
    if (words.length === 0) return null;
    let hits = null;
    for (const word of words) {
      const found = await find(word, meta);
      if (hits === null) {
        hits = found;
      } else {
        for (const [doc, score] of hits) {
          if (found.has(doc)) hits.set(doc, score + found.get(doc));
          else hits.delete(doc);
        }
      }
    }
    const ranked = [...hits].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([doc]) => doc);
    const shown = [];
    for (const doc of ranked.slice(0, SHOWN)) {
      const chunk = await load(`docs-${Math.floor(doc / meta.chunk)}.json`);
      const item = chunk[doc % meta.chunk];
      if (item) shown.push(item);
    }
    return { total: ranked.length, shown };
  };

  const element = (name, text) => {
    const node = document.createElement(name);
    if (text) node.textContent = text;
    return node;
  };

  // One result: the title as a link on this site, the date, the summary.
  const result = (item) => {
    const url = new URL(item.url, base);
    if (url.origin !== base.origin) return null;
    const entry = element("li");
    const title = element("h2");
    const link = element("a", item.title);
    link.href = url.href;
    title.append(link);
    entry.append(title);
    if (item.date && item.datetime) {
      const time = element("time", item.date);
      time.dateTime = item.datetime;
      entry.append(time);
    }
    if (item.summary) entry.append(element("p", item.summary));
    return entry;
  };

  const say = (text) => {
    status.textContent = text;
  };

  let latest = 0;
  const run = async (query) => {
    const mine = ++latest;
    let found;
    try {
      found = await search(query);
    } catch (e) {
      if (mine === latest) say(status.dataset.failed || "");
      return;
    }
    if (mine !== latest) return;
    list.replaceChildren();
    if (found === null) {
      say("");
      return;
    }
    for (const item of found.shown) {
      const entry = result(item);
      if (entry) list.append(entry);
    }
    if (found.total === 0) say(status.dataset.none || "");
    else say(`${found.total} ${found.total === 1 ? status.dataset.one : status.dataset.many}`);
  };

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 200);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    run(input.value);
  });
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    run(asked);
  }
})();
