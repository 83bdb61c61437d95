//! What one procedure gives the index: the terms of its title tier and of its
//! body tier, with their weights.
//!
//! Title tier: the words of the title, weighted by the title's length (short
//! titles first among those that hold a query), plus [`STARTS_TITLE`] for
//! the unit the title starts with (a leading "Thủ tục" does not count), so a
//! query can tell the titles that start with it; keywords (5), field (2) and
//! agency (2), the highest where a word is in several; pairs of neighbouring
//! title units as `a_b` (4); the synonym groups found in all of these as `~<id>`.
//! Body tier: the words and synonym groups of the body as readers see it,
//! weight = times it appears, at most 3.
//!
//! Every weight is under 32 (at most 10 + [`STARTS_TITLE`]): the index packs
//! a term's number and weight into 32 bits.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;
use unicode_normalization::char::is_combining_mark;

use super::synonyms::Synonyms;
use crate::content::procedure::Procedure;
use crate::{markdown, text};

const KEYWORD_WEIGHT: u32 = 5;
const FIELD_WEIGHT: u32 = 2;
const AGENCY_WEIGHT: u32 = 2;
const BIGRAM_WEIGHT: u32 = 4;
const BODY_MAX_WEIGHT: u32 = 3;

/// Added to the weight of the unit a title starts with.
pub const STARTS_TITLE: u32 = 16;

/// The weight of a title word: 10 in a title of up to 4 words, one less for
/// every 4 words more, down to 6 (a leading "Thủ tục" not counted).
fn title_weight(len: usize) -> u32 {
    10 - (len.saturating_sub(1) / 4).min(4) as u32
}

/// The number of leading title words that are not the title's start: "Thủ
/// tục" in "Thủ tục đăng ký khai sinh".
pub fn lead_in<W: AsRef<str>>(words: &[W]) -> usize {
    if words.len() > 2 && words[0].as_ref() == "thu" && words[1].as_ref() == "tuc" {
        2
    } else {
        0
    }
}

/// The title tier's terms of one procedure, with their weights.
pub fn title_terms(p: &Procedure, synonyms: &Synonyms) -> BTreeMap<String, u32> {
    let mut terms = BTreeMap::new();
    let title = text::words(&p.title);
    let start = lead_in(&title);
    let keywords: Vec<Vec<String>> = p.keywords.iter().map(|k| text::words(k)).collect();
    let mut sources: Vec<(&[String], u32)> = vec![(&title, title_weight(title.len() - start))];
    sources.extend(keywords.iter().map(|k| (k.as_slice(), KEYWORD_WEIGHT)));
    let (field, agency) = (text::words(&p.field), text::words(&p.agency));
    sources.extend([(field.as_slice(), FIELD_WEIGHT), (agency.as_slice(), AGENCY_WEIGHT)]);
    for (words, weight) in sources {
        let groups = synonyms.find(words).into_iter().map(|f| synonyms.term(f.group).to_string());
        for term in words.iter().cloned().chain(groups).collect::<BTreeSet<_>>() {
            let best = terms.entry(term).or_insert(0);
            *best = weight.max(*best);
        }
    }
    let units = units(&title, synonyms);
    for (a, b) in units.iter().flat_map(|a| units.iter().filter(move |b| b.start == a.end).map(move |b| (a, b))) {
        terms.insert(format!("{}_{}", a.term, b.term), BIGRAM_WEIGHT);
    }
    for unit in units.iter().filter(|u| u.start == start) {
        if let Some(weight) = terms.get_mut(&unit.term) {
            *weight += STARTS_TITLE;
        }
    }
    terms
}

/// The body tier's terms of one procedure, from its Markdown body, each
/// handed to `add` once with its weight.
pub fn body_terms(body: &str, synonyms: &Synonyms, mut add: impl FnMut(&str, u32)) {
    let folded = text::fold(&markdown::plain_text(body));
    let words: Vec<&str> = text::split_words(&folded).map(text::search_word).collect();
    let groups: Vec<&str> = synonyms.find(&words).into_iter().map(|f| synonyms.term(f.group)).collect();
    let mut counts: FxHashMap<&str, u32> = FxHashMap::with_capacity_and_hasher(words.len() / 2, Default::default());
    for term in words.iter().chain(&groups) {
        let weight = counts.entry(term).or_insert(0);
        *weight = (*weight + 1).min(BODY_MAX_WEIGHT);
    }
    for (term, weight) in counts {
        add(term, weight);
    }
}

/// A word of a title, or a synonym group standing for some of its words.
struct Unit {
    start: usize,
    end: usize,
    term: String,
}

/// The units of a title: each word, and each synonym group found in it.
fn units(words: &[String], synonyms: &Synonyms) -> Vec<Unit> {
    let single = words.iter().enumerate().map(|(i, w)| Unit { start: i, end: i + 1, term: w.clone() });
    let groups = synonyms.find(words).into_iter().map(|f| Unit {
        start: f.start,
        end: f.end,
        term: synonyms.term(f.group).into(),
    });
    single.chain(groups).collect()
}

/// The words of a text in their search form, each with the way it is written
/// (lower case, with its marks): `"Đăng Ký"` → `[("dang", "đăng"), ("ki", "ký")]`.
pub fn written_words(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut folded, mut written) = (String::new(), String::new());
    let mut flush = |folded: &mut String, written: &mut String| {
        if !folded.is_empty() {
            out.push((text::search_word(folded).to_string(), written.to_lowercase()));
        }
        folded.clear();
        written.clear();
    };
    for c in text::nfc(text).chars() {
        if c.is_ascii() {
            // An ASCII character folds to itself in lower case: no need to fold it as text.
            if c.is_ascii_alphanumeric() {
                folded.push(c.to_ascii_lowercase());
                written.push(c);
            } else {
                flush(&mut folded, &mut written);
            }
            continue;
        }
        let f = text::fold(c.encode_utf8(&mut [0; 4]));
        if f.is_empty() && is_combining_mark(c) {
            continue;
        }
        if !f.is_empty() && f.chars().all(|x| x.is_ascii_alphanumeric()) {
            folded.push_str(&f);
            written.push(c);
        } else {
            flush(&mut folded, &mut written);
        }
    }
    flush(&mut folded, &mut written);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_words_pair_search_words_with_their_spelling() {
        let pairs = written_words("Đăng Ký (lần đầu), Mỹ");
        let expected = [("dang", "đăng"), ("ki", "ký"), ("lan", "lần"), ("dau", "đầu"), ("mi", "mỹ")];
        assert_eq!(pairs, expected.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn longer_titles_weigh_less() {
        assert_eq!(title_weight(4), 10);
        assert_eq!(title_weight(5), 9);
        assert_eq!(title_weight(40), 6);
    }
}
