"""Signing: the office's profile and certificates, keys, sign-and-export, saved bundles, USB tokens,
and (the ministry) the trust registry."""

from __future__ import annotations

import sys
from pathlib import Path

from crc_desktop.cli.common import (
    DB_HELP,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    PASSPHRASE_HELP,
    PERIOD_HELP,
    _open,
    _secret,
)
from crc_desktop.cli.parsing import date_argument as _date_argument
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.i18n import N_, Translator

_OFFICE_OPTIONS = (
    ("--name", "office_name", N_("the issuing agency, e.g. Sở Y tế tỉnh Khánh Hòa")),
    ("--parent", "parent_agency", N_("the parent agency, e.g. Ủy ban nhân dân tỉnh Khánh Hòa")),
    ("--place", "place_name", N_("the place in the date line, e.g. Khánh Hòa")),
    (
        "--symbol",
        "document_symbol",
        N_("the document symbol, e.g. BC-SYT (the number is given at signing: export --number)"),
    ),
    ("--signer-name", "signer_name", N_("who signs, e.g. Nguyễn Văn An")),
    ("--signer-title", "signer_title", N_("the signer's title, e.g. Phó Giám đốc")),
    ("--signing-for", "signing_for", N_("the head's title when the signer signs for the head (KT.)")),
    ("--recipients", "recipients", N_("the recipients (Nơi nhận), separated by ;")),
)


def add_office(commands, common, _: Translator) -> None:
    db_help = _(DB_HELP)
    office = commands.add_parser(
        "office", parents=[common], help=_("the office: report header, signer, recipients and certificates")
    )
    office_commands = office.add_subparsers(dest="office_command", metavar="ACTION", required=True)
    office_show = office_commands.add_parser("show", parents=[common], help=_("show the office profile"))
    office_show.add_argument("--db", type=Path, required=True, help=db_help)
    office_set = office_commands.add_parser("set", parents=[common], help=_("change the office profile"))
    office_set.add_argument("--db", type=Path, required=True, help=db_help)
    for option, field, text in _OFFICE_OPTIONS:
        office_set.add_argument(option, dest=field, default=None, help=_(text))
    certificate = office_commands.add_parser(  # office certificate …: who may sign for the office
        "certificate", parents=[common], help=_("the certificates registered to sign for the office")
    )
    certificate_commands = certificate.add_subparsers(
        dest="certificate_command", metavar="ACTION", required=True
    )
    certificate_add = certificate_commands.add_parser(
        "add", parents=[common], help=_("register a signing certificate for the office")
    )
    certificate_add.add_argument("file", type=Path, help=_("the certificate file (PEM or DER)"))
    certificate_list = certificate_commands.add_parser(
        "list", parents=[common], help=_("list the office's registered certificates")
    )
    certificate_remove = certificate_commands.add_parser(
        "remove", parents=[common], help=_("stop a certificate from signing for the office")
    )
    certificate_remove.add_argument("fingerprint", help=_("the certificate's SHA-256 fingerprint"))
    certificate_image = certificate_commands.add_parser(
        "image",
        parents=[common],
        help=_("the signer's handwritten signature shown when this certificate signs"),
    )
    certificate_image.add_argument("fingerprint", help=_("the certificate's SHA-256 fingerprint"))
    certificate_image.add_argument("png", type=Path, help=_("the signature image (PNG, transparent, blue)"))
    seal = office_commands.add_parser(
        "seal", parents=[common], help=_("the office's seal shown on its signed reports")
    )
    seal.add_argument("--db", type=Path, required=True, help=db_help)
    seal.add_argument("png", type=Path, help=_("the seal image (PNG, transparent, red)"))
    for command in (certificate_add, certificate_list, certificate_remove, certificate_image):
        command.add_argument("--db", type=Path, required=True, help=db_help)
    for command in (certificate_add, certificate_remove):
        command.add_argument(
            "--reason", default="", help=_("why (needed to change a registered certificate)")
        )
    office.set_defaults(handler=_run_office)


def add_keys(commands, common, _: Translator) -> None:
    passphrase_help = _(PASSPHRASE_HELP)
    keys = commands.add_parser("keys", parents=[common], help=_("signing keys"))
    key_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    new_keys = key_commands.add_parser(
        "new", parents=[common], help=_("make a test key and certificate for a province (not a real CA)")
    )
    new_keys.add_argument("--out", type=Path, required=True, help=_("the folder for the key files"))
    new_keys.add_argument("--name", required=True, help=_("the signer, e.g. the office's name"))
    new_keys.add_argument("--province", required=True, help=_("province code, e.g. 46"))
    new_keys.add_argument("--passphrase-file", type=Path, help=passphrase_help)
    keys.set_defaults(handler=_run_keys)


