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
    plan.set_defaults(handler=_run_plan)


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
