"""The command line: the same services as the GUI, for scripting, support and tests.

Exit codes: 0 success, 1 input refused (the reason is printed in the user's language),
2 usage error. With no command, or `gui`, the desktop application starts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from crc_desktop import __version__
from crc_desktop.app import AppContext, Paths, configure_logging, load_settings, open_app, translator_for
from crc_desktop.cli_parsing import TranslatedArgumentParser, quiet_when_the_reader_leaves
from crc_desktop.cli_parsing import date_argument as _date_argument
from crc_desktop.core.errors import CrcError, InputRefused, Msgid
from crc_desktop.core.i18n import LANGUAGES, N_, Translator, python_speaking

if TYPE_CHECKING:  # the GUI starts through this module: it imports only what every command needs
    from crc_desktop.core.schemas.catalog import ImportReport
    from crc_desktop.core.schemas.office import DatabaseInfo

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # what shells report for Ctrl+C


def _parser(_: Translator) -> argparse.ArgumentParser:
    common = TranslatedArgumentParser(add_help=False, translate=_)
    common.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("language of messages (vi, en)"),
    )
    common.add_argument("--user", default=argparse.SUPPRESS, help=_("your name, recorded with your changes"))
    parser = TranslatedArgumentParser(
        translate=_,
        prog="crc-desktop",
        description=_(
            "CRC Desktop: the province's plan for Decision 27/QĐ-TTg, child indicators and signed reports."
        ),
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"crc-desktop {__version__}",
        help=_("show the program's version and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    db_help = _("database file")
    store_help = _("the national store: a file, or a PostgreSQL URL")
    period_help = _("the reporting period, e.g. 2025 or 2025-H1")
    out_help = _("the file to write")
    passphrase_help = _("a file whose first line is the key's passphrase")

    gui = commands.add_parser("gui", parents=[common], help=_("start the desktop application"))
    gui.add_argument("--db", type=Path, help=_("database file"))
    gui.add_argument("--demo", action="store_true", help=_("open a demo database in a temporary folder"))
    gui.add_argument("--screenshot", type=Path, help=_("save a PNG of the main window and exit"))
    gui.add_argument(
        "--size",
        type=_window_size,
        default=(1366, 768),
        metavar="WxH",
        help=_("the window's size for the screenshot, e.g. 1366x768"),
    )
    gui.add_argument(
        "--check-bundle",
        type=Path,
        metavar="BUNDLE",
        help=_("check a signed bundle in a window (the trusted certificates from the settings)"),
    )

    init = commands.add_parser("init", parents=[common], help=_("create a province's database"))
    init.add_argument("--db", type=Path, required=True, help=db_help)
    init.add_argument("--province", required=True, help=_("province code, e.g. 46"))

    demo = commands.add_parser("demo", parents=[common], help=_("build a demo database"))
    demo.add_argument("--db", type=Path, required=True, help=db_help)
    demo.add_argument("--scale", choices=("small", "large"), default="small", help=_("how much data"))
    demo.add_argument("--seed", type=int, default=1, help=_("the same seed gives the same data"))
    demo.add_argument("--province", default="46", help=_("province code, e.g. 46"))

    catalog = commands.add_parser("catalog", parents=[common], help=_("reference catalogues"))
    catalog_commands = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    load = catalog_commands.add_parser("import", parents=[common], help=_("import a catalogue file"))
    load.add_argument("--db", type=Path, required=True, help=db_help)
    load.add_argument("file", type=Path, help=_("the catalogue file (.json, .csv, .xlsx or a signed .zip)"))
    load.add_argument(
        "--kind",
        choices=("recommendations", "indicators", "communes", "agencies", "targets"),
        help=_("what a .csv or .xlsx file lists"),
    )
    load.add_argument("--dry-run", action="store_true", help=_("show what would change, change nothing"))
    load.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        help=_("for a signed package (.zip): the ministry's certificate"),
    )
    publish = catalog_commands.add_parser(
        "publish", parents=[common], help=_("the ministry: sign catalogue files into a reference package")
    )
    publish.add_argument("files", type=Path, nargs="+", help=_("the catalogue files"))
    publish.add_argument("--out", type=Path, required=True, help=_("the package file to write"))
    publish.add_argument("--p12", type=Path, required=True, help=_("a PKCS#12 (.p12/.pfx) key file"))
    publish.add_argument("--title", default="Danh mục tham chiếu", help=_("the package's title"))
    publish.add_argument("--passphrase-file", type=Path, help=passphrase_help)

    population = commands.add_parser(
        "population", parents=[common], help=_("the child population by commune, age band and sex")
    )
    population_commands = population.add_subparsers(
        dest="population_command", metavar="ACTION", required=True
    )
    population_load = population_commands.add_parser(
        "import", parents=[common], help=_("import a population table (.csv or .xlsx)")
    )
    population_load.add_argument("--db", type=Path, required=True, help=db_help)
    population_load.add_argument(
        "file", type=Path, help=_("the table: commune code, year, age band, sex, children")
    )
    population_load.add_argument("--year", type=int, help=_("the year, when the table has no year column"))
    population_load.add_argument("--source", default="", help=_("where the figures come from"))
    population_load.add_argument(
        "--dry-run", action="store_true", help=_("show what would change, change nothing")
    )
    info = commands.add_parser("info", parents=[common], help=_("what a database holds"))
    info.add_argument("--db", type=Path, required=True, help=db_help)

    check = commands.add_parser("check", parents=[common], help=_("is a period ready to sign?"))
    check.add_argument("--db", type=Path, required=True, help=db_help)
    check.add_argument("--period", required=True, help=period_help)
    check.add_argument(
        "--by",
        choices=("unit", "indicator"),
        default="unit",
        help=_("group the problems by unit or by indicator"),
    )
    check.add_argument("--all", action="store_true", help=_("list every problem of each group"))
    check.add_argument("--json", action="store_true", help=_("the groups and their problems as JSON"))

    period = commands.add_parser("period", parents=[common], help=_("reporting periods and their workflow"))
    period.add_argument(
        "action", choices=("create", "submit", "approve", "reopen"), help=_("the step to take")
    )
    period.add_argument("code", nargs="?", metavar=_("PERIOD"), help=_("the period, e.g. 2026 (or --period)"))
    period.add_argument("--db", type=Path, required=True, help=db_help)
    period.add_argument("--period", default=None, help=period_help)
    period.add_argument("--by", default=None, help=_("the name of the person taking this step"))
    period.add_argument(
        "--reason", default="", help=_("why (required to reopen, and to approve a period you submitted)")
    )

    report = commands.add_parser("report", parents=[common], help=_("the PDF report of a period"))
    report.add_argument(
        "what",
        nargs="?",
        choices=("pdf", "text", "docx", "drafts"),
        default="pdf",
        help=_(
            "pdf (default), docx, text (read or write what the office wrote in a section), or drafts "
            "(sentences drafted from the numbers)"
        ),
    )
    report.add_argument("--db", type=Path, required=True, help=db_help)
    report.add_argument("--period", required=True, help=period_help)
    report.add_argument("--out", type=Path, help=out_help)
    report.add_argument("--section", help=_("report text: the section, e.g. direction, results.2, proposals"))
    report.add_argument(
        "--set",
        dest="text_file",
        type=Path,
        help=_("report text: the file holding the section's new text (- for stdin)"),
    )
    report.add_argument("--reason", default="", help=_("why (a submitted or approved period needs one)"))
    report.add_argument("--template", type=Path, help=_("a report template (JSON) instead of the default"))
    report.add_argument(
        "--date", type=_date_argument, help=_("the report's date, dd/mm/yyyy (default: today)")
    )

    indicators = commands.add_parser("indicators", parents=[common], help=_("indicator values and Excel"))
    indicator_commands = indicators.add_subparsers(dest="indicators_command", metavar="ACTION", required=True)
    template = indicator_commands.add_parser(
        "export-template", parents=[common], help=_("write the Excel entry workbook of a period")
    )
    template.add_argument("--db", type=Path, required=True, help=db_help)
    template.add_argument("--period", required=True, help=period_help)
    template.add_argument("--out", type=Path, required=True, help=out_help)
    load_values = indicator_commands.add_parser(
        "import", parents=[common], help=_("read a filled entry workbook back")
    )
    load_values.add_argument("--db", type=Path, required=True, help=db_help)
    load_values.add_argument("--period", required=True, help=period_help)
    load_values.add_argument("file", type=Path, help=_("the filled entry workbook (.xlsx)"))
    load_values.add_argument(
        "--dry-run", action="store_true", help=_("show what would change, change nothing")
    )
    load_values.add_argument(
        "--reason", default="", help=_("why (needed when the period is submitted or approved)")
    )
    sdmx = indicator_commands.add_parser(
        "export-sdmx", parents=[common], help=_("write the values as SDMX-CSV")
    )
    sdmx.add_argument("--db", type=Path, required=True, help=db_help)
    sdmx.add_argument("--period", required=True, help=period_help)
    sdmx.add_argument("--out", type=Path, required=True, help=out_help)

    plan = commands.add_parser("plan", parents=[common], help=_("the plan and its progress"))
    plan_commands = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    plan_export = plan_commands.add_parser(
        "export", parents=[common], help=_("write the plan workbook (Excel)")
    )
    plan_export.add_argument("--db", type=Path, required=True, help=db_help)
    plan_export.add_argument("--period", required=True, help=period_help)
    plan_export.add_argument("--out", type=Path, required=True, help=out_help)
    plan_template = plan_commands.add_parser(
        "export-template", parents=[common], help=_("write a blank plan workbook to fill in")
    )
    plan_template.add_argument("--out", type=Path, required=True, help=out_help)
    plan_template.add_argument(
        "--db", type=Path, help=_("the office's database: its agencies become drop-down lists")
    )
    plan_import = plan_commands.add_parser(
        "import", parents=[common], help=_("bring the plan in from a plan workbook (Excel)")
    )
    plan_import.add_argument("--db", type=Path, required=True, help=db_help)
    plan_import.add_argument("file", type=Path, help=_("the plan workbook (.xlsx)"))
    plan_import.add_argument(
        "--dry-run", action="store_true", help=_("show what would change, change nothing")
    )
    plan_import.add_argument("--reason", default="", help=_("why (kept in the audit log)"))
    programme = plan_commands.add_parser(
        "programme", parents=[common], help=_("programmes the tasks are folded into (lồng ghép)")
    )
    programme.add_argument("action", choices=("list", "add", "fold", "fund"), help=_("the step to take"))
    programme.add_argument("--db", type=Path, required=True, help=db_help)
    programme.add_argument("--code", default="", help=_("the programme's code"))
    programme.add_argument("--name", default="", help=_("add: the programme's name"))
    programme.add_argument("--source", default="", help=_("add: the decision that approved it"))
    programme.add_argument("--parent", default="", help=_("add: the programme it is a child programme of"))
    programme.add_argument("--task", default="", help=_("fold, fund: the task's code"))
    programme.add_argument(
        "--into", default="", help=_("fold: the programmes' codes, separated by ; (empty: none)")
    )
    programme.add_argument("--year", type=int, help=_("fund: the budget line's fiscal year"))
    programme.add_argument(
        "--budget-source", choices=("state_budget", "oda", "social"), help=_("fund: the budget line's source")
    )
    programme.add_argument("--reason", default="", help=_("why (kept in the audit log)"))

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

    keys = commands.add_parser("keys", parents=[common], help=_("signing keys"))
    key_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    new_keys = key_commands.add_parser(
        "new", parents=[common], help=_("make a test key and certificate for a province (not a real CA)")
    )
    new_keys.add_argument("--out", type=Path, required=True, help=_("the folder for the key files"))
    new_keys.add_argument("--name", required=True, help=_("the signer, e.g. the office's name"))
    new_keys.add_argument("--province", required=True, help=_("province code, e.g. 46"))
    new_keys.add_argument("--passphrase-file", type=Path, help=passphrase_help)

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

    bundle = commands.add_parser("bundle", parents=[common], help=_("signed bundles kept in the database"))
    bundle_commands = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    save_bundle = bundle_commands.add_parser(
        "save", parents=[common], help=_("write a signed bundle again, the same bytes (no new signature)")
    )
    save_bundle.add_argument("--db", type=Path, required=True, help=db_help)
    save_bundle.add_argument("--period", required=True, help=period_help)
    save_bundle.add_argument("--out", type=Path, required=True, help=_("the bundle file, or a folder for it"))
    save_bundle.add_argument("--sequence", type=int, help=_("which version (default: the last signed one)"))

    verify = commands.add_parser("verify", parents=[common], help=_("check a signed bundle"))
    verify.add_argument("bundle", type=Path, help=_("the bundle file (.zip)"))
    verify.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        help=_("a trusted certificate (PEM) or a folder of them"),
    )

    backup = commands.add_parser("backup", parents=[common], help=_("copy the database safely"))
    backup.add_argument("--db", type=Path, required=True, help=db_help)
    backup.add_argument("--out", type=Path, help=_("the copy (default: the backups folder)"))
    restore = commands.add_parser(
        "restore", parents=[common], help=_("replace the database by a checked copy")
    )
    restore.add_argument("--db", type=Path, required=True, help=db_help)
    restore.add_argument(
        "file", type=Path, nargs="?", help=_("the backup to put in its place (without it: list the backups)")
    )

    consolidate = commands.add_parser(
        "consolidate",
        parents=[common],
        help=_("the ministry: verify bundles and load them into the national store"),
    )
    consolidate.add_argument("--db", required=True, help=store_help)
    consolidate.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        help=_("the provinces' certificates (files named <code>-….pem bind to a province)"),
    )
    consolidate.add_argument("bundles", type=Path, nargs="+", help=_("bundle files or folders of them"))

    ministry = commands.add_parser("ministry", parents=[common], help=_("the ministry's national views"))
    ministry_commands = ministry.add_subparsers(dest="ministry_command", metavar="ACTION", required=True)
    national = ministry_commands.add_parser(
        "export", parents=[common], help=_("write the national workbook (Excel)")
    )
    national.add_argument("--db", required=True, help=store_help)
    national.add_argument("--period", required=True, help=period_help)
    national.add_argument("--out", type=Path, required=True, help=out_help)
    national.add_argument(
        "--due", type=_date_argument, help=_("the deadline, dd/mm/yyyy: later bundles are late")
    )
    national_pdf = ministry_commands.add_parser(
        "report", parents=[common], help=_("write the national summary (PDF)")
    )
    national_pdf.add_argument("--db", required=True, help=store_help)
    national_pdf.add_argument("--period", required=True, help=period_help)
    national_pdf.add_argument("--out", type=Path, required=True, help=out_help)
    for option, field, text in _OFFICE_OPTIONS[4:]:
        national_pdf.add_argument(option, dest=field, default="", help=_(text))
    national_pdf.add_argument(
        "--due", type=_date_argument, help=_("the deadline, dd/mm/yyyy: later bundles are late")
    )
    national_pdf.add_argument(
        "--number", default="", help=_("the document's number the clerk gives, e.g. 125")
    )
    national_pdf.add_argument(
        "--symbol", default="", help=_("the document's symbol (default BC- and the unit's initials)")
    )
    national_pdf.add_argument("--to", default="", help=_("the addressee (Kính gửi)"))
    national_pdf.add_argument(
        "--date", type=_date_argument, help=_("the report's date, dd/mm/yyyy (default: today)")
    )
    window = ministry_commands.add_parser("window", parents=[common], help=_("open the ministry's window"))
    window.add_argument("--db", required=True, help=store_help)
    window.add_argument("--trust", type=Path, help=_("the folder of the provinces' certificates"))
    window.add_argument("--screenshot", type=Path, help=_("save a PNG of the main window and exit"))

    _collect_parser(commands, common, _, db_help, period_help)

    tokens = commands.add_parser(
        "tokens", parents=[common], help=_("the USB tokens found: modules, tokens and certificates")
    )
    tokens.add_argument(
        "--module", type=Path, action="append", default=[], help=_("a token's PKCS#11 module file to add")
    )
    tokens.add_argument(
        "--folder", type=Path, action="append", default=[], help=_("a folder to search for modules")
    )

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

    audit = commands.add_parser("audit", parents=[common], help=_("the audit log"))
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_commands.add_parser(
        "verify", parents=[common], help=_("check that no entry was changed outside the program")
    )
    verify.add_argument("--db", type=Path, required=True, help=db_help)

    guide = commands.add_parser("guide", parents=[common], help=_("write the user guide (PDF)"))
    guide.add_argument("--out", type=Path, required=True, help=out_help)
    return parser


def _collect_parser(commands, common, _: Translator, db_help: str, period_help: str) -> None:
    collect = commands.add_parser(
        "collect", parents=[common], help=_("the collection round: forms for communes and agencies")
    )
    actions = collect.add_subparsers(dest="collect_command", metavar="ACTION", required=True)
    forms = actions.add_parser("forms", parents=[common], help=_("write one form per commune or agency"))
    forms.add_argument("--db", type=Path, required=True, help=db_help)
    forms.add_argument("--period", required=True, help=period_help)
    forms.add_argument(
        "--for", dest="kind", choices=("communes", "agencies", "all"), default="all", help=_("whose forms")
    )
    forms.add_argument("--out", type=Path, required=True, help=_("the folder for the forms"))
    forms.add_argument("--units", default="", help=_("only these units: codes separated by commas"))
    load = actions.add_parser("import", parents=[common], help=_("load the returned forms"))
    load.add_argument("--db", type=Path, required=True, help=db_help)
    load.add_argument("--period", required=True, help=period_help)
    load.add_argument("files", type=Path, nargs="+", help=_("returned forms (.xlsx) or folders of them"))
    load.add_argument("--dry-run", action="store_true", help=_("show what would change, change nothing"))
    load.add_argument("--reason", default="", help=_("why (needed when the period is submitted or approved)"))
    status = actions.add_parser("status", parents=[common], help=_("who has returned their form"))
    status.add_argument("--db", type=Path, required=True, help=db_help)
    status.add_argument("--period", required=True, help=period_help)
    status.add_argument("--json", action="store_true", help=_("print the board as JSON"))
    exempt = actions.add_parser(
        "exempt", parents=[common], help=_('mark a unit "no report expected" in a period, with the reason')
    )
    exempt.add_argument("unit", metavar=_("UNIT"), help=_("the commune's or agency's code"))
    exempt.add_argument("--db", type=Path, required=True, help=db_help)
    exempt.add_argument("--period", required=True, help=period_help)
    exempt.add_argument("--reason", default="", help=_("why no report is expected (empty: undo)"))

    listing = commands.add_parser(
        "list", parents=[common], help=_("the names and codes of a database (to type them elsewhere)")
    )
    listing.add_argument(
        "what",
        choices=("communes", "agencies", "indicators", "recommendations", "periods"),
        help=_("what to list"),
    )
    listing.add_argument("--db", type=Path, required=True, help=db_help)
    listing.add_argument("--json", action="store_true", help=_("as JSON"))


_GUI_OPTIONS_WITH_VALUES = ("--lang", "--user", "--db", "--screenshot", "--size", "--check-bundle")


def _with_default_command(argv: list[str]) -> list[str]:
    """`crc-desktop --demo` means `crc-desktop gui --demo`; a mistyped command is left for the
    parser to name (with the closest command), not taken for the window's arguments."""
    if argv[:1] and argv[0] in ("-h", "--help", "--version"):
        return argv
    if any(arg in _HANDLERS for arg in argv) or _bare_words(argv):
        return argv
    return ["gui", *argv]


