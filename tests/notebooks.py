"""Run the example notebook as a kernel would, and render it to HTML.

Jupyter is not needed: each code cell runs in one namespace, what it
prints is a ``stream`` output, and a cell that ends with an expression
shows its value as an ``execute_result`` (``text/plain`` from ``repr``,
``text/html`` from ``_repr_html_`` when the value has one), as IPython's
display hook does. The notebook ships with the outputs this writes:

    python -m tests.notebooks   # rewrite examples/what_if.ipynb's outputs

``tests/test_examples.py`` checks the shipped outputs are these, and
renders the notebook to HTML for a headless browser.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
from html import escape
from pathlib import Path
from typing import Any

NOTEBOOK = Path(__file__).parent.parent / "examples" / "what_if.ipynb"


def _lines(text: str) -> list[str]:
    """Text as nbformat stores it: a list of lines, each with its end."""
    return text.splitlines(keepends=True)


def _result(value: object, count: int) -> dict[str, Any]:
    data: dict[str, Any] = {"text/plain": _lines(repr(value))}
    html = getattr(value, "_repr_html_", None)
    if callable(html):
        data["text/html"] = _lines(html())
    return {
        "output_type": "execute_result",
        "execution_count": count,
        "data": data,
        "metadata": {},
    }


def _run_cell(
    source: str, namespace: dict[str, object], count: int
) -> list[dict[str, Any]]:
    """Run one cell; return its outputs."""
    tree = ast.parse(source)
    last = tree.body[-1] if tree.body else None
    shown = isinstance(last, ast.Expr)
    if shown:
        tree.body.pop()
    printed = io.StringIO()
    value: object = None
    with contextlib.redirect_stdout(printed):
        exec(compile(tree, str(NOTEBOOK), "exec"), namespace)  # noqa: S102
        if shown:
            assert isinstance(last, ast.Expr)
            expression = ast.Expression(last.value)
            value = eval(compile(expression, str(NOTEBOOK), "eval"), namespace)  # noqa: S307
    outputs: list[dict[str, Any]] = []
    if printed.getvalue():
        outputs.append(
            {
                "output_type": "stream",
                "name": "stdout",
                "text": _lines(printed.getvalue()),
            }
        )
    if shown and value is not None:
        outputs.append(_result(value, count))
    return outputs


def execute(path: Path = NOTEBOOK) -> tuple[dict[str, Any], dict[str, object]]:
    """The notebook with fresh outputs, and the namespace its cells left."""
    notebook: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict[str, object] = {}
    count = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        count += 1
        cell["execution_count"] = count
        cell["outputs"] = _run_cell("".join(cell["source"]), namespace, count)
    return notebook, namespace


def written(notebook: dict[str, Any]) -> str:
    """The notebook as its file holds it."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _markdown(text: str) -> str:
    """Headings and paragraphs of the notebook's simple Markdown."""
    out = []
    for block in text.split("\n\n"):
        level = len(block) - len(block.lstrip("#"))
        if 0 < level <= 6 and block[level : level + 1] == " ":
            out.append(f"<h{level}>{escape(block[level + 1 :])}</h{level}>")
        else:
            out.append(f"<p>{escape(block)}</p>")
    return "".join(out)


def to_html(notebook: dict[str, Any]) -> str:
    """A page of the executed notebook: its text, code and outputs."""
    body = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            body.append(_markdown(source))
            continue
        body.append(f"<pre class='code'>{escape(source)}</pre>")
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                body.append(f"<pre>{escape(''.join(output['text']))}</pre>")
                continue
            data = output["data"]
            if "text/html" in data:
                body.append(
                    f"<div class='output'>{''.join(data['text/html'])}</div>"
                )
            else:
                body.append(
                    f"<pre>{escape(''.join(data['text/plain']))}</pre>"
                )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<title>what_if.ipynb</title></head><body>"
        f"{''.join(body)}</body></html>"
    )


if __name__ == "__main__":
    executed, _ = execute()
    NOTEBOOK.write_text(written(executed), encoding="utf-8")
    print(f"wrote the outputs of {NOTEBOOK}")  # noqa: T201 - a tool
