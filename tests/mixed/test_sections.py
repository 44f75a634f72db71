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


def test_an_untranslated_paragraph_with_nothing_opposite_stays_out_of_the_backbone() -> None:
    """A paragraph of several sentences no match took, between two in-order matches whose other side has
    nothing between them (or at the end of one document only), is left out of the whole-document
    alignment; a one-sentence line there, or a paragraph with blocks opposite it, stays."""
    # source: 0 1 [2: untranslated, 3 sentences] 3 4 [5: one line] 6 [7: untranslated, 4 sentences]; target: 0-4
    groups = [m((0,), (0,)), m((1,), (1,)), m((3,), (2,)), m((4,), (3,)), m((6,), (4,))]
    src_sents = [2, 2, 3, 2, 2, 1, 2, 4]
    sections = monotone_sections(groups, 8, 5, [(2, 2)] * 5, (src_sents, [2] * 5))
    assert sections == [BlockMatch((0, 1, 3, 4, 5, 6), (0, 1, 2, 3, 4), 0.5, 0.6)]
    # a target block after the last match is opposite the source's block 7: it stays
    sections = monotone_sections(groups, 8, 6, [(2, 2)] * 5, (src_sents, [2] * 6))
    assert sections == [BlockMatch((0, 1, 3, 4, 5, 6, 7), tuple(range(6)), 0.5, 0.6)]
    # without the sentence counts, everything stays
    assert monotone_sections(groups, 8, 5, [(2, 2)] * 5) == [BlockMatch(tuple(range(8)), tuple(range(5)), 0.5, 0.6)]


def test_a_paragraph_moved_to_the_start_from_the_middle_is_kept() -> None:
    """The other document opens with a one-sentence paragraph from the middle of this one, and nothing is
    opposite it at either place: it is a section of its own. Moved inside the documents (both places
    inside the chain), it stays noise for the sentence aligner."""
    # source 0-5 in order with target 1-5, source 3 is the target's first block
    groups = [m((0,), (1,)), m((1,), (2,)), m((2,), (3,)), m((3,), (0,)), m((4,), (4,)), m((5,), (5,))]
    sizes = [(3, 3), (3, 3), (3, 3), (1, 1), (3, 3), (3, 3)]
    sections = monotone_sections(groups, 6, 6, sizes)
    assert m((3,), (0,)) in sections and len(sections) == 2
    # an unmatched block opposite its place (target block 4, between source 2 and 4): the documents stay whole
    opposite = [m((0,), (1,)), m((1,), (2,)), m((2,), (3,)), m((3,), (0,)), m((4,), (5,)), m((5,), (6,))]
    assert len(monotone_sections(opposite, 6, 7, sizes)) == 1
    # from the middle to the middle (target block 1, between source 0 and 1): the documents stay whole
    inside = [m((0,), (0,)), m((1,), (2,)), m((2,), (3,)), m((3,), (1,)), m((4,), (4,)), m((5,), (5,))]
    assert len(monotone_sections(inside, 6, 6, sizes)) == 1


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


# -- a language added as a profile works in both modes -------------------------------------------------

CA_WORDS = ["poma", "riu", "muntanya", "ciutat", "escola", "estació", "pont", "bosc"]
CA_FRAME = "Ahir vam veure la {} i el {} junts al matí, i tothom estava molt content d'això."
DE_WORDS = ["Apfel", "Fluss", "Berg", "Stadt", "Schule", "Bahnhof", "Brücke", "Wald"]
DE_FRAME = "Gestern haben wir den {} und die {} zusammen gesehen, und alle waren sehr glücklich darüber."


