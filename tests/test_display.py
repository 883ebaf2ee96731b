"""Reprs under 200 characters and an HTML display for every model (#18).

The samples are the objects a notebook user meets on the way through a
subscription with every kind of term: add-ons, a coupon, tax, usage, a
change, a quantity change, a schedule, a cancellation and a pause, in a
time zone whose moments write long (``America/Los_Angeles``).
"""

from __future__ import annotations

import inspect
import typing
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

import prorata
from prorata import (
    MONTHLY,
    AddOn,
    BillingCycle,
    BillingPeriod,
    BillingPolicy,
    Coupon,
    Discount,
    Interval,
    Item,
    Money,
    Plan,
    PlanChange,
    ProrationPolicy,
    Subscription,
    TaxRate,
    UsageAllowance,
    builtin_catalog,
    presets,
    prorate,
    prorate_timeline,
)
from tests.strategies import plans

LA = ZoneInfo("America/Los_Angeles")


def _at(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 6, day, hour, tzinfo=LA)


def _samples() -> dict[str, object]:
    """One of each model and result, as a notebook shows them."""
    catalog = builtin_catalog()
    pro, biz = catalog["pro"], catalog["business-1"]
    vat = TaxRate(name="VAT", percent=Decimal(20))
    site = AddOn(
        id="extra-site",
        name="Extra site",
        price=Money("5", "USD"),
        taxes=(vat,),
    )
    coupon = Coupon(discount=Discount.percent_off(10), periods=3, name="W10")
    policy = BillingPolicy(
        proration=presets.STRIPE_CLASSIC, charge_now_above=Money("100", "USD")
    )
    sub, _ = Subscription.start(
        pro, _at(1), policy=policy, items=[Item(site, 2)], coupons=[coupon]
    )
    sub = sub.record_usage("visits", 70_000, _at(3))
    sub, changed = sub.change_plan(biz, _at(11, 13))
    sub, quantity = sub.change_quantity(site, 4, _at(12))
    scheduled = sub.schedule_change(pro)
    cancelled, cancel = sub.cancel(_at(20))
    paused, _ = sub.pause(_at(21))
    _, invoice = sub.bill()
    change = PlanChange(pro, biz, at=_at(11))
    period = BillingPeriod(_at(1), datetime(2024, 7, 1, tzinfo=LA))
    proration = prorate(change, period, presets.STRIPE_CLASSIC)
    samples: dict[str, object] = {
        "subscription": sub,
        "scheduled": scheduled,
        "cancelled": cancelled,
        "paused": paused,
        "change outcome": changed,
        "quantity outcome": quantity,
        "quantity change": quantity.change,
        "cancel outcome": cancel,
        "plan": pro,
        "annual plan": catalog["pro-annual"],
        "catalog": catalog,
        "plan change": change,
        "billing policy": policy,
        "proration policy": presets.STRIPE_CLASSIC,
        "period": period,
        "cycle": BillingCycle(_at(1), MONTHLY),
        "invoice": invoice,
        "invoice line": invoice.lines[0],
        "tax line": invoice.taxes[0],
        "proration": proration,
        "proration line": proration.lines[0],
        "timeline": prorate_timeline(pro, [change], period),
        "add-on": site,
        "item": Item(site, 2),
        "coupon": coupon,
        "tax rate": vat,
        "usage": sub.usage[0],
        "allowance": pro.allowances[0],
        "lifetime allowance": pro.lifetime[0],
        "discount": Discount.percent_off(10),
        "scheduled change": scheduled.pending_change,
        "cancellation": cancelled.cancellation,
        "pause": paused.paused,
        "schedule": sub.schedule,
    }
    return samples


SAMPLES = _samples()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_repr_is_short(name: str) -> None:
    """Under 200 characters, on one line."""
    text = repr(SAMPLES[name])
    assert len(text) < 200, text
    assert "\n" not in text


