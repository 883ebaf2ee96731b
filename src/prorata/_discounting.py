"""Coupons on invoices: the discount line of each line a coupon covers.

A coupon is in force over a window of time (``_coupon_windows``); each
line billed for a product's time gets a discount line for the part of its
time inside the window (measured in seconds). A percentage is that share of
the line; a fixed amount is per period, in proportion to the share of the
period the line bills, and never more than the line. A credit's discount
line reverses the discount its time was billed with (``DiscountCredit``):
each line is discounted as it is billed (``Billed``), a credit as its time
was. A fixed amount comes off each product in full or is split across the
products in force in proportion to what they cost (``DiscountSplit``);
percentages compounded are of what the coupons before left of the time
each covers (``PercentStacking``). Every amount goes through
``_rounding.amount``, rounded once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Final, TypeAlias, final

from prorata._add_on import Charge, Item
from prorata._discount import (
    Coupon,
    CouponMonths,
    CouponProducts,
    DiscountCredit,
    DiscountSplit,
    PercentStacking,
    SetupFeeDiscount,
)
from prorata._discount_rest import Rest
from prorata._discount_split import (
    covered_cost,
    full_cost,
    round_once,
    split_share,
)
from prorata._invoice_lines import InvoiceLine, InvoiceLineKind
from prorata._money import Money, round_exact, summed, trusted_units
from prorata._period import BillingCycle, to_utc
from prorata._plan import Plan
from prorata._rounding import SCALES, amount

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata._coupon_windows import CouponWindow
    from prorata._rounding import RoundingMode

__all__ = [
    "Billed",
    "BilledWith",
    "credited",
    "discount_lines",
    "period_billed",
]


_DISCOUNTED: Final = frozenset(
    {
        InvoiceLineKind.SUBSCRIPTION,
        InvoiceLineKind.REMAINING_TIME,
        InvoiceLineKind.UNUSED_TIME,
    }
)


@final
@dataclass(frozen=True, slots=True)
class Billed:
    """What a line's time is billed with, for its discounts.

    ``cycle`` prices its product's period; ``plan`` and ``items`` are the
    products in force for it, that a split fixed coupon is weighed across;
    ``since`` is when its time was billed, the coupons applied after it not
    reversed by a credit. A line billed now is billed with what is in force
    from its start; a credit with what was in force when the time it
    returns was billed.
    """

    cycle: BillingCycle
    plan: Plan
    items: tuple[Item, ...]
    since: datetime


#: What each line is billed with (``Billed``), as the account says.
BilledWith: TypeAlias = Callable[[InvoiceLine], Billed]


def discount_lines(
    lines: Sequence[InvoiceLine],
    windows: Sequence[CouponWindow],
    billed: BilledWith,
    rule: DiscountCredit,
    mode: RoundingMode,
    *,
    split: DiscountSplit = DiscountSplit.PER_PRODUCT,
    stacking: PercentStacking = PercentStacking.FULL_LINE,
    products: CouponProducts = CouponProducts.LINES,
    setup_fees: SetupFeeDiscount = SetupFeeDiscount.NONE,
    fees_took: list[Fraction] | None = None,
    months: CouponMonths = CouponMonths.BILLED_BEFORE_END,
    charges_took: list[Fraction] | None = None,
    budget_took: list[Fraction] | None = None,
    once: bool = False,
) -> list[InvoiceLine]:
    """``lines``, each followed by the discount lines of the coupons on it.

    Each line is discounted as ``billed`` says it is billed. A credit
    reverses only the coupons in force when its time was billed: applied
    at or before its ``since``. The discounts on one line never come to
    more than the line. A fixed amount comes off each product in full, or
    is split across the products the line is billed with, as ``split``
    says (``DiscountSplit``). A percentage is of the whole line, or
    of what the coupons before it left of the line's time inside its
    window (``PercentStacking.COMPOUND``). A coupon's products limit the
    lines it discounts, or, under ``CouponProducts.REDEMPTION``, only where
    it was applied: it then discounts every product's lines. Under
    ``SetupFeeDiscount.FIXED_FIRST`` the setup fees among ``lines`` are
    discounted first, by the fixed coupons that cover the plan, and what a
    coupon took from them comes off its amount for the other lines, as
    what they took at the sign-up comes off it in its first period
    (``CouponWindow.fees``); ``fees_took`` (when given) gets what each
    window took from the setup fees among ``lines``. A coupon for a
    number of months discounts whole the lines ``months`` says it covers
    (``CouponMonths``), and no other.
    The one-time charges among ``lines`` (a setup fee aside) are
    discounted last, by the coupons with ``one_time_charges``, each fixed
    amount less what the period's charges took of it before
    (``CouponWindow.charges``); ``charges_took`` (when given) gets what
    each window took from them. A line billed for a period (a whole
    period, a change's remaining time) takes a fixed amount less what the
    period's invoices before took of it (``CouponWindow.budget``, kept
    under ``FixedCouponBudget.PERIOD``); ``budget_took`` (when given)
    gets what each window's fixed amount took from such lines. With
    ``once``, each percentage coupon's lines (a credit's apart) are rounded
    once on their sum (``PercentRounding.PER_INVOICE``).
    """
    if products is CouponProducts.REDEMPTION:
        windows = [
            replace(w, coupon=replace(w.coupon, products=())) for w in windows
        ]
    fees, charges = _fees_and_charges(lines, windows, setup_fees)
    took, spent, drawn = ([Fraction(0)] * len(windows) for _ in range(3))
    found: dict[int, list[InvoiceLine]] = {}
    owners: dict[int, list[int]] = {}
    compound = stacking is PercentStacking.COMPOUND
    order = sorted(
        range(len(lines)),
        key=lambda i: 0 if i in fees else 2 if i in charges else 1,
    )
    for index in order:
        line = lines[index]
        if (
            index in fees
            or index in charges
            or (line.product is not None and line.kind in _DISCOUNTED)
        ):
            found[index] = _line_discounts(
                line,
                windows,
                (billed(line), rule, mode, split),
                (took, spent, drawn),
                compound=compound and index not in fees,
                months=months,
                owners=owners.setdefault(index, []) if once else None,
            )
    for given, got in ((fees_took, took), (charges_took, spent)):
        if given is not None:
            given.extend(got)
    if budget_took is not None:
        budget_took.extend(drawn)
    if once:
        round_once(found, owners, windows, mode)
    return _interleaved(lines, found)


def _fees_and_charges(
    lines: Sequence[InvoiceLine],
    windows: Sequence[CouponWindow],
    setup_fees: SetupFeeDiscount,
) -> tuple[set[int], set[int]]:
    """The setup fees discounted first, the one-time charges last."""
    fees = {
        index
        for index, line in enumerate(lines)
        if setup_fees is SetupFeeDiscount.FIXED_FIRST and _is_fee(line)
    }
    charges = (
        {i for i, line in enumerate(lines) if _is_charge(line)}
        if any(w.coupon.one_time_charges for w in windows)
        else set()
    )
    return fees, charges


def _interleaved(
    lines: Sequence[InvoiceLine], found: dict[int, list[InvoiceLine]]
) -> list[InvoiceLine]:
    """``lines``, each followed by the discount lines found for it."""
    out: list[InvoiceLine] = []
    for index, line in enumerate(lines):
        out.append(line)
        out.extend(found.get(index, ()))
    return out


def _is_fee(line: InvoiceLine) -> bool:
    """Whether ``line`` bills a plan's setup fee."""
    product = line.product
    return (
        line.kind is InvoiceLineKind.ONE_TIME
        and isinstance(product, Charge)
        and product.setup_fee
    )


