"""Builds CRC Desktop for offices: a PyInstaller one-folder build and the Inno Setup script
that turns it into a Windows installer. On Linux it also smoke-tests the frozen program.

    python build_installer.py            # build dist/CRC Desktop and build/installer/crc-desktop.iss
    python build_installer.py --smoke    # ...then run the frozen program through the workflow
    python build_installer.py --sign CERT.pfx --iscc "C:\\...\\ISCC.exe"   # signed program and installer

PyInstaller cannot build Windows programs on Linux: an office builds the installer on a
Windows machine with the same command, then compiles build/installer/crc-desktop.iss with Inno
Setup 6 (see README.md). The version comes from crc_desktop/__init__.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NAME = "CRC Desktop"
EXE = "crc-desktop"
SEPARATOR = ";" if os.name == "nt" else ":"


def version() -> str:
    namespace: dict = {}
    exec((ROOT / "crc_desktop" / "__init__.py").read_text("utf-8"), namespace)
    return namespace["__version__"]


def build() -> Path:
    """The one-folder build; everything the program reads at run time travels with it."""
    import PyInstaller.__main__

    migrations = ROOT / "crc_desktop" / "core" / "db" / "migrations"
    icon = windows_icon(ROOT / "build" / f"{EXE}.ico")
    arguments = [
        str(ROOT / "crc_desktop" / "__main__.py"),
        "--name",
        EXE,
        "--onedir",
        "--noconfirm",
        "--clean",
        "--distpath",
        str(ROOT / "dist"),
        "--workpath",
        str(ROOT / "build" / "pyinstaller"),
        "--specpath",
        str(ROOT / "build"),
        # Alembic reads the migration scripts from disk, so they travel as files, not in the archive.
        "--add-data",
        f"{migrations}{SEPARATOR}crc_desktop/core/db/migrations",
        "--add-data",
        f"{ROOT / 'resources'}{SEPARATOR}crc_desktop/resources",
        # the user guide's text and screenshots, where crc_desktop.core.services.guide finds them
        "--add-data",
        f"{ROOT / 'docs' / 'guide'}{SEPARATOR}docs/guide",
        "--add-data",
        f"{ROOT / 'docs' / 'screenshots'}{SEPARATOR}docs/screenshots",
        "--collect-submodules",
        "crc_desktop",
        "--collect-data",
        "babel",
        "--collect-data",
        "reportlab",
        "--collect-all",
        "pypdfium2",
        "--collect-submodules",
        "pyhanko",
        "--collect-submodules",
        "pyhanko_certvalidator",
        "--collect-submodules",
        "pkcs11",
        "--hidden-import",
        "pkcs11._pkcs11",
        "--exclude-module",
        "tkinter",
        "--icon",
        str(icon),
    ]
    if os.name == "nt":
        arguments.append("--windowed")
    PyInstaller.__main__.run(arguments)
    return ROOT / "dist" / EXE


def windows_icon(target: Path) -> Path:
    """The program's icon (resources/icons/crc-desktop.svg) as a Windows .ico with the sizes
    Explorer and the taskbar ask for, drawn by Qt."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QIcon

    _application = QGuiApplication.instance() or QGuiApplication([])  # Qt draws only with one
    icon = QIcon(str(ROOT / "resources" / "icons" / "crc-desktop.svg"))
    target.parent.mkdir(parents=True, exist_ok=True)
    if not icon.pixmap(256, 256).toImage().save(str(target), "ICO"):
        raise SystemExit(f"could not write {target}")
    return target


def inno_quoted(value: str) -> str:
    """A parameter value as Inno Setup reads it: in double quotes, an embedded quote doubled (Inno
    has no backslash escape: `\"` ends the value). Braces are Inno's constants ({app}); a literal
    brace is written `{{`, by the caller."""
    return '"' + value.replace('"', '""') + '"'


class InnoWord(str):
    """A parameter value Inno Setup takes as a keyword (HKCU, string), written without quotes."""


def inno_entry(*parameters: tuple[str, str], flags: str = "") -> str:
    """One line of an Inno Setup section: `Name: "value"; ...`, every value quoted by Inno's rules
    (keywords and flags bare)."""
    parts = [
        f"{name}: {value if isinstance(value, InnoWord) else inno_quoted(value)}"
        for name, value in parameters
    ]
    if flags:
        parts.append(f"Flags: {flags}")
    return "; ".join(parts)


def check_bundle_command() -> str:
    """What Explorer runs for "check this bundle": the window's bundle check on the file (%1), with
    the trusted certificates from the user's settings; a windowed program, so no console."""
    return f'"{{app}}\\{EXE}.exe" gui --check-bundle "%1"'


