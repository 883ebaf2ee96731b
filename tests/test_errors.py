"""Every refusal: the right error type, a message naming the bad value."""

from __future__ import annotations

import inspect
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prorata
from prorata import (
    ArgumentTypeError,
    BillingCycle,
    BillingPolicy,
    BillingSchedule,
    BillingTiming,
    Catalog,
    CatalogError,
    Discount,
    Interval,
    Plan,
    PlanChange,
    ProrataError,
    ProrationLine,
    SerializationError,
    builtin_catalog,
    errors,
    from_dict,
    load_catalog,
    parse_catalog,
    prorate,
    to_dict,
)
from prorata._period import to_utc
from tests.common import BAD_INPUT, JUNE_1, PERIOD, A, B, Bad
from tests.strategies import billing_cycles, instants

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize("bad", BAD_INPUT, ids=[bad.name for bad in BAD_INPUT])
def test_bad_input_is_refused(bad: Bad) -> None:
    """The call raises its specific error, and the message names the value."""
    with pytest.raises(bad.error) as caught:
        bad.call()
    assert bad.says in str(caught.value)
    assert type(caught.value) is bad.error


def test_every_error_derives_from_the_root_and_a_builtin() -> None:
    """except ProrataError catches all; except ValueError, TypeError or
    KeyError (for an unknown plan id) too."""
    classes = [
        value
        for _, value in inspect.getmembers(errors, inspect.isclass)
        if issubclass(value, Exception) and value.__module__ == errors.__name__
    ]
    assert len(classes) >= 10
    for cls in classes:
        assert issubclass(cls, ProrataError)
        if cls is not ProrataError:
            assert issubclass(cls, ValueError | TypeError | LookupError), cls


def test_every_error_is_exported() -> None:
    """All error classes are reachable from the package and in __all__."""
    for name in errors.__all__:
        assert getattr(prorata, name) is getattr(errors, name)
        assert name in prorata.__all__


def test_messages_say_what_to_do() -> None:
    """Each message carries a remedy, not only a complaint."""
    remedies = ("pass", "use", "round", "choose", "list", "convert", "give")
    for bad in BAD_INPUT:
        with pytest.raises(ProrataError) as caught:
            bad.call()
        message = str(caught.value).lower()
        assert any(word in message for word in remedies), (bad.name, message)


# -- issue #11: reading data and catalogs -------------------------------------


def _broken_data() -> list[tuple[str, object, object]]:
    plan = to_dict(A)
    period = to_dict(PERIOD)
    start = str(period["start"])
    discount = to_dict(Discount.percent_off(10))
    line = to_dict(prorate(PlanChange(A, B, at=JUNE_1), PERIOD).used)
    return [
        ("missing field", {k: v for k, v in plan.items() if k != "id"}, Plan),
        ("bad decimal", {**discount, "percent": "1/2"}, Discount),
        ("0/0", {**line, "exact": "0/0"}, ProrationLine),
        (
            "long zone",
            {**period, "start": f"{start}[{'x' * 300}]"},
            type(PERIOD),
        ),
        ("kind None", plan, None),
        ("kind a str", plan, "Plan"),
    ]


@pytest.mark.parametrize(
    ("data", "kind"),
    [case[1:] for case in _broken_data()],
    ids=[case[0] for case in _broken_data()],
)
def test_from_dict_refuses_broken_data(data: object, kind: object) -> None:
    """Whatever is wrong with the data, it is a SerializationError."""
    with pytest.raises(SerializationError) as caught:
        from_dict(data, kind)  # type: ignore[arg-type]
    assert "pass data written by prorata.to_dict" in str(caught.value)


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


def test_error_messages_abbreviate_what_they_cannot_show() -> None:
    """A 5,000-digit int, a long string, a failing repr: all rendered."""

    class Unshowable:
        def __repr__(self) -> str:
            raise RuntimeError

    assert errors.shown(10**5000) == "<int of about 5,001 digits>"
    assert errors.shown(-(10**400)).endswith("digits>")
    assert len(errors.shown("x" * 10**6)) < 200
    assert "1,000,002 chars" in errors.shown("x" * 10**6)
    assert errors.shown(Unshowable()) == "<Unshowable that cannot be shown>"
    assert errors.shown(12) == "12"


def _walked_index(schedule: BillingSchedule, moment: datetime) -> int:
    """invoice_index_for as it was: one billing date at a time."""
    index = max(schedule.cycle.index_of(moment) + 1, schedule.first_index)
    while to_utc(schedule.calculation_date(schedule.billing_date(index))) <= (
        to_utc(moment)
    ):
        index += 1
    return index


def test_invoice_index_for_a_long_lead_is_quick() -> None:
    """A lead of 821 years over daily billing walked 300,000 dates (over 2 s
    in all); it now skips them."""
    schedule = BillingSchedule(
        cycle=BillingCycle(datetime(2000, 1, 1, tzinfo=UTC), Interval.days(1)),
        policy=BillingPolicy(calculation_lead=timedelta(days=300_000)),
    )
    started = time.perf_counter()
    index = schedule.invoice_index_for(JUNE_1)
    assert time.perf_counter() - started < 0.5
    # The first billing date calculated after the moment, as the walk's.
    calculated = schedule.calculation_date
    assert calculated(schedule.billing_date(index)) > JUNE_1
    assert calculated(schedule.billing_date(index - 1)) <= JUNE_1


@settings(max_examples=300)
@given(
    cycle=billing_cycles(),
    lead=st.timedeltas(timedelta(0), timedelta(days=120)),
    moment=instants(),
    timing=st.sampled_from(BillingTiming),
)
def test_invoice_index_for_skips_to_the_walked_index(
    cycle: BillingCycle,
    lead: timedelta,
    moment: datetime,
    timing: BillingTiming,
) -> None:
    """Skipping the dates within the lead finds the walk's index, across
    DST changes too."""
    schedule = BillingSchedule(
        cycle=cycle,
        policy=BillingPolicy(timing=timing, calculation_lead=lead),
    )
    assert schedule.invoice_index_for(moment) == _walked_index(
        schedule, moment
    )
