"""Writing pairs: JSONL, TSV, TMX 1.4b, Parquet and bead lists, each stamped with the run's signature.

``write_pairs(pairs, "out.tmx", settings=...)`` picks the format from the extension. TMX carries the
signature in its header, Parquet in its schema metadata; for every file output a ``<out>.meta.json``
sidecar holds the signature, settings and counts (JSONL/TSV lines stay uniform records).
"""

from duiqi.export.readers import read_pairs
from duiqi.export.writers import FORMATS, format_from_path, write_pairs

__all__ = ["FORMATS", "format_from_path", "read_pairs", "write_pairs"]
