"""A whole filter run, batch by batch (the ``duiqi filter`` command): scoring and filtering each batch
(:func:`duiqi.score.filters.filter_pairs`) with one duplicate memory across batches and one report
(:class:`duiqi.score.report.ReportBuilder`) for all of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from duiqi.embed.base import Encoder
from duiqi.records import Pair
from duiqi.score.dedup import Deduplicator
from duiqi.score.filters import FilterConfig, FilterOutcome, filter_pairs
from duiqi.score.model import QualityModel, default_model
from duiqi.score.report import ReportBuilder


class FilterRun:
    """Scoring + filtering for a whole run, batch by batch: one duplicate memory, one report.

    >>> run = FilterRun(FilterConfig(min_quality=0.6), encoder=None)   # doctest: +SKIP
    >>> kept = run(pairs_of_doc_1).kept + run(pairs_of_doc_2).kept      # doctest: +SKIP
    >>> write_report(run.report(settings), "report.html")               # doctest: +SKIP

    The encoder is only used for pairs that carry no similarity (see :func:`filter_pairs`).
    """

    def __init__(
        self,
        config: FilterConfig | None = None,
        *,
        encoder: Encoder | None = None,
        model: QualityModel | None = None,
        rescore: bool = False,
    ) -> None:
        self.config = config or FilterConfig()
        self.encoder = encoder
        self.model = model or default_model()
        self.rescore = rescore
        self.dedup = Deduplicator(on=self.config.dedup_on) if self.config.dedup else None
        self.builder = ReportBuilder()

    def __call__(self, pairs: Iterable[Pair]) -> FilterOutcome:
        out = filter_pairs(pairs, self.config, encoder=self.encoder, dedup=self.dedup, model=self.model,
                           rescore=self.rescore)
        self.builder.add(out.kept, out.rejected)
        return out

    def settings(self) -> dict[str, Any]:
        """Filter thresholds and model name, for output signatures."""
        return {"quality_model": self.model.name, **self.config.to_settings()}

    def report(self, settings: dict[str, Any] | None = None, title: str = "duiqi filter report") -> dict[str, Any]:
        """The run's report so far (JSON-ready; :func:`duiqi.score.write_report` writes HTML or JSON)."""
        return self.builder.build(settings={**self.settings(), **(settings or {})}, title=title)
