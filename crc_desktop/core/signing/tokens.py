"""USB tokens found, not typed: the PKCS#11 modules present on this machine (the known file names
in the known folders of resources/pkcs11_modules.json, on Windows also the modules beside the
CSPs named in the registry, plus any file the user adds), the tokens inserted and the
certificates on them.

Nothing here logs in: certificates are public objects, read without the PIN. A module built for
another word size (a 32-bit DLL in SysWOW64 for this 64-bit program) cannot be loaded at all;
it is named as such instead of being tried.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import struct
import sys
from functools import cache
from importlib import resources
from pathlib import Path

from cryptography import x509

from crc_desktop.core.errors import InputRefused
from crc_desktop.core.progress import NO_PROGRESS, Progress
from crc_desktop.core.schemas.base import Frozen
from crc_desktop.core.signing.keys import fingerprint, module_folder_searched
from crc_desktop.core.signing.subjects import is_ca, readable_name, readable_subject

PROGRAM_BITS = struct.calcsize("P") * 8


class ModuleFile(Frozen):
    """A PKCS#11 module file found on the machine."""

    path: str
    vendor: str  # "" for a file the user added
    bits: int | None  # 32 or 64; None when the file does not say
    problem: str = ""  # "", "other-bits" (cannot be loaded by this program), "unloadable"

    @property
    def usable(self) -> bool:
        return not self.problem


class TokenCertificate(Frozen):
    """A certificate on an inserted token, with what is needed to sign with its key."""

    module: str
    vendor: str
    token: str
    label: str
    key_id: str  # hex of CKA_ID: the key beside the certificate has the same id
    subject: str
    issuer: str
    valid_until: dt.datetime
    fingerprint: str


class TokenScan(Frozen):
    modules: list[ModuleFile]
    tokens: list[str]  # "label (module file)"
    certificates: list[TokenCertificate]


@cache
def module_catalogue() -> dict:
    return json.loads((resources.files("crc_desktop.resources") / "pkcs11_modules.json").read_text("utf-8"))


def _platform() -> str:
    return {"win32": "windows", "darwin": "darwin"}.get(sys.platform, "linux")


def default_folders() -> list[Path]:
    """Where the known modules are installed on this kind of system."""
    return [Path(os.path.expandvars(f)) for f in module_catalogue()["folders"].get(_platform(), [])]


def module_bits(path: Path) -> int | None:
    """32 or 64, read from the file's header (PE, ELF or Mach-O); None when it says nothing."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if head[:4] == b"\x7fELF" and len(head) > 4:
        return {1: 32, 2: 64}.get(head[4])
    if head[:4] in (b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xce"):
        return 32
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf"):
        return 64
    if head[:2] == b"MZ" and len(head) >= 0x40:
        offset = int.from_bytes(head[0x3C:0x40], "little")
        if head[offset : offset + 4] == b"PE\x00\x00":
            machine = int.from_bytes(head[offset + 4 : offset + 6], "little")
            return {0x014C: 32, 0x01C4: 32, 0x8664: 64, 0xAA64: 64}.get(machine)
    return None


def _csp_modules() -> list[tuple[Path, str]]:
    """Windows: the PKCS#11 module beside each smart-card CSP named in the registry (most
    Vietnamese CA tokens ship `X_s.dll` as CSP and `X.dll` as PKCS#11 module)."""
    if sys.platform != "win32":
        return []
    import winreg

    found = []
    root = r"SOFTWARE\Microsoft\Cryptography\Defaults\Provider"
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, root) as providers:
            index = 0
            while True:
                try:
                    name = winreg.EnumKey(providers, index)
                except OSError:
                    break
                index += 1
                try:
                    with winreg.OpenKey(providers, name) as provider:
                        image = str(winreg.QueryValueEx(provider, "Image Path")[0])
                except OSError:
                    continue
                image_path = Path(os.path.expandvars(image))
                if not image_path.is_absolute():
                    image_path = Path(os.path.expandvars(r"%SystemRoot%\System32")) / image_path
                lowered = image_path.name.lower()
                for shell in ("_s.x64.dll", "_s.dll"):
                    if lowered.endswith(shell):
                        module = image_path.with_name(image_path.name[: -len(shell)] + ".dll")
                        found.append((module, f"CSP: {name}"))
    except OSError:
        return found
    return found


def find_modules(
    folders: list[Path] = (), files: list[Path] = (), *, system: bool = True
) -> list[ModuleFile]:
    """Every known module file present in this system's usual folders (with `system`: also the
    catalogue's full paths and, on Windows, the CSPs' modules) and in `folders`, and the `files`
    the user added."""
    catalogue = module_catalogue()["modules"]
    candidates: list[tuple[Path, str]] = []
    for folder in [*(default_folders() if system else []), *map(Path, folders)]:
        for entry in catalogue:
            candidates += [(folder / name, entry["vendor"]) for name in entry["files"]]
    if system:
        for entry in catalogue:
            candidates += [(Path(os.path.expandvars(p)), entry["vendor"]) for p in entry.get("paths", [])]
        candidates += _csp_modules()
    candidates += [(Path(p), "") for p in files if str(p).strip()]
    modules, seen = [], set()
    for path, vendor in candidates:
        if not path.is_file():
            continue
        key = os.path.normcase(str(path.resolve()))
        if key in seen:
            continue
        seen.add(key)
        bits = module_bits(path)
        problem = "other-bits" if bits is not None and bits != PROGRAM_BITS else ""
        modules.append(ModuleFile(path=str(path), vendor=vendor, bits=bits, problem=problem))
    return modules


