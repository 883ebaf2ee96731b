"""The prorata command line, tried as a new user would (#6)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import prorata
from prorata import builtin_catalog, load_catalog, parse_catalog
from prorata.__main__ import main
from tests.common import QUOTE_ARGV

QUOTE = [*QUOTE_ARGV, "--basis", "thirty-day-month"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prorata", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_quote_explains_the_page_example() -> None:
    """The hosting page's 76.67 / 150.00 / 73.33, with its calculations."""
    result = run(*QUOTE)
    assert result.returncode == 0, result.stderr
    assert "Unused time on Business 1 (20 days) = -$76.67" in result.stdout
    assert "Remaining time on Business 2 (20 days) = $150.00" in result.stdout
    assert "Total: $73.33" in result.stdout


def test_quote_json_parses() -> None:
    """--json prints one JSON document with amounts as strings."""
    result = run(*QUOTE, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["credit"], data["charge"], data["net"]) == (
        "76.67",
        "150.00",
        "73.33",
    )
    assert data["lines"][0]["exact"] == "-230/3"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (["--at", "2024-06-31"], "'2024-06-31' is not an ISO 8601"),
        (["--to", "platinum"], "plan 'platinum' is not in"),
        (["--to", "enterprise"], "is not self-serve"),
    ],
    ids=["bad-date", "unknown-plan", "refused-change"],
)
def test_errors_are_one_line_and_exit_1(change: list[str], says: str) -> None:
    """Bad input and refused changes: one line on stderr, exit code 1."""
    args = list(QUOTE)
    flag, value = change
    args[args.index(flag) + 1] = value
    result = run(*args)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("prorata: error: ")
    assert says in lines[0]


