"""The hash chain of the audit log: how an entry's hash is computed and how the chain is checked.

Each entry's hash covers its own fields and the previous entry's hash, so a row changed,
deleted or inserted outside the program breaks the chain at that row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
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
    return _hash(
        (
            entry.id,
            entry.at.isoformat(timespec="microseconds"),
            entry.os_user,
            entry.user_name,
            entry.action,
            entry.entity,
            entry.entity_key,
            entry.old,
            entry.new,
            entry.reason,
            entry.prev_hash,
        )
    )


_FIELDS = ("id", "at", "os_user", "user_name", "action", "entity", "entity_key", "old", "new", "reason")


def _hash(fields: tuple) -> str:
    """The hash of an entry's fields (in _FIELDS' order, then the previous entry's hash)."""
    payload = dict(zip(_FIELDS, fields, strict=False))
    payload["prev_hash"] = fields[-1]
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


BATCH = 2000  # entries read at a time


def stored_chain(connection: sqlite3.Connection) -> Iterator[tuple]:
    """Every entry as stored, in order, read BATCH at a time (memory stays the same however long
    the history): its fields as in `_hash`, then its stored hash."""
    cursor = connection.cursor()
    try:
        cursor.execute(
            "SELECT id, at, os_user, user_name, action, entity, entity_key, old, new, reason, prev_hash, hash"
            " FROM audit_log ORDER BY id"
        )
        while batch := cursor.fetchmany(BATCH):
            yield from batch
    finally:
        cursor.close()


def first_break(rows: Iterable[tuple]) -> ChainBreak | None:
    """The first entry where the chain does not hold, or None when it is whole. `rows` are the
    entries as stored (`stored_chain`): the time as SQLite keeps it, old and new as JSON text,
    read back as the ORM reads them before hashing."""
    previous_hash = GENESIS
    previous_id = 0
    for *fields, stored in rows:
        entry_id, at, old, new, prev_hash = fields[0], fields[1], fields[7], fields[8], fields[10]
        if prev_hash != previous_hash:
            return ChainBreak(entry_id, N_("previous hash does not match (an entry was removed or inserted)"))
        if entry_id <= previous_id:
            return ChainBreak(entry_id, N_("entries out of order"))
        fields[1] = dt.datetime.fromisoformat(at).isoformat(timespec="microseconds")
        fields[7] = None if old is None else json.loads(old)
        fields[8] = None if new is None else json.loads(new)
        if _hash(tuple(fields)) != stored:
            return ChainBreak(entry_id, N_("content does not match its hash (the entry was changed)"))
        previous_hash, previous_id = stored, entry_id
    return None
