#!/usr/bin/env python3
"""Generate a large, realistic niemyet site for benchmarks.

Usage: gen_site.py N OUT_DIR [--seed S]

Writes OUT_DIR/site.toml and OUT_DIR/content/ with N procedures spread over
30 fields and 60 agencies (nested folders of about 100 files each), about
N/100 notices that name procedure codes, two plain pages and a home text.
The texts are assembled from Vietnamese phrase pools so that each procedure
body is roughly the size of a demo procedure (about 600 words, the ten usual
`##` sections, a Markdown table in some).

Deterministic: the same N and seed always give byte-identical files.
Python 3 standard library only.

OUT_DIR must be missing, empty, or a folder this script generated before
(it holds a `.gen_site` stamp); in the last case its site.toml and content/
are replaced (public/ and anything else are left alone).
"""

import argparse
import os
import random
import shutil
import sys
import unicodedata
from datetime import date, timedelta

STAMP = ".gen_site"

# --------------------------------------------------------------------------
# Text helpers

def fold(text):
    """Vietnamese text -> lower-case ASCII slug ("Đăng ký" -> "dang-ky")."""
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    out, dash = [], False
    for c in text.lower():
        if c.isascii() and c.isalnum():
            out.append(c)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def short(slug, limit):
    """Cut a slug at a hyphen so it is at most `limit` characters."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit].rfind("-")
    return slug[: cut if cut > 0 else limit]


def toml_str(s):
    out = ['"']
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif ord(c) < 0x20:
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def toml_list(items):
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def cap(s):
    return s[:1].upper() + s[1:]


# --------------------------------------------------------------------------
# Agencies (60)

PROVINCE = "tỉnh Tiền Giang"
DISTRICTS = [
    "thành phố Mỹ Tho", "thị xã Gò Công", "thị xã Cai Lậy", "huyện Cái Bè",
    "huyện Cai Lậy", "huyện Châu Thành", "huyện Chợ Gạo", "huyện Gò Công Tây",
    "huyện Gò Công Đông", "huyện Tân Phước", "huyện Tân Phú Đông",
]

SO = {
    "khcn": "Sở Khoa học và Công nghệ",
    "tnmt": "Sở Tài nguyên và Môi trường",
    "xd": "Sở Xây dựng",
    "gtvt": "Sở Giao thông vận tải",
    "khdt": "Sở Kế hoạch và Đầu tư",
    "ct": "Sở Công Thương",
    "nn": "Sở Nông nghiệp và Phát triển nông thôn",
    "yt": "Sở Y tế",
    "gd": "Sở Giáo dục và Đào tạo",
    "ld": "Sở Lao động - Thương binh và Xã hội",
    "tp": "Sở Tư pháp",
    "vh": "Sở Văn hóa, Thể thao và Du lịch",
}
UNIT = {
    "tdc": "Chi cục Tiêu chuẩn Đo lường Chất lượng",
    "vpdk": "Văn phòng Đăng ký đất đai tỉnh",
    "bvmt": "Chi cục Bảo vệ môi trường",
    "cangvu": "Cảng vụ Đường thủy nội địa tỉnh",
    "kcn": "Ban Quản lý các khu công nghiệp tỉnh",
    "atvstp": "Chi cục An toàn vệ sinh thực phẩm",
    "bvtv": "Chi cục Trồng trọt và Bảo vệ thực vật",
    "thuy": "Chi cục Chăn nuôi và Thú y",
    "thuysan": "Chi cục Thủy sản",
    "kiemlam": "Chi cục Kiểm lâm",
    "dvvl": "Trung tâm Dịch vụ việc làm tỉnh",
}
UBND = ["Ủy ban nhân dân " + d for d in DISTRICTS]                 # 11
PTP = ["Phòng Tư pháp " + d for d in DISTRICTS]                    # 11
PLD = ["Phòng Lao động - Thương binh và Xã hội " + d for d in DISTRICTS[:8]]  # 8
PGD = ["Phòng Giáo dục và Đào tạo " + d for d in DISTRICTS[:7]]    # 7
# 12 + 11 + 11 + 11 + 8 + 7 = 60 agencies


def is_district(agency):
    return any(agency.endswith(d) for d in DISTRICTS)


# --------------------------------------------------------------------------
# Fields (30): name, folder, agencies, objects (what the procedure is about),
# applicants, laws, keywords.

LONG_ENTERPRISE_FIELD = (
    "Thành lập và hoạt động của doanh nghiệp, hợp tác xã, liên hiệp hợp tác xã "
    "và hộ kinh doanh theo quy định của Luật Doanh nghiệp, Luật Hợp tác xã, "
    "Luật Đầu tư và các văn bản quy định chi tiết, hướng dẫn thi hành có liên quan "
    "do cơ quan đăng ký kinh doanh cấp tỉnh và cấp huyện thực hiện"
)

ORG = ["Doanh nghiệp", "Hợp tác xã", "Hộ kinh doanh"]
CITIZEN = ["Công dân Việt Nam", "Người nước ngoài cư trú tại Việt Nam"]

FIELDS = [
    ("Tiêu chuẩn Đo lường Chất lượng", [SO["khcn"], UNIT["tdc"]],
     ["thông báo tiếp nhận hồ sơ công bố hợp chuẩn", "thông báo tiếp nhận hồ sơ công bố hợp quy",
      "quyết định chỉ định tổ chức đánh giá sự phù hợp", "chứng chỉ kiểm định viên đo lường",
      "giấy chứng nhận chuẩn đo lường", "thông báo kết quả kiểm tra chất lượng hàng hóa nhập khẩu"],
     ORG + ["Tổ chức đánh giá sự phù hợp"],
     ["Luật Tiêu chuẩn và Quy chuẩn kỹ thuật năm 2006", "Luật Đo lường năm 2011",
      "Luật Chất lượng sản phẩm, hàng hóa năm 2007"],
     ["hợp chuẩn", "hợp quy", "đo lường", "TCVN"]),
    ("Hoạt động khoa học và công nghệ", [SO["khcn"]],
     ["giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "giấy chứng nhận doanh nghiệp khoa học và công nghệ",
      "giấy phép tiến hành công việc bức xạ", "giấy chứng nhận đăng ký hợp đồng chuyển giao công nghệ"],
     ["Tổ chức khoa học và công nghệ", "Doanh nghiệp"],
     ["Luật Khoa học và Công nghệ năm 2013", "Luật Chuyển giao công nghệ năm 2017"],
     ["khoa học công nghệ", "chuyển giao công nghệ", "bức xạ"]),
    ("Đất đai", [SO["tnmt"], UNIT["vpdk"]] + UBND[:6],
     ["giấy chứng nhận quyền sử dụng đất", "quyết định giao đất, cho thuê đất",
      "quyết định chuyển mục đích sử dụng đất", "đăng ký biến động đất đai",
      "trích lục bản đồ địa chính", "giấy chứng nhận quyền sở hữu nhà ở và tài sản gắn liền với đất"],
     CITIZEN + ["Hộ gia đình", "Tổ chức kinh tế"],
     ["Luật Đất đai năm 2013", "Nghị định số 43/2014/NĐ-CP quy định chi tiết thi hành một số điều của Luật Đất đai"],
     ["sổ đỏ", "đất đai", "địa chính"]),
    ("Môi trường", [SO["tnmt"], UNIT["bvmt"]],
     ["quyết định phê duyệt báo cáo đánh giá tác động môi trường", "giấy phép môi trường",
      "xác nhận kế hoạch bảo vệ môi trường", "sổ đăng ký chủ nguồn thải chất thải nguy hại"],
     ORG + ["Chủ dự án đầu tư"],
     ["Luật Bảo vệ môi trường năm 2020", "Nghị định số 08/2022/NĐ-CP quy định chi tiết một số điều của Luật Bảo vệ môi trường"],
     ["môi trường", "ĐTM", "chất thải"]),
    ("Tài nguyên nước", [SO["tnmt"]],
     ["giấy phép khai thác, sử dụng nước mặt", "giấy phép thăm dò nước dưới đất",
      "giấy phép xả nước thải vào nguồn nước", "giấy phép hành nghề khoan nước dưới đất"],
     ORG + ["Tổ chức, cá nhân khai thác nước"],
     ["Luật Tài nguyên nước năm 2012", "Nghị định số 201/2013/NĐ-CP quy định chi tiết thi hành một số điều của Luật Tài nguyên nước"],
     ["nước mặt", "nước dưới đất", "xả thải"]),
    ("Xây dựng", [SO["xd"]] + UBND[5:],
     ["giấy phép xây dựng nhà ở riêng lẻ", "giấy phép xây dựng công trình",
      "chứng chỉ hành nghề hoạt động xây dựng", "chứng chỉ năng lực hoạt động xây dựng",
      "thông báo kết quả thẩm định thiết kế xây dựng"],
     CITIZEN + ["Chủ đầu tư", "Tổ chức tư vấn xây dựng"],
     ["Luật Xây dựng năm 2014", "Luật sửa đổi, bổ sung một số điều của Luật Xây dựng năm 2020",
      "Nghị định số 15/2021/NĐ-CP quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng"],
     ["giấy phép xây dựng", "xây dựng", "nhà ở"]),
    ("Quy hoạch - Kiến trúc", [SO["xd"]],
     ["giấy phép quy hoạch", "thông tin quy hoạch xây dựng", "chứng chỉ hành nghề kiến trúc",
      "ý kiến thỏa thuận về quy hoạch chi tiết"],
     ["Chủ đầu tư", "Kiến trúc sư", "Tổ chức tư vấn"],
     ["Luật Quy hoạch đô thị năm 2009", "Luật Kiến trúc năm 2019"],
     ["quy hoạch", "kiến trúc"]),
    ("Giao thông vận tải đường bộ", [SO["gtvt"]],
     ["giấy phép lái xe", "giấy phép kinh doanh vận tải bằng xe ô tô", "phù hiệu xe ô tô kinh doanh vận tải",
      "giấy phép lưu hành xe quá tải trọng", "giấy chứng nhận đăng ký xe máy chuyên dùng"],
     CITIZEN + ["Doanh nghiệp vận tải", "Hợp tác xã vận tải"],
     ["Luật Giao thông đường bộ năm 2008", "Nghị định số 10/2020/NĐ-CP quy định về kinh doanh và điều kiện kinh doanh vận tải bằng xe ô tô"],
     ["giấy phép lái xe", "vận tải", "phù hiệu"]),
    ("Đường thủy nội địa", [SO["gtvt"], UNIT["cangvu"]],
     ["giấy chứng nhận đăng ký phương tiện thủy nội địa", "giấy phép hoạt động bến thủy nội địa",
      "chứng chỉ chuyên môn thuyền viên", "văn bản chấp thuận xây dựng công trình trên đường thủy nội địa"],
     CITIZEN + ["Chủ phương tiện", "Doanh nghiệp"],
     ["Luật Giao thông đường thủy nội địa năm 2004, sửa đổi năm 2014"],
     ["đường thủy", "bến thủy", "phương tiện thủy"]),
    (LONG_ENTERPRISE_FIELD, [SO["khdt"]] + UBND[:4],
     ["giấy chứng nhận đăng ký doanh nghiệp", "giấy chứng nhận đăng ký hộ kinh doanh",
      "giấy chứng nhận đăng ký hợp tác xã", "thông báo thay đổi nội dung đăng ký doanh nghiệp",
      "giấy chứng nhận đăng ký hoạt động chi nhánh"],
     CITIZEN + ORG,
     ["Luật Doanh nghiệp năm 2020", "Luật Hợp tác xã năm 2012", "Nghị định số 01/2021/NĐ-CP về đăng ký doanh nghiệp"],
     ["đăng ký kinh doanh", "doanh nghiệp", "hộ kinh doanh"]),
    ("Đầu tư tại Việt Nam", [SO["khdt"], UNIT["kcn"]],
     ["giấy chứng nhận đăng ký đầu tư", "quyết định chủ trương đầu tư", "văn bản chấp thuận góp vốn, mua cổ phần",
      "quyết định điều chỉnh dự án đầu tư"],
     ["Nhà đầu tư trong nước", "Nhà đầu tư nước ngoài", "Tổ chức kinh tế có vốn đầu tư nước ngoài"],
     ["Luật Đầu tư năm 2020", "Nghị định số 31/2021/NĐ-CP quy định chi tiết và hướng dẫn thi hành một số điều của Luật Đầu tư"],
     ["đầu tư", "dự án", "FDI"]),
    ("Lưu thông hàng hóa trong nước", [SO["ct"]],
     ["giấy phép bán lẻ sản phẩm rượu", "giấy phép bán lẻ sản phẩm thuốc lá",
      "giấy chứng nhận đủ điều kiện kinh doanh xăng dầu", "giấy phép kinh doanh LPG"],
     ORG + ["Thương nhân"],
     ["Luật Thương mại năm 2005", "Nghị định số 105/2017/NĐ-CP về kinh doanh rượu", "Nghị định số 83/2014/NĐ-CP về kinh doanh xăng dầu"],
     ["rượu", "thuốc lá", "xăng dầu"]),
    ("An toàn thực phẩm", [SO["ct"], SO["yt"], UNIT["atvstp"], SO["nn"]],
     ["giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "giấy tiếp nhận bản công bố sản phẩm",
      "giấy xác nhận nội dung quảng cáo thực phẩm", "giấy xác nhận kiến thức về an toàn thực phẩm"],
     ORG + ["Cơ sở sản xuất, kinh doanh thực phẩm"],
     ["Luật An toàn thực phẩm năm 2010", "Nghị định số 15/2018/NĐ-CP quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm"],
     ["an toàn thực phẩm", "ATTP", "công bố sản phẩm"]),
    ("Điện", [SO["ct"]],
     ["giấy phép hoạt động điện lực", "thẻ kiểm tra viên điện lực", "thẻ an toàn điện",
      "văn bản thỏa thuận đấu nối điện mặt trời mái nhà"],
     ["Doanh nghiệp", "Đơn vị điện lực", "Hợp tác xã"],
     ["Luật Điện lực năm 2004, sửa đổi, bổ sung năm 2012", "Nghị định số 137/2013/NĐ-CP quy định chi tiết thi hành Luật Điện lực"],
     ["điện lực", "điện mặt trời"]),
    ("Trồng trọt", [SO["nn"], UNIT["bvtv"]],
     ["giấy chứng nhận đủ điều kiện buôn bán phân bón", "giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật",
      "mã số vùng trồng", "giấy chứng nhận kiểm dịch thực vật nội địa"],
     ORG + ["Nông dân", "Tổ hợp tác"],
     ["Luật Trồng trọt năm 2018", "Luật Bảo vệ và kiểm dịch thực vật năm 2013"],
     ["phân bón", "thuốc bảo vệ thực vật", "vùng trồng"]),
    ("Thú y", [SO["nn"], UNIT["thuy"]],
     ["giấy chứng nhận cơ sở an toàn dịch bệnh động vật", "giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi tỉnh",
      "chứng chỉ hành nghề thú y", "giấy chứng nhận đủ điều kiện buôn bán thuốc thú y"],
     ORG + ["Chủ cơ sở chăn nuôi", "Người hành nghề thú y"],
     ["Luật Thú y năm 2015", "Luật Chăn nuôi năm 2018"],
     ["thú y", "kiểm dịch", "chăn nuôi"]),
    ("Thủy sản", [SO["nn"], UNIT["thuysan"]],
     ["giấy phép khai thác thủy sản", "giấy chứng nhận đăng ký tàu cá", "giấy chứng nhận cơ sở đủ điều kiện nuôi trồng thủy sản",
      "văn bản chấp thuận đóng mới, cải hoán tàu cá"],
     ["Chủ tàu cá", "Ngư dân"] + ORG[:2],
     ["Luật Thủy sản năm 2017", "Nghị định số 26/2019/NĐ-CP quy định chi tiết một số điều của Luật Thủy sản"],
     ["tàu cá", "thủy sản", "nuôi trồng"]),
    ("Lâm nghiệp", [UNIT["kiemlam"], SO["nn"]],
     ["mã số cơ sở nuôi, trồng các loài thực vật, động vật hoang dã", "xác nhận bảng kê lâm sản",
      "quyết định phê duyệt phương án quản lý rừng bền vững"],
     ["Chủ rừng", "Hộ gia đình", "Doanh nghiệp"],
     ["Luật Lâm nghiệp năm 2017", "Nghị định số 06/2019/NĐ-CP về quản lý thực vật rừng, động vật rừng nguy cấp, quý, hiếm"],
     ["lâm sản", "kiểm lâm", "động vật hoang dã"]),
    ("Khám bệnh, chữa bệnh", [SO["yt"]],
     ["giấy phép hoạt động khám bệnh, chữa bệnh", "chứng chỉ hành nghề khám bệnh, chữa bệnh",
      "văn bản xác nhận danh mục kỹ thuật", "giấy chứng nhận bài thuốc gia truyền"],
     ["Người hành nghề", "Cơ sở khám bệnh, chữa bệnh", "Doanh nghiệp"],
     ["Luật Khám bệnh, chữa bệnh năm 2009", "Nghị định số 109/2016/NĐ-CP quy định cấp chứng chỉ hành nghề"],
     ["khám chữa bệnh", "phòng khám", "chứng chỉ hành nghề"]),
    ("Dược phẩm", [SO["yt"]],
     ["giấy chứng nhận đủ điều kiện kinh doanh dược", "chứng chỉ hành nghề dược",
      "giấy xác nhận nội dung quảng cáo mỹ phẩm", "phiếu tiếp nhận bản công bố sản phẩm mỹ phẩm"],
     ["Người hành nghề dược", "Nhà thuốc", "Doanh nghiệp"],
     ["Luật Dược năm 2016", "Nghị định số 54/2017/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Dược"],
     ["dược", "nhà thuốc", "mỹ phẩm"]),
    ("Giáo dục và Đào tạo", [SO["gd"]] + PGD,
     ["quyết định cho phép thành lập trường mầm non tư thục", "quyết định cho phép hoạt động giáo dục",
      "bản sao văn bằng, chứng chỉ từ sổ gốc", "giấy phép tổ chức hoạt động dạy thêm, học thêm",
      "quyết định công nhận trường đạt chuẩn quốc gia", "giấy chứng nhận đăng ký hoạt động giáo dục kỹ năng sống"],
     CITIZEN + ["Cơ sở giáo dục", "Học sinh, sinh viên"],
     ["Luật Giáo dục năm 2019", "Nghị định số 46/2017/NĐ-CP quy định về điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục"],
     ["trường học", "văn bằng", "dạy thêm"]),
    ("Giáo dục nghề nghiệp", [SO["ld"]],
     ["giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp", "quyết định thành lập trung tâm giáo dục nghề nghiệp tư thục",
      "giấy chứng nhận đăng ký bổ sung hoạt động giáo dục nghề nghiệp"],
     ["Cơ sở giáo dục nghề nghiệp", "Doanh nghiệp"],
     ["Luật Giáo dục nghề nghiệp năm 2014", "Nghị định số 143/2016/NĐ-CP quy định điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục nghề nghiệp"],
     ["học nghề", "giáo dục nghề nghiệp"]),
    ("Việc làm", [SO["ld"], UNIT["dvvl"]],
     ["quyết định hưởng trợ cấp thất nghiệp", "giấy phép lao động cho người lao động nước ngoài",
      "giấy xác nhận không thuộc diện cấp giấy phép lao động", "giấy phép hoạt động dịch vụ việc làm"],
     ["Người lao động", "Người sử dụng lao động", "Người lao động nước ngoài"],
     ["Luật Việc làm năm 2013", "Bộ luật Lao động năm 2019", "Nghị định số 152/2020/NĐ-CP về người lao động nước ngoài làm việc tại Việt Nam"],
     ["thất nghiệp", "giấy phép lao động", "việc làm"]),
    ("Người có công", [SO["ld"]] + PLD,
     ["quyết định trợ cấp ưu đãi người có công với cách mạng", "giấy chứng nhận thân nhân liệt sĩ",
      "quyết định hỗ trợ cải thiện nhà ở cho người có công", "quyết định trợ cấp mai táng phí"],
     ["Người có công với cách mạng", "Thân nhân người có công"],
     ["Pháp lệnh Ưu đãi người có công với cách mạng năm 2020", "Nghị định số 131/2021/NĐ-CP quy định chi tiết Pháp lệnh Ưu đãi người có công với cách mạng"],
     ["người có công", "liệt sĩ", "trợ cấp"]),
    ("Bảo trợ xã hội", [SO["ld"]] + UBND[3:] + PLD[:4],
     ["quyết định trợ cấp xã hội hằng tháng", "quyết định tiếp nhận đối tượng vào cơ sở trợ giúp xã hội",
      "giấy xác nhận khuyết tật", "quyết định hỗ trợ khẩn cấp"],
     CITIZEN + ["Người khuyết tật", "Người cao tuổi"],
     ["Luật Người khuyết tật năm 2010", "Luật Người cao tuổi năm 2009", "Nghị định số 20/2021/NĐ-CP quy định chính sách trợ giúp xã hội"],
     ["bảo trợ xã hội", "khuyết tật", "trợ cấp"]),
    ("Hộ tịch", [SO["tp"]] + UBND + PTP[:6],
     ["giấy khai sinh", "giấy chứng nhận kết hôn", "trích lục khai tử", "quyết định thay đổi, cải chính hộ tịch",
      "giấy xác nhận tình trạng hôn nhân", "trích lục ghi chú ly hôn"],
     CITIZEN + ["Người Việt Nam định cư ở nước ngoài"],
     ["Luật Hộ tịch năm 2014", "Nghị định số 123/2015/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch"],
     ["khai sinh", "kết hôn", "hộ tịch"]),
    ("Chứng thực", PTP + UBND[:5],
     ["bản sao chứng thực từ bản chính", "chứng thực chữ ký", "chứng thực hợp đồng, giao dịch",
      "chứng thực việc sửa đổi, bổ sung hợp đồng", "chứng thực văn bản thỏa thuận phân chia di sản"],
     CITIZEN + ["Tổ chức"],
     ["Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch"],
     ["chứng thực", "bản sao", "chữ ký"]),
    ("Lý lịch tư pháp", [SO["tp"]],
     ["phiếu lý lịch tư pháp số 1", "phiếu lý lịch tư pháp số 2", "thẻ công chứng viên", "giấy đăng ký hoạt động văn phòng công chứng"],
     CITIZEN + ["Công chứng viên"],
     ["Luật Lý lịch tư pháp năm 2009", "Luật Công chứng năm 2014"],
     ["lý lịch tư pháp", "công chứng"]),
    ("Văn hóa", [SO["vh"]],
     ["giấy phép tổ chức biểu diễn nghệ thuật", "giấy phép tổ chức lễ hội", "giấy chứng nhận đủ điều kiện kinh doanh dịch vụ karaoke",
      "giấy phép đưa di vật, cổ vật ra nước ngoài", "giấy phép triển lãm mỹ thuật"],
     CITIZEN + ORG[:1] + ["Đơn vị nghệ thuật"],
     ["Luật Di sản văn hóa năm 2001, sửa đổi năm 2009", "Nghị định số 144/2020/NĐ-CP quy định về hoạt động nghệ thuật biểu diễn"],
     ["biểu diễn", "karaoke", "lễ hội"]),
    ("Du lịch", [SO["vh"]],
     ["giấy phép kinh doanh dịch vụ lữ hành nội địa", "thẻ hướng dẫn viên du lịch",
      "quyết định công nhận hạng cơ sở lưu trú du lịch", "quyết định công nhận điểm du lịch"],
     ["Doanh nghiệp lữ hành", "Hướng dẫn viên", "Cơ sở lưu trú"],
     ["Luật Du lịch năm 2017", "Nghị định số 168/2017/NĐ-CP quy định chi tiết một số điều của Luật Du lịch"],
     ["du lịch", "lữ hành", "hướng dẫn viên"]),
]
assert len(FIELDS) == 30

ACTIONS = [
    ("Cấp", 6), ("Cấp lại", 4), ("Cấp đổi", 2), ("Điều chỉnh", 3), ("Gia hạn", 2),
    ("Cấp bổ sung", 1), ("Đăng ký", 3), ("Thu hồi", 1), ("Xác nhận", 1), ("Thẩm định hồ sơ đề nghị cấp", 1),
]
QUALIFIERS = [
    ("", 8),
    ("trường hợp bị mất, bị hỏng", 1),
    ("trường hợp hết hạn", 1),
    ("đối với tổ chức", 1),
    ("đối với cá nhân", 1),
    ("cho doanh nghiệp có vốn đầu tư nước ngoài", 1),
    ("do thay đổi thông tin", 1),
    ("theo hình thức trực tuyến", 1),
    ("trên địa bàn tỉnh", 1),
    ("có yếu tố nước ngoài", 1),
]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.randrange(total)
    for item, w in pairs:
        r -= w
        if r < 0:
            return item
    return pairs[-1][0]


# --------------------------------------------------------------------------
# Body text pools. Placeholders: {doc} (result, lower case), {agency},
# {unit} (who handles it), {submit}, {time}, {fee}, {field}, {who}.

INTRO = [
    "Thủ tục này áp dụng khi {who} cần được cấp hoặc điều chỉnh {doc} thuộc lĩnh vực {field}. "
    "Trang này tóm tắt các bước, hồ sơ, thời hạn và chi phí theo quy định hiện hành để người dân, doanh nghiệp chuẩn bị trước khi nộp.",
    "{Doc} là căn cứ để {who} thực hiện các quyền và nghĩa vụ liên quan theo quy định của pháp luật. "
    "Việc tiếp nhận và giải quyết hồ sơ do {agency} thực hiện theo cơ chế một cửa, một cửa liên thông.",
    "Nội dung dưới đây hướng dẫn {who} thực hiện thủ tục liên quan đến {doc}. "
    "Hồ sơ có thể nộp trực tiếp, trực tuyến hoặc qua dịch vụ bưu chính công ích tùy theo mức độ dịch vụ công được cung cấp.",
]

STEPS = [
    "Tổ chức, cá nhân chuẩn bị hồ sơ theo danh mục ở mục \"Thành phần hồ sơ\".",
    "Nộp hồ sơ tại {submit} hoặc trên Cổng dịch vụ công của tỉnh.",
    "Công chức tiếp nhận kiểm tra hồ sơ; nếu chưa đầy đủ thì hướng dẫn bổ sung một lần bằng văn bản.",
    "Hồ sơ hợp lệ được chuyển đến {unit} để thẩm định.",
    "Khi cần, {unit} kiểm tra thực tế tại cơ sở và lập biên bản.",
    "Nếu cần làm rõ nội dung, cơ quan giải quyết thông báo một lần qua tài khoản dịch vụ công.",
    "{Agency} ban hành {doc}; nếu không đủ điều kiện thì trả lời bằng văn bản, nêu rõ lý do.",
    "Người nộp nhận kết quả theo cách đã đăng ký: tại nơi nộp, qua bưu chính hoặc bản điện tử.",
    "Người nộp tra cứu tình trạng hồ sơ bằng mã số trên giấy tiếp nhận.",
    "Nếu quá hạn, cơ quan giải quyết gửi văn bản xin lỗi và hẹn lại ngày trả kết quả.",
]

CHANNEL_LINES = {
    "direct": "trực tiếp tại {submit}, trong giờ hành chính",
    "online": "trực tuyến trên Cổng dịch vụ công của tỉnh hoặc Cổng Dịch vụ công quốc gia",
    "postal": "qua dịch vụ bưu chính công ích",
}

DOSSIER = [
    "Đơn đề nghị theo mẫu ban hành kèm theo thông tư hướng dẫn (01 bản chính)",
    "Bản sao giấy tờ chứng minh nhân thân hoặc giấy chứng nhận đăng ký doanh nghiệp (01 bản, không cần chứng thực khi nộp trực tuyến)",
    "Bản thuyết minh về điều kiện cơ sở vật chất, trang thiết bị và nhân lực (01 bản)",
    "Bản sao văn bằng, chứng chỉ chuyên môn của người phụ trách (01 bản)",
    "Bản chính {doc} đã được cấp trước đây, đối với trường hợp cấp lại hoặc điều chỉnh",
    "Văn bản ủy quyền hợp lệ, nếu người nộp không phải là người đại diện theo pháp luật",
    "Báo cáo kết quả hoạt động trong thời gian gần nhất (01 bản)",
    "Bản vẽ, sơ đồ mặt bằng hoặc tài liệu kỹ thuật có liên quan (01 bộ)",
    "Giấy tờ chứng minh việc nộp phí, lệ phí, trừ trường hợp thanh toán trực tuyến",
    "Ảnh màu cỡ 4x6 cm chụp trong thời gian không quá 06 tháng (02 ảnh)",
]

RESULT_EXTRA = [
    "Kết quả có thời hạn hiệu lực theo quy định của văn bản chuyên ngành; khi hết hạn, tổ chức, cá nhân làm thủ tục gia hạn hoặc cấp lại.",
    "Bản điện tử của kết quả có giá trị pháp lý như bản giấy và được lưu trong kho quản lý dữ liệu điện tử của tổ chức, cá nhân.",
    "Kết quả được cập nhật vào cơ sở dữ liệu chuyên ngành và có thể tra cứu công khai.",
]

REQUIREMENTS = [
    "Tổ chức, cá nhân phải chịu trách nhiệm về tính chính xác, trung thực của thông tin kê khai trong hồ sơ.",
    "Cơ sở vật chất, trang thiết bị phải đáp ứng quy chuẩn kỹ thuật quốc gia tương ứng tại thời điểm nộp hồ sơ.",
    "Người phụ trách chuyên môn phải có trình độ, kinh nghiệm phù hợp với phạm vi hoạt động đề nghị.",
    "Không thuộc trường hợp đang bị đình chỉ, thu hồi hoặc bị xử phạt vi phạm hành chính trong lĩnh vực này chưa quá 12 tháng.",
    "Sau khi được cấp, tổ chức, cá nhân phải duy trì điều kiện hoạt động và báo cáo định kỳ theo yêu cầu của cơ quan quản lý.",
    "Thông tin trên hồ sơ phải thống nhất với dữ liệu trong Cơ sở dữ liệu quốc gia về dân cư hoặc đăng ký doanh nghiệp.",
]

LEGAL_EXTRA = [
    "Nghị định số 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
    "Nghị định số 45/2020/NĐ-CP về thực hiện thủ tục hành chính trên môi trường điện tử",
    "Thông tư số 01/2018/TT-VPCP hướng dẫn thi hành một số quy định của Nghị định số 61/2018/NĐ-CP",
    "Nghị định số 107/2021/NĐ-CP sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP",
]

TIMES = [3, 5, 7, 10, 12, 15, 20, 30]
FEES = ["Không", "50.000 đồng/hồ sơ", "100.000 đồng/giấy", "150.000 đồng/giấy tiếp nhận",
        "200.000 đồng/lần cấp", "500.000 đồng/hồ sơ", "1.000.000 đồng/giấy phép", "3.000.000 đồng/lần thẩm định"]


# --------------------------------------------------------------------------

def make_procedures(rng, n):
    # How many procedures each field gets: uneven, like a real catalogue.
    weights = [rng.randint(2, 6) for _ in FIELDS]
    total = sum(weights)
    counts = [n * w // total for w in weights]
    for i in range(n - sum(counts)):
        counts[i % len(counts)] += 1

    procs = []
    seq = 0
    used = set()
    for fi, (field, agencies, objects, applicants, laws, keywords) in enumerate(FIELDS):
        for _ in range(counts[fi]):
            seq += 1
            agency = agencies[rng.randrange(len(agencies))]
            # Like a real catalogue, a site never lists the same title twice: draw
            # again (a bounded number of times) when the title is already taken.
            for _attempt in range(50):
                obj = objects[rng.randrange(len(objects))]
                action = weighted(rng, ACTIONS)
                qual = weighted(rng, QUALIFIERS)
                title = f"{action} {obj}" + (f" {qual}" if qual else "")
                if is_district(agency) and rng.random() < 0.5:
                    title += " (cấp huyện)"
                if title not in used:
                    break
            used.add(title)
            procs.append(dict(seq=seq, fi=fi, field=field, agency=agency, obj=obj,
                              title=title, applicants_pool=applicants, laws=laws,
                              keywords_pool=keywords))
    # Codes: unique, in the national formats.
    for p in procs:
        s = p["seq"]
        kind = rng.random()
        if kind < 0.55:
            p["code"] = f"1.{s + 1000:06d}"
        elif kind < 0.8:
            p["code"] = f"2.{s + 1000:06d}"
        else:
            p["code"] = f"1.{s + 1000:06d}.000.00.00.H59"
    return procs


def procedure_text(rng, p, n):
    field, agency, doc = p["field"], p["agency"], p["obj"]
    district = is_district(agency)
    if district:
        submit = "Bộ phận Tiếp nhận và Trả kết quả của " + agency.replace("Phòng Tư pháp", "Ủy ban nhân dân") \
            .replace("Phòng Lao động - Thương binh và Xã hội", "Ủy ban nhân dân") \
            .replace("Phòng Giáo dục và Đào tạo", "Ủy ban nhân dân")
    else:
        submit = "Trung tâm Phục vụ Hành chính công " + PROVINCE
    unit = agency if not agency.startswith("Sở") else "phòng chuyên môn của " + agency
    days = rng.choice(TIMES)
    time = f"{days:02d} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
    fee = rng.choice(FEES)
    applicants = rng.sample(p["applicants_pool"], rng.randint(1, min(4, len(p["applicants_pool"]))))
    who = ", ".join(a.lower() for a in applicants[:2])
    level = "4" if rng.random() < 0.4 else "3"
    postal = weighted(rng, [("both", 60), ("receive", 10), ("return", 10), ("none", 15), (True, 3), (False, 2)])
    status = weighted(rng, [("active", 80), (None, 7), ("amended", 8), ("abolished", 5)])
    draft = rng.random() < 0.01
    decision_day = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 5))
    updated = decision_day + timedelta(days=rng.randrange(200))
    decision = f"{rng.randint(100, 3999)}/QĐ-UBND"

    ctx = dict(doc=doc, Doc=cap(doc), agency=agency, Agency=cap(agency), unit=unit, submit=submit,
               time=time, fee=fee, field=field.split(",")[0].lower() if len(field) > 60 else field.lower(),
               who=who)

    def f(s):
        return s.format(**ctx)

    # ---- front matter
    fm = ["+++"]
    fm.append(f"title = {toml_str(p['title'])}")
    fm.append(f"code = {toml_str(p['code'])}")
    fm.append(f"field = {toml_str(field)}")
    fm.append(f"agency = {toml_str(agency)}")
    fm.append(f"service_level = {level}" if rng.random() < 0.8 else f"service_level = {toml_str(level)}")
    fm.append(f"postal = {'true' if postal is True else 'false' if postal is False else toml_str(postal)}")
    fm.append(f"tier = {toml_str('Cấp huyện' if district else 'Cấp tỉnh')}")
    fm.append(f"processing_time = {toml_str(time)}")
    fm.append(f"fee = {toml_str(fee)}")
    fm.append(f"submit_at = {toml_str(submit)}")
    if rng.random() < 0.85:
        fm.append(f"online_url = {toml_str('https://dichvucong.example.gov.vn/thu-tuc/' + p['code'])}")
    fm.append(f"decision = {toml_str(decision)}")
    fm.append(f"decision_date = {decision_day.isoformat()}")
    if status is not None:
        fm.append(f"status = {toml_str(status)}")
    fm.append(f"updated = {updated.isoformat()}")
    if rng.random() < 0.02:
        fm.append(f"slug = {toml_str('tthc-' + fold(p['code']))}")
    if rng.random() < 0.1:
        fm.append(f"aliases = {toml_list(['/thu-tuc/ma-' + fold(p['code']) + '/'])}")
    kws = rng.sample(p["keywords_pool"], rng.randint(1, len(p["keywords_pool"])))
    fm.append(f"keywords = {toml_list(kws)}")
    fm.append(f"applicants = {toml_list(applicants)}")
    if draft:
        fm.append("draft = true")
    elif rng.random() < 0.2:
        fm.append("draft = false")
    kinds = ["direct"]
    if level == "4" or rng.random() < 0.7:
        kinds.append("online")
    if postal in ("both", "receive", True):
        kinds.append("postal")
    channels_out = []
    if rng.random() < 0.85:
        for kind in kinds:
            fm.append("")
            fm.append("[[channels]]")
            fm.append(f"kind = {toml_str(kind)}")
            fm.append(f"processing_time = {toml_str(f'{days:02d} ngày làm việc')}")
            fm.append(f"fee = {toml_str(fee if kind != 'postal' else fee + ', cộng cước bưu chính')}")
            fm.append(f"note = {toml_str(cap(f(CHANNEL_LINES[kind])) + '.')}")
            channels_out.append(kind)
    if rng.random() < 0.2:
        fm.append("")
        fm.append("[extra]")
        fm.append(f"ma_quy_trinh = {toml_str('QT-' + p['code'])}")
        fm.append(f"so_thu_tu = {p['seq']}")
        fm.append(f"lien_thong = {'true' if rng.random() < 0.3 else 'false'}")
    fm.append("+++")

    # ---- body
    b = []
    b.append(f(rng.choice(INTRO)))
    if status == "abolished":
        b.append("")
        b.append(f"> **Thủ tục đã bị bãi bỏ** theo Quyết định số {decision} của Ủy ban nhân dân tỉnh. "
                 "Nội dung được giữ lại để tra cứu.")
    elif status == "amended":
        b.append("")
        b.append(f"> Thủ tục đã được **sửa đổi, bổ sung** theo Quyết định số {decision}; "
                 "nội dung dưới đây là nội dung sau khi sửa đổi.")

    b.append("\n## Trình tự thực hiện\n")
    steps = [STEPS[1], STEPS[2], STEPS[3]]
    if rng.random() < 0.4:
        steps.insert(0, STEPS[0])
    steps += rng.sample(STEPS[4:6], rng.randint(0, 1))
    steps += [STEPS[6], STEPS[7]]
    if rng.random() < 0.3:
        steps.append(rng.choice(STEPS[8:]))
    for i, s in enumerate(steps, 1):
        b.append(f"{i}. {f(s)}")

    b.append("\n## Cách thức thực hiện\n")
    b.append("Tổ chức, cá nhân có thể nộp hồ sơ theo một trong các cách sau:\n")
    for i, kind in enumerate(kinds, 1):
        b.append(f"- {f(CHANNEL_LINES[kind])}{'.' if i == len(kinds) else ';'}")
    b.append(f"\nThời hạn giải quyết như nhau với mọi cách nộp: {time}.")

    b.append("\n## Thành phần hồ sơ\n")
    items = [DOSSIER[0], DOSSIER[1]] + rng.sample(DOSSIER[2:], rng.randint(1, 3))
    if rng.random() < 0.3:
        b.append("| STT | Tên giấy tờ | Số lượng | Ghi chú |")
        b.append("|---:|---|---|---|")
        for i, it in enumerate(items, 1):
            name, _, qty = f(it).partition(" (")
            qty = qty.rstrip(")") or "01 bản"
            b.append(f"| {i} | {name} | {qty.split(',')[0]} | {'Bắt buộc' if i <= 2 else 'Nếu có'} |")
    else:
        for it in items:
            b.append(f"- {f(it)}.")
    b.append(f"\nSố lượng hồ sơ: {rng.choice(['01 bộ', '02 bộ'])}.")

    b.append("\n## Thời hạn giải quyết\n")
    b.append(f"{cap(time)}. Thời gian bổ sung, hoàn thiện hồ sơ và thời gian chuyển phát không tính vào thời hạn giải quyết.")

    b.append("\n## Đối tượng thực hiện\n")
    b.append(f"{', '.join(applicants)} có nhu cầu, có trụ sở hoặc nơi cư trú trên địa bàn {PROVINCE}.")

    b.append("\n## Cơ quan thực hiện\n")
    b.append(f"- Cơ quan có thẩm quyền quyết định: {agency}.")
    b.append(f"- Cơ quan trực tiếp thực hiện: {cap(unit)}.")
    b.append(f"- Nơi tiếp nhận hồ sơ: {submit}.")

    b.append("\n## Kết quả thực hiện\n")
    b.append(f"{cap(doc)}. {rng.choice(RESULT_EXTRA)}")

    b.append("\n## Phí, lệ phí\n")
    if fee == "Không":
        b.append("Không thu phí, lệ phí. Tổ chức, cá nhân chỉ trả cước bưu chính nếu chọn nhận kết quả qua bưu chính.")
    elif rng.random() < 0.25:
        b.append("| Trường hợp | Mức thu |")
        b.append("|---|---|")
        b.append(f"| Cấp lần đầu | {fee} |")
        b.append("| Cấp lại, điều chỉnh | 50% mức thu cấp lần đầu |")
        b.append("| Nộp hồ sơ trực tuyến | Giảm 50% đến hết năm 2025 |")
    else:
        b.append(f"Mức thu: {fee}, nộp khi nộp hồ sơ bằng tiền mặt, chuyển khoản hoặc thanh toán trực tuyến.")

    b.append("\n## Yêu cầu, điều kiện\n")
    for r in rng.sample(REQUIREMENTS, rng.randint(2, 3)):
        b.append(f"- {r}")

    b.append("\n## Căn cứ pháp lý\n")
    for law in p["laws"]:
        b.append(f"- {law}.")
    for law in rng.sample(LEGAL_EXTRA, rng.randint(0, 1)):
        b.append(f"- {law}.")
    b.append(f"- Quyết định số {decision} ngày {decision_day.day}/{decision_day.month}/{decision_day.year} "
             "của Ủy ban nhân dân tỉnh công bố danh mục thủ tục hành chính.")

    return "\n".join(fm) + "\n" + "\n".join(b) + "\n", draft


NOTICE_TITLES = [
    "Công bố danh mục thủ tục hành chính mới ban hành lĩnh vực {field}",
    "Sửa đổi, bổ sung thủ tục hành chính lĩnh vực {field}",
    "Bãi bỏ một số thủ tục hành chính lĩnh vực {field}",
    "Hướng dẫn nộp hồ sơ trực tuyến các thủ tục lĩnh vực {field}",
    "Tiếp nhận và trả kết quả qua bưu chính công ích đối với thủ tục lĩnh vực {field}",
    "Thông báo lịch tiếp nhận hồ sơ dịp nghỉ lễ lĩnh vực {field}",
]


def notice_text(rng, i, codes_by_field):
    fi = rng.randrange(len(FIELDS))
    while not codes_by_field[fi]:
        fi = (fi + 1) % len(FIELDS)
    field = FIELDS[fi][0]
    fname = field if len(field) < 60 else "đăng ký kinh doanh"
    title = rng.choice(NOTICE_TITLES).format(field=fname.lower())
    day = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 6))
    pool = codes_by_field[fi]
    codes = rng.sample(pool, min(len(pool), rng.randint(1, 8)))
    decision = f"{rng.randint(100, 3999)}/QĐ-UBND"
    summary = (f"Ủy ban nhân dân tỉnh ban hành Quyết định số {decision} ngày {day.day}/{day.month}/{day.year} "
               f"liên quan đến {len(codes)} thủ tục hành chính lĩnh vực {fname.lower()}.")
    fm = ["+++", f"title = {toml_str(title)}", f"date = {day.isoformat()}",
          f"summary = {toml_str(summary)}", f"procedures = {toml_list(codes)}"]
    if rng.random() < 0.1:
        fm.append("draft = false")
    fm.append("+++")
    body = [
        f"Ngày {day.day}/{day.month}/{day.year}, Ủy ban nhân dân tỉnh ban hành Quyết định số {decision} "
        f"về thủ tục hành chính lĩnh vực {fname.lower()} thuộc thẩm quyền giải quyết của các cơ quan trên địa bàn tỉnh.",
        "",
        f"Quyết định liên quan đến **{len(codes)} thủ tục**, có mã số: " + ", ".join(f"`{c}`" for c in codes) + ".",
        "",
        "Các thủ tục được tiếp nhận tại Trung tâm Phục vụ Hành chính công tỉnh, Bộ phận Tiếp nhận và Trả kết quả "
        "cấp huyện và trên Cổng dịch vụ công của tỉnh. Nội dung chi tiết của từng thủ tục (trình tự, hồ sơ, thời hạn, "
        "phí, lệ phí) được niêm yết trên trang này.",
        "",
        "Tổ chức, cá nhân có thắc mắc có thể liên hệ đường dây nóng của Văn phòng Ủy ban nhân dân tỉnh "
        "hoặc gửi phản ánh, kiến nghị qua Cổng dịch vụ công.",
    ]
    return "\n".join(fm) + "\n" + "\n".join(body) + "\n", f"{day.isoformat()}-{fold(title)[:50].rstrip('-')}-{i:04d}"


SITE_TOML = """title = "Thủ tục hành chính tỉnh Tiền Giang (dữ liệu thử tải)"
base_url = "https://example.gov.vn/tthc"
language = "vi"
description = "Site sinh tự động để đo hiệu năng của niemyet: {n} thủ tục hành chính thuộc 30 lĩnh vực, 60 cơ quan. Dữ liệu minh họa, không phải thông tin chính thức."

