//! A procedure file (`content/procedures/**.md`): its front matter read into
//! a [`Procedure`], with every mistake reported.

use serde::Serialize;
use toml::de::DeValue;

use super::body::Body;
use super::front_matter::{self, Date, Fields, Located};
use super::{body_links, file_slug, parse_alias, to_json};
use crate::config::{level_id, Config};
use crate::diagnostics::Diagnostic;
use crate::messages::Message;
use crate::{msg, text};

/// Whether dossiers and results go through the public postal service
/// (dịch vụ bưu chính công ích).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Postal {
    /// Dossiers received and results returned by post.
    Both,
    /// Dossiers received by post only.
    Receive,
    /// Results returned by post only.
    Return,
    /// Not through the postal service.
    None,
}

impl Postal {
    /// Every mode, in the order they are listed on the site.
    pub const ALL: [Postal; 4] = [Postal::Both, Postal::Receive, Postal::Return, Postal::None];

    /// The word used in front matter and open data: "both", "receive", "return", "none".
    pub fn word(self) -> &'static str {
        match self {
            Postal::Both => "both",
            Postal::Receive => "receive",
            Postal::Return => "return",
            Postal::None => "none",
        }
    }

    /// The URL segment of the mode's filter page, under `/buu-chinh/`.
    pub fn slug(self) -> &'static str {
        match self {
            Postal::Both => "nhan-va-tra",
            Postal::Receive => "nhan-ho-so",
            Postal::Return => "tra-ket-qua",
            Postal::None => "khong",
        }
    }

    /// The key of the mode's name in the theme's strings.
    pub fn name_key(self) -> &'static str {
        match self {
            Postal::Both => "postal_both",
            Postal::Receive => "postal_receive",
            Postal::Return => "postal_return",
            Postal::None => "postal_none",
        }
    }

    /// The key of the mode's explanation in the theme's strings.
    pub fn description_key(self) -> &'static str {
        match self {
            Postal::Both => "postal_both_description",
            Postal::Receive => "postal_receive_description",
            Postal::Return => "postal_return_description",
            Postal::None => "postal_none_description",
        }
    }

    fn from_word(word: &str) -> Option<Postal> {
        Postal::ALL.into_iter().find(|p| p.word() == word)
    }
}

/// Whether a procedure is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In force.
    Active,
    /// In force, recently amended (sửa đổi, bổ sung).
    Amended,
    /// Abolished (bãi bỏ): the page stays, marked, but leaves filters and statistics.
    Abolished,
}

impl Status {
    /// The word used in front matter and open data.
    pub fn word(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Amended => "amended",
            Status::Abolished => "abolished",
        }
    }
}

/// How a dossier can be filed (cách thức thực hiện).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// In person (trực tiếp).
    Direct,
    /// Online (trực tuyến).
    Online,
    /// By post (bưu chính).
    Postal,
}

