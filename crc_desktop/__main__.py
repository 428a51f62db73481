"""Allows `python -m crc_desktop`."""

from crc_desktop.cli import main

raise SystemExit(main())
