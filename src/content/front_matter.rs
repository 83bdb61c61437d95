//! Front matter: reading a file as UTF-8, splitting the `+++` block from the
//! body, parsing it as TOML with positions, and reading typed fields from it
//! with plain-words errors.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostics::{line_col, Diagnostic, Source};
use crate::messages::Message;
use crate::{markdown, msg, text};

/// Reads a file's bytes as text: UTF-8 required, a byte-order mark dropped,
/// everything turned into NFC.
pub fn read_source(path: String, bytes: &[u8]) -> Result<Source, Vec<Diagnostic>> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let source = Source::new(path, String::new());
        return Err(vec![source.error(0, msg!("utf16"), Some(msg!("hint_utf16")))]);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match simdutf8::compat::from_utf8(bytes) {
        Ok(text) if text.contains('\0') => {
            let source = Source::new(path, text.to_string());
            Err(vec![source.error(
                text.find('\0').unwrap_or(0),
                msg!("nul_character"),
                Some(msg!("hint_nul_character")),
            )])
        }
        Ok(text) => Ok(Source::new(path, text::nfc(text))),
        Err(error) => {
            let valid = String::from_utf8_lossy(&bytes[..error.valid_up_to()]).into_owned();
            let source = Source::new(path, valid);
            Err(vec![source.error(source.text.len(), msg!("not_utf8"), Some(msg!("hint_not_utf8")))])
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
    /// The byte offset of the body within the file's text.
    pub body_offset: usize,
    /// The 1-based line of the file where the body starts.
    pub body_line: usize,
    /// The body's links to site paths, each with its byte offset in the body
    /// ([`markdown::scan`]).
    pub site_links: Vec<(usize, String)>,
}

/// Splits `source` at its `+++` lines. With `required`, a file without front
/// matter is an error; otherwise the whole file is the body.
pub fn split(source: &Source, required: bool) -> Result<Split<'_>, Vec<Diagnostic>> {
    scanned(source, parts(source, required)?)
}

/// Splits `source` as [`split`] does, without reading the body's links
/// ([`Split::site_links`] is empty): for a body read again, already checked.
pub fn parts(source: &Source, required: bool) -> Result<Split<'_>, Vec<Diagnostic>> {
    let text = source.text.as_str();
    let first_line = text.lines().next().unwrap_or("").trim_end();
    if first_line != "+++" {
        if !required {
            let body = lf_lines(text);
            return Ok(Split {
                front: None,
                front_offset: 0,
                body,
                body_offset: 0,
                body_line: 1,
                site_links: Vec::new(),
            });
        }
        let hint = if first_line == "---" { msg!("hint_yaml_front_matter") } else { msg!("hint_start_front_matter") };
        return Err(vec![source.error(0, msg!("no_front_matter"), Some(hint))]);
    }
    let front_offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = front_offset;
    while offset < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == "+++" {
            return Ok(Split {
                front: Some(&text[front_offset..offset]),
                front_offset,
                body: lf_lines(&text[end..]),
                body_offset: end,
                body_line: memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1,
                site_links: Vec::new(),
            });
        }
        offset = end;
    }
    Err(vec![source.error(0, msg!("front_matter_not_closed"), Some(msg!("hint_close_front_matter")))])
}

/// `text` with LF line ends (CRLF ones made LF).
fn lf_lines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    }
}

/// The split file with its body's site links, or an error where its body
/// nests deeper than [`markdown::MAX_NESTING`] levels: rendering such a body
/// would take minutes.
fn scanned<'a>(source: &Source, mut split: Split<'a>) -> Result<Split<'a>, Vec<Diagnostic>> {
    let offset = match markdown::scan(&split.body) {
        Ok(site_links) => {
            split.site_links = site_links;
            return Ok(split);
        }
        Err(offset) => offset,
    };
    let (line, col) = line_col(&split.body, offset);
    let message = msg!("body_too_deep", max = markdown::MAX_NESTING.to_string());
    Err(vec![Diagnostic::error(
        source.path.clone(),
        (line + split.body_line - 1, col),
        message,
        Some(msg!("hint_body_too_deep")),
    )])
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
            let detail = error.message().lines().next().unwrap_or("").trim();
            source.error(at, msg!("not_toml", detail = detail), Some(msg!("hint_toml_syntax")))
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
    /// Today's date in the computer's own time zone, as people date their files.
    pub fn today() -> Date {
        let date = jiff::ZonedDateTime::now().date();
        Date { year: date.year() as u16, month: date.month() as u8, day: date.day() as u8 }
    }

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

