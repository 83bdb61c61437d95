//! Structured data (schema.org JSON-LD) for search engines and other
//! government systems: a `GovernmentService` per procedure, a `NewsArticle`
//! per notice, and the `GovernmentOrganization` and `WebSite` of the home page.
//!
//! Every function returns JSON that is safe inside `<script>`: `<`, `>` and
//! `&` are written as `\u003c`, `\u003e` and `\u0026`, so no text from the
//! content can close the script element.

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
    };
    let place = p.submit_at.as_deref().unwrap_or(&p.agency);
    let mut channels = Vec::new();
    if let Some(url) = &p.online_url {
        channels.push(channel(strings.get("channel_online"), timing(ChannelKind::Online), "serviceUrl", json!(url)));
    }
    let location = json!({ "@type": "Place", "name": place });
    channels.push(channel(strings.get("channel_direct"), timing(ChannelKind::Direct), "serviceLocation", location));
    if p.postal != Postal::None {
        let address = json!({ "@type": "PostalAddress", "name": place });
        channels.push(channel(
            strings.get("channel_postal"),
            timing(ChannelKind::Postal),
            "servicePostalAddress",
            address,
        ));
    }
    let mut service = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": p.title,
        "identifier": p.code.value,
        "serviceType": p.field,
        "url": config.absolute_url(&p.url()),
        "provider": { "@type": "GovernmentOrganization", "name": p.agency },
        "areaServed": area_served(site),
        "availableChannel": channels,
    });
    if let Some(audience) = (!p.applicants.is_empty()).then(|| p.applicants.join(", ")) {
        service["audience"] = json!({ "@type": "Audience", "audienceType": audience });
    }
    if !p.forms.is_empty() {
        let forms: Vec<Value> = p
            .forms
            .iter()
            .map(|form| {
                json!({
                    "@type": "DigitalDocument",
                    "name": form.name,
                    "url": config.absolute_url(&form.url()),
                    "encodingFormat": form.format(),
                })
            })
            .collect();
        service["subjectOf"] = json!(forms);
    }
    if let Some(updated) = p.updated {
        service["dateModified"] = json!(updated.iso());
    }
    script_safe(&service)
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
fn area_served(site: &Site) -> Value {
    match site.config.organization.as_ref().and_then(|o| o.area.as_deref()) {
        Some(area) => json!({ "@type": "AdministrativeArea", "name": area }),
        None => json!({ "@type": "Country", "name": "Việt Nam" }),
    }
}

fn channel(name: &str, processing_time: Option<&str>, key: &str, value: Value) -> Value {
    let mut out = json!({ "@type": "ServiceChannel", "name": name });
    out[key] = value;
    if let Some(duration) = processing_time.and_then(iso_duration) {
        out["processingTime"] = json!(duration);
    }
    out
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

fn script_safe(value: &Value) -> String {
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
