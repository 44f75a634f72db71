"""Writing pairs: JSONL, TSV, TMX 1.4b, Moses (line-parallel), Parquet and bead lists, each stamped with the run's signature.

``write_pairs(pairs, "out.tmx", settings=...)`` picks the format from the extension. TMX carries the
signature in its header, Parquet in its schema metadata; for every file output a ``<out>.meta.json``
sidecar holds the signature, settings and counts (JSONL/TSV lines stay uniform records).
"""

from duiqi.export.formats import FORMATS, OUTPUT_FORMATS, check_output, format_from_path, resolve_format
from duiqi.export.readers import read_pairs
from duiqi.export.writers import write_pairs

__all__ = ["FORMATS", "OUTPUT_FORMATS", "check_output", "format_from_path", "read_pairs", "resolve_format",
           "write_pairs"]
