"""A disk cache for symbolic work: SymPy computations are done once per machine, not per process.

Derived quantities (``ridge.optimal_lambda`` is a SymPy derivation), the mechanisms' derivations
(functions under :func:`once_per_machine`, e.g. the pre-training budget that ``theory.spectral``
solves for and ``theory.single_index`` uses at import), the symbolic route's proofs of the
registered claims (:mod:`proofs_check.routes`) and stable forms
(:func:`numerics.stable.stable_form`) take seconds of SymPy time; the command line and every
``w2s verify`` worker would redo them in every process. They are stored here as pickles, one file per entry, under a per-user directory:

``$W2S_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/w2s-theory``, else ``~/.cache/w2s-theory``;

inside it one folder per package version. An entry's key combines its kind, the *input* (the
expression's ``srepr``, or a quantity's name) and a fingerprint of the source code the result
depends on, so an edited formula or algorithm never reads a stale entry. Writes go to a temporary
file renamed into place (atomic on POSIX), so concurrent processes never read a torn file; an
unreadable entry is recomputed and rewritten. Processes that miss the same entry at once compute
it once: the first holds a lock on it (``fcntl.flock``), the others wait and read it.
``W2S_CACHE=0`` turns the disk cache off; ``w2s cache clear`` empties it and ``w2s cache info``
shows where it is.

Examples
--------
>>> from theory import cache
>>> cache.cached("demo", "square of 12", lambda: 12 ** 2)
144
>>> cache.cached("demo", "square of 12", lambda: 0)   # read back: not recomputed
144
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

__all__ = ["cached", "once_per_machine", "directory", "clear", "info", "fingerprint", "enabled",
           "theory_modules"]


def _version() -> str:
    from theory import __version__  # not importlib.metadata: it scans every distribution (40 ms)

    return __version__


def directory() -> Path:
    """The cache folder of this package version (not created until something is stored).

    Examples
    --------
    >>> from theory.cache import directory
    >>> directory().name.startswith("v")
    True
    """
    root = os.environ.get("W2S_CACHE_DIR")
    if root is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
        root = os.path.join(base, "w2s-theory")
    return Path(root) / f"v{_version()}"


@lru_cache(maxsize=None)
def fingerprint(modules: tuple[str, ...]) -> str:
    """A hash of the source files of ``modules`` (dotted names), to key results on the code.

    Examples
    --------
    >>> from theory.cache import fingerprint
    >>> len(fingerprint(("theory.cache",)))
    16
    """
    digest = hashlib.sha256()
    for name in modules:
        origin = _source_file(name)
        if origin is None:
            digest.update(name.encode())
            continue
        digest.update(Path(origin).read_bytes())
    return digest.hexdigest()[:16]


def _source_file(name: str) -> str | None:
    """The source file of the module ``name``, found without importing its parent packages
    (``importlib.util.find_spec("numerics.single_index")`` would run ``numerics/__init__``:
    20 ms of imports for a ``w2s list`` that needs none of them)."""
    import importlib.util
    import sys

    module = sys.modules.get(name)
    if module is not None and getattr(module, "__file__", None):
        return module.__file__
    top, _, rest = name.partition(".")
    if rest:
        package = sys.modules.get(top)
        spec = None if package is not None else importlib.util.find_spec(top)
        locations = (getattr(package, "__path__", None) if package is not None
                     else spec and spec.submodule_search_locations) or ()
        parts = rest.split(".")
        for base in locations:
            for candidate in (Path(base, *parts[:-1], parts[-1] + ".py"),
                              Path(base, *parts, "__init__.py")):
                if candidate.is_file():
                    return str(candidate)
    spec = importlib.util.find_spec(name)
    return None if spec is None else spec.origin


def enabled() -> bool:
    """Whether the disk cache is on (``W2S_CACHE=0`` turns it off).

    Examples
    --------
    >>> from theory.cache import enabled
    >>> isinstance(enabled(), bool)
    True
    """
    return os.environ.get("W2S_CACHE", "1") not in ("0", "false", "no", "off")


def cached(kind: str, key: str, compute: Callable[[], object],
           depends_on: Iterable[str] = ()) -> object:
    """The value stored under ``(kind, key)``, or ``compute()`` stored there.

    Parameters
    ----------
    kind : str
        A folder name (``"quantity"``, ``"stable"``).
    key : str
        What identifies the input (a name, an ``srepr``).
    compute : callable
        Computes the value (it must pickle).
    depends_on : iterable of str
        Modules whose source the value depends on (their fingerprint is part of the key).

    Returns
    -------
    object
    """
    if not enabled():
        return compute()
    material = "\0".join((key, fingerprint(tuple(depends_on))))
    path = directory() / kind / (hashlib.sha256(material.encode()).hexdigest()[:32] + ".pickle")
    found = _read(path)
    if found is not _MISSING:
        return found
    with _computing(path):
        # another process may have stored it while this one waited for the lock
        found = _read(path)
        if found is not _MISSING:
            return found
        value = compute()
        _write(path, value)
    return value


_MISSING = object()


def _read(path: Path) -> object:
    """The entry stored at ``path``, or :data:`_MISSING`."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # missing, torn or foreign: recompute and overwrite
        return _MISSING


