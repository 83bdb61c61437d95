#!/usr/bin/env python3
"""Writes the demo site's application forms (mẫu đơn, tờ khai) into static/mau-don/.

They are small but real documents, written from the texts below: a DOCX made
with the standard library's zipfile (the least a word processor opens), and a
PDF printed from HTML by Chromium (so Vietnamese letters are set in a real
font). They are demo data, and each says so. Run from the repository root:

    python3 scripts/make_demo_forms.py

The files are committed; run this again only to change them.
"""

import html
import os
import subprocess
import sys
import tempfile
import zipfile

DEMO = "Mẫu minh họa (demo) của công cụ niemyet, không phải biểu mẫu chính thức."
HEADER = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
APPLICANT = [
    "Tên tổ chức, cá nhân: ......................................................",
    "Địa chỉ: ...................................................................",
    "Điện thoại: ............................ Email: .............................",
]
SIGNATURE = ["..........., ngày ..... tháng ..... năm .........", "NGƯỜI ĐẠI DIỆN (ký, ghi rõ họ tên, đóng dấu)"]

FORMS = [
    (
        "mau-don/1.000047/ban-cong-bo-hop-chuan.docx",
        "BẢN CÔNG BỐ HỢP CHUẨN",
        [
            "Kính gửi: Sở Khoa học và Công nghệ",
            *APPLICANT,
            "CÔNG BỐ: Sản phẩm, hàng hóa: ...............................................",
            "phù hợp với tiêu chuẩn: ....................................................",
            "Loại hình đánh giá: tự đánh giá của tổ chức, cá nhân sản xuất, kinh doanh.",
            "Chúng tôi cam kết và chịu trách nhiệm về tính phù hợp của sản phẩm, hàng hóa đã công bố.",
        ],
    ),
    (
        "mau-don/1.000047/bao-cao-tu-danh-gia.pdf",
        "BÁO CÁO TỰ ĐÁNH GIÁ SỰ PHÙ HỢP",
        [
            *APPLICANT,
            "Tên sản phẩm, hàng hóa: ...................................................",
            "Số hiệu tiêu chuẩn áp dụng: ................................................",
            "Phương thức đánh giá: ......................................................",
            "Kết quả thử nghiệm (số phiếu, nơi thử nghiệm): ...........................",
            "Kết luận: sản phẩm, hàng hóa phù hợp với tiêu chuẩn nêu trên.",
        ],
    ),
    (
        "mau-don/1.001056.000.00.00.H59/dang-ky-kiem-tra.pdf",
        "BẢN ĐĂNG KÝ KIỂM TRA NHÀ NƯỚC VỀ ĐO LƯỜNG",
        [
            "Kính gửi: Chi cục Tiêu chuẩn Đo lường Chất lượng",
            *APPLICANT,
            "Đăng ký kiểm tra: phương tiện đo / lượng của hàng đóng gói sẵn nhập khẩu.",
            "Tên hàng, số lượng: .......................................................",
            "Số tờ khai hải quan: ........................ Cửa khẩu nhập: ...............",
            "Thời gian, địa điểm đề nghị kiểm tra: .......................................",
        ],
    ),
    (
        "mau-don/2.001211/dang-ky-tham-du.docx",
        "PHIẾU ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA",
        [
            "Kính gửi: Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh",
            *APPLICANT,
            "Loại hình doanh nghiệp, tổ chức: ..........................................",
            "Số lao động: .................. Sản phẩm, dịch vụ chính: ....................",
            "Đăng ký tham dự sơ tuyển, xét tặng Giải thưởng Chất lượng Quốc gia năm ......",
        ],
    ),
]

# A fixed time inside the zip, so that running the script again gives the same bytes.
ZIP_TIME = (2020, 11, 20, 0, 0, 0)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""


def paragraphs(title, lines):
    """The form's paragraphs, in order, as (text, centred, bold, italic)."""
    out = [(line, True, True, False) for line in HEADER]
    out.append((title, True, True, False))
    out.append((DEMO, True, False, True))
    out.extend((line, False, False, False) for line in lines)
    out.extend((line, True, i == 1, i == 0) for i, line in enumerate(SIGNATURE))
    return out


def docx(title, lines):
    body = []
    for text, centred, bold, italic in paragraphs(title, lines):
        props = "<w:jc w:val=\"center\"/>" if centred else ""
        run = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
        body.append(
            f"<w:p><w:pPr>{props}<w:spacing w:after=\"160\"/></w:pPr>"
            f"<w:r><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\"/>{run}"
            f"<w:sz w:val=\"26\"/></w:rPr><w:t xml:space=\"preserve\">{html.escape(text)}</w:t></w:r></w:p>"
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(body)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701"/></w:sectPr>'
        "</w:body></w:document>"
    )
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", document)]
    return parts


def write_docx(path, title, lines):
    # Stored, not compressed: the parts are a few kilobytes.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, text in docx(title, lines):
            z.writestr(zipfile.ZipInfo(name, ZIP_TIME), text)


def write_pdf(path, title, lines):
    rows = []
    for text, centred, bold, italic in paragraphs(title, lines):
        style = "text-align:center;" if centred else ""
        text = html.escape(text)
        text = f"<b>{text}</b>" if bold else text
        text = f"<i>{text}</i>" if italic else text
        rows.append(f'<p style="{style}">{text}</p>')
    page = (
        '<!DOCTYPE html><html lang="vi"><meta charset="utf-8"><title>'
        + html.escape(title)
        + "</title><style>@page{size:A4;margin:2cm 2cm 2cm 3cm}"
        "body{font:13pt/1.5 'Liberation Serif','DejaVu Serif',serif}p{margin:0 0 8pt}</style>"
        + "".join(rows)
        + "</html>"
    )
    with tempfile.TemporaryDirectory() as scratch:
        source = os.path.join(scratch, "form.html")
        with open(source, "w", encoding="utf-8") as f:
            f.write(page)
        subprocess.run(
            [
                os.environ.get("CHROMIUM", "chromium"),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--user-data-dir={os.path.join(scratch, 'profile')}",
                f"--print-to-pdf={os.path.abspath(path)}",
                "file://" + source,
            ],
            check=True,
            capture_output=True,
        )


def main():
    for rel, title, lines in FORMS:
        path = os.path.join("static", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if path.endswith(".docx"):
            write_docx(path, title, lines)
        else:
            write_pdf(path, title, lines)
        print(f"{path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    sys.exit(main())
