"""``w2s cache``: the disk cache of symbolic work."""

from __future__ import annotations

import click

from proofs_check.cli import app


@app.group("cache")
def cache_() -> None:
    """The disk cache of symbolic work (derived quantities, stable forms).

    \b
    Examples:
      w2s cache info
      w2s cache clear
      W2S_CACHE=0 w2s eval ...      # without the disk cache
    """


@cache_.command("info")
def cache_info() -> None:
    """Where the cache is, and how many entries it holds.

    \b
    Examples:
      w2s cache info
    """
    from theory import cache

    i = cache.info()
    click.echo(f"{i['directory']}: {i['entries']} entries, {i['bytes'] / 1024:.1f} KiB"
               + ("" if i["enabled"] else " (disabled by W2S_CACHE=0)"))


@cache_.command("clear")
def cache_clear() -> None:
    """Delete every entry (each is recomputed when next needed).

    \b
    Examples:
      w2s cache clear
    """
    from theory import cache

    click.echo(f"removed {cache.clear()} entries from {cache.directory().parent}")
