//! The search index: compact, split files that the search page's script
//! fetches piece by piece, so a query on a site of a hundred thousand
//! procedures downloads only the few files it needs.
//!
//! Files, all under `/tim-kiem/chi-muc/`:
//! - `meta.json`: counts, the levels, postal modes and fields (names and
//!   slugs, as in `/linh-vuc/<slug>/`), the synonym groups, the keys of the
//!   shard files that exist, and `runs`: documents are numbered by field,
//!   level, postal mode and status (then as `documents` says), so each
//!   document's facts for narrowing are given once per run of documents that
//!   share them, `[first document, field, level, postal mode, abolished]`.
//! - `docs-K.json`: documents `K*CHUNK ..`, each `[title, code, path]`.
//! - `t-KEY.json` (title tier) and `b-KEY.json` (body tier): term → runs of
//!   documents, flat `[gap, length, weight, …]`; KEY is the longest of the
//!   tier's keys (in `meta.json`) that the term starts with: two characters
//!   in the title tier and three in the larger body tier, longer where a
//!   shard would be large. The terms are described in `terms`.
//! - `c-KEY.json`: code token → document; KEY is the token's first 5 characters.
//! - `vocab.json`: every word of the title tier, the most common first, each
//!   as `"word"` or `"word written"` (`"dang đăng"`), for correcting a
//!   mistyped word and for saying how a query was read.
//!
//! Words are [`text::words`]: the search script folds queries the same way.

mod gather;
mod synonyms;
mod terms;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::cache::{Fingerprint, Hasher};
use crate::content::procedure::{Postal, Procedure, Status};
use crate::diagnostics::Failure;
use crate::site::Site;
use crate::text;
use crate::theme::Strings;
pub use gather::Terms;
use synonyms::Synonyms;

/// Where the index files go, relative to the output folder.
pub const FOLDER: &str = "tim-kiem/chi-muc";

/// Documents per `docs-K.json` file: small, so the first ten hits cost little.
pub const CHUNK: usize = 64;

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
    runs: Vec<[usize; 5]>,
    synonyms: &'a [Vec<String>],
    title_shards: Vec<String>,
    body_shards: Vec<String>,
    code_shards: Vec<String>,
}

/// A term's postings as runs of neighbouring documents with one weight, each
/// `[first document, length, weight]`: a word in every procedure of a field
/// is one run, not a posting per procedure. `postings` are the documents that
/// have the term, in order, each packed with its weight ([`gather::unpacked`]).
fn posting_runs(postings: &[u32]) -> impl Iterator<Item = [u32; 3]> + '_ {
    let mut rest = postings.iter().map(|&p| gather::unpacked(p)).peekable();
    std::iter::from_fn(move || {
        let (first, weight) = rest.next()?;
        let first = first as u32;
        let mut length = 1;
        while rest.next_if(|&(doc, w)| doc as u32 == first + length && w == weight).is_some() {
            length += 1;
        }
        Some([first, length, weight])
    })
}

/// How many runs [`posting_runs`] makes of `postings`: a posting begins a new
/// run unless it is the next document after the one before, with its weight.
fn run_count(postings: &[u32]) -> usize {
    let next_document = 1 << gather::WEIGHT_BITS;
    postings.len().min(1) + postings.windows(2).filter(|pair| pair[1] != pair[0] + next_document).count()
}

/// A term's runs as a shard writes them, flat: `[gap, length, weight, …]`,
/// the gap counted from the end of the run before.
fn flat(postings: &[u32]) -> Vec<u32> {
    let mut flat = Vec::new();
    let mut end = 0;
    for [first, length, weight] in posting_runs(postings) {
        flat.extend([first - end, length, weight]);
        end = first + length;
    }
    flat
}

/// The facts search narrows by, per document: field, level, postal mode, abolished.
type Facts = [usize; 4];

