"""Documents: the PDF report of a period, and the user guide."""

from __future__ import annotations

from pathlib import Path

from crc_desktop.cli.common import DB_HELP, EXIT_OK, OUT_HELP, PERIOD_HELP, _open
from crc_desktop.cli.parsing import date_argument as _date_argument
from crc_desktop.core.i18n import Translator


def add_report(commands, common, _: Translator) -> None:
    db_help, period_help, out_help = _(DB_HELP), _(PERIOD_HELP), _(OUT_HELP)
    report = commands.add_parser("report", parents=[common], help=_("the PDF report of a period"))
    report.add_argument("--db", type=Path, required=True, help=db_help)
    report.add_argument("--period", required=True, help=period_help)
    report.add_argument("--out", type=Path, required=True, help=out_help)
    report.add_argument("--template", type=Path, help=_("a report template (JSON) instead of the default"))
    report.add_argument(
        "--date", type=_date_argument, help=_("the report's date, dd/mm/yyyy (default: today)")
    )
    report.set_defaults(handler=_run_report)


def add_guide(commands, common, _: Translator) -> None:
    out_help = _(OUT_HELP)
    guide = commands.add_parser("guide", parents=[common], help=_("write the user guide (PDF)"))
    guide.add_argument("--out", type=Path, required=True, help=out_help)
    guide.set_defaults(handler=_run_guide)


def _run_report(args, paths, _, settings) -> int:
    context = _open(args, paths, settings)
    try:
        result = context.reports.pdf(args.period, args.out, template=args.template, on=args.date)
    finally:
        context.close()
    print(_("Report written to {path} (data hash {digest}).", path=result.path, digest=result.digest))
    return EXIT_OK


def _run_guide(args, paths, _, settings) -> int:
    from crc_desktop.core.services.guide import write_user_guide

    written = write_user_guide(args.out)
    print(_("User guide written to {path} ({pages} pages).", path=written.path, pages=written.pages))
    return EXIT_OK
