"""The lines of add-on quantity changes (their modes) and one-time charges.

Quantity modes: prorated, full, high-water mark, delta. One-time charges: a
set-up fee billed once, kept or credited back on cancellation.

Worked figures: issue #15's acceptance list (10 seats at $10 lowered to 6
and raised to 12 under high-water mark: no credit, then 2 seats; +3 seats
with 40% of the period left under delta: one line of 1.2 seat-months,
$12.00). The modes and their platforms: docs/research/invoice-features.md
section 4. Expected amounts are computed here from the definition, price x
units x share of the period left.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    AddOn,
    ArgumentTypeError,
    Basis,
    BillingPolicy,
    Charge,
    CurrencyMismatchError,
    InvalidPlanError,
    InvalidPolicyError,
    InvoiceLineKind,
    Item,
    Money,
    Plan,
    ProrationPolicy,
    QuantityMode,
    Subscription,
    TaxRate,
)

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
PLAN = Plan(id="team", name="Team", price=Money("0", "USD"))
DAYS = BillingPolicy(proration=ProrationPolicy(basis=Basis.DAYS))
CENT = Decimal("0.01")
THIRTY = Plan(id="pro", name="Pro", price=Money("30", "USD"))


def usd(text: str) -> Money:
    return Money(text, "USD")


def seat(mode: str) -> AddOn:
    return AddOn(
        id="seat",
        name="Seat",
        price=Money("10", "USD"),
        quantity_mode=mode,  # type: ignore[arg-type]
    )


def june(day: int) -> datetime:
    return datetime(2024, 6, day, tzinfo=UTC)


def test_high_water_mark_bills_only_units_above_the_peak() -> None:
    """10 paid, lowered to 6: nothing back; raised to 12: 2 seats billed."""
    seats = seat("high-water-mark")
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(seats, 10)], policy=DAYS
    )
    sub, down = sub.change_quantity(seats, 6, june(10))
    assert down.lines == ()
    sub, up = sub.change_quantity(seats, 12, june(19))
    (line,) = up.lines
    assert line.quantity == 2
    # 2 seats x $10 x 12 of 30 days left.
    assert line.amount == Money("8.00", "USD")
    sub, again = sub.change_quantity(seats, 11, june(20))
    assert again.lines == ()
    sub, higher = sub.change_quantity(seats, 13, june(25))
    assert [line.quantity for line in higher.lines] == [1]


def test_full_above_peak_bills_units_above_the_peak_whole() -> None:
    """10 paid, lowered to 6: nothing back; raised to 12: the 2 seats
    above the peak for the whole period ($20, not 12/30 of it); a new
    period starts its peak afresh from the quantity it bills."""
    seats = seat("full-above-peak")
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(seats, 10)], policy=DAYS
    )
    sub, down = sub.change_quantity(seats, 6, june(10))
    assert down.lines == ()
    sub, up = sub.change_quantity(seats, 12, june(19))
    (line,) = up.lines
    assert (line.quantity, line.amount) == (2, Money("20.00", "USD"))
    sub, again = sub.change_quantity(seats, 12, june(20))
    assert again.lines == ()
    sub, july = sub.bill()  # the change's 2 seats, then July's 12
    seat_lines = [x for x in july.lines if x.product == seats]
    assert [(x.quantity, x.amount) for x in seat_lines] == [
        (2, Money("20.00", "USD")),
        (12, Money("120.00", "USD")),
    ]
    _, more = sub.change_quantity(seats, 13, datetime(2024, 7, 5, tzinfo=UTC))
    assert [(x.quantity, x.amount) for x in more.lines] == [
        (1, Money("10.00", "USD"))
    ]


def test_delta_bills_one_line_for_the_difference() -> None:
    """+3 seats at $10 with 40% of the period left: 1.2 seat-months."""
    seats = seat("delta")
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(seats, 10)], policy=DAYS
    )
    sub, up = sub.change_quantity(seats, 13, june(19))  # 12 of 30 days left
    (line,) = up.lines
    assert (line.kind, line.quantity, line.amount) == (
        InvoiceLineKind.REMAINING_TIME,
        3,
        Money("12.00", "USD"),
    )
    _, down = sub.change_quantity(seats, 11, june(25))  # 6 of 30 days left
    (credit,) = down.lines
    assert (credit.kind, credit.amount) == (
        InvoiceLineKind.UNUSED_TIME,
        Money("-4.00", "USD"),
    )


@given(
    before=st.integers(0, 40),
    after=st.integers(0, 40),
    seconds=st.integers(1, 30 * 86400 - 1),
)
def test_a_policy_mode_and_rounding_bill_a_prorated_add_on(
    before: int, after: int, seconds: int
) -> None:
    """``BillingPolicy(quantity_mode="delta", quantity_rounding="down")``
    bills an add-on left prorated as one line for the difference, its
    amount truncated toward zero (Polar's seat entry, ``int(delta *
    factor)``): $1 a unit, the seconds left over June's 30 days."""
    policy = BillingPolicy(quantity_mode="delta", quantity_rounding="down")
    units = AddOn(id="unit", price=usd("1"))
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(units, before)], policy=policy
    )
    at = JUNE_1 + timedelta(seconds=seconds)
    _, outcome = sub.change_quantity(units, after, at)
    left = Fraction(30 * 86400 - seconds, 30 * 86400)
    cents = int(100 * (after - before) * left)  # int() truncates toward 0
    assert sum(line.amount.minor_units for line in outcome.lines) == cents
    assert len(outcome.lines) == (before != after)  # one line, or none


