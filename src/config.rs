//! `site.toml`: the site's settings, read with positions so every mistake
//! points at its line and column.

use std::path::Path;

use serde::Serialize;
use toml::de::DeValue;

use crate::content::front_matter::{self, Fields};
use crate::diagnostics::Failure;
use crate::messages::{Language, Message};
use crate::{msg, text};

/// The body that publishes the procedures, shown in the footer and structured data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Organization {
    /// Name, such as "Chi cục Tiêu chuẩn Đo lường Chất lượng".
    pub name: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// The area its services cover, such as "Tỉnh Quảng Trị" (structured data).
    pub area: Option<String>,
    /// Where people send feedback and petitions (phản ánh, kiến nghị) on
    /// procedures, printed at the foot of the posting sheets.
    pub feedback: Option<String>,
}

/// One online public service level, as declared in `[[service_levels]]`.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceLevel {
    /// The id front matter refers to, such as "4" or "toan-trinh".
    pub id: String,
    /// The URL-safe form of the id, used in `/muc-do/<slug>/`.
    pub slug: String,
    /// Name shown to people, such as "Mức độ 4".
    pub name: String,
    /// What the level means for the citizen.
    pub description: Option<String>,
}

/// What search treats as the same, from `[search]`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchSettings {
    /// Groups of words or phrases that find each other, such as
    /// `["CCCD", "căn cước công dân"]`: the site's own, beside the built-in abbreviations.
    pub synonyms: Vec<Vec<String>>,
}

/// The settings of a site, from `site.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// The site's title.
    pub title: String,
    /// Absolute base URL without a trailing slash, such as `https://example.gov.vn/tthc`.
    pub base_url: String,
    /// Language of the interface strings.
    pub language: Language,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Optional description of the site.
    pub description: Option<String>,
    /// The publishing body, when given.
    pub organization: Option<Organization>,
    /// Service levels from the lowest to the highest.
    pub service_levels: Vec<ServiceLevel>,
    /// Search settings.
    pub search: SearchSettings,
    /// The editor's settings, from `[edit]`.
    pub edit: EditSettings,
}

/// The editor's settings in `serve`, from `[edit]`.
#[derive(Debug, Clone, Serialize)]
pub struct EditSettings {
    /// The largest form file staff may upload, in megabytes (20 unless given).
    pub max_upload_mb: u64,
}

impl Default for EditSettings {
    fn default() -> Self {
        EditSettings { max_upload_mb: 20 }
    }
}

/// The name of the settings file in a site folder.
pub const FILE_NAME: &str = "site.toml";

impl Config {
    /// Reads `site.toml` from the site folder `root`.
    ///
    /// A missing file is a usage failure (exit 2); mistakes inside it are
    /// content failures with their line and column (exit 1).
    pub fn load(root: &Path) -> Result<Config, Failure> {
        let path = root.join(FILE_NAME);
        let bytes = std::fs::read(&path).map_err(|error| {
            Failure::Usage(msg!("cannot_read_site_toml", path = path.display().to_string(), error = error.to_string()))
        })?;
        Config::parse(&bytes)
    }

    /// Reads the bytes of a `site.toml`; mistakes come back with their line
    /// and column, as a content failure.
    pub fn parse(bytes: &[u8]) -> Result<Config, Failure> {
        let source = front_matter::read_source(FILE_NAME.to_string(), bytes).map_err(Failure::content)?;
        let table = front_matter::parse(&source, &source.text, 0).map_err(Failure::content)?;
        let mut fields = Fields::new(&source, 0, 0, &table);
        let config = read(&mut fields);
        let errors = fields.finish();
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(Failure::content(errors))
        }
    }

    /// The path part of `base_url`, such as "/tthc", or "" at a domain's root.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    }

    /// The absolute URL of a site path such as "/thu-tuc/x/".
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// The service level with this id, if declared.
    pub fn level(&self, id: &str) -> Option<&ServiceLevel> {
        self.service_levels.iter().find(|l| l.id == id)
    }
}

/// The longest base URL, in bytes: every procedure's address (the base URL,
/// then a path of at most a few hundred bytes) must fit in the QR code of the
/// posting sheets, which holds 2,331 bytes at its size and correction level.
pub const MAX_BASE_URL_LEN: usize = 1000;

/// Checks and normalises a base URL: absolute http(s), no trailing slash, at
/// most [`MAX_BASE_URL_LEN`] bytes.
pub fn normalize_base_url(url: &str) -> Result<String, Message> {
    let url = url.trim().trim_end_matches('/');
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        _ if url.len() > MAX_BASE_URL_LEN => {
            Err(msg!("base_url_too_long", length = url.len().to_string(), max = MAX_BASE_URL_LEN.to_string()))
        }
        Some(host) if !host.is_empty() && !host.starts_with('/') && !url.contains(['?', '#', ' ']) => {
            Ok(url.to_string())
        }
        _ => Err(msg!("base_url_invalid", url = url)),
    }
}

fn read(fields: &mut Fields<'_, '_>) -> Config {
    let title = fields.required_text("title", msg!("what_site_title")).value;
    let base_url = match fields.raw("base_url").map(|v| (v, fields.text("base_url"))) {
        None => {
            fields.missing("base_url", msg!("what_base_url"));
            String::new()
        }
        Some((_, None)) => String::new(),
        Some((value, Some(url))) => normalize_base_url(&url.value).unwrap_or_else(|message| {
            fields.error_at(value.span(), message, None);
            String::new()
        }),
    };
    let language = match fields.text("language") {
        None => Language::Vi,
        Some(l) if l.value == "vi" => Language::Vi,
        Some(l) if l.value == "en" => Language::En,
        Some(_) => {
            let span = fields.raw("language").expect("present").span();
            fields.error_at(span, msg!("language_invalid"), Some(msg!("hint_language")));
            Language::Vi
        }
    };
    let theme = fields.text("theme").map_or_else(|| "default".to_string(), |t| t.value);
    let description = fields.text("description").map(|d| d.value);
    let organization = read_organization(fields);
    let service_levels = read_levels(fields);
    let search = read_search(fields);
    let edit = read_edit(fields);
    Config { title, base_url, language, theme, description, organization, service_levels, search, edit }
}

