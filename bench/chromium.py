"""Debian's headless Chromium (apt package chromium, which `make test` installs), for the tests'
browser and the source bench's PDFs, driven by Playwright for Python: Playwright's own browser
download is never used."""

from __future__ import annotations

import os
import shutil

# Chromium's background services would try the internet at every start; there is none here.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
MISSING = ("Chromium is not installed: `make test` installs Debian's chromium package "
           "(apt-get install chromium), or set HOSAKAN_CHROMIUM to a Chromium binary.")


def find_chromium() -> str | None:
    """The Chromium binary to drive: HOSAKAN_CHROMIUM, else chromium on the PATH."""
    return os.environ.get("HOSAKAN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
