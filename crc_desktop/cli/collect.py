"""The collection round: forms for communes and agencies, their return, and who has returned."""

from __future__ import annotations

from pathlib import Path

from crc_desktop.cli.common import DB_HELP, EXIT_OK, EXIT_REFUSED, PERIOD_HELP, _open
from crc_desktop.core.i18n import Translator


def add_collect(commands, common, _: Translator) -> None:
    db_help, period_help = _(DB_HELP), _(PERIOD_HELP)
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
    collect.set_defaults(handler=_run_collect)


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
