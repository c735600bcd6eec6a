"""Debian's Chromium, headless, for the browser tests and benchmarks: one path, one set of flags.

Playwright drives the system browser (`apt-get install chromium`), never a
browser of its own download. The flags keep Chromium from calling home
(component updates, sync, background networking), which on a closed network
would only fill the logs with refused connections. Playwright is a dev
dependency, so it is imported only when a browser is launched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from playwright.sync_api import BrowserContext

CHROMIUM = Path(os.environ.get("HOSPITAL_KG_CHROMIUM", "/usr/bin/chromium"))
ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def require_chromium() -> Path:
    if not CHROMIUM.is_file():
        raise FileNotFoundError(
            f"{CHROMIUM} not found: apt-get install chromium fonts-wqy-microhei"
        )
    return CHROMIUM


@contextmanager
def chromium_context(width: int = 1400, height: int = 900) -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile (--user-data-dir), closed afterwards."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(executable),
            headless=True,
            args=list(ARGS),
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            context.close()
