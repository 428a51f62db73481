"""What the window calls its pages and the fields a message sends the user to: one table, so a
message never names a page the window does not show ("Cài đặt" where the page is "Thiết lập").

The window's navigation and boxes use these same titles (a test compares them).
"""

from __future__ import annotations

from crc_desktop.core.errors import CrcError, Msgid
from crc_desktop.core.i18n import N_

PAGE_TITLES = {
    "overview": N_("Overview"),
    "plan": N_("Plan"),
    "recommendations": N_("Recommendations"),
    "indicators": N_("Indicators"),
    "progress": N_("Progress"),
    "periods": N_("Periods and signing"),
    "reports": N_("Reports and export"),
    "collection": N_("Data collection"),
    "settings": N_("Settings"),
}
FIELD_TITLES = {  # (page, what the page calls the box or field)
    "office_signature": ("settings", N_("The office's digital signature")),
    "user_name": ("settings", N_("Your name")),
    "token_library": ("settings", N_("USB token library (PKCS#11)")),
    "bundle_trust": ("settings", N_("Trusted certificates (bundle check)")),
}


def where(field: str) -> CrcError:
    """'the page “Thiết lập”, “Chữ ký số của cơ quan”' for a message to name, in the user's language."""
    page, title = FIELD_TITLES[field]
    return CrcError("the page “{page}”, “{field}”", page=Msgid(PAGE_TITLES[page]), field=Msgid(title))
