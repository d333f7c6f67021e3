"""A real JupyterLab 4 server (127.0.0.1, token, dark theme) driven by headless Chromium: run all cells of a
notebook that creates MLflow traces, check every viewer renders with the right span count and follows the
dark theme; save, reload (the reopened trusted notebook) and check again."""
import json
import os
import pathlib
import subprocess
import sys

import nbformat
import pytest

from conftest import REPO, free_port, wait_for_http
from test_notebook_e2e import CELLS, LOADER

HERE = pathlib.Path(__file__).parent


def run_lab(url, shot_name, *args, timeout=260):
    """Drives a notebook page with lab_run.mjs; returns its JSON report (asserting it did not fail)."""
    shot = REPO / "target" / "screenshots" / "jupyter" / shot_name
    p = subprocess.run(["node", str(HERE / "lab_run.mjs"), "--url", url, "--shot", str(shot), *args],
                       cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, p.stderr[-2000:]
    r = json.loads(p.stdout)
    assert "fatal" not in r, (r.get("fatal"), r.get("steps"), r.get("partial"))
    return r
EXPECTED = ["4 spans", "2 traces · 8 spans", "1,000 spans", "4 traces · 1,012 spans", "4 spans", "4 spans"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    settings = root / ".settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "themes.jupyterlab-settings").write_text(json.dumps({"theme": "JupyterLab Dark"}))
    nb = nbformat.v4.new_notebook()
    # without the last cell (disable()), so that re-running cell 2 later still shows its trace
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS[:-1]]
    # the server's own native kernel ("python3" = the venv's Python, the one running jupyter lab)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "live.ipynb")
    port, token = free_port(), "tv-" + os.urandom(8).hex()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root / ".config"), JUPYTER_RUNTIME_DIR=str(root / ".runtime"))
    log = open(root / "lab.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip", "127.0.0.1", "--port", str(port),
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0", "--allow-root",
         f"--LabApp.user_settings_dir={root / '.settings'}", f"--LabApp.workspaces_dir={root / '.workspaces'}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/api/status?token={token}", proc, root / "lab.log", "jupyter lab")
    yield base, token, root
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_jupyterlab_runs_renders_follows_dark_theme_and_reopens(lab):
    base, token, root = lab
    r = run_lab(f"{base}/lab/tree/live.ipynb?token={token}", "jupyterlab.png",
                "--count", "6", "--timeout", "180000", "--rerun-cell", "2")
    for phase in ("live", "reopened"):
        s = r[phase]
        got = [e["listSummary"] or e["spanCount"] for e in s["elements"]]
        assert got == EXPECTED, (phase, got, s)
        assert all(e["error"] is None for e in s["elements"]), phase
        assert s["theme"] == "false"  # JupyterLab Dark
        assert [e["theme"] for e in s["elements"]] == ["dark"] * 6, phase
        assert all("dark" in (e["rootTheme"] or "") for e in s["elements"]), phase
        assert s["loaderScripts"] == 1, phase
        assert s["hints"] == [], phase
        assert s["elements"][0]["names"][:1] == ["agent"], phase
    # cell 2 held the viewer code and was re-run: its new output carries the code again, once
    assert r["afterRerun"]["loaderScripts"] >= 1
    saved = nbformat.read(root / "live.ipynb", as_version=4)
    loaders = [i for i, c in enumerate(saved.cells) for o in c.get("outputs", [])
               if LOADER in o.get("data", {}).get("text/html", "")]
    assert loaders == [2], loaders
    timing = {"run_all_to_all_rendered_ms": r["renderedAfterRunAllMs"], "live": r["liveLoads"],
              "reopened": r["reopenedLoads"], "steps": r["steps"]}
    (REPO / "target" / "screenshots" / "jupyter" / "jupyterlab-timing.json").write_text(json.dumps(timing, indent=1))
    print("JupyterLab timing:", timing)


def test_notebook7_runs_and_renders(lab):
    """The same notebook in Notebook 7 (/notebooks/…), served by the same server."""
    base, token, root = lab
    src = nbformat.v4.new_notebook()
    src.cells = [nbformat.v4.new_code_cell(c.replace("notebook-e2e", "notebook7")) for c in CELLS[:-1]]
    src.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(src, root / "nb7.ipynb")
    r = run_lab(f"{base}/notebooks/nb7.ipynb?token={token}", "notebook7.png", "--count", "6", "--timeout", "180000")
    for phase in ("live", "reopened"):
        s = r[phase]
        got = [e["listSummary"] or e["spanCount"] for e in s["elements"]]
        # same store file as live.ipynb, another experiment: search_traces() sees this experiment only
        assert got == EXPECTED, (phase, got)
        assert s["loaderScripts"] == 1, phase
        want = {"true": "light", "false": "dark"}.get(s["theme"], "auto")
        assert [e["theme"] for e in s["elements"]][:5] == [want] * 5, (phase, s["theme"])


def test_untrusted_notebook_in_jupyterlab_shows_the_static_summary(lab):
    """A notebook from elsewhere (not signed by this server) is untrusted: JupyterLab sanitises its HTML
    and runs no script. The output must still say what the trace is."""
    import trace_view
    from trace_view import _core

    base, token, root = lab
    _core._state.__init__()
    b = trace_view.bundle(str(REPO / "tests" / "fixtures" / "corpus" / "01_all_span_types.json"))
    assert LOADER in b["text/html"]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("trace_view.show('01_all_span_types.json')", outputs=[
        nbformat.v4.new_output("display_data", data=b)])]
    nbformat.write(nb, root / "untrusted.ipynb")  # not signed: untrusted
    shot = REPO / "target" / "screenshots" / "jupyter" / "jupyterlab-untrusted.png"
    p = subprocess.run(["node", str(HERE / "lab_run.mjs"), "--url", f"{base}/lab/workspaces/untrusted/tree/untrusted.ipynb?token={token}",
                        "--inspect-only", "--shot", str(shot), "--timeout", "60000"],
                       cwd=REPO, capture_output=True, text=True, timeout=120)
    r = json.loads(p.stdout)
    assert "fatal" not in r, r
    s = r["inspect"]
    assert s["loaderScripts"] == 0 and all(e["spanCount"] is None for e in s["elements"]), s
    text = " ".join(s["outputText"])
    assert "13 spans" in text and "OK" in text, text
    assert "Static summary" in text