/// One way of filing, with its own time and fee.
#[derive(Debug, Clone, Serialize)]
pub struct Channel {
    /// The way of filing.
    pub kind: ChannelKind,
    /// Processing time by this way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing_time: Option<String>,
    /// Fee by this way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<String>,
    /// Anything else to know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A form citizens download (mẫu đơn, tờ khai): a file of the site's `static/` folder.
#[derive(Debug, Clone)]
pub struct Form {
    /// What the form is, as the page names it.
    pub name: String,
    /// The file, as a path under `static/` (`mau-don/1.000047/to-khai.docx`),
    /// where the `file` key is written.
    pub file: Located<String>,
}

/// One administrative procedure, as its file describes it.
#[derive(Debug, Clone)]
pub struct Procedure {
    /// The file, relative to the site root.
    pub path: String,
    /// The procedure's name.
    pub title: String,
    /// The name folded ([`text::fold`]), made once as the file is read, to sort by.
    pub title_key: String,
    /// Its code, unique in the site (an opaque string such as "1.000047").
    pub code: Located<String>,
    /// Its field (lĩnh vực).
    pub field: String,
    /// The agency that handles it (cơ quan thực hiện).
    pub agency: String,
    /// The id of its online service level, declared in site.toml.
    pub service_level: String,
    /// Its postal availability.
    pub postal: Postal,
    /// Administrative tier (cấp thực hiện).
    pub tier: Option<String>,
    /// Processing time (thời hạn giải quyết).
    pub processing_time: Option<String>,
    /// Fees (phí, lệ phí).
    pub fee: Option<String>,
    /// Where dossiers are received.
    pub submit_at: Option<String>,
    /// The online service's address.
    pub online_url: Option<String>,
    /// The decision that announced the procedure.
    pub decision: Option<String>,
    /// The date of that decision.
    pub decision_date: Option<Date>,
    /// Whether it is in force.
    pub status: Status,
    /// The last change of this page's content.
    pub updated: Option<Date>,
    /// The URL slug, under `/thu-tuc/`.
    pub slug: Located<String>,
    /// Old URLs that redirect here, as site paths.
    pub aliases: Vec<Located<String>>,
    /// Extra search terms.
    pub keywords: Vec<String>,
    /// Who can file (đối tượng thực hiện).
    pub applicants: Vec<String>,
    /// Left out unless built with drafts.
    pub draft: bool,
    /// Ways of filing.
    pub channels: Vec<Channel>,
    /// Forms to download, in the order written.
    pub forms: Vec<Form>,
    /// Free-form data for themes.
    pub extra: Option<serde_json::Value>,
    /// The Markdown body, or where it is ([`Procedure::markdown`] reads it).
    pub body: Body,
    /// The body's Markdown links to site paths (`/thu-tuc/x/`), where they are written.
    pub site_links: Vec<Located<String>>,
    /// What may be wrong in the file without stopping the build.
    pub warnings: Vec<Diagnostic>,
    /// The file's path and bytes, hashed: what a rebuild compares ([`crate::cache`]).
    pub fingerprint: crate::cache::Fingerprint,
}

/// Reads a procedure file. Returns every mistake found in it.
pub fn parse(path: String, bytes: &[u8], config: &Config) -> Result<Procedure, Vec<Diagnostic>> {
    let fingerprint = fingerprint(&path, bytes);
    let source = front_matter::read_source(path, bytes)?;
    let split = front_matter::split(&source, true)?;
    let table = front_matter::parse(&source, split.front.unwrap_or(""), split.front_offset)?;
    let mut f = Fields::new(&source, split.front_offset, 0, &table);

    let title = f.required_text("title", msg!("what_procedure_title")).value;
    let code = f.required_text("code", msg!("what_procedure_code"));
    let field = f.required_text("field", msg!("what_field")).value;
    let agency = f.required_text("agency", msg!("what_agency")).value;
    let service_level = read_level(&mut f, config);
    let postal = read_postal(&mut f);
    let tier = f.text("tier").map(|v| v.value);
    let processing_time = f.text("processing_time").map(|v| v.value);
    let fee = f.text("fee").map(|v| v.value);
    let submit_at = f.text("submit_at").map(|v| v.value);
    let mut warnings = Vec::new();
    let online_url = f.text("online_url").and_then(|url| {
        if url.value.starts_with("https://") {
            Some(url.value)
        } else if url.value.starts_with("http://") {
            let message = msg!("online_url_not_https", url = &url.value);
            warnings.push(url.error(&source.path, message, Some(msg!("hint_https"))).warning());
            Some(url.value)
        } else {
            let message = msg!("online_url_not_web", url = &url.value);
            f.errors.push(url.error(&source.path, message, Some(msg!("hint_full_address"))));
            None
        }
    });
    let decision = f.text("decision").map(|v| v.value);
    let decision_date = f.date("decision_date");
    let status = read_status(&mut f);
    let updated = f.date("updated");
    let slug = file_slug(&mut f, &source.path);
    let aliases = f
        .text_list("aliases")
        .into_iter()
        .filter_map(|alias| match parse_alias(&alias.value) {
            Ok(path) => Some(Located { value: path, ..alias }),
            Err(hint) => {
                let message = msg!("alias_not_path", alias = &alias.value);
                f.errors.push(alias.error(&source.path, message, Some(hint)));
                None
            }
        })
        .collect();
    let keywords = f.text_list("keywords").into_iter().map(|k| k.value).collect();
    let applicants = f.text_list("applicants").into_iter().map(|a| a.value).collect();
    let draft = f.boolean("draft").unwrap_or(false);
    let forms = read_forms(&mut f);
    let channels = read_channels(&mut f);
    let extra = f.raw("extra").map(|v| to_json(v.get_ref()));
    let errors = f.finish();
    if !errors.is_empty() {
        return Err(errors);
    }
    if updated.is_none() {
        warnings
            .push(Diagnostic::error(&source.path, (1, 1), msg!("no_updated"), Some(msg!("hint_updated"))).warning());
    }
    if split.body.trim().is_empty() {
        let at = (split.body_line, 1);
        warnings.push(Diagnostic::error(&source.path, at, msg!("no_body"), Some(msg!("hint_no_body"))).warning());
    }
    Ok(Procedure {
        path: source.path.clone(),
        title_key: text::fold(&title),
        title,
        code,
        field,
        agency,
        service_level: service_level.unwrap_or_default(),
        postal: postal.unwrap_or(Postal::None),
        tier,
        processing_time,
        fee,
        submit_at,
        online_url,
        decision,
        decision_date,
        status,
        updated,
        slug,
        aliases,
        keywords,
        applicants,
        draft,
        channels,
        forms,
        extra,
        site_links: body_links(&split),
        body: Body::in_memory(bytes, &source, split),
        warnings,
        fingerprint,
    })
}

/// The fingerprint of the procedure file at `path` holding `bytes`.
pub(crate) fn fingerprint(path: &str, bytes: &[u8]) -> crate::cache::Fingerprint {
    crate::cache::Hasher::new().text(path).bytes(bytes).finish()
}

fn read_level(f: &mut Fields<'_, '_>, config: &Config) -> Option<String> {
    let declared: Vec<String> = config.service_levels.iter().map(|l| format!("\"{}\" ({})", l.id, l.name)).collect();
    let hint = msg!("hint_declared_levels", levels = declared.join(", "));
    let Some(value) = f.raw("service_level") else {
        f.missing("service_level", msg!("what_level"));
        return None;
    };
    match level_id(value.get_ref()) {
        Some(id) if config.level(&id).is_some() => Some(id),
        Some(id) => {
            f.error_at(value.span(), msg!("unknown_level", id = id), Some(hint));
            None
        }
        None if value.get_ref().as_str().is_some_and(|s| s.trim().is_empty()) => {
            f.error_at(value.span(), msg!("field_empty", key = "service_level", what = msg!("what_level")), Some(hint));
            None
        }
        None => {
            let found = front_matter::describe(value.get_ref());
            f.error_at(value.span(), msg!("level_wrong_type", found = found), Some(hint));
            None
        }
    }
}

fn read_postal(f: &mut Fields<'_, '_>) -> Option<Postal> {
    let Some(value) = f.raw("postal") else {
        f.missing("postal", msg!("what_postal"));
        return None;
    };
    let postal = match value.get_ref() {
        DeValue::Boolean(true) => Some(Postal::Both),
        DeValue::Boolean(false) => Some(Postal::None),
        DeValue::String(word) => Postal::from_word(&text::fold(word.trim())),
        _ => None,
    };
    if postal.is_none() {
        let message = match value.get_ref() {
            DeValue::String(word) if word.trim().is_empty() => {
                msg!("field_empty", key = "postal", what = msg!("what_postal"))
            }
            DeValue::String(word) => msg!("postal_invalid", value = format!("`{word}`")),
            other => msg!("postal_invalid", value = front_matter::describe(other)),
        };
        f.error_at(value.span(), message, Some(msg!("hint_postal")));
    }
    postal
}

fn read_status(f: &mut Fields<'_, '_>) -> Status {
    let Some(status) = f.text("status") else {
        return Status::Active;
    };
    match status.value.as_str() {
        "active" => Status::Active,
        "amended" => Status::Amended,
        "abolished" => Status::Abolished,
        other => {
            let span = f.raw("status").expect("present").span();
            f.error_at(span, msg!("status_invalid", value = other), Some(msg!("hint_status")));
            Status::Active
        }
    }
}

fn read_forms(f: &mut Fields<'_, '_>) -> Vec<Form> {
    let Some(value) = f.raw("forms") else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        f.error_at(value.span(), msg!("forms_not_tables"), Some(msg!("hint_forms")));
        return Vec::new();
    };
    let mut forms = Vec::new();
    for item in items.iter() {
        let DeValue::Table(table) = item.get_ref() else {
            f.error_at(item.span(), msg!("form_not_table"), Some(msg!("hint_forms")));
            continue;
        };
        let mut sub = f.nested(item.span().start, table);
        let name = sub.required_text("name", msg!("what_form_name"));
        let file = sub.required_text("file", msg!("what_form_file"));
        if !file.value.is_empty() {
            if let Err(hint) = check_static_path(&file.value) {
                let span = sub.raw("file").expect("present").span();
                sub.error_at(span, msg!("form_outside_static", file = &file.value), Some(hint));
            }
        }
        let errors = sub.finish();
        if errors.is_empty() {
            forms.push(Form { name: name.value, file });
        }
        f.errors.extend(errors);
    }
    forms
}

