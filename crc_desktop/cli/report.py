"""Documents: the PDF report of a period, and the user guide."""

from __future__ import annotations

import sys
from pathlib import Path

from crc_desktop.cli.common import DB_HELP, EXIT_OK, EXIT_USAGE, OUT_HELP, PERIOD_HELP, _open
from crc_desktop.cli.parsing import date_argument as _date_argument
from crc_desktop.core.i18n import Translator


def add_report(commands, common, _: Translator) -> None:
    db_help, period_help, out_help = _(DB_HELP), _(PERIOD_HELP), _(OUT_HELP)
    report = commands.add_parser("report", parents=[common], help=_("the PDF report of a period"))
    report.add_argument(
        "what",
        nargs="?",
        choices=("pdf", "text", "docx", "drafts"),
        default="pdf",
        help=_(
            "pdf (default), docx, text (read or write what the office wrote in a section), or drafts "
            "(sentences drafted from the numbers)"
        ),
    )
    report.add_argument("--db", type=Path, required=True, help=db_help)
    report.add_argument("--period", required=True, help=period_help)
    report.add_argument("--out", type=Path, help=out_help)
    report.add_argument("--section", help=_("report text: the section, e.g. direction, results.2, proposals"))
    report.add_argument(
        "--set",
        dest="text_file",
        type=Path,
        help=_("report text: the file holding the section's new text (- for stdin)"),
    )
    report.add_argument("--reason", default="", help=_("why (a submitted or approved period needs one)"))
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
    if args.what not in ("text", "drafts") and args.out is None:
        print(_("Give --out FILE for the report."), file=sys.stderr)
        return EXIT_USAGE
    context = _open(args, paths, settings)
    try:
        if args.what == "text":
            return _report_text(args, context, _)
        if args.what == "drafts":
            for sentence in context.reports.drafts(args.period):
                print(f"[{sentence.section}] {sentence.text}")
            return EXIT_OK
        write = context.reports.docx if args.what == "docx" else context.reports.pdf
        result = write(args.period, args.out, template=args.template, on=args.date)
    finally:
        context.close()
    print(_("Report written to {path} (data hash {digest}).", path=result.path, digest=result.digest))
    return EXIT_OK


def _report_text(args, context, _) -> int:
    """`report text`: print the sections (or one), or set one from a file."""
    if args.text_file is not None:
        if not args.section:
            print(_("Give --section with --set."), file=sys.stderr)
            return EXIT_USAGE
        raw = sys.stdin.read() if str(args.text_file) == "-" else args.text_file.read_text("utf-8-sig")
        saved = context.reports.save_text(args.period, args.section, raw, args.reason)
        done = (
            _("Section {section} saved.", section=saved.section) if saved.changed else _("Nothing changed.")
        )
        print(done)
        return EXIT_OK
    text = context.reports.text(args.period)
    if args.section:
        print(text.of(args.section))
        return EXIT_OK
    for section in text.sections:
        print(f"[{section.key}]")
        print(section.text)
        print()
    return EXIT_OK


def _run_guide(args, paths, _, settings) -> int:
    from crc_desktop.core.services.guide import write_user_guide

    written = write_user_guide(args.out)
    print(_("User guide written to {path} ({pages} pages).", path=written.path, pages=written.pages))
    return EXIT_OK
