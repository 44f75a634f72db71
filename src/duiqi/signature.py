"""The signature stamped into every output: tool version, model and settings (sacrebleu style).

``duiqi:0.1.0|encoder:use-m3@0.2.1|max_align:4|...`` — same settings and versions, same signature.
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
