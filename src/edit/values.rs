//! A file's front matter and body as the form's fields hold them, and the
//! other way: the fields written back into the file, changing only what
//! changed (toml_edit keeps comments, key order and the formatting of the
//! keys left alone; the body's bytes stay unless the body changed).

use std::collections::BTreeMap;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use super::schema::{self, Input, Key};
use crate::catalogue::edit::{edit_front_matter, front_matter, set_value};
use crate::scaffold;

/// The repeatable groups of a procedure: `[[channels]]` and `[[forms]]`, with their keys.
pub const GROUPS: [(&str, &[&str]); 2] = [("channels", schema::CHANNEL), ("forms", schema::FORM)];

/// What the form's fields hold, by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    /// Each key's text: lists one item per line, a flag `"true"` or empty.
    pub keys: BTreeMap<String, String>,
    /// Each repeatable group's tables, each as its keys' texts.
    pub groups: BTreeMap<String, Vec<BTreeMap<String, String>>>,
    /// The Markdown body, with LF line ends.
    pub body: String,
}

impl Values {
    /// The fields of a file of `kind`; `None` when it has no front matter that toml_edit reads.
    pub fn of_text(kind: scaffold::Kind, text: &str) -> Option<Values> {
        let range = front_matter(text)?;
        let doc: DocumentMut = text[range.clone()].parse().ok()?;
        let after = &text[range.end..];
        let body = after.split_once('\n').map_or("", |(_, body)| body).replace("\r\n", "\n");
        let keys =
            schema::keys(kind).iter().map(|key| (key.name.to_string(), field_text(key, doc.get(key.name)))).collect();
        let mut groups = BTreeMap::new();
        if kind == scaffold::Kind::Procedure {
            for (group, names) in GROUPS {
                let tables = doc.get(group).and_then(Item::as_array_of_tables).map(|a| a.iter().collect::<Vec<_>>());
                let tables = tables.unwrap_or_default().into_iter().map(|table| {
                    names.iter().map(|name| (name.to_string(), shown(table.get(name)))).collect::<BTreeMap<_, _>>()
                });
                groups.insert(group.to_string(), tables.collect());
            }
        }
        Some(Values { keys, groups, body })
    }

    /// The text of `key`, empty when not given.
    pub fn get(&self, key: &str) -> &str {
        self.keys.get(key).map_or("", String::as_str)
    }

    /// The keys (and `body`, and groups by name) whose values differ between the two.
    pub fn differing(&self, other: &Values) -> Vec<String> {
        let mut names: Vec<String> =
            self.keys.iter().filter(|(k, v)| !same_text(v, other.get(k))).map(|(k, _)| k.clone()).collect();
        for (group, tables) in &self.groups {
            if other.groups.get(group).map_or(!tables.is_empty(), |o| !same_tables(o, tables)) {
                names.push(group.clone());
            }
        }
        if !same_text(&self.body, &other.body) {
            names.push("body".to_string());
        }
        names
    }
}

/// A key's value as its field shows it: `postal = true` is "both", as the
/// contract reads it, and `false` is "none"; no status is "active".
fn field_text(key: &Key, item: Option<&Item>) -> String {
    match (key.input, item.and_then(Item::as_bool)) {
        (Input::Postal, Some(true)) => "both".to_string(),
        (Input::Postal, Some(false)) => "none".to_string(),
        (Input::Status, _) if item.is_none() => "active".to_string(),
        _ => shown(item),
    }
}

/// A front-matter value as a field shows it.
fn shown(item: Option<&Item>) -> String {
    let Some(value) = item.and_then(Item::as_value) else {
        return String::new();
    };
    match value {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => f.value().to_string(),
        Value::Boolean(b) => if *b.value() { "true" } else { "" }.to_string(),
        Value::Datetime(d) => d.value().to_string(),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join("\n"),
        Value::InlineTable(t) => t.to_string(),
    }
}