def test_an_add_on_own_mode_wins_over_the_policy_one() -> None:
    """An add-on's own mode other than prorated is kept (full: 2 seats
    added for the whole month, $20.00); billed in arrears, the policy's
    mode is refused."""
    policy = BillingPolicy(quantity_mode="delta")
    seats = seat("full")
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(seats, 10)], policy=policy
    )
    _, up = sub.change_quantity(seats, 12, june(19))
    assert [line.amount for line in up.lines] == [Money("20.00", "USD")]
    with pytest.raises(InvalidPolicyError, match="quantity_mode"):
        BillingPolicy(quantity_mode="delta", timing="in-arrears")
    with pytest.raises(InvalidPolicyError, match="quantity_rounding"):
        BillingPolicy(quantity_rounding="sideways")  # type: ignore[arg-type]


def test_full_bills_added_units_for_the_whole_period() -> None:
    seats = seat("full")
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(seats, 10)], policy=DAYS
    )
    sub, up = sub.change_quantity(seats, 12, june(19))
    assert [line.amount for line in up.lines] == [Money("20.00", "USD")]
    _, down = sub.change_quantity(seats, 5, june(20))
    assert down.lines == ()


def test_prorated_stays_the_default() -> None:
    seats = AddOn(id="seat", price=Money("10", "USD"))
    assert seats.quantity_mode is QuantityMode.PRORATED
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(seats, 10)], policy=DAYS
    )
    _, up = sub.change_quantity(seats, 13, june(19))
    assert [line.amount for line in up.lines] == [
        Money("-40.00", "USD"),
        Money("52.00", "USD"),
    ]


def test_modes_other_than_prorated_are_refused_in_arrears() -> None:
    seats = seat("delta")
    arrears = BillingPolicy(timing="in-arrears")
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(seats, 1)], policy=arrears
    )
    with pytest.raises(InvalidPolicyError, match="quantity_mode"):
        sub.change_quantity(seats, 2, june(10))
    with pytest.raises(InvalidPolicyError, match="high-water-mark"):
        seat("highest")


@given(
    st.lists(
        st.tuples(st.integers(1, 29), st.integers(0, 30)),
        min_size=1,
        max_size=8,
    )
)
def test_high_water_mark_never_bills_a_unit_twice(
    moves: list[tuple[int, int]],
) -> None:
    """Over any changes in a period, the units charged are the period's
    peak less the quantity it started with, and nothing is credited."""
    seats = seat("high-water-mark")
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(seats, 10)], policy=DAYS
    )
    charged = 0
    peak = 10
    for day, quantity in sorted(moves):
        sub, outcome = sub.change_quantity(seats, quantity, june(day + 1))
        assert all(line.amount.amount >= 0 for line in outcome.lines)
        charged += sum(line.quantity for line in outcome.lines)
        peak = max(peak, quantity)
    assert charged == peak - 10


