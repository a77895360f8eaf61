"""The ``w2s`` command line: the group, input helpers, exit codes; one module per command group.

``claims`` (``list``, ``verify``), ``quantities`` (``eval``, ``latex``, ``shell``), ``simulation``
(``simulate``, ``sweep``), ``boundary``, ``figures`` (``plot``), ``checkpoints`` (``pgr``),
``cache``.

Exit codes: 0 success, 1 a claim refuted or a check failed, 2 bad usage or bad input. Errors are
one line on standard error, never a traceback.

Examples
--------
>>> from proofs_check.cli import run
>>> run(["eval", "ridge.optimal_lambda", "gamma_t=1/2", "sigma2=0.2", "--dps", "10"])
0.1
0
>>> run(["eval", "ridge.teacher_risk", "gamma_t=-1"])
2
"""

from __future__ import annotations

import os
import sys

import click

# Only click is imported here: each command imports what it uses (SymPy, Hypothesis, rich,
# matplotlib), so `w2s --help` starts in a fraction of a second and `w2s eval` never imports
# Hypothesis.

__all__ = ["app", "main", "run", "UsageFailure", "split_assignments", "jobs_option"]

#: Route names (``proofs_check.routes.ROUTES``), for the help text without importing Hypothesis.
ROUTE_NAMES = ("symbolic", "sampled", "montecarlo", "certified")
#: Routes ``w2s verify`` runs by default (``proofs_check.checking.DEFAULT_ROUTES``).
DEFAULT_ROUTES = ("symbolic", "sampled")
#: LaTeX forms (``theory.latex.FORMS``).
FORMS = ("compact", "explicit")


@click.group(name="w2s", no_args_is_help=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="w2s-theory", prog_name="w2s", message="%(prog)s %(version)s")
def app() -> None:
    """Verify the theory of weak-to-strong generalisation: quantities, LaTeX, claims."""


class UsageFailure(Exception):
    """Bad usage or bad input detected by a command (exit code 2)."""


def split_assignments(items) -> dict[str, str]:
    """``PARAM=VALUE`` arguments as a dict of text values (bad form: :class:`UsageFailure`)."""
    values = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise UsageFailure(f"expected PARAM=VALUE, got {item!r}")
        if not name.isidentifier():
            raise UsageFailure(f"{name!r} is not a parameter name (expected PARAM=VALUE, got "
                               f"{item!r})")
        if name in values:
            raise UsageFailure(f"parameter {name} given twice")
        values[name] = value
    return values


def run(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit code instead of exiting.

    Errors (bad usage, bad values, unknown names) print one line on standard error.
    """
    try:
        result = app.main(args=argv, prog_name="w2s", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help() if error.ctx else str(error))
        return 0
    except click.exceptions.UsageError as error:
        return _fail(error.format_message())
    except UsageFailure as error:
        return _fail(str(error))
    except (click.exceptions.Abort, KeyboardInterrupt):
        return _fail("interrupted; finished rows are kept (rerun a sweep to resume)", code=130)
    except OSError as error:
        return _fail(f"{error.strerror}: {error.filename}" if error.filename else str(error))
    except Exception as error:  # bad input found by a library layer, or a bug
        if _bad_input(error):
            return _fail(str(error))
        if os.environ.get("W2S_DEBUG"):
            raise
        return _fail(f"internal error ({type(error).__name__}: {error}); rerun with W2S_DEBUG=1 "
                     f"for the traceback", code=1)
    return result if isinstance(result, int) else 0


def jobs_option(value: int) -> int:
    """``--jobs``: an integer >= 1."""
    if value < 1:
        raise UsageFailure(f"--jobs must be an integer >= 1 (worker processes); got {value}")
    return value


def _bad_input(error: Exception) -> bool:
    """Whether ``error`` is bad input (a ParameterError, an unknown name, a simulation's bad
    argument); the classes are looked up only in modules already imported, which they must be if
    they were raised."""
    for module, name in (("numerics.validation", "ParameterError"),
                         ("theory.errors", "UnknownNameError"),
                         ("theory.mechanism", "MechanismError"),
                         ("numerics.simulate.common", "SimulationError")):
        cls = getattr(sys.modules.get(module), name, None)
        if cls is not None and isinstance(error, cls):
            return True
    return False


def _fail(message: str, code: int = 2) -> int:
    print(f"w2s: error: {message}", file=sys.stderr)
    return code


def main() -> None:  # pragma: no cover - console-script entry point
    """Entry point of the ``w2s`` console script."""
    sys.exit(run())


# the commands register themselves on ``app`` (each imports only click at module level)
from proofs_check.cli import (boundary, cache, checkpoints, claims, figures,  # noqa: E402,F401
                              quantities, simulation)
