"""The office a database belongs to, and what a database holds."""

from __future__ import annotations

from crc_desktop.core.schemas.base import Frozen, Name, Text
from crc_desktop.core.schemas.changes import Outcome


class ProfileInput(Frozen):
    """What the office can change about how its reports are headed and signed."""

    office_name: Name
    parent_agency: Name
    place_name: Name
    document_symbol: Text = ""
    signer_name: Text = ""
    signer_title: Text = ""
    signing_for: Text = ""  # the head's title when the signer signs on the head's behalf (KT.)
    recipients: list[Text] = []  # "Nơi nhận"


class OfficeProfile(ProfileInput):
    province_code: str
    province_name: str


class ProfileSaved(OfficeProfile, Outcome):
    """The office's profile as it was saved."""


class PeriodInfo(Frozen):
    code: str
    state: str
    version: int


class DatabaseInfo(Frozen):
    path: str
    schema_revision: str
    is_demo: bool
    profile: OfficeProfile | None
    counts: dict[str, int]
    periods: list[PeriodInfo]