class _Tags(HTMLParser):
    """Counts the tags opened and closed, and collects the text."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:  # noqa: ARG002
        if tag not in {"br", "col", "img"}:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        """A self-closing tag (``<rect .../>``) opens nothing."""

    def handle_endtag(self, tag: str) -> None:
        assert self.open, tag
        assert self.open.pop() == tag, tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_displays_as_html(name: str) -> None:
    """``_repr_html_`` gives well-nested HTML that holds the brief facts."""
    sample = SAMPLES[name]
    html = sample._repr_html_()  # type: ignore[attr-defined]
    tags = _Tags()
    tags.feed(html)
    assert tags.open == [], html
    assert "".join(tags.text).strip(), html


def test_every_public_model_has_an_html_display() -> None:
    """Each public class a notebook can show has ``_repr_html_``: all but
    the enums, the errors and the records (plain dicts)."""
    shown = [
        cls
        for name in prorata.__all__
        if inspect.isclass(cls := getattr(prorata, name))
        and not issubclass(cls, Enum | BaseException)
        and not typing.is_typeddict(cls)
    ]
    assert len(shown) > 30
    assert [cls for cls in shown if not hasattr(cls, "_repr_html_")] == []
    assert Money("-1234.5", "EUR")._repr_html_() == (
        '<span class="prorata-money">-€1,234.50</span>'
    )


def test_html_escapes_what_it_shows() -> None:
    """A plan named with markup shows the markup as text."""
    plan = Plan(id="x", name="<b>Gold</b> & co", price=Money("1", "USD"))
    html = plan._repr_html_()  # type: ignore[attr-defined]
    assert "<b>" not in html
    assert "&lt;b&gt;Gold&lt;/b&gt; &amp; co" in html


@pytest.mark.parametrize(
    "model",
    [
        Plan(id="pro", price=Money("70", "USD"), rank=2),
        Interval.months(3),
        Money("12.50", "EUR"),
        ProrationPolicy(basis="days"),
        BillingPolicy(charge_now_above=Money("100", "USD")),
        BillingPeriod(
            datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 7, 1, tzinfo=UTC)
        ),
        Discount.percent_off(10),
    ],
    ids=lambda model: type(model).__name__,
)
def test_a_short_repr_is_the_evaluable_call(model: object) -> None:
    """When the call fits, the repr is the call, and it builds the model."""
    scope = {
        **vars(prorata),
        "datetime": __import__("datetime"),
        "Decimal": Decimal,
    }
    assert eval(repr(model), scope) == model  # noqa: S307


def test_a_long_model_is_summarised_by_its_fields() -> None:
    """The summary names each field that differs from its default."""
    text = repr(builtin_catalog()["pro-annual"])
    assert text.startswith(
        "<Plan id=pro-annual, name=Pro (annual), price=$700.00"
    )
    assert "interval=1 year" in text


@given(plans("USD"))
def test_any_plan_repr_is_short(plan: Plan) -> None:
    """Whatever its fields, a plan's repr stays short."""
    assert len(repr(plan)) < 200


def test_an_invoice_repr_shows_the_total_with_tax() -> None:
    """The sample invoice is taxed: its repr's total is the taxed one,
    which equals what is due when no credit balance applies."""
    invoice = SAMPLES["invoice"]
    assert isinstance(invoice, prorata.Invoice)
    assert invoice.tax
    assert invoice.credit_applied == Money.zero("USD")
    assert f"total {invoice.total}, due {invoice.amount_due}" in repr(invoice)
    assert invoice.total == invoice.amount_due


LONG = "x" * 150


def test_long_ids_and_names_keep_every_repr_short() -> None:
    """150-character ids and names (review #18): still under 200."""
    a = Plan(id=LONG + "a", price=Money("10", "USD"))
    b = Plan(id=LONG + "b", price=Money("20", "USD"))
    june = BillingPeriod(
        datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 7, 1, tzinfo=UTC)
    )
    change = PlanChange(a, b, at=datetime(2024, 6, 11, tzinfo=UTC))
    quote = prorate(change, june)
    site = AddOn(id=LONG, name=LONG, price=Money("5", "USD"))
    allowance = UsageAllowance(
        metric=LONG, included=1, overage_price=Money("1", "USD")
    )
    for model in (
        quote,
        quote.lines[0],
        prorate_timeline(a, [change], june),
        site,
        allowance,
        ProrationPolicy(
            basis="thirty-day-month",
            day_count="30/360",
            change_day="old-plan",
            months_first=True,
            credit="full",
            charge="none",
            rounding="half-even",
            rounding_stage="net",
            anchor_reset="never",
        ),
    ):
        assert len(repr(model)) < 200, repr(model)
