"""``python -m proofs_check``: the ``w2s`` command line."""

from proofs_check.cli import main

main()
