//! Finding a table's header and what each column holds. Headers are worded
//! differently from one province to the next ("Mã thủ tục", "Mã TTHC", "Mã số
//! hồ sơ"), so they are compared by their folded words ([`text::words`]),
//! and may stand on two rows with merged cells ("Dịch vụ bưu chính công ích"
//! above "Tiếp nhận hồ sơ" and "Trả kết quả").

use super::table::{Table, Value};
use crate::diagnostics::Diagnostic;
use crate::{msg, text};

/// What a column holds: a front matter key, or one half of `postal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// The row's number (STT), or a column `--map "Header=ignore"` names: read by no one.
    Index,
    /// `code`.
    Code,
    /// `title`.
    Title,
    /// `field`.
    Field,
    /// `agency`.
    Agency,
    /// `service_level`, written as a level's id or name.
    ServiceLevel,
    /// `postal`, as a mark (both or none) or one of its four words.
    Postal,
    /// Dossiers received by post, as a mark.
    PostalReceive,
    /// Results returned by post, as a mark.
    PostalReturn,
    /// `tier`.
    Tier,
    /// `processing_time`.
    ProcessingTime,
    /// `fee`.
    Fee,
    /// `submit_at`.
    SubmitAt,
    /// `online_url`.
    OnlineUrl,
    /// `decision`.
    Decision,
}

impl Column {
    /// Every column `--map` may name, by the name it takes there.
    pub const MAPPABLE: [(&'static str, Column); 15] = [
        ("code", Column::Code),
        ("title", Column::Title),
        ("field", Column::Field),
        ("agency", Column::Agency),
        ("service_level", Column::ServiceLevel),
        ("postal", Column::Postal),
        ("postal_receive", Column::PostalReceive),
        ("postal_return", Column::PostalReturn),
        ("tier", Column::Tier),
        ("processing_time", Column::ProcessingTime),
        ("fee", Column::Fee),
        ("submit_at", Column::SubmitAt),
        ("online_url", Column::OnlineUrl),
        ("decision", Column::Decision),
        ("ignore", Column::Index),
    ];

    /// The front matter key the column fills in.
    pub fn key(self) -> &'static str {
        match self {
            Column::Index => "",
            Column::Code => "code",
            Column::Title => "title",
            Column::Field => "field",
            Column::Agency => "agency",
            Column::ServiceLevel => "service_level",
            Column::Postal | Column::PostalReceive | Column::PostalReturn => "postal",
            Column::Tier => "tier",
            Column::ProcessingTime => "processing_time",
            Column::Fee => "fee",
            Column::SubmitAt => "submit_at",
            Column::OnlineUrl => "online_url",
            Column::Decision => "decision",
        }
    }
}

/// How a column is known: a header is that column's when its folded words
/// equal one of `exact`, or hold all the words of one of `all`, in order.
struct Rule {
    column: Column,
    exact: &'static [&'static str],
    all: &'static [&'static [&'static str]],
}

