"""prorata: exact, explainable proration of subscription plan changes.

Given a plan change inside a billing period, prorata computes the credit for
the unused time on the old plan, the charge for the remaining time on the new
one and the net, to the minor unit, under a named convention, and explains
every line.

>>> from datetime import UTC, datetime, timedelta
>>> from prorata import (Basis, BillingPeriod, Money, Plan, PlanChange,
...                      ProrationPolicy, prorate)
>>> pro = Plan(id="pro", name="Pro", price=Money("70", "USD"), rank=2)
>>> starter = Plan(id="starter", name="Starter", price=Money("35", "USD"),
...                rank=1)
>>> period = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
>>> q = prorate(PlanChange(pro, starter, at=period.start + timedelta(days=13)),
...             period, ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH))
>>> q.credit, q.charge, q.net
(Money('39.67', 'USD'), Money('19.83', 'USD'), Money('-19.84', 'USD'))
"""

from prorata import presets
from prorata._add_on import (
    AddOn,
    CadenceFactor,
    CadenceFactorName,
    Charge,
    Item,
    QuantityMode,
    QuantityModeName,
)
from prorata._allowance import LifetimeAllowance, UsageAllowance
from prorata._billing import (
    BillingSchedule,
)
from prorata._billing_policy import (
    BillingPolicy,
    BillingTiming,
    BillingTimingName,
    ChangeBilling,
    ChangeBillingName,
    Downgrades,
    DowngradesName,
    KnownEnd,
    KnownEndName,
    PauseMode,
    PauseModeName,
    StubPeriod,
    StubPeriodName,
    TrialChange,
    TrialChangeName,
)
from prorata._catalog import (
    Catalog,
    builtin_catalog,
    load_catalog,
    parse_catalog,
)
from prorata._currencies import (
    minor_unit_exponent,
)
from prorata._discount import (
    Coupon,
    CouponProducts,
    CouponProductsName,
    Discount,
    DiscountCredit,
    DiscountCreditName,
    DiscountSplit,
    DiscountSplitName,
    PercentStacking,
    PercentStackingName,
)
from prorata._ending import CancelOutcome
from prorata._exact import Exact
from prorata._history import QuantityChange
from prorata._invoice import (
    CancelCredit,
    CancelCreditName,
    CreditHandling,
    CreditHandlingName,
    FinalBalance,
    FinalBalanceName,
    Invoice,
    settle,
)
from prorata._invoice_lines import InvoiceLine, InvoiceLineKind
from prorata._measure import TimeUnit
from prorata._money import Money, round_exact
from prorata._pending import Cancellation, Pause, ScheduledChange
from prorata._period import (
    ANNUAL,
    MONTHLY,
    BillingCycle,
    BillingPeriod,
    Interval,
    IntervalUnit,
)
from prorata._plan import (
    AllowanceCarry,
    ChangeDirection,
    Plan,
    PlanChange,
    Usage,
    carry_allowances,
)
from prorata._policy import (
    DEFAULT_POLICY,
    AnchorReset,
    AnchorResetName,
    Basis,
    BasisName,
    ChangeDay,
    ChangeDayName,
    CreditBasis,
    CreditBasisName,
    DayCount,
    DayCountName,
    ProrationPolicy,
    RoundingStage,
    RoundingStageName,
    Treatment,
    TreatmentName,
)
from prorata._pricing import LineKind, Portion, ProrationLine
from prorata._proration import Proration, Timeline
from prorata._records import (
    InvoiceRecord,
    LineRecord,
    QuoteRecord,
    invoice_record,
    line_records,
    quote_record,
    to_frame,
)
from prorata._rounding import RoundingMode, RoundingModeName
from prorata._routing import (
    BillingAnchor,
    BillingAnchorName,
    ChangeOutcome,
    ProrationBehavior,
    ProrationBehaviorName,
    QuantityOutcome,
    Settlement,
)
from prorata._rules import (
    ChangeDecision,
    RefusalReason,
    check_change,
    require_self_serve,
)
from prorata._run import bill_all
from prorata._serialize import JsonValue, from_dict, to_dict
from prorata._subscription import Subscription
from prorata._tax import (
    TaxBase,
    TaxBaseName,
    TaxLine,
    TaxRate,
    TaxRounding,
    TaxRoundingName,
)
from prorata._usage import (
    AllowanceProration,
    AllowanceProrationName,
    OverageBilling,
    OverageBillingName,
)
from prorata._walk import prorate, prorate_timeline
from prorata.errors import (
    AlreadyCancelledError,
    AnchorError,
    ArgumentTypeError,
    BackdatingError,
    BilledMomentError,
    BillingLimitError,
    CatalogError,
    ChangeOrderError,
    ChangeRefusedError,
    CurrencyMismatchError,
    DatetimeRangeError,
    DiscountTermError,
    FloatAmountError,
    InvalidAmountError,
    InvalidDateError,
    InvalidFormatError,
    InvalidIntervalError,
    InvalidPeriodError,
    InvalidPlanError,
    InvalidPolicyError,
    InvalidTaxError,
    InvalidWeightsError,
    MissingDependencyError,
    NaiveDatetimeError,
    NothingPendingError,
    OutsidePeriodError,
    PauseError,
    PendingChangeError,
    PeriodTooShortError,
    ProrataError,
    SerializationError,
    SubscriptionEndedError,
    TrialError,
    UnknownCurrencyError,
    UnknownMetricError,
    UnknownPlanError,
)

