//! Diagnostics: problems found in a site, as values, printed once in the
//! language and format asked for: `PATH:LINE:COL: error: MESSAGE` with a hint
//! on the next line for people, JSON for programs, or GitHub workflow
//! annotations for CI.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::messages::Language;
use crate::messages::Message;
use crate::msg;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built as it is.
    Error,
    /// The site builds, but something is probably not what was meant;
    /// `check --strict` treats it as an error.
    Warning,
}

/// One problem in one file, with where it is and what to do about it. It
/// serialises only for the rebuild cache ([`crate::content::kept`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The file, relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// An error or a warning.
    pub severity: Severity,
    /// What is wrong, in plain words.
    pub message: Message,
    /// How to fix it, when we can say.
    pub hint: Option<Message>,
    /// Whether the place is a file's line and column, or a table's cell.
    pub place: Place,
}

/// How a diagnostic's place is written.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Place {
    /// `PATH:LINE:COL`, in a text file.
    #[default]
    LineCol,
    /// `PATH:Sheet!E12` (or `PATH:E12` for a CSV file): `line` is the row and
    /// `col` the column, both 1-based, the way staff find a cell in Excel.
    Cell {
        /// The sheet's name, when the file has sheets.
        sheet: Option<String>,
    },
}

impl Diagnostic {
    /// An error at a line and column of `path`.
    pub fn error(
        path: impl Into<String>,
        (line, col): (usize, usize),
        message: Message,
        hint: Option<Message>,
    ) -> Self {
        Diagnostic { path: path.into(), line, col, severity: Severity::Error, message, hint, place: Place::LineCol }
    }

    /// An error at a table's cell: `row` and `col` are 1-based.
    pub fn in_cell(
        path: impl Into<String>,
        sheet: Option<&str>,
        (row, col): (usize, usize),
        message: Message,
        hint: Option<Message>,
    ) -> Self {
        let place = Place::Cell { sheet: sheet.map(str::to_string) };
        Diagnostic { path: path.into(), line: row, col, severity: Severity::Error, message, hint, place }
    }

    /// Where the problem is: `PATH:LINE:COL`, or `PATH:Sheet!E12` for a cell.
    pub fn at(&self) -> String {
        match &self.place {
            Place::LineCol => format!("{}:{}:{}", self.path, self.line, self.col),
            Place::Cell { sheet: Some(sheet) } => format!("{}:{}!{}", self.path, sheet, cell_name(self.line, self.col)),
            Place::Cell { sheet: None } => format!("{}:{}", self.path, cell_name(self.line, self.col)),
        }
    }

    /// The same problem, as a warning.
    pub fn warning(self) -> Self {
        Diagnostic { severity: Severity::Warning, ..self }
    }

    /// `PATH:LINE:COL: error: MESSAGE`, and the hint on the next line.
    pub fn render(&self, language: Language) -> String {
        let mut out = format!("{}: {}: {}", self.at(), self.severity.word(), self.message.render(language));
        if let Some(hint) = &self.hint {
            out.push_str("\n  hint: ");
            out.push_str(&hint.render(language));
        }
        out
    }
}

impl Severity {
    /// "error" or "warning": the word of the printed line, the same in every
    /// language so that tools can read it.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A file's text, kept to turn byte offsets into lines and columns.
pub struct Source {
    /// The file, relative to the site root, with `/` separators.
    pub path: String,
    /// The whole text, without a byte-order mark.
    pub text: String,
    /// Where each line of `text` starts, found when first asked.
    line_starts: OnceLock<Vec<usize>>,
}

impl Source {
    /// The file at `path` (relative to the site root) with its `text`.
    pub fn new(path: String, text: String) -> Source {
        Source { path, text, line_starts: OnceLock::new() }
    }

    /// Makes an error pointing at byte `offset` of this file.
    pub fn error(&self, offset: usize, message: Message, hint: Option<Message>) -> Diagnostic {
        Diagnostic::error(self.path.clone(), self.line_col(offset), message, hint)
    }

    /// [`line_col`] of byte `offset` of this file, without reading the text
    /// before it again: a file's many values each cost a search, not a scan.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text.as_str();
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect()
        });
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = starts.partition_point(|&start| start <= offset);
        let col = text[starts[line - 1]..offset].trim_end_matches('\r').chars().count() + 1;
        (line, col)
    }
}

/// A cell's name as Excel shows it: row 12 of column 5 is `E12`.
pub fn cell_name(row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).expect("ASCII letters"), row)
}

/// Turns a byte offset in `text` into a 1-based line and character column.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].trim_end_matches('\r').chars().count() + 1;
    (line, col)
}

