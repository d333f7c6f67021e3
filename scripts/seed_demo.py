#!/usr/bin/env python3
"""Seed an MLflow tracking server with demo traces written by the real MLflow SDK (no network, no LLM).

A local fake LLM (plain Python) stands in for the model. What gets logged, into experiment
"trace-view-demo":
  - multi-turn chat sessions (mlflow.trace.session) for two users (mlflow.trace.user), each turn an AGENT
    trace with CHAT_MODEL spans (OpenAI-style messages, tool calls, token usage) and TOOL spans;
  - a failing turn (trace state ERROR with an exception event);
  - tags on traces;
  - extra small traces for paging (--extra);
  - one large trace (--large-spans) built like an agent loop.

    python scripts/seed_demo.py --tracking-uri http://127.0.0.1:5000 [--extra 30] [--large-spans 2000]
Prints one JSON line with what it created (experiment id, trace ids per session, counts).
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("MLFLOW_ASYNC_TRACE_LOGGING_MAX_QUEUE_SIZE", "100000")
import mlflow  # noqa: E402
from mlflow.entities import SpanType  # noqa: E402

WEATHER = {"Paris": 18, "Tokyo": 22, "Lima": 16, "Oslo": 4, "Cairo": 31}
TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]


def fake_llm(messages):
    """A deterministic stand-in for a chat model: asks for the weather tool once, then answers."""
    last = messages[-1]
    if last["role"] == "user":
        known = list(WEATHER) + ["Atlantis"]  # Atlantis: the tool fails, so one turn is an ERROR trace
        cities = [c for c in known if c.lower() in last["content"].lower()] or ["Paris"]
        calls = [{"id": f"call_{i}_{c.lower()}", "type": "function",
                  "function": {"name": "get_weather", "arguments": json.dumps({"city": c})}} for i, c in enumerate(cities)]
        return {"role": "assistant", "content": None, "tool_calls": calls}
    facts = [json.loads(m["content"]) for m in messages if m["role"] == "tool"]
    text = "; ".join(f"{f['city']} is {f['temp']}°C" for f in facts) or "I don't know."
    return {"role": "assistant", "content": text + "."}


def chat_span(messages):
    with mlflow.start_span("ChatCompletion", span_type=SpanType.CHAT_MODEL) as span:
        span.set_inputs({"model": "fake-gpt", "messages": messages, "tools": TOOLS})
        reply = fake_llm(messages)
        n_in = sum(len(json.dumps(m)) // 4 for m in messages)
        n_out = len(json.dumps(reply)) // 4
        span.set_outputs({"id": "chatcmpl-demo", "object": "chat.completion", "model": "fake-gpt",
                          "choices": [{"index": 0, "message": reply,
                                       "finish_reason": "tool_calls" if reply.get("tool_calls") else "stop"}],
                          "usage": {"prompt_tokens": n_in, "completion_tokens": n_out, "total_tokens": n_in + n_out}})
        span.set_attribute("mlflow.chat.tokenUsage", {"input_tokens": n_in, "output_tokens": n_out, "total_tokens": n_in + n_out})
        span.set_attribute("mlflow.llm.model", "fake-gpt")
        span.set_attribute("mlflow.chat.tools", TOOLS)
        time.sleep(0.002)
        return reply


@mlflow.trace(name="get_weather", span_type=SpanType.TOOL)
def get_weather(city):
    if city == "Atlantis":
        raise ConnectionError(f"weather service has no station in {city}")
    time.sleep(0.001)
    return {"city": city, "temp": WEATHER.get(city, 20)}


CONTEXT = {}  # session, user and tags of the turn being logged (kept out of the traced inputs)


@mlflow.trace(name="weather_agent", span_type=SpanType.AGENT)
def agent_turn(question, history):
    c = CONTEXT
    mlflow.update_current_trace(metadata={"mlflow.trace.session": c["session"], "mlflow.trace.user": c["user"]}, tags=c["tags"])
    messages = [{"role": "system", "content": "You are a weather bot."}] + history + [{"role": "user", "content": question}]
    reply = chat_span(messages)
    messages.append(reply)
    for call in reply.get("tool_calls") or []:
        args = json.loads(call["function"]["arguments"])
        result = get_weather(args["city"])
        messages.append({"role": "tool", "tool_call_id": call["id"], "content": json.dumps(result)})
    final = chat_span(messages)
    return final["content"]


SESSIONS = [
    ("sess-alice-1", "alice@example.com", ["What's the weather in Paris?", "And in Tokyo?", "Compare Oslo and Cairo."]),
    ("sess-bob-1", "bob", ["Weather in Lima please", "What about Atlantis?", "Ok, Paris then."]),
    ("sess-alice-2", "alice@example.com", ["Is it warm in Cairo?", "Thanks!"]),
]


def log_large(n_spans):
    """An agent loop with `n_spans` spans, logged with explicit times (like the corpus' large traces)."""
    t0 = time.time_ns() - 60_000_000_000
    root = mlflow.start_span_no_context("long_agent_run", span_type=SpanType.AGENT, inputs={"task": "long job"},
                                        start_time_ns=t0)
    root.set_attribute("mlflow.trace.note", "large demo trace")
    made, t, step = 1, t0 + 1_000, 0
    while made < n_spans:
        step += 1
        s = mlflow.start_span_no_context(f"step_{step}", span_type=SpanType.CHAIN, parent_span=root, start_time_ns=t,
                                         inputs={"step": step})
        made += 1
        for k in range(min(3, n_spans - made)):
            c = mlflow.start_span_no_context(f"tool_{k}", span_type=SpanType.TOOL, parent_span=s, start_time_ns=t + 10_000,
                                             inputs={"k": k})
            c.set_outputs({"ok": True})
            c.end(end_time_ns=t + 400_000)
            made += 1
        s.end(end_time_ns=t + 500_000)
        t += 600_000
    root.set_outputs("done")
    root.end(end_time_ns=t)
    return root.trace_id


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tracking-uri", required=True)
    ap.add_argument("--experiment", default="trace-view-demo")
    ap.add_argument("--extra", type=int, default=30, help="small extra traces, for paging")
    ap.add_argument("--large-spans", type=int, default=2000, help="spans in the large trace (0 = none)")
    a = ap.parse_args()
    mlflow.set_tracking_uri(a.tracking_uri)
    exp = mlflow.set_experiment(a.experiment)
    created = {"experiment_id": exp.experiment_id, "sessions": {}, "errors": 0}
    for session, user, questions in SESSIONS:
        history = []
        created["sessions"][session] = []
        for turn, q in enumerate(questions, 1):
            tags = {"turn": str(turn), "env": "demo", "channel": "web" if user == "bob" else "mobile"}
            try:
                CONTEXT.update(session=session, user=user, tags=tags)
                answer = agent_turn(q, history)
            except ConnectionError as e:
                answer = f"error: {e}"
                created["errors"] += 1
            trace_id = mlflow.get_last_active_trace_id()
            created["sessions"][session].append(trace_id)
            if session == "sess-alice-1" and turn == 1:
                created["assessed_trace_id"] = trace_id
            history += [{"role": "user", "content": q}, {"role": "assistant", "content": answer}]
    for i in range(a.extra):
        with mlflow.start_span(f"batch_job_{i:03d}", span_type=SpanType.CHAIN) as s:
            s.set_inputs({"item": i})
            with mlflow.start_span("score", span_type=SpanType.LLM) as c:
                c.set_inputs({"prompt": f"score item {i}"})
                c.set_outputs({"score": i % 5})
            s.set_outputs({"done": True})
    created["extra"] = a.extra
    if a.large_spans > 0:
        created["large_trace_id"] = log_large(a.large_spans)
        created["large_spans"] = a.large_spans
    mlflow.flush_trace_async_logging()
    # Feedback and an expectation on one turn (after the flush: the trace must be on the server),
    # shown read-only on its trace page.
    assessed = created["assessed_trace_id"]
    mlflow.log_feedback(trace_id=assessed, name="helpfulness", value=True, rationale="Answered with the tool's data.",
                        source=mlflow.entities.AssessmentSource(source_type="HUMAN", source_id="demo-reviewer"))
    mlflow.log_expectation(trace_id=assessed, name="expected_answer", value="Paris is 18°C.")
    created["total_traces"] = sum(len(v) for v in created["sessions"].values()) + a.extra + (1 if a.large_spans else 0)
    print(json.dumps(created))


if __name__ == "__main__":
    sys.exit(main())