def test_a_set_up_fee_is_billed_once_and_kept_on_cancellation() -> None:
    """$50 set-up fee: billed at sign-up, not credited when cancelled."""
    fee = Charge(id="setup", name="Set-up fee", price=usd("50"))
    sub, first = Subscription.start(THIRTY, JUNE_1, charges=[fee])
    assert first is not None
    assert [str(line) for line in first.lines] == [
        "Price for 1 month of Pro = $30.00",
        "Set-up fee = $50.00",
    ]
    _, outcome = sub.cancel(datetime(2024, 6, 21, tzinfo=UTC))
    assert outcome.invoice is not None
    assert not outcome.invoice.lines_of(InvoiceLineKind.ONE_TIME)
    assert outcome.returned == usd("10.00")  # the unused time only
    _, july = sub.bill()
    assert not july.lines_of(InvoiceLineKind.ONE_TIME)


def test_a_set_up_fee_with_credit_back_is_credited_in_full() -> None:
    """-$50.00 with credit-back on, beside the unused time's $10.00."""
    fee = Charge(
        id="setup", name="Set-up fee", price=usd("50"), credit_back=True
    )
    sub, _ = Subscription.start(THIRTY, JUNE_1, charges=[fee])
    _, outcome = sub.cancel(datetime(2024, 6, 21, tzinfo=UTC))
    assert outcome.invoice is not None
    (back,) = outcome.invoice.lines_of(InvoiceLineKind.ONE_TIME)
    assert back.amount == usd("-50.00")
    assert outcome.returned == usd("60.00")
    # Not after the period it was billed in.
    later, _ = sub.bill()
    _, after = later.cancel(datetime(2024, 7, 11, tzinfo=UTC))
    assert after.invoice is not None
    assert not after.invoice.lines_of(InvoiceLineKind.ONE_TIME)


def test_a_charge_added_later_is_invoiced_at_once_and_taxed() -> None:
    vat = TaxRate(name="VAT", percent=20)
    device = Charge(id="device", price=usd("100"), taxes=(vat,))
    sub, _ = Subscription.start(THIRTY, JUNE_1)
    sub, invoice = sub.add_charge(device, datetime(2024, 6, 5, tzinfo=UTC))
    assert (invoice.subtotal, invoice.tax, invoice.amount_due) == (
        usd("100.00"),
        usd("20.00"),
        usd("120.00"),
    )
    _, outcome = sub.change_plan(
        Plan(id="max", price=usd("60"), rank=1),
        datetime(2024, 6, 16, tzinfo=UTC),
    )
    assert not [
        line for line in outcome.lines if line.kind is InvoiceLineKind.ONE_TIME
    ]


def test_a_charge_with_a_trial_gets_an_invoice_of_its_own() -> None:
    from datetime import timedelta  # noqa: PLC0415 - this test only

    fee = Charge(id="setup", price=usd("50"))
    _, invoice = Subscription.start(
        THIRTY, JUNE_1, trial=timedelta(days=14), charges=[fee]
    )
    assert invoice is not None
    assert invoice.amount_due == usd("50.00")


def test_bad_charges_are_refused() -> None:
    with pytest.raises(InvalidPlanError, match="negative"):
        Charge(id="x", price=usd("-1"))
    with pytest.raises(CurrencyMismatchError):
        Subscription.start(
            THIRTY, JUNE_1, charges=[Charge(id="x", price=Money("1", "EUR"))]
        )
    with pytest.raises(ArgumentTypeError, match="Charge"):
        Subscription.start(THIRTY, JUNE_1, charges=["setup"])  # type: ignore[list-item]


def test_prorated_increases_charge_added_units_and_defer_decreases() -> None:
    """Meteroid's slot fee (services/subscriptions/slots.rs: a decrease
    "Always deferred to next billing period", an increase the delta times
    the unit rate, prorated): 10 -> 8 -> 13 seats of $10, the increase
    with 12 of 30 days left, charges the 5 seats added for 12 days,
    $20.00; July bills the 13 seats, $130.00."""
    seats = seat("prorated-increases")
    sub, _ = Subscription.start(
        PLAN, JUNE_1, items=[Item(seats, 10)], policy=DAYS
    )
    sub, down = sub.change_quantity(seats, 8, june(10))
    assert down.lines == ()
    sub, up = sub.change_quantity(seats, 13, june(19))
    assert [(line.quantity, line.amount) for line in up.lines] == [
        (5, Money("20.00", "USD"))
    ]
    _, july = sub.bill()
    renewals = july.lines_of(InvoiceLineKind.SUBSCRIPTION)
    assert [line.amount for line in renewals if line.quantity == 13] == [
        Money("130.00", "USD")
    ]