/// Why a command failed, which decides its exit status.
#[derive(Debug, Clone)]
pub enum Failure {
    /// The content has errors (exit status 1): every diagnostic of the run,
    /// warnings too, sorted by file, line and column.
    Content(Vec<Diagnostic>),
    /// Wrong usage or an unusable site folder (exit status 2).
    Usage(Message),
}

impl Failure {
    /// Builds a content failure from diagnostics, sorted and without repeats.
    pub fn content(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort();
        diagnostics.dedup();
        Failure::Content(diagnostics)
    }

    /// The process exit status for this failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Content(_) => 1,
            Failure::Usage(_) => 2,
        }
    }

    /// The failure as people read it, in `language`.
    pub fn render(&self, language: Language) -> String {
        match self {
            Failure::Content(diagnostics) => render(diagnostics, Format::Text, language, true),
            Failure::Usage(message) => format!("error: {}", message.render(language)),
        }
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `PATH:LINE:COL: error: MESSAGE` lines with hints, and a count.
    #[default]
    Text,
    /// One JSON array of {path, line, col, severity, message, hint}.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
    Github,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    line: usize,
    col: usize,
    severity: Severity,
    message: String,
    hint: Option<String>,
}

/// Prints diagnostics in `format`. For text, a closing line counts the
/// errors and warnings; `failed` says that nothing was written.
pub fn render(diagnostics: &[Diagnostic], format: Format, language: Language, failed: bool) -> String {
    match format {
        Format::Text => {
            let mut out: Vec<String> = diagnostics.iter().map(|d| d.render(language)).collect();
            let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = diagnostics.len() - errors;
            let count = |n: usize, one: Message, many: Message| if n == 1 { one } else { many };
            let errors_text = count(errors, msg!("errors_one"), msg!("errors_many", n = errors));
            let warnings_text = count(warnings, msg!("warnings_one"), msg!("warnings_many", n = warnings));
            let counts = match (errors, warnings) {
                (0, _) => warnings_text,
                (_, 0) => errors_text,
                _ => msg!("both_counts", errors = errors_text, warnings = warnings_text),
            };
            let count = msg!("found", counts = counts);
            let mut last = count.render(language);
            if failed {
                last.push_str(&msg!("nothing_written").render(language));
            }
            if !diagnostics.is_empty() || failed {
                out.push(last);
            }
            out.join("\n")
        }
        Format::Json => {
            let list: Vec<JsonDiagnostic<'_>> = diagnostics
                .iter()
                .map(|d| JsonDiagnostic {
                    path: &d.path,
                    line: d.line,
                    col: d.col,
                    severity: d.severity,
                    message: d.message.render(language),
                    hint: d.hint.as_ref().map(|h| h.render(language)),
                })
                .collect();
            serde_json::to_string_pretty(&list).expect("diagnostics serialise")
        }
        Format::Github => diagnostics
            .iter()
            .map(|d| {
                let mut text = d.message.render(language);
                if let Some(hint) = &d.hint {
                    text.push('\n');
                    text.push_str(&hint.render(language));
                }
                format!(
                    "::{} file={},line={},col={},title=niemyet::{}",
                    d.severity.word(),
                    github_property(&d.path),
                    d.line,
                    d.col,
                    github_data(&text)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Escapes the message of a workflow command.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property (file=…) of a workflow command.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_annotations_escape_what_would_break_them() {
        let d = Diagnostic::error("a,b:c.md", (3, 4), msg!("unknown_field", key = "x%y"), None);
        let out = render(&[d], Format::Github, Language::En, true);
        assert_eq!(out, "::error file=a%2Cb%3Ac.md,line=3,col=4,title=niemyet::unknown field `x%25y`");
    }

    #[test]
    fn cells_are_named_as_in_excel() {
        assert_eq!(cell_name(12, 5), "E12");
        assert_eq!(cell_name(1, 26), "Z1");
        assert_eq!(cell_name(3, 27), "AA3");
        let d = Diagnostic::in_cell("danh-muc.xlsx", Some("Phụ lục"), (12, 5), msg!("unknown_field", key = "x"), None);
        assert_eq!(d.render(Language::En), "danh-muc.xlsx:Phụ lục!E12: error: unknown field `x`");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\nđăng = x\r\nb";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, text.find('x').unwrap()), (2, 8));
        assert_eq!(line_col(text, text.find('b').unwrap()), (3, 1));
    }

    #[test]
    fn a_source_finds_lines_and_columns_as_line_col_does() {
        let text = "\na = 1\nđăng = x\r\n\n\nb ờ\n";
        let source = Source::new("a.md".into(), text.into());
        for offset in 0..=text.len() + 2 {
            assert_eq!(source.line_col(offset), line_col(text, offset), "at byte {offset}");
        }
    }
}
