"""How long the upload page (Nhập dữ liệu) takes to preview a 9-page text PDF (issue 18, item 9).

    .venv/bin/python -m benchmarks.preview [--pages 9] [--repeat 3] [--profile]

A PDF of ``--pages`` pages is written with fpdf2 (``tests/docgen.py``: the quarterly report
``data/raw/002_…txt``, one paragraph per line, as long as it takes to fill the pages; text
only, no ruled table). The warehouse of ``data/raw`` is built in a temporary folder by a
separate process (``python -m warehouse build``), so this process starts as a server whose
warehouse is already there: nothing of the reading machinery is warm. Then, with Streamlit's
AppTest, an editor opens the page and uploads the PDF; the province, year and kind are
prefilled from the document, so the one run after the upload reads the file (family and
metadata, ``loaders.sniff``), reads it again with the metadata (``warehouse.store.preview``:
parse, reconcile, duplicate checks) and shows the preview. That run is timed: the first one
("cold": the reading processes' server starts), then ``--repeat`` more, each in a new session
(nothing cached in the session; a comment after the PDF's end makes each file new to
the readers too, so no run reuses another's reading). Each reading in a child process (``warehouse.isolate.run``)
is timed too. Prints the times with the load average of the machine before and after (two
cores shared with other work make the figures vary; nothing is asserted).

``--profile`` also prints the functions that take the most time when the same steps run in
this process (cProfile, cumulative), e.g. the PDF reader.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

SOURCE = ROOT / "data" / "raw" / "002_f08a4011d44ed5e3.txt"
PAGE = str(ROOT / "pages" / "nhap-du-lieu.py")
EDITOR = "bench-editor"


def loadavg() -> str:
    """The first three fields of ``/proc/loadavg`` ("" where there is none)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return ""


def write_pdf(out: Path, pages: int) -> Path:
    """A text PDF of exactly ``pages`` pages: the first lines of :data:`SOURCE`, as many as fit.
    Raises ``ValueError`` when the source is too short."""
    import pdfplumber
    from docgen import text_blocks
    from docgen import write_pdf as docgen_pdf

    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    lo, hi = 1, len(lines)

    def count(n: int) -> int:
        docgen_pdf(text_blocks(lines[:n]), out)
        with pdfplumber.open(out) as pdf:
            return len(pdf.pages)

    if count(hi) < pages:
        raise ValueError(f"{SOURCE.name} fills fewer than {pages} pages")
    while lo < hi:  # the most lines that still fit in ``pages`` pages
        mid = (lo + hi + 1) // 2
        if count(mid) <= pages:
            lo = mid
        else:
            hi = mid - 1
    count(lo)
    return out


def _timed_children() -> list[tuple[str, float]]:
    """Time every ``warehouse.isolate.run`` (the readings in child processes)."""
    from warehouse import isolate

    seen: list[tuple[str, float]] = []
    real = isolate.run

    def run(func, args, file_name, bounds=None, **kwargs):
        t0 = time.perf_counter()
        try:
            return real(func, args, file_name, bounds, **kwargs)
        finally:
            seen.append((f"{func.__module__}.{func.__name__}", time.perf_counter() - t0))

    isolate.run = run
    return seen


def page_runs(pdf: Path, repeat: int, pause: float = 0.0) -> list[dict]:
    """The upload run of the page, cold then ``repeat`` times warm (new sessions); ``pause``:
    seconds between opening the page and choosing the file (a person takes a few)."""
    from streamlit.testing.v1 import AppTest

    from warehouse import users

    children = _timed_children()
    out = []
    for n in range(1 + repeat):
        # new bytes each run (a comment after %%EOF), so no run finds the file read before
        data = pdf.read_bytes() + f"% run {n}\n".encode()
        sha = hashlib.sha256(data).hexdigest()
        at = AppTest.from_file(PAGE, default_timeout=300)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = EDITOR
        at.session_state["session_version"] = users.current_session(EDITOR)
        at.run()
        time.sleep(pause)
        children.clear()
        t0 = time.perf_counter()
        at.file_uploader(key="import_file").set_value((pdf.name, data, "application/pdf")).run()
        seconds = time.perf_counter() - t0
        if at.exception:
            raise RuntimeError(at.exception)
        shown = [s.value for s in at.subheader]
        if "Xem trước" not in shown:
            raise RuntimeError(f"no preview: {[e.value for e in at.error]} {[e.value for e in at.info]}")
        assert at.selectbox(key=f"province_{sha}").value  # prefilled from the document
        out.append({"run": "cold" if n == 0 else f"warm {n}", "seconds": seconds, "children": list(children)})
    return out


def profile(pdf: Path, top: int = 25) -> str:
    """cProfile of the page's readings done in this process (sniff, then the preview's
    parse with its checks), the ``top`` functions by cumulative time."""
    from loaders.documents import Overrides
    from loaders.sniff import sniff
    from warehouse.store import _read_checked

    prof = cProfile.Profile()
    prof.enable()
    found = sniff(pdf, ["Sơn La"])
    _read_checked(pdf, None, Overrides(found.province or "Sơn La"))
    prof.disable()
    buf = __import__("io").StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs after the cold one")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the readings")
    parser.add_argument("--pause", type=float, default=0.0,
                        help="seconds between opening the page and uploading (default 0: at once)")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="skhcn-bench-preview-"))
    os.environ.update(SKHCN_USERS=str(base / "users.yaml"), SKHCN_ENTRIES=str(base / "entries.sqlite"),
                      SKHCN_RAW=str(base / "raw"), SKHCN_DB=str(base / "w.duckdb"), SKHCN_LAYOUTS=str(base / "layouts"))
    subprocess.run([sys.executable, "-c", "import shutil, sys; shutil.copytree(sys.argv[1], sys.argv[2])",
                    str(ROOT / "data" / "raw"), str(base / "raw")], check=True)
    subprocess.run([sys.executable, "-m", "warehouse", "build", "--raw", str(base / "raw"), "--db", str(base / "w.duckdb")],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    from warehouse import users

    users.ensure()
    users.add_user(EDITOR, "Biên tập thử", "editor", password="mat-khau-do-thoi-gian")
    pdf = write_pdf(base / f"bao-cao-{args.pages}-trang.pdf", args.pages)
    before = loadavg()
    runs = page_runs(pdf, args.repeat, args.pause)
    after = loadavg()
    print(f"{pdf.name}: {args.pages} pages, {pdf.stat().st_size:,} bytes; upload {args.pause:g} s after opening the page; "
          f"load average before {before}, after {after}")
    for r in runs:
        parts = ", ".join(f"{name.rsplit('.', 1)[-1]} {s:.2f} s" for name, s in r["children"])
        print(f"  {r['run']:>7}: preview shown after {r['seconds']:.2f} s  (child readings: {parts})")
    if args.profile:
        print(profile(pdf))
    return runs


if __name__ == "__main__":
    main()