def _is_charge(line: InvoiceLine) -> bool:
    """Whether ``line`` bills a one-time charge that is not a setup fee."""
    product = line.product
    return (
        line.kind is InvoiceLineKind.ONE_TIME
        and isinstance(product, Charge)
        and not product.setup_fee
        and line.precise > 0
    )


def _skips(line: InvoiceLine, window: CouponWindow, billed: Billed) -> bool:
    """Whether the coupon of ``window`` leaves ``line`` alone.

    A one-time charge is discounted by a coupon with ``one_time_charges``,
    whatever its products; a setup fee by the fixed amounts of the coupons
    covering its plan; a credit by the coupons applied when its time was
    billed; any other line by the coupons covering its product.
    """
    coupon = window.coupon
    product = line.product
    assert product is not None  # noqa: S101 - the caller checked
    if _is_charge(line):
        return not coupon.one_time_charges
    fee = _is_fee(line)
    return (
        not coupon.covers(billed.plan.id if fee else product.id)
        or (fee and coupon.discount.percent is not None)
        or (
            line.kind is _UNUSED
            and to_utc(window.start) > to_utc(billed.since)
        )
    )


def _line_discounts(
    line: InvoiceLine,
    windows: Sequence[CouponWindow],
    terms: _Terms,
    took: tuple[list[Fraction], list[Fraction], list[Fraction]],
    *,
    compound: bool,
    months: CouponMonths,
    owners: list[int] | None,
) -> list[InvoiceLine]:
    """The discount lines of the coupons in ``windows`` on one line.

    A setup fee adds what it takes of each fixed amount to ``took[0]``,
    a one-time charge to ``took[1]``; every line takes what is left of
    each amount once the fees' part is off it, a charge once the
    charges' before it is too (``_taken``). A line billed for a period
    adds what it takes of each fixed amount to ``took[2]``.
    """
    fees, charges = took[0], took[1]
    billed = terms[0]
    rest = Rest(line, windows) if compound else None
    left = abs(line.precise)
    units = abs(line.amount.minor_units)
    out: list[InvoiceLine] = []
    for number, whole in enumerate(windows):
        window: CouponWindow | None = whole
        if whole.coupon.months is not None:
            opened = billed.cycle.containing(line.start).start
            window = whole.placed(billed.since, opened, months)
        if window is None:
            continue
        coupon = window.coupon
        if _skips(line, window, billed):
            continue
        share = window.overlap(line.start, line.end)
        if not share or not left:
            continue
        discount = _discount(
            line,
            window,
            share,
            terms,
            (rest, left, units),
            taken=_taken(line, window, (fees[number], charges[number])),
            kept=owners is not None and coupon.discount.percent is not None,
        )
        if discount is None:
            continue
        out.append(discount)
        if owners is not None:  # which window each line is of, to round
            owners.append(number)
        left -= abs(discount.precise)
        units -= abs(discount.amount.minor_units)
        kept = _kept(line, fixed=coupon.discount.amount is not None)
        if kept is not None:
            took[kept][number] += abs(discount.precise)
        if rest is not None:
            rest.take(
                window,
                abs(discount.precise),
                by_time=coupon.discount.percent is None,
            )
    return out


