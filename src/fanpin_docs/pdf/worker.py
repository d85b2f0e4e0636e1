"""One warm LibreOffice, driven through its own UNO bridge: run by a Python that can `import uno`.

Not imported by fanpin: `pool.py` starts this file as a script (in a session of its own, so the whole
process group can be killed at once) under the interpreter that has LibreOffice's python3-uno. It
starts soffice with its own profile, connects, prints one line ``{"ready": true, "soffice": pid}``,
then reads one JSON request a line from stdin::

    {"in": "/tmp/…/a.docx", "out": "/tmp/…/a.pdf", "filter": "writer_pdf_Export"}
        → {"ok": true}  or  {"ok": false, "error": "…"}

Each document is opened hidden and read-only in a new frame, stored with the export filter named in
the request, and closed.

It stops LibreOffice and exits when stdin closes, when its parent dies, or when LibreOffice dies (the
pool then sees the closed pipe and starts a new instance).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

CONNECT_SECONDS = 90


def _say(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _stop(office: subprocess.Popen[bytes], code: int) -> None:
    """Kill LibreOffice (with soffice.bin, which its launcher started) and exit."""
    if office.poll() is None:
        office.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            office.wait(timeout=10)
    if hasattr(os, "killpg"):  # this worker leads its own process group: take all of it down
        sys.stdout.flush()
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os._exit(code)


def _watch(office: subprocess.Popen[bytes], parent: int) -> None:
    """Stop everything when the parent is gone (killed without cleaning up) or LibreOffice died."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            _stop(office, 3)
        if office.poll() is not None:
            _say({"ok": False, "error": f"LibreOffice 意外退出（代码 {office.returncode}）"})
            os._exit(4)


def main() -> None:
    soffice, profile_uri = sys.argv[1], sys.argv[2]
    parent = os.getppid()
    pipe = f"fanpin-{os.getpid()}-{uuid.uuid4().hex}"  # a private name: no port another program can take
    office = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--nocrashreport",
            "--nodefault",
            "--nologo",
            "--nofirststartwizard",
            "--norestore",
            f"-env:UserInstallation={profile_uri}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # LibreOffice's own Python components must not see the path set up for this script
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")},
    )
    threading.Thread(target=_watch, args=(office, parent), daemon=True).start()

    import uno
    from com.sun.star.beans import PropertyValue

    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext()
    )
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(url)
            break
        except Exception as error:  # not listening yet: soffice is still starting
            if time.monotonic() > deadline:
                _say({"ready": False, "error": f"无法连接 LibreOffice：{error}"})
                _stop(office, 5)
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    _say({"ready": True, "soffice": office.pid})

    hidden = (PropertyValue(Name="Hidden", Value=True), PropertyValue(Name="ReadOnly", Value=True))
    for line in sys.stdin:
        request = json.loads(line)
        try:
            source = uno.systemPathToFileUrl(os.path.abspath(request["in"]))
            document = desktop.loadComponentFromURL(source, "_blank", 0, hidden)
            if document is None:
                raise RuntimeError("LibreOffice 无法打开这个文件")
            try:
                export = (
                    PropertyValue(Name="FilterName", Value=request["filter"]),
                    PropertyValue(Name="Overwrite", Value=True),
                )
                document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(request["out"])), export)
            finally:
                document.close(True)
        except Exception as error:  # a document LibreOffice cannot open or export
            _say({"ok": False, "error": f"{type(error).__name__}: {error}"[:500]})
        else:
            _say({"ok": True})
    _stop(office, 0)


if __name__ == "__main__":
    main()
