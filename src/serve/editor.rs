//! The editor's requests (`/_sua/...`), wired to the preview: a form for a
//! procedure, notice or page of the shown site, or for a new one; a save
//! checked by the same code as `check` (the preview's sources with the
//! file's new text), written atomically, then shown.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use hyper::header::{ALLOW, LOCATION};
use hyper::Method;

use super::http::{file_response, status_only, with_header, Incoming, Reply};
use super::preview::{Built, Edit, Preview};
use crate::config::Config;
use crate::content::front_matter::Date;
use crate::diagnostics::Failure;
use crate::edit::form::{Choices, FieldError, Form, Rendered};
use crate::edit::guard::Guard;
use crate::edit::request::Submission;
use crate::edit::values::{unprotect, Values};
use crate::edit::{field_at, schema, submitted, upload};
use crate::markdown::html_escape;
use crate::messages::Language;
use crate::scaffold::{self, Kind};
use crate::site::Site;
use crate::{content, msg};

/// Where the editor's pages are.
pub const PREFIX: &str = "/_sua/";

/// The editor of one preview.
pub struct Editor {
    /// Who may use it.
    pub guard: Guard,
    /// The site folder.
    pub root: PathBuf,
}

/// What a form edits.
enum Target {
    /// The file at `rel`, shown at site path `page`.
    Existing { kind: Kind, rel: String, page: String, title: String },
    /// A new file of this kind.
    New(Kind),
}

impl Editor {
    /// Answers a request under [`PREFIX`].
    pub fn answer(&self, request: Incoming, path: &str, preview: &Preview) -> Reply {
        let shown = preview.shown();
        let host = header_value(&request, "Host");
        let Some(built) = shown.built.as_ref().filter(|_| self.guard.host_ok(host.as_deref())) else {
            let status = if shown.built.is_none() { 503 } else { 403 };
            return text_page(status, &msg!("edit_forbidden").render(Language::En), Language::En);
        };
        let config = &built.site().config;
        let language = config.language;
        let Some(target) = target(path, built.site()) else {
            return text_page(404, &msg!("edit_no_such_page").render(language), language);
        };
        match *request.method() {
            Method::GET | Method::HEAD => self.open(&target, built, path),
            Method::POST => {
                let origin = header_value(&request, "Origin");
                let referer = header_value(&request, "Referer");
                let host = host.unwrap_or_default();
                if !self.guard.origin_ok(&host, origin.as_deref(), referer.as_deref()) {
                    return text_page(403, &msg!("edit_forbidden").render(language), language);
                }
                let content_type = header_value(&request, "Content-Type").unwrap_or_default();
                let Some(body) = request.into_body() else {
                    let message = msg!("edit_too_large", megabytes = config.edit.max_upload_mb.to_string());
                    return text_page(413, &message.render(language), language);
                };
                match Submission::parse(&content_type, &body) {
                    Some(s) if self.guard.token_ok(s.get("_token")) => self.save(&target, built, preview, path, s),
                    _ => text_page(403, &msg!("edit_forbidden").render(language), language),
                }
            }
            _ => with_header(status_only(405), ALLOW, "GET, HEAD, POST"),
        }
    }

    /// The form of a file as it is on disk, or of a new file.
    fn open(&self, target: &Target, built: &Built, action: &str) -> Reply {
        let config = &built.site().config;
        let (kind, text, rendered) = match target {
            Target::Existing { kind, rel, page, .. } => {
                let text = std::fs::read_to_string(self.root.join(rel)).unwrap_or_default();
                (*kind, text, Rendered::Page(page.clone()))
            }
            Target::New(kind) => (*kind, new_text(*kind, config), Rendered::Nothing),
        };
        let Some(values) = Values::of_text(kind, &text) else {
            let Target::Existing { rel, .. } = target else { unreachable!("the scaffold has front matter") };
            return text_page(200, &msg!("edit_not_editable", path = rel).render(config.language), config.language);
        };
        self.form(200, target, built, action, &values, &text, &[], None, rendered)
    }

