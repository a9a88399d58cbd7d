"""The tests' browser: Debian's headless Chromium (bench/chromium.py), one per test module."""

from __future__ import annotations

import pytest

from bench.chromium import ARGS, MISSING, find_chromium


def chromium_path() -> str:
    path = find_chromium()
    if not path:
        pytest.fail(MISSING)
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=ARGS)
        yield chromium
        chromium.close()
