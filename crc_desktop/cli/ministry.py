"""The ministry: check a signed bundle, consolidate bundles into the national store, and the
national views (workbook, summary, window)."""

from __future__ import annotations

import sys
from pathlib import Path

from crc_desktop.cli.common import EXIT_OK, EXIT_REFUSED, OUT_HELP, PERIOD_HELP, STORE_HELP
from crc_desktop.cli.parsing import date_argument as _date_argument
from crc_desktop.cli.signing import _OFFICE_OPTIONS
from crc_desktop.core.i18n import Translator


def add_verify(commands, common, _: Translator) -> None:
    verify = commands.add_parser("verify", parents=[common], help=_("check a signed bundle"))
    verify.add_argument("bundle", type=Path, help=_("the bundle file (.zip)"))
    verify.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        help=_("a trusted certificate (PEM) or a folder of them"),
    )
    verify.set_defaults(handler=_run_verify)


def add_consolidate(commands, common, _: Translator) -> None:
    store_help = _(STORE_HELP)
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
    consolidate.set_defaults(handler=_run_consolidate)


def add_ministry(commands, common, _: Translator) -> None:
    store_help, period_help, out_help = _(STORE_HELP), _(PERIOD_HELP), _(OUT_HELP)
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
    ministry.set_defaults(handler=_run_ministry)


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
