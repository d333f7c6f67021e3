"""End to end: a real notebook, executed by nbclient in a real ipykernel (the venv's Python), creates traces
with the real MLflow SDK (local sqlite store, fake LLM, no network), searches and displays them; it is
exported with `jupyter nbconvert --to html` and the HTML is opened OFFLINE in headless Chromium, where each
viewer must show the right span count and span names. Screenshots go to target/screenshots/jupyter/."""
import json
import os
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import REPO

HERE = pathlib.Path(__file__).parent
SHOTS = REPO / "target" / "screenshots" / "jupyter"
LOADER = "data-trace-view-loader"
KERNEL = "trace-view-venv"

CELLS = [
    # 0 setup: a local sqlite store in the notebook's folder, no server
    f"import sys; sys.path.insert(0, {str(HERE)!r})\n"
    "import mlflow\n"
    "mlflow.set_tracking_uri('sqlite:///mlflow.db')\n"
    "mlflow.set_experiment('notebook-e2e')\n"
    "import fake_app",
    # 1
    "%load_ext trace_view",
    # 2 one trace (4 spans); this output also carries the viewer code
    "answer = fake_app.agent(\"What's the weather in Paris?\")\nfirst_id = mlflow.get_last_active_trace_id()",
    # 3 two traces in one cell: one output, a trace list
    "fake_app.agent('first question'); fake_app.agent('second question')",
    # 4 a 1,000-span trace
    "big_id = fake_app.many_spans(1000)",
    # 5 search_traces: a list of every trace (flush=True: MLflow writes traces to the store asynchronously;
    # trace_view waits for the writes after a cell, bounded, so this is only belt and braces on a busy CI)
    "df = mlflow.search_traces(flush=True)\nlen(df)",
    # 6 a Trace as the cell's value
    "t = mlflow.get_trace(first_id)\nt",
    # 7 show() with options
    "import trace_view\ntrace_view.show(t.to_dict(), theme='dark', height=420)",
    # 8 disabled: nothing
    "trace_view.disable()\nfake_app.agent('not shown')",
]


@pytest.fixture(scope="module")
def kernelspec(tmp_path_factory):
    """A kernelspec that runs this (the venv's) Python, found through JUPYTER_PATH."""
    d = tmp_path_factory.mktemp("jupyter-path")
    k = d / "kernels" / KERNEL
    k.mkdir(parents=True)
    (k / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "trace-view venv", "language": "python",
    }))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(d) + (os.pathsep + old if old else "")
    yield KERNEL
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old


def viewer_outputs(cell):
    return [o for o in cell.get("outputs", []) if "<trace-view" in o.get("data", {}).get("text/html", "")]