def add_export(commands, common, _: Translator) -> None:
    db_help, period_help, passphrase_help = _(DB_HELP), _(PERIOD_HELP), _(PASSPHRASE_HELP)
    export = commands.add_parser("export", parents=[common], help=_("sign and export an approved period"))
    export.add_argument("--db", type=Path, required=True, help=db_help)
    export.add_argument("--period", required=True, help=period_help)
    export.add_argument("--out", type=Path, required=True, help=_("the bundle file, or a folder for it"))
    export.add_argument("--p12", type=Path, help=_("a PKCS#12 (.p12/.pfx) key file"))
    export.add_argument("--pkcs11-lib", type=Path, help=_("the USB token's PKCS#11 library"))
    export.add_argument("--token", help=_("the token's label"))
    export.add_argument("--key-label", help=_("the key's label on the token"))
    export.add_argument("--key-id", help=_("the key's id on the token (hexadecimal), when it has no label"))
    export.add_argument("--passphrase-file", type=Path, help=passphrase_help)
    export.add_argument(
        "--date", type=_date_argument, help=_("the report's date, dd/mm/yyyy (default: today)")
    )
    export.add_argument(
        "--number", default="", help=_("the document's number the clerk gives, e.g. 125 (Số: 125/BC-SYT)")
    )
    export.set_defaults(handler=_run_export)


def add_bundle(commands, common, _: Translator) -> None:
    db_help, period_help = _(DB_HELP), _(PERIOD_HELP)
    bundle = commands.add_parser("bundle", parents=[common], help=_("signed bundles kept in the database"))
    bundle_commands = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    save_bundle = bundle_commands.add_parser(
        "save", parents=[common], help=_("write a signed bundle again, the same bytes (no new signature)")
    )
    save_bundle.add_argument("--db", type=Path, required=True, help=db_help)
    save_bundle.add_argument("--period", required=True, help=period_help)
    save_bundle.add_argument("--out", type=Path, required=True, help=_("the bundle file, or a folder for it"))
    save_bundle.add_argument("--sequence", type=int, help=_("which version (default: the last signed one)"))
    bundle.set_defaults(handler=_run_bundle)


def add_tokens(commands, common, _: Translator) -> None:
    tokens = commands.add_parser(
        "tokens", parents=[common], help=_("the USB tokens found: modules, tokens and certificates")
    )
    tokens.add_argument(
        "--module", type=Path, action="append", default=[], help=_("a token's PKCS#11 module file to add")
    )
    tokens.add_argument(
        "--folder", type=Path, action="append", default=[], help=_("a folder to search for modules")
    )
    tokens.set_defaults(handler=_run_tokens)


def add_trust(commands, common, _: Translator) -> None:
    trust = commands.add_parser(
        "trust", parents=[common], help=_("the ministry: the trust registry (anchors and provinces' signers)")
    )
    trust_commands = trust.add_subparsers(dest="trust_command", metavar="ACTION", required=True)
    trust_dir_help = _("the trust registry folder")
    trust_anchor = trust_commands.add_parser(
        "anchor", parents=[common], help=_("add a root certificate that chains may end at")
    )
    trust_add = trust_commands.add_parser(
        "add", parents=[common], help=_("register a certificate (a CA or a signer) for a province")
    )
    trust_add.add_argument("--province", required=True, help=_("province code, e.g. 46"))
    for command in (trust_anchor, trust_add):
        command.add_argument("--trust", type=Path, required=True, help=trust_dir_help)
        command.add_argument("certificate", type=Path, help=_("the certificate file (PEM or DER)"))
    trust_list = trust_commands.add_parser("list", parents=[common], help=_("list the registry"))
    trust_list.add_argument("--trust", type=Path, required=True, help=trust_dir_help)
    trust_remove = trust_commands.add_parser(
        "remove", parents=[common], help=_("take a certificate out of the registry")
    )
    trust_remove.add_argument("--trust", type=Path, required=True, help=trust_dir_help)
    trust_remove.add_argument("fingerprint", help=_("the certificate's SHA-256 fingerprint"))
    trust.set_defaults(handler=_run_trust)


