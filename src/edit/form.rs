//! The editor's form as an HTML page: a labelled field for each key, in
//! the site's language, explained as the scaffold explains it; errors at
//! their fields and in a summary linking to them; the body beside the page
//! it makes. It works without JavaScript; its small script only warns
//! before unsaved changes are lost and refreshes the rendered page as one types.

use std::collections::HashMap;
use std::fmt::Write;

use super::schema::{self, Input, Key};
use super::values::{protect, Values, GROUPS};
use crate::markdown::html_escape;
use crate::messages::Language;
use crate::messages::Message;
use crate::msg;
use crate::scaffold::Kind;

/// An error to show on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field it belongs to (`title`, `channels.0.kind`, `body`), when known.
    pub field: Option<String>,
    /// What is wrong and what to do, in the site's language (with its place
    /// when it is in another file).
    pub text: String,
}

/// What the site offers to choose from.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// The service levels, as (id, name), lowest first.
    pub levels: Vec<(String, String)>,
    /// Values the site already uses, by key (`field`, `agency`, ...), for suggestions.
    pub suggestions: HashMap<&'static str, Vec<String>>,
    /// The largest form file that may be uploaded, in MB.
    pub max_upload_mb: u64,
}

/// What the pane beside the body shows.
#[derive(Debug, Clone)]
pub enum Rendered {
    /// Nothing yet (a new file).
    Nothing,
    /// The preview's page at this site path.
    Page(String),
    /// A page rendered from the typed values, to be shown as if at this site path.
    Html { html: String, at: String },
}

/// Everything the form page shows.
pub struct Form<'a> {
    /// Procedure, notice or page.
    pub kind: Kind,
    /// The site's language.
    pub language: Language,
    /// The page's heading.
    pub heading: String,
    /// Where the form is sent (`/_sua/thu-tuc/x/`).
    pub action: String,
    /// The page it edits, for the way back; none for a new file.
    pub page: Option<String>,
    /// What the fields hold.
    pub values: &'a Values,
    /// The file's text when the form was first opened (empty for a new file).
    pub original: &'a str,
    /// The editor's token.
    pub token: &'a str,
    /// The errors of the last save.
    pub errors: &'a [FieldError],
    /// When the file changed on disk: its path and the fields that differ.
    pub conflict: Option<(String, Vec<String>)>,
    /// What the pane beside the body shows.
    pub rendered: Rendered,
    /// What the site offers to choose from.
    pub choices: &'a Choices,
    /// Each key's explanation.
    pub help: &'a HashMap<String, String>,
}

/// The label of a key, in the site's language.
pub fn label(name: &str) -> Message {
    match name {
        "title" => msg!("edit_key_title"),
        "code" => msg!("edit_key_code"),
        "field" => msg!("edit_key_field"),
        "agency" => msg!("edit_key_agency"),
        "service_level" => msg!("edit_key_service_level"),
        "postal" => msg!("edit_key_postal"),
        "tier" => msg!("edit_key_tier"),
        "processing_time" => msg!("edit_key_processing_time"),
        "fee" => msg!("edit_key_fee"),
        "submit_at" => msg!("edit_key_submit_at"),
        "online_url" => msg!("edit_key_online_url"),
        "decision" => msg!("edit_key_decision"),
        "decision_date" => msg!("edit_key_decision_date"),
        "status" => msg!("edit_key_status"),
        "updated" => msg!("edit_key_updated"),
        "applicants" => msg!("edit_key_applicants"),
        "keywords" => msg!("edit_key_keywords"),
        "aliases" => msg!("edit_key_aliases"),
        "slug" => msg!("edit_key_slug"),
        "draft" => msg!("edit_key_draft"),
        "date" => msg!("edit_key_date"),
        "summary" => msg!("edit_key_summary"),
        "procedures" => msg!("edit_key_procedures"),
        "channels" => msg!("edit_key_channels"),
        "forms" => msg!("edit_key_forms"),
        "kind" => msg!("edit_key_kind"),
        "note" => msg!("edit_key_note"),
        "name" => msg!("edit_key_name"),
        "file" => msg!("edit_key_file"),
        _ => msg!("edit_body"),
    }
}

