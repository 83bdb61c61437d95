//! Gathering the terms of every document, in parallel, into one list of
//! numbered words: each document's title and body terms become numbers, and
//! the numbers of all documents, in order, become the postings of the two
//! tiers. What a build gathered is kept for the next ([`Terms`]), which
//! then reads again only the files that changed.

use std::io::Write;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::synonyms::Synonyms;
use super::{terms, write_tier, Entry, ShardsOut, Written};
use crate::cache::{Fingerprint, Memo};
use crate::content::procedure::Procedure;
use crate::diagnostics::{Diagnostic, Failure};

/// Documents whose terms one task gathers: each distinct word of a batch
/// is copied once, not once per document.
const BATCH: usize = 256;

/// Batches gathered in parallel before their words join the whole index's:
/// enough to keep every core busy, few enough that the batches' own words
/// stay small on a large site.
const WAVE: usize = 16;

/// The low bits of a packed term, which hold its weight: a term is
/// `number << WEIGHT_BITS | weight`. Weights stay under 32 ([`terms`]).
pub(super) const WEIGHT_BITS: u32 = 5;

/// What the index found in each procedure file: the terms of its title tier
/// and of its body tier, with their weights, by the file's fingerprint. A
/// build leaves it for the next ([`crate::cache::Rebuild::remember`]), which
/// reads again only the files that changed.
#[derive(Default, Serialize, Deserialize)]
pub struct Terms {
    /// Every term, once, sorted.
    words: Vec<String>,
    /// Each file's terms, numbered in `words`.
    files: Vec<(Fingerprint, FileTerms)>,
    /// Each shard file of the two tiers, by its path in the output folder,
    /// with what it was made from, hashed: the next build keeps a shard
    /// made from the same terms and postings.
    shards: Vec<(String, Fingerprint)>,
    /// The files made from front matter alone, as they were made.
    front: Option<Front>,
}

/// The index files made from the documents' front matter alone — the codes,
/// the documents and the title vocabulary — with what they were made from:
/// the next build keeps them while that is the same.
#[derive(Serialize, Deserialize)]
pub(super) struct Front {
    /// What they were made from, hashed.
    pub(super) input: Fingerprint,
    /// Their paths in the output folder.
    pub(super) paths: Vec<String>,
    /// The keys of the code shards, for `meta.json`.
    pub(super) code_shards: Vec<String>,
}

impl Terms {
    /// The terms a previous build left (as a [`Memo`]); `None` when the
    /// memo cannot be read or numbers a word it does not have.
    pub fn from_memo(memo: &[u8]) -> Option<Terms> {
        let terms: Terms = postcard::from_bytes(memo).ok()?;
        let known = |&t: &u32| unpacked(t).0 < terms.words.len();
        terms.files.iter().all(|(_, file)| file.title.iter().chain(&file.body).all(known)).then_some(terms)
    }

    /// Takes out what each shard was made from, by path, leaving none.
    pub(super) fn take_shards(&mut self) -> Vec<(String, Fingerprint)> {
        std::mem::take(&mut self.shards)
    }

    /// Takes out the files made from front matter alone, leaving none.
    pub(super) fn take_front(&mut self) -> Option<Front> {
        self.front.take()
    }
}

/// The terms, left for the next build, written as postcard.
impl Memo for Terms {
    fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        postcard::to_io(self, out).map(drop).map_err(std::io::Error::other)
    }
}

/// One document's terms, each packed with its weight ([`WEIGHT_BITS`]).
#[derive(Default, Serialize, Deserialize)]
struct FileTerms {
    #[serde(with = "fixed_width")]
    title: Vec<u32>,
    #[serde(with = "fixed_width")]
    body: Vec<u32>,
}

/// A document's packed terms in the memo: one run of bytes, made and read
/// at once (written a number at a time, they took a twentieth of a
/// rebuild's CPU at 10,000 procedures). The run starts with the width of
/// every term in it, the fewest bytes that hold the largest, then holds each
/// term in that many little-endian bytes; no terms is no bytes.
mod fixed_width {
    use serde::de::{Error, Visitor};
    use serde::{Deserializer, Serializer};