fn read_edit(fields: &mut Fields<'_, '_>) -> EditSettings {
    let Some(value) = fields.raw("edit") else {
        return EditSettings::default();
    };
    let DeValue::Table(table) = value.get_ref() else {
        fields.error_at(value.span(), msg!("edit_not_table"), None);
        return EditSettings::default();
    };
    let mut sub = fields.nested(value.span().start, table);
    let mut settings = EditSettings::default();
    if let Some(limit) = sub.raw("max_upload_mb") {
        match limit.get_ref() {
            DeValue::Integer(n) if n.as_str().parse::<u64>().is_ok_and(|n| n > 0) => {
                settings.max_upload_mb = n.as_str().parse().expect("checked");
            }
            _ => sub.error_at(limit.span(), msg!("edit_max_upload_invalid"), Some(msg!("hint_edit_max_upload"))),
        }
    }
    fields.errors.extend(sub.finish());
    settings
}

fn read_search(fields: &mut Fields<'_, '_>) -> SearchSettings {
    let Some(value) = fields.raw("search") else {
        return SearchSettings::default();
    };
    let DeValue::Table(table) = value.get_ref() else {
        fields.error_at(value.span(), msg!("search_not_table"), None);
        return SearchSettings::default();
    };
    let mut sub = fields.nested(value.span().start, table);
    let mut synonyms = Vec::new();
    if let Some(list) = sub.raw("synonyms") {
        let groups = match list.get_ref() {
            DeValue::Array(groups) => groups.iter().collect(),
            _ => vec![list],
        };
        for group in groups {
            match synonym_group(group.get_ref()) {
                Some(forms) => synonyms.push(forms),
                None => sub.error_at(group.span(), msg!("synonyms_not_groups"), Some(msg!("hint_synonyms"))),
            }
        }
    }
    fields.errors.extend(sub.finish());
    SearchSettings { synonyms }
}

/// A group of two or more texts that each hold a word, such as `["CCCD", "căn cước công dân"]`.
fn synonym_group(value: &DeValue<'_>) -> Option<Vec<String>> {
    let DeValue::Array(items) = value else { return None };
    let forms: Option<Vec<String>> = items
        .iter()
        .map(|item| match item.get_ref() {
            DeValue::String(s) if !text::words(s).is_empty() => Some(s.trim().to_string()),
            _ => None,
        })
        .collect();
    forms.filter(|forms| forms.len() >= 2)
}

fn read_organization(fields: &mut Fields<'_, '_>) -> Option<Organization> {
    let value = fields.raw("organization")?;
    let DeValue::Table(table) = value.get_ref() else {
        fields.error_at(value.span(), msg!("organization_not_table"), None);
        return None;
    };
    let mut sub = fields.nested(value.span().start, table);
    let organization = Organization {
        name: sub.text("name").map(|v| v.value),
        address: sub.text("address").map(|v| v.value),
        phone: sub.text("phone").map(|v| v.value),
        email: sub.text("email").map(|v| v.value),
        area: sub.text("area").map(|v| v.value),
        feedback: sub.text("feedback").map(|v| v.value),
    };
    fields.errors.extend(sub.finish());
    Some(organization)
}

fn read_levels(fields: &mut Fields<'_, '_>) -> Vec<ServiceLevel> {
    let hint = msg!("hint_levels");
    let Some(value) = fields.raw("service_levels") else {
        fields.missing("service_levels", msg!("what_levels"));
        return Vec::new();
    };
    let items = match value.get_ref() {
        DeValue::Array(items) if !items.is_empty() => items,
        _ => {
            fields.error_at(value.span(), msg!("levels_empty"), Some(hint));
            return Vec::new();
        }
    };
    let mut levels: Vec<ServiceLevel> = Vec::new();
    for item in items.iter() {
        let DeValue::Table(table) = item.get_ref() else {
            fields.error_at(item.span(), msg!("level_not_table"), Some(hint.clone()));
            continue;
        };
        let mut sub = fields.nested(item.span().start, table);
        let id = match sub.raw("id").map(|v| (v, level_id(v.get_ref()))) {
            Some((_, Some(id))) => Some(id),
            Some((v, None)) => {
                sub.error_at(v.span(), msg!("level_id_not_text"), None);
                None
            }
            None => {
                sub.missing("id", msg!("what_level_id"));
                None
            }
        };
        let name = sub.required_text("name", msg!("what_level_name")).value;
        let description = sub.text("description").map(|d| d.value);
        let span = item.span();
        fields.errors.extend(sub.finish());
        let Some(id) = id else { continue };
        let slug = text::short_slug(&id);
        if levels.iter().any(|l| l.id == id || l.slug == slug) {
            fields.error_at(span, msg!("level_declared_twice", id = &id), Some(msg!("hint_level_own_id")));
            continue;
        }
        levels.push(ServiceLevel { id, slug, name, description });
    }
    levels
}

/// Reads a service level id written as text (`"4"`) or as a whole number (`4`).
pub fn level_id(value: &DeValue<'_>) -> Option<String> {
    match value {
        DeValue::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        DeValue::Integer(i) => Some(i.as_str().replace('_', "")),
        _ => None,
    }
}
