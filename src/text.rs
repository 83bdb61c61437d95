//! Vietnamese text: the one place that decides what "the same word" means.
//!
//! Slugs, sorting and search all go through [`fold`], so "Đăng ký",
//! "đăng ký" typed in NFD and "dang ky" meet. Search goes one step further
//! with [`search_word`]: the two standard spellings of one syllable (`kí`/`ký`,
//! `qui`/`quy`) are one search word.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Returns `text` in Unicode NFC, the form every string in the model is kept in.
pub fn nfc(text: &str) -> String {
    into_nfc(text.to_string())
}

/// Folds text for comparison: lower case, accents removed, `đ`/`Đ` → `d`.
///
/// NFC, NFD and mixed input fold to the same string, and so do the old and
/// new tone placements (`hòa` / `hoà`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(folded) = FOLDED.get_or_init(folded_table).get(c as usize - 0x80) {
            out.push_str(folded);
        } else {
            fold_char(c, &mut out);
        }
    }
    into_nfc(out)
}

/// `text` in Unicode NFC, kept as it is when it already is.
fn into_nfc(text: String) -> String {
    if plainly_nfc(&text)
        || unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        text
    } else {
        text.nfc().collect()
    }
}

/// Whether `text` is plainly NFC: every character is in a block of characters
/// that are all NFC and never combine with the one before (up to U+02FF,
/// Latin Extended Additional, and General Punctuation from U+2002 to U+206F),
/// as in nearly every Vietnamese text. A quick pass over the UTF-8 bytes,
/// each with the two after it, in blocks the compiler can read many bytes
/// at a time, where the full check decodes and looks up every character.
fn plainly_nfc(text: &str) -> bool {
    const BLOCK: usize = 256;
    let bytes = text.as_bytes();
    let Some(last_lead) = bytes.len().checked_sub(2) else {
        return bytes.iter().all(|&b| b < 0xCC);
    };
    let (firsts, seconds, thirds) = (&bytes[..last_lead], &bytes[1..last_lead + 1], &bytes[2..]);
    let plain_from = |start: usize| {
        let end = (start + BLOCK).min(last_lead);
        let triples = firsts[start..end].iter().zip(&seconds[start..end]).zip(&thirds[start..end]);
        !triples.fold(false, |found, ((&first, &second), &third)| found | leads_other(first, second, third))
    };
    // The last two bytes cannot lead a three-byte character.
    (0..last_lead).step_by(BLOCK).all(plain_from) && bytes[last_lead..].iter().all(|&b| b < 0xCC)
}

/// Whether the byte `first`, with the two bytes after it, leads a character
/// past U+02FF that is not in U+1E00–U+1EFF (0xE1 0xB8–0xBB …) or
/// U+2002–U+206F (0xE2 0x80 0x82–0xBF or 0xE2 0x81 0x80–0xAF). Bytes below
/// 0xCC are ASCII, continuation bytes, or lead a character up to U+02FF.
fn leads_other(first: u8, second: u8, third: u8) -> bool {
    let latin_extended_additional = (first == 0xE1) & (0xB8..=0xBB).contains(&second);
    let punctuation = (first == 0xE2) & (((second == 0x80) & (third >= 0x82)) | ((second == 0x81) & (third <= 0xAF)));
    (first >= 0xCC) & !latin_extended_additional & !punctuation
}

/// The folded form of each character from U+0080 to U+1FFF (Latin, with
/// every Vietnamese letter), made once: most of what [`fold`] meets.
static FOLDED: std::sync::OnceLock<Vec<Box<str>>> = std::sync::OnceLock::new();

fn folded_table() -> Vec<Box<str>> {
    (0x80..0x2000)
        .map(|code| {
            let mut out = String::new();
            if let Some(c) = char::from_u32(code) {
                fold_char(c, &mut out);
            }
            out.into_boxed_str()
        })
        .collect()
}

/// Adds one non-ASCII character, folded, to `out`.
fn fold_char(c: char, out: &mut String) {
    if c == 'đ' || c == 'Đ' {
        out.push('d');
    } else {
        unicode_normalization::char::decompose_canonical(c, |part| {
            if !is_combining_mark(part) {
                out.extend(part.to_lowercase());
            }
        });
    }
}

/// Splits text into search words: folded, cut at every character that is
/// not an ASCII letter or digit, each word in its [`search_word`] form.
/// `"Đăng ký (lần đầu)"` → `["dang", "ki", "lan", "dau"]`.
pub fn words(text: &str) -> Vec<String> {
    split_words(&fold(text)).map(|word| search_word(word).to_string()).collect()
}

/// Each syllable of a consonant and a final `i`, folded (`đ` is `d`), for [`search_word`].
const WITH_I: [&str; 25] = [
    "bi", "ci", "chi", "di", "gi", "ghi", "hi", "ki", "khi", "li", "mi", "ni", "ngi", "nghi", "nhi", "pi", "phi",
    "qui", "ri", "si", "ti", "thi", "tri", "vi", "xi",
];

/// The search form of one folded word: where a syllable is a consonant and a
/// lone final `y` or `i`, both standard spellings (`ký`/`kí`, `lý`/`lí`,
/// `mỹ`/`mĩ`, `quy`/`qui`) become the `i` one. A `y` that is a vowel of its
/// own or part of a vowel group stays: `y`, `yen`, `tuy`, `thuy`, `ay`, `quyet`.
pub fn search_word(word: &str) -> &str {
    let Some(onset) = word.strip_suffix('y') else {
        return word;
    };
    WITH_I.iter().find(|syllable| syllable.strip_suffix('i') == Some(onset)).map_or(word, |syllable| syllable)
}

/// Splits text that is already folded into search words, without copying them.
pub fn split_words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty())
}

