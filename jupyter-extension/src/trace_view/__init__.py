"""trace-view for Jupyter: MLflow traces shown inline by the trace-view wasm viewer.

    %load_ext trace_view          # or: import trace_view; trace_view.enable()
    trace_view.show(trace)        # a Trace, list, search_traces DataFrame, dict, JSON text or file path
    trace_view.disable()          # back to MLflow's own display
"""
__version__ = "0.1.0"

from ._core import TraceView, bundle, disable, enable, info, is_enabled, load, options, show  # noqa: E402

__all__ = ["enable", "disable", "show", "load", "bundle", "TraceView", "info", "is_enabled", "options"]


def load_ipython_extension(ipython):
    """`%load_ext trace_view`"""
    enable()


def unload_ipython_extension(ipython):
    """`%unload_ext trace_view`"""
    disable()
