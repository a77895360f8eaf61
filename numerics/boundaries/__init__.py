"""Phase boundaries located at finite ``d``: what a mechanism declares (:mod:`numerics.boundary`
locates them).

A mechanism names its boundaries in its description (:class:`theory.mechanism.Mechanism`, facet
``boundaries``: name -> ``"module:attribute"``), each a :class:`Boundary`: the parameter along
which the boundary is located, the reference configuration, the *margin* (a statistic simulated
by the mechanism's process, never by the theory's formulas, whose mean changes sign at the
boundary), the asymptotic location from the theory and the exponent of the finite-size
correction the theory predicts.

Examples
--------
>>> from numerics.boundaries import Boundary
>>> import numpy as np
>>> toy = Boundary(title="toy", parameter="x", parameters=("x",), reference={"x": "0:1"},
...                margin=lambda point, grid, d, rng: 0.5 - grid + rng.normal(0, 1 / d, grid.size),
...                asymptotic=lambda point: 0.5, statistic="0.5 - x plus noise")
>>> toy.margin({}, np.array([0.0, 1.0]), 100, np.random.default_rng(0)).round(1)
array([ 0.5, -0.5])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Mapping, Optional

__all__ = ["Boundary"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Boundary:
    """One phase boundary of a mechanism, as the boundary engine needs it.

    Parameters
    ----------
    title : str
        One line naming the boundary (shown by ``w2s boundary``).
    parameter : str
        The parameter along which the boundary is located (given as ``lo:hi``).
    parameters : tuple of str
        Every parameter the boundary takes (``parameter`` included).
    reference : mapping of str to str
        The reference configuration: a value (text) for every parameter, ``parameter`` as
        ``"lo:hi"``; parameters not given on the command line take these values.
    margin : callable
        ``margin(point, grid, d, rng) -> array`` of shape ``grid.shape``: one repetition of the
        simulated statistic at every grid value of ``parameter`` (the other parameters in
        ``point``, floats); its mean is positive on one side of the boundary (``positive_below``)
        and negative on the other. A module-level function (it runs on worker processes). It
        must use the mechanism's simulator, never the theory's formulas.
    asymptotic : callable
        ``asymptotic(point) -> float``: the boundary's location as ``d -> oo`` from the theory
        (``point``: exact text values of the parameters other than ``parameter``); NaN when the
        theory has no boundary there.
    statistic : str
        What the margin is, in one sentence (shown in the docs and ``--help``).
    positive_below : bool
        Whether the margin is positive below the boundary (default) or above it.
    exponent : float
        The exponent ``p`` of the finite-size correction ``a d^(-p)`` the theory predicts.
    exponent_reason : str
        Why that exponent (one sentence).
    scale : {"linear", "log"}
        Spacing of the grid in the interval.
    points : int
        Grid points in the interval.
    reps : int
        Default repetitions per ``d``.
    dims : tuple of int
        Default dimensions.
    min_d : int
        Smallest dimension at which the margin is meaningful.
    check : callable, optional
        ``check(point)`` raises :class:`numerics.validation.ParameterError` for a configuration
        the boundary does not exist at (``point``: exact values, interval midpoint included).
    source : str
        Where the asymptotic location comes from (paper and theorem, or a docs page).
    version : int
        Version of the margin's definition; the store keeps it with every row, so rows of an
        older definition are never mixed with new ones.
    extra : int
        Columns of one repetition beyond the grid's (``margin`` then returns ``points + extra``
        values), read by ``combine``.
    combine : callable, optional
        ``combine(mean, grid, point) -> array`` of shape ``grid.shape``: the mean margin along
        the grid from the mean over repetitions of their ``points + extra`` columns (for a
        margin that is a function of means, e.g. the budget where a mean overlap reaches a
        simulated level); the bootstrap resamples repetitions and applies it to each resample.
        Without it the mean margin is the mean of the repetitions' margins.
    """

    title: str
    parameter: str
    parameters: tuple[str, ...]
    reference: Mapping[str, str]
    margin: Callable
    asymptotic: Callable
    statistic: str = ""
    positive_below: bool = True
    exponent: float = 1.0
    exponent_reason: str = ""
    scale: str = "linear"
    points: int = 13
    reps: int = 32
    dims: tuple[int, ...] = (100, 200, 400, 800)
    min_d: int = 20
    check: Optional[Callable] = None
    source: str = ""
    version: int = 1
    extra: int = 0
    combine: Optional[Callable] = None

    def __post_init__(self):
        if self.parameter not in self.parameters:
            raise ValueError(f"boundary {self.title!r}: {self.parameter} is not one of its "
                             f"parameters {self.parameters}")
        if set(self.reference) != set(self.parameters):
            raise ValueError(f"boundary {self.title!r}: the reference configuration must give "
                             f"every parameter {self.parameters}")
        if self.scale not in ("linear", "log"):
            raise ValueError(f"boundary {self.title!r}: scale must be 'linear' or 'log'")
        if self.extra and self.combine is None:
            raise ValueError(f"boundary {self.title!r}: extra columns need a combine function")
        if self.version < 1 or self.extra < 0:
            raise ValueError(f"boundary {self.title!r}: version >= 1, extra >= 0")
        if self.points < 3 or self.reps < 2 or self.min_d < 2:
            raise ValueError(f"boundary {self.title!r}: points >= 3, reps >= 2, min_d >= 2")
        object.__setattr__(self, "reference", MappingProxyType(dict(self.reference)))
        object.__setattr__(self, "dims", tuple(int(d) for d in self.dims))
