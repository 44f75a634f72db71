"""The review project without a browser: building, validation, exports, eval round trip, CLI, server."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from duiqi.align.evaluate import evaluate_paths, read_beads
from duiqi.errors import InputError
from duiqi.records import Pair
from duiqi.review import export, from_pairs, load_project, save_project
from duiqi.review.build import project_from_beads, project_from_jsonl
from duiqi.review.project import ReviewBead
from duiqi.review.server import serving

from .conftest import EN, GOLD, ZH


def _duiqi(*args: str) -> subprocess.CompletedProcess[str]:
    """``duiqi ARGS`` in this process (as the command line would run it), output captured."""
    import contextlib
    import io

    from duiqi.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(["duiqi", *args], code, out.getvalue(), err.getvalue())


def test_from_pairs_places_unaligned_sentences_beside_their_neighbours() -> None:
    pairs = [Pair("", "", "zh", "en", 0.9, src_ids=(0,), tgt_ids=(0,), quality=0.9),
             Pair("", "", "zh", "en", 0.8, src_ids=(2,), tgt_ids=(2,), quality=0.7)]
    proj = from_pairs(pairs, {0: "a", 1: "b", 2: "c", 3: "d"}, {0: "A", 1: "B", 2: "C"}, src_lang="zh", tgt_lang="en")
    assert [(b.s, b.t) for b in proj.beads] == [([0], [0]), ([], [1]), ([1], []), ([2], [2]), ([3], [])]
    assert proj.beads[3].quality == 0.7 and proj.counts() == {"beads": 5, "checked": 0, "edited": 0, "untranslated": 3}


def test_project_from_beads_keeps_the_machine_beads(small: dict[str, str]) -> None:
    proj = project_from_beads(small["zh"], small["en"], small["beads"])
    assert [(b.s, b.t) for b in proj.beads] == [([0], [0]), ([1], [1, 2]), ([2], []), ([3], [3, 4]), ([4, 5], [5])]
    assert proj.src == ZH and proj.tgt == EN and proj.beads[4].score == pytest.approx(0.21)


def test_set_state_rejects_beads_that_lose_or_repeat_a_sentence(small: dict[str, str]) -> None:
    proj = project_from_beads(small["zh"], small["en"], small["beads"])
    good = [b.to_json() for b in proj.beads]
    with pytest.raises(InputError, match="missing"):
        proj.set_state({"beads": good[:-1]})
    with pytest.raises(InputError, match="repeated"):
        proj.set_state({"beads": [*good, {"s": [0], "t": []}]})
    with pytest.raises(InputError, match="empty"):
        proj.set_state({"beads": [*good, {"s": [], "t": []}]})
    proj.set_state({"beads": good, "undo": [{"op": "merge"}]})
    assert proj.edit_log()["merge"] == 1


def _reviewed(small: dict[str, str]):  # type: ignore[no-untyped-def]
    proj = project_from_beads(small["zh"], small["en"], small["beads"])
    proj.beads = [ReviewBead(s, t, 0.0, None, checked=True, edited=(s, t) != ([0], [0])) for s, t in GOLD]
    proj.undo = [{"op": k} for k in ("split", "merge", "move", "untranslated", "untranslated")]
    return proj


def test_exports_tmx_with_signature_and_note_read_by_translate_toolkit(small: dict[str, str]) -> None:
    from translate.storage.tmx import tmxfile

    proj = _reviewed(small)
    stem = str(Path(small["dir"]) / "out")
    (path,) = export(proj, "tmx", stem)
    raw = Path(path).read_bytes()
    tmx = tmxfile(raw)
    units = [u for u in tmx.units if u.source]
    assert [(u.source, u.target) for u in units] == [(ZH[i], EN[i]) for i in range(4)] + [(ZH[5], EN[4])]
    text = raw.decode("utf-8")
    assert 'type="x-duiqi-signature">duiqi:' in text and "review:yes" in text
    assert "<note>Reviewed with duiqi review: 7 of 7 beads checked; 1 merge, 1 split, 1 move, 2 untranslated;" in text
    meta = json.loads(Path(path + ".meta.json").read_text())
    assert meta["review"].startswith("Reviewed with duiqi review") and meta["pairs"] == 5


def test_other_exports(small: dict[str, str]) -> None:
    proj = _reviewed(small)
    stem = str(Path(small["dir"]) / "out")
    (tsv,) = export(proj, "tsv", stem)
    assert Path(tsv).read_text(encoding="utf-8").splitlines()[1].split("\t")[:2] == [ZH[1], EN[1]]
    (jl,) = export(proj, "jsonl", stem)
    recs = [json.loads(line) for line in Path(jl).read_text(encoding="utf-8").splitlines()]
    assert recs[4]["src_ids"] == [5] and recs[4]["tgt_ids"] == [4] and "edited" in recs[4]["flags"]
    zh, en = export(proj, "moses", stem)
    assert zh.endswith("out.zh") and en.endswith("out.en")
    assert Path(zh).read_text(encoding="utf-8").splitlines() == [ZH[0], ZH[1], ZH[2], ZH[3], ZH[5]]
    assert Path(en).read_text(encoding="utf-8").splitlines() == EN[:5]


def test_gold_export_is_evaluation_data(small: dict[str, str]) -> None:
    proj = _reviewed(small)
    (gold,) = export(proj, "gold", str(Path(small["dir"]) / "out"))
    assert [(list(b.src_ids), list(b.tgt_ids)) for b in read_beads(gold)] == GOLD
    total, _ = evaluate_paths(gold, gold)
    assert total.strict_f1 == 1.0
    total, _ = evaluate_paths(gold, small["beads"])  # the machine beads against the reviewed ones
    assert total.strict_p == pytest.approx(1 / 5) and total.strict_r == pytest.approx(1 / 5)
    res = _duiqi("eval", gold, small["beads"], "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["total"]["strict_precision"] == pytest.approx(0.2)


def test_save_and_load_round_trip(small: dict[str, str], tmp_path: Path) -> None:
    proj = _reviewed(small)
    path = str(tmp_path / "x.review.json")
    save_project(proj, path)
    again = load_project(path)
    assert [(b.s, b.t, b.checked, b.edited) for b in again.beads] == [(b.s, b.t, b.checked, b.edited) for b in proj.beads]
    assert again.edit_log() == proj.edit_log() and again.src == ZH


def test_load_rejects_damaged_projects(tmp_path: Path) -> None:
    bad = tmp_path / "bad.review.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a review project"):
        load_project(str(bad))
    bad.write_text(json.dumps({"duiqi_review": 1, "src": ["a"], "tgt": ["b"], "beads": [{"s": [0], "t": []}],
                               "machine": []}), encoding="utf-8")
    with pytest.raises(InputError, match="target sentences not covered"):
        load_project(str(bad))


def test_jsonl_of_pairs_is_reviewed_without_realigning(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    recs = [Pair(ZH[0], EN[0], "zh", "en", 0.9, (0,), (0,), quality=0.95),
            Pair(ZH[1] + ZH[2], EN[1] + " " + EN[2], "zh", "en", 0.7, (1, 2), (1, 2), quality=0.4)]
    path.write_text("".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in recs), encoding="utf-8")
    proj = project_from_jsonl(str(path))
    assert proj.src == ZH[:3] and proj.tgt == EN[:3]
    assert [(b.s, b.t, b.quality) for b in proj.beads] == [([0], [0], 0.95), ([1, 2], [1, 2], 0.4)]
    path.write_text('{"src": "a"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 1: not a pair record"):
        project_from_jsonl(str(path))


def test_cli_aligns_then_exports_and_reopens(tmp_path: Path) -> None:
    zh, en = tmp_path / "a.zh.txt", tmp_path / "a.en.txt"
    zh.write_text("\n".join(ZH[:4]) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN[:4]) + "\n", encoding="utf-8")
    out = str(tmp_path / "rev.tmx")
    res = _duiqi("review", str(zh), str(en), "--encoder", "fake", "-o", out, "--export", "tmx,gold")
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == [out, str(tmp_path / "rev.gold.beads")]
    proj = load_project(str(tmp_path / "rev.review.json"))
    assert sorted(i for b in proj.beads for i in b.s) == [0, 1, 2, 3]
    assert proj.settings["encoder"].startswith("fake") and proj.machine
    res = _duiqi("review", str(zh), str(en), "--encoder", "fake", "-o", out, "--export", "tsv")
    assert res.returncode == 0 and "reopening" in res.stderr
    other = tmp_path / "b.txt"
    other.write_text("别的。\nOther.\n", encoding="utf-8")
    res = _duiqi("review", str(other), "--encoder", "fake", "-o", out, "--export", "tsv")
    assert res.returncode == 2 and "reviews other inputs" in res.stderr and "Traceback" not in res.stderr


def test_cli_bad_input_is_one_line(tmp_path: Path) -> None:
    res = _duiqi("review", str(tmp_path / "missing.txt"), "--encoder", "fake", "--no-browser")
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "missing.txt" in res.stderr
    res = _duiqi("review", str(tmp_path / "missing.review.json"))
    assert res.returncode == 2 and "no such file" in res.stderr


def test_server_is_loopback_and_needs_the_token(small: dict[str, str]) -> None:
    proj = project_from_beads(small["zh"], small["en"], small["beads"])
    with serving(proj, str(Path(small["dir"]) / "p.review.json"), str(Path(small["dir"]) / "p")) as srv:
        assert srv.server_address[0] == "127.0.0.1"
        page = urllib.request.urlopen(srv.url).read().decode("utf-8")
        assert srv.token in page and "__DUIQI_TOKEN__" not in page
        for req in (urllib.request.Request(srv.url + "api/project"),
                    urllib.request.Request(srv.url + "api/save", data=b"{}", method="POST"),
                    urllib.request.Request(srv.url + "api/project", headers={"X-Duiqi-Token": srv.token,
                                                                             "Host": "evil.example:80"})):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(req)
            assert err.value.code == 403
        ok = urllib.request.Request(srv.url + "api/project", headers={"X-Duiqi-Token": srv.token})
        data = json.loads(urllib.request.urlopen(ok).read())
        assert data["src"] == ZH and data["exports"]["tmx"][0].endswith("p.tmx")
        bad = urllib.request.Request(srv.url + "api/save", data=json.dumps({"beads": []}).encode(), method="POST",
                                     headers={"X-Duiqi-Token": srv.token})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(bad)
        assert err.value.code == 400
        assert not (Path(small["dir"]) / "p.review.json").exists()  # nothing written on a rejected save


def test_page_is_self_contained_and_served_with_a_strict_policy(small: dict[str, str]) -> None:
    from duiqi.review.server import page_html

    html = page_html()
    assert "://" not in html and "<script src" not in html and "<link" not in html  # no CDN, no fetch elsewhere
    proj = project_from_beads(small["zh"], small["en"], small["beads"])
    with serving(proj, str(Path(small["dir"]) / "p.review.json"), str(Path(small["dir"]) / "p")) as srv:
        resp = urllib.request.urlopen(srv.url)
        csp = resp.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "connect-src 'self'" in csp


def test_serve_opens_the_default_browser_and_stops_on_quit(small: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    import threading
    import time
    import webbrowser

    from duiqi.cli.review import serve

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    proj = project_from_beads(small["zh"], small["en"], small["beads"])
    stem = str(Path(small["dir"]) / "q")
    thread = threading.Thread(target=serve, args=(proj, stem + ".review.json", stem), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not opened and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened and opened[0].startswith("http://127.0.0.1:")
    page = urllib.request.urlopen(opened[0]).read().decode("utf-8")
    token = re.search(r'const TOKEN = "([^"]+)"', page)
    assert token is not None
    quit_ = urllib.request.Request(opened[0] + "api/quit", data=b"{}", method="POST",
                                   headers={"X-Duiqi-Token": token.group(1)})
    assert json.loads(urllib.request.urlopen(quit_).read()) == {"bye": True}
    thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.mark.parametrize("pre_split", [False, True])
def test_unedited_review_scores_the_machine_beads_perfectly(tmp_path: Path, pre_split: bool) -> None:
    """The gold beads use the sentence ids of ``duiqi align --format beads``: with no edits, every
    predicted bead of the same document is in the gold (precision 1)."""
    root = Path(__file__).resolve().parents[2]
    if pre_split:
        zh, en = tmp_path / "a.zh", tmp_path / "a.en"
        zh.write_text("\n".join(ZH) + "\n", encoding="utf-8")
        en.write_text("\n".join(EN) + "\n", encoding="utf-8")
        inputs = [str(zh), str(en), "--pre-split"]
    else:
        inputs = [str(root / "examples" / "chongqing-foreign-affairs-2022.txt")]
    pred = str(tmp_path / "pred.beads")
    res = _duiqi("align", *inputs, "--encoder", "fake", "--format", "beads", "-o", pred)
    assert res.returncode == 0, res.stderr
    res = _duiqi("review", *inputs, "--encoder", "fake", "-o", str(tmp_path / "rev.tmx"), "--export", "gold")
    assert res.returncode == 0, res.stderr
    gold = str(tmp_path / "rev.gold.beads")
    assert len(read_beads(pred)) >= 1
    total, _ = evaluate_paths(gold, pred)
    assert total.strict_p == 1.0 and total.strict_r == 1.0


def test_from_pairs_refuses_a_pair_naming_an_unknown_sentence() -> None:
    pairs = [Pair("", "", "zh", "en", 0.9, src_ids=(0, 7), tgt_ids=(0,))]
    with pytest.raises(InputError, match="source sentence 7"):
        from_pairs(pairs, {0: "a"}, {0: "A"}, src_lang="zh", tgt_lang="en", doc="d.txt")
