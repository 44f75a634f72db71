"""Reviewing an alignment in the browser: ``duiqi review`` (see :mod:`duiqi.cli.review`).

>>> from duiqi.review import load_project, export        # doctest: +SKIP
>>> project = load_project("out.review.json")            # doctest: +SKIP
>>> export(project, "tmx", "out")                        # doctest: +SKIP  (writes out.tmx)

:mod:`~duiqi.review.project` holds the project model (sentences, machine and reviewed beads, undo
stack), :mod:`~duiqi.review.build` makes one from inputs, :mod:`~duiqi.review.export` writes it out,
:mod:`~duiqi.review.server` serves the page (``page.html``, one self-contained file) on loopback.
"""

from duiqi.review.export import EXPORTS, export
from duiqi.review.project import Project, ReviewBead, from_pairs, load_project, save_project

__all__ = ["EXPORTS", "Project", "ReviewBead", "export", "from_pairs", "load_project", "save_project"]