def test_bad_usage_exits_2() -> None:
    """A missing argument is a usage error: one line, naming the flags."""
    result = run("quote", "--from", "business-1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "required: --to, --period-start, --at" in result.stderr
    assert "prorata quote --help" in result.stderr


def test_invoice_previews_the_next_invoice() -> None:
    """Starter -> Business 1 on day 30 with 100,000 visits: $192.66."""
    result = run(
        "invoice",
        "--plan",
        "starter",
        "--start",
        "2024-06-01",
        "--usage",
        "visits=100000@2024-06-29",
        "--change",
        "business-1@2024-06-30",
        "--basis",
        "daily-rate",
        "--threshold",
        "100",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["next_invoice"]["amount_due"] == "192.66"
    kinds = [line["kind"] for line in data["next_invoice"]["lines"]]
    assert kinds == [
        "unused-time",
        "remaining-time",
        "subscription",
        "overage",
    ]


def test_demo_json() -> None:
    """demo --json lists every worked example with its source."""
    result = run("demo", "--json")
    examples = json.loads(result.stdout)
    assert len(examples) >= 8
    assert all("source" in example for example in examples)


def test_preset_option() -> None:
    """--preset picks a named convention."""
    result = run(*QUOTE[:-2], "--preset", "kill-bill-fixed-30", "--json")
    assert json.loads(result.stdout)["net"] == "73.33"


INVOICE = ["invoice", "--plan", "starter", "--start", "2024-06-01"]


def fails(code: int, *args: str) -> str:
    """Run the command in-process; return its one line on stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(list(args)) == code
    assert out.getvalue() == ""
    assert err.getvalue().count("\n") == 1, err.getvalue()
    assert "Traceback" not in err.getvalue()
    return err.getvalue()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            [*QUOTE, "--timezone", "x" * 300],
            (
                "--timezone 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... "
                "(300 characters) is not a time zone; pass an IANA name"
            ),
        ),
        ([*QUOTE, "--timezone", "America"], "--timezone 'America' is not"),
        ([*QUOTE, "--timezone", "Mars/Base"], "--timezone 'Mars/Base' is"),
        (
            [*INVOICE, "--usage", "visits=\u00b2@2024-06-02"],
            (
                "--usage 'visits=\u00b2@2024-06-02': quantity '\u00b2' is "
                "not a whole number"
            ),
        ),
        (
            [*INVOICE, "--usage", "visits=\u0663@2024-06-02"],
            "quantity '\u0663' is not a whole number",
        ),
        (
            [*INVOICE, "--usage", "visits=3"],
            "--usage 'visits=3' is not METRIC=QUANTITY@MOMENT",
        ),
        (
            [*INVOICE, "--usage", "=3@2024-06-02"],
            "--usage '=3@2024-06-02' is not METRIC=QUANTITY@MOMENT",
        ),
        (
            [*INVOICE, "--usage", "visits=3@2024-13-02"],
            "--usage '2024-13-02' is not an ISO 8601 date",
        ),
        (
            [*INVOICE, "--change", "pro@2024-05-31"],
            "--change at 2024-05-31T00:00:00+00:00 is before --start",
        ),
        (
            [*INVOICE, "--change", "pro"],
            "--change 'pro' is not PLAN@MOMENT",
        ),
        ([*INVOICE, "--change", "gold@2024-06-03"], "--change: plan 'gold'"),
        ([*QUOTE, "--to", "gold"], "--to: plan 'gold' is not in"),
        (
            [*INVOICE, "--threshold", "\uff11\uff10\uff10"],
            "--threshold '\uff11\uff10\uff10' is not an amount",
        ),
        ([*INVOICE, "--threshold", "nan"], "--threshold 'nan' is not an"),
        (
            ["invoice", "--plan", "starter", "--start", "9999-12-31"],
            (
                "--start '9999-12-31' is out of range; pass a moment from "
                "1000-01-01"
            ),
        ),
        (
            [*QUOTE, "--at", "0001-01-01T00:00:00+01:00"],
            "--at '0001-01-01T00:00:00+01:00' is out of range",
        ),
        ([*QUOTE, "--at", "\uff12024-06-11"], "--at '\uff12024-06-11' is not"),
        (
            [*QUOTE, "--catalog", "missing.toml"],
            "--catalog 'missing.toml': No such file",
        ),
        (
            [*QUOTE, "--catalog", "pyproject.toml"],
            "--catalog pyproject.toml, field 'plans': is missing",
        ),
    ],
    ids=[
        "long-zone",
        "zone-directory",
        "unknown-zone",
        "superscript-quantity",
        "arabic-indic-quantity",
        "usage-without-moment",
        "usage-without-metric",
        "usage-bad-date",
        "change-before-start",
        "change-without-moment",
        "change-unknown-plan",
        "quote-unknown-plan",
        "fullwidth-threshold",
        "nan-threshold",
        "start-year-9999",
        "at-before-year-1-utc",
        "fullwidth-date",
        "missing-catalog",
        "catalog-without-plans",
    ],
)
def test_bad_flag_values_name_the_flag(args: list[str], says: str) -> None:
    """A bad value is one line on stderr, exit 1, naming its flag (#11)."""
    line = fails(1, *args)
    assert line.startswith("prorata: error: ")
    assert says in line
    assert "period start" not in line
    assert "Interval" not in line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            [*INVOICE, "--lead-days", "99999999999"],
            (
                "argument --lead-days: '99999999999' is out of range; pass 0 "
                "to 3660 days"
            ),
        ),
        ([*INVOICE, "--lead-days", "-5"], "'-5' is out of range"),
        (
            [*INVOICE, "--lead-days", "1.5"],
            "'1.5' is not a whole number of days; pass e.g. --lead-days 30",
        ),
        ([*INVOICE, "--lead-days", "\u0663"], "'\u0663' is not a whole"),
        ([*QUOTE, "--period-days", "0"], "--period-days: '0' is out of"),
        ([*QUOTE, "--period-days", "9" * 30], "is out of range; pass 1"),
        (["demo", "x\ny"], "unrecognized arguments: x\\ny"),
        (["quote", "--bogus"], "prorata quote: error: "),
        (
            [*INVOICE, "--threshold=--"],
            "argument --threshold: expected one value, not --",
        ),
        ([*INVOICE, "--usage=--"], "argument --usage: expected one value"),
    ],
    ids=[
        "huge-lead",
        "negative-lead",
        "fractional-lead",
        "arabic-indic-lead",
        "zero-period",
        "huge-period",
        "newline-argument",
        "unknown-flag",
        "threshold-equals-dashes",
        "usage-equals-dashes",
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    args: list[str], says: str
) -> None:
    """A malformed flag is one line on stderr and exit 2 (#11)."""
    line = fails(2, *args)
    assert says in line
    assert line.rstrip().endswith("--help)")


def test_quote_before_its_period_is_refused() -> None:
    """An --at before --period-start priced another period (#11, item 9)."""
    line = fails(
        1,
        *QUOTE[:5],
        "--period-start",
        "2024-06-01",
        "--at",
        "2023-01-01",
    )
    assert (
        "--at '2023-01-01' is before --period-start '2024-06-01'; pass an "
        "--at on or after it"
    ) in line


def test_quote_after_an_explicit_period_is_refused() -> None:
    """An --at after the --period-days period names both flags (#11)."""
    line = fails(1, *QUOTE, "--period-days", "3")
    assert (
        "--at '2024-06-11' is after the 3-day period from --period-start "
        "'2024-06-01', which ends at 2024-06-04T00:00:00+00:00"
    ) in line
    assert "--period-days" in line


def test_before_the_period_is_compared_in_utc() -> None:
    """Skipped 02:30 in Berlin is 01:30 UTC, after 03:10 (01:10 UTC).

    Compared by wall clocks it looked earlier than --period-start and was
    refused; the library, which compares in UTC, prices it.
    """
    out = io.StringIO()
    with redirect_stdout(out):
        code = main([*QUOTE[:5], "--period-start", "2024-03-31T03:10",
                     "--at", "2024-03-31T02:30", "--timezone",
                     "Europe/Berlin"])  # fmt: skip
    assert code == 0
    assert "Total: " in out.getvalue()


def test_a_closed_pipe_ends_quietly() -> None:
    """A reader that has gone is no traceback (#11): stdout closed first."""
    with subprocess.Popen(
        [sys.executable, "-m", "prorata", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        process.stdout.close()  # the only reader goes before any output
        _, err = process.communicate(timeout=60)
    assert err == b""
    assert process.returncode == 1


def test_a_broken_pipe_in_process_returns_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """main() returns 1 without a word when stdout refuses to be written."""

    class Gone(io.StringIO):
        def write(self, text: str) -> int:  # noqa: ARG002
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", Gone())
    with redirect_stderr(err):
        assert main(["demo"]) == 1
    assert err.getvalue() == ""


def test_a_usage_metric_no_plan_counts_is_refused() -> None:
    """Issue #11, 8: --usage vists=... billed $70.00 and said nothing."""
    result = run(
        "invoice",
        "--plan",
        "pro",
        "--start",
        "2024-06-01",
        "--usage",
        "vists=500000@2024-06-02",
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "--usage metric 'vists'" in lines[0]
    assert "visits" in lines[0]
    assert "unmetered=True" not in lines[0]


# -- the lifecycle flags (#13) -----------------------------------------------


def invoice_json(*args: str) -> dict[str, object]:
    """Run ``prorata invoice ... --json`` in-process; return its document."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert main([*args, "--json"]) == 0
    data = json.loads(out.getvalue())
    assert isinstance(data, dict)
    return data


def _due(view: object) -> object:
    assert isinstance(view, dict)
    return view["amount_due"]


def test_a_change_two_months_out_bills_up_to_it_first() -> None:
    """Starter ($35) from June 1, -> Pro ($70) on August 16 (seconds
    basis): July 1 and August 1 bill $35.00 each, then the next invoice
    nets 16 of August's 31 days: -$18.06 + $36.13 = $18.07, plus
    September's $70.00."""
    data = invoice_json(*INVOICE, "--change", "pro@2024-08-16")
    before = data["invoiced_before"]
    assert isinstance(before, list)
    assert [_due(v) for v in before] == ["35.00", "35.00", "35.00"]
    assert _due(data["next_invoice"]) == "88.07"


def test_cancel_credits_or_refunds_the_unused_time() -> None:
    """Starter ($35) cancelled on June 21: 10 of 30 days unused, $11.67;
    credited by default, refunded with --cancel-credit refund."""
    credited = invoice_json(*INVOICE, "--cancel", "2024-06-21")
    assert credited["next_invoice"] is None
    assert credited["ends_at"] == "2024-06-21T00:00:00+00:00"
    final = credited["invoiced_before"]
    assert isinstance(final, list)
    assert final[-1]["credit_balance_after"] == "11.67"
    refunded = invoice_json(
        *INVOICE, "--cancel", "2024-06-21", "--cancel-credit", "refund"
    )
    assert isinstance(refunded["invoiced_before"], list)
    assert refunded["invoiced_before"][-1]["refund"] == "11.67"


def test_cancel_at_period_end_says_when_it_ends() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main([*INVOICE, "--cancel-at-period-end"]) == 0
    assert "The subscription ends at 2024-07-01 00:00:00+00:00." in (
        out.getvalue()
    )


def test_schedule_bills_the_new_plan_at_renewal() -> None:
    """Pro ($70) scheduled down to Starter ($35) for the renewal: the July
    invoice bills $35.00."""
    data = invoice_json(
        "invoice", "--plan", "pro", "--start", "2024-06-01",
        "--schedule", "starter",
    )  # fmt: skip
    assert _due(data["next_invoice"]) == "35.00"


def test_move_anchor_bills_the_stub_at_the_next_billing_date() -> None:
    """Starter ($35) from June 1 moved to the 16th: the July 1 invoice
    bills 1 to 16 July, 15 of the 30 days of 16 June to 16 July
    ($17.50), and the next billing date is July 16."""
    data = invoice_json(*INVOICE, "--move-anchor", "2024-06-16")
    assert _due(data["next_invoice"]) == "17.50"
    out = io.StringIO()
    with redirect_stdout(out):
        assert main([*INVOICE, "--move-anchor", "2024-06-16"]) == 0
    assert "Remaining time on Starter (15 days) = $17.50" in out.getvalue()
    line = fails(1, *INVOICE, "--move-anchor", "2024-06-16", "--cancel",
                 "2024-06-20")  # fmt: skip
    assert "cannot move the anchor" in line


def test_proration_behavior_and_anchor_apply_to_each_change() -> None:
    """Starter -> Pro on June 13 with --billing-anchor now: 18 of 30 days
    of Starter credited ($21.00), a month of Pro from June 13 ($70.00),
    $49.00 at once; with --proration-behavior none, no lines at all."""
    reset = invoice_json(
        *INVOICE, "--change", "pro@2024-06-13", "--billing-anchor", "now"
    )
    assert isinstance(reset["invoiced_before"], list)
    assert _due(reset["invoiced_before"][-1]) == "49.00"
    none = invoice_json(
        *INVOICE, "--change", "pro@2024-06-13",
        "--proration-behavior", "none",
    )  # fmt: skip
    assert _due(none["next_invoice"]) == "70.00"


def test_through_bills_every_billing_date() -> None:
    data = invoice_json(*INVOICE, "--through", "2024-12-31")
    assert isinstance(data["invoiced_before"], list)
    assert len(data["invoiced_before"]) == 7  # sign-up and six renewals


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            [*INVOICE, "--cancel", "2024-06-21", "--change", "pro@2024-06-25"],
            "the subscription ends at 2024-06-21",
        ),
        (
            [*INVOICE, "--cancel", "2024-06-21", "--cancel-at-period-end"],
            "cannot cancel: the subscription ends at 2024-06-21",
        ),
        ([*INVOICE, "--schedule", "gold"], "--schedule: plan 'gold'"),
        ([*INVOICE, "--cancel", "2024-05-01"], "--cancel at 2024-05-01"),
    ],
    ids=["change-after-end", "cancel-twice", "schedule-unknown", "early"],
)
def test_lifecycle_mistakes_are_one_line(args: list[str], says: str) -> None:
    line = fails(1, *args)
    assert says in line


def test_a_preset_brings_its_whole_convention_to_invoice() -> None:
    """--preset saas-page bills in arrears (no sign-up invoice) with its
    three-day lead; --timing given overrides it; --preset kill-bill
    invoices a change at once."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert main([*INVOICE, "--preset", "saas-page", "--json"]) == 0
    arrears = json.loads(out.getvalue())
    out = io.StringIO()
    with redirect_stdout(out):
        assert (
            main(
                [
                    *INVOICE,
                    "--preset",
                    "saas-page",
                    "--timing",
                    "in-advance",
                    "--json",
                ]
            )
            == 0
        )
    advance = json.loads(out.getvalue())
    # In arrears nothing is invoiced at sign-up; the next invoice bills the
    # time used, calculated three days before July 1st.
    assert arrears["invoiced_before"] == []
    due = arrears["next_invoice"]
    assert due["calculated_at"] == "2024-06-28T00:00:00+00:00"
    assert due["lines"][0]["description"] == "Used time on Starter (30 days)"
    # --timing in-advance overrides the preset's timing, not its lead.
    assert len(advance["invoiced_before"]) == 1
    assert advance["next_invoice"]["calculated_at"] == due["calculated_at"]


@pytest.mark.parametrize(
    ("preset", "basis", "net"),
    [
        # 30/360 kept under days: 20 of 30 days of $110 more.
        ("kill-bill-fixed-30", "days", "$73.33"),
        # OpenMeter's no-credit kept under seconds: the charge alone,
        # 20 of June's 30 days of $225.
        ("openmeter", "seconds", "$150.00"),
    ],
)
def test_basis_replaces_only_the_presets_basis(
    preset: str, basis: str, net: str
) -> None:
    """--basis with --preset keeps the preset's other options (found in
    review of #16: it dropped them all)."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert (
            main(
                [
                    *QUOTE,
                    "--preset",
                    preset,
                    "--basis",
                    basis,
                    "--json",
                ]
            )
            == 0
        )
    assert json.loads(out.getvalue())["net"] == net.lstrip("$")


