"""The ``sphinx-mathjax-offline`` extension, declared safe for parallel builds.

It only points ``mathjax_path`` at a local copy and copies MathJax into the built site when the
build finishes, so nothing it does depends on how the sources are read; it does not say so
itself, and Sphinx then reads every page in one process (``sphinx-build -j 2`` warns "doing
serial read", an error under ``-W``).
"""

import importlib

_upstream = importlib.import_module("sphinx-mathjax-offline")


def setup(app):
    _upstream.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
