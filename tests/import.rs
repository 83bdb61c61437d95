//! Contract §6: `niemyet import` reads the catalogue tables departments have
//! (annexes of decisions, exports of the national database) into the site,
//! and `niemyet export` writes the catalogue back in the same shape. The
//! spreadsheets are made here, in the shapes real annexes have.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use rust_xlsxwriter::{Format, Workbook};

/// A cell of a sheet made for a test.
#[derive(Clone, Copy)]
enum C<'a> {
    /// Text.
    S(&'a str),
    /// A number, as Excel keeps a code typed into a number cell.
    N(f64),
    /// Nothing.
    E,
}
use C::{E, N, S};

/// Writes a workbook with one sheet named `sheet`: `rows` from A1, and each
/// merge (first row, first col, last row, last col, 0-based) holding the
/// text of its first cell, as Excel shows a merged cell.
fn xlsx(path: &Path, sheet: &str, rows: &[Vec<C>], merges: &[(u32, u16, u32, u16)]) {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if merges.iter().any(|m| (m.0, m.1) != (r, c) && (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c)) {
                continue;
            }
            match cell {
                S(s) if merges.iter().any(|m| (m.0, m.1) == (r, c)) => {
                    let m = merges.iter().find(|m| (m.0, m.1) == (r, c)).unwrap();
                    ws.merge_range(m.0, m.1, m.2, m.3, s, &Format::new()).unwrap();
                }
                S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                E => {}
            }
        }
    }
    workbook.save(path).unwrap();
}

