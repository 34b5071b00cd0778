"""An activity's monthly figures (cooperative-owned) in the documented JSON form: round trip, the form the
server sends, and mistakes reported with their JSON path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartdesk.domain.documents import Activity, MonthFigures
from smartdesk.domain.serialize import (
    activity_from_dict,
    activity_to_dict,
    bundle_from_dict,
    bundle_to_dict,
)
from smartdesk.errors import ValidationError
from smartdesk.services import Workspace
from smartdesk.sync import local
from tests.support.figures import served_march_2026

amounts = st.decimals(min_value=-99999, max_value=999999, places=2, allow_nan=False, allow_infinity=False)
months = st.builds(
    MonthFigures,
    month=st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(2000, 2099), st.integers(1, 12)),
    revenue_invoiced=amounts,
    revenue_paid=amounts,
    expenses=amounts,
    wages=amounts,
    hours=st.decimals(min_value=0, max_value=999, places=1, allow_nan=False, allow_infinity=False),
)
activities = st.builds(
    Activity, name=st.text(max_size=30), code=st.text(max_size=10), monthly=st.lists(months, max_size=13)
)


@given(activities)
def test_round_trip(activity: Activity) -> None:
    assert activity_from_dict(activity_to_dict(activity)) == activity


def test_the_servers_form_is_read_with_decimals() -> None:
    # as smartdesk_server.coop.set_figures stores it (tests/server/test_cooperative.py sees it served)
    data = {
        "id": "0192f0a0-0000-7000-8000-000000000001",
        "name": "Photography",
        "code": "A-1",
        "entity": "BE",
        "description": "",
        "monthly": [served_march_2026()],
    }
    activity = activity_from_dict(data)
    assert activity.monthly == [
        MonthFigures("2026-03", Decimal("1200.50"), Decimal(0), Decimal(0), Decimal(0), Decimal(35))
    ]
    assert activity_to_dict(activity) == data


def test_older_files_without_figures_still_read() -> None:
    activity = activity_from_dict({"name": "Photography"})
    assert activity.monthly == []
    assert activity_to_dict(activity)["monthly"] == []


def test_a_single_digit_month_is_written_with_two() -> None:
    activity = activity_from_dict({"name": "x", "monthly": [{"month": "2026-3", "hours": "1"}]})
    assert activity.monthly[0].month == "2026-03"


def test_mistakes_in_figures_are_reported_with_their_path() -> None:
    bad = {
        "format": "smartdesk",
        "version": 1,
        "activities": [
            {"name": "x", "monthly": [{"month": "March", "revenue_invoiced": 12.5}, {"month": "2026-13"}]}
        ],
    }
    with pytest.raises(ValidationError) as err:
        bundle_from_dict(bad)
    assert [p.field for p in err.value.problems] == [
        "$.activities[0].monthly[0].month",
        "$.activities[0].monthly[0].revenue_invoiced",
        "$.activities[0].monthly[1].month",
    ]


def test_bundle_carries_the_figures() -> None:
    activity = Activity(name="Sound", monthly=[MonthFigures("2026-01", wages=Decimal("300.00"))])
    [back], _, _ = bundle_from_dict(bundle_to_dict([activity], [], []))
    assert back.monthly == activity.monthly


def test_a_pull_keeps_the_figures_and_survives_unreadable_ones(workspace: Workspace) -> None:
    good = Activity(
        name="Photography", monthly=[MonthFigures("2026-03", revenue_invoiced=Decimal("1200.50"))]
    )
    odd = Activity(name="Sound")
    with workspace.store.write() as conn:
        local.apply_upsert(workspace.store, conn, "activity", good.id, activity_to_dict(good), 3)
        local.apply_upsert(
            workspace.store,
            conn,
            "activity",
            odd.id,
            {**activity_to_dict(odd), "monthly": [{"month": "sometime", "hours": "x"}]},
            2,
        )
    assert workspace.activities.get(good.id).monthly == good.monthly
    assert workspace.activities.get(odd.id).name == "Sound" and workspace.activities.get(odd.id).monthly == []
