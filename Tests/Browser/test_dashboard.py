"""The dashboard (/__admin/ui) in a real Chromium: a developer reads why a call failed and does
what a person does in a test (the customer paid, reset), while an app (taobaopy) calls the
gateway. Run by Tests/Browser/run, which starts topmock and sets TOPMOCK_URL."""
import json
import os
import urllib.request
import uuid

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait
from taobaopy.taobao import TaoBaoAPIClient, TaoBaoAPIError

URL = os.environ["TOPMOCK_URL"]
SHOTS = os.environ.get("TOPMOCK_SCREENSHOTS", ".")
WAIT = 10  # seconds any one thing may take to appear (the list polls every second)


def admin(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(URL + path, method=method, data=data,
                                     headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"{}")


@pytest.fixture
def app():
    """A fresh app (its own namespace), removed after the test."""
    made = admin("POST", "/__admin/apps", {})
    yield made
    admin("DELETE", "/__admin/apps/" + made["app_key"])


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    yield driver
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    driver.quit()
    assert errors == [], f"the page logged errors: {errors}"


def shot(driver, name):
    driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def wait(driver, condition):
    """`condition`'s first truthy answer. A part the page re-renders while the condition reads it
    (a refresh landing between finding an element and reading it) is read again."""
    return WebDriverWait(driver, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def client(app, secret=None):
    return TaoBaoAPIClient(app["app_key"], secret or app["secret"], domain=URL, retry_count=1)


def pay(app, request_id, channel="alipay_facepay_v2", fee=1500):
    pay_request = {"request_id": request_id, "checkout_id": "ui-" + request_id, "pay_fee": fee, "pay_channel": channel,
                   "buyer_id": 123, "channel_account": "281234567890123456"}
    answer = client(app).alibaba__pos_order_pay(shop_id=124, pay_request=json.dumps(pay_request))
    return answer["alibaba_pos_order_pay_response"]["result"]["model"]["action_status"]


def filter_by_namespace(driver, namespace):
    field = driver.find_element(By.ID, "filter-namespace")
    field.clear()
    field.send_keys(namespace, Keys.ENTER)


def row(driver, **attributes):
    selector = "#calls tr" + "".join(f'[data-{name.replace("_", "-")}="{value}"]' for name, value in attributes.items())
    return wait(driver, EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def test_a_payment_appears_live_and_its_detail_shows_what_was_sent_and_answered(browser, app):
    browser.get(URL + "/__admin/ui")
    filter_by_namespace(browser, app["namespace"])
    request_id = str(uuid.uuid4())
    assert pay(app, request_id) == "PAYING"
    # The live list picks the call up by itself (polling), newest first.
    first = row(browser, outcome="created")
    assert "alibaba.pos.order.pay" in first.text and request_id in first.text
    first.click()
    detail = wait(browser, EC.visibility_of_element_located((By.ID, "detail-answer")))
    assert '"action_status": "PAYING"' in detail.text
    pane = browser.find_element(By.ID, "detail").text
    assert "pay_request.pay_fee" in pane and "1500" in pane
    # The pay code is a secret: masked in the parameters the page shows.
    assert "281234567890123456" not in pane and "***" in pane
    shot(browser, "calls")


def test_a_wrong_secret_call_shows_its_signature_diagnosis(browser, app):
    browser.get(URL + "/__admin/ui")
    filter_by_namespace(browser, app["namespace"])
    with pytest.raises(TaoBaoAPIError):
        client(app, secret="not-the-secret").alibaba__pos_pay_action_query(
            shop_id=124, payment_action_request=json.dumps({"request_id": "cash-0001", "buyer_id": 123}))
    row(browser, outcome="rejected").click()
    why = wait(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, "#detail .why")))
    assert "TOP error 25" in why.text
    pane = browser.find_element(By.ID, "detail").text
    assert "Signature mismatch" in pane and "likely cause" in pane
    assert "not-the-secret" not in pane
    shot(browser, "wrong-secret")


def test_customer_paid_changes_the_status_and_the_apps_next_poll_succeeds(browser, app):
    request_id = str(uuid.uuid4())
    assert pay(app, request_id) == "PAYING"
    browser.get(URL + "/__admin/ui#namespaces")
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, f'#namespace option[value="{app["namespace"]}"]')))
    Select(browser.find_element(By.ID, "namespace")).select_by_value(app["namespace"])
    status = f'tr[data-request-id="{request_id}"] td[data-status]'
    # Read inside the wait: choosing the namespace renders its pane anew.
    wait(browser, lambda driver: driver.find_element(By.CSS_SELECTOR, status).text == "PAYING")
    shot(browser, "namespace-paying")
    browser.find_element(By.CSS_SELECTOR, f'button[data-action="paid"][data-request-id="{request_id}"]').click()
    wait(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, status), "SUCCESS"))
    query = json.dumps({"request_id": request_id, "buyer_id": 123})
    answer = client(app).alibaba__pos_pay_action_query(shop_id=124, payment_action_request=query)
    assert answer["alibaba_pos_pay_action_query_response"]["result"]["model"]["action_status"] == "SUCCESS"
    shot(browser, "namespace-paid")


