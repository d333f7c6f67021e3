"""Shared fixtures: a local MLflow sqlite store (no server), a fake LLM app, an IPython shell that captures
what it displays, and a clean trace_view state per test."""
import os
import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(pathlib.Path(__file__).parent))


@pytest.fixture(scope="session")
def mlflow_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("mlflow")
    import mlflow

    mlflow.set_tracking_uri(f"sqlite:///{d}/mlflow.db")
    mlflow.create_experiment("trace-view-unit", artifact_location=str(d / "artifacts"))
    mlflow.set_experiment("trace-view-unit")
    yield d
    # drain and stop MLflow's writer threads now, so its exit-time message does not follow pytest's summary
    mlflow.flush_trace_async_logging(terminate=True)


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url, proc, log_path, what, seconds=90):
    """Polls `url` until it answers 200; fails with the process's log if it exits or time runs out."""
    import time
    import urllib.request

    deadline = time.time() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail(f"{what} did not start:\n" + pathlib.Path(log_path).read_text()[-3000:])
        time.sleep(0.5)


@pytest.fixture
def mlflow_server(tmp_path, mlflow_store):
    """A real `mlflow server` on 127.0.0.1 (sqlite backend) for one test; the tracking URI points at it
    during the test and back at the local store afterwards."""
    import subprocess

    import mlflow

    port = free_port()
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--backend-store-uri", f"sqlite:///{tmp_path}/server.db", "--default-artifact-root", str(tmp_path / "art")],
        stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for_http(url + "/health", proc, tmp_path / "server.log", "mlflow server")
    old_uri = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(url)
    mlflow.set_experiment("trace-view-server")
    try:
        yield url
    finally:
        mlflow.flush_trace_async_logging()
        mlflow.set_tracking_uri(old_uri)
        mlflow.set_experiment("trace-view-unit")
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def app(mlflow_store):
    import fake_app

    return fake_app


@pytest.fixture(scope="session")
def shell():
    from IPython.core.displaypub import CapturingDisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.display_pub = CapturingDisplayPublisher()
    return ip


@pytest.fixture
def ip(shell, mlflow_store):
    """A shell with trace_view off, a clean session state and an empty capture list."""
    import trace_view
    from trace_view import _core

    trace_view.disable()
    shell.extension_manager.loaded.discard("trace_view")
    _core._state.__init__()
    _core.options.__init__()
    shell.display_pub.outputs.clear()
    shell.user_ns["fake_app"] = __import__("fake_app")
    yield shell
    trace_view.disable()
    shell.extension_manager.loaded.discard("trace_view")
    _core._state.__init__()
    _core.options.__init__()


def run(ip, code, cell_id=None):
    """Run one cell; return the bundles it displayed (display_data) during and after it."""
    before = len(ip.display_pub.outputs)
    r = ip.run_cell(code, cell_id=cell_id)
    if r.error_in_exec is not None:
        raise r.error_in_exec
    if r.error_before_exec is not None:
        raise r.error_before_exec
    return [o["data"] for o in ip.display_pub.outputs[before:]], r.result