__version__ = "0.1.0.dev0"

__all__ = [
    # periods
    "ANNUAL",
    # policy
    "DEFAULT_POLICY",
    "MONTHLY",
    "AddOn",
    "AllowanceCarry",
    "AllowanceProration",
    "AllowanceProrationName",
    "AlreadyCancelledError",
    "AnchorError",
    "AnchorReset",
    "AnchorResetName",
    # errors
    "ArgumentTypeError",
    "BackdatingError",
    "Basis",
    "BasisName",
    "BilledMomentError",
    "BillingAnchor",
    "BillingAnchorName",
    "BillingCycle",
    "BillingLimitError",
    "BillingPeriod",
    "BillingPolicy",
    "BillingSchedule",
    "BillingTiming",
    "BillingTimingName",
    "CadenceFactor",
    "CadenceFactorName",
    "CancelCredit",
    "CancelCreditName",
    "CancelOutcome",
    "Cancellation",
    "Catalog",
    "CatalogError",
    "ChangeBilling",
    "ChangeBillingName",
    "ChangeDay",
    "ChangeDayName",
    "ChangeDecision",
    # plans
    "ChangeDirection",
    "ChangeOrderError",
    "ChangeOutcome",
    "ChangeRefusedError",
    "Charge",
    "Coupon",
    "CouponProducts",
    "CouponProductsName",
    "CreditBasis",
    "CreditBasisName",
    "CreditHandling",
    "CreditHandlingName",
    "CurrencyMismatchError",
    "DatetimeRangeError",
    "DayCount",
    "DayCountName",
    "Discount",
    "DiscountCredit",
    "DiscountCreditName",
    "DiscountSplit",
    "DiscountSplitName",
    "DiscountTermError",
    "Downgrades",
    "DowngradesName",
    # money
    "Exact",
    "FinalBalance",
    "FinalBalanceName",
    "FloatAmountError",
    "Interval",
    "IntervalUnit",
    "InvalidAmountError",
    "InvalidDateError",
    "InvalidFormatError",
    "InvalidIntervalError",
    "InvalidPeriodError",
    "InvalidPlanError",
    "InvalidPolicyError",
    "InvalidTaxError",
    "InvalidWeightsError",
    "Invoice",
    "InvoiceLine",
    "InvoiceLineKind",
    "InvoiceRecord",
    "Item",
    "JsonValue",
    "KnownEnd",
    "KnownEndName",
    "LifetimeAllowance",
    # proration
    "LineKind",
    "LineRecord",
    "MissingDependencyError",
    "Money",
    "NaiveDatetimeError",
    "NothingPendingError",
    "OutsidePeriodError",
    "OverageBilling",
    "OverageBillingName",
    "Pause",
    "PauseError",
    "PauseMode",
    "PauseModeName",
    "PendingChangeError",
    "PercentStacking",
    "PercentStackingName",
    "PeriodTooShortError",
    "Plan",
    "PlanChange",
    "Portion",
    "ProrataError",
    "Proration",
    "ProrationBehavior",
    "ProrationBehaviorName",
    "ProrationLine",
    "ProrationPolicy",
    "QuantityChange",
    "QuantityMode",
    "QuantityModeName",
    "QuantityOutcome",
    "QuoteRecord",
    "RefusalReason",
    "RoundingMode",
    "RoundingModeName",
    "RoundingStage",
    "RoundingStageName",
    "ScheduledChange",
    "SerializationError",
    "Settlement",
    "StubPeriod",
    "StubPeriodName",
    "Subscription",
    "SubscriptionEndedError",
    "TaxBase",
    "TaxBaseName",
    "TaxLine",
    "TaxRate",
    "TaxRounding",
    "TaxRoundingName",
    "TimeUnit",
    "Timeline",
    "Treatment",
    "TreatmentName",
    "TrialChange",
    "TrialChangeName",
    "TrialError",
    "UnknownCurrencyError",
    "UnknownMetricError",
    "UnknownPlanError",
    "Usage",
    "UsageAllowance",
    "bill_all",
    "builtin_catalog",
    "carry_allowances",
    "check_change",
    "from_dict",
    "invoice_record",
    "line_records",
    "load_catalog",
    "minor_unit_exponent",
    "parse_catalog",
    "presets",
    "prorate",
    "prorate_timeline",
    "quote_record",
    "require_self_serve",
    "round_exact",
    "settle",
    "to_dict",
    "to_frame",
]
