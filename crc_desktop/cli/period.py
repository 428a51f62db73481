"""A reporting period: its workflow (create, submit, approve, reopen) and whether it is ready to sign."""

from __future__ import annotations

import sys
from pathlib import Path

from crc_desktop.cli.common import DB_HELP, EXIT_OK, EXIT_REFUSED, PERIOD_HELP, _open
from crc_desktop.core.i18n import Translator


def add_check(commands, common, _: Translator) -> None:
    db_help, period_help = _(DB_HELP), _(PERIOD_HELP)
    check = commands.add_parser("check", parents=[common], help=_("is a period ready to sign?"))
    check.add_argument("--db", type=Path, required=True, help=db_help)
    check.add_argument("--period", required=True, help=period_help)
    check.set_defaults(handler=_run_check)


def add_period(commands, common, _: Translator) -> None:
    db_help, period_help = _(DB_HELP), _(PERIOD_HELP)
    period = commands.add_parser("period", parents=[common], help=_("reporting periods and their workflow"))
    period.add_argument(
        "action", choices=("create", "submit", "approve", "reopen"), help=_("the step to take")
    )
    period.add_argument("--db", type=Path, required=True, help=db_help)
    period.add_argument("--period", required=True, help=period_help)
    period.add_argument("--by", default=None, help=_("the name of the person taking this step"))
    period.add_argument(
        "--reason", default="", help=_("why (required to reopen, and to approve a period you submitted)")
    )
    period.set_defaults(handler=_run_period)


def _run_check(args, paths, _, settings) -> int:
    context = _open(args, paths, settings)
    try:
        readiness = context.readiness.check(args.period)
        grid = context.values.grid(args.period) if readiness.problems else None
    finally:
        context.close()
    labels = _problem_places(grid) if grid else {}
    for problem in readiness.problems:
        mark = "✗" if problem.severity == "error" else "!"
        where = labels.get((problem.place.cell_id, problem.place.area_id), "")
        hint = f" → {_(problem.hint)}" if problem.hint else ""
        print(f"{mark} {where}{_(problem.message, **problem.params)}{hint}")
    if readiness.ready:
        print(
            _(
                "Period {code} is ready to sign ({count} warnings).",
                code=readiness.period,
                count=len(readiness.problems),
            )
        )
        return EXIT_OK
    print(
        _(
            "Period {code} is not ready to sign: {count} problems block it.",
            code=readiness.period,
            count=len(readiness.blocking),
        ),
        file=sys.stderr,
    )
    return EXIT_REFUSED


def _problem_places(grid) -> dict:
    """'code / cell — area: ' labels of the grid's cells, for the check's lines."""
    areas = {a.id: a.name for a in grid.areas}
    return {
        (row.cell_id, area_id): f"{row.code} / {row.cell_label} — {name}: "
        for row in grid.rows
        for area_id, name in areas.items()
    }


def _run_period(args, paths, _, settings) -> int:
    args.user = args.by or args.user
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
