"""An activity's monthly figures as the cooperative's server stores and serves them: what
tests/server/test_cooperative.py sees served after the advisor set March 2026 (1200.50 invoiced, 35
hours), and what tests/unit/test_activity_figures_json.py reads as the server's form."""

from __future__ import annotations


def served_march_2026() -> dict[str, str]:
    """One month after the advisor set 1200.50 invoiced and 35 hours; the fields not set are "0"."""
    return {
        "month": "2026-03",
        "revenue_invoiced": "1200.50",
        "revenue_paid": "0",
        "expenses": "0",
        "wages": "0",
        "hours": "35",
    }