/// The ways headers are worded, most particular first (the postal halves
/// before postal, "dịch vụ công trực tuyến" after "bưu chính công ích").
const RULES: [Rule; 15] = [
    Rule { column: Column::Index, exact: &["stt", "tt", "so tt", "so thu tu", "no"], all: &[] },
    Rule {
        column: Column::PostalReceive,
        exact: &[],
        all: &[&["buu chinh", "tiep nhan"], &["buu chinh", "nhan ho so"], &["postal", "receive"]],
    },
    Rule { column: Column::PostalReturn, exact: &[], all: &[&["buu chinh", "tra ket qua"], &["postal", "return"]] },
    Rule { column: Column::Postal, exact: &["bcci"], all: &[&["buu chinh"], &["postal"]] },
    Rule {
        column: Column::Code,
        exact: &["ma", "ma so", "code"],
        all: &[&["ma thu tuc"], &["ma tthc"], &["ma so ho so"], &["ma ho so"], &["ma so tthc"], &["code"]],
    },
    Rule {
        column: Column::ServiceLevel,
        exact: &[],
        all: &[&["muc do"], &["dich vu cong truc tuyen"], &["dvctt"], &["dvc truc tuyen"], &["service level"]],
    },
    Rule {
        column: Column::OnlineUrl,
        exact: &["link", "online url"],
        all: &[&["duong dan"], &["dia chi truc tuyen"], &["online", "address"]],
    },
    Rule {
        column: Column::Title,
        exact: &["ten", "thu tuc hanh chinh", "title", "procedure"],
        all: &[&["ten thu tuc"], &["ten tthc"], &["name of", "procedure"]],
    },
    Rule { column: Column::Field, exact: &[], all: &[&["linh vuc"], &["field"]] },
    Rule { column: Column::Agency, exact: &[], all: &[&["co quan"], &["agency"]] },
    Rule {
        column: Column::ProcessingTime,
        exact: &[],
        all: &[&["thoi han"], &["thoi gian giai quyet"], &["processing time"]],
    },
    Rule { column: Column::Fee, exact: &[], all: &[&["phi"], &["fee"], &["fees"]] },
    Rule { column: Column::Tier, exact: &["tier"], all: &[&["cap thuc hien"]] },
    Rule {
        column: Column::SubmitAt,
        exact: &[],
        all: &[&["noi tiep nhan"], &["dia diem"], &["dia chi tiep nhan"], &["noi nop"], &["submit"]],
    },
    Rule { column: Column::Decision, exact: &[], all: &[&["quyet dinh"], &["decision"]] },
];

/// A header's words, folded and joined by single spaces: "Phí, lệ phí" → "phi le phi".
pub fn words(header: &str) -> String {
    text::words(header).join(" ")
}

/// The column a header names, by the rules above; `None` when it names none.
fn recognise(header: &str) -> Option<Column> {
    let folded = words(header);
    if folded.is_empty() {
        return None;
    }
    let padded = format!(" {folded} ");
    RULES
        .iter()
        .find(|rule| {
            rule.exact.contains(&folded.as_str()) || rule.all.iter().any(|phrases| contains_in_order(&padded, phrases))
        })
        .map(|rule| rule.column)
}

fn contains_in_order(padded: &str, phrases: &[&str]) -> bool {
    let mut from = 0;
    for phrase in phrases {
        match padded[from..].find(&format!(" {phrase} ")) {
            Some(at) => from += at + phrase.len() + 1,
            None => return false,
        }
    }
    true
}

/// A table's header: where it is and what its columns hold.
#[derive(Debug, Clone)]
pub struct Header {
    /// The 0-based row of the header (its upper row when it has two).
    pub row: usize,
    /// The first row below the header.
    pub first_data_row: usize,
    /// The columns that are read, by 0-based column, left to right.
    pub columns: Vec<(usize, Column)>,
    /// Headed columns that name no key: (0-based column, the header's text).
    pub unknown: Vec<(usize, String)>,
    /// Mark columns under a level header, one per level ("Mức độ DVCTT" above
    /// "Một phần" and "Toàn trình"): (0-based column, the lower header's text).
    pub level_marks: Vec<(usize, String)>,
}

impl Header {
    /// The 0-based column that holds `column`, if the table has one.
    pub fn position(&self, column: Column) -> Option<usize> {
        self.columns.iter().find(|(_, c)| *c == column).map(|(at, _)| *at)
    }
}

/// How far down a sheet the header is looked for: below the title rows.
const HEADER_SEARCH_ROWS: usize = 30;

