"""Command-line interface; see :mod:`duiqi.cli.main`."""
