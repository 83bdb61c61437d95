//! A procedure file (`content/procedures/**.md`): its front matter read into
//! a [`Procedure`], with every mistake reported.

mod read;

use serde::{Deserialize, Serialize};

use super::body::Body;
use super::front_matter::{self, Date, Fields, Located};
use super::{body_links, file_slug, parse_alias, to_json};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::{msg, text};
use read::{read_channels, read_forms, read_level, read_postal, read_status};

/// Whether dossiers and results go through the public postal service
/// (dịch vụ bưu chính công ích).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Form {
    /// What the form is, as the page names it.
    pub name: String,
    /// The file, as a path under `static/` (`mau-don/1.000047/to-khai.docx`),
    /// where the `file` key is written.
    pub file: Located<String>,
}

/// One administrative procedure, as its file describes it. It serialises
/// only for the rebuild cache ([`crate::content::kept`]), with only where its
/// body starts.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    #[serde(with = "channels_kept")]
    pub channels: Vec<Channel>,
    /// Forms to download, in the order written.
    pub forms: Vec<Form>,
    /// Free-form data for themes.
    #[serde(with = "extra_kept")]
    pub extra: Option<serde_json::Value>,
    /// The Markdown body, or where it is ([`Procedure::markdown`] reads it).
    #[serde(with = "super::body::kept")]
    pub body: Body,
    /// The body's Markdown links to site paths (`/thu-tuc/x/`), where they are written.
    pub site_links: Vec<Located<String>>,
    /// What may be wrong in the file without stopping the build.
    pub warnings: Vec<Diagnostic>,
    /// The file's path and bytes, hashed: what a rebuild compares ([`crate::cache`]).
    pub fingerprint: crate::cache::Fingerprint,
    /// The file's path and front matter, hashed. With site.toml they make
    /// every field but the body, its links and the warnings, so a file whose
    /// body alone changed leaves what shows only those fields (the open
    /// data, the list items) as it was.
    pub front_fingerprint: crate::cache::Fingerprint,
}

/// Ways of filing in the rebuild cache: every field written, as a format
/// without field names needs (their own serialisation leaves out the empty ones).
mod channels_kept {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{Channel, ChannelKind};

    pub fn serialize<S: Serializer>(channels: &[Channel], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(channels.iter().map(|c| (c.kind, &c.processing_time, &c.fee, &c.note)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Channel>, D::Error> {
        let kept = Vec::<(ChannelKind, Option<String>, Option<String>, Option<String>)>::deserialize(deserializer)?;
        let channel = |(kind, processing_time, fee, note)| Channel { kind, processing_time, fee, note };
        Ok(kept.into_iter().map(channel).collect())
    }
}

/// The free-form `extra` table in the rebuild cache: as JSON text, since a
/// format without field names cannot tell what a JSON value holds.
mod extra_kept {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(extra: &Option<serde_json::Value>, serializer: S) -> Result<S::Ok, S::Error> {
        extra.as_ref().map(serde_json::Value::to_string).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<serde_json::Value>, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        text.map(|t| serde_json::from_str(&t).map_err(serde::de::Error::custom)).transpose()
    }
}

/// Reads a procedure file. Returns every mistake found in it.
pub fn parse(path: String, bytes: &[u8], config: &Config) -> Result<Procedure, Vec<Diagnostic>> {
    let fingerprint = fingerprint(&path, bytes);
    let source = front_matter::read_source(path, bytes)?;
    let split = front_matter::split(&source, true)?;
    let front_fingerprint = crate::cache::Hasher::new()
        .text(&source.path)
        .text(split.front.unwrap_or(""))
        .bytes(&split.front_offset.to_le_bytes())
        .finish();
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
        front_fingerprint,
    })
}

/// The fingerprint of the procedure file at `path` holding `bytes`.
pub(crate) fn fingerprint(path: &str, bytes: &[u8]) -> crate::cache::Fingerprint {
    crate::cache::Hasher::new().text(path).bytes(bytes).finish()
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
    fn the_front_fingerprint_follows_the_front_matter_and_path_not_the_body() {
        let front =
            |path: &str, text: &str| parse(path.into(), text.as_bytes(), &config()).expect("valid").front_fingerprint;
        let good = front("a.md", GOOD);
        assert_eq!(front("a.md", &GOOD.replace("## Trình tự", "## Trình tự, sửa lại")), good);
        assert_ne!(front("a.md", &GOOD.replace("title = \"Đăng ký\"", "title = \"Đăng kí\"")), good);
        assert_ne!(front("b.md", GOOD), good, "the path makes the address");
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
