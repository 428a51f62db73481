"""Reference data: import a catalogue file or package, (the ministry) publish one, and import the
child population tables that serve as denominators."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crc_desktop.cli.common import DB_HELP, EXIT_OK, PASSPHRASE_HELP, _open, _secret
from crc_desktop.core.i18n import Translator

if TYPE_CHECKING:
    from crc_desktop.core.schemas.catalog import ImportReport


def add_catalog(commands, common, _: Translator) -> None:
    db_help = _(DB_HELP)
    passphrase_help = _(PASSPHRASE_HELP)
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
    catalog.set_defaults(handler=_run_catalog)


def add_population(commands, common, _: Translator) -> None:
    population = commands.add_parser(
        "population", parents=[common], help=_("the child population by commune, age band and sex")
    )
    population_commands = population.add_subparsers(
        dest="population_command", metavar="ACTION", required=True
    )
    population_load = population_commands.add_parser(
        "import", parents=[common], help=_("import a population table (.csv or .xlsx)")
    )
    population_load.add_argument("--db", type=Path, required=True, help=_(DB_HELP))
    population_load.add_argument(
        "file", type=Path, help=_("the table: commune code, year, age band, sex, children")
    )
    population_load.add_argument("--year", type=int, help=_("the year, when the table has no year column"))
    population_load.add_argument("--source", default="", help=_("where the figures come from"))
    population_load.add_argument(
        "--dry-run", action="store_true", help=_("show what would change, change nothing")
    )
    population.set_defaults(handler=_run_population)


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