    /// Saves a submitted form, or shows it again with its errors, or with
    /// the page it would make (`_action=preview`).
    fn save(
        &self,
        target: &Target,
        built: &Built,
        preview: &Preview,
        action: &str,
        mut submission: Submission,
    ) -> Reply {
        let config = &built.site().config;
        let language = config.language;
        let original = unprotect(submission.get("_original").unwrap_or(""));
        let (kind, rel, disk) = match target {
            Target::Existing { kind, rel, .. } => {
                (*kind, rel.clone(), std::fs::read_to_string(self.root.join(rel)).ok())
            }
            Target::New(kind) => {
                let title = submission.get("title").unwrap_or("").trim().to_string();
                let name = scaffold::file_slug(&crate::text::nfc(&title), None).unwrap_or_else(|_| "moi".to_string());
                (*kind, format!("{}/{name}.md", kind.folder()), None)
            }
        };
        let original = if matches!(target, Target::New(_)) { new_text(kind, config) } else { original };
        let Some(before) = Values::of_text(kind, &original) else {
            return text_page(200, &msg!("edit_not_editable", path = &rel).render(language), language);
        };
        let mut errors = Vec::new();
        let statics = self.uploads(&mut submission, config, &mut errors);
        let after = submitted(kind, &submission);
        if let Target::Existing { .. } = target {
            if disk.as_deref() != Some(original.as_str()) {
                let now = disk.as_deref().and_then(|d| Values::of_text(kind, d)).unwrap_or_default();
                let conflict = Some((rel.clone(), now.differing(&before)));
                return self.form(409, target, built, action, &after, &original, &[], conflict, Rendered::Nothing);
            }
        } else if self.root.join(&rel).exists() {
            let message = msg!("edit_file_exists", path = &rel);
            let text = format!("{} ({})", message.render(language), msg!("hint_edit_file_exists").render(language));
            errors.push(FieldError { field: Some("title".into()), text });
        }
        let text = scaffold_apply(kind, &original, &before, &after);
        let previewing = submission.get("_action") == Some("preview");
        if !errors.is_empty() {
            return self.form(422, target, built, action, &after, &original, &errors, None, Rendered::Nothing);
        }
        let edit = Edit { rel: &rel, kind: content::Kind::from(kind), text: &text, statics: &statics };
        let unchanged = disk.as_deref() == Some(text.as_str()) && statics.is_empty();
        let write = || {
            let mut files: Vec<(String, &[u8])> =
                statics.iter().map(|(rel, bytes)| (rel.clone(), bytes.as_slice())).collect();
            files.push((rel.clone(), text.as_bytes()));
            assert!(files.iter().all(|(rel, _)| writable(rel)), "the editor writes only under content/ and static/");
            crate::catalogue::write::all(&self.root, &files).map(|_| ())
        };
        let save: Option<&dyn Fn() -> Result<(), Failure>> = if previewing || unchanged { None } else { Some(&write) };
        let checked = match preview.edit(&edit, save) {
            Ok(checked) => checked,
            Err(failure) => {
                errors.extend(self.field_errors(&failure, kind, &rel, &text, language));
                return self.form(422, target, built, action, &after, &original, &errors, None, Rendered::Nothing);
            }
        };
        if previewing {
            let rendered = match (checked.html, checked.page) {
                (Some(html), Some(at)) => Rendered::Html { html, at },
                _ => Rendered::Nothing,
            };
            return self.form(200, target, built, action, &after, &original, &[], None, rendered);
        }
        let page = checked.page.unwrap_or_else(|| "/".to_string());
        with_header(status_only(303), LOCATION, &page)
    }