    /// Writes `terms` as one run of bytes.
    pub fn serialize<S: Serializer>(terms: &[u32], serializer: S) -> Result<S::Ok, S::Error> {
        let Some(&largest) = terms.iter().max() else {
            return serializer.serialize_bytes(&[]);
        };
        let width = largest.max(1).ilog2() / 8 + 1;
        let mut bytes = vec![0; 1 + terms.len() * width as usize];
        bytes[0] = width as u8;
        match width {
            1 => put::<1>(terms, &mut bytes[1..]),
            2 => put::<2>(terms, &mut bytes[1..]),
            3 => put::<3>(terms, &mut bytes[1..]),
            _ => put::<4>(terms, &mut bytes[1..]),
        }
        serializer.serialize_bytes(&bytes)
    }

    /// Puts each of `terms` into `WIDTH` bytes of `bytes`.
    fn put<const WIDTH: usize>(terms: &[u32], bytes: &mut [u8]) {
        for (term, bytes) in terms.iter().zip(bytes.chunks_exact_mut(WIDTH)) {
            bytes.copy_from_slice(&term.to_le_bytes()[..WIDTH]);
        }
    }

    /// Each term of `WIDTH` bytes in `bytes`.
    fn taken<const WIDTH: usize>(bytes: &[u8]) -> Vec<u32> {
        let term = |bytes: &[u8]| {
            let mut four = [0; 4];
            four[..WIDTH].copy_from_slice(bytes);
            u32::from_le_bytes(four)
        };
        bytes.chunks_exact(WIDTH).map(term).collect()
    }

    /// Reads the terms [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u32>, D::Error> {
        deserializer.deserialize_bytes(Terms)
    }

    /// Takes packed terms back from their bytes.
    struct Terms;

    impl Visitor<'_> for Terms {
        type Value = Vec<u32>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("packed terms: their width in bytes, then each term")
        }

        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<u32>, E> {
            let Some((&width, terms)) = bytes.split_first() else {
                return Ok(Vec::new());
            };
            match width {
                1 => Ok(taken::<1>(terms)),
                2 if terms.len() % 2 == 0 => Ok(taken::<2>(terms)),
                3 if terms.len() % 3 == 0 => Ok(taken::<3>(terms)),
                4 if terms.len() % 4 == 0 => Ok(taken::<4>(terms)),
                _ => Err(E::invalid_length(bytes.len(), &self)),
            }
        }
    }
}

/// The terms of `docs`, in order: those of the files in `known` as they
/// are, the others read from the files. Fails with every body that changed
/// since the site was loaded.
pub(super) fn gather(docs: &[&Procedure], synonyms: &Synonyms, known: Terms) -> Result<Gathered, Failure> {
    let Terms { words, mut files, .. } = known;
    let by_file: FxHashMap<Fingerprint, usize> = files.iter().enumerate().map(|(i, (file, _))| (*file, i)).collect();
    let mut gathered = Gathered::numbering(words);
    let mut errors = Vec::new();
    for wave in docs.chunks(BATCH * WAVE) {
        let batches: Vec<Batch> =
            wave.par_chunks(BATCH).map(|procedures| Batch::gather(procedures, synonyms, &by_file)).collect();
        for batch in batches {
            errors.extend(batch.errors);
            gathered.add(batch.words, batch.docs, &mut files);
        }
    }
    if !errors.is_empty() {
        return Err(Failure::content(errors));
    }
    gathered.settle();
    Ok(gathered)
}

/// What one task gathers from consecutive documents.
struct Batch {
    /// The words of the files read, numbered as met.
    words: FxHashMap<String, u32>,
    /// Each document's terms.
    docs: Vec<Found>,
    /// The bodies that changed since loading.
    errors: Vec<Diagnostic>,
}

