"""The pytest plugin against a real topmock, driven by the real TOP clients the conformance suite
uses (taobaopy, py-taobao-open) with each test's own app key and secret."""
import json
import urllib.parse
import uuid

import pytest
import taobao_open
from taobao_open.api.base import RestApi
from taobaopy.taobao import TaoBaoAPIClient

from topmock_pytest import JournalEntry, TopMockApp, TopMockError, TopMockVerificationError


def taobaopy(app: TopMockApp) -> TaoBaoAPIClient:
    return TaoBaoAPIClient(app.app_key, app.secret, domain=app.url, retry_count=1)


def official(app: TopMockApp, api: str, **fields):
    """A call as py-taobao-open's generated request classes make it: the method's parameters as
    attributes of a RestApi, signed with this test's app."""
    url = urllib.parse.urlparse(app.topmock.url)
    request_class = type("Request", (RestApi,), {"getapiname": lambda self: api})
    request = request_class(url.hostname, url.port)
    request.set_app_info(taobao_open.appinfo(app.app_key, app.secret))
    for name, value in fields.items():
        setattr(request, name, value)
    return request.getResponse()


def pay(request_id, checkout_id, fen, channel="cash", buyer=123, **extra):
    return json.dumps({"request_id": request_id, "checkout_id": checkout_id, "pay_fee": fen, "pay_channel": channel,
                       "buyer_id": buyer, **extra})


def test_a_fresh_uuid_paid_by_alipay_then_polled_until_success(topmock):
    """The POS flow: mint a request_id, order.pay, poll pay.action.query; verify it paid once."""
    client = taobaopy(topmock)
    request_id, checkout_id = str(uuid.uuid4()), "co-" + uuid.uuid4().hex[:10]
    paid = client.alibaba__pos_order_pay(shop_id=124, pay_request=pay(request_id, checkout_id, 1500, "alipay_facepay_v2"))
    assert paid["alibaba_pos_order_pay_response"]["result"]["model"]["action_status"] == "PAYING"
    query = json.dumps({"request_id": request_id, "buyer_id": 123})
    statuses = [client.alibaba__pos_pay_action_query(shop_id=124, payment_action_request=query)
                ["alibaba_pos_pay_action_query_response"]["result"]["model"]["action_status"] for _ in range(3)]
    assert statuses == ["PAYING", "PAYING", "SUCCESS"]  # the Alipay profile: SUCCESS after two polls
    assert topmock.verify("alibaba.pos.order.pay", {"pay_request.pay_fee": 1500, "pay_request.pay_channel": "alipay_facepay_v2"}, count=1) == 1
    assert topmock.verify("alibaba.pos.pay.action.query", {"payment_action_request.request_id": request_id}, at_least=3) == 3
    assert topmock.action(124, request_id)["status"] == "SUCCESS"


def test_the_official_python_sdk_sees_a_checkout_made_through_the_helper(topmock):
    topmock.create_checkout(124, "co-official", total_fen=2000)
    for leg in range(2):
        answer = official(topmock, "alibaba.pos.order.pay", shop_id=124, pay_request=pay(str(uuid.uuid4()), "co-official", 1000))
        assert answer["alibaba_pos_order_pay_response"]["result"]["model"]["action_status"] == "SUCCESS"
        status = official(topmock, "alibaba.pos.paystatus.query", shop_id=124,
                          pay_status_request=json.dumps({"checkout_id": "co-official", "buyer_id": 123}))
        assert status["alibaba_pos_paystatus_query_response"]["result"]["model"]["checkout_status"] == leg
    assert topmock.checkout(124, "co-official")["paid_fen"] == 2000


def test_a_lost_reply_and_its_retry_are_two_calls_and_one_payment(topmock, topmock_server):
    request_id = "lost-" + uuid.uuid4().hex
    rule = ("rules:\n  - name: lost %s\n    when: {method: alibaba.pos.order.pay, request_id: {equals: %s}}\n"
            "    fault: close\n    takes_effect: true\n    first: 1\n" % (request_id, request_id))
    topmock_server.upload_scenario(request_id, rule)
    try:
        client = taobaopy(topmock)
        try:
            # requests (urllib3) resends the dropped call by itself, as the JDK does in Java.
            paid = client.alibaba__pos_order_pay(shop_id=124, pay_request=pay(request_id, "co-lost", 700))
        except Exception:
            paid = client.alibaba__pos_order_pay(shop_id=124, pay_request=pay(request_id, "co-lost", 700))  # the app's retry
        assert paid["alibaba_pos_order_pay_response"]["result"]["model"]["action_status"] == "SUCCESS"
        assert topmock.verify("alibaba.pos.order.pay", {"pay_request.pay_fee": 700}, count=2) == 2
        assert topmock.verify_payments({"pay_request.pay_fee": 700}, count=1) == 1
        with pytest.raises(TopMockVerificationError):
            topmock.verify_payments({"pay_request.pay_fee": 700}, count=2)
    finally:
        topmock_server.delete_scenario(request_id)


