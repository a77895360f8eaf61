"""The margin shared by the boundaries where a student must beat its teacher: the teacher's
simulated excess risk minus the best student's, the student's ridge penalty ``lam_s`` optimised
over one logarithmic grid, on the same draw at every value of the boundary's parameter.

Examples
--------
>>> import numpy as np
>>> from numerics.boundaries.students import LAM_S, best_student_margin
>>> def toy(rng, values):           # teacher risk 1; the best student's (lam_s = 0) the value
...     student = np.add.outer(np.asarray(values, float), LAM_S)
...     return np.ones(len(values)), student
>>> best_student_margin(toy, np.array([0.5, 2.0]), np.random.default_rng(0)).round(6)
array([ 0.5, -1. ])
"""

from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["LAM_S", "best_student_margin"]

#: The student's regularisations every such margin optimises over (``0``: the minimum-norm
#: interpolator).
LAM_S = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, 49)])


def best_student_margin(simulate: Callable, grid: np.ndarray, rng: np.random.Generator,
                        vectorised: bool = True) -> np.ndarray:
    """``L_t - min over LAM_S of L_s`` at every value of ``grid``, one draw for all of them.

    Parameters
    ----------
    simulate : callable
        ``simulate(rng, values) -> (teacher, student)``: the simulated teacher's excess risks,
        shape ``(len(values),)``, and the students', shape ``(len(values), len(LAM_S))``.
    grid : array
        The values of the boundary's parameter.
    rng : numpy.random.Generator
        The repetition's generator.
    vectorised : bool
        Whether ``simulate`` takes the whole grid in one call (one draw); otherwise it is called
        once per value, each time with a generator from the same seed (common random numbers).

    Returns
    -------
    numpy.ndarray
        Shape ``grid.shape``; positive where some student beats the teacher.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.boundaries.students import LAM_S, best_student_margin
    >>> draw = lambda rng, v: (np.full(len(v), rng.random()), np.zeros((len(v), len(LAM_S))))
    >>> m = best_student_margin(draw, np.arange(3.0), np.random.default_rng(1), vectorised=False)
    >>> bool(np.all(m == m[0]))     # the same draw at every value
    True
    """
    grid = np.asarray(grid, float)
    if vectorised:
        teacher, student = simulate(rng, grid)
        return np.asarray(teacher, float) - np.asarray(student, float).min(axis=-1)
    seed = int(rng.integers(2**63))
    out = []
    for value in grid:
        teacher, student = simulate(np.random.default_rng(seed), np.array([value]))
        out.append(float(np.asarray(teacher, float)[0] - np.asarray(student, float)[0].min()))
    return np.array(out)
