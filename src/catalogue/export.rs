//! `niemyet export`: the site's catalogue as a table in the shape of an
//! annex (title rows, a two-row header, a section row per field, marks for
//! the postal service), as `.xlsx` or `.csv`, so that importing it again
//! changes nothing.
//!
//! The table is written in Vietnamese whatever the site's language: it is
//! the shape of the document departments exchange, and what `import` reads.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use super::write;
use crate::content::procedure::Postal;
use crate::diagnostics::Failure;
use crate::msg;
use crate::site::Site;
use crate::text;

/// The header: (upper row, lower row) of each column. The two postal
/// columns share their upper cell; every other column spans both rows.
const HEADER: [(&str, &str); 13] = [
    ("STT", ""),
    ("Mã thủ tục", ""),
    ("Tên thủ tục hành chính", ""),
    ("Cấp thực hiện", ""),
    ("Cơ quan thực hiện", ""),
    ("Mức độ DVCTT", ""),
    ("Dịch vụ bưu chính công ích", "Tiếp nhận hồ sơ"),
    ("", "Trả kết quả"),
    ("Thời hạn giải quyết", ""),
    ("Phí, lệ phí", ""),
    ("Nơi tiếp nhận hồ sơ", ""),
    ("Địa chỉ trực tuyến", ""),
    ("Quyết định công bố", ""),
];

/// The title row above the header.
const TITLE: &str = "DANH MỤC THỦ TỤC HÀNH CHÍNH";

/// The sheet's name.
const SHEET: &str = "Danh mục";

/// What a row of the table is, for its look in a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Title,
    Blank,
    Header,
    Section,
    Procedure,
}

/// The table as rows of cells.
struct Grid {
    rows: Vec<(Kind, Vec<String>)>,
}

/// The catalogue of `site`, every procedure (drafts and abolished ones too),
/// grouped by field.
fn grid(site: &Site) -> Grid {
    let mut rows = vec![
        (Kind::Title, vec![TITLE.to_string()]),
        (Kind::Title, vec![site.config.title.clone()]),
        (Kind::Blank, Vec::new()),
        (Kind::Header, HEADER.iter().map(|(upper, _)| upper.to_string()).collect()),
        (Kind::Header, HEADER.iter().map(|(_, lower)| lower.to_string()).collect()),
    ];
    let mut procedures: Vec<_> = site.procedures.iter().collect();
    procedures.sort_by_cached_key(|p| (text::sort_key(&p.field), p.title_key.clone(), p.code.value.clone()));
    let mut field = None;
    for (n, p) in procedures.iter().enumerate() {
        if field != Some(&p.field) {
            let sections = rows.iter().filter(|(kind, _)| *kind == Kind::Section).count();
            rows.push((Kind::Section, vec![format!("{}. Lĩnh vực {}", roman(sections + 1), p.field)]));
            field = Some(&p.field);
        }
        let level = site.config.level(&p.service_level).map_or(p.service_level.clone(), |l| l.name.clone());
        let mark = |yes: bool| if yes { "x" } else { "" }.to_string();
        let receive = matches!(p.postal, Postal::Both | Postal::Receive);
        let give_back = matches!(p.postal, Postal::Both | Postal::Return);
        let optional = |value: &Option<String>| value.clone().unwrap_or_default();
        rows.push((
            Kind::Procedure,
            vec![
                (n + 1).to_string(),
                p.code.value.clone(),
                p.title.clone(),
                optional(&p.tier),
                p.agency.clone(),
                level,
                mark(receive),
                mark(give_back),
                optional(&p.processing_time),
                optional(&p.fee),
                optional(&p.submit_at),
                optional(&p.online_url),
                optional(&p.decision),
            ],
        ));
    }
    Grid { rows }
}

/// 1 → "I", 4 → "IV", 14 → "XIV": how annexes number their sections.
fn roman(mut n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// Writes the catalogue of the site at `root` to `file` (`.xlsx` or `.csv`).
/// Returns how many procedures it lists.
pub fn export(root: &Path, file: &Path) -> Result<usize, Failure> {
    let shown = file.display().to_string();
    let extension = file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let site = super::load_site(root)?;
    let grid = grid(&site);
    let bytes = match extension.as_deref() {
        Some("xlsx") => xlsx(&grid, &shown)?,
        Some("csv") => csv(&grid),
        _ => return Err(Failure::Usage(msg!("export_unknown_format", file = &shown))),
    };
    let (folder, name) = match (file.parent(), file.file_name()) {
        (Some(folder), Some(name)) => (folder, name.to_string_lossy().into_owned()),
        _ => return Err(Failure::Usage(msg!("export_unknown_format", file = &shown))),
    };
    write::all(folder, &[(name, bytes)])?;
    Ok(site.procedures.len())
}

/// The grid as CSV: UTF-8 with a byte-order mark (so that Excel shows the
/// accents), separated by commas; a merged cell's text is in its first cell.
fn csv(grid: &Grid) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(b"\xEF\xBB\xBF".to_vec());
    for (_, cells) in &grid.rows {
        let cells: &[String] = if cells.is_empty() { &[String::new()] } else { cells };
        writer.write_record(cells).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// The grid as a workbook: title and section rows merged across the table,
/// the header on two rows with merged cells, borders and wrapped text.
fn xlsx(grid: &Grid, shown: &str) -> Result<Vec<u8>, Failure> {
    let failed =
        |e: rust_xlsxwriter::XlsxError| Failure::Usage(msg!("export_failed", file = shown, error = e.to_string()));
    let last_col = (HEADER.len() - 1) as u16;
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
    let header = cell.clone().set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let section = cell.clone().set_bold();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET).map_err(failed)?;
    for (col, width) in [6, 14, 48, 12, 28, 16, 12, 12, 20, 18, 28, 30, 18].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width).map_err(failed)?;
    }
    let mut header_rows = Vec::new();
    for (row, (kind, cells)) in grid.rows.iter().enumerate() {
        let row = row as u32;
        match kind {
            Kind::Title => {
                sheet.merge_range(row, 0, row, last_col, &cells[0], &title).map_err(failed)?;
            }
            Kind::Section => {
                sheet.merge_range(row, 0, row, last_col, &cells[0], &section).map_err(failed)?;
            }
            Kind::Header => header_rows.push(row),
            Kind::Procedure => {
                for (col, text) in cells.iter().enumerate() {
                    sheet.write_string_with_format(row, col as u16, text, &cell).map_err(failed)?;
                }
            }
            Kind::Blank => {}
        }
    }
    let (upper, lower) = (header_rows[0], header_rows[1]);
    for (col, (above, below)) in HEADER.iter().enumerate() {
        let col = col as u16;
        match (*above, *below) {
            (above, "") => sheet.merge_range(upper, col, lower, col, above, &header).map(|_| ()),
            ("", below) => sheet.write_string_with_format(lower, col, below, &header).map(|_| ()),
            (above, below) => sheet
                .merge_range(upper, col, upper, col + 1, above, &header)
                .and_then(|s| s.write_string_with_format(lower, col, below, &header))
                .map(|_| ()),
        }
        .map_err(failed)?;
    }
    workbook.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_numbered_in_roman_numerals() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(14), "XIV");
    }
}
