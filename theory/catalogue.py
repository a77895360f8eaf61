"""The catalogue of mechanisms: every installed :class:`~theory.mechanism.Mechanism`.

Mechanisms are discovered through the entry point group ``w2s_theory.mechanisms``. The built-in
mechanisms register there too (``pyproject.toml``), exactly as a third-party package does::

    [project.entry-points."w2s_theory.mechanisms"]
    toy = "my_package.mechanism:TOY"

An entry point names a :class:`~theory.mechanism.Mechanism` (or a function of no arguments that
returns one); its name must be the mechanism's name. The built-ins come first, in the order of
:data:`theory.mechanisms.BUILTIN`, then the others by name. A package whose entry point fails to
load is left out with a warning that names it (the rest of the catalogue still works); two
mechanisms that claim the same name or prefix are refused.

Run from a source tree that is not installed, the entry points are missing and the built-ins
are taken from :data:`theory.mechanisms.BUILTIN` directly.

Examples
--------
>>> from theory.catalogue import catalogue, owner
>>> list(catalogue())[:5]
['mp', 'ridge', 'weighted_ridge', 'multi_index', 'single_index']
>>> owner("spectral.bbp_threshold").name
'single_index'
"""

from __future__ import annotations

import difflib
import warnings
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from theory.mechanism import Mechanism, MechanismError, resolve

__all__ = ["GROUP", "catalogue", "mechanism", "owner", "load", "refresh"]

#: The entry point group a package registers its mechanisms under (a fixed, public name).
GROUP = "w2s_theory.mechanisms"


def _scan() -> list[tuple[str, str]]:
    from importlib.metadata import entry_points

    return [(ep.name, ep.value) for ep in entry_points(group=GROUP)]


def _entry_points() -> list[tuple[str, str]]:
    """``(name, value)`` of the group's entry points.

    Finding them reads the metadata of every installed distribution (30-40 ms, more than the
    rest of ``w2s eval``'s start-up work), so the list is kept in the disk cache
    (:mod:`theory.cache`), keyed on the modification times of the import path's folders:
    installing or removing a package changes the folder that holds its metadata.
    """
    import os
    import sys

    from theory import cache

    key = repr([(p, os.stat(p).st_mtime_ns) for p in sys.path if p and os.path.isdir(p)])
    return cache.cached("entry-points", key, _scan)


def _discovered() -> list[tuple[str, object]]:
    found = []
    for name, value in _entry_points():
        try:
            obj = resolve(value)
            if callable(obj) and not isinstance(obj, Mechanism):
                obj = obj()
        except Exception as error:  # a broken plug-in must not take the others down
            warnings.warn(f"mechanism entry point {name} = {value} does not load "
                          f"({type(error).__name__}: {error}); it is left out", stacklevel=3)
            continue
        found.append((name, obj))
    return found


@lru_cache(maxsize=None)
def catalogue() -> Mapping[str, Mechanism]:
    """Every installed mechanism by name: the built-ins first, then the others by name.

    Returns
    -------
    mapping of str to Mechanism
        Read-only.

    Raises
    ------
    MechanismError
        When an entry point names something that is not a mechanism, its name differs from the
        mechanism's, or two mechanisms claim one name or prefix.

    Examples
    --------
    >>> from theory.catalogue import catalogue
    >>> catalogue()["ridge"].title
    'Ridge teacher, ridge student (mechanism 1)'
    """
    from theory.mechanisms import BUILTIN

    found = {}
    for entry, obj in _discovered():
        if not isinstance(obj, Mechanism):
            raise MechanismError(f"entry point {entry!r} of group {GROUP} names "
                                 f"{type(obj).__name__}, not a theory.mechanism.Mechanism")
        if obj.name != entry:
            raise MechanismError(f"entry point {entry!r} of group {GROUP} names the mechanism "
                                 f"{obj.name!r}: the two names must agree")
        if entry in found and found[entry] is not obj:
            raise MechanismError(f"two packages register a mechanism called {entry!r}")
        found[entry] = obj
    builtin = {m.name: m for m in BUILTIN}
    if not any(name in found for name in builtin):  # a source tree that is not installed
        found.update(builtin)
    ordered = {n: found.pop(n) for n in builtin if n in found}
    ordered.update(sorted(found.items()))
    owners: dict[str, str] = {}
    for m in ordered.values():
        for prefix in m.prefixes:
            if prefix in owners:
                raise MechanismError(f"mechanisms {owners[prefix]} and {m.name} both claim the "
                                     f"prefix {prefix!r}")
            owners[prefix] = m.name
    return MappingProxyType(ordered)


def refresh() -> None:
    """Forget the catalogue, so that the next call discovers the mechanisms again (after a
    package was installed into the running interpreter)."""
    catalogue.cache_clear()
    _owners.cache_clear()


@lru_cache(maxsize=None)
def _owners() -> Mapping[str, Mechanism]:
    return {prefix: m for m in catalogue().values() for prefix in m.prefixes}


def mechanism(name: str) -> Mechanism:
    """The mechanism called ``name``.

    Raises
    ------
    theory.registry.UnknownNameError
        With the closest names.

    Examples
    --------
    >>> from theory.catalogue import mechanism
    >>> mechanism("weighted_ridge").simulation
    'proofs_check.mechanisms.weighted_ridge:simulation'
    >>> mechanism("rigde")
    Traceback (most recent call last):
    ...
    theory.errors.UnknownNameError: unknown mechanism 'rigde'; did you mean ridge?
    """
    from theory.errors import UnknownNameError

    known = catalogue()
    if name not in known:
        close = difflib.get_close_matches(name, list(known), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(known)}"
        raise UnknownNameError(f"unknown mechanism {name!r}{hint}")
    return known[name]


def owner(name: str) -> Mechanism | None:
    """The mechanism that owns the dotted quantity or claim ``name`` (by its prefix), if any.

    Examples
    --------
    >>> from theory.catalogue import owner
    >>> owner("mp.stieltjes").name, owner("nothing.here")
    ('mp', None)
    """
    return _owners().get(name.split(".")[0])


def load(name: str | None = None) -> None:
    """Import the theory modules of the mechanism owning ``name`` (of every one when ``None``).

    Examples
    --------
    >>> from theory.catalogue import load
    >>> load("ridge.student_risk")
    """
    if name is None:
        for m in catalogue().values():
            m.load()
        return
    m = owner(name)
    if m is not None:
        m.load()

