//! Reading a catalogue table: the sheets of an Excel or OpenDocument
//! workbook (`.xlsx`, `.xls`, `.ods`, with calamine) or a CSV file, as grids
//! of cells that keep their places for messages.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use crate::diagnostics::{Diagnostic, Failure};
use crate::messages::Message;
use crate::{msg, text};

/// What a cell holds, as the importer needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing, or only spaces.
    Empty,
    /// Text, trimmed and in NFC.
    Text(String),
    /// A number: Excel keeps `1.000040` typed into a number cell as 1.00004.
    Number(f64),
}

impl Value {
    /// The cell as text: a number in its shortest form (`1.00004`, `4`).
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(text) => text.clone(),
            Value::Number(n) => n.to_string(),
        }
    }

    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        *self == Value::Empty
    }
}

/// One sheet, or one CSV file.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file, as named on the command line.
    pub file: String,
    /// The sheet's name; `None` for a CSV file.
    pub sheet: Option<String>,
    /// The rows from the sheet's first row, each from column A: `rows[11][4]` is cell E12.
    pub rows: Vec<Vec<Value>>,
}

const EMPTY: Value = Value::Empty;

impl Table {
    /// The cell at 0-based `row` and `col`; empty outside the grid.
    pub fn cell(&self, row: usize, col: usize) -> &Value {
        self.rows.get(row).and_then(|cells| cells.get(col)).unwrap_or(&EMPTY)
    }

    /// An error at the cell of 0-based `row` and `col`.
    pub fn error(&self, (row, col): (usize, usize), message: Message, hint: Option<Message>) -> Diagnostic {
        Diagnostic::in_cell(&self.file, self.sheet.as_deref(), (row + 1, col + 1), message, hint)
    }
}

/// Reads the file at `path`, named `shown` in messages: every sheet of a
/// workbook in order, only `sheet` when given, or the one table of a CSV file.
pub fn read(path: &Path, shown: &str, sheet: Option<&str>) -> Result<Vec<Table>, Failure> {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    std::fs::metadata(path).map_err(|e| cannot_read(shown, &e.to_string()))?;
    match extension.as_deref() {
        Some("csv") => {
            let bytes = std::fs::read(path).map_err(|e| cannot_read(shown, &e.to_string()))?;
            Ok(vec![Table { file: shown.to_string(), sheet: None, rows: read_csv(&bytes, shown)? }])
        }
        Some("xlsx" | "xlsm" | "xls" | "ods") => read_workbook(path, shown, sheet),
        _ => Err(Failure::Usage(msg!("import_unknown_format", file = shown))),
    }
}

fn cannot_read(shown: &str, error: &str) -> Failure {
    Failure::Usage(msg!("import_cannot_read", file = shown, error = error))
}

fn read_workbook(path: &Path, shown: &str, only: Option<&str>) -> Result<Vec<Table>, Failure> {
    let mut workbook = open_workbook_auto(path).map_err(|e| cannot_read(shown, &e.to_string()))?;
    let names = workbook.sheet_names();
    let wanted: Vec<String> = match only {
        None => names.clone(),
        Some(name) => match names.iter().find(|n| text::fold(n.trim()) == text::fold(name.trim())) {
            Some(found) => vec![found.clone()],
            None => {
                let sheets = names.join(", ");
                return Err(Failure::Usage(msg!("import_no_such_sheet", file = shown, sheet = name, sheets = sheets)));
            }
        },
    };
    let mut tables = Vec::new();
    for name in wanted {
        let range = workbook.worksheet_range(&name).map_err(|e| cannot_read(shown, &e.to_string()))?;
        let (top, left) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut rows = vec![Vec::new(); top];
        for cells in range.rows() {
            let mut row = vec![Value::Empty; left];
            row.extend(cells.iter().map(value_of));
            rows.push(row);
        }
        tables.push(Table { file: shown.to_string(), sheet: Some(name), rows });
    }
    Ok(tables)
}

fn value_of(data: &Data) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::DateTime(d) => Value::Number(d.as_f64()),
        Data::Bool(b) => Value::Text(b.to_string()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => text_value(s),
        Data::Error(e) => Value::Text(format!("#{e:?}")),
    }
}

fn text_value(s: &str) -> Value {
    let s = s.trim();
    if s.is_empty() {
        Value::Empty
    } else {
        Value::Text(text::nfc(s))
    }
}

/// Reads CSV as Excel and LibreOffice save it: UTF-8 with or without a
/// byte-order mark, separated by commas or (in Vietnamese locales) semicolons.
fn read_csv(bytes: &[u8], shown: &str) -> Result<Vec<Vec<Value>>, Failure> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(Failure::Usage(msg!("import_csv_not_utf8", file = shown)));
    };
    let delimiter = separator(text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| cannot_read(shown, &e.to_string()))?;
        rows.push(record.iter().map(text_value).collect());
    }
    Ok(rows)
}

/// `;` when the first lines hold more semicolons than commas outside quotes, else `,`.
fn separator(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in text.chars().take(20_000) {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_takes_either_separator_and_a_bom() {
        let rows = read_csv("\u{feff}Mã;Tên\n1.000047;\"Đăng ký; công bố\"\n".as_bytes(), "a.csv").unwrap();
        assert_eq!(rows[1], [Value::Text("1.000047".into()), Value::Text("Đăng ký; công bố".into())]);
        let rows = read_csv(b"a,b\n,c\n", "a.csv").unwrap();
        assert_eq!(rows[1], [Value::Empty, Value::Text("c".into())]);
    }

    #[test]
    fn numbers_show_in_their_shortest_form() {
        assert_eq!(Value::Number(1.00004).text(), "1.00004");
        assert_eq!(Value::Number(4.0).text(), "4");
    }
}
