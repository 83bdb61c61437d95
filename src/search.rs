//! The search index: compact, split files that the search page's script
//! fetches piece by piece, so a query on a site of ten thousand procedures
//! downloads only the few files it needs.
//!
//! Files, all under `/tim-kiem/chi-muc/`:
//! - `meta.json`: counts, the levels, postal modes and fields (names and
//!   slugs, as in `/linh-vuc/<slug>/`), and for every
//!   document its level, postal mode and field (for narrowing and counts);
//!   the keys of the shard files that exist.
//! - `docs-K.json`: documents `K*CHUNK ..`, each `[title, code, path]`.
//! - `t-KEY.json` (title tier) and `b-KEY.json` (body tier): term → flat
//!   `[doc delta, weight, …]`; KEY is the term's first two characters in the
//!   title tier and first three in the larger body tier.
//!   Title tier: words of the title (8), keywords (5), field (2), agency (2),
//!   the highest where a word is in several, and bigrams of consecutive
//!   title words as `a_b` (4). Body tier: words of
//!   the body as readers see it (no markup, notes or link addresses),
//!   weight = times it appears, at most 3.
//! - `c-KEY.json`: code token → document; KEY is the token's first 5 characters.
//!
//! Words are [`text::words`]: the search script folds queries the same way.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::procedure::{Postal, Procedure, Status};
use crate::site::Site;
use crate::theme::Strings;
use crate::{markdown, text};

/// Where the index files go, relative to the output folder.
pub const FOLDER: &str = "tim-kiem/chi-muc";

/// Documents per `docs-K.json` file: small, so the first ten hits cost little.
pub const CHUNK: usize = 64;

const TITLE_WEIGHT: u32 = 8;
const KEYWORD_WEIGHT: u32 = 5;
const FIELD_WEIGHT: u32 = 2;
const AGENCY_WEIGHT: u32 = 2;
const BIGRAM_WEIGHT: u32 = 4;
const BODY_MAX_WEIGHT: u32 = 3;

#[derive(Serialize)]
struct Level<'a> {
    id: &'a str,
    name: &'a str,
    slug: &'a str,
}

#[derive(Serialize)]
struct PostalMode<'a> {
    word: &'static str,
    slug: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    count: usize,
    chunk: usize,
    levels: Vec<Level<'a>>,
    postal: Vec<PostalMode<'a>>,
    fields: Vec<&'a str>,
    field_slugs: Vec<&'a str>,
    level: Vec<usize>,
    postal_of: Vec<usize>,
    field: Vec<usize>,
    abolished: Vec<usize>,
    title_shards: Vec<String>,
    body_shards: Vec<String>,
    code_shards: Vec<String>,
}

/// Term → postings, in document order: the input of one tier's shards.
type Tier = HashMap<String, Vec<(usize, u32)>>;

/// Every file of the search index: (path in the output folder, bytes).
pub fn files(site: &Site, strings: &Strings) -> Vec<(String, Vec<u8>)> {
    let per_doc: Vec<(BTreeMap<String, u32>, HashMap<String, u32>)> =
        site.procedures.par_iter().map(|p| (title_terms(p), body_terms(p))).collect();
    let mut title = Tier::new();
    let mut body = Tier::new();
    for (doc, (title_terms, body_terms)) in per_doc.into_iter().enumerate() {
        for (term, weight) in title_terms {
            title.entry(term).or_default().push((doc, weight));
        }
        for (term, weight) in body_terms {
            body.entry(term).or_default().push((doc, weight));
        }
    }
    let mut codes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (doc, p) in site.procedures.iter().enumerate() {
        let token = text::code_token(&p.code.value);
        codes.entry(token.chars().take(5).collect()).or_default().entry(token).or_insert(doc);
    }
    let mut out = Vec::new();
    let title_shards = write_tier(&title, "t", 2, &mut out);
    let body_shards = write_tier(&body, "b", 3, &mut out);
    for (key, shard) in &codes {
        out.push((format!("{FOLDER}/c-{key}.json"), json(shard)));
    }
    for (k, chunk) in site.procedures.chunks(CHUNK).enumerate() {
        let docs: Vec<(&str, &str, String)> =
            chunk.iter().map(|p| (p.title.as_str(), p.code.value.as_str(), p.url()[1..].to_string())).collect();
        out.push((format!("{FOLDER}/docs-{k}.json"), json(&docs)));
    }
    let meta = meta(site, strings, title_shards, body_shards, codes.keys().cloned().collect());
    out.push((format!("{FOLDER}/meta.json"), json(&meta)));
    out
}