[organization]
name = "Văn phòng Ủy ban nhân dân tỉnh (minh họa)"
address = "Số 00 đường Minh Họa, Phường 1, thành phố Mỹ Tho, tỉnh Tiền Giang (địa chỉ minh họa)"
phone = "0273 000 0000"
email = "tthc@example.gov.vn"

[[service_levels]]
id = "3"
name = "Mức độ 3"
description = "Người dân, doanh nghiệp nộp hồ sơ trực tuyến; kết quả được nhận trực tiếp hoặc qua dịch vụ bưu chính công ích."

[[service_levels]]
id = "4"
name = "Mức độ 4"
description = "Người dân, doanh nghiệp nộp hồ sơ, thanh toán phí, lệ phí (nếu có) và nhận kết quả hoàn toàn trực tuyến."
"""

HOME = """Trang niêm yết công khai thủ tục hành chính của các sở, ngành và Ủy ban nhân dân cấp huyện trên địa bàn tỉnh.
Đây là **dữ liệu sinh tự động** để thử tải công cụ niemyet.
"""

PAGES = {
    "gioi-thieu.md": """+++
title = "Giới thiệu"
+++
Trang này niêm yết công khai các thủ tục hành chính thuộc thẩm quyền giải quyết của các cơ quan trên địa bàn tỉnh.
Toàn bộ nội dung là **dữ liệu minh họa** được sinh tự động, không phải thông tin chính thức.
""",
    "lien-he.md": """+++
