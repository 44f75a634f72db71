"""The signature stamped into every output: tool version, model and settings (sacrebleu style).

As in sacrebleu's ``get_signature``, every component that ran reports its own fields
(``AlignConfig.settings()``, ``MixedConfig.settings()``, ``LanguagePair.settings()``, the encoder its
real ``name``, the filter run its thresholds); :meth:`duiqi.pipeline.Pipeline.settings` puts together
those of the steps a document went through. Two forms:

- full (:func:`signature`), in the metadata (``.meta.json`` sidecar, Parquet schema, run manifest):
  ``duiqi:0.1.0|align.max_align:5|...|encoder:use-m3@0.2.1+t2s|...`` — every field, keys sorted;
- short (:func:`short_signature`), in file headers (TMX ``<prop>``):
  ``duiqi:0.1.0|mode:mixed|encoder:use-m3@0.2.1+t2s|pair:zh-en|settings:#1a2b3c4d5e6f`` — the fields
  a reader tells outputs apart by, and the hash of the full form.

Same settings and versions, same signature.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib import metadata
from typing import Any

from duiqi import __version__


def package_version(dist: str) -> str:
    """Installed version of a distribution, or ``absent``."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ",".join(_fmt(v) for v in value)
    return str(value)


def signature(settings: Mapping[str, Any]) -> str:
    """A one-line, human-readable signature: ``duiqi:VERSION|key:value|...`` with keys sorted."""
    parts = [f"duiqi:{__version__}"]
    for key in sorted(settings):
        parts.append(f"{key}:{_fmt(settings[key])}")
    return "|".join(parts)


def settings_hash(settings: Mapping[str, Any]) -> str:
    """Short stable hash of the settings (for manifests and cache keys)."""
    blob = json.dumps({"duiqi": __version__, **settings}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


#: Fields of the short form, in this order (when present); ``pair`` stands for ``src_lang``-``tgt_lang``.
SHORT_KEYS = ("command", "mode", "encoder", "pair", "config", "review")


def short_signature(settings: Mapping[str, Any]) -> str:
    """The short form for file headers: the main fields and ``settings:#HASH`` of the full form."""
    fields = dict(settings)
    if "src_lang" in fields and "tgt_lang" in fields:
        fields["pair"] = f"{fields['src_lang']}-{fields['tgt_lang']}"
    parts = [f"duiqi:{__version__}"]
    parts += [f"{key}:{_fmt(fields[key])}" for key in SHORT_KEYS if key in fields]
    parts.append(f"settings:#{settings_hash(settings)[:12]}")
    return "|".join(parts)