/// Whether two field texts say the same: browsers send line ends as CRLF,
/// and a list's blank lines and spaces around items mean nothing.
fn same_text(a: &str, b: &str) -> bool {
    a.replace("\r\n", "\n") == b.replace("\r\n", "\n") || (a.contains('\n') || b.contains('\n')) && lines(a) == lines(b)
}

fn same_tables(a: &[BTreeMap<String, String>], b: &[BTreeMap<String, String>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| x.iter().all(|(k, v)| same_text(v, y.get(k).map_or("", String::as_str))))
}

/// A list field's items: one per line, trimmed, blank lines left out.
pub fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

/// `text`, a file of `kind` whose fields were `before` when the form was
/// opened, with the fields that `after` changes written in. Unchanged
/// fields stay byte for byte; when nothing changed, so does the file.
/// `None` when the file has no front matter that toml_edit reads.
pub fn apply(kind: scaffold::Kind, text: &str, before: &Values, after: &Values) -> Option<String> {
    let changed = after.differing(before);
    if changed.is_empty() {
        return Some(text.to_string());
    }
    let crlf = text.contains("\r\n");
    let mut out = edit_front_matter(text, |doc| {
        for key in schema::keys(kind).iter().filter(|k| changed.iter().any(|c| c == k.name)) {
            set_key(doc, key, after.get(key.name));
        }
        for (group, names) in GROUPS.iter().filter(|(g, _)| changed.iter().any(|c| c == g)) {
            set_group(doc, group, names, after.groups.get(*group).map_or(&[][..], Vec::as_slice));
        }
    })?;
    if changed.iter().any(|c| c == "body") {
        let range = front_matter(&out)?;
        let closing = out[range.end..].find('\n').map_or(out.len(), |i| range.end + i + 1);
        let mut body = after.body.replace("\r\n", "\n");
        if crlf {
            body = body.replace('\n', "\r\n");
        }
        out.truncate(closing);
        if closing == text.len() && !out.ends_with('\n') {
            out.push_str(if crlf { "\r\n" } else { "\n" });
        }
        out.push_str(&body);
    }
    Some(out)
}

/// Writes one key as its field says; an empty optional field leaves the key
/// out (or empty, when the file has it, so that its comments stay).
fn set_key(doc: &mut DocumentMut, key: &Key, text: &str) {
    let text = text.trim_matches(|c| c == '\r' || c == '\n');
    let value = match key.input {
        Input::Flag => Some(Value::from(text == "true")),
        Input::Lines => {
            let items = lines(text);
            (!items.is_empty() || doc.contains_key(key.name)).then(|| Value::Array(items.into_iter().collect()))
        }
        Input::Date if text.trim().is_empty() => None,
        Input::Date => Some(text.trim().parse::<toml_edit::Datetime>().map_or_else(|_| Value::from(text), Value::from)),
        Input::Level if !text.is_empty() && text.len() < 10 && text.bytes().all(|b| b.is_ascii_digit()) => {
            Some(Value::from(text.parse::<i64>().expect("a few digits")))
        }
        _ if text.is_empty() && !key.required && !doc.contains_key(key.name) => None,
        _ => Some(Value::from(text)),
    };
    match value {
        Some(value) => set_value(doc, key.name, value),
        None => {
            doc.remove(key.name);
        }
    }
}

