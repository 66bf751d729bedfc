"""Long calls release the GIL and stop on Ctrl-C (SIGINT) with KeyboardInterrupt."""

import os
import signal
import sys
import threading
import time

import pytest

import patron

LONG_GRID = {"dyads.us_israel.credibility": (0.3, 0.8, 400), "chain.recovery": (0.2, 0.8, 400)}


@pytest.fixture(scope="module")
def model(model_path):
    return patron.Model.load(model_path)


def test_the_gil_is_released_during_a_long_sweep(model):
    # While another thread sweeps, this thread keeps counting: if the sweep held the GIL,
    # the count would stall for the sweep's whole duration.
    done = threading.Event()
    result = {}

    def work():
        # Sweeps back to back for at least half a second, so that the check below does not
        # depend on how fast this machine sweeps.
        start = time.perf_counter()
        result["rows"] = 0
        while time.perf_counter() - start < 0.5:
            sweep = model.sweep(vary={"chain.recovery": (0.2, 0.8, 3000)}, progress=False)
            result["rows"] += sweep.rows
        result["seconds"] = time.perf_counter() - start
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    count = 0
    while not done.is_set():
        count += 1
    worker.join()
    assert result["rows"] >= 3000 and result["rows"] % 3000 == 0
    # At least 100,000 increments per second of sweeping: a free-running loop makes millions,
    # a held GIL ~0.
    assert count > result["seconds"] * 1e5, (count, result["seconds"])


def test_two_threads_solve_at_once(model):
    out = [None, None]

    def work(i):
        out[i] = model.solve(scenario=["war", "ceasefire"][i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out[0] == model.solve(scenario="war") and out[1] == model.solve(scenario="ceasefire")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT by os.kill is POSIX")
def test_ctrl_c_stops_a_long_sweep(model):
    sent = {}

    def interrupt():
        sent["at"] = time.perf_counter()
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(0.5, interrupt)
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        model.sweep(vary=LONG_GRID, progress=False)  # 160,000 points: minutes without the interrupt
    stopped = time.perf_counter()
    timer.join()
    assert "at" in sent
    assert stopped - sent["at"] < 1.0, f"took {stopped - sent['at']:.2f} s to stop"
    assert stopped - start < 5.0
