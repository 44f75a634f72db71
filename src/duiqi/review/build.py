"""Making a review project: align the inputs as ``duiqi align`` does, or read pairs already aligned."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from duiqi.align.config import AlignConfig
from duiqi.align.core import align_documents, detect_lang, split_text
from duiqi.align.evaluate import read_beads
from duiqi.embed.base import Encoder
from duiqi.errors import InputError
from duiqi.io.decode import read_text
from duiqi.lang import LanguagePair
from duiqi.pipeline import Pipeline, PipelineConfig
from duiqi.records import EN, ZH, Document, Pair, Sentence
from duiqi.review.project import Project, from_pairs
from duiqi.segment import detect_language
from duiqi.steps import DocumentEmbeddings, ScoreStep, finish


def _score(pairs: list[Pair], encoder: Encoder) -> list[Pair]:
    """The sentence aligner's pairs through the pipeline's score step (``encoder``: the document's view)."""
    return finish(pairs, ScoreStep(), None, encoder).pairs


def _side(sents: tuple[Sentence, ...], lang: str) -> dict[int, str]:
    return {s.index: s.text for s in sents if s.lang == lang}


def _settings(encoder: Encoder, config: AlignConfig, mode: str) -> dict[str, Any]:
    """The sentence aligner's signature fields (the document modes sign ``Pipeline.settings()``)."""
    settings: dict[str, Any] = {"encoder": encoder.name, "mode": mode, **config.settings()}
    settings.pop("align.aux_weight", None)

    settings.update(ScoreStep().settings())
    return settings


def project_from_mixed(doc: Document, *, encoder: Encoder, config: AlignConfig,
                       src_lang: str | None = None, tgt_lang: str | None = None) -> Project:
    """One mixed bilingual document: the document pipeline (as ``duiqi align DOC``) on it."""
    try:
        pair = LanguagePair.from_options(src_lang, tgt_lang)
        s_lang, t_lang = pair.src, pair.tgt
        cfg = PipelineConfig(encoder=encoder.name, align=config, pair=pair)
    except ValueError as exc:
        raise InputError(doc.source or doc.id, f"one-document mode: {exc}") from None
    pipe = Pipeline(cfg, encoder=encoder)
    outcome = pipe.run(doc)  # scored by the pipeline
    assert outcome.state is not None
    prep = outcome.state.prepared[0]
    pairs = outcome.pairs
    return from_pairs(pairs, _side(prep.sentences, s_lang), _side(prep.sentences, t_lang), src_lang=s_lang,
                      tgt_lang=t_lang, doc=doc.id, inputs=[doc.source or doc.id],
                      settings=pipe.settings())


def project_from_pair(src_doc: Document, tgt_doc: Document, *, encoder: Encoder, config: AlignConfig,
                      src_lang: str | None = None, tgt_lang: str | None = None,
                      pre_split: bool = False) -> Project:
    """A document and its translation, aligned as ``duiqi align SRC TGT`` aligns them."""
    def guess(text: str) -> str | None:
        lang, _ = detect_language(text[:20000])
        return lang if lang in (ZH, EN) else None

    s_lang = src_lang or guess(src_doc.text)
    t_lang = tgt_lang or guess(tgt_doc.text)
    inputs = [src_doc.source or src_doc.id, tgt_doc.source or tgt_doc.id]
    if not pre_split and s_lang and t_lang and {s_lang, t_lang} == {ZH, EN}:
        pipe = Pipeline(PipelineConfig(encoder=encoder.name, align=config, src_lang=s_lang, tgt_lang=t_lang),
                        encoder=encoder)
        outcome = pipe.run_pair(src_doc, tgt_doc)  # scored by the pipeline
        assert outcome.state is not None
        src_prep, tgt_prep = outcome.state.prepared
        pairs = outcome.pairs
        return from_pairs(pairs, _side(src_prep.sentences, s_lang), _side(tgt_prep.sentences, t_lang),
                          src_lang=s_lang, tgt_lang=t_lang, doc=src_doc.id, inputs=inputs,
                          settings=pipe.settings())

    view = DocumentEmbeddings(encoder)  # the document's embeddings, handed on to the score step
    pairs = align_documents(src_doc.text, tgt_doc.text, src_lang=src_lang, tgt_lang=tgt_lang, pre_split=pre_split,
                            encoder=view, config=config, doc=src_doc.id)
    s_guess = src_lang or detect_lang(src_doc.text.splitlines())
    t_guess = tgt_lang or detect_lang(tgt_doc.text.splitlines())
    src = dict(enumerate(split_text(src_doc.text, s_guess, pre_split)))
    tgt = dict(enumerate(split_text(tgt_doc.text, t_guess, pre_split)))
    pairs = _score(pairs, view)
    settings = _settings(encoder, config, "parallel")
    settings["pre_split"] = pre_split
    return from_pairs(pairs, src, tgt, src_lang=s_guess, tgt_lang=t_guess, doc=src_doc.id, inputs=inputs,
                      settings=settings)


def project_from_beads(src_path: str, tgt_path: str, beads_path: str, *,
                       src_lang: str | None = None, tgt_lang: str | None = None) -> Project:
    """Pre-split sentence files (one sentence a line) and a bead file (``[0,1]:[2]`` a line)."""
    texts = []
    for path in (src_path, tgt_path):
        if not os.path.isfile(path):
            raise InputError(path, "no such file")
        texts.append(split_text(read_text(path).text, "", pre_split=True))
    src, tgt = texts
    beads = read_beads(beads_path)
    for b in beads:
        for side, ids, n, path in (("source", b.src_ids, len(src), src_path), ("target", b.tgt_ids, len(tgt), tgt_path)):
            bad = [i for i in ids if not 0 <= i < n]
            if bad:
                raise InputError(beads_path, f"{side} sentence id {bad[0]} out of range ({path} has {n} lines)")
    pairs = [Pair("", "", "", "", b.score, src_ids=b.src_ids, tgt_ids=b.tgt_ids) for b in beads]
    return from_pairs(pairs, dict(enumerate(src)), dict(enumerate(tgt)),
                      src_lang=src_lang or detect_lang(src), tgt_lang=tgt_lang or detect_lang(tgt),
                      doc=os.path.basename(src_path), inputs=[src_path, tgt_path, beads_path],
                      settings={"mode": "beads"})


def project_from_jsonl(path: str) -> Project:
    """A JSONL file of pairs (e.g. ``duiqi align -o pairs.jsonl``): no re-alignment.

    Sentence ids are kept when every multi-sentence side splits back into as many sentences as it has
    ids; otherwise each side of each pair is numbered anew (one unit per pair side).
    """
    pairs: list[Pair] = []
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                if not isinstance(rec, Mapping):
                    raise TypeError("not an object")
                pairs.append(Pair.from_dict(rec))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(path, f"line {lineno}: not a pair record ({exc})") from None
    if not pairs:
        raise InputError(path, "holds no pairs")
    docs = {p.doc for p in pairs}
    if len(docs) > 1:
        raise InputError(path, f"holds pairs of {len(docs)} documents; review one document at a time")
    src_lang = next((p.src_lang for p in pairs if p.src_lang), ZH)
    tgt_lang = next((p.tgt_lang for p in pairs if p.tgt_lang), EN)

    def sides(keep_ids: bool) -> tuple[dict[int, str], dict[int, str], list[Pair]] | None:
        src: dict[int, str] = {}
        tgt: dict[int, str] = {}
        out = []
        for p in pairs:
            ids_pair: list[tuple[int, ...]] = []
            for text, ids, lang, table in ((p.src, p.src_ids, src_lang, src), (p.tgt, p.tgt_ids, tgt_lang, tgt)):
                if not text.strip():
                    ids_pair.append(())
                    continue
                if keep_ids:
                    pieces = [text] if len(ids) == 1 else split_text(text, lang, False)
                    if len(pieces) != len(ids) or any(i in table for i in ids):
                        return None
                    table.update(zip(ids, pieces, strict=True))
                    ids_pair.append(tuple(ids))
                else:
                    k = len(table)
                    table[k] = text
                    ids_pair.append((k,))
            out.append(Pair("", "", src_lang, tgt_lang, p.score, src_ids=ids_pair[0], tgt_ids=ids_pair[1],
                            quality=p.quality))
        return src, tgt, out

    made = sides(True) or sides(False)
    assert made is not None
    src, tgt, rebuilt = made
    return from_pairs(rebuilt, src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, doc=pairs[0].doc or path,
                      inputs=[path], settings={"mode": "pairs"})