/// The annex of a decision as provinces publish it: two title rows, a
/// header over two rows ("Dịch vụ bưu chính công ích" above "Tiếp nhận hồ
/// sơ" and "Trả kết quả"), a row of column numbers, section rows merged
/// across the table, marks, levels written three ways, a code stored as a
/// number, and a column niemyet does not import.
fn real_annex(path: &Path) {
    let title_row = |t| vec![S(t)];
    let rows = vec![
        title_row("PHỤ LỤC"),
        title_row("DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC PHẠM VI CHỨC NĂNG QUẢN LÝ CỦA SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
        vec![
            S("STT"),
            S("Mã TTHC"),
            S("Tên thủ tục hành chính"),
            S("Cơ quan thực hiện"),
            S("Mức độ DVCTT"),
            S("Dịch vụ bưu chính công ích"),
            E,
            S("Thời hạn giải quyết"),
            S("Phí, lệ phí"),
            S("Căn cứ pháp lý"),
        ],
        vec![E, E, E, E, E, S("Tiếp nhận hồ sơ"), S("Trả kết quả"), E, E, E],
        vec![S("(1)"), S("(2)"), S("(3)"), S("(4)"), S("(5)"), S("(6)"), S("(7)"), S("(8)"), S("(9)"), S("(10)")],
        vec![S("A. Thủ tục hành chính cấp tỉnh")],
        vec![S("I. Lĩnh vực Đo lường")],
        vec![
            S("1"),
            N(1.00004),
            S("Chứng nhận chuẩn đo lường"),
            S("Sở Khoa học và Công nghệ"),
            S("Mức độ 4"),
            S("x"),
            S("X"),
            S("05 ngày làm việc"),
            S("Không"),
            S("Luật Đo lường 2011"),
        ],
        vec![
            S("2"),
            S("1.000318"),
            S("Cấp thẻ kiểm định viên\ndo lường"),
            S("Sở Khoa học và Công nghệ"),
            N(3.0),
            S("có"),
            E,
            S("07 ngày làm việc"),
            S("150.000 đồng"),
            E,
        ],
        vec![S("II. Lĩnh vực Tiêu chuẩn")],
        vec![
            S("3"),
            S("1.000047"),
            S("Đăng ký công bố hợp chuẩn"),
            S("Chi cục Tiêu chuẩn Đo lường Chất lượng"),
            S("2"),
            E,
            S("✓"),
            S("03 ngày làm việc"),
            E,
            E,
        ],
    ];
    let merges = [(0, 0, 0, 9), (1, 0, 1, 9), (2, 0, 3, 0), (2, 5, 2, 6), (5, 0, 5, 9), (6, 0, 6, 9), (9, 0, 9, 9)];
    let mut rows = rows;
    for row in rows.iter_mut() {
        row.resize(10, E);
    }
    xlsx(path, "Phụ lục", &rows, &merges);
}

fn empty_site() -> tempfile::TempDir {
    site(&[("site.toml", SITE_TOML), ("content/_index.md", "Xin chào.\n")])
}

fn import(root: &Path, file: &Path, extra: &[&str]) -> Run {
    let mut args = vec![file.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(root, "import", &args)
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_real_annex_becomes_procedure_files_that_build() {
    let dir = empty_site();
    let root = dir.path();
    let annex = root.join("danh-muc.xlsx");
    real_annex(&annex);
    let run = import(root, &annex, &[]);
    run.expect(0);
    assert!(run.stdout.contains("3 to add, 0 to change, 0 unchanged"), "{}", run.stdout);
    assert!(run.stdout.contains("Wrote 3 files."), "{}", run.stdout);
    // The code Excel kept as 1.00004 is restored, and the cell is named.
    assert!(run.stderr.contains("danh-muc.xlsx:Phụ lục!B8: warning:"), "{}", run.stderr);
    assert!(run.stderr.contains("\"1.000040\""), "{}", run.stderr);
    // The column it does not import is listed, with the way to import it.
    assert!(run.stderr.contains("danh-muc.xlsx:Phụ lục!J3: warning: the column \"Căn cứ pháp lý\""), "{}", run.stderr);
    assert!(run.stderr.contains("--map"), "{}", run.stderr);

    let first = read(root, "content/procedures/chung-nhan-chuan-do-luong.md");
    for line in [
        "code = \"1.000040\"",
        "field = \"Đo lường\"",
        "tier = \"Cấp tỉnh\"",
        "service_level = 4",
        "postal = \"both\"",
        "processing_time = \"05 ngày làm việc\"",
        "fee = \"Không\"",
        "draft = false",
        "## Trình tự thực hiện",
        "## Thành phần hồ sơ",
    ] {
        assert!(first.contains(&format!("{line}\n")), "{line} in:\n{first}");
    }
    let second = read(root, "content/procedures/cap-the-kiem-dinh-vien-do-luong.md");
    assert!(second.contains("title = \"Cấp thẻ kiểm định viên do lường\"\n"), "{second}");
    assert!(second.contains("service_level = 3\n") && second.contains("postal = \"receive\"\n"), "{second}");
    assert!(second.contains("field = \"Đo lường\"\n"), "{second}");
    let third = read(root, "content/procedures/dang-ky-cong-bo-hop-chuan.md");
    assert!(third.contains("field = \"Tiêu chuẩn\"\n") && third.contains("postal = \"return\"\n"), "{third}");
    assert!(third.contains("service_level = 2\n") && third.contains("fee = \"\"\n"), "{third}");
    let tree = build_ok(root);
    assert!(page(&tree, "thu-tuc/chung-nhan-chuan-do-luong/index.html").contains("1.000040"));
}

#[test]
fn levels_by_name_and_one_postal_column_and_a_csv_with_semicolons() {
    let site_toml = SITE_TOML.split("[[service_levels]]").next().unwrap().to_string()
        + "[[service_levels]]\nid = \"mot-phan\"\nname = \"Dịch vụ công trực tuyến một phần\"\n\n[[service_levels]]\nid = \"toan-trinh\"\nname = \"Dịch vụ công trực tuyến toàn trình\"\n";
    let dir = site(&[("site.toml", &site_toml)]);
    let root = dir.path();
    fs::create_dir_all(root.join("content")).unwrap();
    let csv = "\u{feff}DANH MỤC THỦ TỤC HÀNH CHÍNH\n\
               Mã số hồ sơ;Tên thủ tục;Lĩnh vực;Cơ quan thực hiện;Dịch vụ công trực tuyến;Dịch vụ bưu chính công ích\n\
               2.001270;\"Chỉ định tổ chức; lần đầu\";Tiêu chuẩn;Sở KH&CN;Toàn trình;có\n\
               2.001268;Thay đổi phạm vi;Tiêu chuẩn;Sở KH&CN;Một phần;\n";
    write_files(root, &[("danh-muc.csv", csv)]);
    import(root, &root.join("danh-muc.csv"), &[]).expect(0);
    let first = read(root, "content/procedures/chi-dinh-to-chuc-lan-dau.md");
    assert!(first.contains("service_level = \"toan-trinh\"\n") && first.contains("postal = \"both\"\n"), "{first}");
    assert!(first.contains("title = \"Chỉ định tổ chức; lần đầu\"\n"), "{first}");
    let second = read(root, "content/procedures/thay-doi-pham-vi.md");
    assert!(second.contains("service_level = \"mot-phan\"\n") && second.contains("postal = \"none\"\n"), "{second}");
    check(root).expect(0);
}

/// A site of three procedures whose files have comments, other keys and
/// bodies that an import must keep.
fn written_site() -> tempfile::TempDir {
    let commented = Proc::new("Đăng ký công bố hợp chuẩn", "1.000047")
        .extra("# Phí theo Thông tư 183/2016/TT-BTC\nfee = \"Không\" # chưa thu\nkeywords = [\"hợp chuẩn\"]\nupdated = 2020-10-02")
        .md()
        .replace("code = ", "# Mã do Bộ cấp\ncode = ");
    site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/hop-chuan.md", &commented),
        (
            "content/procedures/do-luong/kiem-dinh.md",
            &Proc::new("Chứng nhận kiểm định viên", "1.000318").field("Đo lường").level("3").postal("\"receive\"").md(),
        ),
        (
            "content/procedures/hop-quy.md",
            &Proc::new("Đăng ký công bố hợp quy", "1.000040.000.00.00.H59").postal("false").md(),
        ),
    ])
}

#[test]
fn export_then_import_changes_nothing() {
    for name in ["danh-muc.xlsx", "danh-muc.csv"] {
        let dir = written_site();
        let root = dir.path();
        let before = read_tree(&root.join("content"));
        let out = root.join(name);
        let exported = run(root, "export", &[out.to_str().unwrap()]);
        exported.expect(0);
        assert!(exported.stdout.contains("3 procedures"), "{}", exported.stdout);
        let run = import(root, &out, &[]);
        run.expect(0);
        assert!(run.stdout.contains("0 to add, 0 to change, 3 unchanged, 0 in the site"), "{name}: {}", run.stdout);
        assert_eq!(run.stderr, "", "{name}");
        assert_eq!(read_tree(&root.join("content")), before, "{name}");
    }
}

#[test]
fn the_export_has_the_shape_of_an_annex() {
    let dir = written_site();
    let root = dir.path();
    let out = root.join("danh-muc.csv");
    run(root, "export", &[out.to_str().unwrap()]).expect(0);
    let text = read(root, "danh-muc.csv");
    assert!(text.starts_with("\u{feff}DANH MỤC THỦ TỤC HÀNH CHÍNH\n"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("STT,Mã thủ tục,Tên thủ tục hành chính")), "{text}");
    assert!(lines.iter().any(|l| l.contains(",Tiếp nhận hồ sơ,Trả kết quả,")), "{text}");
    let sections: Vec<&&str> = lines.iter().filter(|l| l.contains(". Lĩnh vực ")).collect();
    assert_eq!(sections, [&"I. Lĩnh vực Đo lường", &"II. Lĩnh vực Tiêu chuẩn Đo lường Chất lượng"], "{text}");
    let kiem_dinh = lines.iter().find(|l| l.contains("1.000318")).unwrap();
    assert!(kiem_dinh.contains(",Mức độ 3,x,,"), "{kiem_dinh}");
    let hop_quy = lines.iter().find(|l| l.contains("H59")).unwrap();
    assert!(hop_quy.contains(",Mức độ 4,,,"), "{hop_quy}");
}

#[test]
fn a_reimport_changes_exactly_the_changed_rows_and_keeps_bodies_and_comments() {
    let dir = written_site();
    let root = dir.path();
    let out = root.join("danh-muc.csv");
    run(root, "export", &[out.to_str().unwrap()]).expect(0);
    let before = read_tree(&root.join("content"));
    let table = read(root, "danh-muc.csv");
    let changed: Vec<String> = table
        .lines()
        .map(|line| {
            if line.contains("1.000047") {
                line.replace(",Không,", ",150.000 đồng,").replace(",Mức độ 4,x,x,", ",Mức độ 3,x,,")
            } else {
                line.to_string()
            }
        })
        .collect();
    fs::write(&out, changed.join("\n")).unwrap();
    let run = import(root, &out, &[]);
    run.expect(0);
    assert!(run.stdout.contains("0 to add, 1 to change, 2 unchanged"), "{}", run.stdout);
    assert!(run.stdout.contains("service_level: \"4\" → \"3\""), "{}", run.stdout);
    assert!(run.stdout.contains("fee: \"Không\" → \"150.000 đồng\""), "{}", run.stdout);
    let after = read_tree(&root.join("content"));
    let differ: Vec<&String> = after.keys().filter(|k| after.get(*k) != before.get(*k)).collect();
    assert_eq!(differ, ["procedures/hop-chuan.md"]);
    let old = String::from_utf8(before["procedures/hop-chuan.md"].clone()).unwrap();
    let new = read(root, "content/procedures/hop-chuan.md");
    let expected = old
        .replace("service_level = 4\n", "service_level = 3\n")
        .replace("postal = \"both\"\n", "postal = \"receive\"\n")
        .replace("fee = \"Không\" # chưa thu\n", "fee = \"150.000 đồng\" # chưa thu\n");
    assert_eq!(new, expected);
    assert!(new.contains("# Mã do Bộ cấp\ncode = ") && new.contains("# Phí theo Thông tư"));
    check(root).expect(0);
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let dir = empty_site();
    let root = dir.path();
    let annex = root.join("danh-muc.xlsx");
    real_annex(&annex);
    let before = read_tree(root);
    let run = import(root, &annex, &["--dry-run"]);
    run.expect(0);
    assert!(run.stdout.contains("+ content/procedures/chung-nhan-chuan-do-luong.md (1.000040)"), "{}", run.stdout);
    assert!(run.stdout.contains("Dry run: nothing was written."), "{}", run.stdout);
    assert_eq!(read_tree(root), before);
}

#[test]
fn errors_name_their_cells_all_at_once_and_nothing_is_written() {
    let dir = written_site();
    let root = dir.path();
    let rows = vec![
        vec![S("Mã thủ tục"), S("Tên thủ tục"), S("Lĩnh vực"), S("Cơ quan thực hiện"), S("Mức độ"), S("Bưu chính")],
        vec![S("1.000047"), S("Đổi tên"), S("Tiêu chuẩn"), S("Sở"), S("Mức độ 9"), S("x")],
        vec![S("1.000999"), S("Mới"), S("Tiêu chuẩn"), S("Sở"), S("4"), S("có lẽ")],
        vec![S("1.000998"), S("Mới nữa"), E, S("Sở"), S("4"), S("x")],
        vec![S("1.000047"), S("Trùng mã"), S("Tiêu chuẩn"), S("Sở"), S("4"), S("x")],
    ];
    let annex = root.join("danh-muc.xlsx");
    xlsx(&annex, "Phụ lục", &rows, &[]);
    let before = read_tree(root);
    let run = import(root, &annex, &[]);
    run.expect(1);
    for expected in [
        "danh-muc.xlsx:Phụ lục!E2: error: the service level \"Mức độ 9\" is not one of the site's levels",
        "hint: the levels declared in site.toml are: \"2\" (Mức độ 2), \"3\" (Mức độ 3), \"4\" (Mức độ 4)",
        "danh-muc.xlsx:Phụ lục!F3: error: \"có lẽ\" does not say whether the postal service can be used",
        "x, X, có, ✓",
        "danh-muc.xlsx:Phụ lục!C4: error: `field` is empty, and a new procedure needs it",
        "danh-muc.xlsx:Phụ lục!A5: error: the code 1.000047 is already listed on row 2",
        "4 errors found; nothing was written.",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n---\n{}", run.stderr);
    }
    assert_eq!(read_tree(root), before);
}

#[test]
fn errors_are_in_the_sites_language() {
    let dir = written_site();
    let root = dir.path();
    let csv = "Mã thủ tục,Tên thủ tục,Mức độ\n1.000047,Đăng ký công bố hợp chuẩn,Mức độ 9\n";
    write_files(root, &[("a.csv", csv)]);
    let out = run_in(root, &["import", "a.csv", "--root", root.to_str().unwrap()]);
    out.expect(1);
    assert!(out.stderr.contains("a.csv:C2: error: mức độ \"Mức độ 9\" không phải mức nào của trang"), "{}", out.stderr);
}

#[test]
fn missing_procedures_are_listed_and_abolished_on_request() {
    let dir = written_site();
    let root = dir.path();
    let csv = "Mã thủ tục,Tên thủ tục\n1.000047,Đăng ký công bố hợp chuẩn\n1.000318,Chứng nhận kiểm định viên\n";
    write_files(root, &[("a.csv", csv)]);
    let listed = import(root, &root.join("a.csv"), &[]);
    listed.expect(0);
    assert!(listed.stdout.contains("? content/procedures/hop-quy.md (1.000040.000.00.00.H59)"), "{}", listed.stdout);
    assert!(listed.stdout.contains("--abolish-missing"), "{}", listed.stdout);
    assert!(!read(root, "content/procedures/hop-quy.md").contains("status"));
    import(root, &root.join("a.csv"), &["--abolish-missing"]).expect(0);
    let abolished = read(root, "content/procedures/hop-quy.md");
    assert!(abolished.contains("status = \"abolished\"\n+++\n"), "{abolished}");
    let tree = build_ok(root);
    let record = open_data(&tree).into_iter().find(|r| r["code"] == "1.000040.000.00.00.H59").unwrap();
    assert_eq!(record["status"], "abolished");
}

#[test]
fn draft_and_map() {
    let dir = empty_site();
    let root = dir.path();
    let csv = "Số TTHC,Tên thủ tục,Lĩnh vực,Cơ quan,Mức độ,Bưu chính,Đơn vị chủ trì\n\
               1.000047,Đăng ký,Tiêu chuẩn,Sở,4,x,Phòng Tiêu chuẩn\n";
    write_files(root, &[("a.csv", csv)]);
    let without = import(root, &root.join("a.csv"), &["--dry-run"]);
    without.expect(1);
    assert!(without.stderr.contains("a.csv:A1: error: no header row found"), "{}", without.stderr);
    let mapped =
        import(root, &root.join("a.csv"), &["--map", "Số TTHC=code", "--map", "Đơn vị chủ trì=submit_at", "--draft"]);
    mapped.expect(0);
    let file = read(root, "content/procedures/dang-ky.md");
    assert!(file.contains("code = \"1.000047\"\n") && file.contains("submit_at = \"Phòng Tiêu chuẩn\"\n"), "{file}");
    assert!(file.contains("draft = true\n"), "{file}");
    let bad = import(root, &root.join("a.csv"), &["--map", "Số TTHC=ma"]);
    bad.expect(2);
    assert!(bad.stderr.contains("service_level"), "{}", bad.stderr);
}

#[test]
fn the_sample_annex_imports_into_a_working_site() {
    let example = repo_root().join("examples/import");
    let dir = site(&[
        ("site.toml", &read(&example, "site.toml")),
        ("content/_index.md", &read(&example, "content/_index.md")),
    ]);
    let root = dir.path();
    let run = import(root, &example.join("danh-muc.xlsx"), &[]);
    run.expect(0);
    assert!(run.stdout.contains("6 to add, 0 to change"), "{}", run.stdout);
    let file = read(root, "content/procedures/chung-nhan-chuan-do-luong-de-kiem-dinh-phuong-tien-do-nhom-2.md");
    assert!(file.contains("code = \"1.000040\"\n") && file.contains("service_level = \"mot-phan\"\n"), "{file}");
    assert!(file.contains("tier = \"Cấp tỉnh\"\n") && file.contains("field = \"Đo lường\"\n"), "{file}");
    let tree = build_ok(root);
    assert_eq!(open_data(&tree).len(), 6);
}

#[test]
fn a_new_procedure_never_takes_the_name_or_address_of_another() {
    let dir = site(&[
        ("site.toml", SITE_TOML),
        ("content/procedures/dang-ky.md", &Proc::new("Khác", "1.000001").extra("slug = \"khac\"").md()),
        ("content/procedures/sub/cap-phep.md", &Proc::new("Cấp phép cũ", "1.000002").md()),
    ]);
    let root = dir.path();
    let before = read_tree(&root.join("content"));
    let csv = "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cơ quan,Mức độ,Bưu chính\n\
               1.000047,Đăng ký,Tiêu chuẩn,Sở,4,x\n\
               1.000048,Cấp phép,Tiêu chuẩn,Sở,4,x\n\
               1.000049,Đăng ký,Tiêu chuẩn,Sở,4,x\n";
    write_files(root, &[("a.csv", csv)]);
    let run = import(root, &root.join("a.csv"), &[]);
    run.expect(0);
    for (rel, bytes) in before.iter().filter(|(rel, _)| !rel.ends_with('/')) {
        assert_eq!(&fs::read(root.join("content").join(rel)).unwrap(), bytes, "{rel} was overwritten");
    }
    for name in ["dang-ky-1-000047", "cap-phep-1-000048", "dang-ky-1-000049"] {
        assert!(root.join(format!("content/procedures/{name}.md")).is_file(), "{name}: {}", run.stdout);
    }
    check(root).expect(0);
}

#[test]
fn a_table_that_cannot_be_read_is_a_usage_error() {
    let dir = written_site();
    let root = dir.path();
    let missing = import(root, &root.join("khong-co.xlsx"), &[]);
    missing.expect(2);
    assert!(missing.stderr.contains("error: cannot read"), "{}", missing.stderr);
    write_files(root, &[("a.txt", "Mã thủ tục,Tên\n")]);
    let text = import(root, &root.join("a.txt"), &[]);
    text.expect(2);
    assert!(text.stderr.contains(".xlsx, .xls, .ods and .csv"), "{}", text.stderr);
    write_bytes(root, "b.csv", b"M\xe3 th\xf9 t\xfbc,T\xean\n");
    let legacy = import(root, &root.join("b.csv"), &[]);
    legacy.expect(2);
    assert!(legacy.stderr.contains("CSV UTF-8"), "{}", legacy.stderr);
    let export = run(root, "export", &["danh-muc.pdf"]);
    export.expect(2);
    assert!(export.stderr.contains(".xlsx and .csv"), "{}", export.stderr);
}

/// Writes an OpenDocument spreadsheet (LibreOffice's `.ods`) with one sheet
/// of `rows`; a cell that parses as a number is a number cell.
fn ods(path: &Path, sheet: &str, rows: &[&[&str]]) {
    use std::io::Write;
    let mut content = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>",
    );
    content.push_str(&format!("<table:table table:name=\"{sheet}\">"));
    for row in rows {
        content.push_str("<table:table-row>");
        for cell in row.iter() {
            match cell.parse::<f64>() {
                Ok(n) => content.push_str(&format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                )),
                Err(_) => content.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{cell}</text:p></table:table-cell>"
                )),
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest \
                    xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
                    <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
                    <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
                    </manifest:manifest>";
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn an_opendocument_spreadsheet_imports_too() {
    let dir = empty_site();
    let root = dir.path();
    let table = root.join("danh-muc.ods");
    ods(
        &table,
        "Phụ lục",
        &[
            &["DANH MỤC THỦ TỤC HÀNH CHÍNH"],
            &["Mã thủ tục", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan thực hiện", "Mức độ", "Bưu chính công ích"],
            &["1.00004", "Chứng nhận chuẩn đo lường", "Đo lường", "Sở Khoa học và Công nghệ", "4", "x"],
        ],
    );
    let run = import(root, &table, &[]);
    run.expect(0);
    assert!(run.stderr.contains("danh-muc.ods:Phụ lục!A3: warning:"), "{}", run.stderr);
    let file = read(root, "content/procedures/chung-nhan-chuan-do-luong.md");
    assert!(file.contains("code = \"1.000040\"\n") && file.contains("postal = \"both\"\n"), "{file}");
}

#[test]
fn the_demo_sites_export_imports_back_unchanged() {
    let out = tempfile::tempdir().unwrap();
    for name in ["danh-muc.xlsx", "danh-muc.csv"] {
        let table = out.path().join(name);
        run(&repo_root(), "export", &[table.to_str().unwrap()]).expect(0);
        let run = import(&repo_root(), &table, &["--dry-run"]);
        run.expect(0);
        assert!(run.stdout.contains("0 to add, 0 to change, 18 unchanged, 0 in the site"), "{name}: {}", run.stdout);
        assert_eq!(run.stderr, "", "{name}");
    }
}

#[test]
fn a_row_without_its_code_is_an_error_not_a_section() {
    let dir = written_site();
    let root = dir.path();
    let csv = "STT,Mã thủ tục,Tên thủ tục\n\
               ,,I. Lĩnh vực này ở sai cột\n\
               7,,\n\
               8,1.000047,Đăng ký công bố hợp chuẩn\n";
    write_files(root, &[("a.csv", csv)]);
    let before = read_tree(root);
    let run = import(root, &root.join("a.csv"), &[]);
    run.expect(1);
    assert!(run.stderr.contains("a.csv:B2: error: this row has no procedure code"), "{}", run.stderr);
    assert!(run.stderr.contains("1 error found"), "{}", run.stderr);
    assert_eq!(read_tree(root), before);
}

#[test]
fn levels_marked_in_one_column_per_level() {
    let site_toml = SITE_TOML.split("[[service_levels]]").next().unwrap().to_string()
        + "[[service_levels]]\nid = \"mot-phan\"\nname = \"Một phần\"\n\n[[service_levels]]\nid = \"toan-trinh\"\nname = \"Toàn trình\"\n";
    let dir = site(&[("site.toml", &site_toml), ("content/_index.md", "x\n")]);
    let root = dir.path();
    let rows = vec![
        vec![S("Mã TTHC"), S("Tên thủ tục"), S("Lĩnh vực"), S("Cơ quan"), S("Mức độ DVCTT"), E, S("Bưu chính")],
        vec![E, E, E, E, S("Một phần"), S("Toàn trình"), E],
        vec![S("1.000047"), S("Đăng ký"), S("Tiêu chuẩn"), S("Sở"), S("x"), E, S("x")],
        vec![S("1.000048"), S("Cấp phép"), S("Tiêu chuẩn"), S("Sở"), E, S("x"), S("x")],
        vec![S("1.000049"), S("Thu hồi"), S("Tiêu chuẩn"), S("Sở"), E, E, S("x")],
    ];
    let annex = root.join("a.xlsx");
    xlsx(
        &annex,
        "Sheet1",
        &rows,
        &[(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 0, 5), (0, 6, 1, 6)],
    );
    let run = import(root, &annex, &[]);
    run.expect(1);
    assert!(run.stderr.contains("a.xlsx:Sheet1!E5: error: `service_level` is empty"), "{}", run.stderr);
    let rows = &rows[..4];
    xlsx(&annex, "Sheet1", rows, &[(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 0, 5), (0, 6, 1, 6)]);
    import(root, &annex, &[]).expect(0);
    assert!(read(root, "content/procedures/dang-ky.md").contains("service_level = \"mot-phan\"\n"));
    assert!(read(root, "content/procedures/cap-phep.md").contains("service_level = \"toan-trinh\"\n"));
}

#[test]
fn the_first_sheet_with_a_header_is_read_or_the_one_named() {
    let dir = empty_site();
    let root = dir.path();
    let path = root.join("hai-trang.xlsx");
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet().set_name("Hướng dẫn").unwrap();
    notes.write_string(0, 0, "Bảng này kèm theo Quyết định số ...").unwrap();
    for (sheet, code, title) in [("Cấp tỉnh", "1.000047", "Đăng ký"), ("Cấp huyện", "2.000001", "Cấp phép")]
    {
        let ws = workbook.add_worksheet().set_name(sheet).unwrap();
        for (col, header) in
            ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cơ quan", "Mức độ", "Bưu chính"].iter().enumerate()
        {
            ws.write_string(0, col as u16, *header).unwrap();
        }
        for (col, value) in [code, title, "Tiêu chuẩn", "Sở", "4", "x"].iter().enumerate() {
            ws.write_string(1, col as u16, *value).unwrap();
        }
    }
    workbook.save(&path).unwrap();
    let first = import(root, &path, &["--dry-run"]);
    first.expect(0);
    assert!(
        first.stdout.contains("hai-trang.xlsx:Cấp tỉnh: 1 to add") && first.stdout.contains("(1.000047)"),
        "{}",
        first.stdout
    );
    let named = import(root, &path, &["--dry-run", "--sheet", "cap huyen"]);
    named.expect(0);
    assert!(named.stdout.contains("(2.000001)") && !named.stdout.contains("1.000047"), "{}", named.stdout);
    let unknown = import(root, &path, &["--sheet", "Cấp xã"]);
    unknown.expect(2);
    assert!(unknown.stderr.contains("Hướng dẫn, Cấp tỉnh, Cấp huyện"), "{}", unknown.stderr);
}
