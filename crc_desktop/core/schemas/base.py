"""Shared pieces of the schemas: frozen models and NFC-normalised text."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from crc_desktop.core.text import nfc


def _nfc(value: str) -> str:
    return nfc(value) or ""


Text = Annotated[str, AfterValidator(_nfc)]
Name = Annotated[str, AfterValidator(_nfc), StringConstraints(min_length=1)]


class Frozen(BaseModel):
    """An immutable value crossing a boundary; unknown fields are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")
