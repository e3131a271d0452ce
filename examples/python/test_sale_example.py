"""docs/testing.md's whole sale in pytest (scenarios/pos-store.yaml): the POS app scans two items,
subtotals them with a promotion, takes 5.00 in cash and the rest by Alipay, polls until paid and
prints the receipt, through taobaopy; the test sets up its own promotion with the ``topmock``
fixture and checks that every amount agrees. Nothing is stubbed."""
import json
import uuid

from taobaopy.taobao import TaoBaoAPIClient


class SaleTerminal:
    """The app under test: one sale at a time, as a POS app rings it up."""

    def __init__(self, url, app_key, secret, shop_id=124, buyer_id=456):
        self.client = TaoBaoAPIClient(app_key, secret, domain=url, retry_count=1)
        self.shop_id, self.buyer_id = shop_id, buyer_id

    @staticmethod
    def model(answer):
        return next(iter(answer.values()))["result"]["model"]

    def scan(self, code):
        reader = {"code_value": code, "code_type": "BARCODE", "machine_id": "pos-1", "source": "pos", "shop_id": str(self.shop_id),
                  "business_type": "1", "merchant_code": "DEMO"}
        return self.model(self.client.alibaba__pos_item_get(shop_id=self.shop_id, code_reader_req=json.dumps(reader)))["buy_item"]

    def subtotal(self, basket):
        lines = [{"item_id": item["item_id"], "buy_quantity": count, **({"sku_id": item["sku_id"]} if "sku_id" in item else {})}
                 for item, count in basket]
        request = {"machine_id": "pos-1", "shop_id": str(self.shop_id), "business_type": "1", "merchant_code": "DEMO", "item_list": lines}
        return self.model(self.client.alibaba__pos_items_subtotal(shop_id=self.shop_id, buyer_id=self.buyer_id,
                                                                   subtotal_request=json.dumps(request)))

    def pay(self, order_id, fen, channel, pay_code=None):
        pay = {"request_id": str(uuid.uuid4()), "checkout_id": str(order_id), "order_id": str(order_id), "pay_fee": fen,
               "pay_channel": channel, "buyer_id": self.buyer_id, **({"channel_account": pay_code} if pay_code else {})}
        return self.model(self.client.alibaba__pos_order_pay(shop_id=self.shop_id, pay_request=json.dumps(pay)))["action_status"]

    def poll_until_paid(self, order_id, polls=5):
        status = None
        for _ in range(polls):
            request = json.dumps({"checkout_id": str(order_id), "buyer_id": self.buyer_id})
            status = self.model(self.client.alibaba__pos_paystatus_query(shop_id=self.shop_id, pay_status_request=request))["checkout_status"]
            if status == 1:
                break
        return status

    def receipt(self, order_id):
        request = json.dumps({"biz_order_id": order_id, "machine_id": "pos-1"})
        return self.model(self.client.alibaba__pos_bill_get(shop_id=self.shop_id, bill_print_request=request))


def test_a_whole_sale_agrees_from_scan_to_receipt(topmock):
    # This test's own promotion: cola at 3.00 instead of 3.50 (water is on promotion in the YAML).
    topmock.put_promotion(124, 5004, 300, title="周末特价")
    terminal = SaleTerminal(topmock.url, topmock.app_key, topmock.secret)

    water, cola = terminal.scan("6921168509256"), terminal.scan("6954767423579")
    assert (water["promotion_price"], cola["promotion_price"]) == (150, 300)

    # 2 × 2.00 + 3.50 = 7.50, less 1.50 of promotions: 6.00 to pay.
    subtotal = terminal.subtotal([(water, 2), (cola, 1)])
    assert (subtotal["total_fee"], subtotal["promotion_fee"], subtotal["actual_fee"]) == (750, 150, 600)
    order = subtotal["biz_order_id"]

    assert terminal.pay(order, 500, "cash") == "SUCCESS"
    assert terminal.pay(order, 100, "alipay_facepay_v2", "281234567890123456") == "PAYING"
    assert terminal.poll_until_paid(order) == 1  # checkout-alipay.yaml: Alipay succeeds on the second poll

    receipt = terminal.receipt(order)
    assert (receipt["biz_order_id"], receipt["receive_fee"], receipt["change_fee"], receipt["promotion_fee"]) == (order, 500, 0, 150)
    lines = receipt["item_blocks"]["bill_item_block_dto"][0]["item_dtos"]["bill_item_dto"]
    assert [(line["item_id"], line["quantity"], line["total_fee"]) for line in lines] == [("5001", 2, 300), ("5004", 1, 300)]
    assert [channel["channel_code"] for channel in receipt["payment_channels"]["payment_channel_dto"]] == ["cash", "alipay"]

    topmock.verify("alibaba.pos.order.pay", {"pay_request.pay_channel": "cash", "pay_request.pay_fee": 500}, count=1)
    assert topmock.store(124)["orders"][0]["status"] == "paid"