def _bare_words(argv: list[str]) -> list[str]:
    """The arguments that are neither an option nor the value of one."""
    words, expects_value = [], False
    for arg in argv:
        if expects_value:
            expects_value = False
        elif arg.startswith("-"):
            expects_value = arg in _GUI_OPTIONS_WITH_VALUES
        else:
            words.append(arg)
    return words


def _language_hint(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    with quiet_when_the_reader_leaves():
        return _main(args_list)


# the arguments that name files (or folders) a command reads, checked once for every command
_INPUT_FILES = {"file", "bundle", "certificate", "p12", "passphrase_file", "template", "module", "pkcs11_lib"}
_INPUT_FILES_OR_FOLDERS = {"files", "bundles"}
_TRUST_READERS = {"verify", "consolidate", "catalog"}  # `trust add|anchor` may make the folder


def _check_input_files(args) -> None:
    """A missing or unreadable file named on the command line gets one sentence, before the command
    starts (never "unexpected error" from deep inside)."""
    names = dict.fromkeys(_INPUT_FILES, False) | dict.fromkeys(_INPUT_FILES_OR_FOLDERS, True)
    if args.command in _TRUST_READERS:
        names["trust"] = True
    names["folder"] = True
    for dest, folder_allowed in names.items():
        value = getattr(args, dest, None)
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, Path):
                _check_input_file(path, folder_allowed=folder_allowed or dest == "folder")


