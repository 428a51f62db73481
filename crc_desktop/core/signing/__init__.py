"""Keys, signatures and the signed report bundle.

The signing libraries log their own diagnostics (pyHanko prints a whole traceback for an
untrusted signer). As the logging guide asks of libraries, their loggers get a handler that
drops what no one configured: with none, Python writes warnings to the console. The program's
log file (app.configure_logging) still receives them through the root logger.
"""

import logging

for _name in ("pyhanko", "pyhanko_certvalidator", "pkcs11"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