def _kept(line: InvoiceLine, *, fixed: bool) -> int | None:
    """Which of the lists of what was taken ``line``'s discount adds to.

    A setup fee's to the first, a one-time charge's to the second, a
    fixed amount on a line billed for a period to the third.
    """
    if _is_fee(line):
        return 0
    if _is_charge(line):
        return 1
    return 2 if fixed and line.kind in _OPENING else None


def _taken(
    line: InvoiceLine, window: CouponWindow, now: tuple[Fraction, Fraction]
) -> Fraction:
    """What a fixed amount gave before it comes to ``line``.

    The setup fees' part (``now[0]`` on this invoice, and the sign-up's);
    for a one-time charge, the period's charges' too (``now[1]`` on this
    invoice, and before); for a line billed for a period, what the
    period's invoices before took (``CouponWindow.budget``).
    """
    at = line.start
    taken = now[0] + window.fees_took(at)
    if _is_charge(line):
        return taken + now[1] + window.charges_took(at)
    if line.kind in _OPENING:
        return taken + window.budget_took(at)
    return taken


_UNUSED: Final = InvoiceLineKind.UNUSED_TIME
_REMAINING: Final = InvoiceLineKind.REMAINING_TIME

#: How one line is discounted: what it is billed with, the credit rule,
#: the rounding, and how a fixed amount is split.
_Terms: TypeAlias = tuple[
    Billed, DiscountCredit, "RoundingMode", DiscountSplit
]


