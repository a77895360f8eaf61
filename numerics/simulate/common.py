"""Shared pieces of the simulators: input checks, resource guards and seeded repetitions.

Randomness: one :class:`numpy.random.SeedSequence` per run, spawned once per repetition, so a
repetition's numbers do not depend on how many workers run the repetitions.

Bit-identity: the linear algebra of a repetition always runs with one BLAS thread (in the serial
path and in every worker), because OpenBLAS's results depend on its thread count in the last
bit. So a run gives the same bits for any ``n_jobs`` (on the same NumPy and BLAS build), and
``n_jobs`` worker processes use ``n_jobs`` cores instead of fighting over them.

Resource guard: a run whose arrays would exceed ``W2S_MAX_MEMORY_GB`` gigabytes (default 4; an
estimate of the largest arrays of one repetition times the number of workers) is refused with a
message saying so, instead of dying with a ``MemoryError`` or swapping.
"""

from __future__ import annotations

import math
import os
import signal
import sys
from contextlib import contextmanager
from fractions import Fraction

import numpy as np
from threadpoolctl import threadpool_limits

__all__ = ["SimulationError", "MEMORY_LIMIT_VARIABLE", "memory_limit_gb", "memory_check",
           "memory_guard", "interruptible", "die_with_parent", "to_float64", "sample_rows", "positive_int", "lam_grid", "repeat"]

#: Environment variable that raises (or lowers) the memory a run may use, in gigabytes.
MEMORY_LIMIT_VARIABLE = "W2S_MAX_MEMORY_GB"
_DEFAULT_MEMORY_GB = 4.0


class SimulationError(ValueError):
    """Bad simulation input (the message names the parameter and the allowed range)."""