    /// The files chosen in the forms group: each named safely under its
    /// procedure's folder and put in its table's `file` (and `name`, when
    /// empty). Returns them as (path under `static/`, bytes).
    fn uploads(
        &self,
        submission: &mut Submission,
        config: &Config,
        errors: &mut Vec<FieldError>,
    ) -> Vec<(String, Vec<u8>)> {
        let language = config.language;
        let code = submission.get("code").unwrap_or("").trim().to_string();
        let mut statics = Vec::new();
        for (name, sent) in std::mem::take(&mut submission.files) {
            let Some(i) = name
                .strip_prefix("forms.")
                .and_then(|r| r.strip_suffix("._upload"))
                .and_then(|i| i.parse::<usize>().ok())
            else {
                continue;
            };
            let field = format!("forms.{i}.file");
            let error = |message: crate::messages::Message, hint: crate::messages::Message| FieldError {
                field: Some(field.clone()),
                text: format!("{} ({})", message.render(language), hint.render(language)),
            };
            let Some(safe) = upload::safe_name(&sent.name) else {
                errors.push(error(msg!("edit_upload_type", name = &sent.name), msg!("hint_edit_upload_type")));
                continue;
            };
            if sent.bytes.len() as u64 > config.edit.max_upload_mb * 1_000_000 {
                let message = msg!("edit_too_large", megabytes = config.edit.max_upload_mb.to_string());
                errors.push(FieldError { field: Some(field), text: message.render(language) });
                continue;
            }
            let file = format!("{}/{safe}", upload::folder(&code));
            let rel = format!("static/{file}");
            let replace = submission.get(&format!("forms.{i}._replace")) == Some("true");
            let differs = std::fs::read(self.root.join(&rel)).is_ok_and(|old| old != sent.bytes);
            if differs && !replace {
                errors.push(error(msg!("edit_upload_other_file", path = &rel), msg!("hint_edit_upload_other_file")));
                continue;
            }
            let stem =
                sent.name.rsplit(['/', '\\']).next().unwrap_or("").rsplit_once('.').map_or("", |(s, _)| s).to_string();
            set_field(submission, &format!("forms.{i}.file"), file);
            if submission.get(&format!("forms.{i}.name")).is_none_or(|n| n.trim().is_empty()) {
                set_field(submission, &format!("forms.{i}.name"), stem);
            }
            statics.push((rel, sent.bytes));
        }
        statics
    }

    /// A failed check's errors, each at its field: an error in this file
    /// at the field of its line; one in another file (a code that file
    /// already has) at the field of the same key here, when this form has
    /// that key, and named with its place; the others in the summary only.
    fn field_errors(
        &self,
        failure: &Failure,
        kind: Kind,
        rel: &str,
        text: &str,
        language: Language,
    ) -> Vec<FieldError> {
        let Failure::Content(diagnostics) = failure else {
            return vec![FieldError { field: None, text: failure.render(language) }];
        };
        let mut others: HashMap<String, String> = HashMap::new();
        diagnostics
            .iter()
            .map(|d| {
                let field = if d.path == rel {
                    field_at(text, d.line)
                } else {
                    let other = others
                        .entry(d.path.clone())
                        .or_insert_with(|| std::fs::read_to_string(self.root.join(&d.path)).unwrap_or_default());
                    field_at(other, d.line).filter(|f| schema::keys(kind).iter().any(|k| k.name == f))
                };
                let mut message = d.message.render(language);
                if d.path != rel {
                    message = format!("{}: {message}", d.at());
                }
                if let Some(hint) = &d.hint {
                    message = format!("{message} ({})", hint.render(language));
                }
                FieldError { field, text: message }
            })
            .collect()
    }

    /// The form page.
    #[allow(clippy::too_many_arguments)]
    fn form(
        &self,
        status: u16,
        target: &Target,
        built: &Built,
        action: &str,
        values: &Values,
        original: &str,
        errors: &[FieldError],
        conflict: Option<(String, Vec<String>)>,
        rendered: Rendered,
    ) -> Reply {
        let site = built.site();
        let config = &site.config;
        let language = config.language;
        let (kind, heading, page) = match target {
            Target::Existing { kind, title, page, .. } => {
                (*kind, msg!("edit_title", title = title).render(language), Some(page.clone()))
            }
            Target::New(Kind::Notice) => (Kind::Notice, msg!("edit_new_notice").render(language), None),
            Target::New(kind) => (*kind, msg!("edit_new_procedure").render(language), None),
        };
        let choices = choices(site);
        let help = schema::explanations(kind, config);
        let original = if matches!(target, Target::New(_)) { "" } else { original };
        let form = Form {
            kind,
            language,
            heading,
            action: action.to_string(),
            page,
            values,
            original,
            token: &self.guard.token,
            errors,
            conflict,
            rendered,
            choices: &choices,
            help: &help,
        };
        file_response(status, "index.html", form.html().into_bytes())
    }
}