/// Where a document goes among those with the same facts: its title's first word (after a
/// leading "Thủ tục"), the title's length in words, and its title folded, then as written
/// (as [`text::sort_key`] orders titles).
type Order<'a> = (&'a str, usize, &'a str, &'a str);

/// What the search index is made from, hashed: every published procedure's
/// file, in order, and what every page shares (`site`: site.toml, with the
/// synonyms, and the theme's strings).
pub fn fingerprint(site: &Site, shared: Fingerprint) -> Fingerprint {
    let procedures = site.procedures.iter().map(|p| p.fingerprint);
    Hasher::new().text("search index").fingerprints([shared]).fingerprints(procedures).finish()
}

/// Takes each file of the search index as it is made: its path in the
/// output folder and its bytes. The index of a large site is not held whole.
pub type Put<'a> = dyn Fn(&str, &[u8]) -> Result<(), Failure> + Sync + 'a;

/// Keeps the index files at these paths in the output folder as the previous
/// build wrote them, all or none; whether it did ([`crate::cache::Rebuild::keep_files`]).
pub type Keep<'a> = dyn Fn(&[&str]) -> bool + Sync + 'a;

/// What making the search index leaves, besides the files it gave away.
pub struct Index {
    /// Its files' paths in the output folder.
    pub paths: Vec<String>,
    /// What it found in each procedure file, for the next build.
    pub terms: Terms,
}

/// Makes the search index of `site`, handing each file to `put`. The files
/// in `known` are not read again, and a shard made from the same terms as
/// the previous build's is kept (`keep`) rather than made again, as are the
/// files made from front matter alone while it is the same. Fails when
/// a procedure's body, read again from its file, changed since the site was
/// loaded ([`Procedure::markdown`]), or when `put` fails.
pub fn index(
    site: &Site,
    strings: &Strings,
    mut known: Terms,
    put: &Put<'_>,
    keep: &Keep<'_>,
) -> Result<Index, Failure> {
    let synonyms = Synonyms::new(&site.config.search.synonyms);
    let (docs, facts) = documents(site);
    let known_shards: FxHashMap<String, Fingerprint> = known.take_shards().into_iter().collect();
    let front_input = front_input(&docs);
    let kept_front = known.take_front().filter(|front| {
        front.input == front_input && keep(&front.paths.iter().map(String::as_str).collect::<Vec<_>>())
    });
    let gathered = gather::gather(&docs, &synonyms, known)?;
    let (title, body) = gathered.write_tiers(ShardsOut { put, keep, known: &known_shards });
    let ((mut shards, title_shards), (body_made, body_shards)) = (title?, body?);
    shards.extend(body_made);
    let front = match kept_front {
        Some(front) => front,
        None => write_front(&docs, front_input, put)?,
    };
    let mut paths: Vec<String> = shards.iter().map(|(path, _)| path.clone()).collect();
    paths.extend(front.paths.iter().cloned());
    let meta = Meta {
        version: 2,
        count: docs.len(),
        chunk: CHUNK,
        levels: site.config.service_levels.iter().map(|l| Level { id: &l.id, name: &l.name, slug: &l.slug }).collect(),
        postal: Postal::ALL
            .iter()
            .map(|&m| PostalMode { word: m.word(), slug: m.slug(), name: strings.get(m.name_key()) })
            .collect(),
        fields: site.fields.iter().map(|f| f.name.as_str()).collect(),
        field_slugs: site.fields.iter().map(|f| f.slug.as_str()).collect(),
        runs: runs(&facts),
        synonyms: &synonyms.groups,
        title_shards,
        body_shards,
        code_shards: front.code_shards.clone(),
    };
    let meta_path = format!("{FOLDER}/meta.json");
    put(&meta_path, &json(&meta))?;
    paths.push(meta_path);
    Ok(Index { paths, terms: gathered.into_terms(&docs, shards, front) })
}