def test_reset_drops_the_namespaces_payments(browser, app):
    request_id = str(uuid.uuid4())
    pay(app, request_id, channel="cash")
    browser.get(URL + "/__admin/ui#namespaces")
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, f'#namespace option[value="{app["namespace"]}"]')))
    Select(browser.find_element(By.ID, "namespace")).select_by_value(app["namespace"])
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, f'tr[data-request-id="{request_id}"]')))
    browser.find_element(By.ID, "namespace-reset").click()
    wait(browser, EC.text_to_be_present_in_element((By.ID, "status"), f"reset namespace {app['namespace']}"))
    wait(browser, EC.invisibility_of_element_located((By.CSS_SELECTOR, f'tr[data-request-id="{request_id}"]')))
    assert [a for a in admin("GET", f"/__admin/namespaces/{app['namespace']}/actions")["actions"] if a["created"]] == []


def test_a_broken_reload_shows_its_diagnostics(browser):
    broken = os.path.join(os.environ["TOPMOCK_EXTRA_SCENARIOS"], "broken.yaml")
    with open(broken, "w") as file:
        file.write("shops:\n  - shop_id: 124\n    payment_orders:\n      - actions:\n          - {request_id: b-1, buyer_id: 1, chanel: cash}\n")
    try:
        browser.get(URL + "/__admin/ui#scenarios")

        def diagnostics(driver):
            driver.find_element(By.ID, "scenarios-refresh").click()
            found = driver.find_elements(By.ID, "reload-diagnostics")
            return found[0].text if found else False  # read here: the next refresh replaces it

        text = wait(browser, diagnostics)
        assert f"{broken}:5:44: error: unknown key 'chanel' in a payment action; did you mean 'channel'?" in text
        assert browser.find_elements(By.CSS_SELECTOR, "#scenarios tr")  # the last good set, still listed
        shot(browser, "scenarios-broken-reload")
    finally:
        os.remove(broken)


def test_the_page_is_usable_from_the_keyboard_and_in_a_narrow_window(browser, app):
    for _ in range(3):
        pay(app, str(uuid.uuid4()), channel="cash")
    browser.set_window_size(600, 800)
    browser.get(URL + "/__admin/ui")
    filter_by_namespace(browser, app["namespace"])
    row(browser, outcome="created")
    # Tab reaches the list; arrows move; Enter opens the call.
    rows = browser.find_elements(By.CSS_SELECTOR, "#calls tr")
    rows[0].send_keys(Keys.ARROW_DOWN)
    assert browser.switch_to.active_element == rows[1]
    rows[1].send_keys(Keys.ENTER)
    wait(browser, EC.text_to_be_present_in_element((By.ID, "detail-title"), f"#{rows[1].get_attribute('data-id')}"))
    # Tabs switch with the arrow keys.
    browser.find_element(By.ID, "tab-calls").send_keys(Keys.ARROW_RIGHT)
    assert browser.find_element(By.ID, "tab-namespaces").get_attribute("aria-selected") == "true"
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 600, f"the narrow page scrolls sideways ({width} px)"
    shot(browser, "narrow")


def test_a_full_journal_is_paged_not_rendered_whole(browser, app):
    # More calls than a page: the page shows one page (100 rows) and moves through the rest.
    made = client(app)
    for index in range(250):
        made.alibaba__pos_pay_action_query(shop_id=124, payment_action_request=json.dumps({"request_id": "cash-0001", "buyer_id": 123}))
    browser.get(URL + "/__admin/ui")
    filter_by_namespace(browser, app["namespace"])

    def shown(driver):
        """The ids of the rows shown, read in one go (the list may change between two reads)."""
        return driver.execute_script("return [...document.querySelectorAll('#calls tr')].map((row) => Number(row.dataset.id))")

    wait(browser, lambda driver: len(shown(driver)) == 100)
    newest = shown(browser)[0]
    browser.find_element(By.ID, "older").click()
    wait(browser, lambda driver: shown(driver)[:1] == [newest - 100])
    assert len(shown(browser)) == 100
    browser.find_element(By.ID, "newer").click()
    wait(browser, lambda driver: shown(driver)[:1] == [newest])
