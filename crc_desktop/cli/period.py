"""A reporting period: its workflow (create, submit, approve, reopen) and whether it is ready to sign."""

from __future__ import annotations

import sys
from pathlib import Path

from crc_desktop.cli.common import DB_HELP, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, PERIOD_HELP, _open
from crc_desktop.core.i18n import Translator


def add_check(commands, common, _: Translator) -> None:
    db_help, period_help = _(DB_HELP), _(PERIOD_HELP)
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
    check.set_defaults(handler=_run_check)


def add_period(commands, common, _: Translator) -> None:
    db_help, period_help = _(DB_HELP), _(PERIOD_HELP)
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
    period.set_defaults(handler=_run_period)


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