def test_a_failed_verification_quotes_the_near_miss(topmock):
    client = taobaopy(topmock)
    client.alibaba__pos_pay_action_query(shop_id=124, payment_action_request=json.dumps({"request_id": "cash-001", "buyer_id": 123}))
    with pytest.raises(TopMockVerificationError) as failure:
        topmock.verify("alibaba.pos.pay.action.query", {"payment_action_request.request_id": "cash-0001"}, count=1)
    message = str(failure.value)
    assert "expected exactly 1 request" in message and "found 0" in message
    assert "request_id=cash-001 → not_found; near miss: no payment action with request_id 'cash-001' in shop 124; nearest: 'cash-0001'" in message


def test_each_test_has_a_namespace_of_its_own(topmock, topmock_server):
    other = topmock_server.new_app()
    try:
        taobaopy(other).alibaba__pos_order_pay(shop_id=124, pay_request=pay("shared-id", "co-x", 100))
        assert topmock.requests() == []
        assert [entry.outcome for entry in other.requests("alibaba.pos.order.pay")] == ["created"]
        # The same request_id is a first payment in this test's namespace, not a replay.
        taobaopy(topmock).alibaba__pos_order_pay(shop_id=124, pay_request=pay("shared-id", "co-x", 100))
        entries = topmock.requests(fields={"pay_request.request_id": "shared-id"})
        assert len(entries) == 1 and isinstance(entries[0], JournalEntry) and entries[0].outcome == "created"
        assert entries[0].fields["pay_request.pay_fee"] == "100" and "sign" not in entries[0].fields
    finally:
        other.close()
    with pytest.raises(TopMockError) as gone:
        other.action(124, "shared-id")
    assert gone.value.status == 404


def test_steering_a_timeline_and_the_clock(topmock):
    client = taobaopy(topmock)
    client.alibaba__pos_order_pay(shop_id=124, pay_request=pay("pending-1", "co-p", 300, "alipay_facepay_v2"))
    assert topmock.set_action_status(124, "pending-1", "SUCCESS")["status"] == "SUCCESS"
    frozen = topmock.freeze_clock("2026-01-01 12:00:00")
    assert frozen["now"] == "2026-01-01 12:00:00"
    assert topmock.advance_clock("90s")["now"] == "2026-01-01 12:01:30"
    topmock.reset()
    with pytest.raises(TopMockError) as reset:
        topmock.action(124, "pending-1")
    assert (reset.value.status, reset.value.code) == (404, 1005)


def test_an_invalid_scenario_upload_is_refused_with_its_diagnostics(topmock_server):
    with pytest.raises(TopMockError) as refused:
        topmock_server.upload_scenario("broken", "shops:\n  - shop_id: nope\n")
    assert refused.value.code == 1004 and "broken" in refused.value.message


def test_an_uploaded_scenario_is_served_until_deleted(topmock, topmock_server):
    name = "pytest-shop-" + topmock.app_key
    topmock_server.upload_scenario(name, "name: pytest-shop\nshops:\n  - shop_id: 9002\n    payment_orders:\n      - actions:\n"
                                         "          - {request_id: py-0001, buyer_id: 7, channel: cash, status: SUCCESS}\n")
    query = json.dumps({"request_id": "py-0001", "buyer_id": 7})
    try:
        answer = taobaopy(topmock).alibaba__pos_pay_action_query(shop_id=9002, payment_action_request=query)
        assert answer["alibaba_pos_pay_action_query_response"]["result"]["model"]["action_status"] == "SUCCESS"
    finally:
        topmock_server.delete_scenario(name)
    taobaopy(topmock).alibaba__pos_pay_action_query(shop_id=9002, payment_action_request=query)
    assert [entry.outcome for entry in topmock.requests()] == ["found", "not_found"]