def test_a_language_added_as_a_profile_aligns_in_both_modes(tmp_path: Path) -> None:
    """Catalan has no built-in profile: registering one is all it takes for a mixed ca/de document and for a
    Catalan document with its German translation (fake encoder; nothing else changed)."""
    from duiqi import write_pairs
    from duiqi.embed import FakeEncoder
    from duiqi.errors import ConfigError
    from duiqi.lang import LanguageProfile, register_profile, unregister_profile
    from duiqi.pipeline import Pipeline, PipelineConfig
    from duiqi.records import Document

    with pytest.raises(ConfigError, match="no language profile for 'ca'"):
        PipelineConfig(src_lang="ca", tgt_lang="de")
    register_profile(LanguageProfile("ca", "Catalan", length_factor=0.3))
    try:
        lexicon = {w: f"c{k}" for ws in (CA_WORDS, DE_WORDS) for k, w in enumerate(ws)}
        pipe = Pipeline(PipelineConfig(encoder="fake", src_lang="ca", tgt_lang="de"),
                        encoder=FakeEncoder(lexicon=lexicon, ngrams=False))
        ca = [CA_FRAME.format(CA_WORDS[k], CA_WORDS[k + 1]) for k in range(0, 8, 2)]
        de = [DE_FRAME.format(DE_WORDS[k], DE_WORDS[k + 1]) for k in range(0, 8, 2)]
        mixed = pipe.process(Document("mixed", "\n\n".join(x for pair in zip(ca, de, strict=True) for x in pair)))
        two = pipe.process_pair(Document("ca", "\n".join(ca)), Document("de", " ".join(de)))
        for pairs in (mixed, two):
            assert [(p.src, p.tgt) for p in pairs] == list(zip(ca, de, strict=True))
            assert {(p.src_lang, p.tgt_lang) for p in pairs} == {("ca", "de")}
        assert pipe.settings()["mode"] == ("mixed", "parallel-documents")
        assert pipe.settings()["lang.ca.length"] == 0.3
        # the output tag is the profile's
        register_profile(LanguageProfile("ca", "Catalan", length_factor=0.3, tag="ca-ES"), replace=True)
        write_pairs(two, str(tmp_path / "ca.tmx"), settings=pipe.settings())
        tmx = (tmp_path / "ca.tmx").read_text(encoding="utf-8")
        assert 'xml:lang="ca-ES"' in tmx and 'xml:lang="de"' in tmx
    finally:
        unregister_profile("ca")


def test_duiqi_run_takes_the_language_pair(tmp_path: Path) -> None:
    """`duiqi run --src-lang de --tgt-lang fr`: the corpus run's pipeline is the de-fr one (pairs tagged
    de/fr, the manifest signed with the pair); a language without a profile is a one-line error."""
    from duiqi.cli.main import main

    text = ("Gestern haben wir Berlin und Paris zusammen gesehen, und alle waren sehr glücklich darüber im Jahr 2019."
            "\n\nHier nous avons vu Berlin et Paris ensemble, et tout le monde était très heureux de cela en 2019.\n")
    (tmp_path / "defr.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "defr.txt"), "-o", str(out), "--encoder", "fake", "--workers", "1",
                 "--src-lang", "de", "--tgt-lang", "fr", "-q"]) == 0
    recs = [json.loads(line) for f in sorted((out / "pairs").iterdir())
            for line in f.read_text(encoding="utf-8").splitlines()]
    assert [(r["src_lang"], r["tgt_lang"]) for r in recs] == [("de", "fr")]
    settings = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["settings"]
    assert (settings["src_lang"], settings["tgt_lang"]) == ("de", "fr")
    assert main(["run", str(tmp_path / "defr.txt"), "-o", str(tmp_path / "o2"), "--encoder", "fake",
                 "--src-lang", "xx", "-q"]) == 2


def test_a_registered_profile_travels_to_worker_processes(tmp_path: Path) -> None:
    """A profile registered in the driver only (not a built-in) reaches a corpus run's workers: they start
    from a fresh registry (forkserver/spawn/Ray), and the pair they are shipped registers its profiles."""
    import pickle
    import subprocess
    import sys

    from duiqi.lang import LanguageProfile, register_profile, unregister_profile
    from duiqi.pipeline import PipelineConfig

    register_profile(LanguageProfile("ca", "Catalan", length_factor=0.3, tag="ca-ES"))
    try:
        blob = pickle.dumps(PipelineConfig(encoder="fake", src_lang="ca", tgt_lang="de"))
    finally:
        unregister_profile("ca")
    (tmp_path / "config.pickle").write_bytes(blob)
    code = ("import pickle, sys\n"
            "from duiqi.lang import profile\n"
            "cfg = pickle.load(open(sys.argv[1], 'rb'))\n"
            "print(cfg.languages.src, profile('ca').tag, profile('ca').length_factor)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "config.pickle")],
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["ca", "ca-ES", "0.3"]
