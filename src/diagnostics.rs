//! Diagnostics: errors found in a site, as values, printed once as
//! `PATH:LINE:COL: error: MESSAGE` with a hint on the next line.

use std::fmt;

/// One problem in one file, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it, when we can say.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: error: {}", self.path, self.line, self.col, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A file's text, kept to turn byte offsets into lines and columns.
pub struct Source {
    /// The file, relative to the site root, with `/` separators.
    pub path: String,
    /// The whole text, without a byte-order mark.
    pub text: String,
}

impl Source {
    /// Makes a diagnostic pointing at byte `offset` of this file.
    pub fn error(&self, offset: usize, message: impl Into<String>, hint: Option<String>) -> Diagnostic {
        let (line, col) = line_col(&self.text, offset);
        Diagnostic { path: self.path.clone(), line, col, message: message.into(), hint }
    }
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
    /// The content has errors (exit status 1). Sorted by file, line and column.
    Content(Vec<Diagnostic>),
    /// Wrong usage or an unusable site folder (exit status 2).
    Usage(String),
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
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Content(diagnostics) => {
                for d in diagnostics {
                    writeln!(f, "{d}")?;
                }
                let n = diagnostics.len();
                write!(f, "{n} error{} found; nothing was written.", if n == 1 { "" } else { "s" })
            }
            Failure::Usage(message) => write!(f, "error: {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\nđăng = x\r\nb";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, text.find('x').unwrap()), (2, 8));
        assert_eq!(line_col(text, text.find('b').unwrap()), (3, 1));
    }
}
