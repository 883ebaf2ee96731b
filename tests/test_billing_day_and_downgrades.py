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
