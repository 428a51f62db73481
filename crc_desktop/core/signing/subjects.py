"""Certificates as people read them: "Sở Y tế Huế, Thành phố Huế" rather than
"Common Name: …, State/Province: 46"; and the provinces' names by code, for messages."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from cryptography import x509
from cryptography.x509.oid import NameOID


@cache
def province_names() -> dict[str, str]:
    """Province code → name, from the shipped catalogue of the 34 provincial units."""
    catalogue = resources.files("crc_desktop.resources") / "catalogs" / "provinces.json"
    entries = json.loads(catalogue.read_text("utf-8"))["entries"]
    return {entry["code"]: entry["name"] for entry in entries}


def province_label(code: str) -> str:
    """'Thành phố Huế (46)', or the code alone when it is not a province we know."""
    name = province_names().get(code)
    return f"{name} ({code})" if name else code


def _first(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value).strip() if values else ""


def readable_name(name: x509.Name) -> str:
    """The holder's name, then its organisation and province when they add something."""
    common = _first(name, NameOID.COMMON_NAME)
    organisation = _first(name, NameOID.ORGANIZATION_NAME)
    province = _first(name, NameOID.STATE_OR_PROVINCE_NAME)
    province = province_names().get(province, province)
    locality = _first(name, NameOID.LOCALITY_NAME)
    parts: list[str] = []
    for part in (common, organisation, locality, province):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts) or name.rfc4514_string()


def readable_subject(certificate: x509.Certificate) -> str:
    return readable_name(certificate.subject)


def is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return certificate.subject == certificate.issuer  # an old self-signed root without extensions
