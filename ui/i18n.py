"""Vietnamese for the texts Streamlit and Plotly write themselves (no Streamlit import here).

Streamlit 1.67 has no language setting: its frontend writes English labels, tooltips and
messages of its own (the uploader's "Upload" and "50MB per file", the table toolbar's
"Download as CSV", "Search", "Fullscreen", the header's "Running…" / "Stop", the connection
messages, the sidebar's "Collapse sidebar", "Choose an option" in a drop-down, "Show password"…).
What the app can set is set where it is set (``.streamlit/config.toml``: ``toolbarMode =
"minimal"`` removes the main menu — "Print", "Record screen", "Settings", "About", "Made with
Streamlit" — and the "Deploy" button; a widget's ``placeholder=``). The rest is translated here:

* ``TEXTS`` — Streamlit's own strings, English → Vietnamese, matched whole (after trimming
  white space) in a text node or in a ``title``, ``aria-label``, ``placeholder``,
  ``data-title`` or ``alt`` attribute. Attributes matter: a tooltip or a screen reader reads
  them, and CSS (``content:``) can neither change an attribute nor take the English out of
  the accessibility tree — hence a small script (``ui/style.js``, applied once by
  ``ui.style.apply``) rather than CSS.
* ``PATTERNS`` — strings Streamlit builds with a number or a name in them ("File must be
  100.0MB or smaller.", "Remove Điện Biên", "View 3 more"): a JavaScript regular expression
  (matched against the whole trimmed text) and its replacement (``$1`` = first group).
* ``PLOTLY_CONFIG`` — the charts' modebar ("Download plot as a PNG", "Zoom", "Autoscale", …):
  Plotly has a locale setting, so the pages pass ``config=PLOTLY_CONFIG`` to
  ``st.plotly_chart`` instead of having the script rewrite Plotly's buttons.

Only Streamlit's and Plotly's fixed English strings are keys: the pages' own texts are
Vietnamese already and never match. A key must be the exact string of the installed
Streamlit's frontend (``streamlit/static/static/js``); after a Streamlit upgrade,
``tests/e2e/test_e2e_vietnamese.py`` finds any new English on the pages. The Material icons'
ligature names ("upload", "history") are glyphs, not text, and are never touched.
"""
from __future__ import annotations

