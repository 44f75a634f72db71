"""How good is ``duiqi align``'s progress estimate? Estimated vs actual number of texts encoded.

The status line's total (and so its ETA) is estimated from the first two encoder requests (the
sentences of each side) times ``max_align`` (the span embedding encodes joined spans up to that length).
The texts sent to the encoder do not depend on which encoder it is, so the deterministic fake encoder
gives the real counts in seconds. Reads MAC-Dev from /work/shared (says so and exits when absent).

    python benchmarks/bench_progress.py              # the sentence aligner (align --pre-split)
    python benchmarks/bench_progress.py --pipeline   # the document pipeline (two zh/en documents)
"""

from __future__ import annotations

import io
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from align_common import MAC_DEV, require
from duiqi.align import AlignConfig, align_documents
from duiqi.cli.align import PIPELINE_TEXTS_PER_SENTENCE
from duiqi.cli.stages import Stages
from duiqi.embed import get_encoder

#: ``--encoder use`` to count with the real encoder (the document pipeline's grouping depends on it).
ENCODER = sys.argv[sys.argv.index("--encoder") + 1] if "--encoder" in sys.argv else "fake"
ONLY = sys.argv[sys.argv.index("--docs") + 1].split(",") if "--docs" in sys.argv else None


def main() -> None:
    require(MAC_DEV)
    names = sorted(f.split(".")[0] for f in os.listdir(MAC_DEV) if f.endswith(".gold.align"))
    config = AlignConfig()
    print(f"{'doc':>5} {'sentences':>9} {'estimated':>9} {'encoded':>8} {'error':>7} {'per sentence':>12}")
    worst = 0.0
    for name in names:
        if ONLY and name not in ONLY:
            continue
        with open(os.path.join(MAC_DEV, f"{name}.zh"), encoding="utf-8") as fh:
            zh = fh.read()
        with open(os.path.join(MAC_DEV, f"{name}.en"), encoding="utf-8") as fh:
            en = fh.read()
        encoder = get_encoder(ENCODER)  # no memo of texts: each document gets its own embeddings view
        stages = Stages("bench", ["align"], stream=io.StringIO(), tty=True)
        composed = config.compose_spans != "off" and getattr(encoder, "pooler", None) is not None  # as align does
        factor = (PIPELINE_TEXTS_PER_SENTENCE if "--pipeline" in sys.argv
                  else 1.0 if composed else float(config.max_align))
        with stages.stage("align"), stages.watch_encoder(encoder, span_factor=factor):
            if "--pipeline" in sys.argv:
                from duiqi.pipeline import Pipeline, PipelineConfig
                from duiqi.records import Document

                Pipeline(PipelineConfig(encoder=ENCODER), encoder=encoder).process_pair(
                    Document(f"{name}.zh", zh), Document(f"{name}.en", en))
            else:
                from duiqi.steps import DocumentEmbeddings

                align_documents(zh, en, src_lang="zh", tgt_lang="en", pre_split=True,
                                encoder=DocumentEmbeddings(encoder), config=config)
            estimated, encoded = stages.total or 0, stages.done
        n = sum(1 for line in zh.splitlines() if line.strip()) + sum(1 for line in en.splitlines() if line.strip())
        err = (estimated - encoded) / encoded
        worst = max(worst, abs(err))
        print(f"{name:>5} {n:>9} {estimated:>9} {encoded:>8} {err:>+7.1%} {encoded / n:>12.2f}")
    print(f"largest error of the estimated total: {worst:.1%}")


if __name__ == "__main__":
    main()
