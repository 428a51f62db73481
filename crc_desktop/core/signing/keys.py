"""Signing keys: test keys made here (a small CA and a province's certificate, in a passphrase-
protected PKCS#12), PKCS#12 files issued by a real CA, and PKCS#11 USB tokens.

A private key is never written unencrypted; passphrases and PINs are arguments of each
operation, never stored or logged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.files import write_atomically
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.screens import where

KEY_BITS = 3072


class KeyFiles(Frozen):
    p12: str
    certificate: str
    ca_certificate: str
    fingerprint: str


@dataclass(frozen=True)
class SigningMaterial:
    """What signing needs: a pyHanko signer and the certificate it signs with (and, for a token,
    its open session: close it after signing, or the token stays logged in and the next login
    is refused)."""

    signer: object
    certificate: x509.Certificate
    subject: str
    session: object | None = None

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


def _name(common_name: str, organisation: str, province_code: str = "") -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if province_code:
        parts.insert(1, x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province_code))
    return x509.Name(parts)


def new_test_keys(
    out: Path,
    name: str,
    province_code: str,
    passphrase: bytes,
    *,
    now: dt.datetime | None = None,
    valid_days: int = 3 * 365,
    key_bits: int = KEY_BITS,
) -> KeyFiles:
    """A test CA and a signing certificate for a province, the key in a PKCS#12 under `passphrase`.

    Writes `<code>.p12` (key, certificate and CA), `<code>-cert.pem` and `<code>-ca.pem` (the
    trust anchor to give the ministry) in `out`. Not a substitute for a certificate from a real CA.
    """
    if len(passphrase) < 8:
        raise InputRefused("The passphrase must be at least 8 characters long.")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=key_bits)
    # Vietnamese, as every word a user reads: the issuer shows in the office's list of certificates
    ca_name = _name(
        f"CA thử nghiệm CRC Desktop {province_code}", "CRC Desktop (thử nghiệm, không phải CA thật)"
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days + 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_bits)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name, name, province_code))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    blob = pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"), key, cert, [ca_cert], serialization.BestAvailableEncryption(passphrase)
    )
    stem = f"{province_code}-signing"
    p12 = out / f"{stem}.p12"
    write_atomically(p12, lambda stream: stream.write(blob))
    if os.name == "posix":
        os.chmod(p12, 0o600)
    cert_path, ca_path = out / f"{stem}-cert.pem", out / f"{stem}-ca.pem"
    write_atomically(cert_path, lambda s: s.write(cert.public_bytes(serialization.Encoding.PEM)))
    write_atomically(ca_path, lambda s: s.write(ca_cert.public_bytes(serialization.Encoding.PEM)))
    return KeyFiles(
        p12=str(p12), certificate=str(cert_path), ca_certificate=str(ca_path), fingerprint=fingerprint(cert)
    )


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def subject_text(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return names[0].value if names else cert.subject.rfc4514_string()


@dataclass(frozen=True)
class KeySource:
    """Where the signer's key is, as the user named it: a PKCS#12 file (`p12`) opened with its
    passphrase, or a USB token (`library`, `token`, and the key's label or id) opened with its
    PIN; `secret` is the passphrase or the PIN."""

    secret: str
    p12: Path | None = None
    library: Path | None = None
    token: str = ""
    key_label: str | None = None
    key_id: bytes | None = None
    apart: bool = False  # open a .p12 in a child process (see load_p12)

    def open(self) -> SigningMaterial:
        """The signing material; close it once signed."""
        if self.p12 is not None:
            return load_p12(self.p12, self.secret.encode("utf-8"), apart=self.apart)
        return load_pkcs11(self.library, self.token, self.secret, self.key_label, self.key_id)


def load_p12(path: Path, passphrase: bytes, *, apart: bool = False) -> SigningMaterial:
    """The signer of a PKCS#12 file; refuses a wrong passphrase or a file that is not PKCS#12.

    With `apart`, the file is opened in a child process (the window's worker does so):
    cryptography checks an RSA key as it reads it, 150-200 ms for a 3072-bit key while holding
    Python's lock, which the window needs to answer. The child checks it; the key it hands back
    (through a pipe, never a file) is taken without a second check."""
    path = Path(path)
    if not path.is_file():
        raise InputRefused("There is no file at {path}.", path=str(path))
    data = path.read_bytes()
    if apart:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
            loaded = _unpacked(child.submit(_packed_p12, data, passphrase).result())
    else:
        loaded = _read_p12(data, passphrase)
    if loaded is None:
        raise InputRefused(
            "The passphrase is wrong, or {path} is not a PKCS#12 (.p12/.pfx) file.", path=str(path)
        )
    key, cert, others = loaded
    if key is None:  # a file of certificates only, such as a CA's
        raise InputRefused("{path} holds no private key.", path=str(path))
    if cert is None:
        raise InputRefused("{path} holds no certificate.", path=str(path))
    signer = _loaded_signer(key, cert, others)
    return SigningMaterial(signer=signer, certificate=cert, subject=subject_text(cert))


def _read_p12(data: bytes, passphrase: bytes) -> tuple | None:
    """The key, certificate and other certificates of a PKCS#12 file; None when the passphrase
    or the file is wrong."""
    try:
        return pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError:
        return None


def _packed_p12(data: bytes, passphrase: bytes) -> tuple | None:
    """In `load_p12`'s child process: `_read_p12` as DER (the key checked, as PKCS#8)."""
    loaded = _read_p12(data, passphrase)
    if loaded is None:
        return None
    key, cert, others = loaded
    der = serialization.Encoding.DER
    key_der = key and key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return key_der, cert and cert.public_bytes(der), [other.public_bytes(der) for other in others]


def _unpacked(packed: tuple | None) -> tuple | None:
    """`_packed_p12`'s answer read back; the child has checked the key already."""
    if packed is None:
        return None
    key_der, cert_der, others_der = packed
    key = key_der and serialization.load_der_private_key(key_der, None, unsafe_skip_rsa_key_validation=True)
    cert = cert_der and x509.load_der_x509_certificate(cert_der)
    return key, cert, [x509.load_der_x509_certificate(der) for der in others_der]


def _loaded_signer(key, cert: x509.Certificate, others: list[x509.Certificate]):
    """A pyHanko signer over a key read once (LoadedKeySigner)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def as_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))

    store = SimpleCertificateStore()
    store.register_multiple([as_asn1(other) for other in others])
    return _signer_class()(key, signing_cert=as_asn1(cert), cert_registry=store)


_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


@cache
def _signer_class():
    """LoadedKeySigner, made on first use so that pyHanko is imported only when signing.

    It implements pyHanko's public `Signer.async_sign_raw` with the key as cryptography loaded
    it. pyHanko's own SimpleSigner keeps the key as DER and reads it again at each signature, and
    cryptography checks an RSA key each time it reads one: about 170 ms holding Python's lock for
    a 3072-bit key, three times per export, each a freeze of the window."""
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers import Signer

    class LoadedKeySigner(Signer):
        def __init__(self, key, **kwargs) -> None:
            super().__init__(**kwargs)
            self._key = key

        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
            name = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            digest = _HASHES.get(digest_algorithm)
            if digest is None:
                raise SigningError(f"The digest {digest_algorithm} is not used by this program.")
            if name == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
                return self._key.sign(data, PKCS1v15(), digest())
            if name == "ecdsa" and isinstance(self._key, EllipticCurvePrivateKey):
                return self._key.sign(data, ECDSA(digest()))
            raise SigningError(f"The signature mechanism {name} is not used by this program.")

    return LoadedKeySigner


def _always_authenticate(session, key_label: str | None, key_id: bytes | None) -> bool:
    """Whether the signing key asks for the PIN again at each use (CKA_ALWAYS_AUTHENTICATE)."""
    from pkcs11 import Attribute, ObjectClass
    from pkcs11.exceptions import PKCS11Error

    query = {Attribute.CLASS: ObjectClass.PRIVATE_KEY}
    if key_label is None and key_id is not None:
        query[Attribute.ID] = key_id
    elif key_label is not None:
        query[Attribute.LABEL] = key_label
    try:
        for key in session.get_objects(query):
            return bool(key[Attribute.ALWAYS_AUTHENTICATE])
    except (PKCS11Error, KeyError, NotImplementedError):  # a module that does not know the attribute
        return False
    return False


@contextlib.contextmanager
def module_folder_searched(module: Path) -> Iterator[None]:
    """While a token's module loads, Windows searches its own folder for the DLLs it needs: a
    vendor's module under Program Files ships its helpers beside it, and Windows does not look
    there by itself (os.add_dll_directory, Windows only; elsewhere the loader finds them)."""
    add_dll_directory = getattr(os, "add_dll_directory", None)
    if add_dll_directory is None:
        yield
        return
    with add_dll_directory(str(Path(module).resolve().parent)):
        yield


def load_pkcs11(
    library: Path, token_label: str, pin: str, key_label: str | None = None, key_id: bytes | None = None
) -> SigningMaterial:
    """The signer of a USB token through its PKCS#11 library (the vendor's DLL on Windows); the
    key is the one with `key_label`, or with `key_id` (the id it shares with its certificate)."""
    from pkcs11.exceptions import PinIncorrect, PinLenRange, PinLocked
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    library = Path(library)
    if not library.is_file():
        raise InputRefused(
            "The token library {path} does not exist; set it on {place}.",
            path=str(library),
            place=where("token_library"),
        )
    try:
        with module_folder_searched(library):
            session = open_pkcs11_session(
                str(library), token_criteria=TokenCriteria(label=token_label), user_pin=pin
            )
    except (PinIncorrect, PinLenRange):
        raise InputRefused("The PIN of the token {label} is wrong.", label=token_label) from None
    except PinLocked:
        raise InputRefused(
            "The token {label} is locked after too many wrong PINs; unlock it with its vendor's tool.",
            label=token_label,
        ) from None
    except Exception:  # noqa: BLE001 - the driver's errors, and pyHanko's own "no token found"
        raise InputRefused(
            "The token {label} could not be opened; check that it is plugged in and try again.",
            label=token_label,
        ) from None
    # A key marked "always authenticate" (SafeNet-based tokens, the Government CA's) wants a
    # context login before each signature: python-pkcs11 makes it, between the signature's start
    # and its end, when given the PIN, typed once for this export and gone with the signer.
    again = {"pin": pin} if _always_authenticate(session, key_label, key_id) else None
    if key_label is None and key_id is not None:
        signer = PKCS11Signer(
            session, key_id=key_id, cert_id=key_id, bulk_fetch=False, base_sign_kwargs=again
        )
    else:
        signer = PKCS11Signer(
            session, key_label=key_label, cert_label=key_label, bulk_fetch=False, base_sign_kwargs=again
        )
    try:
        asn1_cert = signer.signing_cert
    except Exception as exc:
        session.close()
        raise InputRefused(
            "No signing certificate was found on the token {label}.", label=token_label
        ) from exc
    cert = x509.load_der_x509_certificate(asn1_cert.dump())
    return SigningMaterial(signer=signer, certificate=cert, subject=subject_text(cert), session=session)