/// A document's terms, as a batch found them.
enum Found {
    /// As a previous build found them: the index of its file among those
    /// the previous build knew, numbered in its words.
    Known(usize),
    /// Read now, numbered in the batch's words.
    Read(FileTerms),
}

impl Batch {
    /// The terms of `procedures`: of those in `known` (a file's index among
    /// the files a previous build knew) as they are, of the others from their
    /// front matter and their bodies.
    fn gather(procedures: &[&Procedure], synonyms: &Synonyms, known: &FxHashMap<Fingerprint, usize>) -> Batch {
        let mut batch = Batch { words: FxHashMap::default(), docs: Vec::new(), errors: Vec::new() };
        for p in procedures {
            if let Some(&file) = known.get(&p.fingerprint) {
                batch.docs.push(Found::Known(file));
                continue;
            }
            let words = &mut batch.words;
            let title =
                terms::title_terms(p, synonyms).iter().map(|(term, &weight)| packed(words, term, weight)).collect();
            let mut body = Vec::new();
            match p.markdown() {
                Ok(markdown) => {
                    terms::body_terms(&markdown, synonyms, |term, weight| body.push(packed(words, term, weight)))
                }
                Err(error) => batch.errors.extend(error),
            }
            batch.docs.push(Found::Read(FileTerms { title, body }));
        }
        batch
    }
}

/// `term` with `weight`, packed, numbered among `words`.
fn packed(words: &mut FxHashMap<String, u32>, term: &str, weight: u32) -> u32 {
    assert!(weight < 1 << WEIGHT_BITS, "a term's weight fits its bits");
    let next = words.len() as u32;
    let number = match words.get(term) {
        Some(&number) => number,
        None => *words.entry(term.to_string()).or_insert(next),
    };
    number << WEIGHT_BITS | weight
}

/// A packed term's number and weight; a packed posting's document and weight.
pub(super) fn unpacked(term: u32) -> (usize, u32) {
    ((term >> WEIGHT_BITS) as usize, term & ((1 << WEIGHT_BITS) - 1))
}

/// The terms of the documents gathered so far, in order, numbered in one list of words.
pub(super) struct Gathered {
    words: Vec<String>,
    numbers: FxHashMap<String, u32>,
    docs: Vec<FileTerms>,
}

impl Gathered {
    /// No documents yet, the words numbered as in `known`.
    fn numbering(known: Vec<String>) -> Gathered {
        let numbers = known.iter().enumerate().map(|(i, word)| (word.clone(), i as u32)).collect();
        Gathered { words: known, numbers, docs: Vec::new() }
    }

    /// Adds the next documents' terms, those read numbered in `words`, those
    /// known taken from `known`.
    fn add(&mut self, words: FxHashMap<String, u32>, docs: Vec<Found>, known: &mut [(Fingerprint, FileTerms)]) {
        let mut number_of = vec![0; words.len()];
        for (word, local) in words {
            number_of[local as usize] = match self.numbers.get(&word) {
                Some(&number) => number,
                None => {
                    let number = self.words.len() as u32;
                    self.words.push(word.clone());
                    self.numbers.insert(word, number);
                    number
                }
            };
        }
        let renumbered = |terms: &[u32]| -> Vec<u32> {
            terms.iter().map(|&t| unpacked(t)).map(|(local, weight)| number_of[local] << WEIGHT_BITS | weight).collect()
        };
        for doc in docs {
            self.docs.push(match doc {
                Found::Known(file) => std::mem::take(&mut known[file].1),
                Found::Read(terms) => FileTerms { title: renumbered(&terms.title), body: renumbered(&terms.body) },
            });
        }
    }

