"""Certificates as the services hand them out: who they name, who issued them, when they are
valid, and (for the office's own) who registered them."""

from __future__ import annotations

import datetime as dt

from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.schemas.changes import Outcome


class OfficeCertificate(Frozen):
    """A certificate registered to sign for this office."""

    fingerprint: str
    subject: str
    issuer: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    registered_at: dt.datetime
    registered_by: str


class CertificateChanged(OfficeCertificate, Outcome):
    """A certificate just registered to sign for the office, or taken off its list."""
