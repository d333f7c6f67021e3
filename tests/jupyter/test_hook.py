"""Unit tests of the IPython integration with the real MLflow SDK (local sqlite store, no server) in a real
IPython InteractiveShell whose display publisher records every output."""
import json
import re

import pytest
from conftest import run

LOADER = "data-trace-view-loader"


def viewer_outputs(bundles):
    return [b for b in bundles if "<trace-view" in b.get("text/html", "")]


def data_of(html):
    m = re.search(r'<script type="application/json">(.*?)</script>', html, re.S)
    assert m, "no inline data"
    return json.loads(m.group(1))


def ids_in(html):
    d = data_of(html)
    items = d if isinstance(d, list) else [d]
    return [t["info"]["trace_id"] for t in items]


def mlflow_iframes(bundles):
    return [b for b in bundles if "notebook-trace-renderer" in b.get("text/html", "")]


def test_cell_that_creates_a_trace_shows_it_under_that_cell(ip):
    run(ip, "%load_ext trace_view")
    out, _ = run(ip, "answer = fake_app.agent('weather in Paris?')")
    views = viewer_outputs(out)
    assert len(views) == 1, out
    html = views[0]["text/html"]
    import mlflow

    assert ids_in(html) == [mlflow.get_last_active_trace_id()]
    assert "4 spans" in html  # static summary
    assert LOADER in html  # first output of the session carries the viewer code
    assert "4 spans" in views[0]["text/plain"]
    # nothing left over for the next cell (the batch processor was flushed at the end of this cell)
    out2, _ = run(ip, "x = 1")
    assert viewer_outputs(out2) == []


def test_two_traces_in_one_cell_make_one_list_output(ip):
    run(ip, "import trace_view; trace_view.enable()")
    out, _ = run(ip, "fake_app.agent('a'); fake_app.agent('b')")
    views = viewer_outputs(out)
    assert len(views) == 1
    d = data_of(views[0]["text/html"])
    assert isinstance(d, list) and len(d) == 2
    assert "2 traces" in views[0]["text/plain"] and "8 spans" in views[0]["text/plain"]


def test_search_traces_shows_a_trace_list(ip):
    import mlflow

    run(ip, "%load_ext trace_view")
    run(ip, "fake_app.agent('s1'); fake_app.agent('s2')")
    mlflow.flush_trace_async_logging()
    unwrapped = mlflow.search_traces.__wrapped__  # the test's own call must not be displayed
    expected = len(unwrapped(return_type="list"))
    for code in ("df = mlflow.search_traces()", "ts = mlflow.search_traces(return_type='list')",
                 "ts = mlflow.MlflowClient().search_traces(locations=[mlflow.get_experiment_by_name('trace-view-unit').experiment_id])"):
        ip.user_ns["mlflow"] = mlflow
        out, _ = run(ip, code)
        views = viewer_outputs(out)
        assert len(views) == 1, (code, [v["text/plain"][:300] for v in views])
        d = data_of(views[0]["text/html"])
        assert isinstance(d, list) and len(d) == expected, code


def test_displayed_trace_shows_once(ip):
    import mlflow

    run(ip, "%load_ext trace_view")
    run(ip, "fake_app.agent('d')")
    tid = mlflow.get_last_active_trace_id()
    ip.user_ns.update(mlflow=mlflow, tid=tid)
    out, _ = run(ip, "display(mlflow.get_trace(tid))")
    views = viewer_outputs(out)
    assert len(views) == 1 and ids_in(views[0]["text/html"]) == [tid]
    # MlflowClient.get_trace also reports the trace to the display handler: still shown once
    out, _ = run(ip, "t = mlflow.MlflowClient().get_trace(tid); display(t)")
    assert len(viewer_outputs(out)) == 1
    # the last value of a cell goes through the same formatter
    fmt, _md = ip.display_formatter.format(mlflow.get_trace(tid))
    assert "<trace-view" in fmt["text/html"] and ids_in(fmt["text/html"]) == [tid]


def test_with_a_tracking_server_never_shown_twice_and_disable_restores_mlflow(ip, mlflow_server):
    """With a real `mlflow server`, MLflow's own iframe display is active; trace_view replaces it."""
    import mlflow
    from mlflow.tracing.display import display_handler as dh

    dh.IPythonTraceDisplayHandler.get_instance()  # MLflow registers its post_run_cell hook
    was = dh.IPythonTraceDisplayHandler.disabled
    ip.user_ns["mlflow"] = mlflow
    # MLflow alone (flushing in the cell, else its batched export shows it in a later cell)
    out, _ = run(ip, "fake_app.agent('before enable'); mlflow.flush_trace_async_logging()")
    assert len(mlflow_iframes(out)) == 1 and viewer_outputs(out) == []

    run(ip, "%load_ext trace_view")
    out, _ = run(ip, "fake_app.agent('with trace_view')")
    assert len(viewer_outputs(out)) == 1 and mlflow_iframes(out) == [], out
    tid = ids_in(viewer_outputs(out)[0]["text/html"])[0]
    ip.user_ns["tid"] = tid
    out, _ = run(ip, "display(mlflow.get_trace(tid))")
    assert len(viewer_outputs(out)) == 1 and mlflow_iframes(out) == []
    out, _ = run(ip, "t = mlflow.MlflowClient().get_trace(tid)")
    assert len(viewer_outputs(out)) == 1 and mlflow_iframes(out) == []
    out, _ = run(ip, "df = mlflow.search_traces()")
    assert len(viewer_outputs(out)) == 1 and mlflow_iframes(out) == []
    assert len(data_of(viewer_outputs(out)[0]["text/html"])) == 2

    run(ip, "%unload_ext trace_view")
    assert dh.IPythonTraceDisplayHandler.disabled == was
    out, _ = run(ip, "fake_app.agent('after disable'); mlflow.flush_trace_async_logging()")
    assert len(mlflow_iframes(out)) == 1 and viewer_outputs(out) == []
    fmt, _ = ip.display_formatter.format(mlflow.get_trace(tid))
    assert "notebook-trace-renderer" in fmt.get("text/html", "")


