"""Drive the page of `vnreport serve` in headless Chromium and save screenshots of it.

    python benchmarks/serve_page.py [--report ../shared/seeds/000_0d145819312b56d9.txt] [--out docs/serve-page.png]

Starts the server on 127.0.0.1 with the embedded model, pastes the report into the page,
submits it, waits for the view and saves a desktop and a phone-width screenshot. The browser
test (tests/test_serve_live.py) uses the same steps. Needs Debian's `chromium` and
`chromium-driver` (selenium drives chromedriver; nothing is downloaded).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_html import CHROMIUM_FLAGS, chromium  # noqa: E402
from serve_load import SEEDS, LiveServer  # noqa: E402

PHONE = (390, 844)


def chromedriver() -> str | None:
    return shutil.which("chromedriver")


@contextmanager
def browser(width: int = 1280, height: int = 1300):
    """A headless Chromium under selenium, with a fresh profile."""
    import os

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must not look for drivers online
    with tempfile.TemporaryDirectory(prefix="vnreport-chromium-") as profile:
        opts = webdriver.ChromeOptions()
        opts.binary_location = chromium()
        for flag in [*CHROMIUM_FLAGS, "--disable-quic", f"--user-data-dir={profile}", f"--window-size={width},{height}"]:
            opts.add_argument(flag)
        driver = webdriver.Chrome(options=opts, service=Service(executable_path=chromedriver()))
        try:
            yield driver
        finally:
            driver.quit()


def paste_and_read(driver, url: str, text: str, timeout: float = 180) -> str:
    """Load the page, paste `text`, submit, wait for the answer; return the status line."""
    from selenium.webdriver.common.by import By

    driver.get(url + "/")
    box = driver.find_element(By.ID, "text")
    driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", box, text)
    driver.find_element(By.ID, "run").click()
    return wait_for_answer(driver, timeout)


def wait_for_answer(driver, timeout: float = 180) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    status = driver.find_element(By.ID, "status")
    WebDriverWait(driver, timeout).until(
        lambda d: status.get_attribute("class") == "bad" or d.find_element(By.ID, "run").is_enabled() and status.text
        and status.text != "Reading…")
    return status.text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--report", default=str(sorted(SEEDS.glob("*.txt"))[0]))
    ap.add_argument("--out", default="docs/serve-page.png")
    ap.add_argument("--model", help="model directory (default: the embedded model)")
    args = ap.parse_args(argv)
    text = Path(args.report).read_text(encoding="utf-8")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with LiveServer(["--model", args.model] if args.model else []) as server:
        with browser() as driver:
            print(paste_and_read(driver, server.url, text))
            shots = [out, out.with_name(out.stem + "-phone.png")]
            assert driver.save_screenshot(str(shots[0]))
            driver.set_window_size(*PHONE)
            assert driver.save_screenshot(str(shots[1]))
    print(*shots, sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
