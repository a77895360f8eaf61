"""What the verification engines need of each built-in mechanism, one module per mechanism.

Each module holds its mechanism's ``simulation`` (what ``w2s simulate NAME`` compares), its
Monte Carlo ``PLANS`` (claim id -> :data:`proofs_check.montecarlo.Plan`) and, for ridge, the
certified route's ``REDUCTIONS``. The descriptions in :mod:`theory.mechanisms` name them; the
engines find them through the catalogue (:mod:`theory.catalogue`) and never import these
modules by name.
"""
