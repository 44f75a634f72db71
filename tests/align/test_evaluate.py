from __future__ import annotations

import os

import pytest

from duiqi.align.evaluate import count, evaluate, evaluate_paths, parse_beads, read_beads
from duiqi.cli.main import main
from duiqi.errors import InputError
from duiqi.records import Bead


def B(s: tuple[int, ...], t: tuple[int, ...]) -> Bead:
    return Bead(s, t)


GOLD = [B((0,), (0,)), B((1, 2), (1,)), B((3,), ()), B((4,), (2, 3)), B((), (4,))]
#        link           link 2-1          deletion     link 1-2          insertion
PRED = [B((0,), (0,)), B((1,), (1,)), B((2,), ()), B((3,), ()), B((4,), (2,)), B((), (3,)), B((), (4,))]


def test_hand_computed_example() -> None:
    # strict: pred beads matching gold exactly: [0]:[0], [3]:[], []:[4] -> 3 of 7
    # recall is over the 3 gold links: only [0]:[0] is found -> 1 of 3
    c = count(GOLD, PRED)
    assert (c.pred, c.pred_strict, c.gold, c.gold_strict) == (7, 3, 3, 1)
    s = evaluate([(GOLD, PRED)])
    assert s.strict_p == pytest.approx(3 / 7)
    assert s.strict_r == pytest.approx(1 / 3)
    assert s.strict_f1 == pytest.approx(2 * (3 / 7) * (1 / 3) / (3 / 7 + 1 / 3))
    # lax: links overlapping a gold link on both sides: [0]:[0], [1]:[1], [4]:[2] + exact deletions
    # [3]:[] and []:[4]; [2]:[] and []:[3] are not in gold -> 5 of 7; all 3 gold links overlapped
    assert (c.pred_lax, c.gold_lax) == (5, 3)
    assert s.lax_p == pytest.approx(5 / 7)
    assert s.lax_r == pytest.approx(1.0)


def test_perfect_and_micro_average() -> None:
    s = evaluate([(GOLD, GOLD), (GOLD, PRED)])
    # micro: (5 + 3) / (5 + 7) precision, (3 + 1) / (3 + 3) recall
    assert s.strict_p == pytest.approx(8 / 12)
    assert s.strict_r == pytest.approx(4 / 6)
    assert evaluate([(GOLD, GOLD)]).strict_f1 == pytest.approx(1.0)


def test_unlinked_gold_sentences_are_tolerated() -> None:
    gold = [B((0,), (0,)), B((2,), (2,))]  # sentence 1 on each side left out of gold
    pred = [B((0,), (0,)), B((1,), (1,)), B((2,), (2,))]
    s = evaluate([(gold, pred)])
    assert s.strict_p == pytest.approx(2 / 3)
    assert s.strict_r == pytest.approx(1.0)


def test_parse_formats_and_errors() -> None:
    beads = parse_beads("[0, 1]:[2]\n[]:[3]\n[2]:[]:0.5000\n\n[3]:[4,5]:0.81\n")
    assert beads[0] == Bead((0, 1), (2,))
    assert beads[1].shape == (0, 1)
    assert beads[3].score == pytest.approx(0.81)
    with pytest.raises(InputError, match="line 2"):
        parse_beads("[0]:[0]\nnot a bead\n", "x.align")


def test_paths_and_cli(tmp_path: os.PathLike[str], capsys: pytest.CaptureFixture[str]) -> None:
    gdir, pdir = os.path.join(tmp_path, "gold"), os.path.join(tmp_path, "pred")
    os.makedirs(gdir)
    os.makedirs(pdir)
    text = lambda bs: "".join(  # noqa: E731
        f"[{','.join(map(str, b.src_ids))}]:[{','.join(map(str, b.tgt_ids))}]\n" for b in bs
    )
    with open(os.path.join(gdir, "001.gold.align"), "w") as fh:
        fh.write(text(GOLD))
    with open(os.path.join(gdir, "001.zh"), "w") as fh:
        fh.write("不是对齐文件\n")
    with open(os.path.join(pdir, "001.align"), "w") as fh:
        fh.write(text(PRED))
    total, per_file = evaluate_paths(gdir, pdir)
    assert per_file[0][0] == "001.gold.align"
    assert total.strict_p == pytest.approx(3 / 7)
    assert read_beads(os.path.join(pdir, "001.align"))[2] == Bead((2,), ())
    assert main(["eval", gdir, pdir]) == 0
    out = capsys.readouterr().out
    assert "strict\tP 0.4286\tR 0.3333" in out
    assert main(["eval", gdir, os.path.join(tmp_path, "missing")]) == 2
    assert "missing" in capsys.readouterr().err


def test_a_huge_bead_id_is_a_one_line_error(tmp_path: os.PathLike[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A 5,000-digit sentence id is no sentence position: one line naming the file and line, no traceback."""
    gold, pred = os.path.join(tmp_path, "g.beads"), os.path.join(tmp_path, "p.beads")
    with open(gold, "w") as fh:
        fh.write("[0]:[0]\n[" + "9" * 5000 + "]:[1]\n")
    with open(pred, "w") as fh:
        fh.write("[0]:[0]\n")
    with pytest.raises(InputError, match="line 2"):
        read_beads(gold)
    assert main(["eval", gold, pred]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "g.beads" in err and "line 2" in err and "Traceback" not in err
