"""Plan catalogs from TOML and JSON: every mistake names file, plan, field."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from prorata import (
    ArgumentTypeError,
    Catalog,
    CatalogError,
    Interval,
    Money,
    UnknownPlanError,
    builtin_catalog,
    load_catalog,
    parse_catalog,
)
from prorata._catalog import (
    _PLAN_FIELDS,
    _TABLE_FIELDS,
    CATALOG_SCHEMA,
    catalog_data,
)

GOOD = """
currency = "USD"

[[plans]]
id = "starter"
name = "Starter"
price = "35"

[[plans.allowances]]
metric = "visits"
included = 25000
overage_price = "1"
per = 1000
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_catalog_has_both_pages() -> None:
    """The built-in catalog holds the hosting and the SaaS plans."""
    catalog = builtin_catalog()
    assert catalog["business-2"].price == Money("225", "USD")
    assert catalog["business-1-annual"].price == Money("1150", "USD")
    assert catalog["enterprise"].sales_only
    assert catalog["starter"].lifetime_allowance("migrations") == 1


def test_toml_and_json_read_the_same(tmp_path: Path) -> None:
    """A TOML catalog and its JSON twin give equal plans."""
    toml = load_catalog(write(tmp_path, "plans.toml", GOOD))
    as_json = {
        "currency": "USD",
        "plans": [
            {
                "id": "starter",
                "name": "Starter",
                "price": "35",
                "allowances": [
                    {
                        "metric": "visits",
                        "included": 25000,
                        "overage_price": "1",
                        "per": 1000,
                    }
                ],
            }
        ],
    }
    from_json = load_catalog(
        write(tmp_path, "plans.json", json.dumps(as_json))
    )
    assert list(toml) == list(from_json)


@pytest.mark.parametrize(
    ("text", "plan", "field"),
    [
        (GOOD.replace('price = "35"\n', ""), "starter", "price"),
        (GOOD.replace('price = "35"', "price = 35.5"), "starter", "price"),
        (
            GOOD.replace('currency = "USD"', 'currency = "XYZ"'),
            "starter",
            "currency",
        ),
        (GOOD + GOOD.split('currency = "USD"')[1], "starter", "id"),
        (
            GOOD.replace('name = "Starter"', 'colour = "red"'),
            "starter",
            "colour",
        ),
        (GOOD.replace("per = 1000", "per = 0"), "starter", "per"),
    ],
    ids=[
        "missing-price",
        "float-price",
        "unknown-currency",
        "duplicate-id",
        "unknown-field",
        "bad-allowance",
    ],
)
def test_bad_toml_names_file_plan_and_field(
    tmp_path: Path, text: str, plan: str, field: str
) -> None:
    """Each mistake is refused with the file, the plan and the field."""
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    error = caught.value
    assert (error.plan, error.field) == (plan, field)
    assert str(path) in str(error)
    assert f"plan {plan!r}" in str(error)


def test_float_price_in_json_is_refused(tmp_path: Path) -> None:
    """JSON's 35.50 is a float: refused, and the message says how to fix."""
    data = '{"currency": "USD", "plans": [{"id": "a", "price": 35.50}]}'
    with pytest.raises(CatalogError, match=r'"35\.50"') as caught:
        load_catalog(write(tmp_path, "bad.json", data))
    assert caught.value.field == "price"


def test_unparseable_file(tmp_path: Path) -> None:
    """A file that does not parse is named."""
    with pytest.raises(CatalogError, match="does not parse"):
        load_catalog(write(tmp_path, "broken.toml", "[[plans]\n"))


def test_unknown_plan_lists_the_known_ones() -> None:
    """Asking for a plan the catalog lacks names the ones it has."""
    with pytest.raises(UnknownPlanError, match="business-1"):
        builtin_catalog()["platinum"]


def test_parse_catalog_from_data() -> None:
    """Already-parsed data builds a catalog too."""
    catalog = parse_catalog(
        {"plans": [{"id": "x", "price": 5, "currency": "EUR"}]}
    )
    assert catalog["x"].price == Money("5", "EUR")


def test_the_example_catalog_loads() -> None:
    """examples/catalog.toml is a loadable copy of the built-in catalog."""
    from pathlib import Path  # noqa: PLC0415

    path = Path(__file__).parent.parent / "examples" / "catalog.toml"
    assert list(load_catalog(path)) == list(builtin_catalog())


