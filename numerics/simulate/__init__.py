"""Monte Carlo simulators: one module per process, each independent of :mod:`theory`.

=====================  ==========================================================
module                 process
=====================  ==========================================================
``ridge``              mechanism 1: ridge teacher, ridge student (:func:`simulate_ridge`)
``weighted_ridge``     mechanism 2: weighted-ridge student, diagonal penalty
``single_index``       spectral pre-training (arXiv:2605.05710): PCA, then GD / large-batch GD
                       / online SGD on weak labels (:func:`simulate_single_index`)
``multi_index``        mechanism 3: two-layer networks, giant steps, pre-trained student
``chain``              a chain of ridge (and weighted-ridge) students on fresh data
``interaction``        mechanisms 1 and 2 together: the ridge and the aligned student of one
                       ridge teacher on a grid of ``lam_s``
=====================  ==========================================================

The simulators implement the *process* and never import the theory's formulas: their agreement
with :mod:`theory` is evidence because it is independent (a test reads every module's imports).

Examples
--------
>>> from numerics.simulate import simulate_ridge
>>> r = simulate_ridge(d=100, gamma_t=0.5, gamma_s=0.5, lam_t=0.05, lam_s=[0.0, 0.3],
...                    sigma2=1.0, reps=4, seed=0)
>>> r.student_mean.shape, r.teacher_mean.shape
((1, 2), (1,))
"""

from numerics.simulate.common import SimulationError, memory_check, sample_rows
from numerics.simulate.ridge import RidgeSimulation, ridge_path, ridge_repetition, simulate_ridge
from numerics.simulate.single_index import (SingleIndexSimulation, sgd_chain,
                                            simulate_single_index)
from numerics.simulate.multi_index import (MultiIndexSimulation, simulate_forgetting,
                                           simulate_multi_index)
from numerics.simulate.weighted_ridge import (simulate_diagonal_penalty, simulate_weighted_ridge,
                                              weighted_ridge_repetition)

__all__ = ["SimulationError", "memory_check", "sample_rows", "RidgeSimulation", "simulate_ridge", "ridge_repetition",
           "ridge_path", "weighted_ridge_repetition", "simulate_weighted_ridge",
           "simulate_diagonal_penalty", "SingleIndexSimulation", "simulate_single_index",
           "sgd_chain", "MultiIndexSimulation", "simulate_multi_index", "simulate_forgetting"]
