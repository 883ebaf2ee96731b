"""Every model and result to a plain dict and back, through JSON (#6)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    BillingPeriod,
    BillingPolicy,
    Coupon,
    Discount,
    Invoice,
    Money,
    Plan,
    PlanChange,
    Proration,
    ProrationLine,
    ProrationPolicy,
    SerializationError,
    Subscription,
    Timeline,
    builtin_catalog,
    from_dict,
    presets,
    prorate,
    prorate_timeline,
    to_dict,
)
from tests.common import JUNE_1, PERIOD, A, B
from tests.strategies import (
    Story,
    moments_in,
    periods,
    plans,
    policies,
    stories,
)

T = TypeVar("T")


def through_json(value: T, kind: type[T]) -> T:
    """to_dict, JSON text, from_dict."""
    return from_dict(json.loads(json.dumps(to_dict(value))), kind)


@settings(max_examples=150)
@given(data=st.data())
def test_prorations_round_trip(data: st.DataObject) -> None:
    """Any proration (plans, period, moment, policy) comes back equal."""
    currency = data.draw(st.sampled_from(["USD", "JPY", "KWD"]))
    old, new = data.draw(plans(currency)), data.draw(plans(currency))
    period = data.draw(periods())
    at = data.draw(moments_in(period))
    policy = data.draw(policies())
    proration = prorate(PlanChange(old, new, at=at), period, policy)
    assert through_json(proration, Proration) == proration
    assert through_json(policy, ProrationPolicy) == policy


@settings(max_examples=60)
@given(story=stories())
def test_subscriptions_and_invoices_round_trip(story: Story) -> None:
    """Subscriptions after any history, and all their invoices, too."""
    assert story.final is not None
    assert through_json(story.final, Subscription) == story.final
    for invoice in story.invoices:
        assert through_json(invoice, Invoice) == invoice


def test_the_catalog_and_presets_round_trip() -> None:
    """Every built-in plan and preset survives the trip."""
    for plan in builtin_catalog():
        assert through_json(plan, Plan) == plan
    for preset in presets.PRESETS.values():
        assert through_json(preset, ProrationPolicy) == preset
    for billing in presets.PADDLE_MODES.values():
        assert through_json(billing, BillingPolicy) == billing
    for convention in presets.CONVENTIONS.values():
        assert through_json(convention, BillingPolicy) == convention


def test_a_coupon_redeemed_on_its_plan_round_trips() -> None:
    """The polar convention's ``coupon_products="redemption"``: a coupon
    for A only, A -> B; the subscription read back bills B discounted."""
    polar = presets.CONVENTIONS["polar"]
    assert to_dict(polar)["coupon_products"] == "redemption"
    only_a = Coupon(discount=Discount.percent_off(50), products=(A.id,))
    sub, _ = Subscription.start(A, JUNE_1, policy=polar, coupons=[only_a])
    sub, _ = sub.change_plan(B, JUNE_1 + timedelta(days=10))
    back = through_json(sub, Subscription)
    assert back == sub
    _, july = back.bill()
    assert july == sub.bill()[1]
    assert [str(line.amount) for line in july.lines[-2:]] == [
        "$20.00",
        "-$10.00",
    ]


def test_the_dict_is_plain() -> None:
    """Amounts are strings, moments ISO 8601 with their offset."""
    catalog = builtin_catalog()
    june = datetime(2024, 6, 1, tzinfo=UTC)
    timeline = prorate_timeline(
        catalog["starter"],
        [PlanChange(catalog["starter"], catalog["pro"], at=june)],
        BillingPeriod.of_days(june, 30),
        presets.HOSTING_PAGE,
    )
    data = to_dict(timeline)
    text = json.dumps(data)
    assert '"amount": "35"' in text
    assert "2024-06-01T00:00:00+00:00" in text
    assert through_json(timeline, Timeline) == timeline


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"type": "Money"}, "Plan"),
        (
            {
                "type": "Plan",
                "id": "x",
                "price": {"amount": 1.5, "currency": "USD"},
            },
            "Plan.price",
        ),
        (
            {
                "type": "Plan",
                "id": "x",
                "price": {"amount": "1", "currency": "USD"},
                "rank": "high",
            },
            "Plan.rank",
        ),
    ],
    ids=["wrong-type", "float-amount", "text-rank"],
)
def test_bad_data_names_the_field(data: dict[str, object], says: str) -> None:
    """What cannot be read back is refused, naming where."""
    with pytest.raises(SerializationError, match=says):
        from_dict(data, Plan)


def test_money_alone_is_no_model() -> None:
    """to_dict takes models and results, not bare values."""
    from prorata import ArgumentTypeError  # noqa: PLC0415

    with pytest.raises(ArgumentTypeError):
        to_dict(Money("1", "USD"))


def test_a_zone_survives_the_trip() -> None:
    """A Berlin anchor comes back in Berlin, not at a fixed offset, so its
    periods still follow the daylight-saving changes."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from prorata import MONTHLY, BillingCycle  # noqa: PLC0415

    berlin = ZoneInfo("Europe/Berlin")
    cycle = BillingCycle(datetime(2024, 1, 31, 9, tzinfo=berlin), MONTHLY)
    back = through_json(cycle, BillingCycle)
    assert back.anchor.tzinfo is berlin
    assert back.period(2) == cycle.period(2)
    assert "[Europe/Berlin]" in json.dumps(to_dict(cycle))


