//! The editor in `niemyet serve` (contract §6): a form for each procedure,
//! notice and page, drawn from the schema ([`schema`]), shown as HTML
//! ([`form`]); a save reads the form ([`request`]), writes its fields into
//! the file's text changing only what changed ([`values`]), then is checked
//! by the same code as `check` and written by the preview (`serve::editor`).
//! [`guard`] decides who may write; [`upload`] names form files.

pub mod form;
pub mod guard;
pub mod request;
pub mod schema;
pub mod upload;
pub mod values;

use std::collections::BTreeMap;

use crate::scaffold::Kind;
use request::Submission;
use values::{Values, GROUPS};

/// What a submitted form says, as [`Values`]: its keys, its groups (a table
/// left empty, or marked to be removed, is left out) and its body.
pub fn submitted(kind: Kind, submission: &Submission) -> Values {
    let keys = schema::keys(kind)
        .iter()
        .map(|key| (key.name.to_string(), submission.get(key.name).unwrap_or("").to_string()))
        .collect();
    let mut groups = BTreeMap::new();
    if kind == Kind::Procedure {
        for (group, names) in GROUPS {
            let mut tables: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
            for (name, value) in &submission.fields {
                let Some((i, key)) =
                    name.strip_prefix(group).and_then(|r| r.strip_prefix('.')).and_then(|r| r.split_once('.'))
                else {
                    continue;
                };
                if let Ok(i) = i.parse::<usize>() {
                    tables.entry(i).or_default().insert(key.to_string(), value.clone());
                }
            }
            let kept = tables.into_values().filter(|t| {
                t.get("_remove").is_none_or(|r| r != "true")
                    && names.iter().any(|n| t.get(*n).is_some_and(|v| !v.trim().is_empty()))
            });
            let kept =
                kept.map(|t| names.iter().map(|n| (n.to_string(), t.get(*n).cloned().unwrap_or_default())).collect());
            groups.insert(group.to_string(), kept.collect());
        }
    }
    Values { keys, groups, body: submission.get("body").unwrap_or("").replace("\r\n", "\n") }
}

/// The form field that line `line` (1-based) of a file's `text` belongs
/// to: a top-level key (`title`), a key of a group's table
/// (`channels.0.kind`, or `channels` for the table's header), or `body`;
/// `None` for the `+++` lines and `[extra]`.
pub fn field_at(text: &str, line: usize) -> Option<String> {
    let mut lines = text.lines().enumerate();
    let (_, first) = lines.next()?;
    if first.trim_start_matches('\u{feff}').trim_end() != "+++" || line <= 1 {
        return None;
    }
    let mut field = None;
    let mut table: Option<(String, usize)> = None;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (i, text_line) in lines {
        let number = i + 1;
        let trimmed = text_line.trim();
        if trimmed == "+++" {
            return (line > number).then(|| "body".to_string()).or(field);
        }
        if let Some(name) =
            trimmed.strip_prefix("[[").and_then(|t| t.split_once("]]")).map(|(n, _)| n.trim().to_string())
        {
            let n = counts.entry(name.clone()).or_insert(0);
            table = Some((name.clone(), *n));
            *n += 1;
            if number <= line {
                field = Some(name);
            }
        } else if trimmed.starts_with('[') {
            table = Some((String::new(), 0));
            if number <= line {
                field = None;
            }
        } else if let Some((key, _)) = trimmed.split_once('=').filter(|_| !trimmed.starts_with('#')) {
            let key = key.trim().trim_matches('"');
            if number <= line {
                field = match &table {
                    None => Some(key.to_string()),
                    Some((name, _)) if name.is_empty() => None,
                    Some((name, n)) => Some(format!("{name}.{n}.{key}")),
                };
            }
        }
        if number == line {
            return field;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_land_on_the_field_of_their_line() {
        let text = "+++\n# c\ntitle = \"A\"\nkeywords = [\n  \"x\",\n]\n[[channels]]\nkind = \"x\"\n[[channels]]\nfee = 1\n[extra]\na = 1\n+++\nbody\n";
        let at = |line| field_at(text, line);
        assert_eq!(at(1), None);
        assert_eq!(at(3).as_deref(), Some("title"));
        assert_eq!(at(5).as_deref(), Some("keywords"));
        assert_eq!(at(7).as_deref(), Some("channels"));
        assert_eq!(at(8).as_deref(), Some("channels.0.kind"));
        assert_eq!(at(10).as_deref(), Some("channels.1.fee"));
        assert_eq!(at(12), None);
        assert_eq!(at(14).as_deref(), Some("body"));
    }

    #[test]
    fn a_submitted_form_reads_as_values() {
        let form = Submission::parse(
            "application/x-www-form-urlencoded",
            b"title=T&body=x%0D%0Ay&channels.0.kind=online&channels.1.kind=direct&channels.1._remove=true&channels.2.note=",
        )
        .unwrap();
        let values = submitted(Kind::Procedure, &form);
        assert_eq!(values.get("title"), "T");
        assert_eq!(values.body, "x\ny");
        assert_eq!(values.groups["channels"].len(), 1);
        assert_eq!(values.groups["channels"][0]["kind"], "online");
        assert!(values.groups["forms"].is_empty());
    }
}
