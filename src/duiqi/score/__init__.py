"""Pair quality: a calibrated score, rule filters, duplicate removal and a per-run report.

- :func:`score_pairs` sets ``Pair.quality`` — the probability (0.5 = as likely a translation as not)
  from a small logistic model over the alignment similarity and cheap features (length ratio,
  numbers, Latin tokens, URLs, noise, copies, wrong language) and, when scoring whole documents with
  an encoder (``context=True``, what ``duiqi align`` does), the joined-text cosine and the pair's
  margin against its document's other sentences (:mod:`duiqi.score.context`, ``Pair.margin``);
  see ``benchmarks/fit_quality.py``.
- :func:`apply_filters` decides, with :class:`FilterConfig` (default quality threshold 0.7, chosen for
  precision; see ``filters.DEFAULT_MIN_QUALITY``): every rejected pair keeps its reasons.
  :func:`filter_pairs` scores what is missing then decides; :class:`FilterRun` does that batch by
  batch for a whole run (one duplicate memory, one report) — what ``duiqi align``/corpus runs plug in.
- :func:`boilerplate_kind` recognises boilerplate/navigation lines (subscription prompts, copyright,
  share buttons, menus; the ``boilerplate`` filter), reusable on any line of text.
- :class:`Deduplicator` drops exact and near duplicates across a whole run (8-byte hashes).
- :func:`build_report` / :func:`render_html` summarise a run as JSON and as an HTML page with charts.
"""

from duiqi.score.boilerplate import boilerplate_kind, is_boilerplate, pair_boilerplate
from duiqi.score.dedup import Deduplicator, dedup_key
from duiqi.score.features import FEATURE_NAMES, PairFeatures, measure
from duiqi.score.filterrun import FilterRun
from duiqi.score.filters import FilterConfig, FilterOutcome, Rejected, apply_filters, filter_pairs
from duiqi.score.model import QualityModel, default_model, load_model
from duiqi.score.report import ReportBuilder, build_report, render_html, write_report
from duiqi.score.scoring import fill_similarity, needs_similarity, quality_scores, score_pairs

__all__ = [
    "FEATURE_NAMES",
    "Deduplicator",
    "FilterConfig",
    "FilterOutcome",
    "FilterRun",
    "PairFeatures",
    "QualityModel",
    "Rejected",
    "ReportBuilder",
    "apply_filters",
    "boilerplate_kind",
    "build_report",
    "dedup_key",
    "default_model",
    "fill_similarity",
    "filter_pairs",
    "is_boilerplate",
    "load_model",
    "measure",
    "needs_similarity",
    "pair_boilerplate",
    "quality_scores",
    "render_html",
    "score_pairs",
    "write_report",
]