# Exact strings (trimmed). Grouped by where Streamlit shows them.
TEXTS: dict[str, str] = {
    # --- file uploader (st.file_uploader)
    "Upload": "Tải lên",
    "Upload directories": "Tải thư mục lên",
    "Add files": "Thêm tệp",
    "Drag and drop a file here": "Kéo và thả tệp vào đây",
    "Drag and drop files here": "Kéo và thả các tệp vào đây",
    "Drag and drop directories here": "Kéo và thả thư mục vào đây",
    "file upload": "chọn tệp để tải lên",
    "Error uploading file": "Lỗi khi tải tệp lên",
    "Error deleting file": "Lỗi khi xoá tệp",
    "File size is too small.": "Tệp quá nhỏ.",
    "Only one file is allowed.": "Chỉ được tải lên một tệp.",
    "Unexpected error. Please try again.": "Lỗi không mong đợi. Vui lòng thử lại.",
    "Delete": "Xoá",
    # --- tables (st.dataframe / st.data_editor): toolbar, search, column menu
    "Show/hide columns": "Ẩn/hiện cột",
    "Download as CSV": "Tải xuống dạng CSV",
    "Search": "Tìm kiếm",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình",
    "Type to search": "Gõ để tìm",
    "Close Search": "Đóng ô tìm kiếm",
    "Next Result": "Kết quả sau",
    "Previous Result": "Kết quả trước",
    "Dataframe column menu": "Trình đơn của cột",
    "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần",
    "Format": "Định dạng",
    "Automatic": "Tự động",
    "Localized": "Theo ngôn ngữ của máy",
    "Plain": "Số thường",
    "Compact": "Rút gọn",
    "Percent": "Phần trăm",
    "Scientific": "Dạng khoa học",
    "Accounting": "Kiểu kế toán",
    "Hide column": "Ẩn cột",
    "Pin column": "Ghim cột",
    "Unpin column": "Bỏ ghim cột",
    "Autosize": "Tự co giãn độ rộng",
    "Copy column name": "Sao chép tên cột",
    "Rename": "Đổi tên",
    "Statistics": "Thống kê",
    "Select all": "Chọn tất cả",
    "Clear selection": "Bỏ chọn",
    "Add row": "Thêm dòng",
    "Loading...": "Đang tải…",
    "Visibility": "Hiển thị",
    "(index)": "(số thứ tự dòng)",  # the index column in the list of columns
    # --- header, status, sidebar, navigation
    "Skip to main content": "Chuyển đến nội dung chính",
    "Main menu": "Trình đơn chính",
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở thanh bên",
    "Sidebar": "Thanh bên",
    "App pages": "Các trang",
    "View less": "Thu gọn",
    "Navigate to home page": "Về trang đầu",
    "Running...": "Đang chạy…",
    "Stopping...": "Đang dừng…",
    "Stop": "Dừng",
    "Rerun": "Chạy lại",
    "Always rerun": "Luôn chạy lại",
    "File change.": "Tệp đã thay đổi.",
    "Link to heading": "Liên kết đến mục này",
    "Scroll tabs left": "Cuộn thẻ sang trái",
    "Scroll tabs right": "Cuộn thẻ sang phải",
    "Copy to clipboard": "Sao chép",
    "Copy": "Sao chép",
    "Copied": "Đã sao chép",
    "Close": "Đóng",
    "Dismiss": "Bỏ qua",
    "Cancel": "Huỷ",
    "Retry": "Thử lại",
    "Page not found": "Không tìm thấy trang",
    "Script execution error": "Lỗi khi chạy trang",
    # --- connection (the header's status and the dialog when the server is gone)
    "Connecting": "Đang kết nối",
    "Please wait...": "Vui lòng chờ…",
    "Connection error": "Lỗi kết nối",
    "Connection lost. Please wait for the app to reconnect, then try again.":
        "Mất kết nối. Vui lòng chờ ứng dụng kết nối lại rồi thử lại.",
    "Streamlit server is not responding. Are you connected to the internet?":
        "Máy chủ không trả lời. Máy tính có đang nối mạng không?",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
        "Máy chủ bảng điều khiển không trả lời. Nếu máy chủ đã dừng, hãy khởi động lại:",
    "Unable to connect to Streamlit server": "Không kết nối được với máy chủ",
    "Reconnected to server.": "Đã kết nối lại với máy chủ.",
    "Connection timed out.": "Hết thời gian chờ kết nối.",
    "Connection timed out": "Hết thời gian chờ kết nối",
    "Network error": "Lỗi mạng",
    "Request timed out": "Hết thời gian chờ",
    "Connection closed": "Kết nối đã đóng",
    "Your app is having trouble loading the component.": "Trang đang gặp khó khăn khi tải một thành phần.",
    # --- inputs
    "Choose an option": "Chọn một mục",
    "Choose options": "Chọn",
    "No results": "Không có kết quả",
    "No options": "Không có lựa chọn",
    "Open": "Mở",
    "Clear value": "Xoá giá trị",
    "Clear all": "Xoá hết",
    "Selected values": "Các mục đã chọn",
    "Selectbox options": "Các lựa chọn",
    "Multiselect options": "Các lựa chọn",
    "Show password": "Hiện mật khẩu",
    "Hide password": "Ẩn mật khẩu",
    "Clear entry": "Xoá nội dung",
    "Press Enter to apply": "Nhấn Enter để áp dụng",  # built: `Press Enter to ${e}`
    "Press Enter to submit form": "Nhấn Enter để gửi",
    "Increment": "Tăng",
    "Decrement": "Giảm",
    "Number is above the allowed range.": "Số lớn hơn mức cho phép.",
    "Number is below the allowed range.": "Số nhỏ hơn mức cho phép.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Choose date": "Chọn ngày",
    "Choose date range": "Chọn khoảng ngày",
    "Clear date": "Xoá ngày",
    "Clear dates": "Xoá các ngày",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.":
        "Dùng phím mũi tên để di chuyển giữa các ngày, Enter để chọn, Esc để đóng.",
    "Select...": "Chọn…",
    "Previous month": "Tháng trước",
    "Next month": "Tháng sau",
    "Previous": "Trước",
    "Next": "Sau",
    "add icon": "Thêm tệp",  # built from the icon's name: the uploader's "+" beside its files
    # --- components: the login cookie's invisible frame (streamlit-authenticator)
    "extra_streamlit_components.CookieManager.cookie_manager": "Ghi nhớ đăng nhập",
}