/// What the index files made from front matter alone are made from, hashed:
/// each document's path and front matter ([`Procedure::front_fingerprint`]),
/// in the index's order.
fn front_input(docs: &[&Procedure]) -> Fingerprint {
    Hasher::new().text("front matter").fingerprints(docs.iter().map(|p| p.front_fingerprint)).finish()
}

/// Writes the index files made from the documents' front matter alone, handed
/// to `put`: the codes (`c-KEY`), the documents (`docs-K`) and the title
/// vocabulary. `input` is what they are made from ([`front_input`]).
fn write_front(docs: &[&Procedure], input: Fingerprint, put: &Put<'_>) -> Result<gather::Front, Failure> {
    let mut codes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (doc, p) in docs.iter().enumerate() {
        let token = text::code_token(&p.code.value);
        codes.entry(token.chars().take(5).collect()).or_default().entry(token).or_insert(doc);
    }
    let mut paths = Vec::new();
    let mut write = |path: String, bytes: Vec<u8>| {
        put(&path, &bytes)?;
        paths.push(path);
        Ok::<(), Failure>(())
    };
    for (key, shard) in &codes {
        write(format!("{FOLDER}/c-{key}.json"), json(shard))?;
    }
    for (k, chunk) in docs.chunks(CHUNK).enumerate() {
        let docs: Vec<(&str, &str, String)> =
            chunk.iter().map(|p| (p.title.as_str(), p.code.value.as_str(), p.url()[1..].to_string())).collect();
        write(format!("{FOLDER}/docs-{k}.json"), json(&docs))?;
    }
    write(format!("{FOLDER}/vocab.json"), json(&vocabulary(docs)))?;
    Ok(gather::Front { input, paths, code_shards: codes.into_keys().collect() })
}

/// The procedures in the index's order, each with its facts for narrowing:
/// by field, level, postal mode and status, then by the title's first word
/// (after a leading "Thủ tục") and length, then by title. Titles that start
/// alike are neighbours, so their postings are long runs, shortest first.
fn documents(site: &Site) -> (Vec<&Procedure>, Vec<Facts>) {
    let levels = &site.config.service_levels;
    let field_index: HashMap<&str, usize> = site.fields.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).collect();
    let mut docs: Vec<(Facts, Order, &Procedure)> = site
        .procedures
        .par_iter()
        .map(|p| {
            let facts = [
                field_index[p.field.as_str()],
                levels.iter().position(|l| l.id == p.service_level).unwrap_or(0),
                Postal::ALL.iter().position(|m| *m == p.postal).unwrap_or(0),
                usize::from(p.status == Status::Abolished),
            ];
            let words: Vec<&str> = text::split_words(&p.title_key).map(text::search_word).collect();
            let core = &words[terms::lead_in(&words).min(words.len())..];
            let first = core.first().copied().unwrap_or_default();
            let order = (first, core.len(), p.title_key.as_str(), p.title.as_str());
            (facts, order, p.as_ref())
        })
        .collect();
    docs.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    docs.into_iter().map(|(facts, _, p)| (p, facts)).unzip()
}

/// The runs of documents that share their facts: `[first, field, level, postal, abolished]`.
fn runs(facts: &[Facts]) -> Vec<[usize; 5]> {
    let mut runs: Vec<[usize; 5]> = Vec::new();
    for (doc, f) in facts.iter().enumerate() {
        if doc == 0 || facts[doc - 1] != *f {
            runs.push([doc, f[0], f[1], f[2], f[3]]);
        }
    }
    runs
}

/// Title words, each with how many titles have it and how often each way of writing it is used.
type Spellings = FxHashMap<String, (usize, FxHashMap<String, usize>)>;

/// Titles whose words one task counts ([`vocabulary`]).
const VOCABULARY_CHUNK: usize = 1024;

