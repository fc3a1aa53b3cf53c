"""Every screen in Vietnamese, Streamlit's own texts included (issue 18, item 1).

For each role — a visitor, an editor, an admin, each logged in once in its own browser
context — every page of ``app.py``'s navigation (``PAGES`` and ``ROLE_PAGES``, read by
``tests/e2e/server.py``) is opened, left to settle, and scanned: every text node of the
document (Material icons aside: their ligature names are glyphs) and every ``title``,
``aria-label``, ``placeholder``, ``alt`` and ``data-title`` attribute (what tooltips and
screen readers read), then the tooltips shown on hover of the first table's toolbar. Further
views: a table's column menu and search box, the uploader (with a refused file), the date
picker, and every string of ``ui.i18n`` put on a page (the status and connection messages
cannot be made to show on demand).

A text is refused for (``problems``): an English word of ``ENGLISH``; an ASCII word that
cannot be a Vietnamese syllable (``VI_SYLLABLE``) and is neither an abbreviation in capitals
(SNKH, QLNN, UBND, as the documents print them) nor in ``ALLOWED`` (Excel, Word…);
``None`` / ``nan`` / ``NaN`` / ``NaT``; an ISO timestamp; a snake_case code. File names and
paths (``000_3dbc….txt``, ``raw/``) and words cut by an ellipsis are left out. A failure
names the role, the page, where the text is (the nearest ``data-testid``) and the text.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.e2e.helpers import login
from tests.e2e.server import EDITOR, VIEWPORT, app_pages, open_page, rerun_after, role_pages
from ui import i18n
from warehouse import users as accounts

ADMIN = ("quantri-kiemthu", "mat-khau-quan-tri-kiem-thu")
ROLES = {"visitor": None, "editor": EDITOR, "admin": ADMIN}
SHOWN_ROLE = {"editor": "(biên tập)", "admin": "(quản trị)"}  # ui.auth: "Đăng nhập: **name** (role)"
PAGES = app_pages() + [info for _, info in role_pages()]

# English words a page must not show (lower case; matched as whole words, any case).
ENGLISH = set("""
about add all allowed and app apply ascending autoscale autosize axes browse budget cache
cancel chart clear clipboard close collapse column columns connecting connection content copied
copy count data date delete deploy descending dismiss download drag drop edit error expand
expenditure file files format found fullscreen heading help here hide home items less link
loading lost made main menu more must navigate next not null of one only open option
options page pages pan password per pin please plot previous print project record remove rerun
reset result results retry revenue row rows running screen search select selected server
settings show sidebar skip smaller sort statistics stop stopping streamlit submit table task
the this true false type undefined unpin upload value values view wait warning with you your
zoom approved proposed executed
""".split())
# Names and abbreviations that are not Vietnamese syllables but belong on the pages: product
# and key names, and the loanwords the shipped documents print ("logistics", "Startup").
ALLOWED = {"Excel", "Word", "Internet", "Enter", "Esc", "Ctrl", "Plotly", "logistics", "Startup", "Gbps", "Mbps"}
# A Vietnamese syllable written without its marks: initial consonant, medial, vowels, final.
VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[ou]?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?", re.I
)
CODES = [
    ("None/nan", re.compile(r"\b(None|nan|NaN|NaT)\b")),
    ("ISO timestamp", re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:")),
    ("snake_case", re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")),
]
# addresses, paths and file names are names, not words: "https://theodoinq.dcs.vn", "raw/",
# "/srv/skhcn/uploads" (Kho dữ liệu names the folders where the data lives),
# "pakn.nq57.vn", "000_3dbc….txt", "(.xlsx)"
FILE_OR_PATH = re.compile(r"https?://\S+|(?<!\S)[~.]?/[\w./-]+|\S*\.[A-Za-z][A-Za-z0-9]{1,5}\b\S*|[\w.-]+/(?=[\s·,;)]|$)")
CUT_WORD = re.compile(r"\w+…")

# Every text node and attribute of the document, with where it is (nearest data-testid).
_SCAN = """() => {
  const ICON = '[data-testid="stIconMaterial"], script, style, noscript';
  const where = (el) => { const t = el.closest('[data-testid]'); return t ? t.getAttribute('data-testid') : el.tagName.toLowerCase(); };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.trim();
    const el = n.parentElement;
    if (text && el && !el.closest(ICON)) out.push([where(el), text]);
  }
  for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[alt],[data-title]')) {
    if (el.closest(ICON)) continue;
    for (const a of ['title', 'aria-label', 'placeholder', 'alt', 'data-title']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push([where(el) + ' @' + a, v.trim()]);
    }
  }
  return out;
}"""


def problems(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """What is wrong with ``text`` as a Vietnamese screen text (empty when nothing);
    ``names`` are words allowed besides ``ALLOWED`` (the accounts' logins)."""
    found = [f"{name}: {m.group(0)!r}" for name, rx in CODES for m in rx.finditer(text)]
    for _, rx in CODES:  # each word is reported once
        text = rx.sub(" ", text)
    text = CUT_WORD.sub(" ", FILE_OR_PATH.sub(" ", text))
    for word in re.findall(r"\w+", text):
        if not re.fullmatch(r"[A-Za-z]{2,}", word) or word in ALLOWED or word in names:  # a) b) … are list marks
            continue
        if word.lower() in ENGLISH:
            found.append(f"English: {word!r}")
        elif not word.isupper() and not VI_SYLLABLE.fullmatch(word):
            found.append(f"not Vietnamese: {word!r}")
    return found


def scan(page, extra: list[tuple[str, str]] = (), names: frozenset[str] = frozenset()) -> list[str]:
    """``where: text — problems`` for every text of the page (and ``extra``) with one."""
    seen, out = set(), []
    for where, text in [*page.evaluate(_SCAN), *extra]:
        if (where, text) in seen:
            continue
        seen.add((where, text))
        bad = problems(text, names)
        if bad:
            out.append(f"{where}: {text[:160]!r} — {', '.join(bad)}")
    return out


def _centre(element) -> None:
    """Scroll ``element`` to the middle of the window: its toolbar, drawn above it, then lies
    clear of Streamlit's fixed header."""
    element.evaluate("(e) => e.scrollIntoView({block: 'center'})")


def toolbar_tooltips(page) -> list[tuple[str, str]]:
    """Hover the first table, then each button of its toolbar, and read each tooltip."""
    grids = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    if grids.count() == 0:
        return []
    grid = grids.first
    _centre(grid)
    grid.hover()
    frame = grid.locator("xpath=ancestor::*[@data-testid='stFullScreenFrame'][1]")
    toolbar = frame.locator('[data-testid="stElementToolbar"]').first
    toolbar.wait_for(state="visible")
    buttons = toolbar.locator("button")
    shown = []
    for i in range(buttons.count()):
        buttons.nth(i).hover()
        tip = page.locator('[data-testid="stTooltipContent"]')
        tip.first.wait_for(state="visible", timeout=5_000)
        shown += [("stTooltipContent (hover)", t.strip()) for t in tip.all_inner_texts() if t.strip()]
        page.mouse.move(0, 0)
        tip.first.wait_for(state="hidden", timeout=5_000)
        grid.hover()
    return shown


class Sessions:
    """One browser context per role, logged in once, reused by every test of the module."""

    def __init__(self, browser, server, logins: frozenset[str]):
        self.browser, self.server, self.tabs = browser, server, {}
        self.logins = logins  # the words of the accounts' logins: names, shown on Quản trị

    def page(self, role: str):
        if role not in self.tabs:
            ctx = self.browser.new_context(viewport=VIEWPORT, locale="vi-VN")
            ctx.set_default_timeout(30_000)
            page = ctx.new_page()
            open_page(page, self.server, "")
            if ROLES[role]:
                login(page, *ROLES[role])
            self.tabs[role] = page
        return self.tabs[role]

    def open(self, role: str, route: str, query: str = ""):
        page = self.page(role)
        open_page(page, self.server, route, query)
        if role in SHOWN_ROLE:  # still logged in (the signed cookie), with the role expected
            assert SHOWN_ROLE[role] in page.locator('[data-testid="stSidebar"]').text_content()
        return page

    def close(self) -> None:
        for page in self.tabs.values():
            page.context.close()


@pytest.fixture(scope="module")
def sessions(browser, server, e2e_paths) -> Iterator[Sessions]:
    if ADMIN[0] not in accounts.load(e2e_paths["users"])["credentials"]["usernames"]:
        accounts.add_user(ADMIN[0], "Trần Văn Quản Trị", "admin", password=ADMIN[1], path=e2e_paths["users"])
    logins = accounts.load(e2e_paths["users"])["credentials"]["usernames"]
    s = Sessions(browser, server, frozenset(w for login in logins for w in re.findall(r"[A-Za-z]+", login)))
    yield s
    s.close()


def test_the_scan_finds_what_it_must():
    """The checks themselves: English, codes and leftovers are found, Vietnamese is not."""
    assert problems("Tổng chi theo nguồn SNKH, QLNN (KH&CN) · Excel (.xlsx) · 000_3dbcd40b8eb90139.txt · raw/") == []
    assert problems("Nguồn kinh phí: Ngân sách trung ương, ngoài ra quy định chung") == []
    assert problems("Upload") == ["English: 'Upload'"]
    assert problems("50MB per file • XLSX") == ["English: 'per'", "English: 'file'"]
    assert problems("Đang chạy Running...") == ["English: 'Running'"]
    assert problems("Số tiền: None") == ["None/nan: 'None'"]
    assert problems("Cập nhật 2024-05-01 10:30") == ["ISO timestamp: '2024-05-01 10:'"]
    assert problems("loại budget_appendices") == ["snake_case: 'budget_appendices'"]
    assert problems("Gizmo") == ["not Vietnamese: 'Gizmo'"]
    assert problems("Show/hide columns") == ["English: 'Show'", "English: 'hide'", "English: 'columns'"]
    assert problems("Hệ thống https://theodoinq.dcs.vn, pakn.nq57.vn · thư mục raw/") == []
    assert problems("Tài khoản quantri", frozenset({"quantri"})) == []


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("info", PAGES, ids=lambda p: p.url_path)
def test_page_is_vietnamese(sessions, role, info):
    page = sessions.open(role, info.route)
    found = scan(page, toolbar_tooltips(page), sessions.logins)
    assert found == [], f"{role} on /{info.route}:\n" + "\n".join(found)


def test_table_menus_are_vietnamese(sessions):
    """A table's list of columns (show/hide) and its search box, opened from its toolbar."""
    page = sessions.open("visitor", "")
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
    _centre(grid)
    grid.hover()
    frame = grid.locator("xpath=ancestor::*[@data-testid='stFullScreenFrame'][1]")
    frame.get_by_role("button", name="Ẩn/hiện cột", exact=True).click()  # the columns list
    page.locator('[data-testid="stDataFrameColumnVisibilityMenu"]').wait_for(state="visible")
    found = scan(page)
    page.keyboard.press("Escape")
    grid.hover()
    frame.get_by_role("button", name="Tìm kiếm", exact=True).click()  # the search box
    page.wait_for_timeout(300)
    found += scan(page)
    assert found == [], "\n".join(found)


def test_uploader_is_vietnamese(sessions, tmp_path):
    """The uploader of Nhập dữ liệu: its button and zone, a file dragged over it, a file of
    another kind (refused by the page, in Vietnamese) in its list."""
    page = sessions.open("editor", "nhap-du-lieu")
    page.get_by_role("tab", name=re.compile("Tải văn bản lên")).click()
    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    zone.wait_for(state="visible")
    assert "Tải lên" in zone.inner_text()
    found = scan(page)
    # a file dragged over the zone: Streamlit says where to drop it
    handle = page.evaluate_handle("() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'a.txt')); return d; }")
    zone.dispatch_event("dragenter", {"dataTransfer": handle})
    page.wait_for_timeout(300)
    found += scan(page)
    zone.dispatch_event("dragleave", {"dataTransfer": handle})
    other = tmp_path / "ghi-chu.exe"
    other.write_bytes(b"MZ not a document")
    rerun_after(page, lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(other)))
    assert "không được nhận" in page.locator('[data-testid="stMain"]').text_content()
    found += scan(page)
    assert found == [], "\n".join(found)


