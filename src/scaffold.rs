//! `niemyet new`: writes a new procedure, notice or page file for staff to
//! fill in. Its front matter holds every field of the contract, each with a
//! comment in the site's language saying what to write and which values are
//! allowed; a procedure's body holds the conventional sections.
//!
//! The file is a draft (`draft = true`): a procedure's required values are
//! left empty, so `niemyet check` names each one until it is filled in, and
//! nothing reaches the published site until the writer sets `draft = false`.
//!
//! ```no_run
//! use niemyet::scaffold::{self, Kind, NewFile};
//! let request = NewFile {
//!     root: "my-site".into(),
//!     kind: Kind::Procedure,
//!     title: "Đăng ký công bố hợp chuẩn".into(),
//!     slug: None,
//!     today: niemyet::content::front_matter::Date::today(),
//! };
//! let created = niemyet::new_file(&request)?; // my-site/content/procedures/dang-ky-cong-bo-hop-chuan.md
//! println!("{}", created.message().render(niemyet::messages::Language::Vi));
//! # Ok::<(), niemyet::diagnostics::Failure>(())
//! ```

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use minijinja::value::{Serde, Value};
use minijinja::{context, AutoEscape, Environment};
use serde::Serialize;

use crate::config::Config;
use crate::content::front_matter::Date;
use crate::diagnostics::Failure;
use crate::messages::Language;
use crate::messages::Message;
use crate::{msg, text};

/// The kind of file `niemyet new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A procedure, in `content/procedures/`.
    Procedure,
    /// A news notice, in `content/notices/`.
    Notice,
    /// A plain page, in `content/pages/`.
    Page,
}

impl Kind {
    /// The folder that holds files of this kind, relative to the site root.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Procedure => "content/procedures",
            Kind::Notice => "content/notices",
            Kind::Page => "content/pages",
        }
    }

    fn template(self, language: Language) -> &'static str {
        match (self, language) {
            (Kind::Procedure, Language::Vi) => include_str!("scaffold/procedure.vi.md"),
            (Kind::Procedure, Language::En) => include_str!("scaffold/procedure.en.md"),
            (Kind::Notice, Language::Vi) => include_str!("scaffold/notice.vi.md"),
            (Kind::Notice, Language::En) => include_str!("scaffold/notice.en.md"),
            (Kind::Page, Language::Vi) => include_str!("scaffold/page.vi.md"),
            (Kind::Page, Language::En) => include_str!("scaffold/page.en.md"),
        }
    }
}

/// What `niemyet new` is asked to write.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The site folder, holding site.toml.
    pub root: PathBuf,
    /// Procedure, notice or page.
    pub kind: Kind,
    /// The title, as the writer typed it.
    pub title: String,
    /// The file name without `.md`, when it should not be made from the title.
    pub slug: Option<String>,
    /// The date written as a procedure's `updated` and a notice's `date`;
    /// [`Date::today`] for the command, a fixed date in tests.
    pub today: Date,
}

/// A file that `niemyet new` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    /// What was written.
    pub kind: Kind,
    /// The file, as the site folder joined with `content/...`.
    pub path: PathBuf,
    /// The site folder, repeated in the commands the message suggests.
    pub root: PathBuf,
}

impl Created {
    /// The message for the writer: the file, then what to do next.
    pub fn message(&self) -> Message {
        let root = if self.root == Path::new(".") { String::new() } else { format!(" --root {}", self.root.display()) };
        let mut steps = match self.kind {
            Kind::Procedure => vec![msg!("new_step_fill_procedure"), msg!("new_step_write_sections")],
            Kind::Notice => vec![msg!("new_step_fill_notice"), msg!("new_step_write_text")],
            Kind::Page => vec![msg!("new_step_write_text")],
        };
        steps.extend([msg!("new_step_check", root = root), msg!("new_step_draft")]);
        let steps = steps.into_iter().enumerate().map(|(i, step)| msg!("new_step", n = i + 1, step = step));
        steps.fold(msg!("new_created", path = shown(&self.path)), |done, step| {
            msg!("new_then", done = done, step = step)
        })
    }
}

