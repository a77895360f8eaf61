"""Blocked evaluation of the float64 code: long arrays in pieces that stay in the CPU's cache.

A NumPy expression makes one pass over memory per operation; on 400 000 points each array is
3.2 MB, beyond the cache, so every pass waits on memory. :func:`in_blocks` runs the compiled
function of a stable form on pieces of :data:`BLOCK` points (every temporary then stays in the
cache) and puts the pieces together: arrays are written into one output, the reductions the
code returns (the least value of a sum, the largest ratio, see
:class:`numerics.float64.RatioChecked`) are reduced once more. The values are those of one call
on the whole arrays, element by element (the same operations on the same numbers).

Examples
--------
>>> import numpy as np
>>> from numerics.float64_blocks import in_blocks
>>> f = in_blocks(lambda x, y: (x * y + 1.0, np.amax(x)), kinds=("array", "max"))
>>> x = np.arange(300_000.0)
>>> value, largest = f(x, 2.0)
>>> value[-1], largest
(np.float64(599999.0), np.float64(299999.0))
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["BLOCK", "in_blocks"]

#: Points per piece: 64 Ki float64 numbers, 512 KiB an array, so that the dozen arrays of a
#: typical form stay in the cache.
BLOCK = 1 << 16

_COMBINE = {"min": np.minimum.reduce, "max": np.maximum.reduce}


def in_blocks(f, kinds=None):
    """``f`` (a function of arrays that broadcast) evaluated on pieces of :data:`BLOCK` points.

    Parameters
    ----------
    f : callable
        The compiled function; it returns an array (``kinds`` ``None``) or a tuple whose items
        are, by ``kinds``, an array of the points (``"array"``) or a reduction over them
        (``"min"``, ``"max"``).
    kinds : tuple of str, optional

    Returns
    -------
    callable
        Of the same arguments and results. Arguments of other shapes than the broadcast one
        (other than scalars), and arrays of at most two pieces, go to ``f`` whole.

    Examples
    --------
    >>> import numpy as np
    >>> g = in_blocks(lambda x: np.sqrt(x))
    >>> bool((g(np.arange(200_000.0)) == np.sqrt(np.arange(200_000.0))).all())
    True
    """

    def run(*args):
        shapes = [np.shape(a) for a in args]
        shape = np.broadcast_shapes(*shapes)
        size = math.prod(shape)
        if size <= 2 * BLOCK or any(s not in ((), shape) for s in shapes):
            return f(*args)
        flat = [np.ravel(a) if np.shape(a) == shape else a for a in args]
        kind = kinds or ("array",)
        results: list = [None] * len(kind)
        for lo in range(0, size, BLOCK):
            hi = min(lo + BLOCK, size)
            part = f(*[a[lo:hi] if np.ndim(a) else a for a in flat])
            for i, (item, k) in enumerate(zip((part,) if kinds is None else part, kind)):
                if k == "array":
                    if results[i] is None:
                        results[i] = np.empty(size, dtype=np.result_type(item))
                    results[i][lo:hi] = item
                else:
                    results[i] = item if results[i] is None else _COMBINE[k](
                        [results[i], item])
        results = [r.reshape(shape) if k == "array" else r for r, k in zip(results, kind)]
        return results[0] if kinds is None else tuple(results)

    return run