def inno_setup_script(folder: Path) -> Path:
    """The Windows installer: per user (no administrator rights), Start-menu shortcut, a "check this
    bundle" entry on .zip files, and an uninstall that keeps the user's data."""
    verb = "Software\\Classes\\SystemFileAssociations\\.zip\\shell\\CRCDesktopVerify"
    program = f"{{app}}\\{EXE}.exe"
    lines = [
        f"; Generated by build_installer.py for {NAME} {version()}",
        "[Setup]",
        "AppId={{A7814ABF-68C1-5F03-8A88-26735D0B196C}",
        f"AppName={NAME}",
        f"AppVersion={version()}",
        "AppPublisher=CRC Desktop",
        f"DefaultDirName={{localappdata}}\\Programs\\{NAME}",
        f"DefaultGroupName={NAME}",
        "PrivilegesRequired=lowest",
        f"OutputBaseFilename=crc-desktop-{version()}-setup",
        "Compression=lzma2",
        "SolidCompression=yes",
        "WizardStyle=modern",
        f"SetupIconFile={ROOT / 'build' / f'{EXE}.ico'}",
        f"UninstallDisplayIcon={program}",
        f"; The user's databases, backups and settings live in %LOCALAPPDATA%\\{NAME} (platformdirs),",
        "; outside the program folder: uninstalling removes the program and leaves them in place.",
        "",
        "[Languages]",
        inno_entry(("Name", "vietnamese"), ("MessagesFile", "compiler:Languages\\Vietnamese.isl")),
        inno_entry(("Name", "english"), ("MessagesFile", "compiler:Default.isl")),
        "",
        "[Files]",
        inno_entry(
            ("Source", f"{folder}\\*"),
            ("DestDir", "{app}"),
            flags="ignoreversion recursesubdirs createallsubdirs",
        ),
        "",
        "[Icons]",
        inno_entry(("Name", f"{{group}}\\{NAME}"), ("Filename", program)),
        inno_entry(
            ("Name", f"{{group}}\\{NAME} (dữ liệu mẫu)"), ("Filename", program), ("Parameters", "--demo")
        ),
        inno_entry(("Name", f"{{group}}\\Gỡ cài đặt {NAME}"), ("Filename", "{uninstallexe}")),
        "",
        "[Registry]",
        '; "Check with CRC Desktop" on bundles (.zip) without taking .zip files away from other programs.',
        inno_entry(
            ("Root", InnoWord("HKCU")),
            ("Subkey", verb),
            ("ValueType", InnoWord("string")),
            ("ValueName", ""),
            ("ValueData", f"Kiểm tra gói báo cáo bằng {NAME}"),
            flags="uninsdeletekey",
        ),
        inno_entry(
            ("Root", InnoWord("HKCU")),
            ("Subkey", verb),
            ("ValueType", InnoWord("string")),
            ("ValueName", "Icon"),
            ("ValueData", program),
        ),
        inno_entry(
            ("Root", InnoWord("HKCU")),
            ("Subkey", f"{verb}\\command"),
            ("ValueType", InnoWord("string")),
            ("ValueName", ""),
            ("ValueData", check_bundle_command()),
            flags="uninsdeletekey",
        ),
        "",
        "[Run]",
        inno_entry(
            ("Filename", program), ("Description", f"Mở {NAME}"), flags="nowait postinstall skipifsilent"
        ),
    ]
    target = ROOT / "build" / "installer" / "crc-desktop.iss"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", "utf-8-sig")
    return target


def smoke(folder: Path) -> None:
    """Run the frozen program through the workflow: --version, demo, report, keys, export, verify."""
    exe = folder / (f"{EXE}.exe" if os.name == "nt" else EXE)
    with tempfile.TemporaryDirectory(prefix="crc-smoke-") as work:
        work = Path(work)
        env = dict(
            os.environ,
            CRC_DESKTOP_HOME=str(work / "home"),
            CRC_PASSPHRASE="smoke-test-pass",
            QT_QPA_PLATFORM="offscreen",
        )

        def run(*args: str) -> str:
            done = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=300)
            print(f"$ {EXE} {' '.join(args)}\n{done.stdout}{done.stderr}")
            if done.returncode != 0:
                raise SystemExit(f"smoke test failed at: {' '.join(args)}")
            return done.stdout

        db = work / "demo.db"
        assert version() in run("--version")
        run("demo", "--db", str(db))
        run("report", "--db", str(db), "--period", "2025", "--out", str(work / "report.pdf"))
        run("keys", "new", "--out", str(work / "keys"), "--name", "Smoke test", "--province", "46")
        import sqlite3

        connection = sqlite3.connect(db)
        connection.execute("UPDATE reporting_period SET state = 'approved' WHERE code = '2025'")
        connection.commit()
        connection.close()
        run("office", "certificate", "add", "--db", str(db), str(work / "keys" / "46-signing-cert.pem"))
        run(
            "export",
            "--db",
            str(db),
            "--period",
            "2025",
            "--p12",
            str(work / "keys" / "46-signing.p12"),
            "--out",
            str(work),
        )
        run("verify", str(work / "CRC-46-2025-v1.zip"), "--trust", str(work / "keys" / "46-signing-ca.pem"))
        run("gui", "--db", str(db), "--screenshot", str(work / "window.png"))
        run("guide", "--out", str(work / "huong-dan-su-dung.pdf"))
        smoke_without_console(exe, env, work, db)
        print("smoke test passed")


