//! Structured data (schema.org JSON-LD) for search engines and other
//! government systems: a `GovernmentService` per procedure, a `NewsArticle`
//! per notice, and the `GovernmentOrganization` and `WebSite` of the home page.
//!
//! Every function returns JSON that is safe inside `<script>`: `<`, `>` and
//! `&` are written as `\u003c`, `\u003e` and `\u0026`, so no text from the
//! content can close the script element.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::content::procedure::{ChannelKind, Postal};
use crate::site::Site;
use crate::theme::Strings;

/// The `GovernmentService` of procedure `i`.
pub fn procedure(site: &Site, strings: &Strings, i: usize) -> String {
    let p = &site.procedures[i];
    let config = &site.config;
    let timing = |kind: ChannelKind| {
        p.channels
            .iter()
            .find(|c| c.kind == kind)
            .and_then(|c| c.processing_time.as_deref())
            .or(p.processing_time.as_deref())
            .and_then(iso_duration)
    };
    let place = p.submit_at.as_deref().unwrap_or(&p.agency);
    let channel = |name: &'static str, kind: ChannelKind| Channel {
        kind: "ServiceChannel",
        name: strings.get(name),
        processing_time: timing(kind),
        service_location: None,
        service_postal_address: None,
        service_url: None,
    };
    let mut channels = Vec::new();
    if let Some(url) = &p.online_url {
        channels.push(Channel { service_url: Some(url), ..channel("channel_online", ChannelKind::Online) });
    }
    let location = Named { kind: "Place", name: place };
    channels.push(Channel { service_location: Some(location), ..channel("channel_direct", ChannelKind::Direct) });
    if p.postal != Postal::None {
        let address = Named { kind: "PostalAddress", name: place };
        channels
            .push(Channel { service_postal_address: Some(address), ..channel("channel_postal", ChannelKind::Postal) });
    }
    let service = Service {
        context: "https://schema.org",
        kind: "GovernmentService",
        area_served: area_served(site),
        audience: (!p.applicants.is_empty())
            .then(|| Audience { kind: "Audience", audience_type: p.applicants.join(", ") }),
        available_channel: channels,
        date_modified: p.updated.map(|updated| updated.iso()),
        identifier: &p.code.value,
        name: &p.title,
        provider: Named { kind: "GovernmentOrganization", name: &p.agency },
        service_type: &p.field,
        subject_of: p
            .forms
            .iter()
            .map(|form| Document {
                kind: "DigitalDocument",
                encoding_format: form.format(),
                name: &form.name,
                url: config.absolute_url(&form.url()),
            })
            .collect(),
        url: config.absolute_url(&p.url()),
    };
    script_safe(&service)
}

/// A procedure's `GovernmentService`, written straight from its fields: a
/// site of 100,000 procedures makes one for each page. The fields are in
/// the order of their names, as the maps of the other kinds are written.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Service<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    area_served: Named<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audience: Option<Audience>,
    available_channel: Vec<Channel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    identifier: &'a str,
    name: &'a str,
    provider: Named<'a>,
    service_type: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    subject_of: Vec<Document<'a>>,
    url: String,
}

/// A thing of a schema.org type known by its name: a place, an area, an organisation.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// Who a service is for.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Audience {
    #[serde(rename = "@type")]
    kind: &'static str,
    audience_type: String,
}

/// One way to apply: online at a URL, in person at a place, or by post.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Channel<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    processing_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_location: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_postal_address: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_url: Option<&'a str>,
}

/// A form to download.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    encoding_format: String,
    name: &'a str,
    url: String,
}

/// The `NewsArticle` of notice `i`.
pub fn notice(site: &Site, i: usize) -> String {
    let n = &site.notices[i];
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": n.title,
        "datePublished": n.date.iso(),
        "url": site.config.absolute_url(&n.url()),
        "mainEntityOfPage": site.config.absolute_url(&n.url()),
        "publisher": organization(site),
    });
    if let Some(summary) = &n.summary {
        article["description"] = json!(summary);
    }
    let about: Vec<Value> = site.notice_procedures[i]
        .iter()
        .map(|&p| json!({ "@type": "GovernmentService", "name": site.procedures[p].title, "identifier": site.procedures[p].code.value }))
        .collect();
    if !about.is_empty() {
        article["about"] = json!(about);
    }
    script_safe(&article)
}

/// The home page's `GovernmentOrganization` (from `[organization]`) and
/// `WebSite`, whose search action is the search page.
pub fn home(site: &Site) -> String {
    let base = &site.config.base_url;
    let mut organization = organization(site);
    organization["@context"] = json!("https://schema.org");
    let website = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.config.title,
        "url": format!("{base}/"),
        "inLanguage": site.config.language.code(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": format!("{base}/tim-kiem/?q={{search_term_string}}"),
            "query-input": "required name=search_term_string",
        },
    });
    script_safe(&json!([organization, website]))
}

/// The publishing body, from `[organization]` (the site's title when it has no name).
fn organization(site: &Site) -> Value {
    let org = site.config.organization.clone().unwrap_or_default();
    let mut out = Map::new();
    out.insert("@type".into(), json!("GovernmentOrganization"));
    out.insert("name".into(), json!(org.name.as_deref().unwrap_or(&site.config.title)));
    out.insert("url".into(), json!(format!("{}/", site.config.base_url)));
    if let Some(address) = &org.address {
        out.insert("address".into(), json!({ "@type": "PostalAddress", "streetAddress": address }));
    }
    if let Some(phone) = &org.phone {
        out.insert("telephone".into(), json!(phone));
    }
    if let Some(email) = &org.email {
        out.insert("email".into(), json!(email));
    }
    if let Some(area) = &org.area {
        out.insert("areaServed".into(), json!({ "@type": "AdministrativeArea", "name": area }));
    }
    Value::Object(out)
}

/// Where the services are offered: `[organization] area`, else the country.
fn area_served(site: &Site) -> Named<'_> {
    match site.config.organization.as_ref().and_then(|o| o.area.as_deref()) {
        Some(area) => Named { kind: "AdministrativeArea", name: area },
        None => Named { kind: "Country", name: "Việt Nam" },
    }
}

/// "05 ngày làm việc" → "P5D"; "02 giờ" → "PT2H"; `None` when the text does
/// not start with a number of days, hours, weeks or months.
fn iso_duration(text: &str) -> Option<String> {
    let text = crate::text::fold(text);
    let digits: String = text.trim_start().chars().take_while(char::is_ascii_digit).collect();
    let n: u32 = digits.parse().ok()?;
    let unit = text.trim_start()[digits.len()..].split_whitespace().next()?;
    Some(match unit {
        "ngay" | "day" | "days" => format!("P{n}D"),
        "tuan" | "week" | "weeks" => format!("P{n}W"),
        "thang" | "month" | "months" => format!("P{n}M"),
        "gio" | "hour" | "hours" => format!("PT{n}H"),
        _ => return None,
    })
}

fn script_safe(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .expect("JSON values serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processing_times_become_iso_durations_when_they_can() {
        assert_eq!(iso_duration("05 ngày làm việc").as_deref(), Some("P5D"));
        assert_eq!(iso_duration("2 giờ").as_deref(), Some("PT2H"));
        assert_eq!(iso_duration("Trong ngày"), None);
    }

    #[test]
    fn text_cannot_close_the_script() {
        let out = script_safe(&json!({ "name": "</script><script>alert(1)</script> & co" }));
        assert!(!out.contains('<') && !out.contains('&'), "{out}");
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & co");
    }
}