# (JavaScript regular expression on the whole trimmed text, replacement)
PATTERNS: list[tuple[str, str]] = [
    (r"^File must be ([\d.,]+) ?([KMGT]?B) or smaller\.$", "Tệp phải nhỏ hơn hoặc bằng $1 $2."),
    (r"^(.+) files are not allowed\.$", "Không nhận tệp loại $1."),
    (r"^([\d.,]+) ?([KMGT]?B) per file$", "tối đa $1 $2 mỗi tệp"),
    (r"^Remove (.+)$", "Bỏ $1"),
    (r"^View (\d+) more$", "Xem thêm $1"),
    (r"^Press (Ctrl|⌘)\+Enter to (apply|submit form)$", "Nhấn $1+Enter để áp dụng"),
    (r"^You can only select up to (\d+) .*$", "Chỉ được chọn tối đa $1 mục: hãy bỏ bớt một mục trước."),
    (r"^Made with Streamlit v[\d.]+$", "Bảng điều khiển Sở KH&CN"),
    (r"^Help for (.+)$", "Giải thích: $1"),  # the (?) icon of a label's help
    # the date input: its parts, its calendar (weekdays and months come from the browser's language)
    (r"^day, (.+)$", "ngày, $1"),
    (r"^month, (.+)$", "tháng, $1"),
    (r"^year, (.+)$", "năm, $1"),
    (r"^Choose date, (.+)$", "Chọn ngày, $1"),
    (r"^Today, (.+) selected$", "Hôm nay, $1, đang chọn"),
    (r"^Today, (.+)$", "Hôm nay, $1"),
    (r"^(.+\d{4}) selected$", "$1, đang chọn"),
] + [
    (rf"^Selected Date: {month} (\d{{1,2}}), (\d{{4}})$", f"Ngày đang chọn: $1/{number:02d}/$2")
    for number, month in enumerate(
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"], start=1)
]

# Plotly's modebar and notices in Vietnamese (plotly.js "locales" config: a dictionary of its
# English strings; https://github.com/plotly/plotly.js/blob/master/dist/README.md#to-include-localization).
# The number separators are the charts' own (layout.separators, charts.theme.SEPARATORS).
PLOTLY_DICTIONARY: dict[str, str] = {
    "Autoscale": "Tự co giãn",
    "Box Select": "Chọn theo hình chữ nhật",
    "Click to enter Colorscale title": "Nhấp để nhập tên thang màu",
    "Click to enter Plot title": "Nhấp để nhập tên biểu đồ",
    "Click to enter X axis title": "Nhấp để nhập tên trục hoành",
    "Click to enter Y axis title": "Nhấp để nhập tên trục tung",
    "Compare data on hover": "So sánh số liệu khi rê chuột",
    "Double-click on legend to isolate one trace": "Nhấp đúp vào chú giải để chỉ xem một chuỗi",
    "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
    "Download plot": "Tải biểu đồ",
    "Download plot as a PNG": "Tải biểu đồ (PNG)",
    "Lasso Select": "Chọn vùng tự do",
    "Orbital rotation": "Xoay quanh",
    "Pan": "Kéo",
    "Produced with Plotly.js": "Vẽ bằng Plotly.js",
    "Reset": "Đặt lại",
    "Reset axes": "Đặt lại trục",
    "Reset view": "Đặt lại khung nhìn",
    "Show closest data on hover": "Hiện số liệu gần nhất khi rê chuột",
    "Toggle Spike Lines": "Bật/tắt đường gióng",
    "Toggle show closest data on hover": "Bật/tắt hiện số liệu gần nhất",
    "Zoom": "Phóng to vùng chọn",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "close:": "đóng:",
    "high:": "cao:",
    "low:": "thấp:",
    "open:": "mở:",
    "incoming flow count:": "số luồng vào:",
    "outgoing flow count:": "số luồng ra:",
    "kde:": "mật độ:",
    "lower fence:": "rào dưới:",
    "upper fence:": "rào trên:",
    "max:": "lớn nhất:",
    "min:": "nhỏ nhất:",
    "mean:": "trung bình:",
    "median:": "trung vị:",
    "q1:": "tứ phân vị 1:",
    "q3:": "tứ phân vị 3:",
    "trace": "chuỗi",
    "new text": "chữ mới",
}

PLOTLY_CONFIG: dict = {
    "locale": "vi",
    "locales": {
        "vi": {
            "dictionary": PLOTLY_DICTIONARY,
            "format": {
                "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
                "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
                "months": [f"tháng {m}" for m in range(1, 13)],
                "shortMonths": [f"thg {m}" for m in range(1, 13)],  # CLDR vi
                "date": "%d/%m/%Y",
            },
        }
    },
    "displaylogo": False,
}
