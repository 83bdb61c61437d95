//! Writes `examples/import/danh-muc.xlsx`, the sample annex of the README's
//! guide to `niemyet import`: made up by us, in the shape real annexes have
//! (title rows, a header over two rows with merged cells, a row of column
//! numbers, section rows for the tier and the fields, marks, levels written
//! as the newer scheme names them, a code Excel stored as a number, and a
//! column niemyet does not import).
//!
//! ```sh
//! cargo run --example annex
//! niemyet import examples/import/danh-muc.xlsx --root examples/import --dry-run
//! ```

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// A procedure's row: code, name, agency, level, postal receive, postal
/// return, processing time, fee, legal basis.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const SECTIONS: [(&str, &[Row]); 2] = [
    (
        "I. Lĩnh vực Đo lường",
        &[
            (
                "1.000318",
                "Cấp thẻ kiểm định viên đo lường",
                "Chi cục Tiêu chuẩn Đo lường Chất lượng",
                "Toàn trình",
                "x",
                "x",
                "05 ngày làm việc",
                "Không",
                "Luật Đo lường 2011",
            ),
            (
                "1.00004",
                "Chứng nhận chuẩn đo lường để kiểm định phương tiện đo nhóm 2",
                "Sở Khoa học và Công nghệ",
                "Một phần",
                "x",
                "x",
                "07 ngày làm việc",
                "Không",
                "Nghị định 86/2012/NĐ-CP",
            ),
            (
                "1.001056",
                "Đăng ký kiểm tra nhà nước về đo lường đối với hàng đóng gói sẵn nhập khẩu",
                "Chi cục Tiêu chuẩn Đo lường Chất lượng",
                "Một phần",
                "",
                "",
                "01 ngày làm việc",
                "Không",
                "Thông tư 21/2014/TT-BKHCN",
            ),
        ],
    ),
    (
        "II. Lĩnh vực Tiêu chuẩn",
        &[
            (
                "1.000047",
                "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá",
                "Sở Khoa học và Công nghệ",
                "Toàn trình",
                "có",
                "có",
                "05 ngày làm việc",
                "150.000 đồng",
                "Luật Tiêu chuẩn và Quy chuẩn kỹ thuật 2006",
            ),
            (
                "1.000042",
                "Đăng ký công bố hợp quy dựa trên kết quả chứng nhận",
                "Sở Khoa học và Công nghệ",
                "Toàn trình",
                "✓",
                "✓",
                "05 ngày làm việc",
                "150.000 đồng",
                "Thông tư 28/2012/TT-BKHCN",
            ),
            (
                "2.001268",
                "Thay đổi phạm vi chỉ định tổ chức đánh giá sự phù hợp",
                "Sở Khoa học và Công nghệ",
                "Một phần",
                "X",
                "",
                "10 ngày làm việc",
                "Không",
                "Nghị định 107/2016/NĐ-CP",
            ),
        ],
    ),
];

const HEADER: [&str; 11] = [
    "STT",
    "Mã TTHC",
    "Tên thủ tục hành chính",
    "Cơ quan thực hiện",
    "Mức độ DVCTT",
    "Dịch vụ bưu chính công ích",
    "",
    "Thời hạn giải quyết",
    "Phí, lệ phí",
    "Căn cứ pháp lý",
    "Ghi chú",
];

fn main() -> Result<(), XlsxError> {
    let out = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/import/danh-muc.xlsx");
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
    let bold = cell.clone().set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Phụ lục")?;
    for (col, width) in [5, 12, 50, 28, 12, 12, 12, 16, 14, 30, 10].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    let last = (HEADER.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last, "PHỤ LỤC", &title)?;
    sheet.merge_range(
        1,
        0,
        1,
        last,
        "DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH MẪU",
        &title,
    )?;
    sheet.merge_range(
        2,
        0,
        2,
        last,
        "(Ban hành kèm theo Quyết định số 0000/QĐ-UBND, dữ liệu mẫu)",
        &Format::new().set_italic().set_align(FormatAlign::Center),
    )?;
    for (col, text) in HEADER.iter().enumerate() {
        let col = col as u16;
        match col {
            5 => {
                sheet.merge_range(4, 5, 4, 6, text, &bold)?;
                sheet.write_string_with_format(5, 5, "Tiếp nhận hồ sơ", &bold)?;
                sheet.write_string_with_format(5, 6, "Trả kết quả", &bold)?;
            }
            6 => {}
            _ => {
                sheet.merge_range(4, col, 5, col, text, &bold)?;
            }
        }
    }
    for col in 0..HEADER.len() {
        sheet.write_string_with_format(6, col as u16, format!("({})", col + 1), &bold)?;
    }
    sheet.merge_range(7, 0, 7, last, "A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH", &cell.clone().set_bold())?;
    let mut row = 8;
    let mut number = 1;
    for (section, procedures) in SECTIONS {
        sheet.merge_range(row, 0, row, last, section, &cell.clone().set_bold())?;
        row += 1;
        for p in procedures {
            sheet.write_number_with_format(row, 0, number, &cell)?;
            // A code typed into a cell formatted as a number: Excel keeps 1.000040 as 1.00004.
            match p.0.parse::<f64>() {
                Ok(n) if p.0.len() < 8 => sheet.write_number_with_format(row, 1, n, &cell)?,
                _ => sheet.write_string_with_format(row, 1, p.0, &cell)?,
            };
            for (col, text) in [p.1, p.2, p.3, p.4, p.5, p.6, p.7, p.8, ""].into_iter().enumerate() {
                sheet.write_string_with_format(row, col as u16 + 2, text, &cell)?;
            }
            row += 1;
            number += 1;
        }
    }
    workbook.save(out)?;
    println!("wrote {out}");
    Ok(())
}
