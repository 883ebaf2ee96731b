"""The billing policy: every option of how a subscription is billed.

:class:`BillingPolicy` and its option enums, validated on construction.
The schedule and the lines a period bills are in ``_billing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Final, TypeAlias, final

from prorata._add_on import QuantityMode, QuantityModeName
from prorata._billing_options import (
    BillingAnchor,
    BillingAnchorName,
    BillingTiming,
    BillingTimingName,
    CancelCap,
    CancelCapName,
    CancelScope,
    CancelScopeName,
    ChangeBilling,
    ChangeBillingName,
    Downgrades,
    DowngradesName,
    FixedCouponBudget,
    FixedCouponBudgetName,
    KnownEnd,
    KnownEndName,
    PauseMode,
    PauseModeName,
    StubPeriod,
    StubPeriodName,
    TrialChange,
    TrialChangeName,
    TrialScope,
    TrialScopeName,
    YearlyAlignment,
    YearlyAlignmentName,
    ZeroLines,
    ZeroLinesName,
)
from prorata._cash_rounding import InvoiceRounding
from prorata._discount import (
    CouponMonths,
    CouponProducts,
    DiscountCredit,
    DiscountSplit,
    PercentRounding,
    PercentStacking,
    SetupFeeDiscount,
)
from prorata._display import displayed
from prorata._invoice import (
    CancelCredit,
    CancelCreditName,
    CreditHandling,
    CreditHandlingName,
    FinalBalance,
    FinalBalanceName,
)
from prorata._money import Money
from prorata._policy import (
    DEFAULT_POLICY,
    AnchorReset,
    ChangeDay,
    ProrationPolicy,
    coerce_options,
)
from prorata._rounding import RoundingMode, RoundingModeName
from prorata._tax import TaxBase, TaxRounding
from prorata._usage import (
    AllowanceProration,
    AllowanceProrationName,
    OverageBilling,
    OverageBillingName,
)
from prorata.errors import ArgumentTypeError, InvalidPolicyError

if TYPE_CHECKING:
    from prorata._discount import (
        CouponMonthsName,
        CouponProductsName,
        DiscountCreditName,
        DiscountSplitName,
        PercentRoundingName,
        PercentStackingName,
        SetupFeeDiscountName,
    )
    from prorata._policy import ChangeDayName
    from prorata._tax import TaxBaseName, TaxRoundingName

__all__ = [
    "DEFAULT_BILLING",
    "BillingAnchor",
    "BillingAnchorName",
    "BillingPolicy",
    "BillingTiming",
    "BillingTimingName",
    "CancelCap",
    "CancelCapName",
    "CancelScope",
    "CancelScopeName",
    "ChangeBilling",
    "ChangeBillingName",
    "Downgrades",
    "DowngradesName",
    "FixedCouponBudget",
    "FixedCouponBudgetName",
    "KnownEnd",
    "KnownEndName",
    "PauseMode",
    "PauseModeName",
    "StubPeriod",
    "StubPeriodName",
    "TrialChange",
    "TrialChangeName",
    "TrialScope",
    "TrialScopeName",
    "YearlyAlignment",
    "YearlyAlignmentName",
    "ZeroLines",
    "ZeroLinesName",
]


# Each enum option of BillingPolicy, by field name, as coerce_options
# takes them.
_ENUM_OPTIONS: Final = (
    ("timing", BillingTiming),
    ("charge_billing", ChangeBilling),
    ("credit_billing", ChangeBilling),
    ("credits", CreditHandling),
    ("allowance", AllowanceProration),
    ("overage", OverageBilling),
    ("cancel_credit", CancelCredit),
    ("final_balance", FinalBalance),
    ("pause_mode", PauseMode),
    ("tax_rounding", TaxRounding),
    ("tax_base", TaxBase),
    ("discount_credit", DiscountCredit),
    ("discount_split", DiscountSplit),
    ("percent_stacking", PercentStacking),
    ("percent_rounding", PercentRounding),
    ("cancel_cap", CancelCap),
    ("cancel_scope", CancelScope),
    ("trial_scope", TrialScope),
    ("zero_lines", ZeroLines),
    ("coupon_products", CouponProducts),
    ("coupon_months", CouponMonths),
    ("fixed_coupon_budget", FixedCouponBudget),
    ("setup_fee_discount", SetupFeeDiscount),
    ("stub_period", StubPeriod),
    ("downgrades", Downgrades),
    ("trial_change", TrialChange),
    ("known_end", KnownEnd),
    ("yearly_alignment", YearlyAlignment),
    ("billing_anchor", BillingAnchor),
)


if TYPE_CHECKING:
    # The options' types as the type checkers' __init__ takes them.
    _AllowanceArg: TypeAlias = AllowanceProration | AllowanceProrationName
    _BillingAnchorArg: TypeAlias = BillingAnchor | BillingAnchorName
    _BillingTimingArg: TypeAlias = BillingTiming | BillingTimingName
    _CancelCreditArg: TypeAlias = CancelCredit | CancelCreditName
    _ChangeBillingArg: TypeAlias = ChangeBilling | ChangeBillingName
    _CancelScopeArg: TypeAlias = CancelScope | CancelScopeName
    _CouponProductsArg: TypeAlias = CouponProducts | CouponProductsName
    _CouponMonthsArg: TypeAlias = CouponMonths | CouponMonthsName
    _CreditsArg: TypeAlias = CreditHandling | CreditHandlingName
    _DiscountCreditArg: TypeAlias = DiscountCredit | DiscountCreditName
    _DiscountSplitArg: TypeAlias = DiscountSplit | DiscountSplitName
    _FixedBudgetArg: TypeAlias = FixedCouponBudget | FixedCouponBudgetName
    _OverageBillingArg: TypeAlias = OverageBilling | OverageBillingName
    _PercentStackingArg: TypeAlias = PercentStacking | PercentStackingName
    _PercentRoundingArg: TypeAlias = PercentRounding | PercentRoundingName
    _SetupFeeArg: TypeAlias = SetupFeeDiscount | SetupFeeDiscountName
    _TrialChangeArg: TypeAlias = TrialChange | TrialChangeName
    _TrialScopeArg: TypeAlias = TrialScope | TrialScopeName
    _YearlyAlignmentArg: TypeAlias = YearlyAlignment | YearlyAlignmentName


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class BillingPolicy:
    """How a subscription is billed; every option has a default.

    Args:
        proration: How plan changes are prorated.
        timing: Bill each period in advance (default) or in arrears.
        charge_now_above: A change whose net exceeds this amount is
            invoiced at once, charges and credits together; one at or below
            it is billed as ``charge_billing`` and ``credit_billing`` say
            (the hosting page's $100). ``None``, the default: no threshold.
        charge_billing: When a change's charges are billed: on the next
            invoice (default), at once, or never. Merchants often charge
            upgrades at once but settle credits only at renewal.
        credit_billing: When a change's credits are billed; likewise.
        credits: Carry a credit larger than its invoice forward as credit
            balance (default), or refund it.
        allowance: Whether a partial plan segment gets its plan's whole
            allowance (default) or a prorated share.
        overage: Price overage per started block (default) or pro rata.
        calculation_lead: How long before each billing date the invoice is
            calculated (the SaaS page's "three (3) days before"); usage after
            the calculation date goes on the next invoice. Zero by default.
        used_time_billing: Billed in arrears, when a change bills the time
            used so far: on the next invoice (default), or on an invoice
            issued at the change (Kill Bill's ``IMMEDIATE`` changes).
        cancel_credit: What a cancellation returns for unused time paid in
            advance: a credit to the balance (default), a refund, or none.
        final_balance: What a subscription's final invoice does with the
            credit balance left: keep it (default), refund it, forfeit it.
        max_trial: The longest free trial a subscription may start with
            (or be extended to); ``None``, the default: no limit.
        pause_mode: What a pause does with the time paid in advance.
        tax_rounding: Round tax on each line (default) or once per rate
            per invoice.
        tax_base: Apply tax rates to each line as rounded (default) or to
            its exact amount, the taxed total rounded once.
        discount_credit: How a credit reverses a fixed-amount coupon: in
            proportion (default), or only what the time used leaves of it
            (Zuora's "Credit for Prorated Discounts" set to No).
        discount_split: How a fixed-amount coupon applies to a plan and
            its add-ons: off each in full (default), split across them in
            proportion to what each costs, re-split at each change
            (Polar's), or filling them in order (Recurly's).
        percent_stacking: How several percentage coupons on one line add
            up: each of the whole line (default), or each of what the ones
            before it left (Recurly's "Compound the discounts").
        coupon_products: What a coupon's ``products`` restrict: the lines
            it discounts (default), or the plans it may be applied on,
            refused on another with ``DiscountTermError``, after which it
            discounts every product's lines (Polar's).
        coupon_months: Which lines a coupon for a number of months
            discounts whole (:class:`CouponMonths`): those billed before
            its months end (default, Stripe's), or those of the periods
            starting by the start of its last month (Polar's).
        fixed_coupon_budget: What a fixed-amount coupon's amount for a
            period covers (:class:`FixedCouponBudget`): each invoice's
            lines (default), or the period's invoices together, a later
            one discounted by what the earlier ones left (Chargebee's).
        setup_fee_discount: Whether coupons discount a plan's setup fee
            (``Charge(setup_fee=True)``): never (default), or fixed-amount
            coupons first, before the period's lines, a single-use one
            spent on a sign-up invoice of the fee alone (Recurly's).
        discounts_past_end: Whether a coupon may be applied past the end
            of a subscription that is cancelled (default: yes; ``False``
            refuses it with ``DiscountTermError``).
        cancel_change_day: Under a day basis, which side a cancellation's
            day belongs to, when it is not the proration's ``change_day``
            (Lago: an upgrade's day is the new plan's, a termination's day
            stays with the old one); ``None``, the default: the same. Set,
            it moves only the end: ``old-plan`` or ``both`` bill the end's
            date as used even at its first instant, ``new-plan`` never.
        downgrades: When a change to a plan with a lower price per year
            takes effect (:class:`Downgrades`): at once (default), or at
            the period's end, scheduled as ``Subscription.schedule_change``
            schedules it; or every plan change at the period's end.
        trial_change: What a plan change during a free trial does
            (:class:`TrialChange`): keep the trial to its end (default),
            or end it and start the new plan's first period at the change.
        known_end: How a period billed in advance that contains a
            scheduled end, or a scheduled change of plan, is billed
            (:class:`KnownEnd`): whole, the end or the change crediting
            the rest (default), or only up to it (Zuora's, Kill Bill's).
        yearly_alignment: Under ``AnchorReset.BILLING_DAY``, which billing
            day a yearly plan a change opens bills on
            (:class:`YearlyAlignment`): the account's, the anchor's
            (default), or the subscription's first paid day (Kill Bill's
            default catalog).
        invoice_rounding: Round each invoice's total, tax included, to a
            cash increment by an untaxed ``ROUNDING`` line
            (:class:`InvoiceRounding`: Zuora's Rounding Increment and
            Rounding Mode applied to the invoice total); its increment's
            currency must be the one billed. ``None``, the default: the
            total is left in the currency's minor units.
        billing_anchor: What every change of plan or of an add-on's
            quantity does to the billing dates (:class:`BillingAnchor`):
            keep them, but for the changes ``proration.anchor_reset``
            restarts them for (default), or restart the period at the
            change, as ``change_plan(billing_anchor="now")`` does for one
            change; with the proration's ``credit`` ``none``, Polar's
            ``reset``. A free trial keeps its dates.
        quantity_mode: How a change of the quantity of an add-on left at
            the ``prorated`` mode (its default) is billed
            (:class:`QuantityMode`); an add-on's own other mode wins.
            ``None``, the default: prorated. Billed in advance only
            (Polar's seats: one ``delta`` entry).
        quantity_rounding: How the lines of a change of an add-on's
            quantity are rounded (:class:`RoundingMode`); ``None``, the
            default: as the proration rounds (Polar truncates a seat
            change's entry toward zero).
        percent_rounding: Where a percentage coupon's discount is rounded
            (:class:`PercentRounding`): on each line (default), or once on
            the lines billed together, split back across them (Lago's).
        cancel_cap: What caps a cancellation's return of unused time
            (:class:`CancelCap`): what was billed less the time used and
            what was returned (default), or less what was returned only
            (Kill Bill's repair).
        cancel_scope: Whose unused time a cancellation returns
            (:class:`CancelScope`): the plan's and the add-ons' (default),
            or the plan's alone (Lago's).
        trial_scope: What a free trial leaves unbilled
            (:class:`TrialScope`): the plan and its add-ons (default), or
            the plan alone, its add-ons billed from their start (Kill
            Bill's).
        zero_lines: Whether the invoices keep fee lines of zero
            (:class:`ZeroLines`): every line (default), or none of them
            (OpenMeter's).
        stub_period: What a first, shorter period (a sign-up off the
            anchor, or a trial's end) is prorated over: the anchored
            period containing it (default) or an interval from its start.
        backdating_limit: How far before what is already billed a change,
            usage or cancellation may be dated; its corrections go on the
            next invoice. Each subscription keeps the billed windows of
            that long. 92 days by default; ``None`` keeps none and refuses
            every backdated record.

    Raises:
        InvalidPolicyError: An option outside its allowed values.

    Invoice a change at once when its net exceeds $50, as the hosting page
    does above $100:

    >>> from prorata import BillingPolicy, Money
    >>> policy = BillingPolicy(charge_now_above=Money("50", "USD"))
    >>> print(policy.charge_now_above, policy.timing, policy.credits)
    $50.00 in-advance carry-forward
    """

    proration: ProrationPolicy = DEFAULT_POLICY
    timing: BillingTiming = BillingTiming.IN_ADVANCE
    charge_now_above: Money | None = None
    charge_billing: ChangeBilling = ChangeBilling.NEXT_INVOICE
    credit_billing: ChangeBilling = ChangeBilling.NEXT_INVOICE
    credits: CreditHandling = CreditHandling.CARRY_FORWARD
    allowance: AllowanceProration = AllowanceProration.FULL
    overage: OverageBilling = OverageBilling.PER_STARTED_BLOCK
    calculation_lead: timedelta = timedelta(0)
    used_time_billing: ChangeBilling = ChangeBilling.NEXT_INVOICE
    cancel_credit: CancelCredit = CancelCredit.CREDIT
    final_balance: FinalBalance = FinalBalance.KEEP
    max_trial: timedelta | None = None
    pause_mode: PauseMode = PauseMode.KEEP_PAID_TIME
    backdating_limit: timedelta | None = timedelta(days=92)
    tax_rounding: TaxRounding = TaxRounding.PER_LINE
    tax_base: TaxBase = TaxBase.ROUNDED
    discount_credit: DiscountCredit = DiscountCredit.PRORATED
    discount_split: DiscountSplit = DiscountSplit.PER_PRODUCT
    percent_stacking: PercentStacking = PercentStacking.FULL_LINE
    coupon_products: CouponProducts = CouponProducts.LINES
    coupon_months: CouponMonths = CouponMonths.BILLED_BEFORE_END
    fixed_coupon_budget: FixedCouponBudget = FixedCouponBudget.EACH_INVOICE
    setup_fee_discount: SetupFeeDiscount = SetupFeeDiscount.NONE
    discounts_past_end: bool = True
    stub_period: StubPeriod = StubPeriod.ANCHORED
    cancel_change_day: ChangeDay | None = None
    downgrades: Downgrades = Downgrades.AT_ONCE
    trial_change: TrialChange = TrialChange.KEEP_TRIAL
    known_end: KnownEnd = KnownEnd.BILL_PERIOD
    yearly_alignment: YearlyAlignment = YearlyAlignment.ACCOUNT
    invoice_rounding: InvoiceRounding | None = None
    billing_anchor: BillingAnchor = BillingAnchor.UNCHANGED
    quantity_mode: QuantityMode | None = None
    quantity_rounding: RoundingMode | None = None
    percent_rounding: PercentRounding = PercentRounding.PER_LINE
    cancel_cap: CancelCap = CancelCap.PAID_LESS_USED
    cancel_scope: CancelScope = CancelScope.PLAN_AND_ADD_ONS
    trial_scope: TrialScope = TrialScope.SUBSCRIPTION
    zero_lines: ZeroLines = ZeroLines.KEEP

    if TYPE_CHECKING:
        # Type checkers see this __init__, with each option also as its
        # plain string, while the fields stay typed as the enums; at run
        # time dataclass generates the real one. Why this pattern: see
        # ProrationPolicy.__init__ in _policy.py. Keep the names, order and
        # defaults the fields' (tests/test_api.py checks them).
        def __init__(
            self,
            *,
            proration: ProrationPolicy = DEFAULT_POLICY,
            timing: _BillingTimingArg = BillingTiming.IN_ADVANCE,
            charge_now_above: Money | None = None,
            charge_billing: _ChangeBillingArg = ChangeBilling.NEXT_INVOICE,
            credit_billing: _ChangeBillingArg = ChangeBilling.NEXT_INVOICE,
            credits: _CreditsArg = CreditHandling.CARRY_FORWARD,  # noqa: A002
            allowance: _AllowanceArg = AllowanceProration.FULL,
            overage: _OverageBillingArg = OverageBilling.PER_STARTED_BLOCK,
            calculation_lead: timedelta = timedelta(0),
            used_time_billing: _ChangeBillingArg = (
                ChangeBilling.NEXT_INVOICE
            ),
            cancel_credit: _CancelCreditArg = CancelCredit.CREDIT,
            final_balance: FinalBalance | FinalBalanceName = FinalBalance.KEEP,
            max_trial: timedelta | None = None,
            pause_mode: PauseMode | PauseModeName = PauseMode.KEEP_PAID_TIME,
            backdating_limit: timedelta | None = timedelta(days=92),
            tax_rounding: TaxRounding | TaxRoundingName = TaxRounding.PER_LINE,
            tax_base: TaxBase | TaxBaseName = TaxBase.ROUNDED,
            discount_credit: _DiscountCreditArg = DiscountCredit.PRORATED,
            discount_split: _DiscountSplitArg = DiscountSplit.PER_PRODUCT,
            percent_stacking: _PercentStackingArg = PercentStacking.FULL_LINE,
            coupon_products: _CouponProductsArg = CouponProducts.LINES,
            coupon_months: _CouponMonthsArg = CouponMonths.BILLED_BEFORE_END,
            fixed_coupon_budget: _FixedBudgetArg = (
                FixedCouponBudget.EACH_INVOICE
            ),
            setup_fee_discount: _SetupFeeArg = SetupFeeDiscount.NONE,
            discounts_past_end: bool = True,
            stub_period: StubPeriod | StubPeriodName = StubPeriod.ANCHORED,
            cancel_change_day: ChangeDay | ChangeDayName | None = None,
            downgrades: Downgrades | DowngradesName = Downgrades.AT_ONCE,
            trial_change: _TrialChangeArg = TrialChange.KEEP_TRIAL,
            known_end: KnownEnd | KnownEndName = KnownEnd.BILL_PERIOD,
            yearly_alignment: _YearlyAlignmentArg = YearlyAlignment.ACCOUNT,
            invoice_rounding: InvoiceRounding | None = None,
            billing_anchor: _BillingAnchorArg = BillingAnchor.UNCHANGED,
            quantity_mode: QuantityMode | QuantityModeName | None = None,
            quantity_rounding: RoundingMode | RoundingModeName | None = None,
            percent_rounding: _PercentRoundingArg = PercentRounding.PER_LINE,
            cancel_cap: CancelCap | CancelCapName = CancelCap.PAID_LESS_USED,
            cancel_scope: _CancelScopeArg = CancelScope.PLAN_AND_ADD_ONS,
            trial_scope: _TrialScopeArg = TrialScope.SUBSCRIPTION,
            zero_lines: ZeroLines | ZeroLinesName = ZeroLines.KEEP,
        ) -> None:
            """Build a billing policy from enum members or their strings."""

    def __post_init__(self) -> None:
        """Validate the options; turn option strings into enum members."""
        if not isinstance(self.proration, ProrationPolicy):
            raise ArgumentTypeError(
                "proration", self.proration, "a ProrationPolicy"
            )
        coerce_options(self, _ENUM_OPTIONS)
        for name in ("max_trial", "backdating_limit"):
            longest = getattr(self, name)
            if longest is not None and (
                not isinstance(longest, timedelta) or longest <= timedelta(0)
            ):
                raise InvalidPolicyError(
                    name, longest, ["None", "a timedelta above zero"]
                )
        if not isinstance(self.discounts_past_end, bool):
            raise InvalidPolicyError(
                "discounts_past_end",
                self.discounts_past_end,
                ["True", "False"],
            )
        if self.cancel_change_day is not None:
            coerce_options(self, (("cancel_change_day", ChangeDay),))
        _check_quantity_options(self)
        _check_used_time_billing(self)
        _check_yearly_alignment(self)
        _check_waiting(self)
        threshold = self.charge_now_above
        if threshold is not None and (
            not isinstance(threshold, Money) or threshold.amount < 0
        ):
            raise InvalidPolicyError(
                "charge_now_above",
                threshold,
                ["None", "a Money of zero or more, e.g. Money('100', 'USD')"],
            )
        _check_lead(self.calculation_lead)
        _check_rounding(self.invoice_rounding)


def _check_quantity_options(policy: BillingPolicy) -> None:
    """Coerce the quantity options; refuse a mode billed in arrears."""
    if policy.quantity_rounding is not None:
        coerce_options(policy, (("quantity_rounding", RoundingMode),))
    if policy.quantity_mode is None:
        return
    coerce_options(policy, (("quantity_mode", QuantityMode),))
    if (
        policy.quantity_mode is not QuantityMode.PRORATED
        and policy.timing is BillingTiming.IN_ARREARS
    ):
        raise InvalidPolicyError(
            "quantity_mode",
            policy.quantity_mode.value,
            [
                "None",
                (
                    "prorated (billed in arrears, the time used is billed; "
                    "another mode needs timing 'in-advance')"
                ),
            ],
        )


def _check_rounding(rounding: object) -> None:
    """Refuse an ``invoice_rounding`` that is not an InvoiceRounding."""
    if rounding is not None and not isinstance(rounding, InvoiceRounding):
        raise InvalidPolicyError(
            "invoice_rounding",
            rounding,
            [
                "None",
                (
                    "an InvoiceRounding, e.g. InvoiceRounding(increment="
                    "Money('0.05', 'CHF'), mode='up')"
                ),
            ],
        )


_WAITS: Final = (
    "unchanged (under downgrades 'all-at-period-end' every change waits "
    "for the next billing date: none restarts the period at the change)"
)


def _check_waiting(policy: BillingPolicy) -> None:
    """Refuse a restart at every change when every change waits."""
    if (policy.downgrades, policy.billing_anchor) == (
        Downgrades.ALL_AT_PERIOD_END,
        BillingAnchor.NOW,
    ):
        raise InvalidPolicyError("billing_anchor", "now", [_WAITS])


def _check_used_time_billing(policy: BillingPolicy) -> None:
    """Coerce ``used_time_billing``: on the next invoice, or at once."""
    allowed = (ChangeBilling.NEXT_INVOICE, ChangeBilling.INVOICE_NOW)
    value = policy.used_time_billing
    if value not in allowed:
        raise InvalidPolicyError(
            "used_time_billing", value, [b.value for b in allowed]
        )
    object.__setattr__(policy, "used_time_billing", ChangeBilling(value))


def _check_yearly_alignment(policy: BillingPolicy) -> None:
    """Refuse a subscription alignment no change could follow."""
    if (
        policy.yearly_alignment is YearlyAlignment.SUBSCRIPTION
        and policy.proration.anchor_reset is not AnchorReset.BILLING_DAY
    ):
        raise InvalidPolicyError(
            "yearly_alignment",
            policy.yearly_alignment.value,
            [
                "account",
                (
                    "subscription with a proration of anchor_reset "
                    "'billing-day' (the only rule under which a change keeps "
                    "a billing day)"
                ),
            ],
        )


def _check_lead(lead: object) -> None:
    if not isinstance(lead, timedelta) or lead < timedelta(0):
        raise InvalidPolicyError(
            "calculation_lead", lead, ["a timedelta of zero or more"]
        )


DEFAULT_BILLING: Final = BillingPolicy()