/// Writes a repeatable group: each table edited in place key by key, new
/// ones added after, those removed taken out; an empty group leaves the key out.
fn set_group(doc: &mut DocumentMut, group: &str, names: &[&str], tables: &[BTreeMap<String, String>]) {
    if tables.is_empty() {
        doc.remove(group);
        return;
    }
    if doc.get(group).and_then(Item::as_array_of_tables).is_none() {
        doc.insert(group, Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let array = doc.get_mut(group).and_then(Item::as_array_of_tables_mut).expect("made above");
    while array.len() > tables.len() {
        array.remove(array.len() - 1);
    }
    for (i, wanted) in tables.iter().enumerate() {
        if i == array.len() {
            array.push(Table::new());
        }
        let table = array.get_mut(i).expect("there are enough tables");
        for name in names {
            let new = wanted.get(*name).map_or("", |v| v.trim());
            let old = shown(table.get(name));
            if new == old {
                continue;
            }
            if new.is_empty() {
                table.remove(name);
            } else {
                set_value(table, name, Value::from(new));
            }
        }
    }
}

/// Writes text for a hidden field so that it comes back byte for byte:
/// browsers turn every line end of a submitted field into CRLF.
pub fn protect(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\r', "\\r").replace('\n', "\\n")
}

/// The text [`protect`] wrote.
pub fn unprotect(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('r') => out.push('\r'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scaffold::Kind;

    const FILE: &str = "+++\r\n# Tên\r\ntitle = \"A\" # cũ\r\ncode = \"1.1\"\r\nservice_level = 3\r\nkeywords = [\"x\", \"y\"]\r\ndecision_date = 2020-09-21\r\n\r\n[[channels]]\r\nkind = \"online\" # c\r\nfee = \"0\"\r\n[extra]\r\na = 1\r\n+++\r\n## Trình tự\r\n\r\nx  \r\n";

    #[test]
    fn a_form_sent_back_unchanged_leaves_the_file_byte_identical() {
        let before = Values::of_text(Kind::Procedure, FILE).unwrap();
        assert_eq!(before.get("service_level"), "3");
        assert_eq!(before.get("keywords"), "x\ny");
        assert_eq!(before.get("decision_date"), "2020-09-21");
        assert_eq!(before.body, "## Trình tự\n\nx  \n");
        let mut sent = before.clone();
        sent.body = sent.body.replace('\n', "\r\n");
        sent.keys.insert("keywords".into(), "x\r\n y \r\n\r\n".into());
        assert_eq!(apply(Kind::Procedure, FILE, &before, &sent).unwrap(), FILE);
    }

    #[test]
    fn only_what_changed_is_written() {
        let before = Values::of_text(Kind::Procedure, FILE).unwrap();
        let mut after = before.clone();
        after.keys.insert("title".into(), "B".into());
        after.keys.insert("service_level".into(), "4".into());
        after.keys.insert("fee".into(), "Không".into());
        after.keys.insert("decision_date".into(), String::new());
        after.groups.get_mut("channels").unwrap()[0].insert("fee".into(), String::new());
        after.groups.get_mut("channels").unwrap().push(BTreeMap::from([("kind".into(), "direct".into())]));
        let out = apply(Kind::Procedure, FILE, &before, &after).unwrap();
        assert!(
            out.starts_with("+++\r\n# Tên\r\ntitle = \"B\" # cũ\r\ncode = \"1.1\"\r\nservice_level = 4\r\n"),
            "{out}"
        );
        assert!(out.contains("fee = \"Không\"\r\n") && !out.contains("decision_date"), "{out:?}");
        assert!(
            out.contains("[[channels]]\r\nkind = \"online\" # c\r\n\r\n[[channels]]\r\nkind = \"direct\"\r\n"),
            "{out}"
        );
        assert!(out.contains("[extra]\r\na = 1\r\n") && out.ends_with("+++\r\n## Trình tự\r\n\r\nx  \r\n"), "{out:?}");
        let mut body = before.clone();
        body.body = "Mới\r\n".into();
        assert!(apply(Kind::Procedure, FILE, &before, &body).unwrap().ends_with("a = 1\r\n+++\r\nMới\r\n"));
    }

    #[test]
    fn hidden_text_comes_back_byte_for_byte() {
        let text = "a\\r\r\nb\n\\";
        assert_eq!(unprotect(&protect(text)), text);
        assert!(!protect(text).contains(['\r', '\n']));
    }
}