/// The label of a field of a form for `kind`, groups included: "Ways of filing 1: Fee".
pub fn field_label(field: &str, kind: Kind, language: Language) -> String {
    let parts: Vec<&str> = field.split('.').collect();
    match parts[..] {
        [group, n, key] => {
            let n = n.parse::<usize>().map_or(0, |n| n + 1);
            let group = msg!("edit_group_item", group = label(group), n = n).render(language);
            format!("{group}: {}", label(key).render(language))
        }
        ["title"] if kind != Kind::Procedure => msg!("edit_key_heading").render(language),
        _ => label(field).render(language),
    }
}

fn postal_label(word: &str) -> Message {
    match word {
        "both" => msg!("edit_postal_both"),
        "receive" => msg!("edit_postal_receive"),
        "return" => msg!("edit_postal_return"),
        _ => msg!("edit_postal_none"),
    }
}

fn status_label(word: &str) -> Message {
    match word {
        "amended" => msg!("edit_status_amended"),
        "abolished" => msg!("edit_status_abolished"),
        _ => msg!("edit_status_active"),
    }
}

fn channel_label(word: &str) -> Message {
    match word {
        "online" => msg!("edit_channel_online"),
        "postal" => msg!("edit_channel_postal"),
        _ => msg!("edit_channel_direct"),
    }
}

