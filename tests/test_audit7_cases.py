"""Published platform cases of a seventh audit, by each convention alone.

New cases (IDs LG, KG, ...), none among the cases, tests or figures of
``docs/research/`` or the platform-case test modules listed in
``docs/research/audit-2026-12-02g.md``. Each is built through the public
API with ``presets.CONVENTIONS[name]`` and asserts the figures as the
source prints them; ``docs/research/audit-2026-12-02g.md`` has the table.

Sources (mirrors fetched 2026):

- Lago: getlago/lago-api @ 1b1c24a6, spec/scenarios/billing/
  billing_monthly_spec.rb and spec/scenarios/fixed_charges/
  pay_in_advance_units_change_spec.rb.
- Kill Bill: killbill/killbill @ cb60779c, beatrix/src/test/java/org/
  killbill/billing/beatrix/integration/TestIntegrationInvoice.java.

Left out
--------

(Printed figure vs prorata's, and the platform's rule prorata does not
follow.)

- LG4 (pay_in_advance_units_change_spec.rb, "when decreasing then
  increasing units (10 -> 5 -> 15)"): a fixed charge of $10 a unit, not
  prorated, paid in advance: 10 units ($100), lowered to 5 (nothing
  returned), raised to 15: "we should only charge for 5 units (15 - 10)":
  5000 cents. prorata, with the add-on's ``quantity_mode`` ``full``
  (units added billed whole, none returned): $100.00, the 10 units added
  to 5; with ``high-water-mark`` (units above the period's peak) the 5
  units but prorated, $41.94. Lago's unprorated fixed charge bills the
  units above what the period has paid for, at their whole price.
"""

from __future__ import annotations

from prorata import AddOn, Item, Plan, Subscription, presets
from tests.cases import amounts, invoiced, started
from tests.common import usd, utc

C = presets.CONVENTIONS


# ------------------------------------------------------------------ Lago


class TestLago:
    def test_lg1_calendar_stub_billed_in_arrears(self) -> None:
        """LG1 (billing_monthly_spec.rb, "with calendar billing", "work the
        whole year"): a monthly plan of 5_000_000 cents in arrears, calendar
        billing, subscribed 4 February 2024 (a leap February), with a
        fixed charge of 10 units at 200, prorated: the 1 March invoice has
        the subscription fee "(26.0 / 29 * 5_000_000).ceil" (4_482_759)
        and the prorated fixed charge 179_310 ("2000 * 100 * 10 *
        26/29")."""
        charge = AddOn(id="fixed", price=usd("200"))
        sub, first = Subscription.start(
            Plan(id="monthly", price=usd("50000")),
            utc(2024, 2, 4),
            policy=C["lago-in-arrears"],
            anchor=utc(2024, 3, 1),
            items=[Item(charge, 10)],
        )
        assert first is None
        _, invoice = sub.bill()
        assert [line.amount.minor_units for line in invoice.lines] == [
            4_482_759,
            179_310,
        ]
        assert invoice.lines[0].end == utc(2024, 3, 1)

    def units(self) -> tuple[Subscription, AddOn]:
        """The spec's plan: $0 a month in advance, calendar billing from 1
        March 2024, with a fixed charge of $10 a unit, 10 units, not
        prorated (Lago's ``prorated: false``: the add-on's
        ``quantity_mode`` ``full``)."""
        charge = AddOn(id="fixed", price=usd("10"), quantity_mode="full")
        sub, first = started(
            Plan(id="base", price=usd("0")),
            utc(2024, 3, 1),
            C["lago"],
            items=[Item(charge, 10)],
        )
        # printed: 10 units at $10, 10000 cents
        assert first.subtotal == usd("100")
        return sub, charge

    def test_lg2_more_units_billed_whole(self) -> None:
        """LG2 (pay_in_advance_units_change_spec.rb, "when increasing
        units from 10 to 15", five days in): "an invoice for the 5
        additional units only: 5 * $10 = $50 = 5000 cents"."""
        sub, charge = self.units()
        _, outcome = sub.change_quantity(charge, 15, utc(2024, 3, 6))
        assert invoiced(outcome).amount_due.minor_units == 5_000

    def test_lg3_two_increases_each_billed_whole(self) -> None:
        """LG3 (the same spec, "when increasing units multiple times (10
        -> 15 -> 20)"): "First increase invoice (5 units delta: 15 - 10,
        $50)", "Second increase invoice (5 units delta: 20 - 15, $50)"."""
        sub, charge = self.units()
        sub, one = sub.change_quantity(charge, 15, utc(2024, 3, 6))
        _, two = sub.change_quantity(charge, 20, utc(2024, 3, 7))
        assert amounts(invoiced(one).lines) == ["$50.00"]
        assert amounts(invoiced(two).lines) == ["$50.00"]


# ------------------------------------------------------------- Kill Bill


class TestKillBill:
    def test_kg1_free_plan_changed_mid_month(self) -> None:
        """KG1 (TestIntegrationInvoice.java,
        testIntegrationWithRecurringFreePlan, killbill issue 783):
        Blowdart monthly "notrial" overridden to 0, from 1 January 2017;
        changed on 2017-02-15 to the catalog's Blowdart: "2017-02-15 to
        2017-03-01 RECURRING 14.98", then "2017-03-01 to 2017-04-01
        RECURRING 29.95"."""
        sub, _ = started(
            Plan(id="blowdart-free", price=usd("0")),
            utc(2017, 1, 1),
            C["kill-bill"],
        )
        sub, _ = sub.bill()
        sub, change = sub.change_plan(
            Plan(id="blowdart", price=usd("29.95")), utc(2017, 2, 15)
        )
        charged = invoiced(change).lines[-1]
        assert (charged.start, charged.end) == (
            utc(2017, 2, 15),
            utc(2017, 3, 1),
        )
        assert str(charged.amount) == "$14.98"
        _, march = sub.bill()
        assert amounts(march.lines) == ["$29.95"]
