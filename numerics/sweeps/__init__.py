"""Sweep tasks: what one grid point of a mechanism's sweep computes (:mod:`numerics.sweep` runs
them).

A mechanism with a sweep names a :class:`SweepTask` in its description
(:class:`theory.mechanism.Mechanism`, facet ``sweep``): the grid's parameters, the result
columns the sweep file stores for it, and the function that simulates one point and evaluates
the theory there.

Examples
--------
>>> from theory.catalogue import mechanism
>>> task = mechanism("ridge").facet("sweep")
>>> task.columns[:2]
('teacher_mean', 'teacher_se')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional

__all__ = ["SweepTask"]

_COLUMN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class SweepTask:
    """One mechanism's sweep.

    Parameters
    ----------
    parameters : tuple of str
        The parameters a grid may vary or fix, in the order rows list them.
    columns : tuple of str
        The result columns (floats) of a row, in order: simulated means and standard errors,
        the theory's values.
    run : callable
        ``run(point, d, reps, seed) -> {column: float}``: one grid point (float64 values by
        parameter name); runs on a worker process, so it must be a module-level function.
    check_cost : callable, optional
        ``check_cost(points, d, n_jobs)``: raise :class:`numerics.simulate.SimulationError`
        when the largest point would not fit the memory limit (called before anything runs).
    legacy : mapping of str to str, optional
        For a sweep file written before sweeps had per-mechanism columns: ``{old column: new
        column}`` (an old column mapped to ``""`` is dropped). ``w2s sweep migrate DB`` uses it.

    Examples
    --------
    >>> from numerics.sweeps import SweepTask
    >>> def run(point, d, reps, seed):
    ...     return {"x": point["a"] * d}
    >>> SweepTask(("a",), ("x",), run).run({"a": 0.5}, 10, 2, 0)
    {'x': 5.0}
    """

    parameters: tuple[str, ...]
    columns: tuple[str, ...]
    run: Callable[[dict, int, int, int], dict]
    check_cost: Optional[Callable[[list, int, int], None]] = None
    legacy: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for name in self.columns:
            if not _COLUMN.match(name) or name in _RESERVED:
                raise ValueError(f"sweep column {name!r}: use lower case letters, digits and _, "
                                 f"and none of {', '.join(sorted(_RESERVED))}")


#: Columns every sweep row has (the sweep engine's own).
_RESERVED = frozenset({"key", "model", "params", "d", "reps", "seed", "task_seed",
                       "code_version", "seconds"})