def data_of(html):
    m = re.search(r'<script type="application/json">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def executed(kernelspec, tmp_path_factory):
    work = tmp_path_factory.mktemp("notebook")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": kernelspec, "display_name": "trace-view venv", "language": "python"}
    env_keep = os.environ.get("MLFLOW_USE_BATCH_SPAN_PROCESSOR")
    assert env_keep in (None, "true", "True"), "the test must run with MLflow's default batched export"
    NotebookClient(nb, timeout=180, kernel_name=kernelspec, resources={"metadata": {"path": str(work)}}).execute()
    path = work / "traces.ipynb"
    nbformat.write(nb, path)
    return nb, work, path


_span_counts = {}


def expected_spans(work, trace_id):
    """Span count of a trace, read back from the notebook's sqlite store (one client: opening a store is slow)."""
    if trace_id not in _span_counts:
        from mlflow import MlflowClient

        key = ("client", str(work))
        if key not in _span_counts:
            _span_counts[key] = MlflowClient(tracking_uri=f"sqlite:///{work}/mlflow.db")
        _span_counts[trace_id] = len(_span_counts[key].get_trace(trace_id).data.spans)
    return _span_counts[trace_id]


def label(n, word):
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def test_executed_notebook_has_one_viewer_per_event_and_the_code_once(executed):
    nb, work, _ = executed
    views = [viewer_outputs(c) for c in nb.cells]
    assert [len(v) for v in views] == [0, 0, 1, 1, 1, 1, 1, 1, 0], [len(v) for v in views]
    # the viewer code is in the first trace output only
    loaders = [i for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
               if LOADER in o.get("data", {}).get("text/html", "")]
    assert loaders == [2]
    assert isinstance(data_of(views[3][0]["data"]["text/html"]), list)
    assert len(data_of(views[3][0]["data"]["text/html"])) == 2
    assert len(data_of(views[5][0]["data"]["text/html"])) == 4  # cells 2, 3 (two) and 4
    # cell 6 shows the Trace as the cell's value (execute_result), cell 7 via show()
    assert views[6][0]["output_type"] == "execute_result"
    # MLflow's own display never shows (sqlite store) and nothing shows twice
    for c in nb.cells:
        for o in c.get("outputs", []):
            assert "notebook-trace-renderer" not in o.get("data", {}).get("text/html", "")
    # readable text/plain fallback
    assert "4 spans" in views[2][0]["data"]["text/plain"]
    # sizes, for the report
    sizes = {
        "loader_output": len(views[2][0]["data"]["text/html"]),
        "small_output_no_loader": len(views[6][0]["data"]["text/html"]),
        "small_data": len(json.dumps(data_of(views[6][0]["data"]["text/html"]), separators=(",", ":"), ensure_ascii=False)),
        "1k_output": len(views[4][0]["data"]["text/html"]),
        "1k_data": len(json.dumps(data_of(views[4][0]["data"]["text/html"]), separators=(",", ":"), ensure_ascii=False)),
        "ipynb_bytes": os.path.getsize(executed[2]),
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "sizes.json").write_text(json.dumps(sizes, indent=1))
    print("sizes:", sizes)
    assert sizes["small_output_no_loader"] - sizes["small_data"] < 6000
    assert sizes["1k_output"] - sizes["1k_data"] < 6000


def render(url, shot, *extra, timeout=90000):
    cmd = ["node", str(HERE / "render_page.mjs"), "--url", url, "--shot", str(shot), "--timeout", str(timeout), *extra]
    p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout / 1000 + 60)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout)


def test_nbconvert_html_renders_offline_in_chromium(executed):
    nb, work, path = executed
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", str(path)], check=True,
                   capture_output=True, timeout=120)
    html_path = path.with_suffix(".html")
    assert html_path.stat().st_size < 3_000_000
    r = render(html_path.as_uri(), SHOTS / "nbconvert-offline.png", "--offline", "--open-lists", "--wait-count", "6")
    assert "fatal" not in r, r.get("fatal")
    assert not r.get("timedOut"), r
    assert r["pageErrors"] == [], r["pageErrors"]
    assert r["loaderScripts"] == 1
    assert all(u.startswith("http") for u in r["blocked"])  # only the template's CDN assets were refused
    els = r["elements"]
    assert len(els) == 6, els

    # expected values from the store, by the trace ids each output embeds
    outputs = [viewer_outputs(c)[0] for c in nb.cells if viewer_outputs(c)]
    for el, out in zip(els, outputs):
        data = data_of(out["data"]["text/html"])
        assert el["error"] is None, el
        assert not el["staticVisible"], "the static summary must be hidden once the viewer renders"
        assert el["width"] > 900, el  # fills the cell width
        if isinstance(data, list):
            ids = [t["info"]["trace_id"] for t in data]
            n = sum(expected_spans(work, i) for i in ids)
            assert el["listSummary"] == f"{label(len(ids), 'trace')} · {label(n, 'span')}", el
            assert el["listRows"] == len(ids)
            assert el.get("openedSpanCount") in {label(expected_spans(work, i), "span") for i in ids}, el
            assert el["openedNames"], el
        else:
            tid = data["info"]["trace_id"]
            assert el["spanCount"] == label(expected_spans(work, tid), "span"), el
            assert el["names"][:1] in (["agent"], ["big_pipeline"]), el
            assert "llm" in el["names"] or "step_0" in el["names"], el
    # the 1k-span trace
    big = els[2]
    assert big["spanCount"] == "1,000 spans"
    # cell 7 asked for the dark theme and a 420 px height
    assert els[5]["theme"] == "dark" and "dark" in (els[5]["rootTheme"] or "")
    assert 400 <= els[5]["height"] <= 440, els[5]
    assert 540 <= els[0]["height"] <= 580, els[0]
    # time from page start to each viewer's load event (includes the one wasm start)
    (SHOTS / "nbconvert-timing.json").write_text(json.dumps({"loads": r["loads"], "total_ms": r["ms"]}, indent=1))
    print("load events (ms since navigation):", [(l["spans"], round(l["t"])) for l in r["loads"]])


