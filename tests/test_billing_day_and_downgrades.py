"""The billing day on a change of interval, downgrades at the period's
end and the end of a cancellation's day: cases an adversarial review of
issue 16's rules found, each asserting hand arithmetic from the
platforms' documented rules (lago-api PlanUpgradeService, Plan#yearly_
amount_cents; docs/research/platform-cases.md), not another code path.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from prorata import (
    ANNUAL,
    AnchorReset,
    AnchorResetName,
    BackdatingError,
    BillingPolicy,
    ChangeOrderError,
    Interval,
    InvalidPolicyError,
    InvoiceLineKind,
    Money,
    Plan,
    ProrationPolicy,
    Settlement,
    Subscription,
    YearlyAlignment,
    presets,
)
from tests.common import usd, utc

C = presets.CONVENTIONS


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


B1 = Plan(id="b1", price=usd("115"), rank=3)
B2 = Plan(id="b2", price=usd("225"), rank=4)
PLUS = Plan(id="plus", price=usd("310"), rank=5)
MONTHLY_10 = Plan(id="m", price=eur("10"), rank=1)
YEARLY_120 = Plan(id="y", price=eur("120"), interval=ANNUAL, rank=2)
WEEKLY = Plan(id="w", price=eur("23.05"), interval=Interval.weeks(1), rank=1)
MONTHLY_100 = Plan(id="m100", price=eur("100"), rank=2)


def _lago_monthly_to_yearly(
    yearly: Plan = YEARLY_120, policy: BillingPolicy | None = None
) -> Subscription:
    """lago-api upgrade_spec: monthly from 2023-06-29, yearly 09-28 05:00."""
    sub, _ = Subscription.start(
        MONTHLY_10, utc(2023, 6, 29), policy=policy or C["lago"]
    )
    sub, _ = sub.bill_through(utc(2023, 8, 29))
    sub, _ = sub.change_plan(yearly, utc(2023, 9, 28, 5))
    return sub


def test_f1_lago_upgrade_cancels_the_pending_downgrade() -> None:
    """Lago PlanUpgradeService: ``cancel_pending_subscription if
    pending_subscription?``. B2 -> B1 is scheduled for 07-01; an upgrade to
    Plus on 06-15 must drop it: the 07-01 invoice bills Plus ($310)."""
    sub, _ = Subscription.start(B2, utc(2024, 6, 1), policy=C["lago"])
    sub, down = sub.change_plan(B1, utc(2024, 6, 11))
    assert down.settlement is Settlement.SCHEDULED
    sub, up = sub.change_plan(PLUS, utc(2024, 6, 15))
    assert up.settlement is Settlement.INVOICE_NOW
    assert sub.pending_change is None
    assert sub.preview_invoice().subtotal == usd("310.00")


def test_f2_minimum_true_up_after_a_kept_anchor_interval_change() -> None:
    """Lago minimum commitment, prorated by the days the plan covered: the
    yearly plan (minimum 200) runs 275 of 366 days (09-28 to 2024-06-29),
    so 200 x 275/366 = 150.27 is committed, less the 90.16 billed = 60.11."""
    yearly = replace(YEARLY_120, minimum=eur("200"))
    sub = _lago_monthly_to_yearly(yearly)
    invoice = sub.preview_invoice()
    (line,) = [
        x for x in invoice.lines if x.kind is InvoiceLineKind.COMMITMENT
    ]
    assert line.amount == eur("60.11")


@pytest.mark.parametrize("day", ["old-plan", "both"])
def test_f4_paid_credit_cancel_on_the_last_day(day: str) -> None:
    """A cancellation on the period's last day, its date used: nothing is
    left to credit; it must not raise OutsidePeriodError."""
    policy = BillingPolicy(
        proration=ProrationPolicy(basis="days", credit_basis="paid"),
        cancel_change_day=day,  # type: ignore[arg-type]
    )
    sub, _ = Subscription.start(
        Plan(id="a", price=usd("310")), utc(2024, 7, 1), policy=policy
    )
    _, end = sub.cancel(utc(2024, 7, 31, 10))
    assert end.returned == usd("0.00")


def test_f5_paid_credit_new_plan_day_cancel_after_a_same_day_change() -> None:
    """cancel_change_day=new-plan: the cancel day is not used. B (600) was
    charged 21 days (06-10 to 06-30, the change day its own) = 420; a
    cancel at 15:00 the same day returns those 21 days, 420 (as the list
    price basis does). It must not raise ChangeOrderError."""
    policy = BillingPolicy(
        proration=ProrationPolicy(basis="days", credit_basis="paid"),
        cancel_change_day="new-plan",
    )
    a = Plan(id="a", price=usd("300"), rank=1)
    b = Plan(id="b", price=usd("600"), rank=2)
    sub, _ = Subscription.start(a, utc(2024, 6, 1), policy=policy)
    sub, _ = sub.change_plan(b, utc(2024, 6, 10, 10))
    _, end = sub.cancel(utc(2024, 6, 10, 15))
    assert end.returned == usd("420.00")


def test_f6_lago_weekly_per_year_is_52_weeks_downgrade() -> None:
    """Lago Plan#yearly_amount_cents: weekly x 52. 23.05 x 52 = 1,198.60 <
    1,200 (100 x 12): monthly -> weekly is a downgrade, scheduled."""
    sub, _ = Subscription.start(MONTHLY_100, utc(2024, 6, 1), policy=C["lago"])
    _, outcome = sub.change_plan(WEEKLY, utc(2024, 6, 10))
    assert outcome.settlement is Settlement.SCHEDULED


def test_f6b_lago_weekly_per_year_is_52_weeks_upgrade() -> None:
    """The reverse, weekly -> monthly, is an upgrade (1,200 >= 1,198.60)
    and is made at once."""
    sub, _ = Subscription.start(WEEKLY, utc(2024, 6, 5), policy=C["lago"])
    _, outcome = sub.change_plan(MONTHLY_100, utc(2024, 6, 7))
    assert outcome.settlement is not Settlement.SCHEDULED


def test_f7_walk_after_kept_anchor_starts_at_the_change() -> None:
    """After monthly -> yearly on 09-28 (kept anniversary), y was in force
    09-28 to 12-01: 64 days, 120 x 64/366 = 20.98; y2's remaining 211 days
    cost 138.36; the period cost is 159.34, not 50.82 + 138.36."""
    sub = _lago_monthly_to_yearly()
    y2 = Plan(id="y2", price=eur("240"), interval=ANNUAL, rank=3)
    _, outcome = sub.change_plan(y2, utc(2023, 12, 1))
    assert outcome.proration.period_cost == eur("159.34")


def test_f7b_paid_credit_after_kept_anchor_uses_what_was_billed() -> None:
    """CreditBasis.PAID: the stub billed 751.37 for 275 days; 211 days
    unused return 751.37 x 211/275 = 576.5057 -> 576.51."""
    policy = BillingPolicy(
        proration=ProrationPolicy(
            basis="days", credit_basis="paid", anchor_reset="never"
        ),
        charge_billing="invoice-now",
        credit_billing="invoice-now",
    )
    yearly = Plan(id="y", price=eur("1000"), interval=ANNUAL, rank=2)
    sub, _ = Subscription.start(MONTHLY_10, utc(2023, 6, 29), policy=policy)
    sub, _ = sub.bill_through(utc(2023, 8, 29))
    sub, first = sub.change_plan(yearly, utc(2023, 9, 28))
    assert first.lines[-1].amount == eur("751.37")
    y2 = Plan(id="y2", price=eur("2000"), interval=ANNUAL, rank=3)
    _, outcome = sub.change_plan(y2, utc(2023, 12, 1))
    assert outcome.lines[0].amount == eur("-576.51")


def test_f12_scheduled_downgrade_checks_the_change_order() -> None:
    """A downgrade dated before an earlier change is refused, as every
    other change is (ChangeOrderError), not silently scheduled."""
    sub, _ = Subscription.start(B1, utc(2024, 6, 1), policy=C["lago"])
    sub, _ = sub.change_plan(B2, utc(2024, 6, 15))
    with pytest.raises(ChangeOrderError):
        sub.change_plan(
            Plan(id="s", price=usd("35"), rank=1), utc(2024, 6, 10)
        )


def test_f12b_scheduled_downgrade_checks_the_policy_override() -> None:
    """A per-change policy may not move the timing (InvalidPolicyError),
    downgrade or not."""
    sub, _ = Subscription.start(B2, utc(2024, 6, 1), policy=C["lago"])
    with pytest.raises(InvalidPolicyError):
        sub.change_plan(
            B1,
            utc(2024, 6, 5),
            policy=BillingPolicy(
                timing="in-arrears", downgrades="at-period-end"
            ),
        )


def test_a_backdated_downgrade_that_would_wait_is_refused() -> None:
    """downgrades=at-period-end: a downgrade dated inside a period already
    billed would have waited for that period's end, which is billed too;
    it is refused with what to do, not prorated at once."""
    sub, _ = Subscription.start(B2, utc(2024, 6, 1), policy=C["lago"])
    sub, _ = sub.bill_through(utc(2024, 7, 1))
    with pytest.raises(BackdatingError, match="schedule_change"):
        sub.change_plan(B1, utc(2024, 6, 20))


# -- anchor_reset="billing-day": Kill Bill's day of the month ----------------


def _billing_day(*, anchor_reset: AnchorResetName) -> BillingPolicy:
    proration = replace(
        presets.KILL_BILL, anchor_reset=AnchorReset(anchor_reset)
    )
    # A yearly plan on its subscription's own day needs a billing day kept.
    aligned = (
        YearlyAlignment.SUBSCRIPTION
        if anchor_reset == "billing-day"
        else YearlyAlignment.ACCOUNT
    )
    return replace(
        C["kill-bill"], proration=proration, yearly_alignment=aligned
    )


def test_a_quarterly_plan_keeps_the_31st() -> None:
    """Billed on the 31st (from 31 January), a change on 10 February to a
    quarterly plan opens the quarter that holds it on the 31st: 30
    November to 29 February, Kill Bill's day clamped in short months only.
    The charge is 19 of the 91 days of 30 November to 29 February (hand:
    $91 x 19/91 = $19.00); the next quarter ends on 31 May, not the 29th."""
    monthly = Plan(id="m", price=usd("30"), rank=1)
    quarterly = Plan(
        id="q", price=usd("91"), interval=Interval.months(3), rank=2
    )
    sub, _ = Subscription.start(
        monthly, utc(2024, 1, 31), policy=C["kill-bill"]
    )
    sub, outcome = sub.change_plan(quarterly, utc(2024, 2, 10))
    charge = outcome.lines[-1]
    assert (charge.start, charge.end) == (utc(2024, 2, 10), utc(2024, 2, 29))
    assert charge.amount == usd("19.00")
    sub, spring = sub.bill()
    assert (spring.lines[-1].start, spring.lines[-1].end) == (
        utc(2024, 2, 29),
        utc(2024, 5, 31),
    )


@pytest.mark.parametrize("day", [1, 11, 28])
def test_billing_day_leaves_monthly_plans_as_never_does(day: int) -> None:
    """A change between monthly plans prices the same under billing-day and
    never: only plans of several months open in the change's month."""
    small, large = Plan(id="s", price=usd("30"), rank=1), B2
    results = []
    rules: tuple[AnchorResetName, ...] = ("billing-day", "never")
    for rule in rules:
        sub, _ = Subscription.start(
            small, utc(2024, 1, day), policy=_billing_day(anchor_reset=rule)
        )
        sub, _ = sub.bill_through(utc(2024, 3, day))
        sub, outcome = sub.change_plan(large, utc(2024, 3, day, 15))
        results.append(
            (
                [str(line.amount) for line in outcome.lines],
                sub.next_billing_date,
            )
        )
    assert results[0] == results[1]


def test_billing_day_annual_change_in_the_billing_month() -> None:
    """An annual change on 1 March 2015 under billing-day, billed on the
    1st from January: the year opens on the change's own day, 1 March
    2015 to 1 March 2016 (hand: the whole $5,999.95), where never keeps
    January (306 of the 365 days to 1 January 2016: $5,030.10)."""
    shotgun = Plan(id="s", price=usd("2399.95"), interval=ANNUAL, rank=2)
    rifle = Plan(id="r", price=usd("5999.95"), interval=ANNUAL, rank=3)
    charges = {}
    rules: tuple[AnchorResetName, ...] = ("billing-day", "never")
    for rule in rules:
        sub, _ = Subscription.start(
            shotgun, utc(2015, 1, 1), policy=_billing_day(anchor_reset=rule)
        )
        _, outcome = sub.change_plan(rifle, utc(2015, 3, 1))
        charges[rule] = str(outcome.lines[-1].amount)
    assert charges == {"billing-day": "$5,999.95", "never": "$5,030.10"}