/// Counts the words of the title and keywords of `p` into `seen`.
fn count_title_words(seen: &mut Spellings, p: &Procedure) {
    let mut in_this = terms::written_words(&p.title);
    for k in &p.keywords {
        in_this.extend(terms::written_words(k));
    }
    in_this.retain(|(word, _)| word.len() >= 2 && !word.bytes().any(|b| b.is_ascii_digit()));
    in_this.sort_unstable();
    let mut last: Option<&str> = None;
    for (word, written) in &in_this {
        if !seen.contains_key(word) {
            seen.insert(word.clone(), Default::default());
        }
        let entry = seen.get_mut(word).expect("inserted above");
        match entry.1.get_mut(written) {
            Some(count) => *count += 1,
            None => {
                entry.1.insert(written.clone(), 1);
            }
        }
        if last != Some(word) {
            entry.0 += 1;
            last = Some(word);
        }
    }
}

/// The title tier's words, in how many titles they are (most first), each
/// with its most common written form when that differs: `"dang đăng"`.
fn vocabulary(docs: &[&Procedure]) -> Vec<String> {
    let seen = docs
        .par_chunks(VOCABULARY_CHUNK)
        .map(|chunk| {
            let mut seen = Spellings::default();
            for p in chunk {
                count_title_words(&mut seen, p);
            }
            seen
        })
        .reduce(Spellings::default, |mut all, some| {
            for (word, (titles, spellings)) in some {
                let entry = all.entry(word).or_default();
                entry.0 += titles;
                for (written, count) in spellings {
                    *entry.1.entry(written).or_insert(0) += count;
                }
            }
            all
        });
    let mut words: Vec<(usize, String, String)> = seen
        .into_iter()
        .map(|(word, (titles, spellings))| {
            let written = spellings.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|s| s.0);
            (titles, word, written.unwrap_or_default())
        })
        .collect();
    words.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    words
        .into_iter()
        .map(|(_, word, written)| if written == word { word } else { format!("{word} {written}") })
        .collect()
}

/// A shard's largest size in bytes before it is split by longer prefixes.
const SHARD_LIMIT: usize = 16 * 1024;

/// A tier's shard files, each given to [`Put`] as it is made or kept: their
/// paths in the output folder, each with what it was made from, hashed, and their keys.
type Written = Result<(Vec<(String, Fingerprint)>, Vec<String>), Failure>;

/// A term and its postings, made into runs only as their shard is written
/// ([`posting_runs`]): as runs all at once, a large site's postings would be held twice.
struct Entry<'a> {
    term: &'a str,
    postings: &'a [u32],
    /// The bytes it takes in its shard, about: a shard too large is split.
    size: usize,
}

impl<'a> Entry<'a> {
    /// `term` and its postings, with their size counted once, however often their shard is split.
    fn new(term: &'a str, postings: &'a [u32]) -> Entry<'a> {
        Entry { term, postings, size: term.len() + 4 + run_count(postings) * 9 }
    }
}

/// Where a tier's shards go: each made to `put`, or kept (`keep`) when the
/// previous build made it from the same terms and postings (`known`).
#[derive(Clone, Copy)]
struct ShardsOut<'o> {
    put: &'o Put<'o>,
    keep: &'o Keep<'o>,
    /// What the previous build made each shard from, hashed, by path.
    known: &'o FxHashMap<String, Fingerprint>,
}

/// One tier's shard files, made or kept, from its terms in sorted order.
///
/// A shard holds the terms whose longest prefix among the keys is its key.
/// Keys start `min_key` characters long; a shard over [`SHARD_LIMIT`] is
/// split by one more character, so a query fetches little beside its own
/// terms even on a large site. A term's postings are runs of documents with
/// one weight, flat: `[gap from the previous run's end, length, weight, …]`.
fn write_tier(terms: &[Entry<'_>], prefix: &str, min_key: usize, out: ShardsOut<'_>) -> Written {
    let mut shards = Shards { prefix, out, keys: Vec::new(), made: Vec::new() };
    shards.write_groups(terms, min_key)?;
    Ok((shards.made, shards.keys))
}

/// The shard files of one tier as they are written, with their paths and keys.
struct Shards<'o> {
    /// `t` for the title tier, `b` for the body tier.
    prefix: &'o str,
    out: ShardsOut<'o>,
    keys: Vec<String>,
    /// Each shard's path, with what it was made from, hashed.
    made: Vec<(String, Fingerprint)>,
}

