"""Nhập dữ liệu (editors): upload a workbook, Word file, PDF or text; see what it gives before
anything is saved; save it through the one audited write path; download the data-entry
templates.

Flow: the file is kept under its SHA-256 (``ui.preview.stash``); its family and printed
metadata are found once (``loaders.sniff``); the form asks for what the document does not
print (province, year, kind), prefilled; the preview (``warehouse.store.preview``: parse,
reconcile, duplicate checks, nothing written, run inside ``loaders.mapping.inspect`` so the
money tables it planned come with it) is computed once per file, metadata and decisions and
kept in the session; "Lưu" calls ``warehouse.store.ingest`` with the logged-in actor (a
document whose totals disagree, or that shares a province-year-stage with one held, needs an
explicit confirmation). The same bytes uploaded again add nothing and say so.

When the parser is not sure (issue 14: the document is refused, read with warnings, or a money
table has doubts), the money tables are shown column by column with the guessed roles
(``ui.decisions``); the editor corrects them, the document is read again with the decisions
before anything is saved, and "Lưu" keeps them as a layout profile
(``loaders.mapping.save_decision``, audited) named in the document's manifest row.
"""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import unicodedata  # noqa: E402
from datetime import date  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

import streamlit as st  # noqa: E402

from charts import format as fmt  # noqa: E402
from loaders import mapping
from loaders.documents import DocumentError, Overrides
from loaders.tables.files.filecheck import MAX_FILE_BYTES
from loaders.tables.layouts import LayoutError
from loaders.sniff import sniff
from loaders.families.templates import KINDS, SPECS, build_template
from loaders.vocab import DocumentKind
from ui import auth, decisions as decide, preview  # noqa: E402
from ui.state import paths  # noqa: E402
from warehouse import isolate, store  # noqa: E402
from warehouse.load import province_codes  # noqa: E402
from warehouse.workbook import LABELS  # noqa: E402

auth.require("editor")
isolate.warm()  # the reading processes' server, started before the first upload needs it
st.title("Nhập dữ liệu")
raw, db = paths()
cache = st.session_state.setdefault("imports", {})  # sha256 -> what is known of that upload


def _plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c)).replace("Đ", "D")


PROVINCES = sorted(province_codes(), key=_plain)
KIND_LABELS = DocumentKind.labels()
MISMATCH = LABELS["status"]["mismatch"]

tab_upload, tab_templates = st.tabs(["Tải văn bản lên", "Mẫu nhập liệu Excel"])

with tab_templates:
    st.caption("Tải mẫu, điền số liệu (các ô có danh sách chọn), rồi tải lên ở thẻ bên cạnh. "
               "Mẫu có trang 'Hướng dẫn' và dấu phiên bản; đừng đổi tên các cột.")
    c1, c2 = st.columns([3, 1])
    kind = c1.selectbox("Loại mẫu", KINDS, format_func=lambda k: SPECS[k].title.capitalize(), key="template_kind")
    year = c2.number_input("Năm ghi sẵn", min_value=2000, max_value=2100, value=date.today().year, step=1,
                           key="template_year")
    st.download_button(
        "Tải mẫu Excel (.xlsx)",
        data=lambda: build_template(kind, year=int(year)),  # built when clicked, not on every run
        file_name=f"mau_{kind}_{int(year)}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="template_download",
    )

    # The public forms as a unit publishes them (Biểu 02, Biểu 03): read back by the disclosure
    # family like a form the unit made itself (loaders/families/templates/forms.py).
    from loaders.families.templates.forms import AMOUNT_UNITS, FORM_TITLES, PERIOD_LABELS, STAGES, build_form, file_name

    st.subheader("Biểu công khai ngân sách (Thông tư 61/2017, 90/2018)")
    st.caption("Biểu in sẵn các dòng chuẩn (phần I phí, lệ phí; phần II chi ngân sách nhà nước, gồm 2 Nghiên cứu khoa "
               "học và các dòng con). Đơn vị điền số của mình, để trống dòng không có, rồi tải lên ở thẻ bên cạnh với "
               "loại văn bản 'Công khai ngân sách'.")
    f1, f2, f3 = st.columns([3, 1, 2])
    form = f1.selectbox("Biểu", list(FORM_TITLES), format_func=FORM_TITLES.get, key="form_kind")
    form_year = f2.number_input("Năm", min_value=2000, max_value=2100, value=date.today().year, step=1, key="form_year")
    amount_unit = f3.selectbox("Đơn vị tính", list(AMOUNT_UNITS), format_func=lambda u: AMOUNT_UNITS[u][0], key="form_unit")
    options = {"amount_unit": amount_unit}
    if form == "bieu03":
        g1, g2, g3 = st.columns([2, 2, 2])
        options["period"] = g1.selectbox("Kỳ báo cáo", list(PERIOD_LABELS), format_func=PERIOD_LABELS.get, key="form_period")
        options["stage"] = g2.selectbox("Số liệu", list(STAGES), format_func=lambda s: s[:1].upper() + s[1:], key="form_stage")
        options["cumulative"] = g3.checkbox("Thêm cột lũy kế từ đầu năm", key="form_cumulative",
                                            disabled=options["period"] == "nam")
        options["cumulative"] = options["cumulative"] and options["period"] != "nam"
    st.download_button(
        "Tải biểu Excel (.xlsx)",
        data=lambda: build_form(form, int(form_year), **options),  # built when clicked
        file_name=file_name(form, int(form_year), options.get("period", "q1")),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="form_download",
    )