/// Finds the header of `table`: the first row that names a code column and
/// at least one other known column. `map` holds `--map` as (folded header
/// words, column). `None` when the table has no such row; errors for a
/// column named twice.
pub fn find(table: &Table, map: &[(String, Column)]) -> Option<Result<Header, Vec<Diagnostic>>> {
    let known = |name: &str| {
        let folded = words(name);
        map.iter().find(|(header, _)| *header == folded).map(|(_, column)| *column).or_else(|| recognise(name))
    };
    let row = (0..table.rows.len().min(HEADER_SEARCH_ROWS)).find(|&row| {
        let columns: Vec<Column> = table.rows[row].iter().filter_map(|v| known(&v.text())).collect();
        columns.contains(&Column::Code) && columns.iter().any(|c| !matches!(c, Column::Code | Column::Index))
    })?;
    let upper = &table.rows[row];
    let code_col = upper.iter().position(|v| known(&v.text()) == Some(Column::Code)).expect("found above");
    let lower_row = table.rows.get(row + 1).filter(|lower| {
        lower.get(code_col).is_none_or(Value::is_empty) && lower.iter().filter(|v| !v.is_empty()).count() >= 2
    });
    let mut first_data_row = row + 1 + usize::from(lower_row.is_some());
    if table.rows.get(first_data_row).is_some_and(|r| is_column_numbers(r)) {
        first_data_row += 1;
    }
    let width = upper.len().max(lower_row.map_or(0, Vec::len));
    let (mut columns, mut unknown, mut level_marks, mut errors) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut group = String::new();
    for col in 0..width {
        let above = table.cell(row, col).text();
        let below = lower_row.and_then(|lower| lower.get(col)).map(Value::text).unwrap_or_default();
        if !above.is_empty() {
            group = above.clone();
        }
        let above = if above.is_empty() && !below.is_empty() { group.clone() } else { above };
        let whole = if below.is_empty() { above.clone() } else { format!("{above} {below}") };
        if whole.is_empty() {
            continue;
        }
        let at_row = if below.is_empty() { row } else { row + 1 };
        if !below.is_empty() && known(&above) == Some(Column::ServiceLevel) {
            level_marks.push((col, below));
            continue;
        }
        match known(&whole).or_else(|| known(&below).filter(|_| !below.is_empty())) {
            Some(column) if column != Column::Index && columns.iter().any(|(_, c)| *c == column) => {
                let message = msg!("import_column_twice", header = &whole, key = column.key());
                errors.push(table.error((at_row, col), message, Some(msg!("hint_import_column_twice"))));
            }
            Some(column) => columns.push((col, column)),
            None => unknown.push((col, whole)),
        }
    }
    Some(if errors.is_empty() {
        Ok(Header { row, first_data_row, columns, unknown, level_marks })
    } else {
        Err(errors)
    })
}

/// Whether `row` is the row of column numbers some annexes put under the
/// header: "(1)", "(2)", "(3)" ...
fn is_column_numbers(row: &[Value]) -> bool {
    let cells: Vec<String> = row.iter().filter(|v| !v.is_empty()).map(Value::text).collect();
    cells.len() >= 2
        && cells.iter().all(|cell| {
            let inner = cell.trim_start_matches('(').trim_end_matches(')');
            !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_known_however_they_are_worded() {
        for (header, column) in [
            ("Mã thủ tục", Column::Code),
            ("Mã TTHC", Column::Code),
            ("MÃ SỐ HỒ SƠ", Column::Code),
            ("Tên thủ tục hành chính", Column::Title),
            ("Cơ quan thực hiện", Column::Agency),
            ("Mức độ DVCTT", Column::ServiceLevel),
            ("Dịch vụ công trực tuyến", Column::ServiceLevel),
            ("Thời hạn giải quyết", Column::ProcessingTime),
            ("Phí, lệ phí", Column::Fee),
            ("Lĩnh vực", Column::Field),
            ("Dịch vụ bưu chính công ích", Column::Postal),
            ("Dịch vụ bưu chính công ích Tiếp nhận hồ sơ", Column::PostalReceive),
            ("Dịch vụ bưu chính công ích Trả kết quả", Column::PostalReturn),
            ("STT", Column::Index),
            ("service_level", Column::ServiceLevel),
        ] {
            assert_eq!(recognise(header), Some(column), "{header}");
        }
        assert_eq!(recognise("Căn cứ pháp lý"), None);
        assert_eq!(recognise("DANH MỤC THỦ TỤC HÀNH CHÍNH"), None);
    }
}