def positive_int(name, value, minimum):
    """``value`` when it is an integer ``>= minimum``; else :class:`SimulationError` naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise SimulationError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def lam_grid(name, value, lower=0.0, open_lower=False):
    """A scalar or a grid of values as a 1-d float64 array, each finite and above ``lower``."""
    try:
        a = np.atleast_1d(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise SimulationError(f"{name} must be a finite number or a 1-d grid; got {value!r}") \
            from None
    if a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)):
        raise SimulationError(f"{name} must be a finite number or a 1-d grid; got {value!r}")
    if np.any(a <= lower) if open_lower else np.any(a < lower):
        raise SimulationError(f"{name} must be in {'(' if open_lower else '['}{lower:g}, inf); "
                              f"got {a.min():g}")
    return a


def to_float64(name: str, value) -> float:
    """An exact parameter value (a rational, an integer, a float) in float64, the simulators'
    precision; a non-zero value that underflows to 0.0, or a value that overflows, is refused.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from numerics.simulate.common import to_float64
    >>> to_float64("lam_s", Fraction(1, 4))
    0.25
    >>> to_float64("lam_s", Fraction(1, 10**400))
    Traceback (most recent call last):
    ...
    numerics.simulate.common.SimulationError: lam_s = 1e-400 underflows to 0.0 in float64 (the simulators' precision); use 0 or a value above 2.2e-308
    """
    try:
        x = float(value)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise SimulationError(f"{name} = {_short(value)} overflows float64 (the simulators' "
                              f"precision); use a value below 1.8e308")
    if x == 0 and value != 0:
        raise SimulationError(f"{name} = {_short(value)} underflows to 0.0 in float64 (the "
                              f"simulators' precision); use 0 or a value above 2.2e-308")
    return x


def _short(value) -> str:
    """``value`` as given, or in scientific notation when its digits are too many to print."""
    text = str(value)
    if len(text) <= 40:
        return text
    exact = Fraction(text)
    log = math.log10(abs(exact.numerator)) - math.log10(exact.denominator)
    exponent = math.floor(log)
    return f"{'-' if exact < 0 else ''}{10 ** (log - exponent):.6g}e{exponent:+d}"


def sample_rows(d: int, gamma: float, name: str = "gamma") -> int:
    """Sample size ``round(d / gamma)`` (at least 1)."""
    n = d / gamma
    if not n < 2.0**53:
        raise SimulationError(f"{name} = {gamma:g} asks for d/{name} = {n:g} samples; "
                              f"{name} must be larger")
    return max(1, round(n))


def memory_limit_gb() -> float:
    """The memory a run may use, in gigabytes (``W2S_MAX_MEMORY_GB``, default 4).

    Examples
    --------
    >>> from numerics.simulate.common import memory_limit_gb
    >>> memory_limit_gb() > 0
    True
    """
    text = os.environ.get(MEMORY_LIMIT_VARIABLE, "").strip()
    if not text:
        return _DEFAULT_MEMORY_GB
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise SimulationError(f"{MEMORY_LIMIT_VARIABLE} must be a positive number of gigabytes; "
                              f"got {text!r}")
    return value


def memory_check(d: int, n_t: int, n_s: int, paths: int, n_jobs: int) -> None:
    """Refuse a run whose largest arrays (per repetition, times the workers) exceed the limit.

    The estimate counts the two design matrices, the Gram matrix and its eigenvectors (or the
    matrix solved), the back-projection of the smaller Gram matrix and the ``paths`` estimates of
    dimension ``d``, in float64.
    """
    m = max(min(n_t, d), min(n_s, d))
    elements = (n_t + n_s) * d + 3 * m * m + max(n_t, n_s) * d + 3 * paths * d
    memory_guard(elements, n_jobs, f"d = {d} (n_t = {n_t}, n_s = {n_s}, {paths} estimates)",
                 "d, the grid")


def memory_guard(elements: float, n_jobs: int, what: str, lower: str = "d") -> None:
    """Refuse a run whose largest float64 arrays, ``elements`` per repetition (times the
    workers), exceed ``W2S_MAX_MEMORY_GB``; ``what`` names the sizes in the message.

    Examples
    --------
    >>> from numerics.simulate.common import memory_guard
    >>> memory_guard(1e6, 1, "d = 1000")
    >>> memory_guard(1e12, 1, "d = 10^6")
    Traceback (most recent call last):
    ...
    numerics.simulate.common.SimulationError: d = 10^6 needs about 8e+03 GB, above the limit of 4 GB; lower d or --jobs, or raise the limit with W2S_MAX_MEMORY_GB=GIGABYTES
    """
    need = 8 * float(elements) * n_jobs / 1e9
    limit = memory_limit_gb()
    if need > limit:
        workers = f" ({n_jobs} workers)" if n_jobs > 1 else ""
        raise SimulationError(
            f"{what} needs about {need:.3g} GB{workers}, above the limit of {limit:g} GB; lower "
            f"{lower} or --jobs, or raise the limit with {MEMORY_LIMIT_VARIABLE}=GIGABYTES")


@contextmanager
def interruptible():
    """Turn ``SIGTERM`` into :class:`KeyboardInterrupt` while the block runs (main thread only).

    A terminated run then unwinds like Ctrl-C: joblib kills its worker processes, open files and
    databases are closed. Outside the main thread (where no handler can be set) it does nothing.

    Examples
    --------
    >>> from numerics.simulate.common import interruptible
    >>> with interruptible():
    ...     pass
    """
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_PR_SET_PDEATHSIG = 1
_DYING_WITH: set[int] = set()


def die_with_parent(parent: int) -> None:
    """Make this worker process end when ``parent`` (the process that started it) ends.

    A worker of ``w2s verify --jobs`` or ``w2s sweep --jobs`` would otherwise go on computing,
    adopted by init, after its parent was killed (``kill -9`` or ``kill -TERM``). On Linux the
    kernel sends the worker ``SIGKILL`` when its parent dies (``prctl(PR_SET_PDEATHSIG)``); a
    parent that died before the call is caught by comparing ``os.getppid()``. Elsewhere it does
    nothing. Calling it again in the same process is free.

    Examples
    --------
    >>> import os
    >>> from numerics.simulate.common import die_with_parent
    >>> die_with_parent(os.getppid())   # this process now ends with its parent
    """
    if parent in _DYING_WITH or not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl
        return
    _DYING_WITH.add(parent)
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def repeat(repetition, args, reps: int, seed: int, n_jobs: int = 1):
    """Run ``repetition(rng, *args)`` once per child of ``SeedSequence(seed)``; stack the outputs.

    Each repetition has its own child sequence and one BLAS thread, so the numbers do not
    depend on ``n_jobs``.
    """
    children = np.random.SeedSequence(seed).spawn(reps)
    if n_jobs == 1:
        with threadpool_limits(limits=1):
            results = [repetition(np.random.default_rng(c), *args) for c in children]
    else:
        from joblib import Parallel, delayed

        with interruptible():
            results = Parallel(n_jobs=n_jobs)(
                delayed(_from_seed)(repetition, c, args) for c in children)
    return [np.stack(x) for x in zip(*results)]


def _from_seed(repetition, seed_sequence, args):
    with threadpool_limits(limits=1):
        return repetition(np.random.default_rng(seed_sequence), *args)
