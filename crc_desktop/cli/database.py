"""The database itself: init, demo, info, backup, restore and audit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from crc_desktop.cli.common import DB_HELP, EXIT_OK, EXIT_REFUSED, _open
from crc_desktop.core.errors import CrcError, InputRefused
from crc_desktop.core.i18n import Translator

if TYPE_CHECKING:
    from crc_desktop.core.schemas.office import DatabaseInfo


def add_init(commands, common, _: Translator) -> None:
    db_help = _(DB_HELP)
    init = commands.add_parser("init", parents=[common], help=_("create a province's database"))
    init.add_argument("--db", type=Path, required=True, help=db_help)
    init.add_argument("--province", required=True, help=_("province code, e.g. 46"))
    init.set_defaults(handler=_run_init)


def add_demo(commands, common, _: Translator) -> None:
    db_help = _(DB_HELP)
    demo = commands.add_parser("demo", parents=[common], help=_("build a demo database"))
    demo.add_argument("--db", type=Path, required=True, help=db_help)
    demo.add_argument("--scale", choices=("small", "large"), default="small", help=_("how much data"))
    demo.add_argument("--seed", type=int, default=1, help=_("the same seed gives the same data"))
    demo.add_argument("--province", default="46", help=_("province code, e.g. 46"))
    demo.set_defaults(handler=_run_demo)


def add_info(commands, common, _: Translator) -> None:
    db_help = _(DB_HELP)
    info = commands.add_parser("info", parents=[common], help=_("what a database holds"))
    info.add_argument("--db", type=Path, required=True, help=db_help)
    info.set_defaults(handler=_run_info)


def add_list(commands, common, _: Translator) -> None:
    db_help = _(DB_HELP)
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
    listing.set_defaults(handler=_run_list)


def add_backup(commands, common, _: Translator) -> None:
    db_help = _(DB_HELP)
    backup = commands.add_parser("backup", parents=[common], help=_("copy the database safely"))
    backup.add_argument("--db", type=Path, required=True, help=db_help)
    backup.add_argument("--out", type=Path, help=_("the copy (default: the backups folder)"))
    backup.set_defaults(handler=_run_backup)


def add_restore(commands, common, _: Translator) -> None:
    db_help = _(DB_HELP)
    restore = commands.add_parser(
        "restore", parents=[common], help=_("replace the database by a checked copy")
    )
    restore.add_argument("--db", type=Path, required=True, help=db_help)
    restore.add_argument(
        "file", type=Path, nargs="?", help=_("the backup to put in its place (without it: list the backups)")
    )
    restore.set_defaults(handler=_run_restore)


def add_audit(commands, common, _: Translator) -> None:
    db_help = _(DB_HELP)
    audit = commands.add_parser("audit", parents=[common], help=_("the audit log"))
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_commands.add_parser(
        "verify", parents=[common], help=_("check that no entry was changed outside the program")
    )
    verify.add_argument("--db", type=Path, required=True, help=db_help)
    audit.set_defaults(handler=_run_audit)


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