def _run_office(args, paths, _, settings) -> int:
    from crc_desktop.core.schemas.office import ProfileInput

    if args.office_command == "certificate":
        return _run_office_certificate(args, paths, _, settings)
    if args.office_command == "seal":
        return _run_signature_image(args, paths, _, settings)
    context = _open(args, paths, settings)
    try:
        profile = context.setup.info(counts=False).profile
        if profile is None:
            raise InputRefused("This database has no office profile yet; run init first.")
        if args.office_command == "set":
            changes = {
                field: getattr(args, field)
                for _o, field, _t in _OFFICE_OPTIONS
                if getattr(args, field) is not None
            }
            if "recipients" in changes:
                changes["recipients"] = [
                    part.strip() for part in changes["recipients"].split(";") if part.strip()
                ]
            current = profile.model_dump(include=set(ProfileInput.model_fields))
            try:
                data = ProfileInput(**current | changes)
            except ValueError as exc:
                raise InputRefused("The issuing agency, parent agency and place cannot be empty.") from exc
            profile = context.setup.update_profile(data)
            print(_("Office profile saved."))
    finally:
        context.close()
    labels = (
        (_("Issuing agency"), profile.office_name),
        (_("Parent agency"), profile.parent_agency),
        (_("Place (for the date line)"), profile.place_name),
        (_("Document number and symbol"), profile.document_symbol),
        (_("Signer"), profile.signer_name),
        (_("Signer's title"), profile.signer_title),
        (_("Signing for (KT.)"), profile.signing_for),
        (_("Recipients (Nơi nhận)"), "; ".join(profile.recipients)),
    )
    for label, value in labels:
        print(f"{label}: {value or '—'}")
    return EXIT_OK


def _run_office_certificate(args, paths, _, settings) -> int:
    context = _open(args, paths, settings)
    try:
        service = context.certificates
        if args.certificate_command == "image":
            return _run_signature_image(args, paths, _, settings)
        if args.certificate_command == "add":
            added = service.register_file(args.file, args.reason)
            print(_("Registered to sign for the office: {subject}", subject=added.subject))
        elif args.certificate_command == "remove":
            removed = service.remove(args.fingerprint, args.reason)
            print(_("No longer signs for the office: {subject}", subject=removed.subject))
        else:
            _print_office_certificates(service.registered(), _)
    finally:
        context.close()
    return EXIT_OK


def _run_signature_image(args, paths, _, settings) -> int:
    """office seal PNG / office certificate image FINGERPRINT PNG."""
    from crc_desktop.core.services.signature_images import SignatureImageService

    context = _open(args, paths, settings)
    try:
        images = SignatureImageService(context.database, context.actor)
        if args.office_command == "seal":
            images.register_seal(args.png)
        else:
            images.register_signature(args.fingerprint, args.png)
    finally:
        context.close()
    print(_("Image registered: {path}", path=str(args.png)))
    return EXIT_OK


def _print_office_certificates(certificates, _: Translator) -> None:
    if not certificates:
        print(_("No certificate is registered to sign for this office."))
    for certificate in certificates:
        print(certificate.subject)
        print(
            "    "
            + _(
                "issued by {issuer}; valid {start} to {end}; SHA-256 {fingerprint}",
                issuer=certificate.issuer,
                start=_.date(certificate.valid_from),
                end=_.date(certificate.valid_until),
                fingerprint=certificate.fingerprint,
            )
        )


def _run_keys(args, paths, _, settings) -> int:
    from crc_desktop.core.signing.keys import new_test_keys

    secret = _secret(args, _("Passphrase for the new key: "))
    files = new_test_keys(args.out, args.name, args.province, secret.encode("utf-8"))
    print(_("Key written to {path} (protected by the passphrase).", path=files.p12))
    print(
        _(
            "Certificate: {path}; give the ministry the CA certificate {ca}.",
            path=files.certificate,
            ca=files.ca_certificate,
        )
    )
    print(_("Fingerprint (SHA-256): {fingerprint}", fingerprint=files.fingerprint))
    return EXIT_OK