/// A procedure code as search compares it: lower case, letters and digits only.
/// `"1.000494.000.00.00.H29"` → `"10004940000000h29"`.
pub fn code_token(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Makes a URL-safe slug: folded, ASCII letters and digits joined by single hyphens.
///
/// `"Đăng ký công bố"` → `"dang-ky-cong-bo"`. Returns an empty string when the
/// text holds no letter or digit.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in fold(text).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The longest slug [`short_slug`] returns, in bytes: far below any file system's limit.
pub const MAX_SLUG_LEN: usize = 80;

/// Makes a slug that is never longer than [`MAX_SLUG_LEN`] bytes and never empty.
///
/// A longer slug is cut at a hyphen and ends with a short hash of the whole
/// text, so two long names that start alike still get different slugs.
pub fn short_slug(text: &str) -> String {
    let full = slug(text);
    if full.is_empty() {
        return format!("x-{}", short_hash(text));
    }
    if full.len() <= MAX_SLUG_LEN {
        return full;
    }
    let hash = short_hash(text);
    let room = MAX_SLUG_LEN - hash.len() - 1;
    let cut = full[..room].rfind('-').unwrap_or(room);
    format!("{}-{}", &full[..cut], hash)
}

/// A stable 8-hex-digit hash of `text`, the same on every machine and run.
pub fn short_hash(text: &str) -> String {
    let hash = fnv1a(text.as_bytes());
    format!("{:08x}", (hash >> 32) as u32 ^ hash as u32)
}

/// The 64-bit FNV-1a hash of `bytes`: stable across machines, runs and versions.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash: u64, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// A key that sorts Vietnamese names in a natural order: by folded text, then exactly.
pub fn sort_key(text: &str) -> (String, String) {
    (fold(text), text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_characters_read_as_plainly_nfc_are_nfc_and_never_combine() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        let ranges = [0x00..0x300, 0x1e00..0x1f00, 0x2002..0x2070];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let plain = plainly_nfc(c.encode_utf8(&mut [0; 4]));
            assert_eq!(plain, ranges.iter().any(|r| r.contains(&(c as u32))), "U+{:04X}", c as u32);
            if plain {
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "U+{:04X}", c as u32);
                assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            }
        }
        assert!(plainly_nfc("Đăng ký “hộ kinh doanh” – lần đầu…"));
        assert!(!plainly_nfc(&"Đăng ký".nfd().collect::<String>()));
        let text: Vec<char> = "Thủ tục đăng ký “hộ kinh doanh” – lần đầu… cấp xã, phường".chars().collect();
        for other in ['\u{300}', '\u{2000}', '\u{2070}', '\u{1dff}', '\u{1f00}', 'ｈ', '가', '😀'] {
            for at in 0..=text.len() {
                let mut chars = text.clone();
                chars.insert(at, other);
                let with_other: String = chars.into_iter().collect();
                assert!(!plainly_nfc(&with_other), "U+{:04X} at {at}", other as u32);
            }
            for at in 0..600 {
                let with_other = format!("{}{other}{}", "a".repeat(at), "ệ".repeat(30));
                assert!(!plainly_nfc(&with_other), "U+{:04X} at byte {at}", other as u32);
            }
        }
    }

    #[test]
    fn folding_meets_across_forms_and_tone_placement() {
        let nfd: String = "Đăng ký hợp quy".nfd().collect();
        assert_eq!(fold(&nfd), "dang ky hop quy");
        assert_eq!(fold("Đăng ký hợp quy"), "dang ky hop quy");
        assert_eq!(fold("hòa"), fold("hoà"));
        assert_eq!(fold("thủy"), fold("thuỷ"));
    }

    #[test]
    fn i_and_y_spellings_of_one_syllable_meet() {
        for (a, b) in [("ký", "kí"), ("lý lịch", "lí lịch"), ("kỹ thuật", "kĩ thuật"), ("Hoa Kỳ", "Hoa Kì")]
        {
            assert_eq!(words(a), words(b));
        }
        assert_eq!(words("quy hoạch"), words("qui hoạch"));
        assert_eq!(words("Mỹ hy sinh tỷ lệ"), ["mi", "hi", "sinh", "ti", "le"]);
        for kept in ["y tế", "ý kiến", "yên", "tuy", "thủy", "thuỷ", "ay", "máy", "quyết", "khuyến", "huy", "uy"]
        {
            assert_eq!(words(kept), split_words(&fold(kept)).collect::<Vec<_>>(), "{kept}");
        }
    }

    #[test]
    fn words_and_codes_are_folded_tokens() {
        assert_eq!(words("Đăng ký (lần đầu), 2 bản"), ["dang", "ki", "lan", "dau", "2", "ban"]);
        assert_eq!(code_token("1.000494.000.00.00.H29"), "10004940000000h29");
    }

    #[test]
    fn slugs_are_ascii_and_hyphenated() {
        assert_eq!(slug("Đăng ký  công bố / hợp chuẩn!"), "dang-ky-cong-bo-hop-chuan");
        assert_eq!(slug("--"), "");
        assert_eq!(slug("Mức độ 4"), "muc-do-4");
    }

    #[test]
    fn long_slugs_are_cut_and_stay_distinct() {
        let a = format!("{} một", "Tiêu chuẩn đo lường chất lượng ".repeat(15));
        let b = format!("{} hai", "Tiêu chuẩn đo lường chất lượng ".repeat(15));
        let (sa, sb) = (short_slug(&a), short_slug(&b));
        assert!(sa.len() <= MAX_SLUG_LEN && sb.len() <= MAX_SLUG_LEN);
        assert_ne!(sa, sb);
        assert!(!short_slug("***").is_empty());
    }
}
