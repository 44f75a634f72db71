"""A per-run report: what each filter removed, score histograms, length ratios, languages, flags.

:func:`build_report` (or :class:`ReportBuilder`, batch by batch) makes a JSON-ready dict; :func:`render_html` a self-contained page whose charts
are inline SVG drawn here (no scripts, no downloads); :func:`write_report` picks by extension.
"""

from __future__ import annotations

import html
import json
import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from duiqi import __version__
from duiqi.atomic import atomic_write
from duiqi.records import Pair
from duiqi.score.filters import FILTER_NAMES, Rejected
from duiqi.signature import settings_hash, signature
from duiqi.text.scripts import length_units

BINS = 20
MAX_POINTS = 1500
EXAMPLES_PER_FILTER = 3
KEPT_SAMPLE = 12


class ReportBuilder:
    """Accumulates a run's report batch by batch (memory stays bounded: counts, histograms,
    a reservoir sample of points, a few examples), for runs too large to hold in memory."""

    def __init__(self, seed: int = 0) -> None:
        self.totals = {"input": 0, "kept": 0, "rejected": 0}
        self.counts: Counter[str] = Counter()
        self.first: Counter[str] = Counter()
        self.hist = {
            "quality": {"kept": [0] * BINS, "rejected": [0] * BINS},
            "score": {"kept": [0] * 24, "rejected": [0] * 24},
            "ratio": {"kept": [0] * 16, "rejected": [0] * 16},
        }
        self.points: dict[str, list[dict[str, Any]]] = {"kept": [], "rejected": []}
        self._seen = {"kept": 0, "rejected": 0}
        self._rng = random.Random(seed)
        self.languages: Counter[str] = Counter()
        self.flags: Counter[str] = Counter()
        self.examples: dict[str, list[dict[str, Any]]] = {}
        self.quality_sum = 0.0
        self.quality_n = 0
        self.kept_sample: list[dict[str, Any]] = []
        """A uniform sample (reservoir) of kept pairs, for spot checks next to the rejected examples."""
        self._kept_rng = random.Random(seed + 1)

    def _add_pairs(self, label: str, pairs: Sequence[Pair]) -> None:
        h = self.hist
        _hist_add(h["quality"][label], [p.quality for p in pairs if p.quality is not None], 0.0, 1.0)
        _hist_add(h["score"][label], [p.score for p in pairs], -0.2, 1.0)
        ratios = []
        for p in pairs:
            su, tu = length_units(p.src), length_units(p.tgt)
            ratios.append(math.log(max(1, su) / max(1, tu)))
            self._seen[label] += 1
            pts = self.points[label]
            point = {"src": su, "tgt": tu, "set": label}
            if len(pts) < MAX_POINTS:
                pts.append(point)
            else:
                k = self._rng.randrange(self._seen[label])
                if k < MAX_POINTS:
                    pts[k] = point
            self.languages[f"{p.src_lang}-{p.tgt_lang}"] += 1
            self.flags.update(p.flags)
        _hist_add(h["ratio"][label], ratios, -2.0, 2.0)

    def add(self, kept: Sequence[Pair], rejected: Sequence[Rejected]) -> None:
        """Count one batch of filter output."""
        self.totals["input"] += len(kept) + len(rejected)
        self.totals["kept"] += len(kept)
        self.totals["rejected"] += len(rejected)
        for r in rejected:
            failed = r.filters
            self.counts.update(set(failed))
            if failed:
                self.first[failed[0]] += 1
                bucket = self.examples.setdefault(failed[0], [])
                if len(bucket) < EXAMPLES_PER_FILTER:
                    bucket.append({"src": r.pair.src[:300], "tgt": r.pair.tgt[:300], "reasons": list(r.reasons),
                                   "quality": r.pair.quality, "score": round(r.pair.score, 4)})
        seen = self._seen["kept"]
        self._add_pairs("kept", kept)
        self._add_pairs("rejected", [r.pair for r in rejected])
        for k, p in enumerate(kept, seen + 1):
            row = {"src": p.src[:300], "tgt": p.tgt[:300], "quality": p.quality, "score": round(p.score, 4),
                   "doc": p.doc}
            if len(self.kept_sample) < KEPT_SAMPLE:
                self.kept_sample.append(row)
            else:
                j = self._kept_rng.randrange(k)
                if j < KEPT_SAMPLE:
                    self.kept_sample[j] = row
        for p in kept:
            if p.quality is not None:
                self.quality_sum += p.quality
                self.quality_n += 1

    def build(self, *, settings: Mapping[str, Any] | None = None, title: str = "duiqi filter report",
              counts: Mapping[str, int] | None = None, first: Mapping[str, int] | None = None) -> dict[str, Any]:
        """The report as a JSON-ready dict (``counts``/``first`` override the counted ones)."""
        settings = dict(settings or {})
        counts = dict(self.counts) if counts is None else dict(counts)
        first = dict(self.first) if first is None else dict(first)
        names: list[str] = list(FILTER_NAMES)  # every filter, so the ones that removed nothing show too
        names += sorted(n for n in set(counts) | set(first) if n not in FILTER_NAMES)
        h = self.hist
        points = self.points["kept"] + self.points["rejected"]
        return {
            "title": title,
            "signature": signature(settings),
            "settings": settings,
            "totals": dict(self.totals),
            "filters": [{"name": n, "failed": int(counts.get(n, 0)), "first": int(first.get(n, 0))} for n in names],
            "quality_hist": {"lo": 0.0, "hi": 1.0, **{k: list(v) for k, v in h["quality"].items()}},
            "score_hist": {"lo": -0.2, "hi": 1.0, **{k: list(v) for k, v in h["score"].items()}},
            "ratio_hist": {"lo": -2.0, "hi": 2.0, **{k: list(v) for k, v in h["ratio"].items()}},
            "length_points": points,
            "languages": dict(self.languages.most_common()),
            "flags": dict(self.flags.most_common()),
            "mean_quality_kept": round(self.quality_sum / self.quality_n, 4) if self.quality_n else None,
            "examples": self.examples,
            "kept_examples": list(self.kept_sample),
        }