def describe_module(module: ModuleFile, tr) -> str:
    """What a found module is, and why it cannot be used when it cannot (`tr`: the Translator)."""
    vendor = module.vendor or tr("added by you")
    if module.problem == "other-bits":
        return tr(
            "{vendor}: a {bits}-bit module, which this {program}-bit program cannot load "
            "(install the token's {program}-bit driver)",
            vendor=vendor,
            bits=module.bits,
            program=PROGRAM_BITS,
        )
    if module.problem == "unloadable":
        return tr("{vendor}: the module could not be loaded", vendor=vendor)
    return vendor


def scan_tokens(modules: list[ModuleFile]) -> TokenScan:
    """The tokens inserted behind each usable module, and the signers' certificates on them."""
    checked, tokens, certificates = [], [], []
    for module in modules:
        if not module.usable:
            checked.append(module)
            continue
        try:
            found = _read_module(module)
        except Exception:  # noqa: BLE001 - a vendor's module failing in its own way
            checked.append(module.model_copy(update={"problem": "unloadable"}))
            continue
        checked.append(module)
        for token, token_certificates in found:
            tokens.append(f"{token} ({Path(module.path).name})")
            certificates += token_certificates
    return TokenScan(modules=checked, tokens=tokens, certificates=certificates)


SCAN_TIMEOUT_SECONDS = 30


class TokenScanFailed(InputRefused):
    """The search for tokens did not finish: a vendor's module hung or crashed its process."""


def scan_tokens_apart(
    modules: list[ModuleFile], timeout: float = SCAN_TIMEOUT_SECONDS, progress: Progress = NO_PROGRESS
) -> TokenScan:
    """`scan_tokens` in a process of its own: the vendors' modules are loaded there, not into the
    program, and one that hangs or crashes ends that process (after `timeout` seconds for a hang)
    with a message naming the modules, instead of freezing or ending the program."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # as on Windows; a fork would copy Qt's threads
    receiving, sending = context.Pipe(duplex=False)
    payload = json.dumps([module.model_dump(mode="json") for module in modules])
    process = context.Process(target=_scan_into, args=(payload, sending), daemon=True)
    process.start()
    sending.close()
    names = ", ".join(sorted({Path(module.path).name for module in modules if module.usable})) or "-"
    try:
        waited = 0.0
        while not receiving.poll(0.2):
            waited += 0.2
            progress.step(min(waited / timeout, 1.0))  # raises Cancelled when the user cancels
            if waited >= timeout:
                raise TokenScanFailed(
                    "The search for tokens took more than {seconds} seconds: a token module ({modules}) "
                    "does not answer. Unplug the token, plug it in again and search again; if it happens "
                    "again, reinstall the token's driver from its CA.",
                    seconds=int(timeout),
                    modules=names,
                )
        try:
            answer = receiving.recv()
        except EOFError:
            raise TokenScanFailed(
                "A token module ({modules}) crashed while the tokens were searched for. Reinstall the "
                "token's driver from its CA, or add the right module file.",
                modules=names,
            ) from None
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    return TokenScan.model_validate_json(answer)


def _scan_into(payload: str, sending) -> None:
    """In the scanning process: scan, send the result as JSON, end."""
    modules = [ModuleFile.model_validate(item) for item in json.loads(payload)]
    sending.send(scan_tokens(modules).model_dump_json())
    sending.close()


def _read_module(module: ModuleFile) -> list[tuple[str, list[TokenCertificate]]]:
    import pkcs11

    with module_folder_searched(Path(module.path)):
        library = pkcs11.lib(module.path)
    found = []
    for slot in library.get_slots(token_present=True):
        try:
            token = slot.get_token()
            label = token.label.strip()
            with token.open() as session:
                certificates = _certificates(session, module, label)
        except pkcs11.PKCS11Error:  # an empty (uninitialised) token, or one the module cannot read
            continue
        found.append((label, certificates))
    return found


def _certificates(session, module: ModuleFile, token: str) -> list[TokenCertificate]:
    from pkcs11 import Attribute, ObjectClass

    certificates = []
    for item in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        certificate = _certificate(item[Attribute.VALUE])
        if certificate is None or is_ca(certificate):
            continue
        certificates.append(
            TokenCertificate(
                module=module.path,
                vendor=module.vendor,
                token=token,
                label=_attribute(item, Attribute.LABEL) or "",
                key_id=(_attribute(item, Attribute.ID) or b"").hex(),
                subject=readable_subject(certificate),
                issuer=readable_name(certificate.issuer),
                valid_until=certificate.not_valid_after_utc,
                fingerprint=fingerprint(certificate),
            )
        )
    return certificates


def _certificate(der: bytes) -> x509.Certificate | None:
    try:
        return x509.load_der_x509_certificate(bytes(der))
    except ValueError:
        return None


def _attribute(item, attribute):
    try:
        return item[attribute]
    except Exception:  # noqa: BLE001 - an attribute the token does not keep
        return None