def test_disable_stops_everything(ip):
    import mlflow
    from mlflow.tracing.display.display_handler import IPythonTraceDisplayHandler as H

    orig_search = mlflow.search_traces
    run(ip, "import trace_view; trace_view.enable()")
    assert getattr(mlflow.search_traces, "_trace_view", False)
    assert H.disabled is True
    run(ip, "trace_view.disable()")
    assert mlflow.search_traces is orig_search
    assert not getattr(mlflow.MlflowClient.search_traces, "_trace_view", False)
    ip.user_ns["mlflow"] = mlflow
    out, _ = run(ip, "fake_app.agent('off'); df = mlflow.search_traces()")
    assert viewer_outputs(out) == []
    fmt, _ = ip.display_formatter.format(mlflow.get_trace(mlflow.get_last_active_trace_id()))
    assert "<trace-view" not in fmt.get("text/html", "")
    # enable again works
    run(ip, "trace_view.enable()")
    out, _ = run(ip, "fake_app.agent('on again')")
    assert len(viewer_outputs(out)) == 1


def test_viewer_code_is_emitted_once_per_session(ip):
    import trace_view
    from trace_view import _core

    run(ip, "%load_ext trace_view")
    outs = []
    for i in range(10):
        out, _ = run(ip, f"fake_app.agent('q{i}')", cell_id=f"cell-{i}")
        outs += viewer_outputs(out)
    assert len(outs) == 10
    assert [LOADER in o["text/html"] for o in outs] == [True] + [False] * 9
    loader = trace_view.info()["loader_bytes"]
    first, tenth = len(outs[0]["text/html"]), len(outs[9]["text/html"])
    assert first > loader > 200_000
    data = len(json.dumps(data_of(outs[9]["text/html"]), separators=(",", ":"), ensure_ascii=False))
    assert tenth - data < 6_000, f"10th output adds {tenth - data} bytes beyond its data"
    # a kernel restart forgets it: the next output carries it again
    _core._reset_session()
    out, _ = run(ip, "fake_app.agent('after restart')")
    assert LOADER in viewer_outputs(out)[0]["text/html"]


def test_viewer_code_is_emitted_again_when_its_cell_is_rerun(ip):
    run(ip, "%load_ext trace_view")
    out, _ = run(ip, "fake_app.agent('a')", cell_id="A")
    assert LOADER in viewer_outputs(out)[0]["text/html"]
    out, _ = run(ip, "fake_app.agent('b')", cell_id="B")
    assert LOADER not in viewer_outputs(out)[0]["text/html"]
    # re-running cell A replaces its outputs, which held the code: the code comes again
    out, _ = run(ip, "fake_app.agent('a again')", cell_id="A")
    assert LOADER in viewer_outputs(out)[0]["text/html"]
    out, _ = run(ip, "fake_app.agent('c')", cell_id="C")
    assert LOADER not in viewer_outputs(out)[0]["text/html"]


def test_load_puts_the_code_on_the_page_again(ip):
    run(ip, "%load_ext trace_view")
    run(ip, "fake_app.agent('a')")
    out, _ = run(ip, "import trace_view; trace_view.load()")
    assert len(out) == 1 and LOADER in out[0]["text/html"]


def test_a_cell_that_fails_still_shows_its_traces(ip):
    run(ip, "%load_ext trace_view")
    before = len(ip.display_pub.outputs)
    r = ip.run_cell("fake_app.agent('then fail'); 1/0")
    assert isinstance(r.error_in_exec, ZeroDivisionError)
    views = viewer_outputs([o["data"] for o in ip.display_pub.outputs[before:]])
    assert len(views) == 1 and "4 spans" in views[0]["text/plain"]


def test_an_error_trace_shows_its_state(ip):
    import mlflow

    run(ip, "%load_ext trace_view")
    ip.user_ns["mlflow"] = mlflow
    code = "@mlflow.trace\ndef broken():\n    raise RuntimeError('tool failed')\n" \
           "try:\n    broken()\nexcept RuntimeError:\n    pass"
    out, _ = run(ip, code)
    views = viewer_outputs(out)
    assert len(views) == 1 and "ERROR" in views[0]["text/plain"]
    assert "ERROR</span>" in views[0]["text/html"]