# -- refusals (issue #11) -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("plans.toml", b"plans = [\xff\xfe]", "UTF-8"),
        (
            "plans.toml",
            b"plans = [{id = 'a', price = " + b"9" * 5000 + b"}]",
            "does not parse",
        ),
        (
            "plans.json",
            b'{"plans": [{"id": "a", "price": ' + b"9" * 5000 + b"}]}",
            "does not parse",
        ),
        (
            "plans.toml",
            "currency = 'USD'\nplans = [{id = 'a', price = '1', "
            "interval = '\u00b2 month'}]".encode(),
            "'interval'",
        ),
        ("plans.json", b"[" * 100_000 + b"]" * 100_000, "does not parse"),
    ],
)
def test_catalog_files_refused_as_catalog_errors(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    """Bytes that are not UTF-8, numbers past int's str() limit, a
    superscript digit, nesting too deep: a CatalogError naming the file."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert says in str(caught.value)
    assert name in str(caught.value)


def test_catalog_path_with_a_nul_byte_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match="null"):
        load_catalog("plans\x00.toml")


def test_catalog_arguments_of_the_wrong_type() -> None:
    with pytest.raises(ArgumentTypeError, match="source None"):
        parse_catalog({}, None)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="path None"):
        load_catalog(None)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="plans"):
        Catalog(plans={"a": "not a plan"})  # type: ignore[dict-item]
    assert ["pro"] not in builtin_catalog()


# -- the JSON Schema of catalogs (#18) --------------------------------------

SCHEMA = json.loads(CATALOG_SCHEMA.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
ROOT = Path(__file__).parent.parent


def test_the_schema_is_a_valid_schema() -> None:
    """Draft 2020-12, as editors read it."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "src" / "prorata" / "catalog.toml",
        ROOT / "examples" / "catalog.toml",
    ],
    ids=["built-in", "example"],
)
def test_the_shipped_catalogs_follow_the_schema(path: Path) -> None:
    """Both catalogs prorata ships validate, and so does what ``plans
    --json`` writes of them."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert list(VALIDATOR.iter_errors(data)) == []
    written = catalog_data(load_catalog(path))
    assert list(VALIDATOR.iter_errors(written)) == []


def test_the_schema_names_the_fields_the_reader_takes() -> None:
    """The same plan, allowance and lifetime fields as the parser's."""
    defs = SCHEMA["$defs"]
    assert set(defs["plan"]["properties"]) == _PLAN_FIELDS
    assert set(defs["allowance"]["properties"]) == _TABLE_FIELDS["allowances"]
    assert set(defs["lifetime"]["properties"]) == _TABLE_FIELDS["lifetime"]


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        ({"id": "a", "price": 35.5}, "price"),
        ({"id": "a", "price": "35", "colour": "red"}, "colour"),
        ({"id": "a"}, "price"),
        ({"id": "a", "price": "35", "interval": "fortnight"}, "interval"),
        ({"id": "a", "price": "35", "interval": "3"}, "interval"),
        ({"id": "a", "price": "35", "custom": "yes"}, "custom"),
        (
            {
                "id": "a",
                "price": "35",
                "allowances": [{"metric": "v", "overage": "1"}],
            },
            "allowances",
        ),
        ({"id": "a", "price": "35", "lifetime": [{"metrc": "m"}]}, "lifetime"),
    ],
)
def test_what_the_schema_refuses_the_reader_refuses(
    plan: dict[str, object], field: str
) -> None:
    """A catalog the schema flags is one load_catalog refuses too, naming
    the same field."""
    data = {"currency": "USD", "plans": [plan]}
    assert list(VALIDATOR.iter_errors(data)) != []
    with pytest.raises(CatalogError, match=field):
        parse_catalog(data)


@pytest.mark.parametrize(
    "interval", ["month", "Month", "3 months", "30 days", "1 year", "2 weeks"]
)
def test_intervals_the_schema_takes_the_reader_takes(interval: str) -> None:
    """The schema's interval pattern and Interval agree."""
    data = {
        "currency": "USD",
        "plans": [{"id": "a", "price": "1", "interval": interval}],
    }
    assert list(VALIDATOR.iter_errors(data)) == []
    assert parse_catalog(data)["a"].interval == Interval(interval)


@pytest.mark.parametrize(
    "plan",
    [
        {"id": "a", "price": "35", "annual_months_free": 13},
        {"id": "a", "price": "35", "interval": "0 months"},
    ],
)
def test_the_schema_refuses_a_count_the_reader_refuses(
    plan: dict[str, object],
) -> None:
    """13 months free and "0 months" are refused by both (review #18)."""
    data = {"currency": "USD", "plans": [plan]}
    assert list(VALIDATOR.iter_errors(data)) != []
    with pytest.raises(CatalogError):
        parse_catalog(data)


def test_a_whole_json_float_is_the_one_gap() -> None:
    """JSON Schema counts 35.0 as an integer; the reader refuses it as a
    float. The schema says so in its description."""
    data = {"currency": "USD", "plans": [{"id": "a", "price": 35.0}]}
    assert list(VALIDATOR.iter_errors(data)) == []
    with pytest.raises(CatalogError, match="float"):
        load_catalog_text(json.dumps(data))
    assert "35.0" in SCHEMA["description"]


def load_catalog_text(text: str) -> object:
    """Read JSON text as a catalog file would be read."""
    from prorata._catalog import _parse_text  # noqa: PLC0415

    return _parse_text(text, ".json", "c.json")


def test_plans_json_writes_prices_in_plain_notation() -> None:
    """A price written 1e3 is written back "1000" (its annual "10000"),
    which the schema takes (review #18)."""
    catalog = parse_catalog(
        {
            "currency": "USD",
            "plans": [{"id": "a", "price": "1e3", "annual_months_free": 2}],
        }
    )
    written = catalog_data(catalog)
    assert [p["price"] for p in written["plans"]] == ["1000", "10000"]
    assert list(VALIDATOR.iter_errors(written)) == []
    assert list(parse_catalog(written)) == list(catalog)
