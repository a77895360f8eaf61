"""A command that fails to start leaves nothing behind and says why in one line.

Each row: the arguments, the words the one ``w2s: error:`` line must hold (the parameter and its
bound), exit code 2, nothing on standard output, and no file in the working directory (a sweep
that failed before its first row used to leave an empty SQLite file). Every case is cheap: the
run is refused before any simulation.
"""

import socket
import threading

import pytest

from proofs_check.cli import run

SINGLE = ["spike=1", "gamma_u=0.25", "eta1=0.45", "rho_w=0.9", "c3=1", "b1=0.5", "b3=1",
          "delta=0.005"]
RIDGE = ["gamma_t=0.5", "lam_t=0.1", "lam_s=0.1", "gamma_s=0.5", "sigma2=1"]


@pytest.fixture(scope="module")
def not_a_scheduler():
    """A TCP peer that answers every connection with bytes no Dask scheduler sends."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            try:
                conn.sendall(b"\xff" * 4096)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield "tcp://127.0.0.1:%d" % server.getsockname()[1]
    stop.set()
    thread.join(2)
    server.close()


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# (argv, words the one error line must contain); "{peer}" is the fake scheduler's address
CASES = [
    (["sweep", "single_index", *SINGLE, "--d", "3"], ["d must be an integer >= 4", "3"]),
    (["sweep", "ridge", *RIDGE, "--d", "1"], ["d must be an integer >= 2", "1"]),
    (["sweep", "ridge", *RIDGE, "--d", "20", "--scheduler", "{peer}"],
     ["--scheduler", "not a Dask scheduler"]),
    (["sweep", "ridge", *RIDGE, "--d", "20", "--scheduler", "tcp://127.0.0.1:{closed}"],
     ["--scheduler", "cannot reach a Dask scheduler"]),
    (["sweep", "ridge", *RIDGE, "--d", "20", "--scheduler", "no scheduler"],
     ["--scheduler", "not a scheduler address"]),
    (["sweep", "ridge", *RIDGE, "--d", "20", "--scheduler", "http://127.0.0.1:80"],
     ["--scheduler", "unknown scheme"]),
    (["simulate", "single_index", *SINGLE, "algorithm=sgd", "alpha=1e12", "--d", "20"],
     ["alpha", "at most 5e+06 at d = 20", "10^8"]),
    (["simulate", "single_index", *SINGLE, "algorithm=sgd", "alpha=1e300", "--d", "20"],
     ["alpha", "10^8"]),
    (["simulate", "single_index", *SINGLE, "algorithm=sgd", "alpha=inf", "--d", "20"],
     ["alpha"]),
    (["simulate", "single_index", *SINGLE, "steps=1000001", "--d", "20"], ["steps", "10^6"]),
]


@pytest.mark.parametrize("argv, words", CASES, ids=[" ".join(a) for a, _ in CASES])
def test_a_failed_start_is_one_line_and_leaves_nothing(argv, words, capsys, tmp_path,
                                                        monkeypatch, not_a_scheduler):
    monkeypatch.chdir(tmp_path)
    argv = [a.format(peer=not_a_scheduler, closed=_closed_port()) for a in argv]
    assert run(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("w2s: error: ") and "internal error" not in lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert captured.out == ""
    assert not list(tmp_path.iterdir())


def test_a_sweep_file_that_existed_is_kept(tmp_path, monkeypatch, capsys):
    """The cleanup removes only a file the failed run created: an earlier sweep's file stays."""
    monkeypatch.chdir(tmp_path)
    assert run(["sweep", "ridge", *RIDGE, "--d", "4", "--reps", "2", "--db", "kept.sqlite"]) == 0
    before = (tmp_path / "kept.sqlite").stat().st_size
    assert run(["sweep", "ridge", *RIDGE, "--d", "4", "--reps", "2", "--db", "kept.sqlite",
                "--scheduler", "tcp://127.0.0.1:%d" % _closed_port()]) == 2
    assert (tmp_path / "kept.sqlite").stat().st_size >= before > 0
    capsys.readouterr()