fn meta<'a>(
    site: &'a Site,
    strings: &'a Strings,
    title: Vec<String>,
    body: Vec<String>,
    codes: Vec<String>,
) -> Meta<'a> {
    let levels = &site.config.service_levels;
    let fields: Vec<&str> = site.fields.iter().map(|f| f.name.as_str()).collect();
    let field_index: BTreeMap<&str, usize> = fields.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    Meta {
        version: 1,
        count: site.procedures.len(),
        chunk: CHUNK,
        levels: levels.iter().map(|l| Level { id: &l.id, name: &l.name, slug: &l.slug }).collect(),
        postal: Postal::ALL
            .iter()
            .map(|&m| PostalMode { word: m.word(), slug: m.slug(), name: strings.get(m.name_key()) })
            .collect(),
        level: site
            .procedures
            .iter()
            .map(|p| levels.iter().position(|l| l.id == p.service_level).unwrap_or(0))
            .collect(),
        postal_of: site
            .procedures
            .iter()
            .map(|p| Postal::ALL.iter().position(|m| *m == p.postal).unwrap_or(0))
            .collect(),
        field: site.procedures.iter().map(|p| field_index[p.field.as_str()]).collect(),
        fields,
        field_slugs: site.fields.iter().map(|f| f.slug.as_str()).collect(),
        abolished: (0..site.procedures.len()).filter(|&i| site.procedures[i].status == Status::Abolished).collect(),
        title_shards: title,
        body_shards: body,
        code_shards: codes,
    }
}

/// The title tier's terms of one procedure, with their weights.
fn title_terms(p: &Procedure) -> BTreeMap<String, u32> {
    let mut terms = BTreeMap::new();
    let title = text::words(&p.title);
    let keywords: Vec<String> = p.keywords.iter().flat_map(|k| text::words(k)).collect();
    for (words, weight) in [
        (title.clone(), TITLE_WEIGHT),
        (keywords, KEYWORD_WEIGHT),
        (text::words(&p.field), FIELD_WEIGHT),
        (text::words(&p.agency), AGENCY_WEIGHT),
    ] {
        for word in words.into_iter().collect::<BTreeSet<_>>() {
            let best = terms.entry(word).or_insert(0);
            *best = weight.max(*best);
        }
    }
    for pair in title.windows(2) {
        terms.insert(format!("{}_{}", pair[0], pair[1]), BIGRAM_WEIGHT);
    }
    terms
}

/// The body tier's terms of one procedure, with their weights.
fn body_terms(p: &Procedure) -> HashMap<String, u32> {
    let folded = text::fold(&markdown::plain_text(&p.body));
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for word in text::split_words(&folded) {
        let weight = counts.entry(word).or_insert(0);
        *weight = (*weight + 1).min(BODY_MAX_WEIGHT);
    }
    counts.into_iter().map(|(word, weight)| (word.to_string(), weight)).collect()
}

/// Writes one tier's shards, keyed by the first `key_len` characters of
/// their terms, into `out`; returns their keys.
fn write_tier(tier: &Tier, prefix: &str, key_len: usize, out: &mut Vec<(String, Vec<u8>)>) -> Vec<String> {
    let mut shards: BTreeMap<String, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (term, postings) in tier {
        let key: String = term.chars().take(key_len).collect();
        let mut flat = Vec::with_capacity(postings.len() * 2);
        let mut previous = 0;
        for &(doc, weight) in postings {
            flat.push(doc - previous);
            flat.push(weight as usize);
            previous = doc;
        }
        shards.entry(key).or_default().insert(term, flat);
    }
    for (key, shard) in &shards {
        out.push((format!("{FOLDER}/{prefix}-{key}.json"), json(shard)));
    }
    shards.into_keys().collect()
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("index data serialises")
}