class _computing:
    """An exclusive lock on computing one entry, held across processes (``fcntl.flock`` on a
    lock file beside it): two processes that miss the same entry at once (the workers of
    ``w2s verify --jobs N`` on an empty cache) compute it once, the second reads it. The lock
    is released when its holder ends, however it ends; nested entries take their own locks in
    the order of the computation that needs them, so two processes cannot wait on each other.
    Without ``fcntl`` (Windows) or a writable cache folder it locks nothing."""

    def __init__(self, path: Path):
        self.path, self.handle = path.with_suffix(".lock"), None

    def __enter__(self):
        try:
            import fcntl

            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(self.path, "ab")
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        except (ImportError, OSError):
            if self.handle is not None:
                self.handle.close()
            self.handle = None
        return self

    def __exit__(self, *exc):
        if self.handle is not None:
            # a waiter holding the unlinked file, or a newcomer, reads the stored entry first
            if self.path.with_suffix(".pickle").exists():
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
            self.handle.close()  # closing the file releases the lock
        return False


def _write(path: Path, value: object) -> None:
    """Store ``value`` at ``path`` through a temporary file renamed into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # imported here: a process reading the cache never needs it

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only home or a full disk: the cache is an optimisation only
        pass


def theory_modules() -> tuple[str, ...]:
    """Every module of the ``theory`` package, sorted (a derivation or a proof may use any of
    them, so their results are keyed on the source of all of them).

    Examples
    --------
    >>> from theory.cache import theory_modules
    >>> "theory.spectral" in theory_modules()
    True
    """
    return _theory_modules()


@lru_cache(maxsize=None)
def _theory_modules() -> tuple[str, ...]:
    # what pkgutil.iter_modules(theory.__path__) finds (its modules and subpackages), without
    # importing pkgutil (a few milliseconds of every w2s command)
    import theory

    found = set()
    for folder in theory.__path__:
        for entry in os.scandir(folder):
            name, ext = os.path.splitext(entry.name)
            if not name.isidentifier() or name == "__init__":
                continue
            if (entry.is_file() and ext == ".py") or (
                    entry.is_dir() and ext == "" and os.path.isfile(
                        os.path.join(entry.path, "__init__.py"))):
                found.add(name)
    return tuple(sorted("theory." + name for name in found))


def once_per_machine(function: Callable) -> Callable:
    """Decorate a SymPy derivation so that it runs once per machine, not once per process.

    The result of ``function(*args)`` is kept in memory (``functools.lru_cache``) and on disk
    (kind ``"derivation"``), keyed on the function's qualified name, its arguments' ``repr`` and
    the source of every ``theory`` module (:func:`theory_modules`). The arguments must be
    hashable with a ``repr`` that identifies them (integers, strings), and the result must pickle
    (SymPy expressions and :class:`theory.derivation.Derivation` do).

    Parameters
    ----------
    function : callable
        A function of hashable arguments whose result depends only on them and on the ``theory``
        package.

    Returns
    -------
    callable
        The function, computed at most once per machine for each arguments.

    Examples
    --------
    >>> from theory.cache import once_per_machine
    >>> @once_per_machine
    ... def cube(k):
    ...     return k ** 3
    >>> cube(3)
    27
    >>> cube.__wrapped__(4)     # the undecorated function, for a fresh computation
    64
    """
    import functools

    @functools.lru_cache(maxsize=None)
    def run(*args, **kwargs):
        key = f"{function.__module__}.{function.__qualname__}{args!r}{sorted(kwargs.items())!r}"
        return cached("derivation", key, lambda: function(*args, **kwargs),
                      depends_on=theory_modules())

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return run(*args, **kwargs)

    wrapper.cache_clear = run.cache_clear  # as for a function under lru_cache
    wrapper.once_per_machine = True  # found by the tests, which compare a read entry with a fresh one
    return wrapper


def clear() -> int:
    """Delete every cached entry of every version; return the number of files removed.

    Examples
    --------
    >>> import os, tempfile
    >>> from theory import cache
    >>> os.environ["W2S_CACHE_DIR"] = tempfile.mkdtemp()
    >>> _ = cache.cached("demo", "x", lambda: 1)
    >>> cache.clear()
    1
    >>> del os.environ["W2S_CACHE_DIR"]
    """
    import shutil

    root = directory().parent
    if not root.exists():
        return 0
    count = sum(1 for p in root.rglob("*.pickle"))
    shutil.rmtree(root, ignore_errors=True)
    return count


def info() -> dict:
    """Where the cache is, how many entries it holds and their size in bytes.

    Examples
    --------
    >>> from theory.cache import info
    >>> sorted(info())
    ['bytes', 'directory', 'enabled', 'entries']
    """
    here = directory()
    files = list(here.rglob("*.pickle")) if here.exists() else []
    return {"directory": str(here), "entries": len(files),
            "bytes": sum(p.stat().st_size for p in files), "enabled": enabled()}