def _check_input_file(path: Path, *, folder_allowed: bool) -> None:
    if not path.exists():
        reason = N_("the file does not exist")
    elif path.is_dir() and not folder_allowed:
        reason = N_("it is a folder, not a file")
    elif not os.access(path, os.R_OK):
        reason = N_("there is no permission to read it")
    else:
        return
    raise InputRefused("{path} cannot be read: {error}", path=str(path), error=Msgid(reason))


def _main(args_list: list[str]) -> int:
    paths = Paths.for_user()
    configure_logging(paths)
    settings = load_settings(paths)
    _ = translator_for(_language_hint(args_list), settings)
    with python_speaking(_.language):  # argparse's own words in the user's language
        args = _parser(_).parse_args(_with_default_command(args_list))
    args.lang = getattr(args, "lang", None)
    args.user = getattr(args, "user", None)
    _remove_leftovers(args, paths)
    handler = _HANDLERS[args.command]
    try:
        _refuse_a_database_on_a_network_drive(args)
        _check_input_files(args)
        return handler(args, paths, _, settings)
    except CrcError as error:
        _print_error(error, _)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print(_("Stopped by the user."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        from crc_desktop.core.crash import write_crash_report

        report = write_crash_report(paths.logs, error, action=" ".join(args_list[:2]))
        print(
            _("Unexpected error. A report was written to {path}.", path=str(report)),
            file=sys.stderr,
        )
        return EXIT_REFUSED


def _refuse_a_database_on_a_network_drive(args) -> None:
    """Every command's --db, before it is read (the window refuses in its own dialog: a windowed
    program has no console to print to)."""
    from crc_desktop.core.db.identity import is_url
    from crc_desktop.core.db.location import require_on_this_computer

    db = getattr(args, "db", None)
    if db is not None and args.command != "gui" and not is_url(db):
        require_on_this_computer(db)


def _remove_leftovers(args, paths: Paths) -> None:
    """What killed runs left (demo folders, partial files) goes at the next start."""
    from crc_desktop.core.leftovers import remove_leftovers

    folders = [paths.data, paths.backups]
    if paths.backups.is_dir():
        folders += [folder for folder in paths.backups.iterdir() if folder.is_dir()]
    for value in (getattr(args, "db", None), getattr(args, "out", None)):
        if isinstance(value, Path):
            folders.append(value.parent if value.suffix else value)
    remove_leftovers(folders)


def _print_error(error: CrcError, _: Translator) -> None:
    print(_("Error: {message}", message=error.render(_)), file=sys.stderr)
    for problem in getattr(error, "problems", []):
        print(f"  - {problem.render(_)}", file=sys.stderr)


def _open(args, paths: Paths, settings, *, create: bool = False) -> AppContext:
    return open_app(args.db, paths, create=create, user_name=args.user or settings.user_name)


def _run_init(args, paths, _, settings) -> int:
    if args.db.exists():
        raise InputRefused("{path} already exists; choose a new file.", path=str(args.db))
    context = None
    try:
        context = _open(args, paths, settings, create=True)
        profile = context.setup.init(args.province)
        context.close()
    except CrcError:
        if context is not None:
            context.close()  # first: Windows refuses to delete a file a pooled connection holds open
        args.db.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        raise
    print(_("Created {path} for {province}.", path=str(args.db), province=profile.province_name))
    return EXIT_OK


def _run_demo(args, paths, _, settings) -> int:
    if args.db.exists():
        raise InputRefused("{path} already exists; choose a new file.", path=str(args.db))
    context = _open(args, paths, settings, create=True)
    try:
        info = context.demo.build(args.scale, args.seed, province=args.province)
    finally:
        context.close()
    print(
        _(
            "Demo database {path} created (scale {scale}, seed {seed}).",
            path=str(args.db),
            scale=args.scale,
            seed=args.seed,
        )
    )
    _print_info(info, _)
    return EXIT_OK


def _run_catalog(args, paths, _, settings) -> int:
    if args.catalog_command == "publish":
        return _publish(args, _)
    context = _open(args, paths, settings)
    try:
        if args.file.suffix.lower() == ".zip":
            reports = context.catalog.import_package(args.file, args.trust, dry_run=args.dry_run)
        else:
            reports = [context.catalog.import_file(args.file, kind=args.kind, dry_run=args.dry_run)]
    finally:
        context.close()
    for report in reports:
        _print_import(report, _)
    return EXIT_OK


def _run_population(args, paths, _, settings) -> int:
    from crc_desktop.core.services.population import PopulationService

    context = _open(args, paths, settings)
    try:
        done = PopulationService(context.database, context.actor).import_file(
            args.file, year=args.year, source=args.source, dry_run=args.dry_run
        )
    finally:
        context.close()
    print(_("Dry run: nothing was changed.") if done.dry_run else _("Imported."))
    print(
        _(
            "{rows} rows, {communes} communes, years {years}.",
            rows=done.rows,
            communes=done.communes,
            years=", ".join(map(str, done.years)),
        )
    )
    return EXIT_OK


def _publish(args, _) -> int:
    from crc_desktop.core.files import write_atomically
    from crc_desktop.core.signing.keys import load_p12
    from crc_desktop.core.signing.package import build_package

    material = load_p12(args.p12, _secret(args, _("Passphrase: ")).encode("utf-8"))
    package = build_package(args.files, args.title, material)
    write_atomically(args.out, lambda stream: stream.write(package))
    print(
        _(
            "Reference package written to {path}, signed by {signer}.",
            path=str(args.out),
            signer=material.subject,
        )
    )
    return EXIT_OK


def _print_import(report: ImportReport, _: Translator) -> None:
    title = _("Dry run: nothing was changed.") if report.dry_run else _("Imported.")
    print(title)
    print(
        _(
            "{added} added, {changed} changed, {unchanged} unchanged.",
            added=report.counts.added,
            changed=report.counts.changed,
            unchanged=report.counts.unchanged,
        )
    )
    for label in report.added:
        print(f"  + {label}")
    for label in report.changed:
        print(f"  ~ {label}")


def _run_info(args, paths, _, settings) -> int:
    context = _open(args, paths, settings)
    try:
        _print_info(context.setup.info(), _)
    finally:
        context.close()
    return EXIT_OK


def _print_info(info: DatabaseInfo, _: Translator) -> None:
    print(_("Database: {path} (schema {revision})", path=info.path, revision=info.schema_revision))
    if info.is_demo:
        print(_("DEMO DATA: not real figures."))
    if info.profile:
        print(
            _(
                "Province: {name} ({code})",
                name=info.profile.province_name,
                code=info.profile.province_code,
            )
        )
        print(_("Office: {name}", name=info.profile.office_name))
    labels = {
        "communes": _("Communes"),
        "agencies": _("Agencies"),
        "recommendations": _("Recommendations"),
        "indicators": _("Indicators"),
        "tasks": _("Plan tasks"),
        "periods": _("Periods"),
        "values": _("Indicator values"),
        "audit_entries": _("Audit entries"),
    }
    for key, label in labels.items():
        print(f"  {label}: {_.number(info.counts.get(key, 0), 0)}")
    for period in info.periods:
        print(
            _(
                "  Period {code}: {state} (version {version})",
                code=period.code,
                state=_.state(period.state),
                version=period.version,
            )
        )


def _run_gui(args, paths, _, settings) -> int:
    if getattr(args, "check_bundle", None) is not None:
        from crc_desktop.gui.main import run_bundle_check  # Explorer's "check this bundle"

        return run_bundle_check(
            args.check_bundle, paths, settings, language=args.lang, screenshot=args.screenshot
        )
    if args.demo and args.db is None:
        from crc_desktop.core.leftovers import demo_folder

        # a throw-away database, with its backups, in a folder removed when the window closes
        # (or, if the program is killed, at the next start)
        with demo_folder() as folder:
            demo_paths = Paths(data=folder, config=paths.config, logs=paths.logs, keys_home=paths.data)
            return _run_gui_on(args, folder / "demo.db", demo_paths, settings)
    db_path = args.db
    if db_path is None:
        db_path = Path(settings.last_database) if settings.last_database else paths.default_database
    return _run_gui_on(args, db_path, paths, settings)


def _run_gui_on(args, db_path: Path, paths, settings) -> int:
    from crc_desktop.gui.main import run_gui  # Qt is loaded only when the GUI starts

    if args.demo and not db_path.exists():
        context = _open(argparse.Namespace(db=db_path, user=args.user), paths, settings, create=True)
        context.demo.build("small", 1)
        context.close()
    return run_gui(
        db_path,
        paths,
        settings,
        language=args.lang,
        screenshot=args.screenshot,
        size=getattr(args, "size", (1366, 768)),
        user_name=args.user,
        remember=not args.demo,
    )


def _run_check(args, paths, _, settings) -> int:
    from crc_desktop.core.rules.check_groups import counts_text, group_heading

    context = _open(args, paths, settings)
    try:
        summary = context.readiness.summary(args.period, by=args.by)
    finally:
        context.close()
    if args.json:
        import json

        print(json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return EXIT_OK if summary.ready else EXIT_REFUSED
    if summary.counts:
        print(
            _(
                "Period {code}: {blocking} problems block signing, {warnings} warnings: {counts}.",
                code=summary.period,
                blocking=_.number(summary.blocking, 0),
                warnings=_.number(summary.warnings, 0),
                counts=counts_text(summary.counts, _),
            )
        )
    shown = None if args.all else CHECK_LINES_PER_GROUP
    for group in summary.groups:
        print(f"{'✗' if group.blocking else '!'} {group_heading(group, _)}")
        hints = set()  # each hint once per group
        for entry in group.entries[:shown]:
            problem = entry.problem
            where = f"{entry.where}: " if entry.where else ""
            hint = f" → {_(problem.hint)}" if problem.hint and problem.hint not in hints else ""
            hints.add(problem.hint)
            sign = "✗" if problem.severity == "error" else "!"
            print(f"    {sign} {where}{_(problem.message, **problem.params)}{hint}")
        if shown is not None and len(group.entries) > shown:
            print("    " + _("… and {count} more (--all lists them)", count=len(group.entries) - shown))
    if summary.ready:
        print(
            _(
                "Period {code} is ready to sign ({count} warnings).",
                code=summary.period,
                count=summary.warnings,
            )
        )
        return EXIT_OK
    print(
        _(
            "Period {code} is not ready to sign: {count} problems block it.",
            code=summary.period,
            count=summary.blocking,
        ),
        file=sys.stderr,
    )
    return EXIT_REFUSED


CHECK_LINES_PER_GROUP = 5  # a group's first entries; `--all` lists the rest


def _run_period(args, paths, _, settings) -> int:
    args.period = args.period or args.code
    if not args.period or (args.code and args.code != args.period):
        print(_("Give the period once: `period create 2026` or `--period 2026`."), file=sys.stderr)
        return EXIT_USAGE
    args.user = args.by or args.user
    if args.action != "create" and not (args.user or settings.user_name or "").strip():
        print(
            _('Say who takes this step: --by "Full name" (or set your name in the program\'s Settings).'),
            file=sys.stderr,
        )
        return EXIT_REFUSED
    context = _open(args, paths, settings)
    try:
        service = context.periods
        if args.action == "create":
            status = service.create(args.period)
        elif args.action == "submit":
            status = service.submit(args.period)
        elif args.action == "approve":
            status = service.approve(args.period, args.reason)
        else:
            status = service.reopen(args.period, args.reason)
    finally:
        context.close()
    print(
        _(
            "Period {code}: {state} (version {version}).",
            code=status.code,
            state=_.state(status.state),
            version=status.version,
        )
    )
    return EXIT_OK


def _window_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit() and int(width) >= 640 and int(height) >= 480):
        raise CrcError(
            "{text} is not a window size: write width x height, e.g. 1366x768 (at least 640x480).", text=text
        )
    return int(width), int(height)


def _run_report(args, paths, _, settings) -> int:
    if args.what not in ("text", "drafts") and args.out is None:
        print(_("Give --out FILE for the report."), file=sys.stderr)
        return EXIT_USAGE
    context = _open(args, paths, settings)
    try:
        if args.what == "text":
            return _report_text(args, context, _)
        if args.what == "drafts":
            for sentence in context.reports.drafts(args.period):
                print(f"[{sentence.section}] {sentence.text}")
            return EXIT_OK
        write = context.reports.docx if args.what == "docx" else context.reports.pdf
        result = write(args.period, args.out, template=args.template, on=args.date)
    finally:
        context.close()
    print(_("Report written to {path} (data hash {digest}).", path=result.path, digest=result.digest))
    return EXIT_OK


def _report_text(args, context, _) -> int:
    """`report text`: print the sections (or one), or set one from a file."""
    if args.text_file is not None:
        if not args.section:
            print(_("Give --section with --set."), file=sys.stderr)
            return EXIT_USAGE
        raw = sys.stdin.read() if str(args.text_file) == "-" else args.text_file.read_text("utf-8-sig")
        saved = context.reports.save_text(args.period, args.section, raw, args.reason)
        done = (
            _("Section {section} saved.", section=saved.section) if saved.changed else _("Nothing changed.")
        )
        print(done)
        return EXIT_OK
    text = context.reports.text(args.period)
    if args.section:
        print(text.of(args.section))
        return EXIT_OK
    for section in text.sections:
        print(f"[{section.key}]")
        print(section.text)
        print()
    return EXIT_OK


def _run_indicators(args, paths, _, settings) -> int:
    context = _open(args, paths, settings)
    try:
        if args.indicators_command == "export-template":
            result = context.reports.entry_workbook(args.period, args.out)
            print(_("Entry workbook written to {path}.", path=result.path))
        elif args.indicators_command == "export-sdmx":
            result = context.reports.sdmx_csv(args.period, args.out)
            print(_("SDMX-CSV written to {path}.", path=result.path))
        else:
            outcome = context.reports.import_entries(
                args.period, args.file, dry_run=args.dry_run, reason=args.reason
            )
            print(_("Dry run: nothing was changed.") if outcome.dry_run else _("Imported."))
            print(
                _(
                    "{changed} values changed, {unchanged} unchanged.",
                    changed=len(outcome.changed),
                    unchanged=outcome.unchanged,
                )
            )
            for change in outcome.changed:
                print(f"  {change.line(_)}")
    finally:
        context.close()
    return EXIT_OK


def _run_programme(args, paths, _, settings) -> int:
    """plan programme list|add|fold|fund."""
    from crc_desktop.core.schemas.programmes import Programme
    from crc_desktop.core.services.programmes import ProgrammeService

    context = _open(args, paths, settings)
    try:
        service = ProgrammeService(context.database, context.actor)
        if args.action == "add":
            programme = Programme(code=args.code, name=args.name, source=args.source, parent=args.parent)
            service.add(programme)
        elif args.action == "fold":
            codes = [part.strip() for part in args.into.split(";") if part.strip()]
            service.fold(args.task, codes, args.reason)
        elif args.action == "fund":
            service.fund(args.task, args.year, args.budget_source, args.code or None)
        else:
            uses = {use.code: use for use in service.uses()}
            for item in service.catalogue():
                use = uses.get(item.code)
                print(f"{item.code}: {item.name} — {item.source}")
                if use:
                    print("    " + _("tasks folded in: {tasks}", tasks=", ".join(use.tasks) or "—"))
            return EXIT_OK
    finally:
        context.close()
    print(_("Saved."))
    return EXIT_OK


def _run_plan(args, paths, _, settings) -> int:
    if args.plan_command == "programme":
        return _run_programme(args, paths, _, settings)
    if args.plan_command == "export-template":
        from crc_desktop.core.services.lists import ListService
        from crc_desktop.core.services.plan_import import write_template

        agencies = None
        if args.db is not None:
            context = _open(args, paths, settings)
            try:
                agencies = [
                    row[1] for row in ListService(context.database, context.actor).names("agencies").rows
                ]
            finally:
                context.close()
        print(_("Blank plan workbook written to {path}.", path=str(write_template(args.out, agencies))))
        return EXIT_OK
    context = _open(args, paths, settings)
    try:
        if args.plan_command == "import":
            report = context.plan.import_workbook(args.file, dry_run=args.dry_run, reason=args.reason)
        else:
            result = context.reports.plan_workbook(args.period, args.out)
    finally:
        context.close()
    if args.plan_command == "export":
        print(_("Plan workbook written to {path}.", path=result.path))
        return EXIT_OK
    print(_("Dry run: nothing was changed.") if report.dry_run else _("Imported."))
    print(
        _(
            "{added} tasks added, {changed} changed, {deleted} deleted, {unchanged} unchanged.",
            added=len(report.added),
            changed=len(report.changed),
            deleted=len(report.deleted),
            unchanged=report.unchanged,
        )
    )
    for sign, codes in (("+", report.added), ("~", report.changed), ("-", report.deleted)):
        for code in codes:
            print(f"  {sign} {code}")
    return EXIT_OK


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


def _secret(args, prompt: str) -> str:
    """A passphrase or PIN: from --passphrase-file, CRC_PASSPHRASE, or a prompt; never echoed or kept."""
    if getattr(args, "passphrase_file", None):
        try:
            return args.passphrase_file.read_text("utf-8").splitlines()[0]
        except (OSError, IndexError):
            raise InputRefused(
                "Cannot read a passphrase from {path}.", path=str(args.passphrase_file)
            ) from None
    if os.environ.get("CRC_PASSPHRASE"):
        return os.environ["CRC_PASSPHRASE"]
    if sys.stdin is None or not sys.stdin.isatty():  # no console: a windowed program
        raise InputRefused("No passphrase: use --passphrase-file or CRC_PASSPHRASE, or run in a terminal.")
    import getpass

    return getpass.getpass(prompt)


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


def _run_verify(args, paths, _, settings) -> int:
    from crc_desktop.core.services.export import verify

    outcome = verify(args.bundle, args.trust)
    for check in outcome.checks:
        mark = "✓" if check.ok else "✗"
        print(f"{mark} {_check_name(check.name, _)}: {_(check.detail, **check.params)}")
    if outcome.valid:
        manifest = outcome.manifest
        print(
            _(
                "Valid: {province}, period {period}, version {sequence}.",
                province=manifest.province.name,
                period=manifest.period,
                sequence=manifest.sequence,
            )
        )
        return EXIT_OK
    print(_("Refused: {reason}", reason=_(outcome.failure.detail, **outcome.failure.params)), file=sys.stderr)
    return EXIT_REFUSED


def _check_name(name: str, _: Translator) -> str:
    from crc_desktop.core.signing.bundle import CHECK_NAMES

    return _(CHECK_NAMES.get(name, name))


def _run_backup(args, paths, _, settings) -> int:
    from crc_desktop.core.db.identity import require_file
    from crc_desktop.core.services.backup import make_backup

    require_file(args.db)
    if not args.db.exists():
        raise InputRefused("There is no database at {path}.", path=str(args.db))
    info = make_backup(args.db, args.out, paths.backups)
    print(_("Backup written to {path} ({size} bytes), checked.", path=info.path, size=_.number(info.size, 0)))
    return EXIT_OK


def _run_restore(args, paths, _, settings) -> int:
    from crc_desktop.core.db.identity import require_file
    from crc_desktop.core.services.backup import adopt_shared_copies, list_backups, restore

    require_file(args.db)
    if args.file is None:
        if not args.db.is_file():
            raise InputRefused("There is no database at {path}.", path=str(args.db))
        adopt_shared_copies(args.db, paths.backups)  # copies an older version left in the shared folder
        copies = list_backups(args.db, paths.backups)
        print(_("Backups of {path}: {count}", path=str(args.db), count=len(copies)))
        for copy in copies:
            print(f"  {copy.path}  ({_.number(copy.size, 0)} B)")
        return EXIT_OK

    info = restore(args.db, args.file, paths.backups)
    print(
        _(
            "The database {path} was restored from {source}; the earlier content was backed up first.",
            path=info.path,
            source=str(args.file),
        )
    )
    return EXIT_OK


def _open_store(args, paths, settings):
    from crc_desktop.core.db.uow import Actor
    from crc_desktop.core.ministry.store import open_store

    return open_store(str(args.db), paths.backups), Actor.current(args.user or settings.user_name)


def _run_consolidate(args, paths, _, settings) -> int:
    from crc_desktop.core.ministry.consolidate import ConsolidationService

    store, actor = _open_store(args, paths, settings)
    try:
        report = ConsolidationService(store, actor).consolidate(args.bundles, args.trust)
    finally:
        store.close()
    from crc_desktop.core.rules.vocabulary import label

    for outcome in report.outcomes:
        line = f"{outcome.file}: {label(outcome.status, _)}"
        if outcome.status == "refused":
            line += f" — {_(outcome.detail, **outcome.params)}"
        elif outcome.status == "loaded" and not outcome.current:
            line += " " + _("(an older version: kept as history)")
        print(line)
    print(
        _(
            "{loaded} loaded, {skipped} skipped, {refused} refused.",
            loaded=len(report.of("loaded")),
            skipped=len(report.of("skipped")),
            refused=len(report.of("refused")),
        )
    )
    return EXIT_REFUSED if report.of("refused") else EXIT_OK


def _run_ministry(args, paths, _, settings) -> int:
    from crc_desktop.core.ministry.views import NationalViews

    if args.ministry_command == "window":
        from crc_desktop.gui.main import run_ministry_gui

        store, _actor = _open_store(args, paths, settings)
        return run_ministry_gui(store, args.trust or paths.data / "ministry-trust", _, paths, args.screenshot)
    store, actor = _open_store(args, paths, settings)
    try:
        views = NationalViews(store, actor)
        if args.ministry_command == "report":
            from crc_desktop.core.reporting.pdf import Signer

            signer = Signer(
                title=args.signer_title,
                name=args.signer_name,
                signing_for=args.signing_for,
                recipients=[part.strip() for part in args.recipients.split(";") if part.strip()]
                or ["Như trên", "Lưu: VT"],
            )
            path = views.report(
                args.period,
                args.out,
                args.due,
                args.date,
                signer=signer,
                number=args.number,
                symbol=args.symbol,
                to=args.to,
            )
            print(_("National summary written to {path}.", path=str(path)))
        else:
            path = views.workbook(args.period, args.out, args.due)
            print(_("National workbook written to {path}.", path=str(path)))
    finally:
        store.close()
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


def _run_audit(args, paths, _, settings) -> int:
    context = _open(args, paths, settings)
    try:
        report = context.audit.verify()
    finally:
        context.close()
    if report.intact:
        print(
            _(
                "Audit log intact: {count} entries, head {head}.",
                count=report.entries,
                head=report.head,
            )
        )
        return EXIT_OK
    print(
        _(
            "Audit log broken at entry {id}: {reason}.",
            id=report.broken_at,
            reason=_(report.reason),
        ),
        file=sys.stderr,
    )
    return EXIT_REFUSED


def _run_collect(args, paths, _, settings) -> int:
    context = _open(args, paths, settings)
    try:
        if args.collect_command == "forms":
            units = [u for u in args.units.split(",") if u.strip()] or None
            written = context.collection.forms(args.period, args.out, kind=args.kind, units=units)
            for path in written.files:
                print(f"  {path}")
            print(_("{count} forms written to {folder}.", count=len(written.files), folder=written.folder))
            return EXIT_OK
        if args.collect_command == "status":
            return _print_round(context.collection.status(args.period), args.json, _)
        if args.collect_command == "exempt":
            return _exempt(context, args, _)
        result = context.collection.import_files(
            args.period, args.files, dry_run=args.dry_run, reason=args.reason
        )
    finally:
        context.close()
    return _print_returns(result, _)


def _exempt(context, args, _: Translator) -> int:
    """Mark a unit (a commune or an agency, found by its code) "no report expected"."""
    unit = next(
        (u for u in context.collection.status(args.period).units if u.code == args.unit.strip()), None
    )
    kind = unit.kind if unit else ("commune" if args.unit.strip().isdigit() else "agency")
    context.collection.exempt(args.period, kind, args.unit.strip(), args.reason)
    if args.reason.strip():
        print(_("{unit}: no report expected in period {code}.", unit=args.unit.strip(), code=args.period))
    else:
        print(
            _(
                "{unit}: a report is expected again in period {code}.",
                unit=args.unit.strip(),
                code=args.period,
            )
        )
    return EXIT_OK


def _run_list(args, paths, _, settings) -> int:
    from crc_desktop.core.services.lists import ListService

    context = _open(args, paths, settings)
    try:
        names = ListService(context.database, context.actor).names(args.what)
    finally:
        context.close()
    if args.json:
        import json

        data = [dict(zip(names.columns, row, strict=True)) for row in names.rows]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    print("\t".join(_(column) for column in names.columns))
    for row in names.rows:
        if args.what == "periods":
            row = [row[0], _.state(row[1]), *row[2:]]
        print("\t".join(row))
    return EXIT_OK


def _print_returns(result, _: Translator) -> int:
    for outcome in result.outcomes:
        said, *problems = outcome.lines(_)
        print(said)
        for problem in problems:
            print(f"  - {problem}")
    if result.dry_run:
        print(_("Dry run: nothing was changed."))
    print(
        _(
            "{loaded} files loaded, {skipped} skipped, {refused} refused.",
            loaded=len(result.of("loaded")),
            skipped=len(result.of("skipped")),
            refused=len(result.of("refused")),
        )
    )
    if result.of("blank"):
        print(_("{count} forms came back blank: not counted as returned.", count=len(result.of("blank"))))
    return EXIT_REFUSED if result.of("refused") else EXIT_OK


def _print_round(status, as_json: bool, _: Translator) -> int:
    if as_json:
        import json

        data = status.model_dump(mode="json")
        data.update(
            expected=status.expected,
            returned=status.returned,
            blank=sum(1 for u in status.units if u.state == "blank"),
            refused=sum(1 for u in status.units if u.state == "refused"),
        )
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    from crc_desktop.core.rules.vocabulary import label

    for unit in status.units:
        line = f"{unit.code:<8} {unit.name:<40} {label(unit.state, _)}"
        if unit.state == "returned":
            line += f" {unit.returned_at:%d/%m/%Y %H:%M} — {unit.file}"
        elif unit.state == "exempt":
            line += f" — {unit.exempt_reason}"
        elif unit.state in ("blank", "refused"):
            line += f" — {unit.last_file}" + (f": {unit.refusal.render(_)}" if unit.refusal else "")
        line += "   " + _("{values} values, {problems} problems", values=unit.values, problems=unit.problems)
        print(line)
    print(
        _(
            "Period {code}: {returned} of {expected} units have returned their form.",
            code=status.period,
            returned=status.returned,
            expected=status.expected,
        )
    )
    return EXIT_OK


def _run_guide(args, paths, _, settings) -> int:
    from crc_desktop.core.services.guide import write_user_guide

    written = write_user_guide(args.out)
    print(_("User guide written to {path} ({pages} pages).", path=written.path, pages=written.pages))
    return EXIT_OK


_HANDLERS: dict[str, Callable[..., int]] = {
    "list": _run_list,
    "guide": _run_guide,
    "audit": _run_audit,
    "trust": _run_trust,
    "office": _run_office,
    "tokens": _run_tokens,
    "consolidate": _run_consolidate,
    "ministry": _run_ministry,
    "backup": _run_backup,
    "restore": _run_restore,
    "keys": _run_keys,
    "export": _run_export,
    "verify": _run_verify,
    "bundle": _run_bundle,
    "check": _run_check,
    "report": _run_report,
    "indicators": _run_indicators,
    "plan": _run_plan,
    "period": _run_period,
    "gui": _run_gui,
    "init": _run_init,
    "demo": _run_demo,
    "catalog": _run_catalog,
    "info": _run_info,
    "collect": _run_collect,
    "population": _run_population,
}
