"""The public surface: what __all__ promises is there, typed and documented."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import textwrap
import tomllib
from dataclasses import fields
from enum import StrEnum
from pathlib import Path
from typing import get_args

import pytest

import prorata

ROOT = Path(__file__).parent.parent


def test_every_name_in_all_imports() -> None:
    """Every exported name exists and __all__ has no duplicates."""
    assert len(set(prorata.__all__)) == len(prorata.__all__)
    for name in prorata.__all__:
        assert hasattr(prorata, name), name


def test_api_md_lists_every_public_name() -> None:
    """docs/api.md has a row (or a mention in code) for each exported name,
    as the README says."""
    text = (ROOT / "docs" / "api.md").read_text("utf-8")
    missing = [name for name in prorata.__all__ if f"`{name}`" not in text]
    assert missing == []


def test_every_public_callable_is_documented() -> None:
    """Every exported class and function has a docstring."""
    for name in prorata.__all__:
        value = getattr(prorata, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name


def test_py_typed_is_shipped() -> None:
    """The PEP 561 marker is in the package."""
    assert (Path(prorata.__file__).parent / "py.typed").is_file()


def test_every_export_is_named_in_the_docs() -> None:
    """A reader of docs/ meets every public name at least once."""
    docs = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "docs").glob("*.md")
    )
    missing = [name for name in prorata.__all__ if name not in docs]
    assert not missing, missing


def test_option_aliases_list_exactly_their_enum_values() -> None:
    """Each exported ``...Name`` Literal holds its enum's values, in order,
    so the strings a type checker accepts cannot drift from the run time's.
    """
    aliases = [name for name in prorata.__all__ if name.endswith("Name")]
    assert aliases
    for alias in aliases:
        kind = getattr(prorata, alias.removesuffix("Name"))
        assert issubclass(kind, StrEnum), alias
        values = tuple(member.value for member in kind)
        assert get_args(getattr(prorata, alias)) == values, alias


POLICIES = [prorata.ProrationPolicy, prorata.BillingPolicy]


@pytest.mark.parametrize("cls", POLICIES, ids=lambda cls: cls.__name__)
def test_every_string_option_has_an_alias(cls: type) -> None:
    """An option that takes its enum's strings has an exported Literal."""
    for item in fields(cls):
        if isinstance(item.default, StrEnum):
            alias = f"{type(item.default).__name__}Name"
            assert alias in prorata.__all__, (item.name, alias)


def _stub_init(cls: type) -> ast.FunctionDef:
    """The ``__init__`` a policy declares for type checkers only."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    (body,) = tree.body
    assert isinstance(body, ast.ClassDef)
    stubs = [
        node
        for block in body.body
        if isinstance(block, ast.If)
        and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in block.body
        if isinstance(node, ast.FunctionDef) and node.name == "__init__"
    ]
    assert len(stubs) == 1, cls
    return stubs[0]


def _aliases(cls: type) -> dict[str, str]:
    """The module's private type aliases the stub may spell a type with."""
    tree = ast.parse(inspect.getsource(sys.modules[cls.__module__]))
    return {
        node.target.id: ast.unparse(node.value)
        for block in tree.body
        if isinstance(block, ast.If)
        and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in block.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.value is not None
    }


@pytest.mark.parametrize("cls", POLICIES, ids=lambda cls: cls.__name__)
def test_typed_init_matches_the_generated_one(cls: type) -> None:
    """The type checkers' ``__init__`` has the dataclass's keyword-only
    parameters, in order, with its defaults, typed as the field or, for
    an enum option, as the enum or its alias."""
    stub = _stub_init(cls)
    assert [arg.arg for arg in stub.args.args] == ["self"]
    assert (stub.args.posonlyargs, stub.args.vararg, stub.args.kwarg) == (
        [],
        None,
        None,
    )
    generated = inspect.signature(cls).parameters
    assert [arg.arg for arg in stub.args.kwonlyargs] == list(generated)
    assert all(p.kind is p.KEYWORD_ONLY for p in generated.values())
    scope = vars(sys.modules[cls.__module__])
    aliases = _aliases(cls)
    options = [item for item in fields(cls) if item.init]
    for item, arg, default in zip(
        options, stub.args.kwonlyargs, stub.args.kw_defaults, strict=True
    ):
        assert arg.annotation is not None, item.name
        wanted = str(item.type)
        optional = wanted.removesuffix(" | None")
        if isinstance(item.default, StrEnum):
            wanted = f"{wanted} | {wanted}Name"
        elif optional != wanted and hasattr(prorata, f"{optional}Name"):
            # An optional option: the enum, its alias, or None.
            wanted = f"{optional} | {optional}Name | None"
        spelled = ast.unparse(arg.annotation)
        assert aliases.get(spelled, spelled) == wanted, item.name
        assert default is not None, item.name
        # The source is the package's own: evaluate the default's text.
        value = eval(ast.unparse(default), scope)  # noqa: S307
        assert value == generated[item.name].default, item.name


def test_typing_examples_are_in_the_mypy_run() -> None:
    """tests/typing/api.py, which pytest skips, is among mypy's files."""
    typing_api = ROOT / "tests" / "typing" / "api.py"
    assert typing_api.is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    checked = [ROOT / name for name in config["tool"]["mypy"]["files"]]
    assert any(typing_api.is_relative_to(path) for path in checked)


def test_demo_command_runs() -> None:
    """`python -m prorata demo` prints the worked examples and exits 0."""
    result = subprocess.run(
        [sys.executable, "-m", "prorata", "demo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Total: $73.33" in result.stdout
    assert "Total: -$19.84" in result.stdout
    assert "$37.76" in result.stdout


def test_no_command_is_a_usage_error() -> None:
    """Without a command, exit 2 with one line pointing at --help (#11)."""
    result = subprocess.run(
        [sys.executable, "-m", "prorata"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "required: command (see prorata --help)" in result.stderr


def test_the_license_the_metadata_names_ships() -> None:
    """pyproject says MIT; LICENSE holds the MIT text (#18)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert config["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


def test_classifiers_name_the_python_that_runs_the_suite() -> None:
    """CI runs this suite: its Python is among the classifiers, and every
    version named is at least requires-python (#18)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))[
        "project"
    ]
    prefix = "Programming Language :: Python :: 3."
    minors = {
        int(c.removeprefix(prefix))
        for c in project["classifiers"]
        if c.startswith(prefix)
    }
    assert sys.version_info.minor in minors
    least = int(project["requires-python"].removeprefix(">=3."))
    assert min(minors) >= least