def _hist_add(out: list[int], values: Sequence[float | None], lo: float, hi: float) -> None:
    bins = len(out)
    width = (hi - lo) / bins
    for v in values:
        if v is None or not math.isfinite(v):
            continue
        out[min(bins - 1, max(0, int((v - lo) / width)))] += 1


def build_report(
    kept: Sequence[Pair],
    rejected: Sequence[Rejected],
    *,
    settings: Mapping[str, Any] | None = None,
    counts: Mapping[str, int] | None = None,
    first: Mapping[str, int] | None = None,
    title: str = "duiqi filter report",
) -> dict[str, Any]:
    """Summary of one run as a JSON-ready dict (see :class:`ReportBuilder` for batch-wise runs)."""
    builder = ReportBuilder()
    builder.add(kept, rejected)
    return builder.build(settings=settings, title=title, counts=counts, first=first)


# --- SVG ----------------------------------------------------------------------------------------

KEPT_COLOUR = "#2a9d8f"
REJ_COLOUR = "#e76f51"
BAR_COLOUR = "#457b9d"
_FONT = "font-family='system-ui, sans-serif' font-size='11'"


def _esc(s: Any) -> str:
    return html.escape(str(s), quote=True)


def svg_bars(items: Sequence[tuple[str, int]], *, title: str, colour: str = BAR_COLOUR, width: int = 540) -> str:
    """Horizontal bar chart, one labelled bar per item."""
    row, left, right = 22, 130, 60
    h = 30 + row * max(1, len(items))
    top = max([v for _, v in items] + [1])
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' role='img' width='{width}' height='{h}' "
             f"viewBox='0 0 {width} {h}'><title>{_esc(title)}</title>"]
    parts.append(f"<text x='4' y='16' {_FONT} font-weight='bold'>{_esc(title)}</text>")
    for i, (label, v) in enumerate(items):
        y = 26 + i * row
        w = (width - left - right) * v / top
        parts.append(f"<text x='{left - 6}' y='{y + 13}' text-anchor='end' {_FONT}>{_esc(label)}</text>")
        parts.append(f"<rect class='bar' x='{left}' y='{y}' width='{w:.1f}' height='{row - 6}' fill='{colour}'>"
                     f"<title>{_esc(label)}: {v}</title></rect>")
        parts.append(f"<text x='{left + w + 4:.1f}' y='{y + 13}' {_FONT}>{v}</text>")
    if not items:
        parts.append(f"<text x='{left}' y='40' {_FONT} fill='#777'>nothing to show</text>")
    parts.append("</svg>")
    return "".join(parts)


