//! In-place edits of a procedure file: only the keys asked for change;
//! comments, key order, the other keys and the whole body stay byte for
//! byte (toml_edit keeps the TOML as it was written).

use toml_edit::{DocumentMut, Item, Value};

use super::records::NewValue;

/// The front matter's TOML as a byte range of `text`, between its `+++` lines.
pub fn front_matter(text: &str) -> Option<std::ops::Range<usize>> {
    let after_bom = text.strip_prefix('\u{feff}').map_or(0, |_| '\u{feff}'.len_utf8());
    let first = text[after_bom..].split_inclusive('\n').next()?;
    if first.trim_end() != "+++" {
        return None;
    }
    let start = after_bom + first.len();
    let mut at = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some(start..at);
        }
        at += line.len();
    }
    None
}

/// `text` with each (key, value) of `values` set in its front matter. A key
/// the file has keeps its place and its comments; a key it lacks is added
/// after the others; CRLF line ends stay CRLF. `None` when the file has no front matter that parses.
pub fn set_keys(text: &str, values: &[(&str, Value)]) -> Option<String> {
    edit_front_matter(text, |doc| {
        for (key, new) in values {
            set_value(doc, key, new.clone());
        }
    })
}

/// Sets `key` of `table` to `new`, keeping the old value's comments and
/// spacing around it; a key the table lacks is added after the others.
pub fn set_value(table: &mut toml_edit::Table, key: &str, mut new: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        _ => {
            table.insert(key, Item::Value(new));
        }
    }
}

/// `text` with its front matter changed by `change`, and everything else
/// (the `+++` lines, the body, CRLF line ends) as it was. `None` when the
/// file has no front matter that parses.
pub fn edit_front_matter(text: &str, change: impl FnOnce(&mut DocumentMut)) -> Option<String> {
    let range = front_matter(text)?;
    let mut doc: DocumentMut = text[range.clone()].parse().ok()?;
    change(&mut doc);
    let mut front = doc.to_string();
    if text[range.clone()].contains("\r\n") {
        front = front.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    Some(format!("{}{front}{}", &text[..range.start], &text[range.end..]))
}

/// A value as front matter writes it: a level id of digits as a number
/// (`service_level = 4`), everything else as text.
pub fn toml_value(value: &NewValue) -> Value {
    match value {
        NewValue::Level(id) if !id.is_empty() && id.len() < 10 && id.bytes().all(|b| b.is_ascii_digit()) => {
            Value::from(id.parse::<i64>().expect("a few digits"))
        }
        other => Value::from(other.shown()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_keys_asked_for_change() {
        let file = "+++\r\n# Tên\r\ntitle = \"A\" # cũ\r\nfee = \"Không\"\r\n[[channels]]\r\nkind = \"online\"\r\n+++\r\n## Trình tự\r\n\r\nx  \r\n";
        let values = [("title", Value::from("B")), ("processing_time", Value::from("05 ngày"))];
        let out = set_keys(file, &values).unwrap();
        assert!(out.contains("# Tên\r\ntitle = \"B\" # cũ\r\nfee = \"Không\"\r\n"), "{out}");
        assert!(out.ends_with("+++\r\n## Trình tự\r\n\r\nx  \r\n"), "{out}");
        let time = out.find("processing_time").unwrap();
        assert!(time < out.find("[[channels]]").unwrap(), "{out}");
        assert_eq!(set_keys(file, &[]).unwrap(), file);
        let lf = file.replace("\r\n", "\n");
        assert_eq!(set_keys(&lf, &[]).unwrap(), lf);
        assert_eq!(set_keys("no front matter", &values), None);
    }
}
