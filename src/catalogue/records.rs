//! The rows under a table's header as typed records, each value with the
//! cell it came from: section rows give the field (or the tier, or the
//! agency) of the rows below them; marks and levels are read the ways annexes
//! write them; codes Excel turned into numbers are restored.

use super::header::{Column, Header};
use super::table::{Table, Value};
use crate::config::Config;
use crate::content::procedure::Postal;
use crate::diagnostics::Diagnostic;
use crate::{msg, text};

/// A value for a front matter key, read from a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewValue {
    /// Text, on one line.
    Text(String),
    /// The id of a service level declared in site.toml.
    Level(String),
    /// A postal mode.
    Postal(Postal),
}

impl NewValue {
    /// The value as the plan shows it and as front matter compares it.
    pub fn shown(&self) -> &str {
        match self {
            NewValue::Text(text) | NewValue::Level(text) => text,
            NewValue::Postal(postal) => postal.word(),
        }
    }
}

/// One front matter value from a table, with the 0-based (row, column) of its cell.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The front matter key.
    pub key: &'static str,
    /// The value.
    pub value: NewValue,
    /// Where it came from.
    pub cell: (usize, usize),
}

/// One procedure's row.
#[derive(Debug, Clone)]
pub struct Record {
    /// The 0-based row.
    pub row: usize,
    /// Its code, as the procedure file writes it.
    pub code: String,
    /// The values its cells hold, code included; empty cells give none.
    pub entries: Vec<Entry>,
    /// The keys whose cells could not be read (each already an error).
    pub unreadable: Vec<&'static str>,
}

