"""duiqi (对齐): noisy bilingual documents in, clean sentence-aligned pairs out (zh-en measured; any pair
with a language profile, see :mod:`duiqi.lang`).

The public API is flat::

    import duiqi
    fixed = duiqi.repair("充分發(fā)揮領(lǐng)事機(jī)構(gòu)的作用")                 # a plain function
    pipe = duiqi.Pipeline(duiqi.PipelineConfig(encoder="use"))
    pairs = pipe.process(duiqi.read_document("page.html"))
    duiqi.write_pairs(pairs, "pairs.tmx", settings=pipe.settings())

Stages, one subpackage each: ``io`` (read) -> ``repair`` -> ``segment`` -> ``embed`` + ``align``
-> ``score`` (score and filter) -> ``export`` (write); ``run`` does it at corpus scale.
The records flowing through them are in :mod:`duiqi.records`. ``duiqi.repair`` names the function here;
the stage package keeps its name for imports (``from duiqi.repair import apply_plan``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The repair stage is light (pure Python + regex): imported here so that ``duiqi.repair`` is bound to the
# function once and for all. Importing the subpackage first and binding the name after it means a later
# ``import duiqi.repair`` (already in sys.modules) does not rebind the package attribute to the module.
from duiqi.errors import ConfigError, DuiqiError, InputError
from duiqi.lang import LanguagePair, LanguageProfile
from duiqi.repair import repair

if TYPE_CHECKING:
    from duiqi.export import write_pairs
    from duiqi.io import read_document
    from duiqi.pipeline import Pipeline, PipelineConfig

__all__ = [
    "ConfigError",
    "DuiqiError",
    "InputError",
    "LanguagePair",
    "LanguageProfile",
    "Pipeline",
    "PipelineConfig",
    "__version__",
    "read_document",
    "repair",
    "write_pairs",
]

#: Names whose modules load numpy and the aligner: resolved on first use (PEP 562) so that ``duiqi --help``
#: and ``import duiqi`` stay fast.
_LAZY = {
    "Pipeline": "duiqi.pipeline",
    "PipelineConfig": "duiqi.pipeline",
    "read_document": "duiqi.io",
    "write_pairs": "duiqi.export",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'duiqi' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