def _discount(
    line: InvoiceLine,
    window: CouponWindow,
    share: Fraction,
    terms: _Terms,
    base: tuple[Rest | None, Fraction, int],
    *,
    taken: Fraction,
    kept: bool = False,
) -> InvoiceLine | None:
    """The discount line of one coupon on one line, or ``None`` if $0.

    With ``kept``, a line of $0 that is not exactly zero is kept, to be
    rounded with the coupon's others.

    ``share`` is the part of the line's time inside the window. ``base``:
    what the coupons before this one left of the line, stretch by stretch,
    for a compounded percentage to be of (``None``: of the whole line), and
    the most this one may take, exactly and in minor units. ``taken``: what
    setup fees took of a fixed amount on this invoice.
    """
    rest, most, most_units = base
    currency = line.amount.currency
    coupon = window.coupon
    if rest is not None and coupon.discount.percent is not None:
        exact, how = _compounded(line, coupon, rest.of(window), share, terms)
    else:
        exact, how = _off(line, coupon, terms, taken)
        exact *= share
        if share != 1:
            how += f", for {float(share):.2%} of its time"
    if abs(exact) > most:  # the coupons before took the rest of the line
        exact = most if exact > 0 else -most
        how += ", limited to what is left of the line"
    top, bottom, rounded = amount(
        exact.numerator, exact.denominator, 1, 1, currency, terms[2]
    )
    rounded = max(min(rounded, most_units), -most_units)
    if rounded == 0 and not (kept and exact):
        return None
    start = max(line.start, window.start, key=to_utc)
    end = (
        line.end
        if window.end is None
        else min(line.end, window.end, key=to_utc)
    )
    return InvoiceLine(
        kind=InvoiceLineKind.DISCOUNT,
        description=f"{coupon.name} on {line.description}",
        amount=trusted_units(rounded, currency),
        start=start,
        end=max(start, end, key=to_utc),
        calculation=how,
        product=line.product,
        quantity=line.quantity,
        exact=None if top * SCALES[currency] == rounded * bottom else exact,
        taxes=line.taxes,
    )


def _compounded(
    line: InvoiceLine,
    coupon: Coupon,
    net: Fraction,
    share: Fraction,
    terms: _Terms,
) -> tuple[Fraction, str]:
    """A compounded percentage's exact discount on a line, and how.

    Of ``net``, what the coupons before it left of the line's time inside
    the window (``share`` of it).
    """
    percent = coupon.discount.percent
    assert percent is not None  # noqa: S101 - the caller checked
    left = round_exact(net, line.amount.currency, terms[2])
    how = f"{percent.normalize():f}% of {left}, what is left of " + (
        "it" if share == 1 else f"the {float(share):.2%} of its time covered"
    )
    whole = net if line.precise >= 0 else -net
    return -whole * Fraction(percent) / 100, how


def _off(
    line: InvoiceLine, coupon: Coupon, terms: _Terms, taken: Fraction
) -> tuple[Fraction, str]:
    """A coupon's exact discount on all of a line's time, and how.

    A percentage of the line; a fixed amount less what setup fees took of
    it (``taken``), or the line's product's share of that, for the share
    of the period the line bills. A setup fee is first: it takes the
    amount as far as it goes; a one-time charge is last
    (``_after_subscription``).
    """
    billed, rule, mode, split = terms
    currency = line.amount.currency
    off = coupon.discount
    if off.percent is not None:
        how = f"{off.percent.normalize():f}% of {line.amount}"
        return -line.precise * Fraction(off.percent) / 100, how
    assert off.amount is not None  # noqa: S101 - a Discount has one
    full = full_cost(line, line.quantity, billed.cycle)
    if _is_charge(line):
        part, how = _after_subscription(line, coupon, terms, taken)
        return _fixed(line.kind, line.precise, full, part, rule), how
    less = (
        f" less {round_exact(taken, currency, mode)} taken before"
        if taken
        else ""
    )
    if split is DiscountSplit.PER_PRODUCT or isinstance(line.product, Charge):
        part = max(off.amount.exact - taken, Fraction(0))
        how = f"{off.amount} a period{less}, " + (
            "the setup fee first"
            if isinstance(line.product, Charge)
            else "for the share of it billed"
        )
    else:
        held = (billed.plan, billed.items)
        part = split_share(
            line, coupon, billed.cycle, held, split, taken=taken
        )
        how = (
            f"{off.amount} a period{less} split by what the products cost"
            + (", in order" if split is DiscountSplit.IN_ORDER else "")
            + f", {round_exact(part, currency, mode)} of it on this one, "
            "for the share of it billed"
        )
    return _fixed(line.kind, line.precise, full, part, rule), how