with tab_upload:
    # no type= filter: Streamlit would refuse other kinds in English; upload_problem says it in Vietnamese
    uploaded = st.file_uploader(
        f"Văn bản: {', '.join(preview.ACCEPTED.values())}; tối đa {preview.fmt_mb(MAX_FILE_BYTES)}",
        key="import_file",
    )
    if uploaded is None:
        st.caption("Chưa có tệp. Sau khi tải lên, trang cho xem các dòng đọc được, đối chiếu tổng cộng và mọi cảnh báo "
                   "trước khi lưu; chưa bấm 'Lưu' thì kho dữ liệu không thay đổi.")
        st.stop()

    problem = preview.upload_problem(uploaded.name, uploaded.size)
    if problem:
        st.error(problem)
        st.stop()
    path, sha = preview.stash(uploaded.name, uploaded.getvalue())
    entry = cache.setdefault(sha, {"previews": {}})
    st.caption(f"Tệp **{path.name}** · {uploaded.size:,} byte · SHA-256 `{sha}`".replace(",", "."))
    if entry.get("saved"):
        preview.discard(path)  # saved: the private copy is no longer needed
        (st.success if entry["saved"].startswith("Đã lưu") else st.info)(entry["saved"])
        st.stop()
    held = store.loaded_hashes(db)
    if sha in held:
        preview.discard(path)
        st.info(f"Tệp này đã có trong kho dữ liệu (lưu với tên {held[sha]}): tải lên lại không thêm gì.")
        st.stop()

    if "sniffed" not in entry:
        with st.status("Đang đọc văn bản…", expanded=True) as status:
            try:  # with the parse limits; each page (sheet, step) moves the bar
                entry["sniffed"] = isolate.run(sniff, (path, PROVINCES), path.name,
                                               on_progress=preview.progress_listener(status))
            except DocumentError as exc:
                entry["sniffed"], entry["error"] = None, str(exc)
                status.update(label="Không đọc được tệp", state="error", expanded=False)
            else:
                status.update(label="Đã đọc văn bản", state="complete", expanded=False)
    if entry["sniffed"] is None:
        st.error(f"Không đọc được tệp, kho dữ liệu không thay đổi: {entry['error']}")
        st.stop()
    found = entry["sniffed"]
    if found.family is None:
        if "bare" not in entry:  # an unknown layout: are there tables whose columns the editor can name?
            entry["bare"] = bool(mapping.inspect(path).tables)
        if not entry["bare"]:
            st.error(f"{path.name}: không nhận ra bố cục văn bản (không thuộc loại văn bản nào ứng dụng đọc được). "
                     "Kho dữ liệu không thay đổi.")
            st.stop()
        st.warning(f"{path.name}: không nhận ra loại văn bản. Hãy chọn tỉnh, năm và loại, rồi cho biết các cột của bảng "
                   "số tiền ở phần 'Cột của bảng số tiền': trang đọc lại văn bản theo lựa chọn của bạn.")
    else:
        st.markdown(f"**Loại văn bản:** {found.label}" + (f" · số hiệu {found.number}" if found.number else "")
                    + (f" · {found.title}" if found.title else ""))

    st.subheader("Thông tin văn bản không in ra")
    c1, c2, c3 = st.columns([2, 1, 2])
    province = c1.selectbox("Tỉnh", PROVINCES, index=PROVINCES.index(found.province) if found.province in PROVINCES else None,
                            placeholder="Chọn tỉnh", key=f"province_{sha}",
                            help="Gợi ý từ tiêu đề văn bản nếu có; hãy kiểm tra." if found.province else None)
    year = c2.number_input("Năm ngân sách", min_value=2000, max_value=2100, value=found.years[0] if found.years else None,
                           step=1, placeholder="Nhập năm", key=f"year_{sha}")
    kinds = list(KIND_LABELS)
    doc_kind = c3.selectbox("Loại", kinds, index=kinds.index(found.kind) if found.kind in kinds else None,
                            format_func=KIND_LABELS.get, placeholder="Chọn loại", key=f"kind_{sha}")
    if found.years and len(found.years) > 1:
        st.caption(f"Văn bản in các năm {', '.join(map(str, found.years))}; giữ năm đầu để đọc đúng từng bảng.")
    if not province or not year or not doc_kind:
        st.info("Chọn tỉnh, năm và loại văn bản để xem trước.")
        st.stop()
    overrides = Overrides(province, None if int(year) in found.years else int(year),
                          None if doc_kind == found.kind else doc_kind)
    key = (province, overrides.year, overrides.kind)

    def duplicate(exc: store.DuplicateDocument) -> None:
        if all(c.kind == "content" for c in exc.conflicts):
            st.info(f"Nội dung văn bản này đã có trong kho ({exc.conflicts[0].other}): tải lên lại không thêm gì.")
        else:
            st.error(f"Không lưu: {exc}. Kho dữ liệu không thay đổi.")
        st.stop()

    guessed = decide.reading(entry["previews"], key, path, overrides, [], db, raw)  # cached per file, metadata, decisions
    if isinstance(guessed.error, store.DuplicateDocument):
        duplicate(guessed.error)
    chosen, ask = [], decide.needed(guessed)
    if ask == "ask" or ask == "offer" and st.toggle(
            "Sửa cách đọc các cột của bảng số tiền", key=f"decide_{sha}",
            help="Văn bản đọc được nhưng có cảnh báo: nếu một cột bị đọc sai (số tiền, giai đoạn, kỳ, nguồn, đơn vị "
                 "tính), bật để sửa; tắt để bỏ các lựa chọn."):
        st.subheader("Cột của bảng số tiền")
        st.caption("Kiểm tra vai trò từng cột (cột nào là số tiền, giai đoạn, kỳ, nguồn) và đơn vị tính; sửa ở các ô có "
                   "danh sách chọn. Mỗi lần sửa, văn bản được đọc lại và phần xem trước bên dưới thay đổi theo; chưa bấm "
                   "'Lưu' thì chưa có gì được ghi.")
        chosen = decide.decide(sha, guessed.tables)
    shown = decide.reading(entry["previews"], key, path, overrides, chosen, db, raw) if chosen else guessed
    decide.outcome(shown, chosen)
    if isinstance(shown.error, store.DuplicateDocument):
        duplicate(shown.error)
    if shown.error is not None:
        exc = shown.error
        st.error(f"Không đọc được văn bản, kho dữ liệu không thay đổi: {exc}")
        if exc.issues:
            st.dataframe(preview.issues_frame(exc.issues, found.where), hide_index=True, width="stretch")
        st.stop()

    result = shown.result
    st.subheader("Xem trước")
    frames = preview.record_frames(result, found.where)
    counts = " · ".join(f"{len(df)} {preview.RECORD_LABELS[k].lower()}" for k, df in frames.items())
    mismatches = [t for t in result.totals if t.status == "mismatch"]
    overlaps = [i for i in result.issues if i.message.startswith("Trùng phạm vi")]
    st.markdown(f"Đọc được **{counts or 'không có dòng nào'}**; "
                + (f"**{sum(t.status == 'match' for t in result.totals)}/{len(result.totals)}** tổng cộng khớp; "
                   if result.totals else "không có tổng cộng in; ")
                + f"**{len(result.issues)}** cảnh báo.")
    leaves = [b for b in result.budget_lines if not b.is_subtotal and b.amount_vnd is not None and b.direction == "expenditure"]
    if leaves:
        st.caption(f"Tổng chi các dòng chi tiết: **{fmt.vnd(sum(b.amount_vnd for b in leaves))}** "
                   f"(năm {', '.join(map(str, result.meta.fiscal_years))}, {province}).")
    for kind, df in frames.items():
        with st.expander(f"{preview.RECORD_LABELS[kind]} ({len(df)})", expanded=kind == next(iter(frames))):
            st.dataframe(df, hide_index=True, width="stretch", column_config=preview.amount_columns(df), placeholder="—")

    st.markdown("**Đối chiếu tổng cộng**")
    if not result.totals:
        st.caption("Văn bản không in tổng cộng nào để đối chiếu.")
    else:
        if mismatches:
            st.error(f"{len(mismatches)} tổng cộng KHÔNG khớp với các dòng chi tiết (tô đỏ bên dưới).")
        totals = preview.totals_frame(result, found.where)
        st.dataframe(preview.highlight_mismatches(totals, MISMATCH), hide_index=True, width="stretch",
                     column_config=preview.amount_columns(totals), placeholder="—")
    st.markdown(f"**Cảnh báo khi đọc ({len(result.issues)})**")
    if result.issues:
        st.dataframe(preview.issues_frame(result.issues, found.where), hide_index=True, width="stretch")
    else:
        st.caption("Không có cảnh báo.")

    confirm_mismatch = confirm_overlap = True
    if mismatches:
        confirm_mismatch = st.checkbox(f"Tôi đã kiểm tra: lưu dù {len(mismatches)} tổng cộng không khớp "
                                       "(các trang sẽ hiện rõ chỗ không khớp)", key=f"accept_mismatch_{sha}")
    if overlaps:
        confirm_overlap = st.checkbox("Tôi đã kiểm tra: lưu dù trùng tỉnh, năm, giai đoạn với văn bản đã có "
                                      "(số liệu có thể bị cộng hai lần)", key=f"allow_overlap_{sha}")
    names, bad_name = [], None
    if chosen:
        st.markdown("**Lưu cách đọc cột thành mẫu bố cục**")
        name = st.text_input("Tên mẫu bố cục", value=decide.profile_name(path.name), key=f"profile_name_{sha}",
                             help="Chữ thường không dấu, số và dấu '-'. Mẫu được lưu trong data/profiles/layouts/ "
                                  "và dùng cho các văn bản sau có cùng tiêu đề bảng.")
        bad_name = decide.check_name(name.strip(), chosen)
        if bad_name:
            st.error(bad_name)
        else:
            names = decide.profile_names(name.strip(), len(chosen))
            st.caption(f"Khi lưu: cách đọc cột ở trên thành mẫu bố cục **{', '.join(names)}** (người lưu "
                       f"{auth.actor().name}, văn bản {path.name}); văn bản được lưu kèm tên mẫu này.")
    if st.button("Lưu vào kho dữ liệu", type="primary", disabled=not (confirm_mismatch and confirm_overlap) or bool(bad_name),
                 key=f"save_{sha}"):
        with st.status("Đang lưu: chép tệp vào thư mục văn bản, ghi kho dữ liệu mới rồi đổi chỗ…", expanded=False) as status:
            saved = []
            try:
                if chosen:
                    saved = decide.save_profiles(chosen, names[0], auth.actor().name, path.name)
                report = store.ingest(path, db, raw, Overrides(overrides.province, overrides.year, overrides.kind,
                                                               ",".join(names) or None),
                                      actor=auth.actor(), parsed=result, allow_overlap=bool(overlaps),
                                      accept_mismatch=bool(mismatches), action="upload", wait=30)
            except store.LockBusy:
                decide.undo_profiles(saved)
                status.update(label="Chưa lưu", state="error")
                st.warning("Một người khác đang ghi kho dữ liệu; bấm 'Lưu' lại sau ít phút.")
            except (DocumentError, LayoutError, OSError) as exc:
                decide.undo_profiles(saved)
                status.update(label="Chưa lưu", state="error")
                st.error(f"Không lưu được, kho dữ liệu không thay đổi: {exc}")
            else:
                if report.documents:
                    decide.audit_profiles(auth.actor(), saved, path.name, sha)
                else:
                    decide.undo_profiles(saved)
                status.update(label="Đã lưu", state="complete")
                entry["saved"] = (
                    f"Đã lưu {path.name} (SHA-256 {sha[:12]}…): {report.budget_lines} dòng ngân sách, "
                    f"{report.indicators} chỉ tiêu, {report.actuals} số liệu thực hiện, {report.tasks} nhiệm vụ; "
                    f"{len(report.mismatches)} tổng cộng không khớp"
                    + (f"; cách đọc cột lưu thành mẫu bố cục {', '.join(names)}" if saved else "")
                    + ". Xem trên trang [Ngân sách]"
                    f"(/ngan-sach?{urlencode({'province': province, 'year': result.meta.fiscal_years[0]})})."
                    if report.documents else "Tệp này đã có trong kho dữ liệu: không thêm gì. " + "; ".join(report.skipped)
                ) + "".join(f" {r}" for r in report.recovered)
                st.rerun()  # show the outcome in place of the preview
