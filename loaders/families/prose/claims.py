"""One generic reader of counted results in prose ("claims"), driven by reviewed data only:
the indicator phrases of ``data/catalogue/indicators.csv`` and the nouns and words of
``data/catalogue/unit_nouns.csv`` / ``claim_words.csv`` (:mod:`loaders.families.prose.claim_words`). It
knows no document: the report and narrative parsers only cut their text into
:class:`Paragraph` objects and give the period the document covers.

What a claim is (all matching on :func:`loaders.text.catalogue.normalize_text`):

* a number and the noun that follows it: "kiểm định 5.759 phương tiện đo", "06 hồ sơ",
  "23 tin, bài", "2.506 (PTĐ)", "74.000.000đ" (money, in đồng), "47,8%", a ratio "07/08 đơn
  vị" (value 7, note "07/08 (87,5%)"), a zero in words "không nhận được đơn thư";
* its indicator: among the catalogue phrases around it (not crossing another number, a ";"
  or a sentence end), a phrase that contains the number beats one that contains its noun,
  which beats one elsewhere in the clause; then a phrase whose indicator is counted in the
  same noun (or the same class of noun), then the longest. Coordinated counts ("05 UBND
  huyện, 04 sở và 02 công ty đề xuất") share one clause. With no phrase in the clause, the
  sentence and then the paragraph are searched, for an indicator of the same class of noun;
* breakdowns: a parenthesised list right after the noun ("222 mẫu (143 mẫu dây điện, …)"),
  or further on in the clause before any other figure when every part counts the same noun
  ("03 dự án thuộc Chương trình … (02 dự án …, 01 dự án …)"); a part without a noun counts
  in its whole's ("12 nhiệm vụ (10 cấp tỉnh, 2 cấp cơ sở)"), a part in another noun is
  labelled with it ("1.830 đồng hồ nước" of "phương tiện đo"), and amounts keep the label
  printed before them ("46.800.000 đồng (phí thẩm định 38.400.000 đồng, …)");
  parts after a breakdown word in the clause ("trong đó đạt 2.506 (PTĐ) và ko đạt 53"), a
  list of items after a paragraph ending in "trong đó:" / "cụ thể:" (an item is a part when
  it reads "label: number" or counts the same noun; "+" items are parts of the "-" item
  above), and ratios whose denominator is an earlier count ("07/08 đơn vị" of "08 đơn
  vị"). One part after "trong đó" is an "of which" subset (``partial``, its own unit);
  several parts are a full breakdown (the whole's unit, checked to add up);
* shares: a percentage after "chiếm" is the share of the count before it (checked);
* periods: :func:`loaders.families.prose.claim_records.period_of_paragraph` (cut-offs, a year or quarter named in the paragraph);
  a part has the period of its whole.

What is not a claim, silently: dates, years, document numbers ("Thông tư số 15/2018"),
durations and sizes (``ignore`` nouns), sizes/targets/rules before the number ("quy mô",
"tiến tới", "tối đa"), figures repeated from above ("3 dự án trên"), a percentage restating a
ratio, a figure in a clause that states a target ("Phấn đấu … đạt 80%"). Reported as a
warning with its line: a number followed by a word that is not a known noun, a count whose
indicator no phrase names, a percentage with no indicator, a planned amount ("tổng mức đầu
tư 10.000,0 triệu đồng"), breakdowns that do not add up, shares that do not match their
counts, and lists whose item count differs from the count announcing them.

Modules: :mod:`loaders.families.prose.paragraphs` (text, lines, normal form), :mod:`loaders.families.prose.quantities`
(numbers and nouns), this module (indicators and breakdowns), :mod:`loaders.families.prose.claim_records`
(periods, :class:`~loaders.model.IndicatorActual` records, checks of breakdowns and shares).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Sequence

from loaders.families.prose.claim_words import ClaimWords, default_claim_words
from loaders.families.prose.paragraphs import BULLET_RE, NormalText, Paragraph
from loaders.families.prose.quantities import (
    Quantity,
    ends_with,
    find_quantities,
    pct,
    vn_number,
)
from loaders.model import ParseIssue
from loaders.text.catalogue import CatalogueEntry, default_catalogue


@dataclass
class Claim:
    """A result read from the text, before it becomes an :class:`IndicatorActual`."""

    paragraph: Paragraph
    quantity: Quantity
    offset: int  # in the paragraph's printed text
    value: float
    unit: str | None
    code: str | None
    name: str
    note: str | None = None
    field: str | None = None
    label: str | None = None
    parent: Claim | None = None
    partial: bool = False
    notes: list[str] = dc_field(default_factory=list)
    order: tuple[int, int] = (0, 0)

    @property
    def line(self) -> int:
        return self.paragraph.line_at(self.offset)

    @property
    def sentence(self) -> str:
        return self.paragraph.sentence_at(self.offset)


@dataclass(frozen=True)
class _PhraseHit:
    entry: CatalogueEntry
    start: int
    end: int


def _phrase_hits(t: NormalText, entries: Sequence[CatalogueEntry]) -> list[_PhraseHit]:
    hits = []
    for entry in entries:
        for p in entry.patterns:
            for m in p.finditer(t.s):
                if m.end() > m.start():
                    hits.append(_PhraseHit(entry, m.start(), m.end()))
    return hits


def _kind_fits(q: Quantity, entry: CatalogueEntry) -> bool:
    if q.kind == "percent":
        return entry.unit == "%"
    if q.kind == "money":
        return entry.unit == "đồng"
    return entry.unit not in ("%", "đồng")


def _agreement(q: Quantity, entry: CatalogueEntry, words: ClaimWords) -> int:
    if q.unit and entry.unit.lower() == q.unit.lower():
        return 2
    if q.noun_class and words.unit_class(entry.unit) == q.noun_class:
        return 1
    return 0


def _choose(q: Quantity, hits: list[_PhraseHit], lo: int, hi: int, others: list[Quantity], words: ClaimWords,
            tiers: tuple[int, ...] = (0, 1, 2), min_agree: int = 0) -> CatalogueEntry | None:
    best = None
    for h in hits:
        if not _kind_fits(q, h.entry):
            continue
        if any(o is not q and h.start <= o.a < h.end for o in others):
            continue  # the phrase belongs to another number
        if h.start <= q.a and q.b <= h.end:
            tier = 0
        elif q.na < q.nb and h.start < q.nb and h.end > q.na:
            tier = 1
        elif lo <= h.start and h.end <= hi:
            tier = 2
        else:
            continue
        if tier not in tiers:
            continue
        agree = _agreement(q, h.entry, words)
        if agree < min_agree:
            continue
        distance = min(abs(h.start - q.a), abs(h.end - q.b))
        key = (tier == 0, agree, -tier, h.end - h.start, -distance)
        if best is None or key > best[0]:
            best = (key, h.entry)
    return best[1] if best else None


def _window(t: NormalText, q: Quantity, qs: list[Quantity]) -> tuple[int, int]:
    lo, hi = t.clause(q.a)
    k = qs.index(q)
    if k > 0:
        lo = max(lo, qs[k - 1].nb)
    if k + 1 < len(qs):
        nxt = qs[k + 1]
        hi = min(hi, nxt.a)
        paren = t.paren_of(nxt.a)
        if paren and paren[0] >= q.nb:
            hi = min(hi, paren[0])
    own = t.paren_of(q.a)
    if own:
        lo, hi = max(lo, own[0] + 1), min(hi, own[1])
    return lo, hi


def _groups(t: NormalText, qs: list[Quantity]) -> dict[int, list[Quantity]]:
    """Coordinated counts ("05 UBND huyện, 04 sở và 02 công ty"): id → its group."""
    groups: dict[int, list[Quantity]] = {}
    current = [qs[0]] if qs else []
    for prev, q in zip(qs, qs[1:]):
        gap = t.s[prev.nb:q.a]
        if prev.kind in ("count", "zero") and q.kind == "count" and re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", gap):
            current.append(q)
        else:
            for x in current:
                groups[id(x)] = current
            current = [q]
    for x in current:
        groups[id(x)] = current
    return groups


def indicator_of(t: NormalText, q: Quantity, qs: list[Quantity], hits: list[_PhraseHit], words: ClaimWords,
                 groups: dict[int, list[Quantity]]) -> CatalogueEntry | None:
    """The catalogue entry naming ``q`` (rules in the module docstring), or ``None``."""
    group = groups.get(id(q), [q])
    lo = _window(t, group[0], qs)[0]
    hi = _window(t, group[-1], qs)[1]
    entry = _choose(q, hits, lo, hi, qs, words)
    if entry is None and q.kind == "money":
        # an amount in đồng agrees with every money measure: only its own clause may name it
        # ("dự toán được giao là 37.355,0 triệu đồng; … đã giải ngân 11.538,6 triệu đồng": the
        # first is no disbursement)
        return None
    if entry is None:
        slo, shi = t.sentence(q.a)
        entry = _choose(q, hits, slo, shi, qs, words, tiers=(2,), min_agree=1)
    if entry is None:
        entry = _choose(q, hits, 0, len(t.s) + 1, qs, words, tiers=(2,), min_agree=1)
    return entry


# ----------------------------------------------------------------------------- extraction


def _label_case(label: str) -> str:
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


def _clean_label(text: str) -> str:
    """A label as printed, trimmed; "Long name (Short name)" gives the short name."""
    s = " ".join(text.split()).strip(" ,;:.-–+")
    short = re.search(r"\(([^()]{3,60})\)$", s)
    if short and len(s) > 80:
        return short.group(1).strip()
    if s.count("(") < s.count(")") and s.endswith(")"):
        s = s[:-1]
    if s.count("(") > s.count(")") and s.startswith("("):
        s = s[1:]
    return s.strip(" ,;:.-–+")


class _Extractor:
    def __init__(self, paragraphs: Sequence[Paragraph], entries: Sequence[CatalogueEntry], words: ClaimWords):
        self.paragraphs = list(paragraphs)
        self.entries = entries
        self.by_code = {e.code: e for e in entries}
        self.words = words
        self.claims: list[Claim] = []
        self.issues: list[ParseIssue] = []
        self.texts: dict[int, NormalText] = {}
        self.quantities: dict[int, list[Quantity]] = {}
        self.claim_of: dict[int, Claim] = {}  # id(quantity) -> claim
        self.entry_of: dict[int, CatalogueEntry | None] = {}
        self.labels: dict[int, str] = {}  # id(quantity) -> label of its list item
        self.hits: dict[int, list[_PhraseHit]] = {}  # paragraph index -> catalogue phrases found

    # -- per paragraph
    def scan(self) -> None:
        for k, para in enumerate(self.paragraphs):
            if para.kind != "item":
                continue
            t = NormalText(para)
            self.texts[k] = t
            qs, problems = find_quantities(t, self.words)
            self.quantities[k] = qs
            for pos, message, _kind in problems:
                off = t.orig_offset(pos)
                self.issues.append(ParseIssue(para.line_at(off), message, text=para.sentence_at(off)))
            hits = self.hits[k] = _phrase_hits(t, self.entries)
            groups = _groups(t, qs)
            for q in qs:
                self.entry_of[id(q)] = indicator_of(t, q, qs, hits, self.words, groups)

    def claim(self, k: int, q: Quantity) -> Claim:
        if id(q) in self.claim_of:
            return self.claim_of[id(q)]
        para, t = self.paragraphs[k], self.texts[k]
        entry = self.entry_of.get(id(q))
        off = t.orig_offset(q.a)
        c = Claim(para, q, off, q.value, q.unit, entry.code if entry else None, entry.name_vn if entry else "",
                  field=entry.field if entry else None, order=(k, off))
        if q.kind == "ratio":
            share = 100 * q.value / q.of if q.of else 0
            c.notes.append(f"{t.printed(q.a, q.b)} ({pct(share)})")
        if q.approx:
            c.notes.append(f"{q.approx} {t.printed(q.a, q.b)}")
        if q.kind == "zero":
            c.notes.append(q.zero)
        self.claim_of[id(q)] = c
        return c

    def make_part(self, whole: Claim, k: int, q: Quantity, label: str | None, partial: bool,
                  segment_end: int | None = None) -> None:
        """Make ``q`` a part of ``whole``. The part keeps an indicator of its own only when a
        phrase names its number or noun, or lies in its own segment (from its number to
        ``segment_end``, the next part or the clause end): "trong đó 04 cơ sở vi phạm"."""
        part = self.claim(k, q)
        t = self.texts[k]
        if segment_end is None:
            segment_end = t.clause(q.a)[1]
        own = _choose(q, self.hits[k], q.a, segment_end, self.quantities[k], self.words)
        if own is not None and own.code == whole.code:
            own = None
        part.parent, part.partial = whole, partial
        if own is not None:
            part.code, part.name, part.field = own.code, own.name_vn, own.field
        else:
            part.code, part.field = whole.code, whole.field
            part.name = f"{whole.name} – {_label_case(label)}" if label else whole.name
            if label and label.lower().startswith("lĩnh vực "):
                part.field = label[len("lĩnh vực "):].strip()
        part.label = label
        if not partial:
            if q.unit and whole.unit and q.unit != whole.unit and q.kind != "ratio":
                part.notes.append(t.printed(q.a, q.nb))
            part.unit = whole.unit
        elif part.unit is None:
            part.unit = whole.unit

    # -- breakdowns inside one paragraph
    def inline_parts(self, k: int) -> None:
        t, qs = self.texts[k], [q for q in self.quantities[k] if q.kind != "percent"]
        words = self.words
        for n, q in enumerate(qs):  # "222 mẫu (143 mẫu dây điện, …)"
            if q.kind not in ("count", "zero", "money"):
                continue
            paren = self._parenthesised_parts(t, q, qs[n + 1] if n + 1 < len(qs) else None)
            if paren is None:
                continue
            inside = [p for p in qs if paren[0] < p.a < paren[1] and t.paren_of(p.a) == paren]
            adjacent = re.match(r"\s*(?:các loại\s*)?\(", t.s[q.nb:]) is not None
            opener = words.roles["breakdown"]
            if not inside or any(p.kind == "money" and q.kind != "money" for p in inside) or (
                    not adjacent and not all(p.kind == "bare" or p.unit == q.unit for p in inside)) or (
                    not adjacent and opener is not None and opener.match(t.s[paren[0] + 1:].lstrip())):
                continue  # "(trong đó: 13 văn bản …)" further on: read by the breakdown word below
            whole = self.claim(k, q)
            # the label of each part is printed after its number ("4.215 công tơ điện") or,
            # when words open the brackets, before it ("phí thẩm định 38.400.000 đồng")
            before = bool(_clean_label(t.printed(paren[0] + 1, inside[0].a)))
            for j, p in enumerate(inside):
                end = inside[j + 1].a if j + 1 < len(inside) else paren[1]
                start = inside[j - 1].nb if j else paren[0] + 1
                if before:
                    label = _clean_label(t.printed(start, p.a))
                elif p.na < p.nb and p.noun_row != q.noun_row:
                    label = _clean_label(t.printed(p.na, end))  # "1.830 đồng hồ nước" of "phương tiện đo"
                else:
                    label = _clean_label(t.printed(p.nb, end))
                self.make_part(whole, k, p, label or None, partial=False,
                               segment_end=p.nb if before else end)
        if words.roles["breakdown"] is None:
            return
        for bm in words.roles["breakdown"].finditer(t.s):
            rest = t.s[bm.end():].strip()
            if rest in (":", ""):
                continue  # a list follows in the next paragraphs
            sent = t.sentence(bm.start())
            paren = t.paren_of(bm.start())
            limit = paren[0] if paren else bm.start()
            before = [q for q in qs if sent[0] <= q.a and q.nb <= limit and q.kind in ("count", "zero", "ratio")]
            if not before:
                continue
            whole_q = before[-1]
            end = paren[1] if paren else t.clause(bm.start())[1]
            parts = [q for q in qs if bm.end() <= q.a < end and id(q) not in self.claim_of
                     and q.kind in ("count", "zero", "ratio", "bare")]
            if not parts:
                continue
            whole = self.claim(k, whole_q)
            partial = len(parts) == 1
            for j, p in enumerate(parts):
                stop = parts[j + 1].a if j + 1 < len(parts) else end
                tail = re.split(r"\s(?:và|,)\s|[,;.)]", t.printed(p.nb, stop), maxsplit=1)[0]
                label = _clean_label(t.printed(p.na, p.nb) + " " + tail) if p.na < p.nb else None
                self.make_part(whole, k, p, label, partial=partial, segment_end=stop)

    # -- lists of items below a paragraph ending in "trong đó:"
    def lists(self) -> None:
        words = self.words
        for k in sorted(self.texts):
            t = self.texts[k]
            intro = ends_with(words.roles["breakdown"], t.s.rstrip(" :") + " ", 0)
            if not t.s.rstrip().endswith(":") or intro is None:
                continue
            qs = [q for q in self.quantities[k] if q.kind in ("count", "ratio", "zero")]
            if not qs:
                continue
            whole = self.claim(k, qs[-1])
            intro_level = self.paragraphs[k].level
            items: list[tuple[int, int]] = []  # (paragraph index, level)
            j = k + 1
            while j < len(self.paragraphs) and j in self.texts:
                para = self.paragraphs[j]
                label = self._label(j)
                if para.level > intro_level or (label is not None and intro_level == 0):
                    items.append((j, para.level if para.level > intro_level else intro_level + 1))
                    j += 1
                    continue
                break
            parts_made = 0
            last_at_level: dict[int, Claim] = {}
            top = min((lv for _, lv in items), default=0)
            for j, lv in items:
                first = next((q for q in self.quantities[j] if q.kind != "percent"), None)
                label = self._label(j)
                if first is None or id(first) in self.claim_of and self.claim_of[id(first)].parent is not None:
                    continue
                if label is None and not (first.unit and first.unit == whole.unit):
                    continue
                parent = whole
                if lv > top:
                    parent = last_at_level.get(lv - 1) or last_at_level.get(top) or whole
                self.make_part(parent, j, first, label, partial=False, segment_end=len(self.texts[j].s) + 1)
                for q in self.quantities[j]:
                    self.labels[id(q)] = label or ""
                last_at_level[lv] = self.claim(j, first)
                for deeper in [x for x in last_at_level if x > lv]:
                    del last_at_level[deeper]
                parts_made += 1
            first_level = [j for j, lv in items if lv == top]
            if not parts_made and first_level and len(first_level) != whole.value:
                para = self.paragraphs[k]
                self.issues.append(ParseIssue(
                    whole.line,
                    f"{whole.name or 'số liệu'}: in {vn_number(whole.value)} {whole.unit or ''} nhưng liệt kê "
                    f"{len(first_level)} mục",
                    text=para.sentence_at(whole.offset)))

    @staticmethod
    def _parenthesised_parts(t: NormalText, q: Quantity, nxt: Quantity | None) -> tuple[int, int] | None:
        """The brackets holding the parts of ``q``: right after its noun ("222 mẫu (…)"), or
        later in its clause before any other figure ("03 dự án thuộc Chương trình … (02 dự án
        …, 01 dự án …)"; then every part must count the same noun)."""
        clause_end = t.clause(q.a)[1]
        for m in re.finditer(r"\(", t.s[q.nb:clause_end]):
            pos = q.nb + m.end()
            if nxt is not None and nxt.a < pos:
                return None
            paren = t.paren_of(pos)
            if paren is not None and paren[0] == pos - 1:
                return paren
        return None

    def _label(self, j: int) -> str | None:
        """"Label: 04 dự án" → "Label" when the item's first number follows its colon."""
        t = self.texts.get(j)
        if t is None:
            return None
        first = next((q for q in self.quantities[j] if q.kind != "percent"), None)
        if first is None:
            return None
        head = t.s[:first.a].rstrip()
        if not head.endswith(":"):
            return None
        label = _clean_label(BULLET_RE.sub("", t.printed(0, len(head) - 1)))
        return label or None

    def ratios(self) -> None:
        """"07/08 đơn vị" is a part of an earlier "08 đơn vị" of the same paragraph or heading."""
        by_whole: dict[int, list[Claim]] = defaultdict(list)
        for k in sorted(self.texts):
            for q in self.quantities[k]:
                if q.kind != "ratio" or (id(q) in self.claim_of and self.claim_of[id(q)].parent is not None):
                    continue
                whole = None
                for j in range(k, -1, -1):
                    if j not in self.texts or self.paragraphs[j].heading != self.paragraphs[k].heading:
                        continue
                    for w in reversed(self.quantities[j]):
                        if (j == k and w.a >= q.a) or w is q or w.kind not in ("count",):
                            continue
                        if w.value == q.of and (q.unit is None or w.unit == q.unit):
                            whole = (j, w)
                            break
                    if whole:
                        break
                if whole:
                    self.make_part(self.claim(*whole), k, q, None, partial=False)
                    by_whole[id(self.claim(*whole))].append(self.claim(k, q))
        # "05/06 đơn vị đã nộp" alone is an "of which" subset; "07/08 … 01/08" a full breakdown
        for parts in by_whole.values():
            whole = parts[0].parent
            if sum(p.value for p in parts) != whole.value:
                for p in parts:
                    p.partial = True
                    p.unit = p.quantity.unit or whole.unit

    def _unnamed(self, k: int, q: Quantity, what: str) -> None:
        """Warn that the number ``q`` of paragraph ``k`` (``what``: and its parts) names no indicator."""
        t, para = self.texts[k], self.paragraphs[k]
        off = t.orig_offset(q.a)
        self.issues.append(ParseIssue(
            para.line_at(off),
            f"số {t.printed(q.a, q.b)} ({t.printed(q.na, q.nb) or 'không có danh từ'}){what} chưa được đọc thành "
            "chỉ số: không có cụm từ nào của danh mục chỉ tiêu", text=para.sentence_at(off)))

    def finish(self) -> None:
        """Make claims of every remaining quantity; report those no phrase names."""
        for k in sorted(self.texts):
            t = self.texts[k]
            for q in self.quantities[k]:
                c = self.claim_of.get(id(q))
                entry = self.entry_of.get(id(q))
                if c is None:
                    if q.kind == "bare":
                        if q.pending:  # a labelled number in brackets that no breakdown took
                            off = t.orig_offset(q.a)
                            self.issues.append(ParseIssue(self.paragraphs[k].line_at(off), q.pending,
                                                          text=self.paragraphs[k].sentence_at(off)))
                        continue  # a number alone is read only as a part of a list
                    if entry is None:
                        if q.kind == "zero":
                            continue
                        self._unnamed(k, q, "")
                        continue
                    c = self.claim(k, q)
                if not c.code and not c.name:
                    # a count with parts whose indicator no phrase names: said once, never stored nameless
                    if c.parent is None:
                        self._unnamed(k, q, " và các phần của nó")
                    continue
                if c.parent is not None and not c.parent.code and not c.parent.name:
                    continue  # a part of a count no phrase names (said with its whole)
                label = self.labels.get(id(q))
                if label and c.parent is None and c.name and " – " not in c.name:
                    c.name = f"{c.name} – {_label_case(label)}"
                    if label.lower().startswith("lĩnh vực "):
                        c.field = label[len("lĩnh vực "):].strip()
                if q.share_of is not None and id(q.share_of) in self.claim_of:
                    c.label = self.claim_of[id(q.share_of)].label
                c.note = "; ".join(n for n in c.notes if n) or None
                self.claims.append(c)
        self.claims.sort(key=lambda c: c.order)


def extract_claims(
    paragraphs: Sequence[Paragraph],
    entries: Sequence[CatalogueEntry] | None = None,
    words: ClaimWords | None = None,
) -> tuple[list[Claim], list[ParseIssue]]:
    """Read every claim of the ``paragraphs`` (only ``kind == "item"``; rules in the module
    docstring). Returns the claims in document order and the warnings (numbers not read,
    planned amounts, lists whose count differs from their items). Breakdown sums and shares
    are checked by :func:`check_breakdowns` and :func:`check_shares` on the records. Never
    raises on content. ``entries`` / ``words`` default to the files in ``data/catalogue``.
    """
    ex = _Extractor(paragraphs, entries if entries is not None else default_catalogue(),
                    words if words is not None else default_claim_words())
    ex.scan()
    ex.lists()
    for k in sorted(ex.texts):
        ex.inline_parts(k)
    ex.ratios()
    ex.finish()
    return ex.claims, ex.issues
