"""A scanned PDF (an image, no text layer) is refused with a clear message — and promptly:
the inflation check of its streams (``loaders.tables.files.pdf.check_streams``) once looped
forever on an image stream that inflates past one step (1 MB) and is followed by more of the
file (zlib keeps the rest as ``unconsumed_tail`` after the end of the stream)."""
import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from loaders.documents import DocumentError, ManifestEntry, read_document

ROOT = Path(__file__).resolve().parents[1]


def _scan(tmp_path: Path) -> Path:
    picture = tmp_path / "trang.png"
    Image.new("RGB", (800, 1000), "white").save(picture)  # 2.4 MB of pixels, a few KB compressed
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(picture), x=10, y=10, w=180)
    path = tmp_path / "du_toan_quet.pdf"
    pdf.output(str(path))
    return path


def test_the_stream_check_of_a_scan_ends(tmp_path):
    path = _scan(tmp_path)
    # its own process, so that a loop is a failed test (the time limit), not a hung suite
    run = subprocess.run([sys.executable, "-c", "import sys; from loaders.tables.files.pdf import check_streams; "
                          "check_streams(sys.argv[1], 100)", str(path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-1000:]


def test_a_scan_is_refused_naming_the_file(tmp_path):
    path = _scan(tmp_path)
    with pytest.raises(DocumentError) as err:
        read_document(path, ManifestEntry(file=path.name, province="Hà Nam", fiscal_years=[2025], kind="budget_appendices"))
    assert err.value.file == "du_toan_quet.pdf" and "không có lớp chữ" in str(err.value)