/// A date as [`Date`]'s serialisation writes it, `2020-09-21` (the rebuild cache reads it back).
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let iso = String::deserialize(deserializer)?;
        let part = |range: std::ops::Range<usize>| iso.get(range).and_then(|p| p.parse().ok());
        match (part(0..4), part(5..7), part(8..10)) {
            (Some(year), Some(month), Some(day)) if iso.len() == 10 => {
                Ok(Date { year, month: month as u8, day: day as u8 })
            }
            _ => Err(serde::de::Error::custom(format!("not a date: {iso}"))),
        }
    }
}

/// A value read from front matter, with its line and column kept for
/// errors found later across files.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    pub fn error(&self, path: &str, message: Message, hint: Option<Message>) -> Diagnostic {
        Diagnostic::error(path, (self.line, self.col), message, hint)
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
    pub fn error_at(&mut self, span: Range<usize>, message: Message, hint: Option<Message>) {
        self.errors.push(self.source.error(self.offset + span.start, message, hint));
    }

    /// Turns a value's span into a located value.
    pub fn locate<T>(&self, value: T, span: Range<usize>) -> Located<T> {
        let (line, col) = self.source.line_col(self.offset + span.start);
        Located { value, line, col }
    }

    fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue<'_>>, expected: Message, example: &str) {
        let found = describe(value.get_ref());
        self.error_at(
            value.span(),
            msg!("wrong_type", key = key, expected = expected, found = found),
            Some(msg!("hint_write_like", key = key, example = example)),
        );
    }

    /// A text field; blank text counts as absent.
    pub fn text(&mut self, key: &'static str) -> Option<Located<String>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => None,
            DeValue::String(s) => Some(self.locate(s.trim().to_string(), value.span())),
            _ => {
                self.wrong_type(key, value, msg!("expect_text"), "\"...\"");
                None
            }
        }
    }

    /// A text field that must be present and not blank; `what` says what it
    /// holds, in plain words, for the error.
    pub fn required_text(&mut self, key: &'static str, what: Message) -> Located<String> {
        let present = self.table.contains_key(key);
        match self.text(key) {
            Some(text) => text,
            None => {
                if !present {
                    self.missing(key, what);
                } else if let Some(value) = self.table.get(key).filter(|v| v.get_ref().is_str()) {
                    let (message, hint) =
                        (msg!("field_empty", key = key, what = what.clone()), msg!("hint_fill_in", what = what));
                    self.error_at(value.span(), message, Some(hint));
                }
                self.locate(String::new(), 0..0)
            }
        }
    }

    /// Reports that a required field is missing.
    pub fn missing(&mut self, key: &str, what: Message) {
        let hint = Some(msg!("hint_add_field", key = key, what = what.clone()));
        self.errors.push(self.source.error(self.at, msg!("missing_field", key = key, what = what), hint));
    }

    /// A true/false field.
    pub fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, value, msg!("expect_boolean"), "true");
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
                self.wrong_type(key, value, msg!("expect_date"), "2020-09-21");
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
                        _ => self.wrong_type(key, item, msg!("expect_text_list"), "[\"...\", \"...\"]"),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(key, value, msg!("expect_text_list"), "[\"...\", \"...\"]");
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
                Some(near) => msg!("hint_did_you_mean", near = near),
                None => msg!("hint_allowed_fields", fields = self.known.join(", ")),
            };
            self.error_at(span, msg!("unknown_field", key = key), Some(hint));
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
pub fn describe(value: &DeValue<'_>) -> Message {
    match value {
        DeValue::String(_) => msg!("kind_text"),
        DeValue::Integer(_) => msg!("kind_integer"),
        DeValue::Float(_) => msg!("kind_float"),
        DeValue::Boolean(_) => msg!("kind_boolean"),
        DeValue::Datetime(_) => msg!("kind_date"),
        DeValue::Array(_) => msg!("kind_list"),
        DeValue::Table(_) => msg!("kind_table"),
    }
}
