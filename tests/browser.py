"""Debian's headless Chromium (apt package chromium, which `make test` installs), driven by
Playwright for Python: Playwright's own browser download is never used."""

from __future__ import annotations

import os
import shutil

import pytest

# Chromium's background services would try the internet at every start; there is none here.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = os.environ.get("HOSAKAN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package "
                    "(apt-get install chromium), or set HOSAKAN_CHROMIUM to a Chromium binary.")
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=ARGS)
        yield chromium
        chromium.close()
