"""A service's quote endpoint: JSON request in, JSON quote out.

The request names two plans of the built-in catalog, the billing period's
start, the moment of the change and a preset; the response carries every
line, the amounts as strings, and the explanation a support agent can read.

Run: python examples/quote_service.py [request.json]
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from prorata import (
    BillingCycle,
    PlanChange,
    ProrataError,
    builtin_catalog,
    check_change,
    presets,
    prorate,
)

HERE = Path(__file__).parent


def quote(request: dict[str, str]) -> dict[str, object]:
    """Answer one quote request; refusals are answers too."""
    catalog = builtin_catalog()
    try:
        old, new = catalog[request["from"]], catalog[request["to"]]
        decision = check_change(old, new)
        if not decision:
            return {"allowed": False, "reason": decision.message}
        at = datetime.fromisoformat(request["at"])
        start = datetime.fromisoformat(request["period_start"])
        period = BillingCycle(start, old.interval).containing(at)
        q = prorate(
            PlanChange(old, new, at=at),
            period,
            presets.PRESETS[request["preset"]],
        )
    except ProrataError as error:
        return {"allowed": False, "error": str(error)}
    return {
        "allowed": True,
        "currency": q.net.currency,
        "credit": str(q.credit.amount),
        "charge": str(q.charge.amount),
        "net": str(q.net.amount),
        "lines": [
            {
                "description": line.description,
                "amount": str(line.amount.amount),
            }
            for line in q.lines
        ],
        "explanation": q.explain().splitlines(),
    }


def main() -> None:
    """Read the request file (the bundled example by default), print JSON."""
    path = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "quote_request.json"
    )
    request = json.loads(path.read_text(encoding="utf-8"))
    print(json.dumps(quote(request), indent=2))
    refused = dict(request, to="enterprise")
    print(json.dumps(quote(refused), indent=2))


if __name__ == "__main__":
    main()