title = "Liên hệ"
slug = "lien-he"
+++
Mọi thắc mắc về thủ tục hành chính xin gửi về địa chỉ thư điện tử ghi ở cuối trang.
""",
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of procedures")
    ap.add_argument("out", help="site folder to write")
    ap.add_argument("--seed", type=int, default=20201002)
    args = ap.parse_args()
    if args.n < 1:
        ap.error("N must be at least 1")

    out = args.out
    if os.path.exists(out):
        if not os.path.isdir(out):
            sys.exit(f"{out} is a file")
        if os.listdir(out) and not os.path.exists(os.path.join(out, STAMP)):
            sys.exit(f"{out} is not empty and was not made by gen_site.py; choose another folder")
        for name in ("content", "site.toml"):
            p = os.path.join(out, name)
            if os.path.isdir(p):
                shutil.rmtree(p)
            elif os.path.exists(p):
                os.remove(p)
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, STAMP), f"gen_site.py n={args.n} seed={args.seed}\n")

    rng = random.Random(args.seed)
    procs = make_procedures(rng, args.n)

    write(os.path.join(out, "site.toml"), SITE_TOML.format(n=args.n))
    write(os.path.join(out, "content", "_index.md"), HOME)
    for name, text in PAGES.items():
        write(os.path.join(out, "content", "pages", name), text)

    # Folders: field / agency / nhom-NN, at most 100 files each.
    per_folder = {}
    codes_by_field = [[] for _ in FIELDS]
    drafts = 0
    for p in procs:
        fdir = short(fold(p["field"]), 40)
        adir = short(fold(p["agency"]), 40)
        key = (fdir, adir)
        k = per_folder.get(key, 0)
        per_folder[key] = k + 1
        folder = os.path.join(out, "content", "procedures", fdir, adir, f"nhom-{k // 100 + 1:02d}")
        stem = short(fold(p["title"]), 60) + "-" + fold(p["code"]).replace("-", "")[:14]
        text, draft = procedure_text(rng, p, args.n)
        drafts += draft
        if not draft:
            codes_by_field[p["fi"]].append(p["code"])
        write(os.path.join(folder, stem + ".md"), text)

    notices = max(1, args.n // 100)
    for i in range(notices):
        text, stem = notice_text(rng, i, codes_by_field)
        write(os.path.join(out, "content", "notices", stem + ".md"), text)

    print(f"wrote {args.n} procedures ({drafts} drafts) in {sum((c + 99) // 100 for c in per_folder.values())} folders, "
          f"{notices} notices, {len(PAGES)} pages to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
