"""Indicator values: the Excel entry workbook (out and back in) and SDMX-CSV."""

from __future__ import annotations

from pathlib import Path

from crc_desktop.cli.common import DB_HELP, EXIT_OK, OUT_HELP, PERIOD_HELP, _open
from crc_desktop.core.i18n import Translator


def add_indicators(commands, common, _: Translator) -> None:
    db_help, period_help, out_help = _(DB_HELP), _(PERIOD_HELP), _(OUT_HELP)
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
    indicators.set_defaults(handler=_run_indicators)


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