/// Checks that `file` names a file inside `static/`, written as a path
/// relative to it with `/` between folders; otherwise says how to write it.
fn check_static_path(file: &str) -> Result<(), Message> {
    if file.contains("://") {
        return Err(msg!("hint_form_download"));
    }
    let outside = file.starts_with('/')
        || file.contains('\\')
        || file.as_bytes().get(1) == Some(&b':')
        || file.split('/').any(|part| matches!(part, "" | "." | ".."));
    if outside {
        return Err(msg!("hint_form_path"));
    }
    Ok(())
}

fn read_channels(f: &mut Fields<'_, '_>) -> Vec<Channel> {
    let hint = msg!("hint_channels");
    let Some(value) = f.raw("channels") else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        f.error_at(value.span(), msg!("channels_not_tables"), Some(hint));
        return Vec::new();
    };
    let mut channels = Vec::new();
    for item in items.iter() {
        let DeValue::Table(table) = item.get_ref() else {
            f.error_at(item.span(), msg!("channel_not_table"), Some(hint.clone()));
            continue;
        };
        let mut sub = f.nested(item.span().start, table);
        let kind = match sub.text("kind") {
            None => {
                sub.missing("kind", msg!("what_channel_kind"));
                None
            }
            Some(kind) => match kind.value.as_str() {
                "direct" => Some(ChannelKind::Direct),
                "online" => Some(ChannelKind::Online),
                "postal" => Some(ChannelKind::Postal),
                other => {
                    let span = sub.raw("kind").expect("present").span();
                    sub.error_at(span, msg!("channel_kind_invalid", value = other), Some(hint.clone()));
                    None
                }
            },
        };
        let processing_time = sub.text("processing_time").map(|v| v.value);
        let fee = sub.text("fee").map(|v| v.value);
        let note = sub.text("note").map(|v| v.value);
        f.errors.extend(sub.finish());
        if let Some(kind) = kind {
            channels.push(Channel { kind, processing_time, fee, note });
        }
    }
    channels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ServiceLevel;
    use crate::messages::Language;

    fn config() -> Config {
        Config {
            title: "T".into(),
            base_url: "https://example.gov.vn".into(),
            language: Language::Vi,
            theme: "default".into(),
            description: None,
            organization: None,
            service_levels: vec![ServiceLevel {
                id: "4".into(),
                slug: "4".into(),
                name: "Mức độ 4".into(),
                description: None,
            }],
            search: Default::default(),
            edit: Default::default(),
        }
    }

    const GOOD: &str = "+++\ntitle = \"Đăng ký\"\ncode = \"1.000047\"\nfield = \"F\"\nagency = \"A\"\nservice_level = 4\npostal = true\ndecision_date = 2020-09-21\naliases = [\"/cu/\"]\n[[channels]]\nkind = \"online\"\n[extra]\nx = [1, 2.5, \"y\"]\n+++\n## Trình tự\n";

    #[test]
    fn a_good_file_parses() {
        let p = parse("a.md".into(), GOOD.as_bytes(), &config()).expect("valid");
        assert_eq!(p.code.value, "1.000047");
        assert_eq!(p.postal, Postal::Both);
        assert_eq!(p.aliases[0].value, "/cu/");
        assert_eq!(p.channels.len(), 1);
    }

    #[test]
    fn no_truncation_or_corruption_panics() {
        let bytes = GOOD.as_bytes();
        for end in 0..bytes.len() {
            let _ = parse("a.md".into(), &bytes[..end], &config());
            let mut flipped = bytes.to_vec();
            flipped[end] ^= 0x80;
            let _ = parse("a.md".into(), &flipped, &config());
            let mut swapped = bytes.to_vec();
            swapped[end] = b'"';
            let _ = parse("a.md".into(), &swapped, &config());
        }
    }
}