def _after_subscription(
    line: InvoiceLine, coupon: Coupon, terms: _Terms, taken: Fraction
) -> tuple[Fraction, str]:
    """What a fixed amount leaves for a one-time charge, and how.

    The amount less what the products it covers in force cost for a whole
    period (the subscription's charges, discounted first) and less
    ``taken``, what the setup fees and the charges before took of it.
    """
    billed, mode = terms[0], terms[2]
    off = coupon.discount.amount
    assert off is not None  # noqa: S101 - the caller checked
    first = covered_cost(
        coupon, (billed.plan, billed.items), line.start, billed.cycle
    )
    currency = off.currency
    how = (
        f"{off} a period, less {round_exact(first, currency, mode)} the "
        "subscription's charges take first"
    )
    if taken:
        how += f" and {round_exact(taken, currency, mode)} taken before"
    return max(off.exact - first - taken, Fraction(0)), how


def _fixed(
    kind: InvoiceLineKind,
    billed: Fraction,
    full: Fraction,
    off: Fraction,
    rule: DiscountCredit,
) -> Fraction:
    """A fixed amount off a period, on a line billing part of one.

    ``PRORATED``: a debit gets the amount in proportion to the share of the
    period it bills, and a credit reverses that share. ``USED_FIRST``: the
    amount covers a period's time used as far as it goes, and a credit
    reverses only what the time used leaves of it; the remaining time a
    change charges gets its share, as under ``PRORATED``. Never more than
    the line.
    """
    if not full:
        return Fraction(0)
    most = min(off, full)
    part = min(abs(billed) / full, Fraction(1))
    if rule is DiscountCredit.PRORATED or kind is _REMAINING:
        return -most * part if billed >= 0 else most * part
    if billed >= 0:
        return -min(most, billed)
    used = full * (1 - part)
    return max(most - used, Fraction(0))


def period_billed(lines: Sequence[InvoiceLine], currency: str) -> Money:
    """What ``lines`` bill for the period they open: with its discounts.

    The ``SUBSCRIPTION`` lines (a whole period) and ``REMAINING_TIME``
    lines (a first period that runs to a billing day), and the discount
    lines that follow them: what a period opened was paid in advance.
    """
    return _with_discounts(lines, _OPENING, Money.zero(currency))


def credited(lines: Sequence[InvoiceLine], zero: Money) -> Money:
    """What ``lines`` credit for unused time, net of discounts reversed."""
    return _with_discounts(lines, (InvoiceLineKind.UNUSED_TIME,), zero)


_OPENING: Final = (
    InvoiceLineKind.SUBSCRIPTION,
    InvoiceLineKind.REMAINING_TIME,
)


def _with_discounts(
    lines: Sequence[InvoiceLine],
    kinds: tuple[InvoiceLineKind, ...],
    zero: Money,
) -> Money:
    """The lines of ``kinds`` and the discount lines that follow them.

    Summed from ``zero`` (its currency's zero) in one pass over integers.
    """
    counting = False
    amounts = []
    for line in lines:
        kind = line.kind
        if kind is not _DISCOUNT:
            counting = kind in kinds
        if counting:
            amounts.append(line.amount)
    return summed(amounts, zero.currency) if amounts else zero


_DISCOUNT: Final = InvoiceLineKind.DISCOUNT
