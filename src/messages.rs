//! What the tool says to people: every diagnostic, hint and command message,
//! as a key into one catalogue per language (`src/messages/vi.toml` and
//! `src/messages/en.toml`) with the values of its `{placeholders}`.
//!
//! Messages are values until printed, so the same run can be shown in
//! Vietnamese or English:
//!
//! ```
//! use niemyet::{messages::Language, msg};
//! let m = msg!("unknown_field", key = "titel");
//! assert_eq!(m.render(Language::En), "unknown field `titel`");
//! assert_eq!(m.render(Language::Vi), "không có trường `titel`");
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The language a site is written in: of its messages, diagnostics and theme strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Vietnamese, the default.
    Vi,
    /// English.
    En,
}

impl Language {
    /// The language code, as in `<html lang>` and the theme's `i18n/<code>.toml`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }
}

/// A message to show: a catalogue key and the values of its placeholders.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Message {
    /// The key in both catalogues.
    pub key: &'static str,
    /// The placeholder values, by name.
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of a placeholder: text shown as it is, or another message
/// shown in the same language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Arg {
    /// Shown as it is (a file name, a key, a value from the content).
    Text(String),
    /// Shown in the language of the message around it.
    Message(Message),
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_string())
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Self {
        Arg::Text(text.clone())
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Text(n.to_string())
    }
}

impl From<Message> for Arg {
    fn from(message: Message) -> Self {
        Arg::Message(message)
    }
}

/// A message in the rebuild cache ([`crate::content::kept`]): its key and
/// its placeholders' names and values.
impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.key, &self.args).serialize(serializer)
    }
}

/// A message as [`Message`]'s serialisation writes it. Its key and its
/// placeholders' names are found in the catalogue, whose text they are part
/// of; a message the catalogue does not have is an error.
impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Message, D::Error> {
        let (key, args) = <(String, Vec<(String, Arg)>)>::deserialize(deserializer)?;
        let unknown = || serde::de::Error::custom(format!("no message `{key}` in the catalogue"));
        let (key, template) = catalogue(Language::En).get_key_value(key.as_str()).ok_or_else(unknown)?;
        let name_in_template = |(name, arg): (String, Arg)| {
            let at = template.find(&format!("{{{name}}}")).ok_or_else(unknown)? + 1;
            Ok((&template[at..at + name.len()], arg))
        };
        Ok(Message { key, args: args.into_iter().map(name_in_template).collect::<Result<_, _>>()? })
    }
}

/// Makes a [`Message`]: `msg!("key", name = value, ...)`. Values are text,
/// numbers or other messages.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::Message {
            key: $key,
            args: vec![$((stringify!($name), $crate::messages::Arg::from($value))),*],
        }
    };
}

impl Message {
    /// The message in `language`, placeholders filled in.
    pub fn render(&self, language: Language) -> String {
        let template = catalogue(language).get(self.key).map_or(self.key, String::as_str);
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let arg = after.find('}').and_then(|close| {
                self.args.iter().find(|(name, _)| *name == &after[..close]).map(|(_, value)| (value, close))
            });
            match arg {
                Some((Arg::Text(text), close)) => {
                    out.push_str(text);
                    rest = &after[close + 1..];
                }
                Some((Arg::Message(inner), close)) => {
                    out.push_str(&inner.render(language));
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The catalogue of `language`: key → text with `{placeholders}`.
pub fn catalogue(language: Language) -> &'static HashMap<String, String> {
    static VI: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, text) = match language {
        Language::Vi => (&VI, include_str!("messages/vi.toml")),
        Language::En => (&EN, include_str!("messages/en.toml")),
    };
    cell.get_or_init(|| toml::from_str(text).expect("the message catalogues are valid TOML"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name.to_string())).collect()
    }

    /// Every key used in the source, found by reading it: `msg!("key"`,
    /// also when formatting puts the key on the next line.
    fn keys_used() -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let entry = entry.expect("src/ is readable");
            if entry.path().extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(entry.path()).expect("readable source");
                for part in text.split("msg!(").skip(1) {
                    if let Some(quoted) = part.trim_start().strip_prefix('"') {
                        let key = quoted.split('"').next().expect("a key");
                        let identifier = key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                        if identifier && key != "key" {
                            keys.insert(key.to_string());
                        }
                    }
                }
            }
        }
        keys
    }

    #[test]
    fn both_catalogues_have_every_message_with_the_same_placeholders() {
        let vi = catalogue(Language::Vi);
        let en = catalogue(Language::En);
        let vi_keys: BTreeSet<&String> = vi.keys().collect();
        let en_keys: BTreeSet<&String> = en.keys().collect();
        assert_eq!(vi_keys, en_keys, "the catalogues differ in keys");
        for (key, text) in vi {
            assert_eq!(placeholders(text), placeholders(&en[key]), "`{key}` has other placeholders in vi and en");
        }
    }

    #[test]
    fn every_message_the_code_uses_is_in_the_catalogues_and_no_other() {
        let used = keys_used();
        let known: BTreeSet<String> = catalogue(Language::En).keys().cloned().collect();
        let missing: Vec<_> = used.difference(&known).collect();
        let unused: Vec<_> = known.difference(&used).collect();
        assert!(missing.is_empty(), "keys used in src/ but missing from the catalogues: {missing:?}");
        assert!(unused.is_empty(), "keys in the catalogues that no code uses: {unused:?}");
    }

    #[test]
    fn placeholders_are_filled_and_nested_messages_follow_the_language() {
        let m = msg!("missing_field", key = "code", what = msg!("what_procedure_code"));
        assert!(m.render(Language::En).contains("`code`"));
        assert!(m.render(Language::Vi).contains("mã thủ tục"), "{}", m.render(Language::Vi));
    }
}
