//! Front matter: reading a file as UTF-8, splitting the `+++` block from the
//! body, parsing it as TOML with positions, and reading typed fields from it
//! with plain-words errors.

use std::ops::Range;

use serde::Serialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Source};
use crate::text;

/// Reads a file's bytes as text: UTF-8 required, a byte-order mark dropped,
/// everything turned into NFC.
pub fn read_source(path: String, bytes: &[u8]) -> Result<Source, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Source { path, text: text::nfc(text) }),
        Err(error) => {
            let valid = String::from_utf8_lossy(&bytes[..error.valid_up_to()]).into_owned();
            let source = Source { path, text: valid };
            Err(source.error(
                source.text.len(),
                "this file is not UTF-8 text",
                Some(
                    "it may be saved in a legacy Vietnamese encoding (TCVN3, VNI or Windows-1258); \
                     open it in your editor and save it again as UTF-8"
                        .into(),
                ),
            ))
        }
    }
}

/// A file split into its front matter and its Markdown body.
pub struct Split<'a> {
    /// The TOML between the `+++` lines, if the file has front matter.
    pub front: Option<&'a str>,
    /// Byte offset of the TOML text within the file.
    pub front_offset: usize,
    /// The Markdown after the closing `+++`, with LF line endings.
    pub body: String,
}

/// Splits `source` at its `+++` lines. With `required`, a file without front
/// matter is an error; otherwise the whole file is the body.
pub fn split(source: &Source, required: bool) -> Result<Split<'_>, Diagnostic> {
    let text = source.text.as_str();
    let first_line = text.lines().next().unwrap_or("").trim_end();
    if first_line != "+++" {
        if !required {
            return Ok(Split { front: None, front_offset: 0, body: text.replace("\r\n", "\n") });
        }
        let hint = if first_line == "---" {
            "this file starts with ---, which is YAML; niemyet reads TOML between two lines that hold only +++"
        } else {
            "start the file with a line holding only +++, then the fields (title = \"...\"), then another +++ line"
        };
        return Err(source.error(0, "the file has no front matter", Some(hint.into())));
    }
    let front_offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = front_offset;
    for line in text[front_offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body = &text[offset + line.len()..];
            return Ok(Split {
                front: Some(&text[front_offset..offset]),
                front_offset,
                body: body.replace("\r\n", "\n"),
            });
        }
        offset += line.len();
    }
    Err(source.error(
        0,
        "the front matter is never closed",
        Some("add a line holding only +++ after the last field, before the text of the page".into()),
    ))
}

/// Parses front matter TOML. Syntax errors come back all at once, as diagnostics.
pub fn parse<'a>(source: &Source, toml_text: &'a str, offset: usize) -> Result<DeTable<'a>, Vec<Diagnostic>> {
    let (table, errors) = DeTable::parse_recoverable(toml_text);
    if errors.is_empty() {
        return Ok(table.into_inner());
    }
    Err(errors
        .iter()
        .map(|error| {
            let at = offset + error.span().map_or(0, |span| span.start);
            let message = error.message().lines().next().unwrap_or("").trim().to_string();
            source.error(
                at,
                format!("this line is not valid TOML: {message}"),
                Some(
                    "each line is `key = value`; text goes in double quotes (title = \"...\"), \
                     dates as 2020-09-21, lists in brackets ([\"a\", \"b\"])"
                        .into(),
                ),
            )
        })
        .collect())
}

/// A calendar date, as written in front matter (`2020-09-21`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, such as 2020.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl Date {
    /// The ISO form, `2020-09-21`, used in data files, feeds and `<time datetime>`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

/// A value read from front matter, with its line and column kept for
/// errors found later across files.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The value itself.
    pub value: T,
    /// 1-based line of the value.
    pub line: usize,
    /// 1-based column of the value.
    pub col: usize,
}

impl<T> Located<T> {
    /// A diagnostic at this value's position in the file `path`.
    pub fn error(&self, path: &str, message: String, hint: Option<String>) -> Diagnostic {
        Diagnostic { path: path.to_string(), line: self.line, col: self.col, message, hint }
    }
}

/// Reads typed fields from one TOML table, collecting every error.
///
/// Each `get_*` marks its key as known; [`Fields::finish`] then reports the
/// keys no one asked for, with a "did you mean" hint.
pub struct Fields<'s, 't> {
    source: &'s Source,
    offset: usize,
    at: usize,
    table: &'t DeTable<'t>,
    known: Vec<&'static str>,
    /// Every error found so far.
    pub errors: Vec<Diagnostic>,
}