/// What the editor at `path` (under [`PREFIX`]) edits in `site`.
fn target(path: &str, site: &Site) -> Option<Target> {
    let rest = path.strip_prefix(PREFIX)?;
    match rest {
        "moi/thu-tuc/" => return Some(Target::New(Kind::Procedure)),
        "moi/tin-tuc/" => return Some(Target::New(Kind::Notice)),
        _ => {}
    }
    let page = format!("/{rest}");
    if let Some(p) = site.procedures.iter().find(|p| p.url() == page) {
        return Some(Target::Existing { kind: Kind::Procedure, rel: p.path.clone(), page, title: p.title.clone() });
    }
    if let Some(n) = site.notices.iter().find(|n| n.url() == page) {
        return Some(Target::Existing { kind: Kind::Notice, rel: n.path.clone(), page, title: n.title.clone() });
    }
    let p = site.pages.iter().find(|p| p.url() == page)?;
    Some(Target::Existing { kind: Kind::Page, rel: p.path.clone(), page, title: p.title.clone() })
}

/// Whether the page at site path `page` has a form: a procedure, notice or plain page.
pub fn has_form(site: &Site, page: &str) -> bool {
    target(&format!("{}{}", PREFIX, page.trim_start_matches('/')), site)
        .is_some_and(|t| matches!(t, Target::Existing { .. }))
}

/// The text a new file starts from: the scaffold, untitled, dated today.
fn new_text(kind: Kind, config: &Config) -> String {
    scaffold::render(kind, "", Date::today(), config)
}

/// The file's text with the form's changes; the front matter of the
/// scaffold and of every file the form opened reads, so this always writes.
fn scaffold_apply(kind: Kind, original: &str, before: &Values, after: &Values) -> String {
    crate::edit::values::apply(kind, original, before, after).unwrap_or_else(|| original.to_string())
}

/// What the site offers: its levels, and the values it already uses.
fn choices(site: &Site) -> Choices {
    let mut suggestions: HashMap<&'static str, Vec<String>> = HashMap::new();
    let mut seen: BTreeMap<&'static str, BTreeSet<&str>> = BTreeMap::new();
    for p in &site.procedures {
        seen.entry("field").or_default().insert(&p.field);
        seen.entry("agency").or_default().insert(&p.agency);
        for (key, value) in [("tier", &p.tier), ("submit_at", &p.submit_at)] {
            if let Some(v) = value {
                seen.entry(key).or_default().insert(v);
            }
        }
    }
    for (key, values) in seen {
        suggestions.insert(key, values.into_iter().map(str::to_string).collect());
    }
    Choices {
        levels: site.config.service_levels.iter().map(|l| (l.id.clone(), l.name.clone())).collect(),
        suggestions,
        max_upload_mb: site.config.edit.max_upload_mb,
    }
}

/// Whether the editor may write the file at `rel`: under `content/` or
/// `static/`, with no `..`, `.` or empty part.
fn writable(rel: &str) -> bool {
    (rel.starts_with("content/") || rel.starts_with("static/"))
        && rel.split('/').all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'))
}

fn set_field(submission: &mut Submission, name: &str, value: String) {
    submission.fields.retain(|(k, _)| k != name);
    submission.fields.push((name.to_string(), value));
}

fn header_value(request: &Incoming, name: &'static str) -> Option<String> {
    request.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_string)
}

/// The most bytes a request's body may have: what the editor accepts for an
/// upload (`[edit] max_upload_mb`, and a megabyte for the rest of the form).
pub fn body_limit(preview: &Preview) -> usize {
    let megabytes = preview
        .shown()
        .built
        .map_or(crate::config::EditSettings::default().max_upload_mb, |built| built.site().config.edit.max_upload_mb);
    usize::try_from(megabytes.saturating_add(1).saturating_mul(1_000_000)).unwrap_or(usize::MAX)
}

/// A short page saying one thing.
fn text_page(status: u16, text: &str, language: Language) -> Reply {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>niemyet</title></head><body><main><p>{}</p></main></body></html>\n",
        language.code(),
        html_escape(text)
    );
    file_response(status, "index.html", page.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::writable;

    #[test]
    fn the_editor_writes_only_under_content_and_static() {
        assert!(writable("content/procedures/a.md") && writable("static/mau-don/1.2/x.pdf"));
        for rel in
            ["site.toml", "content/../site.toml", "static//x", "/etc/passwd", "themes/x", "static/a\\..\\b", "content"]
        {
            assert!(!writable(rel), "{rel}");
        }
    }
}