impl Record {
    /// The value of `key`, if the row gives one.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// What the rows of a table say, and what is wrong with them.
#[derive(Debug, Default)]
pub struct Rows {
    /// The procedures' rows, top to bottom.
    pub records: Vec<Record>,
    /// Things done that staff should know of (codes restored from numbers).
    pub warnings: Vec<Diagnostic>,
    /// Cells that cannot be read.
    pub errors: Vec<Diagnostic>,
}

/// Sections of an annex set one of these for the rows under them.
#[derive(Default)]
struct Sections {
    field: Option<Entry>,
    tier: Option<Entry>,
    agency: Option<Entry>,
}

/// Reads every row under the header of `table`. A row without a code whose
/// only text starts the row (a merged cell across the table) is a section;
/// a row holding only a number (an empty numbered line) is skipped.
pub fn read(table: &Table, header: &Header, config: &Config) -> Rows {
    let code_col = header.position(Column::Code).expect("a header has a code column");
    let mut rows = Rows::default();
    let mut sections = Sections::default();
    let mut level_columns = Vec::new();
    for (col, name) in &header.level_marks {
        match level(name, config) {
            Some(id) => level_columns.push((*col, id)),
            None => {
                let hint = msg!("hint_declared_levels", levels = declared_levels(config));
                let at = (header.row + 1, *col);
                rows.errors.push(table.error(at, msg!("import_unknown_level", value = name), Some(hint)));
            }
        }
    }
    for row in header.first_data_row..table.rows.len() {
        let cells = &table.rows[row];
        let filled: Vec<(usize, &Value)> = cells.iter().enumerate().filter(|(_, v)| !v.is_empty()).collect();
        if filled.is_empty() {
            continue;
        }
        if table.cell(row, code_col).is_empty() {
            let (first_col, first) = (filled[0].0, filled[0].1.text());
            let one_text = filled.iter().all(|(_, v)| v.text() == first);
            if one_text && !first.chars().any(char::is_alphabetic) {
                continue;
            } else if one_text && first_col <= code_col {
                sections.take(&first, (row, first_col));
            } else {
                let hint = Some(msg!("hint_import_no_code"));
                rows.errors.push(table.error((row, code_col), msg!("import_no_code"), hint));
            }
            continue;
        }
        if let Some(record) = read_row(table, header, row, config, (&sections, &level_columns), &mut rows) {
            rows.records.push(record);
        }
    }
    rows
}

fn read_row(
    table: &Table,
    header: &Header,
    row: usize,
    config: &Config,
    (sections, level_columns): (&Sections, &[(usize, String)]),
    rows: &mut Rows,
) -> Option<Record> {
    let mut entries = Vec::new();
    let mut code = None;
    let mut unreadable = Vec::new();
    let (mut receive, mut give_back) = (None, None);
    for &(col, column) in &header.columns {
        let cell = (row, col);
        let value = table.cell(row, col);
        if column == Column::Postal && value.is_empty() {
            entries.push(Entry { key: "postal", value: NewValue::Postal(Postal::None), cell });
        }
        if value.is_empty() || column == Column::Index {
            continue;
        }
        let text = one_line(&value.text());
        let new_value = match column {
            Column::Index => continue,
            Column::Code => {
                let restored = restore_code(value);
                if let Some(code) = &restored {
                    let message = msg!("import_code_restored", stored = value.text(), code = code);
                    rows.warnings.push(table.error(cell, message, Some(msg!("hint_import_code_as_text"))).warning());
                }
                code = Some(restored.unwrap_or(text));
                continue;
            }
            Column::ServiceLevel => match level(&text, config) {
                Some(id) => NewValue::Level(id),
                None => {
                    let hint = msg!("hint_declared_levels", levels = declared_levels(config));
                    rows.errors.push(table.error(cell, msg!("import_unknown_level", value = &text), Some(hint)));
                    unreadable.push(column.key());
                    continue;
                }
            },
            Column::Postal => match postal(&text) {
                Some(postal) => NewValue::Postal(postal),
                None => {
                    let hint = msg!("hint_import_postal", marks = MARKS_SHOWN);
                    rows.errors.push(table.error(cell, msg!("import_bad_postal", value = &text), Some(hint)));
                    unreadable.push(column.key());
                    continue;
                }
            },
            Column::PostalReceive | Column::PostalReturn => {
                match mark(&text) {
                    Some(yes) if column == Column::PostalReceive => receive = Some((yes, cell)),
                    Some(yes) => give_back = Some((yes, cell)),
                    None => {
                        let hint = msg!("hint_import_marks", marks = MARKS_SHOWN);
                        rows.errors.push(table.error(cell, msg!("import_bad_mark", value = &text), Some(hint)));
                        unreadable.push(column.key());
                    }
                }
                continue;
            }
            Column::OnlineUrl if !(text.starts_with("https://") || text.starts_with("http://")) => {
                let message = msg!("online_url_not_web", url = &text);
                rows.errors.push(table.error(cell, message, Some(msg!("hint_full_address"))));
                unreadable.push(column.key());
                continue;
            }
            _ => NewValue::Text(text),
        };
        entries.push(Entry { key: column.key(), value: new_value, cell });
    }
    let postal_cell = [Column::PostalReceive, Column::PostalReturn].iter().find_map(|c| header.position(*c));
    if let Some(col) = postal_cell.filter(|_| !unreadable.contains(&"postal")) {
        let cell = receive.or(give_back).map_or((row, col), |(_, cell)| cell);
        let mode = match (receive.is_some_and(|(yes, _)| yes), give_back.is_some_and(|(yes, _)| yes)) {
            (true, true) => Postal::Both,
            (true, false) => Postal::Receive,
            (false, true) => Postal::Return,
            (false, false) => Postal::None,
        };
        entries.push(Entry { key: "postal", value: NewValue::Postal(mode), cell });
    }
    if let Some(entry) = marked_level(table, row, level_columns, config, rows) {
        entries.push(entry);
    }
    for section in [&sections.field, &sections.tier, &sections.agency].into_iter().flatten() {
        if !entries.iter().any(|e| e.key == section.key) {
            entries.push(section.clone());
        }
    }
    let code = code?;
    let code_cell = (row, header.position(Column::Code)?);
    entries.insert(0, Entry { key: "code", value: NewValue::Text(code.clone()), cell: code_cell });
    Some(Record { row, code, entries, unreadable })
}

/// The level a row marks in the level columns of a two-row header ("Mức độ
/// DVCTT" above "Một phần" and "Toàn trình"): the highest one marked.
/// `levels` holds each such column with the id of the level it names.
fn marked_level(
    table: &Table,
    row: usize,
    levels: &[(usize, String)],
    config: &Config,
    rows: &mut Rows,
) -> Option<Entry> {
    let mut marked = Vec::new();
    for (col, id) in levels {
        let cell = (row, *col);
        let text = table.cell(row, *col).text();
        match mark(&text) {
            Some(true) => marked.push(Entry { key: "service_level", value: NewValue::Level(id.clone()), cell }),
            Some(false) => {}
            None => {
                let hint = msg!("hint_import_marks", marks = MARKS_SHOWN);
                rows.errors.push(table.error(cell, msg!("import_bad_mark", value = &text), Some(hint)));
            }
        }
    }
    marked.into_iter().max_by_key(|entry| config.service_levels.iter().position(|l| l.id == entry.value.shown()))
}

/// The site's levels as hints list them: `"4" (Mức độ 4), ...`.
fn declared_levels(config: &Config) -> String {
    config.service_levels.iter().map(|l| format!("\"{}\" ({})", l.id, l.name)).collect::<Vec<_>>().join(", ")
}

impl Sections {
    /// Takes a section row's text: "I. Lĩnh vực Đo lường" sets the field,
    /// "A. Thủ tục hành chính cấp tỉnh" the tier, "II. Sở Y tế" the agency
    /// (when it starts with the name of a kind of agency); anything else is a field.
    fn take(&mut self, text: &str, cell: (usize, usize)) {
        let text = one_line(strip_numbering(text));
        let words: Vec<&str> = text.split(' ').collect();
        let folded: Vec<String> = words.iter().map(|w| text::fold(w)).collect();
        let starts = |prefix: &[&str]| folded.len() > prefix.len() && folded.iter().zip(prefix).all(|(a, b)| a == b);
        let entry = |key: &'static str, value: String| Some(Entry { key, value: NewValue::Text(value), cell });
        if starts(&["linh", "vuc"]) {
            self.field = entry("field", words[2..].join(" "));
        } else if let Some(at) = folded.windows(2).position(|w| w[0] == "cap" && TIERS.contains(&w[1].as_str())) {
            let tier = words[at + 1..].join(" ").to_lowercase();
            self.tier = entry("tier", format!("Cấp {tier}"));
        } else if AGENCY_STARTS.iter().any(|prefix| starts(prefix)) && !starts(&["so", "huu"]) {
            self.agency = entry("agency", text);
        } else {
            self.field = entry("field", text);
        }
    }
}

/// The levels of government a section may name after "cấp".
const TIERS: [&str; 6] = ["tinh", "huyen", "xa", "trung", "bo", "quan"];

/// How section rows that name an agency start ("Sở hữu trí tuệ" is a field, not a Sở).
const AGENCY_STARTS: [&[&str]; 6] =
    [&["so"], &["uy", "ban"], &["ubnd"], &["chi", "cuc"], &["ban", "quan", "ly"], &["co", "quan"]];

/// "I. Lĩnh vực Đo lường" → "Lĩnh vực Đo lường": drops a leading "I.", "A.", "1.2." or "a)".
fn strip_numbering(text: &str) -> &str {
    let text = text.trim();
    let Some((first, rest)) = text.split_once(' ') else { return text };
    let number = first.trim_end_matches(['.', ')', ':']);
    let numbering = first.len() > number.len()
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '.' || "IVXLivxl".contains(c))
        || number.len() == 1 && number.chars().all(|c| c.is_ascii_alphabetic()) && first.len() > 1;
    if numbering {
        rest.trim_start()
    } else {
        text
    }
}