impl Shards<'_> {
    /// Writes sorted terms in groups by their first `chars` characters.
    fn write_groups(&mut self, terms: &[Entry<'_>], chars: usize) -> Result<(), Failure> {
        let mut start = 0;
        while start < terms.len() {
            let key = key_of(terms[start].term, chars);
            let end = start + terms[start..].iter().take_while(|e| e.term.starts_with(key)).count();
            self.split(key, &terms[start..end])?;
            start = end;
        }
        Ok(())
    }

    /// Writes the terms that start with `key` as one shard, or as several under
    /// longer keys when that one would be too large.
    fn split(&mut self, key: &str, terms: &[Entry<'_>]) -> Result<(), Failure> {
        let size: usize = terms.iter().map(|e| e.size).sum();
        let longer = terms.iter().filter(|e| e.term.len() > key.len()).count();
        if size <= SHARD_LIMIT || longer < 2 {
            return self.write(key, terms);
        }
        let stay = terms.iter().take_while(|e| e.term.len() <= key.len()).count();
        if stay > 0 {
            self.write(key, &terms[..stay])?;
        }
        self.write_groups(&terms[stay..], key.chars().count() + 1)
    }

    /// Writes one shard as it is, or keeps it when the previous build made
    /// it from the same terms and postings.
    fn write(&mut self, key: &str, terms: &[Entry<'_>]) -> Result<(), Failure> {
        self.keys.push(key.to_string());
        let path = format!("{FOLDER}/{}-{key}.json", self.prefix);
        let input = shard_input(&path, terms);
        if self.out.known.get(&path) != Some(&input) || !(self.out.keep)(&[&path]) {
            let shard: BTreeMap<&str, Vec<u32>> = terms.iter().map(|e| (e.term, flat(e.postings))).collect();
            (self.out.put)(&path, &json(&shard))?;
        }
        self.made.push((path, input));
        Ok(())
    }
}

/// What the shard at `path` is made from, hashed: its terms and their
/// postings, as they are, which is quicker than writing them out.
fn shard_input(path: &str, terms: &[Entry<'_>]) -> Fingerprint {
    let mut bytes = Vec::new();
    for Entry { term, postings, .. } in terms {
        bytes.extend((term.len() as u32).to_le_bytes());
        bytes.extend(term.as_bytes());
        bytes.extend((postings.len() as u32).to_le_bytes());
        bytes.extend(postings.iter().flat_map(|p| p.to_le_bytes()));
    }
    Hasher::new().text(path).bytes(&bytes).finish()
}

/// The first `chars` characters of a term.
fn key_of(term: &str, chars: usize) -> &str {
    term.char_indices().nth(chars).map_or(term, |(i, _)| &term[..i])
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("index data serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_counted_as_they_are_made() {
        let posting = |doc: u32, weight: u32| doc << gather::WEIGHT_BITS | weight;
        let cases: [&[u32]; 5] = [
            &[],
            &[posting(4, 7)],
            &[posting(0, 3), posting(1, 3), posting(2, 3), posting(3, 9), posting(4, 9), posting(6, 9)],
            &[posting(1, 31), posting(2, 0), posting(3, 31)],
            &[posting(5, 2), posting(5, 2), posting(6, 2)],
        ];
        let counts: Vec<usize> = cases.iter().map(|postings| run_count(postings)).collect();
        assert_eq!(counts, cases.iter().map(|postings| posting_runs(postings).count()).collect::<Vec<_>>());
        assert_eq!(counts, [0, 1, 3, 3, 2]);
    }
}
