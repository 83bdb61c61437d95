//! What the editor's forms ask for: the front-matter keys of each kind of
//! file, how each is entered, and its explanation, taken from the comments
//! of the file `niemyet new` writes (the scaffold), so that a key is
//! explained once, in the site's language, for both.

use std::collections::HashMap;

use crate::config::Config;
use crate::content::front_matter::Date;
use crate::scaffold;

/// How a key is entered in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Text,
    /// One line of text, offered the site's existing values as you type.
    Suggested,
    /// A web address.
    Url,
    /// A date (`2020-09-21`).
    Date,
    /// One of the site's service levels, by name.
    Level,
    /// One of the four postal modes, as radio buttons.
    Postal,
    /// One of the three statuses.
    Status,
    /// true or false, as a check box.
    Flag,
    /// A list of texts, one per line.
    Lines,
}

/// One front-matter key of a kind of file.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// The key, as front matter writes it and as the form's field is named.
    pub name: &'static str,
    /// How it is entered.
    pub input: Input,
    /// Whether the file must give it.
    pub required: bool,
}

const fn key(name: &'static str, input: Input, required: bool) -> Key {
    Key { name, input, required }
}

/// The keys of a procedure, in the order the form shows them.
pub const PROCEDURE: &[Key] = &[
    key("title", Input::Text, true),
    key("code", Input::Text, true),
    key("field", Input::Suggested, true),
    key("agency", Input::Suggested, true),
    key("service_level", Input::Level, true),
    key("postal", Input::Postal, true),
    key("tier", Input::Suggested, false),
    key("processing_time", Input::Text, false),
    key("fee", Input::Text, false),
    key("submit_at", Input::Suggested, false),
    key("online_url", Input::Url, false),
    key("decision", Input::Text, false),
    key("decision_date", Input::Date, false),
    key("status", Input::Status, false),
    key("updated", Input::Date, false),
    key("applicants", Input::Lines, false),
    key("keywords", Input::Lines, false),
    key("aliases", Input::Lines, false),
    key("slug", Input::Text, false),
    key("draft", Input::Flag, false),
];

/// The keys of a notice.
pub const NOTICE: &[Key] = &[
    key("title", Input::Text, true),
    key("date", Input::Date, true),
    key("summary", Input::Text, false),
    key("procedures", Input::Lines, false),
    key("slug", Input::Text, false),
    key("draft", Input::Flag, false),
];

/// The keys of a plain page.
pub const PAGE: &[Key] =
    &[key("title", Input::Text, true), key("slug", Input::Text, false), key("draft", Input::Flag, false)];

/// The keys of one way of filing, a `[[channels]]` table of a procedure.
pub const CHANNEL: &[&str] = &["kind", "processing_time", "fee", "note"];

/// The keys of one downloadable form, a `[[forms]]` table of a procedure.
pub const FORM: &[&str] = &["name", "file"];

/// The channel kinds, as front matter writes them.
pub const CHANNEL_KINDS: [&str; 3] = ["direct", "online", "postal"];

/// The statuses, as front matter writes them.
pub const STATUSES: [&str; 3] = ["active", "amended", "abolished"];

/// The keys of a kind of file.
pub fn keys(kind: scaffold::Kind) -> &'static [Key] {
    match kind {
        scaffold::Kind::Procedure => PROCEDURE,
        scaffold::Kind::Notice => NOTICE,
        scaffold::Kind::Page => PAGE,
    }
}

/// The explanation of each key of a kind of file, in the site's language,
/// read from the comments the scaffold writes above the key (or above the
/// commented-out example of it, as for `decision_date` and `[[channels]]`).
/// Lists of allowed values are left out (the form offers the values), and so
/// are instructions about TOML's `#` that mean nothing in a form.
pub fn explanations(kind: scaffold::Kind, config: &Config) -> HashMap<String, String> {
    let text = scaffold::render(kind, "", Date { year: 2020, month: 1, day: 1 }, config);
    let front = crate::catalogue::edit::front_matter(&text).map_or("", |range| &text[range]);
    let mut found = HashMap::new();
    let mut comments: Vec<&str> = Vec::new();
    for line in front.lines() {
        let trimmed = line.trim();
        let commented = trimmed.strip_prefix('#').map(str::trim);
        let assigned = |l: &str| {
            let (name, _) = l.split_once('=')?;
            let name = name.trim().trim_start_matches("[[").trim_end_matches("]]");
            let plain = name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            (plain && !name.is_empty() && name != "true" && name != "false").then(|| name.to_string())
        };
        let table = |l: &str| l.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")).map(str::to_string);
        let named = match commented {
            Some(c) => table(c).or_else(|| assigned(c)),
            None => table(trimmed).or_else(|| assigned(trimmed)),
        };
        match (named, commented) {
            (Some(name), _) => {
                if !comments.is_empty() {
                    found.entry(name).or_insert_with(|| explanation(&comments));
                }
                comments.clear();
            }
            (None, Some(c)) if !c.starts_with("=====") && !line.starts_with("#  ") => comments.push(c),
            (None, Some(_)) => {}
            (None, None) => comments.clear(),
        }
    }
    if kind != scaffold::Kind::Page {
        for (key, text) in explanations(scaffold::Kind::Page, config) {
            found.entry(key).or_insert(text);
        }
    }
    found
}

