"""The package's structure: sizes, one-way imports, what each module exports.

Issue #12's acceptance, kept: no function over 60 lines of code, no class
over 400 (docstrings, comments and blank lines not counted), no module over
600 lines; imports run one way, in the order ``docs/design.md`` lists the
modules; a private module's ``__all__`` is exactly what the rest of the
package imports from it.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import typing
from pathlib import Path

import pytest

import prorata

PACKAGE = Path(prorata.__file__).parent
DESIGN = Path(__file__).parent.parent / "docs" / "design.md"

# The layers, lowest first: each module may import only those before it.
LAYERS = [
    "errors",
    "_shells",
    "_currencies",
    "_notation",
    "_display",
    "_picture",
    "_exact",
    "_interval_forms",
    "_rounding",
    "_money",
    "_period",
    "_policy",
    "_measure",
    "_allowance",
    "_discount",
    "_tax",
    "_plan",
    "_add_on",
    "_rules",
    "_pricing",
    "_explain",
    "_anchoring",
    "_proration",
    "_walk",
    "_invoice_lines",
    "_cash_rounding",
    "_invoice",
    "_coupon_windows",
    "_discount_rest",
    "_discount_split",
    "_discounting",
    "_usage",
    "_charges",
    "_history",
    "_commitment",
    "_billing_options",
    "_billing_policy",
    "_resplit",
    "_billing_schedule",
    "_billing",
    "_routing",
    "_pending",
    "_state",
    "_checks",
    "_trial_items",
    "_known_end",
    "_alignment",
    "_restart",
    "_changes",
    "_ending",
    "_trial",
    "_pause",
    "_schedules",
    "_lifecycle",
    "_backdating",
    "_interruptions",
    "_credits",
    "_subscription",
    "_run",
    "_platforms",
    "presets",
    "_catalog",
    "_records",
    "_serialize",
    "_examples",
    "_cli",
    "_cli_invoice",
    "__main__",
    "__init__",
]

MAX_FUNCTION = 60
MAX_CLASS = 400
MAX_MODULE = 600


def _tree(module: str) -> ast.Module:
    return ast.parse((PACKAGE / f"{module}.py").read_text("utf-8"))


def _imports(module: str) -> set[str]:
    """The prorata modules ``module`` imports, type-only imports included."""
    found: set[str] = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("prorata."):
                found.add(node.module.removeprefix("prorata."))
            elif node.module == "prorata":
                found.update(alias.name for alias in node.names)
    return found


def _code_lines(node: ast.AST, lines: list[str]) -> int:
    """Lines of code of ``node``: no docstring, comment or blank line."""
    assert isinstance(node, ast.stmt)
    counted = set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Expr)
            and isinstance(inner.value, ast.Constant)
            and isinstance(inner.value.value, str)
        ):
            end = inner.end_lineno or inner.lineno
            counted -= set(range(inner.lineno, end + 1))
    return sum(
        1
        for number in counted
        if lines[number - 1].strip()
        and not lines[number - 1].strip().startswith("#")
    )


def test_every_module_has_a_layer() -> None:
    """A new module must be placed in the order (and in docs/design.md)."""
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    assert modules == set(LAYERS)


@pytest.mark.parametrize("module", LAYERS)
def test_imports_run_one_way(module: str) -> None:
    """A module imports only the modules of the layers below it."""
    below = set(LAYERS[: LAYERS.index(module)])
    assert _imports(module) <= below, sorted(_imports(module) - below)


def test_design_lists_the_layers_in_order() -> None:
    """docs/design.md's "Layers" section names every module, in order."""
    text = DESIGN.read_text("utf-8")
    section = text[text.index("## Layers") :]
    section = section[: section.index("\n## ", 4)]
    named = re.findall(r"^\d+\.\s+(.*)$", section, flags=re.MULTILINE)
    order = [
        name for entry in named for name in re.findall(r"`(\w+)\.py`", entry)
    ]
    assert order == [m for m in LAYERS if m != "__init__"]


@pytest.mark.parametrize("module", LAYERS)
def test_sizes(module: str) -> None:
    """No function, class or module over the limits of issue #12."""
    text = (PACKAGE / f"{module}.py").read_text("utf-8")
    lines = text.splitlines()
    assert len(lines) <= MAX_MODULE
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert _code_lines(node, lines) <= MAX_FUNCTION, node.name
        elif isinstance(node, ast.ClassDef):
            assert _code_lines(node, lines) <= MAX_CLASS, node.name


def _all(module: str) -> set[str]:
    for node in _tree(module).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__"
            for target in node.targets
        ):
            return set(ast.literal_eval(node.value))
    return set()


def test_a_private_module_exports_what_the_package_imports() -> None:
    """``__all__`` of a private module: every name the others import from
    it, nothing else. (``__main__`` exports ``main``, the console script.)
    """
    used: dict[str, set[str]] = {}
    for module in LAYERS:
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.ImportFrom) and (
                node.module or ""
            ).startswith("prorata._"):
                name = node.module.removeprefix("prorata.")  # type: ignore[union-attr]
                used.setdefault(name, set()).update(
                    alias.name for alias in node.names
                )
    private = [m for m in LAYERS if m.startswith("_") and m != "__init__"]
    wrong = {
        module: (sorted(used.get(module, set()) ^ _all(module)))
        for module in private
        if module != "__main__" and used.get(module, set()) != _all(module)
    }
    assert wrong == {}
    assert _all("__main__") == {"main"}


def test_every_model_annotation_resolves_at_run_time() -> None:
    """The serializer reads the models' annotations with get_type_hints:
    every name they use must be imported at run time, not only for the
    type checker."""
    models = [
        value
        for name in prorata.__all__
        if isinstance(value := getattr(prorata, name), type)
    ]
    for model in models:
        typing.get_type_hints(model)
        init = vars(model).get("__init__")
        # A dataclass's generated __init__ repeats its fields' annotations,
        # which the class hints above resolve where each field is declared
        # (Subscription's in _state); the serializer reads those.
        generated = dataclasses.is_dataclass(model) and model.__bases__ != (
            object,
        )
        if (
            init is not None
            and hasattr(init, "__annotations__")
            and not generated
        ):
            typing.get_type_hints(init)
    typing.get_type_hints(prorata.Proration.__init__)