/// Text on one line: runs of spaces and line breaks (Alt+Enter in Excel) become one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The code Excel turned into a number, restored to `N.NNNNNN`: a number
/// cell, or (in CSV) digits with fewer than six decimals. `None` when the
/// code is as it was written.
fn restore_code(value: &Value) -> Option<String> {
    let text = value.text();
    let (whole, decimals) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let shortened = !whole.is_empty() && digits(whole) && digits(decimals) && decimals.len() < 6;
    (matches!(value, Value::Number(_)) || shortened)
        .then(|| format!("{whole}.{decimals:0<6}"))
        .filter(|restored| *restored != text && decimals.len() <= 6)
}

/// The marks understood in yes/no columns, as hints list them.
const MARKS_SHOWN: &str = "x, X, có, ✓ (yes); empty, không, - (no)";

/// A yes/no mark: `x`, `X`, `có`, `✓` and the like are yes; `không`, `-` are no.
fn mark(text: &str) -> Option<bool> {
    match text::fold(text.trim()).as_str() {
        "x" | "co" | "✓" | "✔" | "v" | "yes" | "true" | "1" => Some(true),
        "" | "khong" | "-" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// A one-column postal value: a mark (both or none; an empty cell is none),
/// or one of the four words.
fn postal(text: &str) -> Option<Postal> {
    match mark(text) {
        Some(true) => Some(Postal::Both),
        Some(false) => Some(Postal::None),
        None => Postal::ALL.into_iter().find(|p| p.word() == text::fold(text.trim())),
    }
}

/// The id of the site's level a cell names: by id (`4`, `toan-trinh`), by
/// name (`Mức độ 4`), by the id after "mức độ", or by the words its name ends
/// with (`Toàn trình` for "Dịch vụ công trực tuyến toàn trình").
fn level(text: &str, config: &Config) -> Option<String> {
    let slug = text::slug(text);
    let levels = &config.service_levels;
    let by =
        |found: &dyn Fn(&crate::config::ServiceLevel) -> bool| levels.iter().find(|l| found(l)).map(|l| l.id.clone());
    by(&|l| text::slug(&l.id) == slug)
        .or_else(|| by(&|l| text::slug(&l.name) == slug))
        .or_else(|| slug.strip_prefix("muc-do-").and_then(|rest| by(&|l| text::slug(&l.id) == rest)))
        .or_else(|| {
            let ending: Vec<_> = levels.iter().filter(|l| text::slug(&l.name).ends_with(&format!("-{slug}"))).collect();
            (ending.len() == 1).then(|| ending[0].id.clone())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_stored_as_numbers_are_restored() {
        assert_eq!(restore_code(&Value::Number(1.00004)).as_deref(), Some("1.000040"));
        assert_eq!(restore_code(&Value::Text("1.00004".into())).as_deref(), Some("1.000040"));
        assert_eq!(restore_code(&Value::Text("1.000047".into())), None);
        assert_eq!(restore_code(&Value::Text("1.000494.000.00.00.H29".into())), None);
    }

    #[test]
    fn section_rows_name_a_field_a_tier_or_an_agency() {
        let mut sections = Sections::default();
        let value = |entry: &Option<Entry>| entry.as_ref().map(|e| e.value.shown().to_string());
        sections.take("I. Lĩnh vực Đo lường", (5, 0));
        sections.take("A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH", (6, 0));
        sections.take("II. Sở Y tế", (7, 0));
        assert_eq!(value(&sections.field).as_deref(), Some("Đo lường"));
        assert_eq!(value(&sections.tier).as_deref(), Some("Cấp tỉnh"));
        assert_eq!(value(&sections.agency).as_deref(), Some("Sở Y tế"));
        sections.take("III. Sở hữu trí tuệ", (8, 0));
        assert_eq!(value(&sections.field).as_deref(), Some("Sở hữu trí tuệ"));
        assert_eq!(sections.field.as_ref().map(|e| e.cell), Some((8, 0)));
    }

    #[test]
    fn numbering_and_marks() {
        assert_eq!(strip_numbering("I. Lĩnh vực Đo lường"), "Lĩnh vực Đo lường");
        assert_eq!(strip_numbering("A. Thủ tục cấp tỉnh"), "Thủ tục cấp tỉnh");
        assert_eq!(strip_numbering("1.2. Tiêu chuẩn"), "Tiêu chuẩn");
        assert_eq!(strip_numbering("Đo lường"), "Đo lường");
        for yes in ["x", "X", "có", "Có", "✓"] {
            assert_eq!(mark(yes), Some(true), "{yes}");
        }
        assert_eq!(mark("không"), Some(false));
        assert_eq!(mark("maybe"), None);
    }
}
