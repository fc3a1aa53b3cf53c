"""``ui.figures``: a chart read from the cache of plain dicts is the figure its builder makes
(same JSON sent to the browser), the builder runs once per distinct input, and a rerun does not
validate the figure again (issue 17)."""
import json

import pandas as pd
import plotly.io as pio
import pytest

from charts import budget
from ui import figures

SOURCES = pd.DataFrame({"funding_source": ["SNKH", "QLNN"], "amount_vnd": [1_250_000_000, 375_500_000]})


@pytest.fixture(autouse=True)
def _empty_cache():
    figures.spec.clear()
    yield
    figures.spec.clear()


def test_cached_figure_is_the_builders_figure():
    direct = budget.by_source(SOURCES, "Theo nguồn kinh phí (triệu đồng)")
    cached = figures.figure(budget.by_source, SOURCES, "Theo nguồn kinh phí (triệu đồng)")
    assert json.loads(pio.to_json(cached, validate=False)) == json.loads(pio.to_json(direct))
    assert list(cached.data[0].customdata) == ["QLNN", "SNKH"]  # the drill-down keys survive


def test_builder_runs_once_per_input(monkeypatch):
    calls = []
    real = budget.by_source

    def counting(df, title):
        calls.append(title)
        return real(df, title)

    monkeypatch.setattr(budget, "by_source", counting)
    counting.__module__, counting.__name__ = real.__module__, real.__name__  # found by name, as the page's builder
    for _ in range(3):
        figures.figure(counting, SOURCES, "A")
    figures.figure(counting, SOURCES.assign(amount_vnd=[1, 2]), "A")  # other data: built again
    figures.figure(counting, SOURCES, "B")
    assert calls == ["A", "A", "B"]


def test_rebuilt_figure_is_not_validated_again(monkeypatch):
    figures.figure(budget.by_source, SOURCES, "A")
    import plotly.basedatatypes as bdt

    def refuse(*a, **k):
        raise AssertionError("validated again")

    monkeypatch.setattr(bdt.BasePlotlyType, "_set_compound_prop", refuse, raising=True)
    monkeypatch.setattr(bdt.BasePlotlyType, "_set_prop", refuse, raising=True)
    fig = figures.figure(budget.by_source, SOURCES, "A")
    assert fig.layout.title.text == "A"


def test_a_builder_error_is_raised_and_not_cached():
    unknown = pd.DataFrame({"funding_source": ["KHONG_RO"], "amount_vnd": [1]})
    for _ in range(2):  # raised each time: an error is not kept as a figure
        with pytest.raises(ValueError, match="KHONG_RO"):
            figures.figure(budget.by_source, unknown, "A")
