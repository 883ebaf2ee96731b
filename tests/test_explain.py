"""Explanations (``prorata._explain``): the text and HTML of the results.

A timeline's text names every change and segment; an invoice reads like
the hosting page's "Calculation" block (``002_440c7b3f4171c8ae.txt`` in
``shared/seeds``); in a notebook a proration shows as an HTML table.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prorata import (
    Basis,
    BillingPeriod,
    Money,
    Plan,
    PlanChange,
    Subscription,
    prorate_timeline,
)
from tests.common import (
    BUSINESS_1,
    BUSINESS_2,
    HOSTING,
    JUNE_1,
    day,
    days,
)
from tests.notebooks import execute

A = Plan(id="a", name="A", price=Money("31", "USD"), rank=1)
B = Plan(id="b", name="B", price=Money("62", "USD"), rank=2)


class TestTimeline:
    def test_explain_names_every_change(self) -> None:
        """The explanation lists each change and the period's segments."""
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 31)
        timeline = prorate_timeline(
            A,
            [
                PlanChange(A, B, at=period.start + timedelta(days=10)),
                PlanChange(B, A, at=period.start + timedelta(days=20)),
            ],
            period,
            days(Basis.DAYS),
        )
        text = timeline.explain()
        assert "-- A -> B (upgrade)" in text
        assert "-- B -> A (downgrade)" in text
        assert "Used time on B (10 days) = $20.00" in text
        assert "Period cost with the changes: $41.00" in text


class TestHostingPageInvoices:
    def test_business_1_to_business_2_explained(self) -> None:
        """The invoice reads like the page's 'Calculation' block."""
        sub, _ = Subscription.start(BUSINESS_1, JUNE_1, policy=HOSTING)
        sub, _ = sub.change_plan(BUSINESS_2, day(10))
        text = sub.preview_invoice().explain()
        for line in (
            "Unused time on Business 1 (20 days) = -$76.67",
            "Remaining time on Business 2 (20 days) = $150.00",
            "Price for 1 month of Business 2 = $225.00",
            "Total: $298.33",
        ):
            assert line in text


def test_results_render_as_tables() -> None:
    """Prorations show as an HTML table in a notebook."""
    _, namespace = execute()
    q = namespace["q"]
    html = q._repr_html_()  # type: ignore[attr-defined]
    assert html.startswith("<table>")
    assert "-$76.67" in html
    assert "&gt;" in html  # the arrow in the caption is escaped