def smoke_without_console(exe: Path, env: dict, work: Path, db: Path) -> None:
    """As a windowed program started from Explorer runs: no console streams at all. Only the exit
    codes and the files written can tell what happened."""

    def run(expected: int, *args: str) -> None:
        code = run_without_console([str(exe), *args], env)
        print(f"$ {EXE} {' '.join(args)}  (no console) -> exit code {code}")
        if code != expected:
            raise SystemExit(f"smoke test failed without a console at: {' '.join(args)} (exit code {code})")

    picture = work / "no-console.png"
    run(0, "gui", "--db", str(db), "--screenshot", str(picture))
    run(0, "info", "--db", str(db))
    run(0, "report", "--db", str(db), "--period", "2025", "--out", str(work / "no-console.pdf"))
    run(1, "info", "--db", str(work / "missing.db"))  # refused: said to nobody, told by the exit code
    run(
        0,
        "gui",
        "--check-bundle",
        str(work / "CRC-46-2025-v1.zip"),
        "--screenshot",
        str(work / "no-console-check.png"),
    )
    for written in (picture, work / "no-console.pdf", work / "no-console-check.png"):
        if not written.is_file() or written.stat().st_size == 0:
            raise SystemExit(f"smoke test without a console wrote no {written.name}")


def run_without_console(command: list[str], env: dict, timeout: int = 300) -> int:
    """Run `command` with no standard streams, as Explorer starts a windowed program: on Windows a
    detached process given no handles; elsewhere a child whose descriptors 0, 1 and 2 are closed
    (Python then sets sys.stdin, sys.stdout and sys.stderr to None, as a windowed build has them)."""
    if os.name == "nt":
        flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
        return subprocess.run(
            command, env=env, timeout=timeout, creationflags=flags, close_fds=True
        ).returncode

    def close_standard_streams() -> None:
        for descriptor in (0, 1, 2):
            os.close(descriptor)

    return subprocess.run(
        command, env=env, timeout=timeout, preexec_fn=close_standard_streams, close_fds=True
    ).returncode


def signtool_command(target: Path, certificate: str, timestamp_url: str) -> list[str]:
    """signtool's command for `target`: a .pfx file (its password in CRC_SIGN_PASSWORD), or the
    SHA-1 thumbprint of a certificate in the user's store (a token's, say); SHA-256 digest and
    an RFC 3161 timestamp, so the signature outlives the certificate."""
    command = ["signtool", "sign", "/fd", "sha256", "/tr", timestamp_url, "/td", "sha256"]
    if certificate.lower().endswith((".pfx", ".p12")):
        command += ["/f", certificate]
        if os.environ.get("CRC_SIGN_PASSWORD"):
            command += ["/p", os.environ["CRC_SIGN_PASSWORD"]]
    else:
        command += ["/sha1", certificate.replace(" ", "")]
    return [*command, "/d", NAME, str(target)]


def sign(targets: list[Path], certificate: str, timestamp_url: str) -> None:
    for target in targets:
        done = subprocess.run(signtool_command(target, certificate, timestamp_url))
        if done.returncode != 0:
            raise SystemExit(f"signtool could not sign {target}")
        print(f"signed {target}")


def compile_installer(script: Path, iscc: Path) -> Path:
    """The installer, compiled by Inno Setup's ISCC from `script`: its path."""
    done = subprocess.run([str(iscc), str(script)])
    if done.returncode != 0:
        raise SystemExit("Inno Setup could not compile the installer")
    return script.parent / "Output" / f"crc-desktop-{version()}-setup.exe"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="run the frozen program through the workflow")
    parser.add_argument("--skip-build", action="store_true", help="smoke-test an existing build")
    parser.add_argument(
        "--sign",
        metavar="CERT",
        help="sign the program and the installer with signtool: a .pfx file (password in "
        "CRC_SIGN_PASSWORD) or a certificate's SHA-1 thumbprint in the user's store",
    )
    parser.add_argument("--timestamp-url", default="http://timestamp.digicert.com", help="RFC 3161 server")
    parser.add_argument("--iscc", type=Path, help="Inno Setup's ISCC.exe: compile (and sign) the installer")
    args = parser.parse_args()
    folder = ROOT / "dist" / EXE if args.skip_build else build()
    if args.sign:
        sign(sorted(folder.glob("*.exe")), args.sign, args.timestamp_url)
    script = inno_setup_script(folder)
    print(f"built {folder} ({version()}); installer script: {script}")
    if args.smoke:
        smoke(folder)
    if args.iscc:
        installer = compile_installer(script, args.iscc)
        if args.sign:
            sign([installer], args.sign, args.timestamp_url)
        print(f"installer: {installer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