def test_follows_jupyterlab_dark_theme(executed):
    """JupyterLab sets data-jp-theme-light on <body>; 'auto' elements follow it, live."""
    _, _, path = executed
    html_path = path.with_suffix(".html")
    if not html_path.exists():
        subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", str(path)], check=True, capture_output=True)
    r = render(html_path.as_uri(), SHOTS / "nbconvert-dark.png", "--offline", "--theme", "dark", "--wait-count", "6")
    themes = [e["theme"] for e in r["elements"]]
    assert themes == ["dark"] * 6, themes
    assert all("dark" in (e["rootTheme"] or "") for e in r["elements"]), [e["rootTheme"] for e in r["elements"]]


def test_untrusted_or_scriptless_view_shows_the_static_summary(executed, tmp_path):
    """Where scripts don't run (untrusted notebook, GitHub preview), the output still tells what the
    trace is: the static summary (name, status, duration, `<N> spans`, top spans) and text/plain."""
    nb, work, _ = executed
    out = viewer_outputs(nb.cells[2])[0]["data"]["text/html"]
    # strip every script, as a sanitizer does
    static = re.sub(r"<script\b.*?</script>", "", out, flags=re.S)
    page = tmp_path / "static.html"
    page.write_text(f"<!doctype html><meta charset=utf-8><body>{static}</body>")
    r = render(page.as_uri(), SHOTS / "static-fallback.png", "--offline", timeout=3000)
    assert r["elements"][0]["staticVisible"] is True
    assert r["elements"][0]["spanCount"] is None  # no viewer
    text = re.sub(r"<[^>]+>", " ", static)
    assert "agent" in text and "4 spans" in text and "OK" in text and "get_weather" in text


def test_cleared_loader_output_gives_a_clear_hint(executed, tmp_path):
    """If the output holding the viewer code was cleared, the others say how to get it back."""
    nb, _, path = executed
    nb2 = nbformat.read(path, as_version=4)
    nb2.cells[2].outputs = []
    p2 = tmp_path / "cleared.ipynb"
    nbformat.write(nb2, p2)
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", str(p2)], check=True, capture_output=True)
    r = render(p2.with_suffix(".html").as_uri(), SHOTS / "cleared-loader.png", "--offline", timeout=9000)
    assert r["loaderScripts"] == 0
    assert r["hints"] and "trace_view.load()" in r["hints"][0], r["hints"]
    assert all(e["staticVisible"] for e in r["elements"])


def test_outputs_rendered_before_the_code_still_upgrade(executed, tmp_path):
    """If the output carrying the viewer code comes last on the page (cells moved, lazy rendering), the
    earlier outputs upgrade as soon as it runs."""
    nb, _, path = executed
    nb2 = nbformat.read(path, as_version=4)
    loader_cell = nb2.cells.pop(2)
    nb2.cells.append(loader_cell)
    p2 = tmp_path / "reordered.ipynb"
    nbformat.write(nb2, p2)
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", str(p2)], check=True, capture_output=True)
    r = render(p2.with_suffix(".html").as_uri(), SHOTS / "reordered.png", "--offline", "--wait-count", "6", timeout=60000)
    assert not r.get("timedOut"), r
    assert [e["spanCount"] or e["listSummary"] for e in r["elements"]][-1] == "4 spans"
    assert all(e["spanCount"] or e["listSummary"] for e in r["elements"]), r["elements"]
    assert r["hints"] == []
