"""Allows `python -m crc_desktop`; also the entry point of the frozen program."""

import multiprocessing

from crc_desktop.cli import main

if __name__ == "__main__":  # not when a worker process imports this module to start
    multiprocessing.freeze_support()  # in the frozen program, a worker process starts here
    raise SystemExit(main())