def test_date_picker_is_vietnamese(sessions):
    """The calendar of the reference day (Nhiệm vụ): month, weekdays, buttons."""
    page = sessions.open("editor", "nhiem-vu")
    date = page.locator('[data-testid="stDateInput"]').first
    date.get_by_role("button", name="Chọn ngày").click()
    page.get_by_role("dialog").wait_for(state="visible")
    found = scan(page)
    page.keyboard.press("Escape")
    assert found == [], "\n".join(found)


# Examples of the strings Streamlit builds (ui.i18n.PATTERNS), as Streamlit writes them.
PATTERN_EXAMPLES = [
    "File must be 100.0MB or smaller.",
    "application/x-msdownload files are not allowed.",
    "100MB per file",
    "Remove Điện Biên",
    "View 3 more",
    "Press Ctrl+Enter to apply",
    "You can only select up to 2 options. Remove an option first.",
    "Made with Streamlit v1.67.0",
]


def test_every_streamlit_string_is_translated_on_the_page(sessions):
    """Each English string of ui.i18n (the connection messages, "Running…", "Stop" … cannot
    be made to show on demand) written by a script into the page — as a text and as the
    attributes a tooltip or screen reader reads — is Vietnamese a moment later."""
    page = sessions.open("visitor", "")
    # the script ran and took its own text (code and dictionary) off the page
    assert page.evaluate("() => document.querySelector('script#skhcn-chrome').textContent") == ""
    english = list(i18n.TEXTS) + PATTERN_EXAMPLES
    left = page.evaluate(
        """async (texts) => {
          const box = document.createElement('div');
          box.id = 'i18n-probe';
          for (const t of texts) {
            const span = document.createElement('span');
            span.textContent = '  ' + t + ' ';
            for (const a of ['title', 'aria-label', 'placeholder']) span.setAttribute(a, t);
            box.appendChild(span);
          }
          document.body.appendChild(box);
          await new Promise((r) => setTimeout(r, 300));
          const out = [];
          box.querySelectorAll('span').forEach((s, i) => {
            for (const v of [s.textContent, s.getAttribute('title'), s.getAttribute('aria-label'), s.getAttribute('placeholder')])
              if (v.trim() === texts[i]) out.push(texts[i]);
          });
          box.remove();
          return [...new Set(out)];
        }""",
        english,
    )
    assert left == []
    # and what they become is Vietnamese by the page's own rules
    bad = {k: v for k, v in i18n.TEXTS.items() if problems(v)}
    assert bad == {}