const STYLE: &str = "
*{box-sizing:border-box}
html{scroll-padding-bottom:5rem}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a;background:#f6f6f4}
main{max-width:90rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:0 0 1rem;overflow-wrap:anywhere}
a{color:#0b57a4}
.fields{display:grid;gap:0 2rem;max-width:60rem}
@media(min-width:64rem){.fields{grid-template-columns:1fr 1fr}}
.field{margin:0 0 1rem;min-width:0}
label,legend{display:block;font-weight:600}
fieldset{border:1px solid #b7b7b0;border-radius:4px;margin:0 0 1rem;padding:.5rem 1rem;min-width:0}
fieldset fieldset{background:#fff}
.choice{display:flex;gap:.5rem;align-items:flex-start;margin:.25rem 0;font-weight:400}
.choice input{margin-top:.3rem;width:1.2rem;height:1.2rem;flex:none}
.help{margin:.1rem 0 .3rem;color:#4a4a45;font-size:.9rem}
.req{font-weight:400;color:#8a1c13}
input[type=text],input[type=url],input[type=date],input[type=file],select,textarea{display:block;width:100%;font:inherit;padding:.45rem .5rem;border:1px solid #6b6b66;border-radius:3px;background:#fff;color:inherit}
textarea{resize:vertical}
:focus-visible{outline:3px solid #0b57a4;outline-offset:2px}
.invalid input,.invalid select,.invalid textarea{border:2px solid #b3261e}
.error{margin:.2rem 0;color:#8a1c13;font-weight:600}
.summary,.conflict{border:3px solid #b3261e;background:#fff;padding:.75rem 1rem;margin:0 0 1rem}
.summary h2,.conflict h2{margin:0 0 .5rem;font-size:1.15rem;color:#8a1c13}
.work{display:grid;gap:1rem}
@media(min-width:64rem){.work{grid-template-columns:1fr 1fr}}
#f-body{min-height:24rem;font-family:ui-monospace,Consolas,monospace}
iframe{width:100%;min-height:30rem;height:100%;border:1px solid #6b6b66;background:#fff}
.actions{position:sticky;bottom:0;background:#f6f6f4;padding:.75rem 0;display:flex;gap:1rem;flex-wrap:wrap;align-items:center;border-top:1px solid #ccc}
button{font:inherit;font-weight:600;padding:.55rem 1.4rem;border-radius:3px;border:2px solid #0b57a4;background:#0b57a4;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b57a4}
";

const SCRIPT: &str = include_str!("form.js");

impl Form<'_> {
    /// The whole page.
    pub fn html(&self) -> String {
        let l = self.language;
        let mut out = String::with_capacity(16_384);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head>\n<body><main>\n<h1>{}</h1>\n",
            l.code(),
            html_escape(&self.heading),
            html_escape(&self.heading)
        );
        if let Some(page) = &self.page {
            let _ = writeln!(out, "<p><a href=\"{}\">{}</a></p>", html_escape(page), msg!("edit_back").render(l));
        }
        self.conflict_notice(&mut out);
        self.summary(&mut out);
        let _ = write!(
            out,
            "<form id=\"editor\" method=\"post\" action=\"{}\" enctype=\"multipart/form-data\" data-unsaved=\"{}\">\n<input type=\"hidden\" name=\"_token\" value=\"{}\"><input type=\"hidden\" name=\"_original\" value=\"{}\">\n<div class=\"fields\">\n",
            html_escape(&self.action),
            html_escape(&msg!("edit_unsaved").render(l)),
            html_escape(self.token),
            html_escape(&protect(self.original))
        );
        for key in schema::keys(self.kind) {
            self.key_field(&mut out, key);
        }
        out.push_str("</div>\n");
        if self.kind == Kind::Procedure {
            for (group, names) in GROUPS {
                self.group(&mut out, group, names);
            }
        }
        self.body(&mut out);
        let _ = write!(
            out,
            "<div class=\"actions\"><button type=\"submit\" name=\"_action\" value=\"save\">{}</button> <button class=\"secondary\" type=\"submit\" name=\"_action\" value=\"preview\">{}</button></div>\n</form>\n</main>\n<script>{SCRIPT}</script>\n</body></html>\n",
            msg!("edit_save").render(l),
            msg!("edit_preview").render(l)
        );
        out
    }

    fn conflict_notice(&self, out: &mut String) {
        let Some((path, keys)) = &self.conflict else {
            return;
        };
        let l = self.language;
        let keys: Vec<String> = keys.iter().map(|k| field_label(k, self.kind, l)).collect();
        let _ = writeln!(
            out,
            "<div class=\"conflict\" id=\"errors\" tabindex=\"-1\"><h2>{}</h2><p>{}</p><p><a href=\"{}\">{}</a></p></div>",
            msg!("edit_conflict_heading").render(l),
            html_escape(&msg!("edit_conflict_text", path = path, keys = keys.join(", ")).render(l)),
            html_escape(&self.action),
            msg!("edit_conflict_reopen").render(l)
        );
    }

    fn summary(&self, out: &mut String) {
        if self.errors.is_empty() {
            return;
        }
        let l = self.language;
        let _ = write!(
            out,
            "<div class=\"summary\" id=\"errors\" tabindex=\"-1\" role=\"alert\"><h2>{}</h2><ul>",
            msg!("edit_errors_heading", n = self.errors.len()).render(l)
        );
        for error in self.errors {
            let text = html_escape(&error.text);
            match &error.field {
                Some(field) => {
                    let _ = write!(
                        out,
                        "<li><a href=\"#f-{}\">{}: {text}</a></li>",
                        html_escape(field),
                        html_escape(&field_label(field, self.kind, l))
                    );
                }
                None => {
                    let _ = write!(out, "<li>{text}</li>");
                }
            }
        }
        out.push_str("</ul></div>\n");
    }

    /// The errors of a field, and the attributes that tie them to it.
    fn errors_of(&self, field: &str) -> (String, String) {
        let mine: Vec<&FieldError> = self.errors.iter().filter(|e| e.field.as_deref() == Some(field)).collect();
        if mine.is_empty() {
            return (String::new(), String::new());
        }
        let text: String = mine.iter().map(|e| html_escape(&e.text)).collect::<Vec<_>>().join(" ");
        (format!("<p class=\"error\" id=\"e-{field}\">{text}</p>"), format!(" e-{field}"))
    }

    fn key_field(&self, out: &mut String, key: &Key) {
        let l = self.language;
        let name = key.name;
        let value = self.values.get(name);
        let (error, error_id) = self.errors_of(name);
        let invalid = if error.is_empty() { "" } else { " invalid" };
        let aria_invalid = if error.is_empty() { "" } else { " aria-invalid=\"true\"" };
        let required = if key.required {
            format!(" <span class=\"req\">({})</span>", msg!("edit_required").render(l))
        } else {
            String::new()
        };
        let required_attr = if key.required { " aria-required=\"true\"" } else { "" };
        let mut help = self.help.get(name).cloned().unwrap_or_default();
        if key.input == Input::Lines {
            help = format!("{help} {}", msg!("edit_one_per_line").render(l)).trim().to_string();
        }
        let help_html = format!("<p class=\"help\" id=\"h-{name}\">{}</p>", html_escape(&help));
        let described = format!(" aria-describedby=\"h-{name}{error_id}\"");
        let label = field_label(name, self.kind, l);
        let v = html_escape(value);
        match key.input {
            Input::Postal | Input::Flag => {}
            _ => {
                let _ = write!(
                    out,
                    "<div class=\"field{invalid}\"><label for=\"f-{name}\">{label}{required}</label>{help_html}{error}"
                );
            }
        }
        match key.input {
            Input::Text | Input::Url | Input::Date => {
                let kind = match key.input {
                    Input::Url => "url",
                    Input::Date => "date",
                    _ => "text",
                };
                let _ = write!(out, "<input type=\"{kind}\" id=\"f-{name}\" name=\"{name}\" value=\"{v}\"{described}{required_attr}{aria_invalid}>");
            }
            Input::Suggested => {
                let _ = write!(out, "<input type=\"text\" id=\"f-{name}\" name=\"{name}\" value=\"{v}\" list=\"l-{name}\" autocomplete=\"off\"{described}{required_attr}{aria_invalid}><datalist id=\"l-{name}\">");
                for option in self.choices.suggestions.get(name).into_iter().flatten() {
                    let _ = write!(out, "<option value=\"{}\"></option>", html_escape(option));
                }
                out.push_str("</datalist>");
            }
            Input::Lines => {
                let _ = write!(out, "<textarea id=\"f-{name}\" name=\"{name}\" rows=\"3\"{described}{required_attr}{aria_invalid}>\n{v}</textarea>");
            }
            Input::Level => {
                let known = self.choices.levels.iter().any(|(id, _)| id == value);
                let _ = write!(out, "<select id=\"f-{name}\" name=\"{name}\"{described}{required_attr}{aria_invalid}>");
                if !known {
                    let _ = write!(
                        out,
                        "<option value=\"{v}\" selected>{}</option>",
                        if value.is_empty() { msg!("edit_choose").render(l) } else { v.clone() }
                    );
                }
                for (id, level) in &self.choices.levels {
                    let selected = if id == value { " selected" } else { "" };
                    let _ =
                        write!(out, "<option value=\"{}\"{selected}>{}</option>", html_escape(id), html_escape(level));
                }
                out.push_str("</select>");
            }
            Input::Status => {
                let _ = write!(out, "<select id=\"f-{name}\" name=\"{name}\"{described}{aria_invalid}>");
                let value = if value.is_empty() { "active" } else { value };
                if !schema::STATUSES.contains(&value) {
                    let _ = write!(out, "<option value=\"{v}\" selected>{v}</option>");
                }
                for word in schema::STATUSES {
                    let selected = if word == value { " selected" } else { "" };
                    let _ = write!(out, "<option value=\"{word}\"{selected}>{}</option>", status_label(word).render(l));
                }
                out.push_str("</select>");
            }
            Input::Postal => {
                let _ = write!(out, "<fieldset class=\"field{invalid}\" id=\"f-{name}\" tabindex=\"-1\"{described}><legend>{label}{required}</legend>{help_html}{error}");
                for word in ["both", "receive", "return", "none"] {
                    let checked = if word == value { " checked" } else { "" };
                    let _ = write!(out, "<label class=\"choice\"><input type=\"radio\" name=\"{name}\" value=\"{word}\"{checked}> {}</label>", postal_label(word).render(l));
                }
                out.push_str("</fieldset>\n");
                return;
            }
            Input::Flag => {
                let checked = if value == "true" { " checked" } else { "" };
                let _ = write!(out, "<div class=\"field{invalid}\">{error}<label class=\"choice\" for=\"f-{name}\"><input type=\"checkbox\" id=\"f-{name}\" name=\"{name}\" value=\"true\"{checked}{described}> {label}</label>{help_html}</div>");
                return;
            }
        }
        out.push_str("</div>\n");
    }

    fn group(&self, out: &mut String, group: &str, names: &[&str]) {
        let l = self.language;
        let tables = self.values.groups.get(group).map_or(&[][..], Vec::as_slice);
        let help =
            self.help.get(group).map(|h| format!("<p class=\"help\">{}</p>", html_escape(h))).unwrap_or_default();
        let (error, _) = self.errors_of(group);
        let _ = write!(
            out,
            "<fieldset id=\"f-{group}\" tabindex=\"-1\"><legend>{}</legend>{help}{error}",
            label(group).render(l)
        );
        let empty = std::collections::BTreeMap::new();
        for (i, table) in tables.iter().chain(std::iter::once(&empty)).enumerate() {
            let legend = if i < tables.len() {
                msg!("edit_group_item", group = label(group), n = i + 1)
            } else {
                msg!("edit_group_new", group = label(group))
            };
            let _ = write!(out, "<fieldset><legend>{}</legend>", legend.render(l));
            for name in names {
                let field = format!("{group}.{i}.{name}");
                let value = table.get(*name).map_or("", String::as_str);
                let (error, error_id) = self.errors_of(&field);
                let invalid = if error.is_empty() { "" } else { " invalid" };
                let described = if error_id.is_empty() {
                    String::new()
                } else {
                    format!(" aria-describedby=\"{}\" aria-invalid=\"true\"", error_id.trim())
                };
                let _ = write!(
                    out,
                    "<div class=\"field{invalid}\"><label for=\"f-{field}\">{}</label>{error}",
                    label(name).render(l)
                );
                if *name == "kind" {
                    let _ = write!(
                        out,
                        "<select id=\"f-{field}\" name=\"{field}\"{described}><option value=\"\">{}</option>",
                        msg!("edit_choose").render(l)
                    );
                    for word in schema::CHANNEL_KINDS {
                        let selected = if word == value { " selected" } else { "" };
                        let _ = write!(
                            out,
                            "<option value=\"{word}\"{selected}>{}</option>",
                            channel_label(word).render(l)
                        );
                    }
                    out.push_str("</select></div>");
                } else {
                    let _ = write!(
                        out,
                        "<input type=\"text\" id=\"f-{field}\" name=\"{field}\" value=\"{}\"{described}></div>",
                        html_escape(value)
                    );
                }
            }
            if group == "forms" {
                let _ = write!(
                    out,
                    "<div class=\"field\"><label for=\"f-{group}.{i}._upload\">{}</label><p class=\"help\" id=\"h-{group}.{i}._upload\">pdf, doc, docx, odt, xls, xlsx, ods; ≤ {} MB</p><input type=\"file\" id=\"f-{group}.{i}._upload\" name=\"{group}.{i}._upload\" accept=\".pdf,.doc,.docx,.odt,.xls,.xlsx,.ods\" aria-describedby=\"h-{group}.{i}._upload\"></div><label class=\"choice\"><input type=\"checkbox\" name=\"{group}.{i}._replace\" value=\"true\"> {}</label>",
                    msg!("edit_upload_choose").render(l),
                    self.choices.max_upload_mb,
                    msg!("edit_upload_replace").render(l)
                );
            }
            if i < tables.len() {
                let _ = write!(out, "<label class=\"choice\"><input type=\"checkbox\" name=\"{group}.{i}._remove\" value=\"true\"> {}</label>", msg!("edit_group_remove").render(l));
            }
            out.push_str("</fieldset>\n");
        }
        out.push_str("</fieldset>\n");
    }

    fn body(&self, out: &mut String) {
        let l = self.language;
        let (error, error_id) = self.errors_of("body");
        let invalid = if error.is_empty() { "" } else { " invalid" };
        let _ = write!(
            out,
            "<div class=\"work\"><div class=\"field{invalid}\"><label for=\"f-body\">{}</label><p class=\"help\" id=\"h-body\">{}</p>{error}<textarea id=\"f-body\" name=\"body\" rows=\"24\" aria-describedby=\"h-body{error_id}\">\n{}</textarea></div>\n",
            msg!("edit_body").render(l),
            msg!("edit_body_help").render(l),
            html_escape(&self.values.body)
        );
        let title = html_escape(&msg!("edit_rendered").render(l));
        match &self.rendered {
            Rendered::Nothing => {
                let _ = write!(out, "<div class=\"field\"><p class=\"help\">{title}</p><iframe id=\"rendered\" title=\"{title}\" srcdoc=\"\"></iframe></div>");
            }
            Rendered::Page(at) => {
                let _ = write!(out, "<div class=\"field\"><p class=\"help\">{title}</p><iframe id=\"rendered\" title=\"{title}\" src=\"{}\"></iframe></div>", html_escape(at));
            }
            Rendered::Html { html, at } => {
                let html = with_base(html, at);
                let _ = write!(out, "<div class=\"field\"><p class=\"help\">{title}</p><iframe id=\"rendered\" title=\"{title}\" srcdoc=\"{}\"></iframe></div>", html_escape(&html));
            }
        }
        out.push_str("</div>\n");
    }
}

/// A page's HTML told that it is at site path `at`, so that its relative links work.
fn with_base(html: &str, at: &str) -> String {
    let base = format!("<base href=\"{}\">", html_escape(at));
    match html.find("<head>") {
        Some(i) => format!("{}{base}{}", &html[..i + 6], &html[i + 6..]),
        None => format!("{base}{html}"),
    }
}
