//! A procedure's Markdown body, which `build`, `check` and `report` keep in
//! memory up to [`KEPT_BODIES_BYTES`] in all and leave in its file past
//! that: a hundred thousand procedures hold half a gigabyte of text. The
//! procedure's page and the search index read a body left in its file again
//! when they need it, one at a time, after checking that the file is still
//! the one loaded.

use std::borrow::Cow;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::front_matter::{self, Split};
use super::procedure::Procedure;
use crate::diagnostics::{Diagnostic, Source};
use crate::msg;

/// Where a procedure's Markdown body is.
#[derive(Debug, Clone)]
pub enum Body {
    /// In memory: the preview's, whose files change while it runs, the
    /// editor's, whose text may not be saved yet, and the load stage's while
    /// its bodies are within [`KEPT_BODIES_BYTES`].
    Text {
        /// The Markdown, with LF line endings.
        text: String,
        /// Where it starts in its file, when it is the file's last bytes as
        /// they are (`Body::in_memory`).
        start: Option<usize>,
    },
    /// In the procedure's file, read again when it is needed.
    InFile {
        /// The site folder, which the procedure's path is relative to.
        root: Arc<Path>,
        /// Where the body starts in the file, as in [`Body::Text`].
        start: Option<usize>,
    },
}

impl Body {
    /// The body of the file `bytes`, read as `source` and split as `split`,
    /// in memory. Where it starts in the file is noted when it is the file's
    /// last bytes as they are, as it nearly always is: then it can be read
    /// again without reading the whole file as text (reading changed it when
    /// its line ends were CRLF or its accents not in NFC).
    pub(crate) fn in_memory(bytes: &[u8], source: &Source, split: Split<'_>) -> Body {
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let as_is = text == source.text.as_bytes() && split.body.len() == text.len() - split.body_offset;
        let start = as_is.then_some(bytes.len() - split.body.len());
        Body::Text { text: split.body, start }
    }
}

/// A body in the rebuild cache ([`crate::content::kept`]): where it starts in
/// its file, which is all a build keeps. It reads back as left in a file
/// under no folder, until [`Procedure::leave_body_in`] names the site's.
pub(crate) mod kept {
    use std::path::Path;
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Body;

    pub fn serialize<S: Serializer>(body: &Body, serializer: S) -> Result<S::Ok, S::Error> {
        let (Body::Text { start, .. } | Body::InFile { start, .. }) = body;
        start.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Body, D::Error> {
        Ok(Body::InFile { root: Arc::from(Path::new("")), start: Option::<usize>::deserialize(deserializer)? })
    }
}

/// The most bytes of bodies the load stage keeps in memory, in all: the
/// bodies of 10,000 procedures of a few kilobytes each, which are then not
/// read again from their files; past it, bodies are left in their files, so
/// that a hundred thousand procedures stay within a gigabyte.
pub const KEPT_BODIES_BYTES: usize = 64 << 20;

impl Procedure {
    /// Keeps the body in memory when it fits within `budget` bytes with the
    /// bodies already kept, counted in `kept`; else leaves it in the
    /// procedure's file under `root` ([`Procedure::leave_body_in`]).
    pub fn keep_body_within(&mut self, budget: usize, kept: &AtomicUsize, root: &Arc<Path>) {
        let len = match &self.body {
            Body::Text { text, .. } => text.len(),
            Body::InFile { .. } => return,
        };
        let fits = kept
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |sum| Some(sum + len).filter(|&total| total <= budget));
        if fits.is_err() {
            self.leave_body_in(root);
        }
    }

    /// Leaves the body in the procedure's file under `root`, where
    /// [`Procedure::markdown`] reads it again.
    pub fn leave_body_in(&mut self, root: &Arc<Path>) {
        let (Body::Text { start, .. } | Body::InFile { start, .. }) = self.body;
        self.body = Body::InFile { root: Arc::clone(root), start };
    }