def test_without_json_text_too() -> None:
    """to_dict gives plain values (no enum members) and reads back as is."""
    policy = presets.ZUORA_STRICT_30_360
    data = to_dict(policy)
    assert type(data["basis"]) is str
    assert from_dict(data, ProrationPolicy) == policy


@pytest.mark.parametrize(
    ("wall", "fold"),
    [
        ((2024, 11, 3, 1, 30), 1),  # repeated hour, second pass (EST)
        ((2024, 11, 3, 1, 30), 0),  # repeated hour, first pass (EDT)
        ((1990, 4, 1, 2, 0), 0),  # skipped hour: a time that never was
    ],
    ids=["fold-1", "fold-0", "gap"],
)
def test_wall_times_and_folds_come_back_as_written(
    wall: tuple[int, int, int, int, int], fold: int
) -> None:
    """Days are counted on the start's wall clock, so a period must come
    back with the same wall time and fold, not only the same instant."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from prorata import BillingPeriod  # noqa: PLC0415

    year, month, day, hour, minute = wall
    start = datetime(
        year,
        month,
        day,
        hour,
        minute,
        tzinfo=ZoneInfo("America/New_York"),
        fold=fold,
    )
    period = BillingPeriod(start, datetime(2025, 1, 1, tzinfo=UTC))
    back = through_json(period, BillingPeriod)
    assert (back.start.hour, back.start.minute) == (hour, minute)
    assert back.start.fold == fold
    assert back == period


@settings(max_examples=40)
@given(story=stories())
def test_models_and_results_pickle(story: Story) -> None:
    """Subscriptions and invoices pickle and unpickle equal, as a
    distributed billing run needs (#7)."""
    import pickle  # noqa: PLC0415

    assert story.final is not None
    values: list[object] = [story.final, *story.invoices]
    for value in values:
        assert pickle.loads(pickle.dumps(value)) == value  # noqa: S301


# -- refusals (issue #11) -----------------------------------------------------


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


def test_taxes_coupons_modes_charges_and_minimums_round_trip() -> None:
    """Issue #15's models, and a subscription holding each, come back
    equal, so a stored subscription keeps its coupons, peaks and the
    one-time charges it may credit back."""
    from prorata import (  # noqa: PLC0415 - this test's names
        ANNUAL,
        AddOn,
        Charge,
        Coupon,
        Interval,
        Item,
        TaxRate,
    )

    ten = TaxRate(name="Sales tax", percent=10)
    plan = Plan(
        id="pro",
        price=Money("100", "USD"),
        taxes=(ten,),
        minimum=Money("150", "USD"),
        trial=Interval.days(14),
    )
    seat = AddOn(
        id="seat",
        price=Money("120", "USD"),
        interval=ANNUAL,
        taxes=(ten,),
        quantity_mode="high-water-mark",
        cadence_factor="twelfths",
    )
    fee = Charge(id="setup", price=Money("50", "USD"), credit_back=True)
    sub, invoice = Subscription.start(
        plan,
        JUNE_1,
        items=[Item(seat, 3)],
        coupons=[Coupon(discount=Discount.percent_off(10), periods=2)],
        charges=[fee],
    )
    sub, _ = sub.change_quantity(seat, 5, JUNE_1 + timedelta(days=9))
    assert sub.peaks
    assert sub.coupons
    assert sub.one_time
    for value in (sub, invoice, plan, seat, fee):
        assert from_dict(to_dict(value), type(value)) == value
