"""What ``w2s list`` prints, kept in the disk cache: a warm listing imports no mechanism's theory
module and builds no claim.

Examples
--------
>>> from theory.listing import listing
>>> quantities, claims = listing()
>>> len(quantities) > 50 and len(claims) > 20
True
"""

from __future__ import annotations

__all__ = ["listing"]


def _listing_rows() -> tuple[tuple[tuple[str, tuple[str, ...], str], ...],
                             tuple[tuple[str, str, str], ...]]:
    from theory import registry
    from theory.claims import claims

    quantities = tuple((n, tuple(p.name for p in registry.get(n).parameters),
                        registry.get(n).description) for n in registry.names())
    return quantities, tuple((c.id, c.kind, c.source) for c in claims())


def listing() -> tuple[tuple[tuple[str, tuple[str, ...], str], ...],
                       tuple[tuple[str, str, str], ...]]:
    """What ``w2s list`` prints: ``(name, parameter names, description)`` of every quantity and
    ``(id, kind, source)`` of every claim, both sorted.

    Building them imports every mechanism's theory modules and constructs every claim (half a
    second of SymPy work); the rows are kept in the disk cache (:mod:`theory.cache`), keyed on
    the installed mechanisms (their descriptions) and the source of the ``theory`` package and
    of every module a mechanism names (its theory modules and facets), so a second ``w2s list``
    imports none of them. A plug-in whose claims depend on modules it does not name is
    refreshed by ``w2s cache clear``.

    Returns
    -------
    tuple
        ``(quantities, claims)``.

    Examples
    --------
    >>> from theory.listing import listing
    >>> quantities, claims = listing()
    >>> [row for row in quantities if row[0] == "mp.kappa"][0][:2]
    ('mp.kappa', ('lam', 'gamma'))
    >>> ("ridge.min_norm_student", "forall") in [row[:2] for row in claims]
    True
    """
    from theory import cache
    from theory.catalogue import catalogue

    mechanisms = [(m.name, m.theory, m.claims, m.functions) for m in catalogue().values()]
    named = set()
    for _, theory, claims, functions in mechanisms:
        named.update(module for _, module in theory)
        named.update(ref.split(":")[0] for ref in (claims, functions) if ref is not None)
    key = repr(mechanisms)
    return cache.cached("listing", key, _listing_rows,
                        depends_on=cache.theory_modules() + tuple(sorted(named)))
