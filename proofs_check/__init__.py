"""w2s-theory, deciding layer: checks of claims, reports and the ``w2s`` command line."""
