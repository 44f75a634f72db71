"""Two documents: the backbone of in-order matches, moved sections, noise off the order (issue 11, de-fr slice)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duiqi.align.blockmatch import BlockMatch
from duiqi.align.mixed import _chain, monotone_sections


def m(src: tuple[int, ...], tgt: tuple[int, ...]) -> BlockMatch:
    return BlockMatch(src, tgt, 0.5, 0.6)


def test_chain_is_the_heaviest_run_in_order() -> None:
    ordered = [m((0,), (0,)), m((1,), (5,)), m((2,), (1,)), m((3,), (2,)), m((4,), (6,))]
    assert _chain(ordered, [2, 2, 2, 2, 2]) == {0, 2, 3, 4}
    # a heavy match outweighs two light ones it crosses
    assert _chain(ordered, [2, 9, 2, 2, 2]) == {0, 1, 4}


def test_a_light_match_far_away_is_noise_and_the_documents_stay_whole() -> None:
    groups = [m((k,), (k,)) for k in range(10)] + [m((10,), (3,))]
    groups = [g for g in groups if g.src_blocks != (3,)]  # block 3's translation matched elsewhere instead
    sections = monotone_sections(groups, 12, 12, [(2, 2)] * 9 + [(1, 1)])
    assert sections == [BlockMatch(tuple(range(12)), tuple(range(12)), 0.5, 0.6)]


def test_reordered_documents_are_aligned_group_by_group() -> None:
    groups = [m((0, 1, 2), (3, 4, 5)), m((3, 4, 5), (0, 1, 2))]
    assert monotone_sections(groups, 6, 6, [(6, 6), (6, 6)]) == groups


def test_a_small_moved_run_is_a_section_of_its_own() -> None:
    """Two sentences a side moved, in a long document otherwise in order: the run is aligned on its own,
    everything else (unmatched blocks too) in one backbone section."""
    groups = [m((k,), (k,)) for k in range(40) if k != 5]
    groups[-1] = m((39,), (5,))  # block 39 moved up to where block 5 was
    sections = monotone_sections(groups, 41, 41, [(2, 2)] * 39)
    assert m((39,), (5,)) in sections and len(sections) == 2
    backbone = next(s for s in sections if len(s.src_blocks) > 1)
    assert 5 in backbone.src_blocks and 40 in backbone.src_blocks and 40 in backbone.tgt_blocks  # unmatched stay
    assert 39 not in backbone.src_blocks and 5 not in backbone.tgt_blocks


def test_a_paragraph_moved_from_one_end_to_the_other_is_kept() -> None:
    """The last one-sentence paragraph of one side is the first of the other (or two paragraphs swapped)."""
    groups = [m((0,), (1,)), m((1,), (2,)), m((2,), (3,)), m((3,), (0,))]
    sections = monotone_sections(groups, 4, 4, [(3, 3), (3, 3), (3, 3), (1, 1)])
    assert m((3,), (0,)) in sections
    swap = [m((0,), (1,)), m((1,), (0,))]
    assert sorted(monotone_sections(swap, 2, 2, [(1, 1), (1, 1)]), key=lambda g: g.src_blocks) == swap


# -- two documents, each one language: every line is on its side ---------------------------------------

DE = ["Gestern haben wir den Apfel und die Brücke zusammen gesehen, und alle waren sehr glücklich darüber.",
      "Heute haben wir den Fluss und die Schule zusammen gesehen, und alle waren sehr glücklich darüber."]
FR = ["Hier nous avons vu la pomme et le pont ensemble, et tout le monde était très heureux de cela.",
      "Aujourd'hui nous avons vu la rivière et l'école ensemble, et tout le monde était très heureux de cela."]


def test_a_short_line_the_identifier_calls_another_language_stays_on_its_side() -> None:
    """``Basta !`` in a German and a French text (the identifier says Italian): still German on one side and
    French on the other, aligned like the rest; sentence ids count every sentence of the document."""
    from duiqi.embed import FakeEncoder
    from duiqi.lang import LanguagePair
    from duiqi.pipeline import Pipeline, PipelineConfig
    from duiqi.records import Document
    from duiqi.segment.langid import PairIdentifier, latin_lang

    assert latin_lang("Basta !", PairIdentifier.for_pair(LanguagePair("de", "fr")))[0] not in ("de", "fr")
    lexicon = {w: f"c{k}" for k, ws in enumerate([("Apfel", "pomme"), ("Brücke", "pont"), ("Fluss", "rivière"),
                                                   ("Schule", "école"), ("Basta", "Basta")]) for w in ws}
    pipe = Pipeline(PipelineConfig(encoder="fake", src_lang="de", tgt_lang="fr"),
                    encoder=FakeEncoder(lexicon=lexicon, ngrams=False))
    pairs = pipe.process_pair(Document("de", "\n".join([DE[0], "Basta !", DE[1]]) + "\n"),
                              Document("fr", "\n".join([FR[0], "Basta !", FR[1]]) + "\n"))
    assert [(p.src_ids, p.tgt_ids) for p in pairs] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert {(p.src_lang, p.tgt_lang) for p in pairs} == {("de", "fr")}
    assert pairs[1].src == pairs[1].tgt == "Basta !"


def test_duiqi_align_sends_two_de_fr_documents_through_the_document_pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One stack: a German document and its French translation (languages detected) go through the same
    document pipeline as zh/en (signed ``mode:parallel-documents``, scored, tagged de/fr)."""
    from duiqi import embed
    from duiqi.cli.main import main

    lexicon = {w: f"c{k}" for k, ws in enumerate([("Apfel", "pomme"), ("Brücke", "pont"), ("Fluss", "rivière"),
                                                   ("Schule", "école")]) for w in ws}
    monkeypatch.setattr(embed, "get_encoder", lambda spec: embed.FakeEncoder(lexicon=lexicon, ngrams=False))
    (tmp_path / "a.txt").write_text(" ".join(DE) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n\n".join(FR) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out), "-q"]) == 0
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["src"], r["tgt"]) for r in recs] == list(zip(DE, FR, strict=True))
    assert {(r["src_lang"], r["tgt_lang"]) for r in recs} == {("de", "fr")}
    assert all(r["quality"] is not None for r in recs)
    meta = json.loads((tmp_path / "out.jsonl.meta.json").read_text(encoding="utf-8"))
    assert "mode:parallel-documents" in meta["signature"] and "src_lang:de|tgt_lang:fr" in meta["signature"]