def svg_histogram(
    series: Mapping[str, Sequence[int]], lo: float, hi: float, *, title: str, xlabel: str,
    colours: Mapping[str, str] | None = None, width: int = 540, height: int = 220, mark: float | None = None,
) -> str:
    """Stacked vertical histogram of equal-width bins from ``lo`` to ``hi``."""
    colours = colours or {"kept": KEPT_COLOUR, "rejected": REJ_COLOUR}
    names = list(series)
    bins = len(next(iter(series.values()))) if series else 0
    left, bottom, top_pad = 40, 36, 28
    pw, ph = width - left - 10, height - bottom - top_pad
    totals = [sum(series[n][k] for n in names) for k in range(bins)]
    top = max([*totals, 1])
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' role='img' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}'><title>{_esc(title)}</title>",
             f"<text x='4' y='16' {_FONT} font-weight='bold'>{_esc(title)}</text>"]
    y0 = top_pad + ph
    parts.append(f"<line x1='{left}' y1='{y0}' x2='{left + pw}' y2='{y0}' stroke='#333'/>")
    parts.append(f"<line x1='{left}' y1='{top_pad}' x2='{left}' y2='{y0}' stroke='#333'/>")
    parts.append(f"<text x='{left - 4}' y='{top_pad + 8}' text-anchor='end' {_FONT}>{top}</text>")
    parts.append(f"<text x='{left - 4}' y='{y0}' text-anchor='end' {_FONT}>0</text>")
    bw = pw / max(1, bins)
    for k in range(bins):
        y = float(y0)
        for n in names:
            v = series[n][k]
            if not v:
                continue
            bh = ph * v / top
            y -= bh
            a, b = lo + (hi - lo) * k / bins, lo + (hi - lo) * (k + 1) / bins
            parts.append(f"<rect class='bar' x='{left + k * bw + 1:.1f}' y='{y:.1f}' width='{bw - 2:.1f}' "
                         f"height='{bh:.1f}' fill='{colours.get(n, BAR_COLOUR)}'>"
                         f"<title>{_esc(n)} {a:.2f}–{b:.2f}: {v}</title></rect>")
    step = next((s for s in (4, 5, 2) if bins % s == 0 and bins // s <= 8), max(1, bins // 5))
    for k in range(0, bins + 1, step):
        x = left + k * bw
        parts.append(f"<text x='{x:.1f}' y='{y0 + 14}' text-anchor='middle' {_FONT}>"
                     f"{round(lo + (hi - lo) * k / bins, 6) + 0.0:g}</text>")
    if mark is not None and lo <= mark <= hi:
        x = left + pw * (mark - lo) / (hi - lo)
        parts.append(f"<line x1='{x:.1f}' y1='{top_pad}' x2='{x:.1f}' y2='{y0}' stroke='#222' stroke-dasharray='4 3'/>")
    parts.append(f"<text x='{left + pw / 2:.1f}' y='{height - 4}' text-anchor='middle' {_FONT}>{_esc(xlabel)}</text>")
    lx = left + pw - 150
    for i, n in enumerate(names):
        parts.append(f"<rect x='{lx + i * 75}' y='6' width='10' height='10' fill='{colours.get(n, BAR_COLOUR)}'/>"
                     f"<text x='{lx + i * 75 + 14}' y='15' {_FONT}>{_esc(n)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def svg_scatter(points: Sequence[Mapping[str, Any]], *, title: str, xlabel: str, ylabel: str,
                width: int = 540, height: int = 300) -> str:
    """Length of each side (log-log) for kept and rejected pairs."""
    left, bottom, top_pad = 44, 36, 28
    pw, ph = width - left - 10, height - bottom - top_pad
    mx = 1.05 * max([math.log10(1 + max(p["src"], p["tgt"])) for p in points] + [1.0])
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' role='img' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}'><title>{_esc(title)}</title>",
             f"<text x='4' y='16' {_FONT} font-weight='bold'>{_esc(title)}</text>"]
    y0 = top_pad + ph
    parts.append(f"<rect x='{left}' y='{top_pad}' width='{pw}' height='{ph}' fill='none' stroke='#333'/>")
    parts.append(f"<line x1='{left}' y1='{y0}' x2='{left + pw}' y2='{top_pad}' stroke='#bbb' stroke-dasharray='3 3'/>")
    for p in points:
        x = left + pw * math.log10(1 + p["src"]) / mx
        y = y0 - ph * math.log10(1 + p["tgt"]) / mx
        c = KEPT_COLOUR if p["set"] == "kept" else REJ_COLOUR
        parts.append(f"<circle class='pt' cx='{x:.1f}' cy='{y:.1f}' r='2.2' fill='{c}' fill-opacity='0.6'/>")
    for v in (1, 10, 100, 1000):
        if math.log10(1 + v) <= mx:
            x = left + pw * math.log10(1 + v) / mx
            y = y0 - ph * math.log10(1 + v) / mx
            parts.append(f"<text x='{x:.1f}' y='{y0 + 14}' text-anchor='middle' {_FONT}>{v}</text>")
            parts.append(f"<text x='{left - 4}' y='{y + 4:.1f}' text-anchor='end' {_FONT}>{v}</text>")
    parts.append(f"<text x='{left + pw / 2:.1f}' y='{height - 4}' text-anchor='middle' {_FONT}>{_esc(xlabel)}</text>")
    parts.append(f"<text x='12' y='{top_pad + ph / 2:.1f}' transform='rotate(-90 12 {top_pad + ph / 2:.1f})' "
                 f"text-anchor='middle' {_FONT}>{_esc(ylabel)}</text>")
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px;margin-bottom:4px} h2{font-size:16px;margin-top:28px}
.sig{font-family:monospace;font-size:11px;color:#666;word-break:break-all}
.sig summary{cursor:pointer}
.pair-samples{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
.cards{display:flex;gap:12px;margin:12px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 16px;min-width:110px}
.card b{display:block;font-size:22px}
.grid{display:flex;flex-wrap:wrap;gap:18px} figure{margin:0}
table{border-collapse:collapse;font-size:12px} td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
.reason{color:#b23a1e}
"""


def render_html(report: Mapping[str, Any]) -> str:
    """A self-contained HTML page (inline SVG charts, no scripts, no external resources)."""
    t = report["totals"]
    filt = report["filters"]
    q, s, r = report["quality_hist"], report["score_hist"], report["ratio_hist"]
    threshold = report.get("settings", {}).get("filter.min_quality")
    charts = [
        svg_bars([(f["name"], f["failed"]) for f in filt], title="pairs failing each filter", colour=REJ_COLOUR),
        svg_histogram({"kept": q["kept"], "rejected": q["rejected"]}, q["lo"], q["hi"],
                      title="quality (calibrated probability)", xlabel="quality",
                      mark=threshold if isinstance(threshold, int | float) else None),
        svg_histogram({"kept": s["kept"], "rejected": s["rejected"]}, s["lo"], s["hi"],
                      title="alignment similarity", xlabel="cosine similarity"),
        svg_histogram({"kept": r["kept"], "rejected": r["rejected"]}, r["lo"], r["hi"],
                      title="length ratio", xlabel="log(source units / target units)"),
        svg_scatter(report["length_points"], title="lengths (units, log scale)",
                    xlabel="source length", ylabel="target length"),
        svg_bars(list(report["languages"].items()), title="language pairs"),
        svg_bars(list(report["flags"].items())[:15], title="flags"),
    ]
    rows = "".join(
        f"<tr><td>{_esc(f['name'])}</td><td>{f['failed']}</td><td>{f['first']}</td></tr>" for f in filt
    )
    kept_rows = "".join(
        f"<tr><td>{_esc(e['src'])}</td><td>{_esc(e['tgt'])}</td><td>{_quality_cell(e.get('quality'))}</td></tr>"
        for e in report.get("kept_examples", [])
    )
    ex_rows = []
    for name, items in report.get("examples", {}).items():
        for e in items:
            reasons = "<br>".join(f"<span class='reason'>{_esc(x)}</span>" for x in e["reasons"])
            ex_rows.append(f"<tr><td>{_esc(name)}</td><td>{_esc(e['src'])}</td><td>{_esc(e['tgt'])}</td>"
                           f"<td>{reasons}</td></tr>")
    settings = "".join(f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in report.get("settings", {}).items())
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_esc(report['title'])}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_esc(report['title'])}</h1>{_signature_html(report)}"
        "<div class='cards'>"
        f"<div class='card'>input<b id='n-input'>{t['input']}</b></div>"
        f"<div class='card'>kept<b id='n-kept'>{t['kept']}</b></div>"
        f"<div class='card'>rejected<b id='n-rejected'>{t['rejected']}</b></div>"
        f"<div class='card'>mean quality kept<b>{report.get('mean_quality_kept') or '–'}</b></div></div>"
        "<h2>Charts</h2><div class='grid'>" + "".join(f"<figure>{c}</figure>" for c in charts) + "</div>"
        "<h2>Filters</h2><table><tr><th>filter</th><th>failed</th><th>first reason</th></tr>"
        f"{rows}</table>"
        "<h2>Examples</h2><div class='pair-samples'>"
        "<section id='kept-sample'><h3>kept (a random sample)</h3>"
        "<table><tr><th>source</th><th>target</th><th>quality</th></tr>" + kept_rows + "</table></section>"
        "<section id='rejected-sample'><h3>rejected (first of each filter)</h3>"
        "<table><tr><th>filter</th><th>source</th><th>target</th><th>reasons</th></tr>"
        + "".join(ex_rows) + "</table></section></div>"
        f"<h2>Settings</h2><table>{settings}</table></body></html>"
    )


def _quality_cell(q: float | None) -> str:
    return "–" if q is None else f"{q:.2f}"


def short_signature(report: Mapping[str, Any]) -> str:
    """One short line: duiqi's version, the encoder, the quality model, the config file and a hash of
    every setting (the full signature is folded away under it)."""
    settings = report.get("settings") or {}
    parts = [f"duiqi {__version__}"]
    for key in ("encoder", "quality_model", "config"):
        if settings.get(key):
            parts.append(f"{key} {settings[key]}")
    parts.append(f"settings #{settings_hash(settings)}")
    return " · ".join(parts)


def _signature_html(report: Mapping[str, Any]) -> str:
    return (f"<details class='sig'><summary>{_esc(short_signature(report))}</summary>"
            f"<code>{_esc(report['signature'])}</code></details>")


def write_report(report: Mapping[str, Any], path: str) -> None:
    """``.html``/``.htm`` -> HTML page, anything else -> JSON (written atomically)."""
    with atomic_write(path) as fh:
        if path.lower().endswith((".html", ".htm")):
            fh.write(render_html(report))
        else:
            json.dump(report, fh, ensure_ascii=False, indent=1, default=str)
            fh.write("\n")
