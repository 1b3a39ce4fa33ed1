# ruff: noqa: E501 (the seeds' sentences, kept whole)
"""Demo records of the seeds: the meeting of seed 003 (xã Gio Sơn) with the tasks its notice of
conclusions assigns, the 2024 plan and the 6-month review meeting of seed 002 (xã Phước Hưng),
and the register of directive documents of seed 004 (xã Tùng Châu); and the present of phường
Tam Quan (Gia Lai, since 1/7/2025): its 2026 plan, the register entries of the plans it issued,
its 6-month review meeting, and its 6-month report of 2026 (a draft its chairman issues).

``seed_reports()`` needs the units, offices and people of ``communes.demo.seed_units_and_people``,
and runs after the dossier figures and the index (``seed_demo``): Tam Quan's report is composed
from the portal's figures as they stand, by the composer a user calls. Running it again changes
nothing. Where a seed does not give a fact (a due date, a plan's tasks, a document's number), the
value is invented and the comment beside it says so; Tam Quan's records are invented throughout.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from communes.models import AdministrativeUnit, Era, Level, Office, User

from .models import (
    ConclusionTask,
    DirectiveDocument,
    DocumentType,
    Meeting,
    MeetingKind,
    Plan,
    PlanTask,
    Report,
    ReportKind,
    TaskStatus,
)

GIO_SON = "19537"
PHUOC_HUNG = "21961"
TUNG_CHAU = "18241"

VP = "Văn phòng - Thống kê"
TC = "Tài chính - Kế toán"
VH = "Văn hóa - Xã hội"

# Seed 003 -----------------------------------------------------------------------------------------

GIO_SON_TITLE = (
    "Cuộc họp đánh giá kết quả thẩm định Bộ chỉ số cải cách hành chính cấp xã năm 2023, đề xuất giải "
    "pháp khắc phục trong năm 2024 và những năm tiếp theo"
)
GIO_SON_ATTENDEES = (
    "Chủ tịch UBND xã; các Phó Chủ tịch UBND xã; các công chức chuyên môn thuộc Ủy ban nhân dân xã."
)
GIO_SON_CONTENT = (
    "Văn phòng - Thống kê phụ trách công tác CCHC báo cáo kết quả thẩm định Bộ chỉ số CCHC cấp xã năm "
    "2023 theo Quyết định số 1325/QĐ-UBND ngày 23/6/2023 của UBND tỉnh Quảng Trị và Quyết định số "
    "165/QĐ-UBND ngày 12/01/2024 của UBND huyện Gio Linh về việc phê duyệt và công bố Chỉ số cải cách "
    "hành chính UBND các xã, thị trấn năm 2023; các công chức tham gia thảo luận.\n\n"
    "Kết quả chỉ số CCHC năm 2023 của xã 85,65/100 điểm (85,65%). Xếp loại tốt."
)
GIO_SON_CONCLUSIONS = (
    "Năm 2023, mặc dù đã cố gắng trong công tác chỉ đạo, điều hành và tổ chức thực hiện nhiệm vụ cải "
    "cách hành chính ở địa phương, một số tiêu chí thành phần chưa đạt do nhiều yếu tố khách quan và chủ "
    "quan: người dân vẫn quen với phương thức giải quyết TTHC cũ nên thanh toán trực tuyến, dịch vụ công "
    "trực tuyến toàn trình chưa đảm bảo tỷ lệ theo quy định; việc xử lý hồ sơ của một số CBCC trên Hệ "
    "thống Văn phòng điện tử chưa đảm bảo tỷ lệ, chưa thực hiện việc phản hồi văn bản, chưa thực hiện ký "
    "số đối với các văn bản ban hành.\n\n"
    "Để khắc phục những tồn tại, hạn chế, triển khai thực hiện có hiệu quả Kế hoạch CCHC năm 2024 đồng "
    "thời nâng cao điểm số chỉ số CCHC của xã, UBND xã yêu cầu các công chức có liên quan triển khai "
    "thực hiện tốt các nhiệm vụ được giao. Kết quả chấm điểm CCHC năm 2024 là một trong những căn cứ để "
    "xét khen thưởng đối các cán bộ, công chức."
)
# (office, assignee, description, status): the notice's own words. It gives no due date: the demo
# sets the end of 2024, and marks a few done or under way (invented) so that the tracker shows
# every state.
GIO_SON_TASKS = [
    (
        VP,
        "",
        "Chủ trì, phối hợp với các CBCC có liên quan tham mưu UBND xã triển khai thực hiện đảm bảo tỷ lệ các "
        "tiêu chí, tiêu chí thành phần chưa đảm bảo tỷ lệ được chỉ ra trong Báo cáo đánh giá kết quả thẩm "
        "định Bộ chỉ số cải cách hành chính cấp xã 6 tháng đầu năm và của năm 2024.",
        TaskStatus.DOING,
    ),
    (
        VP,
        "",
        "Tổ chức thực hiện kiểm tra công tác cải cách hành chính của tại Ủy ban nhân dân xã hàng năm theo quy "
        "định. Thực hiện báo cáo kết quả kiểm tra, kết quả khắc phục đầy đủ, kịp thời.",
        TaskStatus.DONE,
    ),
    (
        VP,
        "",
        "Tham mưu đôn đốc các cán bộ, công chức cập nhật thông tin cán bộ, công chức lên phần mềm theo quy "
        "định. Kiểm tra, nhắc nhở việc chấp hành kỷ luật, kỷ cương hành chính của cán bộ, công chức.",
        TaskStatus.DONE,
    ),
    (
        VP,
        "",
        "Tham mưu Ủy ban nhân dân xã chỉ đạo Bộ phận tiếp nhận và trả kết quả xã tổ chức thực hiện đạt mục "
        "tiêu kế hoạch năm các dịch vụ công một phần, toàn trình. Thực hiện xin lỗi người dân khi có hồ sơ "
        "trễ hạn. Số hoá hồ sơ trên hệ thống một cửa theo quy định.",
        TaskStatus.DOING,
    ),
    (
        VP,
        "",
        "Chủ trì, phối hợp với các công chức thực hiện duy trì hệ thống quản lý chất lượng theo tiêu chuẩn "
        "ISO 9001-2015 tại Ủy ban nhân dân xã.",
        TaskStatus.TODO,
    ),
    (
        VP,
        "",
        "Chủ trì, phối hợp với các công chức liên quan rà soát, đề xuất mua sắm các trang thiết bị cần thiết "
        "(đặc biệt máy scan) nhằm đáp ứng thực hiện các nhiệm vụ cải cách hành chính.",
        TaskStatus.TODO,
    ),
    (
        TC,
        "",
        "Thực hiện tốt công tác cải cách tài chính công. Thực hiện giải ngân kế hoạch vốn đầu tư phát triển "
        "nguồn ngân sách nhà nước hàng năm đạt kế hoạch đề ra.",
        TaskStatus.DOING,
    ),
    (
        VH,
        "Công chức phụ trách Thông tin - Truyền thông",
        "Tham mưu Ủy ban nhân dân xã chỉ đạo thực hiện đạt chỉ tiêu thực hiện ký số đúng quy định.",
        TaskStatus.TODO,
    ),
    (
        VH,
        "Công chức phụ trách Thông tin - Truyền thông",
        "Chủ trì, phối hợp với Đài truyền thanh xã thực hiện đa dạng hóa công tác tuyên truyền CCHC bằng "
        "nhiều hình thức khác nhau. Đảm bảo tuyên truyền có hiệu quả các chương trình, kế hoạch, chính sách "
        "về CCHC đến với CBCC, người dân và tổ chức trên địa bàn xã.",
        TaskStatus.DONE,
    ),
    (
        None,
        "Các công chức xã",
        "Nêu cao tinh thần trách nhiệm, thực hiện tốt các nhiệm vụ CCHC được giao, căn cứ các tiêu chí chấm "
        "điểm cấp xã theo phụ lục kèm theo Quyết định số 1325/QĐ-UBND ngày 23/6/2023 của UBND tỉnh Quảng Trị.",
        TaskStatus.DOING,
    ),
]
GIO_SON_DUE = datetime.date(2024, 12, 31)  # invented: the notice says "trong năm 2024"

# Seed 002 -----------------------------------------------------------------------------------------

PHUOC_HUNG_MEETING = {
    "kind": MeetingKind.HALF_YEAR,
    "title": (
        "Hội nghị sơ kết công tác cải cách hành chính 6 tháng đầu năm, triển khai phương hướng, nhiệm vụ "
        "trọng tâm 6 tháng cuối năm 2024"
    ),
    "held_on": datetime.date(2024, 7, 11),
    "place": "Hội trường VHTT xã",
    "chair": "Chủ tịch UBND xã Lê Quốc Dũng",
    "attendees": (
        "Đ/c Mai Văn Công – Bí thư Đảng ủy; đ/c Nguyễn Thị Lệ – Phó Chủ tịch HĐND xã; đ/c Nguyễn Thanh "
        "Tuyền – CT UBMTTQVN; các đồng chí trưởng ban ngành, hội đoàn thể xã; các đồng chí trong Ban chỉ đạo "
        "Cải cách hành chính; các Tổ trưởng Tổ công nghệ số cộng đồng cấp thôn; các Trưởng thôn: Huỳnh Mai, "
        "Hưng Nghĩa, Thọ Nghĩa."
    ),
    "content": (
        "Báo cáo tóm tắt kết quả thực hiện công tác CCHC trên địa bàn xã trong 6 tháng đầu năm và triển khai "
        "nhiệm vụ 6 tháng cuối năm 2024. Về tiến độ thực hiện Kế hoạch CCHC năm 2024 của xã, đến nay xã hoàn "
        "thành 17/25 nhiệm vụ, đạt 68% kế hoạch đề ra. Kết quả giải quyết thủ tục hành chính cho người dân và "
        "doanh nghiệp đảm bảo đúng thời hạn, trước hạn đạt 99,9%; tiếp nhận và giải quyết 673 hồ sơ trực "
        "tuyến một phần và toàn trình."
    ),
    "conclusions": (
        "Yêu cầu các ban ngành nêu cao hơn nữa vai trò, trách nhiệm của mình, căn cứ theo chức năng, nhiệm "
        "vụ, tăng cường công tác phối hợp nhằm triển khai đồng bộ, quyết liệt các biện pháp, giải pháp nhằm "
        "nâng cao chất lượng, hiệu quả công tác CCHC theo quy định. Tiếp tục đẩy mạnh ứng dụng công nghệ "
        "thông tin, chuyển đổi số hoạt động cơ quan hành chính nhà nước, triển khai cung cấp các dịch vụ công "
        "trực tuyến, thanh toán trực tuyến. Đồng thời đẩy mạnh công tác tuyên truyền CCHC; tiếp tục tự kiểm "
        "tra công tác CCHC gắn với kiểm tra kỷ luật kỷ cương hành chính tại địa phương."
    ),
}
# The chairman's conclusions as tasks (his words; the due date, the end of 2024, is invented).
PHUOC_HUNG_TASKS = [
    (
        VP,
        "",
        "Tiếp tục đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số hoạt động cơ quan hành chính nhà "
        "nước, triển khai cung cấp các dịch vụ công trực tuyến, thanh toán trực tuyến.",
    ),
    (VH, "", "Đẩy mạnh công tác tuyên truyền CCHC."),
    (
        VP,
        "",
        "Tiếp tục tự kiểm tra công tác CCHC gắn với kiểm tra kỷ luật kỷ cương hành chính tại địa phương.",
    ),
    (
        None,
        "UBMTTQVN xã và các hội đoàn thể",
        "Tăng cường công tác tuyên truyền vận động, nâng cao nhận thức của đoàn viên, hội viên và người dân "
        "về chuyển đổi số và cải cách TTHC, việc sử dụng dịch vụ công trực tuyến, dịch vụ Chứng thực bản sao "
        "điện tử từ bản chính, thanh toán trực tuyến.",
    ),
]
# Seed 002 gives the plan's progress (17 of 25 tasks done by July 2024) but not its tasks, number or
# date: those below are invented, in the usual shape of a commune's Kế hoạch CCHC năm.
PHUOC_HUNG_PLAN = {"number_symbol": "05/KH-UBND", "issued_on": datetime.date(2024, 1, 15),
                   "title": "Kế hoạch cải cách hành chính năm 2024"}  # fmt: skip
# (description, office, due date, done)
PHUOC_HUNG_PLAN_TASKS = [
    ("Ban hành Kế hoạch CCHC năm 2024 và kế hoạch tuyên truyền CCHC năm 2024", VP, "31/01/2024", True),
    ("Ban hành Kế hoạch kiểm tra công tác CCHC năm 2024", VP, "31/01/2024", True),
    ("Ban hành Kế hoạch kiểm soát TTHC năm 2024", "Tư pháp - Hộ tịch", "31/01/2024", True),
    ("Ban hành Kế hoạch ứng dụng CNTT, chuyển đổi số năm 2024", VH, "31/01/2024", True),
    ("Khắc phục tồn tại, hạn chế trong kết quả Chỉ số CCHC năm 2023", VP, "31/03/2024", True),
    (
        "Rà soát, công khai đầy đủ TTHC tại Bộ phận Tiếp nhận và trả kết quả",
        "Bộ phận Tiếp nhận và trả kết quả",
        "31/03/2024",
        True,
    ),  # fmt: skip
    (
        "Triển khai 07 chỉ tiêu Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 599/QĐ-UBND ngày 01/02/2024)",
        VP,
        "31/03/2024",
        True,
    ),  # fmt: skip
    (
        "Thực hiện mô hình “Hành chính phục vụ người dân” (QĐ 26/QĐ-UBND ngày 30/01/2024)",
        VP,
        "30/06/2024",
        True,
    ),  # fmt: skip
    (
        "Tự kiểm tra, rà soát văn bản quy phạm pháp luật do xã ban hành",
        "Tư pháp - Hộ tịch",
        "30/06/2024",
        True,
    ),
    ("Tuyên truyền CCHC trên Đài truyền thanh xã hằng tháng", VH, "30/06/2024", True),
    (
        "Số hóa hồ sơ, kết quả giải quyết TTHC theo quy định",
        "Bộ phận Tiếp nhận và trả kết quả",
        "30/06/2024",
        True,
    ),  # fmt: skip
    (
        "Gửi thư xin lỗi người dân đối với mọi hồ sơ trễ hạn",
        "Bộ phận Tiếp nhận và trả kết quả",
        "30/06/2024",
        True,
    ),  # fmt: skip
    ("Kiện toàn Tổ công nghệ số cộng đồng các thôn", VH, "30/06/2024", True),
    ("Duy trì hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", VP, "30/06/2024", True),
    ("Thực hiện công khai tài chính, ngân sách xã 6 tháng đầu năm", TC, "15/07/2024", True),
    ("Báo cáo CCHC quý I và 6 tháng đầu năm đúng hạn", VP, "14/06/2024", True),
    ("Tổ chức Hội nghị sơ kết CCHC 6 tháng đầu năm", VP, "15/07/2024", True),
    (
        "Nâng tỷ lệ hồ sơ trực tuyến toàn trình và một phần theo chỉ tiêu của huyện",
        "Bộ phận Tiếp nhận và trả kết quả",
        "31/12/2024",
        False,
    ),  # fmt: skip
    ("Nâng tỷ lệ thanh toán trực tuyến phí, lệ phí TTHC", TC, "31/12/2024", False),
    ("Ký số 100% văn bản đi của UBND xã", VP, "31/12/2024", False),
    ("Tổ chức kiểm tra kỷ luật, kỷ cương hành chính 6 tháng cuối năm", VP, "30/11/2024", False),
    ("Cập nhật hồ sơ cán bộ, công chức trên phần mềm quản lý", VP, "30/09/2024", False),
    ("Giải ngân vốn đầu tư công năm 2024 đạt kế hoạch", TC, "31/12/2024", False),
    ("Tự chấm điểm Chỉ số CCHC năm 2024 kèm tài liệu kiểm chứng", VP, "15/12/2024", False),
    ("Báo cáo tổng kết công tác CCHC năm 2024", VP, "14/12/2024", False),
]

# Seed 004 -----------------------------------------------------------------------------------------
# (number and symbol, date, type, summary) as the report lists them. The report counts 9, 12 and 32
# documents; where it names one without a number or a date, or twice, the gap is filled as noted.
TUNG_CHAU_DOCUMENTS = [
    # 2021 (9 văn bản)
    ("03/KH-UBND", "26/01/2021", "KH", "Kế hoạch cải cách hành chính UBND xã Tùng Châu năm 2021"),
    # The report names this one without number or date: both invented.
    (
        "05/KH-UBND",
        "28/01/2021",
        "KH",
        "Xây dựng khung kế hoạch thực hiện nhiệm vụ cụ thể của từng cán bộ công chức trong năm 2021",
    ),  # fmt: skip
    ("03/QĐ-UBND", "06/01/2021", "QĐ", "Về việc ban hành quy chế văn hóa công vụ"),
    (
        "02/CV-UBND",
        "19/02/2021",
        "CV",
        "Về việc tập trung khắc phục tồn tại, hạn chế trong thực hiện CCHC năm 2020 và thực hiện kế hoạch "
        "CCHC năm 2021",
    ),  # fmt: skip
    ("14/KH-UBND", "19/02/2021", "KH", "Kế hoạch kiểm tra đánh giá công tác cải cách hành chính năm 2021"),
    ("08/KH-UBND-VH", "29/01/2021", "KH", "Về việc tuyên truyền cải cách hành chính"),
    (
        "144/QĐ-UBND",
        "12/07/2021",
        "QĐ",
        "Về ban hành quy chế làm việc của UBND xã Tùng Châu nhiệm kỳ 2021-2026",
    ),  # fmt: skip
    # The report writes "Quyết định số 148": the symbol is completed.
    ("148/QĐ-UBND", "21/07/2021", "QĐ", "Về ban hành quy chế phối hợp giữa UBND, UBMTTQ nhiệm kỳ 2021-2026"),
    (
        "245/QĐ-UBND",
        "04/09/2021",
        "QĐ",
        "Kiện toàn, phân công nhiệm vụ cho cán bộ công chức khối ủy ban",
    ),  # fmt: skip
    # 2022 (12 văn bản)
    ("05/KH-UBND", "21/01/2022", "KH", "Kế hoạch cải cách hành chính UBND xã Tùng Châu năm 2022"),
    # Named without number or date: both invented.
    (
        "04/KH-UBND",
        "20/01/2022",
        "KH",
        "Xây dựng khung kế hoạch thực hiện nhiệm vụ cụ thể của từng cán bộ công chức trong năm 2022",
    ),  # fmt: skip
    ("06/KH-UBND", "28/01/2022", "KH", "Kế hoạch phát động phong trào thi đua năm 2022"),
    ("08/KH-UBND", "09/02/2022", "KH", "Kế hoạch văn thư lưu trữ"),
    (
        "09/KH-UBND",
        "21/02/2022",
        "KH",
        "Về việc ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước",
    ),  # fmt: skip
    ("11/KH-UBND", "21/02/2022", "KH", "Về việc kiểm soát thủ tục hành chính"),
    (
        "12/KH-UBND",
        "21/02/2022",
        "KH",
        "Về việc khắc phục những tồn tại trong công tác cải cách hành chính năm 2021",
    ),  # fmt: skip
    # Named without a date: the date of its neighbours is taken.
    ("15/KH-UBND", "21/02/2022", "KH", "Kế hoạch hoạt động và tuyên truyền về kiểm soát thủ tục hành chính"),
    ("16/KH-UBND", "21/02/2022", "KH", "Về việc tuyên truyền cải cách hành chính"),
    (
        "23/KH-UBND",
        "29/03/2022",
        "KH",
        "Về rà soát, đánh giá thành phần hồ sơ, yêu cầu điều kiện thực hiện TTHC",
    ),  # fmt: skip
    ("32/QĐ-UBND", "10/02/2022", "QĐ", "Về ban hành kế hoạch đào tạo năm 2022"),
    # The report lists 12/KH-UBND twice; the twelfth document is invented, after the plan of the same
    # kind the commune issued in 2023 (07/KH-UBND).
    (
        "03/KH-UBND",
        "12/01/2022",
        "KH",
        "Về siết chặt kỷ luật, kỷ cương hành chính trong đội ngũ cán bộ, công chức xã năm 2022",
    ),  # fmt: skip
    # 2023 (32 văn bản), as listed.
    ("24/KH-UBND", "31/01/2023", "KH", "Về công tác cải cách hành chính UBND xã Tùng Châu năm 2023"),
    (
        "30/KH-UBND",
        "09/02/2023",
        "KH",
        "Về tự kiểm tra, đánh giá công tác cải cách hành chính nhà nước năm 2023",
    ),
    ("31/KH-UBND", "09/02/2023", "KH", "Về tuyên truyền cải cách hành chính năm 2023"),
    (
        "34/KH-UBND",
        "14/02/2023",
        "KH",
        "Ứng dụng CNTT trong hoạt động của cơ quan nhà nước, phát triển chính quyền số năm 2023",
    ),
    ("87/KH-UBND", "10/03/2023", "KH", "Về khắc phục tồn tại, hạn chế trong công tác CCHC năm 2023"),
    ("48/QĐ-UBND", "10/03/2023", "QĐ", "Ban hành kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2023"),
    (
        "47/KH-UBND",
        "24/02/2023",
        "KH",
        "Về phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội; xây dựng NTM năm 2023",
    ),
    ("28/QĐ-UBND", "23/02/2023", "QĐ", "Ban hành quy chế thi đua khen thưởng"),
    ("12/KH-UBND", "12/01/2023", "KH", "Về công tác văn thư – lưu trữ năm 2023"),
    ("74/QĐ-UBND", "06/04/2023", "QĐ", "Ban hành Danh mục hồ sơ năm 2023"),
    (
        "27/QĐ-UBND",
        "23/02/2023",
        "QĐ",
        "Về thành lập tổ tuyên truyền, hướng dẫn người dân, doanh nghiệp trong giải quyết các thủ tục hành chính",
    ),
    (
        "82/KH-UBND",
        "09/03/2023",
        "KH",
        "Về hoạt động và tuyên truyền về kiểm soát thủ tục hành chính năm 2023",
    ),
    (
        "83/KH-UBND",
        "09/03/2023",
        "KH",
        "Về rà soát, đánh giá thành phần hồ sơ, yêu cầu điều kiện thực hiện thủ tục hành chính trên địa bàn xã năm 2023",
    ),
    (
        "96/KH-UBND",
        "16/03/2023",
        "KH",
        "Về kiểm soát TTHC và thực hiện cơ chế một cửa, một cửa liên thông xã Tùng Châu năm 2023",
    ),
    (
        "04/QĐ-UBND",
        "04/01/2023",
        "QĐ",
        "Về phân công nhiệm vụ lãnh đạo và các thành viên làm việc tại bộ phận một cửa, một cửa liên thông",
    ),
    (
        "31/QĐ-UBND",
        "24/02/2023",
        "QĐ",
        "Về phân công nhiệm vụ chủ tịch, phó chủ tịch, các thành viên ủy viên ủy ban nhân dân và công chức, cán bộ không chuyên trách UBND xã",
    ),
    (
        "25/CTr-UBND",
        "30/01/2023",
        "CTr",
        "Về triển khai nhiệm vụ kế hoạch phát triển kinh tế - xã hội năm 2023",
    ),
    (
        "49/QĐ-UBND",
        "10/03/2023",
        "QĐ",
        "Về ban hành quy chế phối hợp hoạt động giữa UBND xã với UBMTTQ và các đoàn thể năm 2023",
    ),
    (
        "50/QĐ-UBND",
        "10/03/2023",
        "QĐ",
        "Về ban hành quy chế phối hợp hoạt động giữa UBND xã với BCH công đoàn cơ sở",
    ),
    (
        "51/QĐ-UBND",
        "10/03/2023",
        "QĐ",
        "Về ban hành quy chế thực hiện dân chủ cơ sở trong hoạt động của cơ quan hành chính xã Tùng Châu",
    ),
    ("143/KH-UBND", "10/04/2023", "KH", "Về thực hiện quy chế dân chủ cơ sở năm 2023"),
    (
        "151/KH-UBND",
        "12/04/2023",
        "KH",
        "Về công tác thực hiện những nội dung dân biết, dân bàn, dân quyết định năm 2023",
    ),
    (
        "21/QĐ-UBND",
        "31/01/2023",
        "QĐ",
        "Về ban hành quy chế tiếp công dân và giải quyết đơn khiếu nại, tố cáo của công dân trên địa bàn xã Tùng Châu",
    ),
    (
        "39/KH-UBND",
        "14/02/2023",
        "KH",
        "Về công tác tiếp công dân và giải quyết đơn thư, khiếu nại, tố cáo năm 2023",
    ),
    (
        "85/KH-UBND",
        "10/03/2023",
        "KH",
        "Về xây dựng và áp dụng HTQLCL theo TCVN ISO 9001:2015 trên địa bàn xã",
    ),
    (
        "86/KH-UBND",
        "10/03/2023",
        "KH",
        "Về theo dõi thi hành pháp luật trong lĩnh vực trọng tâm liên ngành trên địa bàn xã",
    ),
    (
        "100/KH-UBND",
        "17/03/2023",
        "KH",
        "Về triển khai công tác tự kiểm tra, rà soát hệ thống hóa văn bản QPPL năm 2023",
    ),
    ("122/KH-UBND", "30/03/2023", "KH", "Về triển khai tổ chuyển đổi số cộng đồng trên địa bàn xã"),
    ("64/QĐ-UBND", "30/03/2023", "QĐ", "Về thành lập BCD chuyển đổi số xã Tùng Châu"),
    ("88/QĐ-UBND", "17/04/2023", "QĐ", "Về ban hành quy chế hoạt động của BCD chuyển đổi số xã Tùng Châu"),
    (
        "07/KH-UBND",
        "06/01/2023",
        "KH",
        "Về siết chặt kỷ luật, kỷ cương hành chính trong đội ngũ cán bộ, công chức, viên chức, người hợp đồng lao động làm việc trong các cơ quan nhà nước, các đơn vị sự nghiệp công lập trên địa bàn xã năm 2023",
    ),
    (
        "89/QĐ-UBND",
        "17/04/2023",
        "QĐ",
        "Về việc thành lập tổ theo dõi, kiểm tra thường xuyên và đột xuất việc thực hiện kỷ luật, kỷ cương hành chính năm 2023",
    ),
]

# Phường Tam Quan, 2026 (the present) ------------------------------------------------------------
# Everything below is invented (demo): the plan, its tasks and dates, the register entries, the
# meeting and its tasks. The year is 2026 on purpose, the first whole year of the ward; what is
# done, under way or late is decided against the day seed_demo runs (``_tam_quan_today``), so the
# demo reads right on any day of 2026 and stays whole afterwards (every due date then passed:
# done or late). Before the plan's date nothing of it is seeded: a ward issues no plan ahead.
# The 6-month report is not invented: the composer writes it from the portal's figures.

TAM_QUAN = "21637"
TQ_VP = "Văn phòng HĐND và UBND"
TQ_KT = "Phòng Kinh tế"
TQ_VH = "Phòng Văn hóa - Xã hội"
TQ_HCC = "Trung tâm Phục vụ hành chính công"
TQ_OFFICER = "tamquan.canbo"

# Invented: the plan's number, date and title.
TAM_QUAN_PLAN = {
    "number_symbol": "02/KH-UBND",
    "issued_on": datetime.date(2026, 1, 12),
    "title": "Kế hoạch cải cách hành chính năm 2026",
}
# (description, office, due date, done on): ``done on`` a date (done that day, once the day has
# come), or None (not done: under way until its due date, late after). Invented.
TAM_QUAN_PLAN_TASKS = [
    (
        "Ban hành Kế hoạch CCHC năm 2026 và Kế hoạch tuyên truyền CCHC năm 2026",
        TQ_VP,
        "31/01/2026",
        "12/01/2026",
    ),
    ("Ban hành Kế hoạch kiểm tra công tác CCHC năm 2026", TQ_VP, "31/01/2026", "20/01/2026"),
    ("Ban hành Kế hoạch kiểm soát TTHC năm 2026", TQ_VP, "31/01/2026", "22/01/2026"),
    (
        "Ban hành Kế hoạch chuyển đổi số, phát triển chính quyền số năm 2026",
        TQ_VH,
        "28/02/2026",
        "25/02/2026",
    ),
    (
        "Khắc phục tồn tại, hạn chế được chỉ ra khi thẩm định Chỉ số CCHC năm 2025",
        TQ_VP,
        "31/03/2026",
        "27/03/2026",
    ),
    (
        "Rà soát, công khai đầy đủ TTHC thuộc thẩm quyền giải quyết của UBND phường tại Trung tâm Phục vụ hành chính công",
        TQ_HCC,
        "31/03/2026",
        "20/03/2026",
    ),
    (
        "Kiện toàn Tổ công nghệ số cộng đồng các khu phố sau sắp xếp đơn vị hành chính",
        TQ_VH,
        "31/03/2026",
        "31/03/2026",
    ),
    (
        "Rà soát, phân công nhiệm vụ cán bộ, công chức theo vị trí việc làm của phường",
        TQ_VP,
        "30/04/2026",
        "24/04/2026",
    ),
    # The due date of the 6-month figures under the demo's regulatory calendar (14/6 + 2 working days).
    ("Báo cáo CCHC quý I và 6 tháng đầu năm 2026 đúng hạn", TQ_VP, "16/06/2026", "16/06/2026"),
    (
        "Tự kiểm tra, rà soát văn bản quy phạm pháp luật do HĐND, UBND phường ban hành",
        TQ_VP,
        "30/06/2026",
        "19/06/2026",
    ),
    ("Số hóa hồ sơ, kết quả giải quyết TTHC theo quy định", TQ_HCC, "30/06/2026", "30/06/2026"),
    ("Gửi thư xin lỗi người dân đối với mọi hồ sơ trễ hạn", TQ_HCC, "30/06/2026", "30/06/2026"),
    ("Tổ chức Hội nghị sơ kết CCHC 6 tháng đầu năm 2026", TQ_VP, "15/07/2026", "10/07/2026"),
    ("Thực hiện công khai tài chính, ngân sách phường 6 tháng đầu năm", TQ_KT, "31/07/2026", "28/07/2026"),
    ("Duy trì, cải tiến hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", TQ_VP, "30/09/2026", None),
    ("Cập nhật hồ sơ cán bộ, công chức trên phần mềm quản lý", TQ_VP, "30/09/2026", "29/09/2026"),
    ("Tổ chức kiểm tra kỷ luật, kỷ cương hành chính 6 tháng cuối năm", TQ_VP, "31/10/2026", None),
    ("Ký số 100% văn bản đi của UBND phường", TQ_VP, "30/11/2026", None),
    ("Tự chấm điểm Chỉ số CCHC năm 2026 kèm tài liệu kiểm chứng", TQ_VP, "15/12/2026", "14/12/2026"),
    ("Báo cáo tổng kết công tác CCHC năm 2026", TQ_VP, "15/12/2026", "15/12/2026"),
    (
        "Tuyên truyền CCHC trên hệ thống truyền thanh và trang thông tin điện tử của phường",
        TQ_VH,
        "31/12/2026",
        "20/11/2026",
    ),
    ("Nâng tỷ lệ hồ sơ trực tuyến toàn trình theo chỉ tiêu tỉnh giao", TQ_HCC, "31/12/2026", None),
    ("Nâng tỷ lệ thanh toán trực tuyến phí, lệ phí TTHC", TQ_KT, "31/12/2026", None),
    ("Giải ngân vốn đầu tư công năm 2026 đạt kế hoạch", TQ_KT, "31/12/2026", "28/12/2026"),
]
# The plans the first tasks issued, in the register (numbers and dates invented, as the plan's).
TAM_QUAN_DOCUMENTS = [
    ("02/KH-UBND", "12/01/2026", "KH", "Kế hoạch cải cách hành chính năm 2026"),
    ("03/KH-UBND", "12/01/2026", "KH", "Kế hoạch tuyên truyền cải cách hành chính năm 2026"),
    ("05/KH-UBND", "20/01/2026", "KH", "Kế hoạch kiểm tra công tác cải cách hành chính năm 2026"),
    ("06/KH-UBND", "22/01/2026", "KH", "Kế hoạch kiểm soát thủ tục hành chính năm 2026"),
    ("09/KH-UBND", "25/02/2026", "KH", "Kế hoạch chuyển đổi số, phát triển chính quyền số năm 2026"),
]
TAM_QUAN_MEETING = {
    "kind": MeetingKind.HALF_YEAR,
    "title": (
        "Hội nghị sơ kết công tác cải cách hành chính 6 tháng đầu năm, triển khai phương hướng, nhiệm vụ "
        "trọng tâm 6 tháng cuối năm 2026"
    ),
    "held_on": datetime.date(2026, 7, 10),
    "place": "Hội trường UBND phường Tam Quan",
    "chair": "Chủ tịch UBND phường Nguyễn Hữu Phước",
    "attendees": (
        "Lãnh đạo Đảng ủy, HĐND, UBND phường; Ủy ban MTTQ Việt Nam phường; các phòng, đơn vị thuộc UBND "
        "phường; Trung tâm Phục vụ hành chính công phường; Tổ công nghệ số cộng đồng và Trưởng các khu phố."
    ),
    # "%(progress)s" is the plan's progress on the day of the meeting, read from the plan above.
    "content": (
        "Văn phòng HĐND và UBND phường báo cáo tóm tắt kết quả thực hiện công tác CCHC 6 tháng đầu năm "
        "2026, năm đầu tiên phường hoạt động trọn năm theo mô hình chính quyền địa phương hai cấp; Trung "
        "tâm Phục vụ hành chính công báo cáo kết quả tiếp nhận, giải quyết hồ sơ TTHC theo số liệu đã gửi "
        "trên Cổng. Về tiến độ thực hiện Kế hoạch CCHC năm 2026, đến nay phường hoàn thành "
        "%(progress)s. Các đại biểu thảo luận, nêu những vướng mắc khi giải quyết TTHC trên địa bàn mới "
        "sau sắp xếp và đề xuất giải pháp cho 6 tháng cuối năm."
    ),
    "conclusions": (
        "Yêu cầu các phòng, đơn vị thuộc UBND phường nêu cao vai trò, trách nhiệm, tăng cường phối hợp, "
        "tập trung hoàn thành các nhiệm vụ còn lại của Kế hoạch CCHC năm 2026. Tiếp tục đẩy mạnh dịch vụ "
        "công trực tuyến toàn trình, thanh toán trực tuyến, số hóa hồ sơ, kết quả giải quyết TTHC; không "
        "để phát sinh hồ sơ quá hạn, gửi thư xin lỗi đối với mọi hồ sơ trễ hạn. Tự kiểm tra công tác CCHC "
        "gắn với kiểm tra kỷ luật, kỷ cương hành chính; chuẩn bị chu đáo tài liệu kiểm chứng để tự chấm "
        "điểm Chỉ số CCHC năm 2026."
    ),
}
# (office, assignee, description, due date, status, completed on): DONE from ``completed on`` on
# (DOING before it); DOING and TODO stay so, late once their due date has passed. Invented.
TAM_QUAN_TASKS = [
    (
        TQ_HCC,
        "",
        "Hướng dẫn, hỗ trợ người dân nộp hồ sơ trực tuyến toàn trình và thanh toán trực tuyến; phấn đấu đạt "
        "chỉ tiêu tỉnh giao về tỷ lệ hồ sơ trực tuyến.",
        "31/12/2026",
        TaskStatus.DOING,
        None,
    ),
    (
        TQ_HCC,
        "",
        "Rà soát hồ sơ đang giải quyết, không để phát sinh hồ sơ quá hạn; gửi thư xin lỗi đối với mọi hồ sơ "
        "trễ hạn.",
        "30/09/2026",
        TaskStatus.DONE,
        "25/09/2026",
    ),
    (
        TQ_VP,
        "",
        "Tham mưu UBND phường tự kiểm tra công tác CCHC 6 tháng cuối năm 2026 gắn với kiểm tra kỷ luật, kỷ "
        "cương hành chính.",
        "31/10/2026",
        TaskStatus.TODO,
        None,
    ),
    (
        TQ_VP,
        "",
        "Tham mưu khắc phục các tiêu chí bị trừ điểm trong Chỉ số CCHC năm 2025; chuẩn bị tài liệu kiểm "
        "chứng để tự chấm điểm Chỉ số CCHC năm 2026.",
        "15/12/2026",
        TaskStatus.DONE,
        "14/12/2026",
    ),
    (
        TQ_KT,
        "",
        "Thực hiện công khai tài chính, ngân sách; đẩy nhanh giải ngân kế hoạch vốn đầu tư công năm 2026.",
        "30/11/2026",
        TaskStatus.DOING,
        None,
    ),
    (
        TQ_VH,
        "",
        "Đẩy mạnh tuyên truyền CCHC, chuyển đổi số trên hệ thống truyền thanh và trang thông tin điện tử "
        "của phường.",
        "30/09/2026",
        TaskStatus.DONE,
        "30/09/2026",
    ),
    (
        None,
        "Trưởng các khu phố",
        "Phối hợp tuyên truyền, vận động người dân sử dụng dịch vụ công trực tuyến, thanh toán trực tuyến.",
        "31/12/2026",
        TaskStatus.DOING,
        None,
    ),
]
TAM_QUAN_REPORT_PERIOD = "2026-H1"


def _unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code=code)


def _date(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def _offices(unit: AdministrativeUnit) -> dict[str, Office]:
    return {office.name: office for office in Office.objects.filter(unit=unit)}


def _meeting(unit: AdministrativeUnit, facts: dict, tasks: list, due_on: datetime.date) -> Meeting:
    meeting, created = Meeting.objects.get_or_create(
        unit=unit, kind=facts["kind"], held_on=facts["held_on"], defaults=facts
    )
    if created or not meeting.tasks.exists():
        offices = _offices(unit)
        for position, (office, assignee, description, *status) in enumerate(tasks, start=1):
            done = status and status[0] == TaskStatus.DONE
            ConclusionTask.objects.create(
                meeting=meeting,
                position=position,
                office=offices[office] if office else None,
                assignee=assignee,
                description=description,
                due_on=due_on,
                status=status[0] if status else TaskStatus.TODO,
                # Invented completion dates, for the demo's done tasks.
                completed_on=datetime.date(2024, 10, 31) if done else None,
                completion_note="Đã thực hiện, có báo cáo kết quả." if done else "",
            )
    return meeting


def seed_gio_son() -> Meeting:
    return _meeting(
        _unit(GIO_SON),
        {
            "kind": MeetingKind.INDEX,
            "title": GIO_SON_TITLE,
            "held_on": datetime.date(2024, 3, 15),
            "place": "UBND xã Gio Sơn",
            "chair": "Chủ tịch UBND xã Đỗ An Chung",
            "attendees": GIO_SON_ATTENDEES,
            "content": GIO_SON_CONTENT,
            "conclusions": GIO_SON_CONCLUSIONS,
        },
        GIO_SON_TASKS,
        GIO_SON_DUE,
    )


def seed_phuoc_hung() -> Plan:
    unit = _unit(PHUOC_HUNG)
    _meeting(unit, PHUOC_HUNG_MEETING, PHUOC_HUNG_TASKS, datetime.date(2024, 12, 31))
    plan, _created = Plan.objects.get_or_create(unit=unit, year=2024, defaults=PHUOC_HUNG_PLAN)
    if not plan.tasks.exists():
        offices = _offices(unit)
        PlanTask.objects.bulk_create(
            PlanTask(
                plan=plan,
                position=position,
                description=description,
                office=offices[office],
                due_on=_date(due),
                done=done,
                done_on=_date(due) if done else None,
            )
            for position, (description, office, due, done) in enumerate(PHUOC_HUNG_PLAN_TASKS, start=1)
        )
    return plan


def seed_tung_chau() -> None:
    unit = _unit(TUNG_CHAU)
    for symbol, day, type_code, summary in TUNG_CHAU_DOCUMENTS:
        DirectiveDocument.objects.get_or_create(
            unit=unit,
            number_symbol=symbol,
            issued_on=_date(day),
            defaults={"type_code": DocumentType(type_code), "summary": summary},
        )


def _tam_quan_today() -> datetime.date:
    return timezone.localdate()


def _tam_quan_plan(unit: AdministrativeUnit, today: datetime.date) -> Plan:
    plan, _created = Plan.objects.get_or_create(unit=unit, year=2026, defaults=TAM_QUAN_PLAN)
    if not plan.tasks.exists():
        offices = _offices(unit)
        tasks = []
        for position, (description, office, due, done) in enumerate(TAM_QUAN_PLAN_TASKS, start=1):
            done_on = _date(done) if done else None
            done_on = done_on if done_on is not None and done_on <= today else None
            tasks.append(
                PlanTask(
                    plan=plan,
                    position=position,
                    description=description,
                    office=offices[office],
                    due_on=_date(due),
                    done=done_on is not None,
                    done_on=done_on,
                )
            )
        PlanTask.objects.bulk_create(tasks)
    for symbol, day, type_code, summary in TAM_QUAN_DOCUMENTS:
        if _date(day) <= today:
            DirectiveDocument.objects.get_or_create(
                unit=unit,
                number_symbol=symbol,
                issued_on=_date(day),
                defaults={"type_code": DocumentType(type_code), "summary": summary},
            )
    return plan


def _tam_quan_meeting(unit: AdministrativeUnit, today: datetime.date) -> Meeting:
    from .selectors.records import plan_progress, progress_text

    facts = dict(TAM_QUAN_MEETING)
    progress = plan_progress(unit, 2026, facts["held_on"])
    facts["content"] = facts["content"] % {"progress": progress_text(progress.done, progress.total)}
    meeting, created = Meeting.objects.get_or_create(
        unit=unit, kind=facts["kind"], held_on=facts["held_on"], defaults=facts
    )
    if created or not meeting.tasks.exists():
        offices = _offices(unit)
        tasks = []
        for position, (office, assignee, description, due, status, completed) in enumerate(
            TAM_QUAN_TASKS, start=1
        ):
            completed_on = _date(completed) if completed else None
            if completed_on is not None and completed_on > today:
                status, completed_on = TaskStatus.DOING, None
            tasks.append(
                ConclusionTask(
                    meeting=meeting,
                    unit=unit,
                    position=position,
                    office=offices[office] if office else None,
                    assignee=assignee,
                    description=description,
                    due_on=_date(due),
                    status=status,
                    completed_on=completed_on,
                    completion_note="Đã thực hiện, có báo cáo kết quả." if completed_on else "",
                )
            )
        ConclusionTask.objects.bulk_create(tasks)
    return meeting


def _tam_quan_report(unit: AdministrativeUnit, today: datetime.date) -> Report | None:
    """The 6-month report of 2026 as its people make it: composed by the officer from the
    portal's data through the composer, dated on the day the half year's figures are due, with
    the chairman in the signature block. Nothing in it is invented: what the portal does not hold
    (figures, an index result) the text says is missing.

    It stays a draft, for the chairman to issue ("Ban hành"): issuing renders and stores its PDF,
    which costs WeasyPrint a second or more on every seed_demo (the test suite runs it often)
    and writes a file outside the database."""
    from core import periods
    from dossiers.selectors import calendar_for, due_date

    from .compose import next_number, report_compose
    from .services.issuing import report_save

    existing = Report.objects.filter(unit=unit, kind=ReportKind.HALF_YEAR, period=TAM_QUAN_REPORT_PERIOD)
    if existing.exists():
        return existing.first()
    dated = due_date(periods.Period.parse(TAM_QUAN_REPORT_PERIOD), calendar_for(unit))
    if dated > today:
        return None
    officer = User.objects.get(username=TQ_OFFICER)
    draft = report_compose(unit=unit, kind=ReportKind.HALF_YEAR, period=TAM_QUAN_REPORT_PERIOD, user=officer)
    return report_save(
        report=draft,
        facts={"dated": dated, "number": next_number(unit, dated.year)},
        sections={},
        revision=draft.revision,
        user=officer,
    )


def seed_tam_quan() -> Report | None:
    """Phường Tam Quan's 2026: its plan, register entries, 6-month meeting and 6-month report,
    each only once its day has come. Returns the report, or None before its date."""
    today = _tam_quan_today()
    if today < TAM_QUAN_PLAN["issued_on"]:
        return None
    unit = AdministrativeUnit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code=TAM_QUAN)
    _tam_quan_plan(unit, today)
    if today >= TAM_QUAN_MEETING["held_on"]:
        _tam_quan_meeting(unit, today)
    return _tam_quan_report(unit, today)


@transaction.atomic
def seed_reports() -> None:
    """The demo meetings, plan and register of seeds 002, 003 and 004, and phường Tam Quan's
    2026. Idempotent."""
    seed_gio_son()
    seed_phuoc_hung()
    seed_tung_chau()
    seed_tam_quan()