    /// The Markdown body, with LF line endings. A body left in its file is
    /// read again; when the file is no longer as it was loaded (saved, moved
    /// or removed since), the error says so and asks to run the command again.
    pub fn markdown(&self) -> Result<Cow<'_, str>, Vec<Diagnostic>> {
        let (root, start) = match &self.body {
            Body::Text { text, .. } => return Ok(Cow::Borrowed(text)),
            Body::InFile { root, start } => (root, *start),
        };
        let changed = |error: Option<std::io::Error>| {
            let message = match error {
                Some(error) => msg!("cannot_read_file", error = error.to_string()),
                None => msg!("file_changed_during_build"),
            };
            vec![Diagnostic::error(&self.path, (1, 1), message, Some(msg!("hint_run_again")))]
        };
        let bytes = std::fs::read(root.join(&self.path)).map_err(|error| changed(Some(error)))?;
        if super::procedure::fingerprint(&self.path, &bytes) != self.fingerprint {
            return Err(changed(None));
        }
        // The same bytes as loaded: they read and split as they did then.
        if let Some(start) = start {
            let text = simdutf8::basic::from_utf8(&bytes[start..]).map_err(|_| changed(None))?;
            return Ok(Cow::Owned(text.to_string()));
        }
        let source = front_matter::read_source(self.path.clone(), &bytes).map_err(|_| changed(None))?;
        let split = front_matter::parts(&source, true).map_err(|_| changed(None))?;
        Ok(Cow::Owned(split.body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::messages::Language;

    const FILE: &str = "+++\ntitle = \"Đăng ký\"\ncode = \"1.000047\"\nfield = \"F\"\nagency = \"A\"\nservice_level = 4\npostal = true\nupdated = 2024-01-02\n+++\n## Trình tự\r\n\r\nNộp hồ sơ.\r\n";

    fn config() -> Config {
        let toml = "title = \"T\"\nbase_url = \"https://example.gov.vn\"\n[[service_levels]]\nid = \"4\"\nname = \"Mức độ 4\"\n";
        Config::parse(toml.as_bytes()).expect("valid settings")
    }

    fn left_in_file(root: &Path, text: &str) -> Procedure {
        let rel = "content/procedures/a.md";
        std::fs::create_dir_all(root.join("content/procedures")).unwrap();
        std::fs::write(root.join(rel), text).unwrap();
        let mut p = super::super::procedure::parse(rel.to_string(), text.as_bytes(), &config()).expect("valid");
        p.leave_body_in(&Arc::from(root));
        p
    }

    #[test]
    fn bodies_are_kept_in_memory_until_the_budget_is_spent() {
        let dir = tempfile::tempdir().unwrap();
        let root: Arc<Path> = Arc::from(dir.path());
        let body_len = "## Trình tự\n\nNộp hồ sơ.\n".len();
        let kept = AtomicUsize::new(0);
        let mut placed = Vec::new();
        for _ in 0..3 {
            let rel = "content/procedures/a.md";
            std::fs::create_dir_all(root.join("content/procedures")).unwrap();
            std::fs::write(root.join(rel), FILE).unwrap();
            let mut p = super::super::procedure::parse(rel.to_string(), FILE.as_bytes(), &config()).expect("valid");
            p.keep_body_within(2 * body_len, &kept, &root);
            placed.push(matches!(p.body, Body::Text { .. }));
            assert_eq!(p.markdown().unwrap(), "## Trình tự\n\nNộp hồ sơ.\n");
        }
        assert_eq!(placed, [true, true, false]);
        assert_eq!(kept.load(Ordering::Relaxed), 2 * body_len);
    }

    #[test]
    fn a_body_left_in_its_file_reads_as_it_was_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let lf = FILE.replace("\r\n", "\n");
        let decomposed = lf.replace("Nộp", "No\u{323}\u{302}p");
        for (file, as_is) in [(FILE, false), (&lf, true), (&format!("\u{feff}{lf}"), true), (&decomposed, false)] {
            let p = left_in_file(dir.path(), file);
            assert!(matches!(p.body, Body::InFile { start, .. } if start.is_some() == as_is), "{file:?}");
            assert_eq!(p.markdown().unwrap(), "## Trình tự\n\nNộp hồ sơ.\n", "{file:?}");
        }
    }

    #[test]
    fn a_file_changed_since_it_was_loaded_is_an_error_asking_to_run_again() {
        let dir = tempfile::tempdir().unwrap();
        let p = left_in_file(dir.path(), FILE);
        std::fs::write(dir.path().join(&p.path), FILE.replace("Nộp", "Gửi")).unwrap();
        let error = &p.markdown().unwrap_err()[0];
        assert_eq!((error.path.as_str(), error.line, error.col), ("content/procedures/a.md", 1, 1));
        assert!(error.message.render(Language::En).contains("changed while"), "{error:?}");
        std::fs::remove_file(dir.path().join(&p.path)).unwrap();
        let error = &p.markdown().unwrap_err()[0];
        assert!(error.message.render(Language::En).starts_with("cannot read this file"), "{error:?}");
        assert!(error.hint.as_ref().unwrap().render(Language::Vi).contains("chạy lại"));
    }
}