/// Words of the scaffold's sentences that speak of TOML's syntax (quotes,
/// `true` and `false`), which a form has no use for.
const TOML_WORDS: [&str; 5] = ["ngoặc kép", "without quotes", "false", "\"\"", "#"];

/// Comment lines as one explanation, without what only makes sense in TOML
/// (its syntax, and where in site.toml a value is declared: a form offers the choices).
fn explanation(lines: &[&str]) -> String {
    let mut text = lines.join(" ");
    if let Some(at) = text.find(": ").filter(|&at| text[at..].contains('#') || text[at..].contains("site.toml")) {
        text.truncate(at);
    }
    let text = without_ids(text.strip_prefix("true = ").unwrap_or(&text));
    let toml = |s: &str| TOML_WORDS.iter().any(|w| s.contains(w));
    let kept: Vec<String> = text
        .split_inclusive(". ")
        .filter_map(|sentence| match sentence.split_once(", ") {
            _ if !toml(sentence) => Some(sentence.to_string()),
            Some((first, _)) if !toml(first) => Some(format!("{first}. ")),
            _ => None,
        })
        .collect();
    let text = kept.concat();
    let text = text.trim().trim_end_matches(':').trim();
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// `text` without the values front matter writes before their meaning
/// (`"abolished" = đã bãi bỏ` becomes `đã bãi bỏ`): a form offers them by
/// their meaning.
fn without_ids(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\" = ") {
        let open = rest[..at].rfind('"');
        match open.filter(|&open| rest[open + 1..at].chars().all(|c| c.is_ascii_lowercase())) {
            Some(open) => out.push_str(&rest[..open]),
            None => out.push_str(&rest[..at + 4]),
        }
        rest = &rest[at + 4..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(language: &str) -> Config {
        let site = format!(
            "title = \"T\"\nbase_url = \"https://example.gov.vn\"\nlanguage = \"{language}\"\n[[service_levels]]\nid = \"4\"\nname = \"Mức độ 4\"\n"
        );
        Config::parse(site.as_bytes()).unwrap()
    }

    #[test]
    fn every_key_is_explained_as_the_scaffold_explains_it() {
        for language in ["vi", "en"] {
            let config = config(language);
            for kind in [scaffold::Kind::Procedure, scaffold::Kind::Notice, scaffold::Kind::Page] {
                let found = explanations(kind, &config);
                for key in keys(kind) {
                    let text =
                        found.get(key.name).unwrap_or_else(|| panic!("{language} {kind:?} {} {found:?}", key.name));
                    assert!(!text.is_empty() && !text.contains('#'), "{language} {}: {text}", key.name);
                }
            }
        }
        let en = explanations(scaffold::Kind::Procedure, &config("en"));
        assert_eq!(
            en["code"],
            "The procedure's code, such as \"1.000047\" or \"1.000494.000.00.00.H29\". No two procedures share one."
        );
        assert_eq!(en["decision_date"], "The date of that decision");
        assert_eq!(
            explanations(scaffold::Kind::Notice, &config("en"))["date"],
            "The publication date. The newest notice is listed first."
        );
        assert!(en["draft"].starts_with("Draft: not published yet"), "{}", en["draft"]);
        assert_eq!(en["postal"], "Whether the public postal service (dịch vụ bưu chính công ích) can be used");
        assert!(en.contains_key("channels"));
        let vi = explanations(scaffold::Kind::Procedure, &config("vi"));
        assert_eq!(en["service_level"], "The online public service level");
        assert_eq!(vi["service_level"], "Mức độ dịch vụ công trực tuyến");
        assert_eq!(
            vi["status"],
            "Tình trạng: đang có hiệu lực, đã sửa đổi, bổ sung, đã bãi bỏ (trang vẫn giữ để tra cứu, nhưng không vào danh sách và thống kê)."
        );
    }
}
