"""What a person does and sees on a page, in Playwright terms (used by the e2e tests)."""
from __future__ import annotations

import json
import re

from tests.e2e.server import rerun_after

MAIN = '[data-testid="stMain"]'


def errors_on(page) -> list[str]:
    """Texts of everything on the page that signals a failure: exceptions, error alerts,
    dialogs ("Page not found", compile errors) and a lost connection."""
    found = []
    for sel in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]', '[data-testid="stDialog"]'):
        loc = page.locator(sel)
        found += [f"{sel}: {t.strip()[:300]}" for t in loc.all_inner_texts()]
    state = page.locator('[data-testid="stApp"]').get_attribute("data-test-connection-state")
    if state != "CONNECTED":
        found.append(f"connection state {state}")
    return found


def main_text(page) -> str:
    """All text of the main area, including the cells the data grids render (their
    accessible copy in the DOM) and the text of Plotly charts."""
    return page.locator(MAIN).text_content() or ""


def metric(page, label: str) -> str:
    """The value shown by the ``st.metric`` whose label is exactly ``label``."""
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )
    if box.count() != 1:
        raise AssertionError(f"{box.count()} metrics labelled {label!r}; labels: {metric_labels(page)}")
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def metric_labels(page) -> list[str]:
    return [t.strip() for t in page.locator('[data-testid="stMetricLabel"]').all_inner_texts()]


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox or multiselect labelled ``label`` (open it with a
    click, click the option) and wait for the rerun."""
    box = page.get_by_role("combobox", name=label, exact=True)
    if box.input_value() == option:  # a selectbox already showing it: nothing to do
        return
    box.click()
    opt = page.get_by_role("option", name=option, exact=True)
    rerun_after(page, opt.click)
    page.keyboard.press("Escape")  # close a multiselect's list, if still open


def remove_chip(page, label: str, option: str) -> None:
    """Remove ``option`` from the multiselect labelled ``label`` with its chip's "x"."""
    button = _multiselect(page, label).get_by_role("button", name=f"Bỏ {option}", exact=True)  # ui.i18n: "Remove …"
    rerun_after(page, button.click)


def chips(page, label: str) -> list[str]:
    """The options shown as chosen in the multiselect labelled ``label``."""
    tags = _multiselect(page, label).locator("[data-tag]")
    return [t.strip() for t in tags.all_inner_texts()]


def _multiselect(page, label: str):
    return page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_role("combobox", name=label, exact=True))


def combobox_value(page, label: str) -> str:
    return page.get_by_role("combobox", name=label, exact=True).input_value()


def horizontal_overflow(page) -> dict[str, list[int]]:
    """[scrollWidth, clientWidth] of the document and of Streamlit's scrolling main area,
    for those that scroll sideways."""
    sizes = page.evaluate(
        """() => {
            const out = {};
            const doc = document.scrollingElement;
            out.document = [doc.scrollWidth, doc.clientWidth];
            const main = document.querySelector('[data-testid="stMain"]');
            out.stMain = [main.scrollWidth, main.clientWidth];
            return out;
        }"""
    )
    return {k: v for k, v in sizes.items() if v[0] > v[1]}



# --- data grids (st.dataframe / st.data_editor are canvases) -------------------------------
# Glide, the grid behind them, keeps an accessible copy of the visible cells in the DOM
# (``tr[aria-rowindex] > td[aria-colindex]``, headers ``th[role=columnheader]`` with
# ``aria-colindex``; the header row is row 1, so data row ``r`` is ``aria-rowindex = r + 2``)
# and moves the browser focus to the ``td`` of the cell under its cursor. So the cursor is
# driven with the keyboard as a person without a mouse would, and where it is can be read
# from ``document.activeElement`` — no pixel arithmetic on the canvas.
_CURSOR = """() => {
  const td = document.activeElement;
  if (!td || td.tagName !== 'TD' || !td.hasAttribute('aria-colindex')) return null;
  return td.getAttribute('aria-colindex') + ',' + td.parentElement.getAttribute('aria-rowindex');
}"""


def _cursor(page) -> tuple[int, int] | None:
    """(aria-colindex, data row) of the cell under the cursor, or None."""
    found = page.evaluate(_CURSOR)
    if not found:
        return None
    col, row = found.split(",")
    return int(col), int(row) - 2


def _press(page, key: str) -> tuple[int, int]:
    """Press an arrow key and wait until the cursor has moved."""
    before = page.evaluate(_CURSOR)
    page.keyboard.press(key)
    page.wait_for_function(
        f"() => {{ const now = ({_CURSOR})(); return now !== null && now !== {json.dumps(before)}; }}", timeout=10_000
    )
    return _cursor(page)


def _header(grid, column: str):
    return grid.locator('[role="columnheader"]').filter(has_text=re.compile(rf"^\s*{re.escape(column)}\s*$"))


def _cell(grid, row: int, colindex: int):
    return grid.locator(f'tr[aria-rowindex="{row + 2}"] > td[aria-colindex="{colindex}"]')


