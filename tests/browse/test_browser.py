"""The browser in a real browser: Debian's headless Chromium driven by selenium (Debian's chromium-driver;
nothing is downloaded). It serves the seed's graph, searches "cirrhosis" as a user types it, opens the
entity from the suggestions and finds an evidence sentence with its subject and object marked, and the
neighbourhood drawn. A screenshot is saved (``$KG_SCREENSHOT``, else in the test's folder)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.rdf.serve import free_port, start
from tests.test_notebooks import CHROMIUM_FLAGS, _chromium


def _driver_path() -> str | None:
    for candidate in (os.environ.get("KG_CHROMEDRIVER"), "chromedriver", "/usr/lib/chromium/chromedriver"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.service import Service

    chromium, driver = _chromium(), _driver_path()
    if chromium is None or driver is None:
        pytest.skip("Chromium or its driver is missing (Debian packages chromium and chromium-driver; .ci/run installs "
                    "them when run as root)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(flag)
    drv = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()


def test_search_open_the_entity_and_read_its_evidence(browser, seed_ttl, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    with start(seed_ttl, port=free_port(), app="kg.browse") as server:
        browser.get(server.url + "/")
        box = wait.until(ec.element_to_be_clickable((By.ID, "q-big")))
        box.send_keys("cirrhosis")  # as a user types: the suggestions come from /search?format=json
        hit = wait.until(ec.element_to_be_clickable((By.XPATH, "//ul[contains(@class,'suggest')]//a[contains(., 'cirrhosis of liver')]")))
        hit.click()
        wait.until(ec.url_contains("/entity/MONDO:0005155"))
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("cirrhosis of liver")
        sentences = browser.find_elements(By.CSS_SELECTOR, "li.ev blockquote.sentence[lang=en]")
        assert sentences, "no English evidence sentence on the page"
        sentence = sentences[0]
        assert sentence.text.startswith("Mesenchymal stem cells (MSCs) are expected to be used clinically for liver cirrhosis")
        assert sentence.find_element(By.CSS_SELECTOR, "mark.subj").text == "Mesenchymal stem cells"
        assert sentence.find_element(By.CSS_SELECTOR, "mark.obj").text == "liver cirrhosis"
        assert sentence.find_element(By.CSS_SELECTOR, "mark.trig").text == "be used clinically for"
        colour = sentence.find_element(By.CSS_SELECTOR, "mark.obj").value_of_css_property("border-bottom-color")
        assert colour.replace(" ", "") == "rgba(225,87,89,1)"  # the disease colour of draw.toml, #E15759
        # the neighbourhood, drawn by the shipped vis-network on a canvas
        wait.until(lambda d: d.execute_script("return !!(window.kgNetwork && document.querySelector('#graph canvas'))"))
        assert browser.execute_script("return window.kgNetwork.body.data.nodes.length") >= 2
        browser.execute_script("document.querySelector('li.ev').scrollIntoView({block: 'center'})")
        shot = Path(os.environ.get("KG_SCREENSHOT") or tmp_path / "entity.png")
        browser.set_window_size(1280, 1500)
        browser.execute_script("window.scrollTo(0, 0)")
        assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert not errors, errors
