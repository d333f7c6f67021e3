"""A fake LLM app traced with the real MLflow SDK: plain functions, no network.

`agent(q)` makes one trace of 4 spans: agent (AGENT) → llm (CHAT_MODEL, messages) → get_weather (TOOL)
→ llm (CHAT_MODEL). `many_spans(n)` makes one trace of n spans.
"""
import mlflow
from mlflow.entities import SpanType

AGENT_SPANS = 4


@mlflow.trace(name="llm", span_type=SpanType.CHAT_MODEL)
def llm(messages, model="fake-gpt"):
    last = messages[-1]["content"]
    if "tool:" in last:
        content = f"The answer, using {last.split('tool:', 1)[1].strip()}."
    else:
        content = "I'll call get_weather."
    return {
        "id": "chatcmpl-fake",
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19},
    }


@mlflow.trace(name="get_weather", span_type=SpanType.TOOL)
def get_weather(city):
    return {"city": city, "temp_c": 18, "sky": "sunny"}


@mlflow.trace(name="agent", span_type=SpanType.AGENT)
def agent(question):
    messages = [{"role": "system", "content": "You are helpful."}, {"role": "user", "content": question}]
    llm(messages)
    w = get_weather("Paris")
    messages.append({"role": "user", "content": f"tool: {w}"})
    return llm(messages)["choices"][0]["message"]["content"]


def many_spans(n):
    """One trace with n spans: a root and n-1 children (every 10th with grandchildren)."""
    with mlflow.start_span(name="big_pipeline", span_type=SpanType.CHAIN) as root:
        root.set_inputs({"n": n})
        made = 1
        i = 0
        while made < n:
            with mlflow.start_span(name=f"step_{i}", span_type=SpanType.CHAIN) as s:
                s.set_inputs({"i": i})
                made += 1
                if i % 10 == 0:
                    for j in range(min(3, n - made)):
                        with mlflow.start_span(name=f"step_{i}_call_{j}", span_type=SpanType.CHAT_MODEL) as c:
                            c.set_inputs({"messages": [{"role": "user", "content": f"q{i}.{j}"}]})
                            c.set_outputs({"choices": [{"message": {"role": "assistant", "content": "a"}}]})
                        made += 1
            i += 1
        root.set_outputs({"made": made})
    return mlflow.get_last_active_trace_id()