/// Writes the new file. Refuses to overwrite a file, and needs the site's
/// site.toml for its language and service levels.
pub fn write(request: &NewFile) -> Result<Created, Failure> {
    let config = Config::load(&request.root)?;
    let title = text::nfc(request.title.trim());
    let slug = file_slug(&title, request.slug.as_deref())?;
    let path = request.root.join(request.kind.folder()).join(format!("{slug}.md"));
    let file_text = render(request.kind, &title, request.today, &config);
    let cannot_write =
        |error: io::Error| Failure::Usage(msg!("new_cannot_write", path = shown(&path), error = error.to_string()));
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).map_err(cannot_write)?;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|error| {
        if error.kind() == io::ErrorKind::AlreadyExists {
            Failure::Usage(msg!("new_exists", path = shown(&path)))
        } else {
            cannot_write(error)
        }
    })?;
    if let Err(error) = file.write_all(file_text.as_bytes()) {
        drop(file);
        let _ = std::fs::remove_file(&path);
        return Err(cannot_write(error));
    }
    Ok(Created { kind: request.kind, path, root: request.root.clone() })
}

/// The file name (without `.md`): `--slug` if given, else made from the
/// title. `import` names its new files with it too.
pub fn file_slug(title: &str, slug: Option<&str>) -> Result<String, Failure> {
    if title.is_empty() {
        return Err(Failure::Usage(msg!("new_empty_title")));
    }
    let (from, message) = match slug {
        Some(slug) => (slug, msg!("new_slug_without_letters", slug = slug)),
        None => (title, msg!("new_title_without_letters", title = title)),
    };
    if text::slug(from).is_empty() {
        return Err(Failure::Usage(message));
    }
    Ok(text::short_slug(from))
}

/// A service level as the scaffold lists it: the id as it is written in
/// front matter, and the name.
#[derive(Serialize)]
struct LevelLine {
    id: String,
    name: String,
}

/// The text of a new file: the kind's template, in the site's language,
/// with the title, the date and the site's service levels filled in.
/// `import` starts its new procedures from it.
pub fn render(kind: Kind, title: &str, today: Date, config: &Config) -> String {
    let levels: Vec<LevelLine> = config
        .service_levels
        .iter()
        .map(|level| LevelLine { id: toml_string(&level.id), name: one_line(&level.name) })
        .collect();
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .expect("the default delimiters are valid");
    env.set_syntax(syntax);
    let ctx = context! { title => toml_string(title), today => today.iso(), levels => Value::from(Serde(levels)) };
    env.render_str(kind.template(config.language), ctx).expect("the scaffold templates are valid")
}

/// Writes `text` as a TOML basic string: in double quotes, with quotes,
/// backslashes and control characters escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Keeps a name on one line, so that it stays inside its `#` comment.
fn one_line(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A path as the writer reads it: `content/pages/a.md` rather than `./content/pages/a.md`.
fn shown(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_toml_basic_strings() {
        assert_eq!(toml_string("Đăng ký"), "\"Đăng ký\"");
        assert_eq!(toml_string("Mẫu \"A\" \\ B"), "\"Mẫu \\\"A\\\" \\\\ B\"");
        assert_eq!(toml_string("a\nb\u{7}"), "\"a\\nb\\u0007\"");
    }

    #[test]
    fn file_names_come_from_the_title_or_the_slug() {
        assert_eq!(file_slug("Đăng ký hợp chuẩn", None).unwrap(), "dang-ky-hop-chuan");
        assert_eq!(file_slug("Đăng ký", Some("Hợp chuẩn")).unwrap(), "hop-chuan");
        assert!(file_slug("", None).is_err());
        assert!(file_slug("***", None).is_err());
        assert!(file_slug("Đăng ký", Some("--")).is_err());
        assert!(file_slug(&"Tiêu chuẩn đo lường ".repeat(20), None).unwrap().len() <= text::MAX_SLUG_LEN);
    }
}