    /// Numbers the words in sorted order, leaving out those no document has
    /// (the words of files since edited or removed).
    fn settle(&mut self) {
        let mut used = vec![false; self.words.len()];
        for doc in &self.docs {
            for &t in doc.title.iter().chain(&doc.body) {
                used[unpacked(t).0] = true;
            }
        }
        let mut order: Vec<usize> = (0..self.words.len()).filter(|&n| used[n]).collect();
        order.sort_unstable_by(|&a, &b| self.words[a].cmp(&self.words[b]));
        let mut rank = vec![0; self.words.len()];
        for (r, &n) in order.iter().enumerate() {
            rank[n] = r as u32;
        }
        for doc in &mut self.docs {
            for t in doc.title.iter_mut().chain(&mut doc.body) {
                let (number, weight) = unpacked(*t);
                *t = rank[number] << WEIGHT_BITS | weight;
            }
        }
        let mut words = std::mem::take(&mut self.words);
        self.words = order.iter().map(|&n| std::mem::take(&mut words[n])).collect();
        self.numbers = FxHashMap::default();
    }

    /// The shard files of the title tier (`t-KEY`, keys of 2 characters and
    /// more) and of the body tier (`b-KEY`, 3 and more), made or kept into `out`.
    pub(super) fn write_tiers(&self, out: ShardsOut<'_>) -> (Written, Written) {
        rayon::join(|| self.write_tier(|doc| &doc.title, "t", 2, out), || self.write_tier(|doc| &doc.body, "b", 3, out))
    }

    /// One tier's shard files, its postings made from each document's terms
    /// that `terms` picks: all in one list, word after word, each word's
    /// documents in order and packed with the weight ([`unpacked`]).
    fn write_tier(
        &self,
        terms: impl Fn(&FileTerms) -> &[u32],
        prefix: &str,
        min_key: usize,
        out: ShardsOut<'_>,
    ) -> Written {
        let mut starts = vec![0; self.words.len() + 1];
        for &t in self.docs.iter().flat_map(&terms) {
            starts[unpacked(t).0 + 1] += 1;
        }
        for n in 1..starts.len() {
            starts[n] += starts[n - 1];
        }
        let mut postings = vec![0; starts[self.words.len()]];
        let mut next = starts.clone();
        for (doc, file) in self.docs.iter().enumerate() {
            for &t in terms(file) {
                let (number, weight) = unpacked(t);
                postings[next[number]] = (doc as u32) << WEIGHT_BITS | weight;
                next[number] += 1;
            }
        }
        let entries: Vec<Entry<'_>> = (0..self.words.len())
            .filter(|&n| starts[n] < starts[n + 1])
            .map(|n| Entry::new(self.words[n].as_str(), &postings[starts[n]..starts[n + 1]]))
            .collect();
        write_tier(&entries, prefix, min_key, out)
    }

    /// What was gathered, as the terms of the files of `docs`, with what
    /// each shard was made from (`shards`) and the files made from front matter alone.
    pub(super) fn into_terms(self, docs: &[&Procedure], shards: Vec<(String, Fingerprint)>, front: Front) -> Terms {
        let files = docs.iter().map(|p| p.fingerprint).zip(self.docs).collect();
        Terms { words: self.words, files, shards, front: Some(front) }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::config::Config;

    fn procedure(root: &Path, body: &str) -> Procedure {
        let text = format!("+++\ntitle = \"Đăng ký khai sinh\"\ncode = \"1.000047\"\nfield = \"Hộ tịch\"\nagency = \"UBND xã\"\nservice_level = 4\npostal = true\n+++\n{body}");
        let config = Config::parse(
            b"title = \"T\"\nbase_url = \"https://example.gov.vn\"\n[[service_levels]]\nid = \"4\"\nname = \"Level 4\"\n",
        )
        .expect("valid settings");
        let rel = "content/procedures/a.md";
        std::fs::create_dir_all(root.join("content/procedures")).unwrap();
        std::fs::write(root.join(rel), &text).unwrap();
        let mut p = crate::content::procedure::parse(rel.to_string(), text.as_bytes(), &config).expect("valid");
        p.leave_body_in(&Arc::from(root));
        p
    }

    fn front() -> Front {
        Front { input: 0, paths: Vec::new(), code_shards: Vec::new() }
    }

    fn memo(terms: &Terms) -> Vec<u8> {
        let mut bytes = Vec::new();
        terms.write(&mut bytes).expect("writing to memory");
        bytes
    }

    fn words(terms: &Terms) -> Vec<&str> {
        terms.words.iter().map(String::as_str).collect()
    }

    #[test]
    fn a_known_file_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let p = procedure(dir.path(), "Nộp tờ khai tại xã.\n");
        let synonyms = Synonyms::new(&[]);
        let read = gather(&[&p], &synonyms, Terms::default()).expect("readable").into_terms(&[&p], Vec::new(), front());
        std::fs::remove_file(dir.path().join(&p.path)).unwrap();
        assert!(gather(&[&p], &synonyms, Terms::default()).is_err(), "a body read again is checked");
        let known = Terms::from_memo(&memo(&read)).expect("a memo reads back");
        let again = gather(&[&p], &synonyms, known).expect("not read").into_terms(&[&p], Vec::new(), front());
        assert_eq!(memo(&again), memo(&read));
        assert!(words(&read).contains(&"khai") && words(&read).contains(&"to"), "{:?}", words(&read));
    }

