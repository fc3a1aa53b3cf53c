"""The Vietnamese of Streamlit's and Plotly's own strings (ui/i18n.py) and the script that
applies it (ui/style.py); the pages themselves are scanned in tests/e2e/test_e2e_vietnamese.py."""
import re
from pathlib import Path

import streamlit

from ui import i18n, style

FRONTEND = Path(streamlit.__file__).parent / "static" / "static" / "js"
# Keys Streamlit builds at run time (a template or an icon's name) or a component names.
BUILT = {"Press Enter to apply", "Press Enter to submit form", "add icon",
         "extra_streamlit_components.CookieManager.cookie_manager"}


def _frontend() -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in FRONTEND.glob("*.js"))


def test_every_key_is_a_string_of_the_installed_frontend():
    """A key that Streamlit (or its Plotly) no longer writes translates nothing: after an
    upgrade this names it."""
    js = _frontend()
    assert [k for k in i18n.TEXTS if k not in js and k not in BUILT] == []
    assert [k for k in i18n.PLOTLY_DICTIONARY if k not in js] == []


def test_translations_are_vietnamese_and_final():
    for english, vietnamese in i18n.TEXTS.items():
        assert vietnamese.strip() and vietnamese != english
        assert vietnamese not in i18n.TEXTS, f"{vietnamese!r} would be translated again"
        assert not any(re.search(p, vietnamese) for p, _ in i18n.PATTERNS), vietnamese
    for pattern, replacement in i18n.PATTERNS:
        re.compile(pattern)  # the JavaScript patterns use the syntax both languages share
        assert pattern.startswith("^") and pattern.endswith("$")
        groups = re.compile(pattern).groups
        assert all(int(g) <= groups for g in re.findall(r"\$(\d)", replacement)), pattern


def test_patterns_replace_as_the_script_does():
    def apply(text: str) -> str:
        for pattern, replacement in i18n.PATTERNS:
            if re.search(pattern, text):
                return re.sub(pattern, replacement.replace("$", "\\"), text)
        return text

    assert apply("File must be 100.0MB or smaller.") == "Tệp phải nhỏ hơn hoặc bằng 100.0 MB."
    assert apply("Remove Điện Biên") == "Bỏ Điện Biên"
    assert apply("Help for Tỷ lệ thực hiện 2020") == "Giải thích: Tỷ lệ thực hiện 2020"
    assert apply("Selected Date: December 07, 2026") == "Ngày đang chọn: 07/12/2026"
    assert apply("Today, Thứ Hai, 7 tháng 12, 2026 selected") == "Hôm nay, Thứ Hai, 7 tháng 12, 2026, đang chọn"


def test_the_script_carries_the_dictionary_and_no_closing_tag():
    html = style.script()
    assert html.startswith('<script id="skhcn-chrome">') and html.count("</script>") == 1
    assert "Tải xuống dạng CSV" in html and str(style.PRINT_WIDTH_PX) in html
    css = (Path(style.__file__).parent / "style.css").read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4 portrait" in css and "script#skhcn-chrome" in css


def test_plotly_speaks_vietnamese():
    vi = i18n.PLOTLY_CONFIG["locales"][i18n.PLOTLY_CONFIG["locale"]]
    assert vi["dictionary"]["Download plot as a PNG"] == "Tải biểu đồ (PNG)"
    assert len(vi["format"]["months"]) == 12 and i18n.PLOTLY_CONFIG["displaylogo"] is False
