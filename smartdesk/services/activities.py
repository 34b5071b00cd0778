"""Activities (the member's projects at the cooperative) and the member's profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartdesk.domain.documents import Activity, Brand, MemberProfile
from smartdesk.domain.ids import uuid7
from smartdesk.errors import Problem, ValidationError
from smartdesk.store import ActivitySummary
from smartdesk.store.repository import put_profile

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace


class ActivityService:
    """``ws.activities``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def save(self, activity: Activity) -> Activity:
        if not activity.name.strip():
            raise ValidationError([Problem("name", "required.activity_name", "Give the activity a name.")])
        return self._ws.store.put_activity(activity)

    def get(self, activity_id: str) -> Activity:
        return self._ws.store.get_activity(activity_id)

    def list(self) -> list[ActivitySummary]:
        return self._ws.store.list_activities()


class ProfileService:
    """``ws.profile``: the member's name, brand and defaults on their documents."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def get(self) -> MemberProfile:
        raw = self._ws.store.get_setting("profile")
        if not raw:
            s = self._ws.settings
            return MemberProfile(id="", entity=s.entity, default_language=s.default_document_language)
        brand = Brand(**raw.pop("brand", {}))
        return MemberProfile(brand=brand, **raw)

    def save(self, profile: MemberProfile) -> MemberProfile:
        if not profile.id:
            profile.id = uuid7()
        put_profile(self._ws.store, profile)
        return profile
