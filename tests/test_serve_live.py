"""`vnreport serve` as a user runs it, on 127.0.0.1: a bounded load test and the page in headless Chromium."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from conftest import SHARED, load_benchmark, tiny_docs  # noqa: E402

load = load_benchmark("serve_load")
page = load_benchmark("serve_page")


def without_scores(x):
    if isinstance(x, dict):
        return {k: without_scores(v) for k, v in x.items() if k != "score"}
    if isinstance(x, list):
        return [without_scores(v) for v in x]
    return x


def scores(x) -> list[float]:
    if isinstance(x, dict):
        return ([x["score"]] if "score" in x else []) + [s for v in x.values() for s in scores(v)]
    if isinstance(x, list):
        return [s for v in x for s in scores(v)]
    return []


def test_200_requests_from_8_clients_all_right_and_memory_bounded(tiny_model):
    base = [d.text for d in tiny_docs()]
    texts = [f"{a} {b}" for a in base for b in base[:3]]  # 18 distinct documents: a wrong routing shows
    with load.LiveServer(["--model", str(tiny_model[0]), "--device", "cpu"]) as server:
        reference = [load.request(server.url, "POST", "/v1/predict", {"texts": [t]}) for t in texts]
        assert all(status == 200 for status, _ in reference)
        load.run_load(server.url, texts, 8, 40)  # warm-up under concurrency
        warm = server.rss_mb()
        wall, results = load.run_load(server.url, texts, 8, 200)
        end = server.rss_mb()
        calls = load.request(server.url, "GET", "/v1/health")[1]["model_calls"]
    assert len(results) == 200 and all(status == 200 for _, _, status, _ in results)
    for i, _, _, body in results:
        (doc,) = body["documents"]
        want = reference[i % len(texts)][1]["documents"][0]
        assert doc["text"] == texts[i % len(texts)]
        assert without_scores(doc) == without_scores(want)  # batching pads, so scores may move in the 4th decimal
        assert scores(doc) == pytest.approx(scores(want), abs=2e-3)
    assert end - warm < 60, f"server memory grew from {warm:.0f} MB to {end:.0f} MB over 200 requests"
    assert calls < len(texts) + 40 + 200  # concurrent requests shared model calls
    print(f"200 requests, 8 clients: {wall:.1f} s; RSS {warm:.0f} → {end:.0f} MB; {calls} model calls")


def browser_missing() -> str | None:
    if page.chromium() is None:
        return "chromium is not installed (apt-get install -y chromium chromium-driver)"
    if page.chromedriver() is None:
        return "chromedriver is not installed (apt-get install -y chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


NO_BROWSER = browser_missing()


@pytest.fixture(scope="module")
def server():
    with load.LiveServer(["--device", "cpu"]) as s:  # the embedded model, as `vnreport serve` starts
        yield s


@pytest.mark.skipif(NO_BROWSER is not None, reason=str(NO_BROWSER))
def test_page_in_headless_chromium(server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    report = seeds[0].read_text(encoding="utf-8")
    with page.browser() as driver:
        find = driver.find_elements
        driver.get(server.url + "/")
        driver.find_element(By.ID, "run").click()  # nothing pasted yet: a message, no request
        assert "Paste a report" in driver.find_element(By.ID, "status").text
        status = page.paste_and_read(driver, server.url, report)
        assert driver.save_screenshot(str(tmp_path / "desktop.png"))
        assert "officials" in status and "Error" not in status, status
        # the spans: entities colored, directives boxed under them, each the text it claims
        entities, directives = find(By.CSS_SELECTOR, "#result span.e"), find(By.CSS_SELECTOR, "#result span.d.first")
        assert len(entities) > 20 and len(directives) > 3
        assert any(e.find_elements(By.XPATH, "ancestor::span[contains(@class,'d ')]") for e in entities)
        # the three tables, their row counts as the status line says
        titles = [h.text for h in find(By.CSS_SELECTOR, "#result h3")]
        assert [t.split(" (")[0] for t in titles] == ["Officials", "Indicators", "Directives"]
        tables = find(By.CSS_SELECTOR, "#result table")
        assert len(tables) == 3
        counts = [len(t.find_elements(By.TAG_NAME, "tr")) - 1 for t in tables]
        assert status.startswith(f"{counts[0]} officials, {counts[1]} indicators, {counts[2]} directives")
        assert any(c.text.replace(" ", "").isdigit() for c in tables[1].find_elements(By.CSS_SELECTOR, "td.num"))
        # CSV downloads hold the same rows
        csv = driver.execute_async_script(
            "fetch(document.getElementById('csv-officials').href).then(r => r.text()).then(arguments[0])")
        assert csv.lstrip("\ufeff").startswith("file,name,") and csv.strip().count("\n") == counts[0]
        # a phone-width screen: no sideways scrolling of the page
        driver.set_window_size(*page.PHONE)
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert driver.save_screenshot(str(tmp_path / "phone.png"))
        # opening a .txt file reads it at once, under its file name
        driver.find_element(By.ID, "file").send_keys(str(seeds[1].resolve()))
        page.wait_for_answer(driver)
        assert driver.find_element(By.CSS_SELECTOR, "#result h2").text == seeds[1].name
        assert driver.find_element(By.ID, "text").get_attribute("value") == seeds[1].read_text(encoding="utf-8")
        # the OpenAPI docs render from the app's own files
        driver.get(server.url + "/docs")
        WebDriverWait(driver, 60).until(lambda d: "/v1/predict" in d.find_element(By.TAG_NAME, "body").text)
    assert (tmp_path / "desktop.png").stat().st_size > 50_000