impl<'s, 't> Fields<'s, 't> {
    /// Starts reading `table`, whose TOML text starts at byte `offset` of the
    /// file; a missing field is reported at byte `at`.
    pub fn new(source: &'s Source, offset: usize, at: usize, table: &'t DeTable<'t>) -> Self {
        Fields { source, offset, at, table, known: Vec::new(), errors: Vec::new() }
    }

    /// Starts reading a table nested in this one, such as `[organization]`,
    /// whose header is at byte `start` of the TOML text.
    pub fn nested(&self, start: usize, table: &'t DeTable<'t>) -> Fields<'s, 't> {
        Fields::new(self.source, self.offset, self.offset + start, table)
    }

    /// The raw value of `key`, if present, marking the key as known.
    pub fn raw(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'t>>> {
        if !self.known.contains(&key) {
            self.known.push(key);
        }
        self.table.get(key)
    }

    /// Records an error at byte `span.start` of the TOML text.
    pub fn error_at(&mut self, span: Range<usize>, message: String, hint: Option<String>) {
        self.errors.push(self.source.error(self.offset + span.start, message, hint));
    }

    /// Turns a value's span into a located value.
    pub fn locate<T>(&self, value: T, span: Range<usize>) -> Located<T> {
        let (line, col) = crate::diagnostics::line_col(&self.source.text, self.offset + span.start);
        Located { value, line, col }
    }

    fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue<'_>>, expected: &str, example: &str) {
        let found = describe(value.get_ref());
        self.error_at(
            value.span(),
            format!("`{key}` should be {expected}, but it is {found}"),
            Some(format!("write it like: {key} = {example}")),
        );
    }

    /// A text field; blank text counts as absent.
    pub fn text(&mut self, key: &'static str) -> Option<Located<String>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => None,
            DeValue::String(s) => Some(self.locate(s.trim().to_string(), value.span())),
            _ => {
                self.wrong_type(key, value, "text in double quotes", "\"...\"");
                None
            }
        }
    }

    /// A text field that must be present and not blank; `what` says what it
    /// holds, in plain words, for the error.
    pub fn required_text(&mut self, key: &'static str, what: &str) -> Located<String> {
        let present = self.table.contains_key(key);
        match self.text(key) {
            Some(text) => text,
            None => {
                if !present {
                    self.missing(key, what);
                } else if let Some(value) = self.table.get(key).filter(|v| v.get_ref().is_str()) {
                    self.error_at(value.span(), format!("`{key}` ({what}) is empty"), Some(format!("fill in {what}")));
                }
                self.locate(String::new(), 0..0)
            }
        }
    }

    /// Reports that a required field is missing.
    pub fn missing(&mut self, key: &str, what: &str) {
        let hint = Some(format!("add a line such as {key} = \"...\" with {what}"));
        self.errors.push(self.source.error(self.at, format!("the required field `{key}` ({what}) is missing"), hint));
    }

    /// A true/false field.
    pub fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, value, "true or false (without quotes)", "true");
                None
            }
        }
    }

    /// A date field, written as a TOML date (`2020-09-21`).
    pub fn date(&mut self, key: &'static str) -> Option<Date> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Datetime(dt) if dt.date.is_some() => {
                let d = dt.date.expect("checked above");
                Some(Date { year: d.year, month: d.month, day: d.day })
            }
            _ => {
                self.wrong_type(key, value, "a date written as YYYY-MM-DD without quotes", "2020-09-21");
                None
            }
        }
    }

    /// A list of texts (`["a", "b"]`); a single text is taken as a list of one.
    pub fn text_list(&mut self, key: &'static str) -> Vec<Located<String>> {
        let Some(value) = self.raw(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::String(s) => vec![self.locate(s.trim().to_string(), value.span())],
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(self.locate(s.trim().to_string(), item.span())),
                        _ => self.wrong_type(key, item, "a list of texts in double quotes", "[\"...\", \"...\"]"),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(key, value, "a list of texts in double quotes", "[\"...\", \"...\"]");
                Vec::new()
            }
        }
    }

    /// Reports every key that no `get_*` call asked for, with a "did you mean" hint.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let unknown: Vec<_> = self
            .table
            .iter()
            .filter(|(key, _)| !self.known.contains(&key.get_ref().as_ref()))
            .map(|(key, _)| (key.get_ref().to_string(), key.span()))
            .collect();
        for (key, span) in unknown {
            let hint = match did_you_mean(&key, &self.known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the fields allowed here are: {}", self.known.join(", ")),
            };
            self.error_at(span, format!("unknown field `{key}`"), Some(hint));
        }
        self.errors
    }
}

/// The known name closest to `word`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let folded = text::fold(word);
    known
        .iter()
        .map(|k| (strsim::osa_distance(&folded, k), *k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// Names a TOML value's kind in plain words.
pub fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}
