"""The data hash is the SHA-256 of the snapshot's canonical JSON, as docs/bundle-format.md
states it, though it is computed a batch of values at a time."""

from __future__ import annotations

import hashlib
import json

from crc_desktop.core.schemas import snapshot as snapshot_schema
from crc_desktop.core.services.snapshot import SnapshotService


def test_the_data_hash_is_that_of_the_whole_canonical_json(demo_db, monkeypatch):
    monkeypatch.setattr(snapshot_schema, "_BATCH", 300)
    snapshot = SnapshotService(demo_db.database, demo_db.actor).take("2025")
    assert len(snapshot.values) > 600  # more than two batches
    data = snapshot.model_dump(mode="json")
    data.pop("report_text")  # without the office's text, hashed as before that text existed
    data.pop("programmes")  # nor programmes
    whole = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert snapshot.canonical_json() == whole.encode("utf-8")
    assert snapshot.digest() == hashlib.sha256(whole.encode("utf-8")).hexdigest()
