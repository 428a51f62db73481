"""The desktop application: `crc-desktop gui` (also what runs with no command)."""

from __future__ import annotations

import argparse
from pathlib import Path

from crc_desktop.app import Paths
from crc_desktop.cli.common import _open
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator


def add_gui(commands, common, _: Translator) -> None:
    gui = commands.add_parser("gui", parents=[common], help=_("start the desktop application"))
    gui.add_argument("--db", type=Path, help=_("database file"))
    gui.add_argument("--demo", action="store_true", help=_("open a demo database in a temporary folder"))
    gui.add_argument("--screenshot", type=Path, help=_("save a PNG of the main window and exit"))
    gui.add_argument(
        "--size",
        type=_window_size,
        default=(1366, 768),
        metavar="WxH",
        help=_("the window's size for the screenshot, e.g. 1366x768"),
    )
    gui.add_argument(
        "--check-bundle",
        type=Path,
        metavar="BUNDLE",
        help=_("check a signed bundle in a window (the trusted certificates from the settings)"),
    )
    gui.set_defaults(handler=_run_gui)


def _window_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit() and int(width) >= 640 and int(height) >= 480):
        raise CrcError(
            "{text} is not a window size: write width x height, e.g. 1366x768 (at least 640x480).", text=text
        )
    return int(width), int(height)


def _run_gui(args, paths, _, settings) -> int:
    if getattr(args, "check_bundle", None) is not None:
        from crc_desktop.gui.main import run_bundle_check  # Explorer's "check this bundle"

        return run_bundle_check(
            args.check_bundle, paths, settings, language=args.lang, screenshot=args.screenshot
        )
    if args.demo and args.db is None:
        from crc_desktop.core.leftovers import demo_folder

        # a throw-away database, with its backups, in a folder removed when the window closes
        # (or, if the program is killed, at the next start)
        with demo_folder() as folder:
            demo_paths = Paths(data=folder, config=paths.config, logs=paths.logs, keys_home=paths.data)
            return _run_gui_on(args, folder / "demo.db", demo_paths, settings)
    db_path = args.db
    if db_path is None:
        db_path = Path(settings.last_database) if settings.last_database else paths.default_database
    return _run_gui_on(args, db_path, paths, settings)


def _run_gui_on(args, db_path: Path, paths, settings) -> int:
    from crc_desktop.gui.main import run_gui  # Qt is loaded only when the GUI starts

    if args.demo and not db_path.exists():
        context = _open(argparse.Namespace(db=db_path, user=args.user), paths, settings, create=True)
        context.demo.build("small", 1)
        context.close()
    return run_gui(
        db_path,
        paths,
        settings,
        language=args.lang,
        screenshot=args.screenshot,
        size=getattr(args, "size", (1366, 768)),
        user_name=args.user,
        remember=not args.demo,
    )