def grid_cell(page, grid, row: int, column: str, cursor: bool = False):
    """The accessible copy of the cell of ``column`` in data row ``row`` (0 = first) of
    ``grid``. Glide draws only the columns in view: when ``column`` is not drawn — or when
    ``cursor`` is true (to edit the cell) — the grid's cursor is walked there with the arrow
    keys, the grid scrolling sideways as it goes."""
    grid.scroll_into_view_if_needed()
    header = _header(grid, column)
    if not cursor and header.count() == 1:
        cell = _cell(grid, row, int(header.get_attribute("aria-colindex")))
        if cell.count() == 1:
            return cell
    if _cursor(page) is None or not grid.evaluate("(g) => g.contains(document.activeElement)"):
        grid.locator("td[aria-colindex]").first.focus()
        page.wait_for_function(f"() => ({_CURSOR})() !== null", timeout=10_000)
    col, at_row = _cursor(page)
    while at_row != row:
        col, at_row = _press(page, "ArrowDown" if at_row < row else "ArrowUp")
    columns = int(grid.locator('[role="grid"]').get_attribute("aria-colcount"))
    step = "ArrowRight"
    while True:
        if header.count() == 1:
            want = int(header.get_attribute("aria-colindex"))
            while col != want:
                col, at_row = _press(page, "ArrowRight" if col < want else "ArrowLeft")
            return _cell(grid, row, col)
        if step == "ArrowRight" and col >= columns:
            step = "ArrowLeft"
        elif step == "ArrowLeft" and col <= 1:
            raise AssertionError(f"no column {column!r} in the grid")
        col, at_row = _press(page, step)


def edit_cell(page, cell, value: str) -> None:
    """Type ``value`` into ``cell`` (under the cursor: ``grid_cell(..., cursor=True)``): Enter
    opens the cell's editor, the value is filled in, Enter commits it and Streamlit reruns."""
    assert cell.get_attribute("aria-readonly") == "false", "the cell is not editable"
    page.keyboard.press("Enter")
    editor = page.locator("#portal input, #portal textarea")
    editor.wait_for()
    editor.fill(value)
    rerun_after(page, lambda: page.keyboard.press("Enter"))


def select_row(page, grid, row: int) -> None:
    """Select data row ``row`` of a single-row-selection grid as a keyboard user does: walk
    the grid's cursor to the row (``grid_cell``) and press Shift+Space (Glide's "select
    row"); Streamlit reruns with the selection."""
    grid_cell(page, grid, row, _first_header(grid), cursor=True)
    # a focused cell is not yet Glide's selected cell: one step there and back makes it so
    _press(page, "ArrowRight")
    _press(page, "ArrowLeft")
    rerun_after(page, lambda: page.keyboard.press("Shift+Space"))


def _first_header(grid) -> str:
    """The first named column (the row-marker column has no name)."""
    names = [t.strip() for t in grid.locator('[role="columnheader"]').all_text_contents()]
    return next(n for n in names if n)


# --- Plotly charts ------------------------------------------------------------------------
# A bar is found by its data, not by where it is drawn: the chart's own figure
# (``gd.data``, the Plotly graph div) tells which trace and point carry the wanted
# ``customdata``, and the SVG shape of that point is ``g.trace.bars`` (in trace order) >
# ``g.point`` (in point order) > ``path`` (the point's group also holds its text label, which
# may lie outside the bar).
_FIND_POINT = """(gd, want) => {
  const key = JSON.stringify(want);
  for (const [t, trace] of gd.data.entries()) {
    const i = (trace.customdata || []).findIndex(c => JSON.stringify(c) === key);
    if (i >= 0) return [t, i];
  }
  return null;
}"""


def chart(page, title: str):
    """The Plotly chart whose title contains ``title`` (exactly one)."""
    found = page.locator('[data-testid="stPlotlyChart"]').filter(has_text=title)
    assert found.count() == 1, f"{found.count()} charts titled {title!r}"
    return found


def bar(page, title: str, customdata):
    """The SVG element of the bar whose ``customdata`` is ``customdata`` in chart ``title``."""
    plot = chart(page, title)
    plot.scroll_into_view_if_needed()
    where = plot.locator(".js-plotly-plot").evaluate(_FIND_POINT, customdata)
    assert where, f"no bar with customdata {customdata!r} in {title!r}"
    trace, index = where
    return plot.locator("g.trace.bars").nth(trace).locator("g.point").nth(index).locator("path").first


def click_bar(page, title: str, customdata) -> None:
    """Click the bar of ``customdata`` (Playwright aims at the element itself; ``force``
    because Plotly's drag layer lies on top and is what takes the click) and wait for the
    rerun the selection causes."""
    target = bar(page, title, customdata)
    rerun_after(page, lambda: target.click(force=True))


def trace_names(page, title: str) -> list[str]:
    """The names of the traces of chart ``title``, from its figure."""
    return chart(page, title).locator(".js-plotly-plot").evaluate("(gd) => gd.data.map(t => t.name || '')")


def login(page, login: str, password: str) -> None:
    """Log in with the sidebar's login box (local accounts) and wait for the rerun."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    rerun_after(page, sidebar.get_by_role("button", name="Đăng nhập", exact=True).click)
    sidebar.get_by_label("Tên đăng nhập", exact=True).fill(login)
    sidebar.get_by_label("Mật khẩu", exact=True).fill(password)
    rerun_after(page, sidebar.get_by_role("button", name="Đăng nhập", exact=True).click)


def pick_in_cell(page, grid, row: int, column: str, option: str) -> None:
    """Choose ``option`` in the drop-down cell (``SelectboxColumn``) of ``column`` in data row
    ``row`` of an editable ``grid``: walk the cursor there (``grid_cell``), Enter opens the
    cell's list, the option is typed to filter it and Enter picks it; Streamlit reruns."""
    cell = grid_cell(page, grid, row, column, cursor=True)
    assert cell.get_attribute("aria-readonly") == "false", "the cell is not editable"
    page.keyboard.press("Enter")
    page.locator('#portal input[role="combobox"]').wait_for()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).wait_for()
    rerun_after(page, lambda: page.keyboard.press("Enter"))
