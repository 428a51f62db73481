"""The plan: its workbook out, a blank one to fill in, and a filled one back in."""

from __future__ import annotations

from pathlib import Path

from crc_desktop.cli.common import DB_HELP, EXIT_OK, OUT_HELP, PERIOD_HELP, _open
from crc_desktop.core.i18n import Translator


def add_plan(commands, common, _: Translator) -> None:
    db_help, period_help, out_help = _(DB_HELP), _(PERIOD_HELP), _(OUT_HELP)
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
    plan_import = plan_commands.add_parser(
        "import", parents=[common], help=_("bring the plan in from a plan workbook (Excel)")
    )
    plan_import.add_argument("--db", type=Path, required=True, help=db_help)
    plan_import.add_argument("file", type=Path, help=_("the plan workbook (.xlsx)"))
    plan_import.add_argument(
        "--dry-run", action="store_true", help=_("show what would change, change nothing")
    )
    plan_import.add_argument("--reason", default="", help=_("why (kept in the audit log)"))
    plan.set_defaults(handler=_run_plan)


def _run_plan(args, paths, _, settings) -> int:
    if args.plan_command == "export-template":
        from crc_desktop.core.services.plan_import import write_template

        print(_("Blank plan workbook written to {path}.", path=str(write_template(args.out))))
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