    #[test]
    fn a_memo_that_numbers_a_word_it_does_not_have_is_not_read() {
        let file = FileTerms { title: vec![1 << WEIGHT_BITS | 10], body: Vec::new() };
        let terms = Terms { words: vec!["khai".into()], files: vec![(7, file)], shards: Vec::new(), front: None };
        assert!(Terms::from_memo(&memo(&terms)).is_none());
        assert!(Terms::from_memo(b"not a memo").is_none());
    }

    #[test]
    fn a_memo_whose_terms_are_cut_inside_a_term_is_not_read() {
        let terms = vec![3 << WEIGHT_BITS | 10, 9 << WEIGHT_BITS | 31, 0];
        let file = FileTerms { title: terms.clone(), body: Vec::new() };
        let words = (0..10).map(|n| n.to_string()).collect();
        let known = Terms { words, files: vec![(7, file)], ..Terms::default() };
        let whole = memo(&known);
        assert!(Terms::from_memo(&whole).is_some_and(|back| back.files[0].1.title == terms));
        // The title's run: its length (7), the width (2: 9 << 5 | 31 is 319), then each term in 2 bytes.
        let run = [7, 2, 106, 0, 63, 1, 0, 0];
        let at = whole.windows(run.len()).position(|w| w == run).expect("the title's run");
        let mut cut = whole.clone();
        cut.splice(at..at + run.len(), [6, 2, 106, 0, 63, 1, 0]);
        assert!(Terms::from_memo(&cut).is_none(), "a run cut inside a term");
        let mut wide = whole.clone();
        wide.splice(at..at + run.len(), [6, 5, 106, 0, 0, 0, 0]);
        assert!(Terms::from_memo(&wide).is_none(), "terms wider than four bytes");
    }

    #[test]
    fn the_words_of_an_edited_file_are_renumbered_and_the_gone_ones_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let synonyms = Synonyms::new(&[]);
        let before = procedure(dir.path(), "Nộp bản chính.\n");
        let known =
            gather(&[&before], &synonyms, Terms::default()).unwrap().into_terms(&[&before], Vec::new(), front());
        let after = procedure(dir.path(), "Nộp bản sao.\n");
        let terms = gather(&[&after], &synonyms, known).unwrap().into_terms(&[&after], Vec::new(), front());
        let fresh = gather(&[&after], &synonyms, Terms::default()).unwrap().into_terms(&[&after], Vec::new(), front());
        assert_eq!(memo(&terms), memo(&fresh), "the same as gathered without a memo");
        assert!(words(&terms).contains(&"sao") && !words(&terms).contains(&"chinh"), "{:?}", words(&terms));
        assert!(words(&terms).is_sorted());
    }
}