def _run_export(args, paths, _, settings) -> int:
    from crc_desktop.core.signing.keys import KeySource

    if bool(args.p12) == bool(args.pkcs11_lib):
        print(_("Give either --p12 FILE or --pkcs11-lib LIB with --token LABEL."), file=sys.stderr)
        return EXIT_USAGE
    if args.pkcs11_lib and not args.token:
        print(_("Give --token LABEL with --pkcs11-lib."), file=sys.stderr)
        return EXIT_USAGE
    if args.p12:
        key = KeySource(_secret(args, _("Passphrase: ")), p12=args.p12)
    else:
        key = KeySource(
            _secret(args, _("PIN: ")),
            library=args.pkcs11_lib,
            token=args.token,
            key_label=args.key_label,
            key_id=_key_id(args.key_id),
        )
    context = _open(args, paths, settings)
    try:
        result = context.export.sign_and_export(args.period, key, args.out, on=args.date, number=args.number)
    finally:
        context.close()
    print(_("Signed bundle written to {path}.", path=result.path))
    print(_("Version {sequence}; SHA-256 {sha256}.", sequence=result.sequence, sha256=result.sha256))
    if result.supersedes:
        print(_("It supersedes the bundle {sha256}.", sha256=result.supersedes))
    return EXIT_OK


def _key_id(text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise InputRefused("{text} is not a key id (hexadecimal digits).", text=text) from None


def _run_bundle(args, paths, _, settings) -> int:
    context = _open(args, paths, settings)
    try:
        result = context.export.save_bundle(args.period, args.out, sequence=args.sequence)
    finally:
        context.close()
    print(_("Signed bundle written to {path}.", path=result.path))
    print(_("Version {sequence}; SHA-256 {sha256}.", sequence=result.sequence, sha256=result.sha256))
    return EXIT_OK


def _run_tokens(args, paths, _, settings) -> int:
    from crc_desktop.core.signing.tokens import describe_module, find_modules, scan_tokens

    modules = find_modules(
        [*map(Path, settings.pkcs11_folders), *args.folder],
        [*([Path(settings.pkcs11_library)] if settings.pkcs11_library else []), *args.module],
    )
    scan = scan_tokens(modules)
    if not scan.modules:
        print(
            _(
                "No token module (PKCS#11) was found. Install your token's driver, or give its "
                "module file with --module."
            )
        )
        return EXIT_REFUSED
    print(_("Token modules (PKCS#11) found:"))
    for module in scan.modules:
        print(f"  {module.path} — {describe_module(module, _)}")
    print(_("Tokens plugged in:") if scan.tokens else _("No token is plugged in."))
    for token in scan.tokens:
        print(f"  {token}")
    for certificate in scan.certificates:
        print(
            _(
                "Certificate: {subject}, issued by {issuer}, valid until {end}",
                subject=certificate.subject,
                issuer=certificate.issuer,
                end=_.date(certificate.valid_until),
            )
        )
        key = f'--key-label "{certificate.label}"' if certificate.label else f"--key-id {certificate.key_id}"
        print(
            f'    crc-desktop export --pkcs11-lib "{certificate.module}" --token "{certificate.token}" {key}'
        )
    return EXIT_OK


def _run_trust(args, paths, _, settings) -> int:
    from crc_desktop.core.signing.trust import TrustRegistry

    registry = TrustRegistry(args.trust)
    if args.trust_command == "anchor":
        for entry in registry.add_anchor(args.certificate):
            print(_("Anchor added: {subject}", subject=entry.subject))
    elif args.trust_command == "add":
        for entry in registry.add(args.province, args.certificate):
            print(
                _(
                    "Registered for {province}: {subject}",
                    province=_province(entry.province),
                    subject=entry.subject,
                )
            )
    elif args.trust_command == "remove":
        for entry in registry.remove(args.fingerprint):
            print(_("Removed: {subject}", subject=entry.subject))
    else:
        _print_trust(registry, _)
    return EXIT_OK


def _province(code: str) -> str:
    from crc_desktop.core.signing.subjects import province_label

    return province_label(code)


def _print_trust(registry, _: Translator) -> None:
    entries = registry.entries()
    if not entries:
        print(_("The registry is empty."))
    for entry in entries:
        role = _("anchor") if entry.is_anchor else _province(entry.province)
        kind = _("CA") if entry.is_ca else _("signer")
        print(f"{role} — {kind}: {entry.subject}")
        print(
            "    "
            + _(
                "valid {start} to {end}; SHA-256 {fingerprint}",
                start=_.date(entry.valid_from),
                end=_.date(entry.valid_until),
                fingerprint=entry.fingerprint,
            )
        )