def test_version_is_the_packages() -> None:
    """``--version`` prints the installed version, the one pyproject and
    ``prorata.__version__`` say."""
    done = run("--version")
    assert done.returncode == 0, done.stderr
    pyproject = Path(__file__).parents[1] / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text("utf-8"))["project"][
        "version"
    ]
    assert done.stdout.strip() == f"prorata {declared}"
    assert declared == prorata.__version__


def test_plans_lists_every_plan_of_the_catalog() -> None:
    """One row per plan, in catalog order, with its price and terms."""
    done = run("plans")
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split() == [
        "id",
        "name",
        "price",
        "interval",
        "rank",
        "terms",
    ]
    assert [row.split()[0] for row in rows] == [
        p.id for p in builtin_catalog()
    ]
    starter = rows[0]
    assert "$35.00" in starter
    assert "visits: 25,000 included, $1.00 per 1,000 over" in starter
    assert rows[-1].endswith("sales only")
    assert all(row == row.rstrip() for row in rows)


def test_plans_json_reads_back_as_the_catalog() -> None:
    """``plans --json`` of examples/catalog.toml is a catalog again: the same
    plans, annual ones included, field by field."""
    source = Path(__file__).parents[1] / "examples" / "catalog.toml"
    done = run("plans", "--catalog", str(source), "--json")
    assert done.returncode == 0, done.stderr
    again = parse_catalog(json.loads(done.stdout))
    assert list(again) == list(load_catalog(source))


def test_plans_of_a_missing_catalog_is_one_line() -> None:
    """A catalog that cannot be read is named, in one line, exit 1."""
    assert "--catalog" in fails(1, "plans", "--catalog", "no/such.toml")
