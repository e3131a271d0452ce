"""docs/testing.md's pytest example: the POS app mints its own request_id, pays by Alipay
face-to-face through taobaopy and polls; the test steers and verifies through the ``topmock``
fixture (pip install ./clients/python) and never sees the id."""
import json
import uuid

from taobaopy.taobao import TaoBaoAPIClient


class PosTerminal:
    """The app under test: a TOP client with the gateway URL, app key and secret it is given."""

    def __init__(self, url, app_key, secret):
        self.client = TaoBaoAPIClient(app_key, secret, domain=url, retry_count=1)

    def pay_by_alipay(self, shop_id, checkout_id, fen, pay_code, polls=5):
        request_id = str(uuid.uuid4())
        pay = {"request_id": request_id, "checkout_id": checkout_id, "pay_fee": fen, "pay_channel": "alipay_facepay_v2",
               "payment_channel": 1006, "channel_account": pay_code, "buyer_id": 123}
        answer = self.client.alibaba__pos_order_pay(shop_id=shop_id, pay_request=json.dumps(pay))
        status = answer["alibaba_pos_order_pay_response"]["result"]["model"]["action_status"]
        for _ in range(polls):
            if status != "PAYING":
                break
            query = json.dumps({"request_id": request_id, "buyer_id": 123})
            answer = self.client.alibaba__pos_pay_action_query(shop_id=shop_id, payment_action_request=query)
            status = answer["alibaba_pos_pay_action_query_response"]["result"]["model"]["action_status"]
        return status


def test_the_terminal_pays_once_by_alipay_and_waits_for_success(topmock):
    terminal = PosTerminal(topmock.url, topmock.app_key, topmock.secret)

    assert terminal.pay_by_alipay(124, "order-1001", 1500, "281234567890123456") == "SUCCESS"

    topmock.verify("alibaba.pos.order.pay", {"pay_request.pay_fee": 1500, "pay_request.pay_channel": "alipay_facepay_v2"}, count=1)
    # checkout-alipay.yaml: Alipay face-to-face answers PAYING until its third poll.
    topmock.verify("alibaba.pos.pay.action.query", count=3)
    # The pay code is a secret: the journal keeps it masked.
    assert topmock.requests("alibaba.pos.order.pay")[0].fields["pay_request.channel_account"] == "***"


def test_the_customer_pays_later_when_the_test_says_so(topmock):
    terminal = PosTerminal(topmock.url, topmock.app_key, topmock.secret)
    assert terminal.pay_by_alipay(124, "order-1002", 900, "281234567890123456", polls=0) == "PAYING"
    created = topmock.requests("alibaba.pos.order.pay")[0].request_id
    topmock.set_action_status(124, created, "SUCCESS")
    assert topmock.action(124, created)["status"] == "SUCCESS"
