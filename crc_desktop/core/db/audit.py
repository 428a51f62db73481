"""The hash chain of the audit log: how an entry's hash is computed and how the chain is checked.

Each entry's hash covers its own fields and the previous entry's hash, so a row changed,
deleted or inserted outside the program breaks the chain at that row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from crc_desktop.core.db.models import AuditEntryRecord
from crc_desktop.core.i18n import N_

GENESIS = "0" * 64


def canonical(value: object) -> object:
    """`value` as plain JSON data (dates become ISO strings), stable across a database round trip."""
    if _plain(value):  # most entries are: checking costs a fraction of the round trip
        return value
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _plain(value: object) -> bool:
    """Whether `value` is JSON data already (what a JSON round trip gives back unchanged)."""
    kind = type(value)  # exactly: a subclass (an enum) may come back as something else
    if value is None or kind in (str, bool, int):
        return True
    if kind is float:
        return value == value and value not in (float("inf"), float("-inf"))
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if kind is list:
        return all(_plain(v) for v in value)
    return False


def entry_hash(entry: AuditEntryRecord) -> str:
    payload = {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "os_user": entry.os_user,
        "user_name": entry.user_name,
        "action": entry.action,
        "entity": entry.entity,
        "entity_key": entry.entity_key,
        "old": entry.old,
        "new": entry.new,
        "reason": entry.reason,
        "prev_hash": entry.prev_hash,
    }
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


def first_break(entries: Iterable[AuditEntryRecord]) -> ChainBreak | None:
    """The first entry where the chain does not hold, or None when it is whole."""
    previous_hash = GENESIS
    previous_id = 0
    for entry in entries:
        if entry.prev_hash != previous_hash:
            return ChainBreak(entry.id, N_("previous hash does not match (an entry was removed or inserted)"))
        if entry.id <= previous_id:
            return ChainBreak(entry.id, N_("entries out of order"))
        if entry_hash(entry) != entry.hash:
            return ChainBreak(entry.id, N_("content does not match its hash (the entry was changed)"))
        previous_hash, previous_id = entry.hash, entry.id
    return None
