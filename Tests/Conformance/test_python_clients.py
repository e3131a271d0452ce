"""Conformance: real TOP clients from PyPI against a live topmock.

- taobaopy 6.0.1: hmac, every parameter in a urlencoded POST body, local-time timestamp,
  `Connection: close`, `Accept-Encoding: gzip`; raises TaoBaoAPIError on error_response.
- py-taobao-open 1.0.3 (a port of the official Python SDK): md5, epoch-ms timestamp and partner_id,
  system parameters in the query string, business parameters in the body; raises TopException.

Run by Tests/Conformance/run, which starts topmock and sets TOPMOCK_URL.
"""
import json
import os
import urllib.parse
import urllib.request

import pytest
from taobaopy.taobao import TaoBaoAPIClient, TaoBaoAPIError
from taobao_open.api.base import RestApi, TopException
import taobao_open

URL = os.environ["TOPMOCK_URL"]
HOST = urllib.parse.urlparse(URL).hostname
PORT = urllib.parse.urlparse(URL).port
KEY, SECRET = "12345678", "helloworld"


def action(request_id, buyer_id):
    return json.dumps({"buyer_id": buyer_id, "request_id": request_id})


# ---------------------------------------------------------------- taobaopy


def taobaopy(key=KEY, secret=SECRET):
    return TaoBaoAPIClient(key, secret, domain=URL, retry_count=1)


def test_taobaopy_reads_a_cash_action():
    answer = taobaopy().alibaba__pos_pay_action_query(shop_id=124, payment_action_request=action("cash-0001", 123))
    result = answer["alibaba_pos_pay_action_query_response"]["result"]
    assert result["success"] is True
    assert result["model"] == {
        "result_code": "SUCCESS", "result_message": "现金支付成功", "channel_name": "cash",
        "action_status": "SUCCESS", "success": True,
    }
    request_id = answer["alibaba_pos_pay_action_query_response"]["request_id"]
    assert 12 <= len(request_id) <= 13 and request_id.isalnum() and request_id == request_id.lower()


def test_taobaopy_reads_both_legs_of_a_split_payment():
    client = taobaopy()
    channels = [
        client.alibaba__pos_pay_action_query(shop_id=124, payment_action_request=action(leg, 456))
        ["alibaba_pos_pay_action_query_response"]["result"]["model"]["channel_name"]
        for leg in ("split-0001-cash", "split-0001-alipay")
    ]
    assert channels == ["cash", "alipay"]


def test_taobaopy_sees_a_business_not_found():
    answer = taobaopy().alibaba__pos_pay_action_query(shop_id=124, payment_action_request=action("no-such-action", 123))
    result = answer["alibaba_pos_pay_action_query_response"]["result"]
    assert result == {"msg_code": "PAY_ACTION_NOT_FOUND",
                      "msg_info": "no payment action with request_id 'no-such-action' in shop 124", "success": False}


def test_taobaopy_wrong_secret_is_code_25():
    with pytest.raises(TaoBaoAPIError) as raised:
        taobaopy(secret="not-the-secret").alibaba__pos_pay_action_query(shop_id=124, payment_action_request=action("cash-0001", 123))
    assert (raised.value.code, raised.value.msg, raised.value.sub_code) == (25, "Invalid signature", "")


def test_taobaopy_unknown_app_key_is_code_29():
    with pytest.raises(TaoBaoAPIError) as raised:
        taobaopy(key="99999999").alibaba__pos_pay_action_query(shop_id=124, payment_action_request=action("cash-0001", 123))
    assert (raised.value.code, raised.value.msg, raised.value.sub_code) == (29, "Invalid app Key", "isv.appkey-not-exists")


def test_taobaopy_bad_shop_id_is_code_41():
    with pytest.raises(TaoBaoAPIError) as raised:
        taobaopy().alibaba__pos_pay_action_query(shop_id="shop-124", payment_action_request=action("cash-0001", 123))
    assert (raised.value.code, raised.value.msg) == (41, "Invalid arguments:shop_id")


def test_taobaopy_missing_request_is_code_40():
    with pytest.raises(TaoBaoAPIError) as raised:
        taobaopy().alibaba__pos_pay_action_query(shop_id=124)
    assert (raised.value.code, raised.value.msg) == (40, "Missing required arguments:payment_action_request")


def test_taobaopy_unknown_method_is_code_22():
    with pytest.raises(TaoBaoAPIError) as raised:
        taobaopy().alibaba__pos_order_cancel(shop_id=124)
    assert (raised.value.code, raised.value.msg) == (22, "Invalid method")


# ---------------------------------------------------------- py-taobao-open


class AlibabaPosPayActionQueryRequest(RestApi):
    """What the official SDK generates for this API."""

    def __init__(self, domain=HOST, port=PORT):
        RestApi.__init__(self, domain, port)
        self.shop_id = None
        self.payment_action_request = None

    def getapiname(self):
        return "alibaba.pos.pay.action.query"


def official(shop_id, request, key=KEY, secret=SECRET, api=None):
    req = AlibabaPosPayActionQueryRequest()
    if api:
        req.getapiname = lambda: api
    req.set_app_info(taobao_open.appinfo(key, secret))
    req.shop_id = shop_id
    req.payment_action_request = request
    return req.getResponse()


def test_official_sdk_reads_a_failed_alipay_action():
    answer = official(124, action("alipay-failed-0001", 789))
    model = answer["alibaba_pos_pay_action_query_response"]["result"]["model"]
    assert (model["channel_name"], model["action_status"], model["result_code"]) == ("alipay", "FAILED", "ACQ.BUYER_BALANCE_NOT_ENOUGH")


def test_official_sdk_reads_an_alipay_action():
    answer = official(124, action("alipay-0001", 123))
    assert answer["alibaba_pos_pay_action_query_response"]["result"]["model"]["action_status"] == "SUCCESS"


def test_official_sdk_wrong_secret_is_code_25():
    with pytest.raises(TopException) as raised:
        official(124, action("cash-0001", 123), secret="nope")
    assert (raised.value.errorcode, raised.value.message) == (25, "Invalid signature")


def test_official_sdk_unknown_app_key_is_code_29():
    with pytest.raises(TopException) as raised:
        official(124, action("cash-0001", 123), key="4242")
    assert (raised.value.errorcode, raised.value.subcode) == (29, "isv.appkey-not-exists")


def test_official_sdk_buyer_id_of_wrong_type_is_code_41():
    with pytest.raises(TopException) as raised:
        official(124, json.dumps({"buyer_id": "one", "request_id": "cash-0001"}))
    assert (raised.value.errorcode, raised.value.message) == (41, "Invalid arguments:payment_action_request.buyer_id")


def test_official_sdk_unknown_method_is_code_22():
    with pytest.raises(TopException) as raised:
        official(124, action("cash-0001", 123), api="alibaba.pos.order.cancel")
    assert (raised.value.errorcode, raised.value.message) == (22, "Invalid method")


# ---------------------------------------------------------------- the checkout: order.pay → polls → paystatus


class AlibabaPosOrderPayRequest(RestApi):
    """What the official SDK generates for alibaba.pos.order.pay."""

    def __init__(self, domain=HOST, port=PORT):
        RestApi.__init__(self, domain, port)
        self.shop_id = None
        self.pay_request = None

    def getapiname(self):
        return "alibaba.pos.order.pay"


class AlibabaPosPaystatusQueryRequest(RestApi):
    """What the official SDK generates for alibaba.pos.paystatus.query."""

    def __init__(self, domain=HOST, port=PORT):
        RestApi.__init__(self, domain, port)
        self.shop_id = None
        self.pay_status_request = None

    def getapiname(self):
        return "alibaba.pos.paystatus.query"


def official_call(request_class, **fields):
    req = request_class()
    req.set_app_info(taobao_open.appinfo(KEY, SECRET))
    for name, value in fields.items():
        setattr(req, name, value)
    return req.getResponse()


def test_official_sdk_pays_a_fresh_uuid_by_alipay_then_polls_both_methods():
    import uuid
    request_id, checkout_id = str(uuid.uuid4()), "co-" + uuid.uuid4().hex[:12]
    pay = json.dumps({"request_id": request_id, "checkout_id": checkout_id, "pay_fee": 1500,
                      "pay_channel": "alipay_facepay_v2", "payment_channel": 1006, "buyer_id": 123})
    answer = official_call(AlibabaPosOrderPayRequest, shop_id=124, pay_request=pay)
    model = answer["alibaba_pos_order_pay_response"]["result"]["model"]
    assert (model["payment_order_id"], model["current_pay_fee"], model["action_status"]) == (checkout_id, 1500, "PAYING")
    # The app's retry with the same request_id is the same payment.
    assert official_call(AlibabaPosOrderPayRequest, shop_id=124, pay_request=pay)["alibaba_pos_order_pay_response"]["result"]["model"] == model
    status = json.dumps({"checkout_id": checkout_id, "buyer_id": 123})
    codes = [official_call(AlibabaPosPaystatusQueryRequest, shop_id=124, pay_status_request=status)
             ["alibaba_pos_paystatus_query_response"]["result"]["model"]["checkout_status"] for _ in range(3)]
    assert codes == [0, 0, 1]
    final = official(124, action(request_id, 123))["alibaba_pos_pay_action_query_response"]["result"]["model"]
    assert (final["channel_name"], final["action_status"]) == ("alipay", "SUCCESS")


def test_official_sdk_order_pay_without_checkout_id_is_code_40():
    with pytest.raises(TopException) as raised:
        official_call(AlibabaPosOrderPayRequest, shop_id=124, pay_request=json.dumps({"request_id": "r-1"}))
    assert (raised.value.errorcode, raised.value.message) == (40, "Missing required arguments:pay_request.checkout_id")


def test_taobaopy_pays_cash_in_two_legs_and_sees_the_checkout_paid():
    import uuid
    client = taobaopy()
    checkout_id = "co-" + uuid.uuid4().hex[:12]
    admin = urllib.request.Request(URL + "/__admin/namespaces/" + KEY + "/checkouts", method="POST",
                                   data=json.dumps({"shop_id": 124, "checkout_id": checkout_id, "total_fen": 2000}).encode(),
                                   headers={"Content-Type": "application/json"})
    assert urllib.request.urlopen(admin).status == 201
    status = json.dumps({"checkout_id": checkout_id, "buyer_id": 456})
    for leg in range(2):
        pay = json.dumps({"request_id": str(uuid.uuid4()), "checkout_id": checkout_id, "pay_fee": 1000,
                          "pay_channel": "cash", "buyer_id": 456})
        result = client.alibaba__pos_order_pay(shop_id=124, pay_request=pay)["alibaba_pos_order_pay_response"]["result"]
        assert result["success"] is True and result["model"]["action_status"] == "SUCCESS"
        checkout = client.alibaba__pos_paystatus_query(shop_id=124, pay_status_request=status)
        assert checkout["alibaba_pos_paystatus_query_response"]["result"]["model"]["checkout_status"] == leg
    over = json.dumps({"request_id": str(uuid.uuid4()), "checkout_id": checkout_id, "pay_fee": 1, "pay_channel": "cash", "buyer_id": 456})
    result = client.alibaba__pos_order_pay(shop_id=124, pay_request=over)["alibaba_pos_order_pay_response"]["result"]
    assert (result["success"], result["msg_code"]) == (False, "CHECKOUT_ALREADY_PAID")


# ---------------------------------------------------------------- the rest of the sale (scenarios/pos-store.yaml)


def official_method(api, **fields):
    """A call through py-taobao-open as the official SDK's generated request class for `api` makes it."""

    class Request(RestApi):
        def __init__(self, domain=HOST, port=PORT):
            RestApi.__init__(self, domain, port)

        def getapiname(self):
            return api

    return official_call(Request, **fields)


def scan_request(code):
    return json.dumps({"code_value": code, "code_type": "BARCODE", "machine_id": "pos-1", "source": "pos", "shop_id": "124",
                       "business_type": "1", "merchant_code": "DEMO"})


def test_taobaopy_scans_an_item_and_a_coupon():
    client = taobaopy()
    water = client.alibaba__pos_item_get(shop_id=124, code_reader_req=scan_request("6921168509256"))
    item = water["alibaba_pos_item_get_response"]["result"]["model"]["buy_item"]
    assert (item["item_id"], item["price"], item["promotion_price"], item["inv_unit"]) == (5001, 200, 150, "瓶")
    coupon = client.alibaba__pos_item_get(shop_id=124, code_reader_req=scan_request("YH-50-5"))
    assert coupon["alibaba_pos_item_get_response"]["result"]["model"]["asset"]["type"] == "COUPON"
    unknown = client.alibaba__pos_item_get(shop_id=124, code_reader_req=scan_request("000"))
    assert unknown["alibaba_pos_item_get_response"]["result"]["msg_code"] == "CODE_NOT_FOUND"


def test_official_sdk_item_get_without_code_value_is_code_40():
    with pytest.raises(TopException) as raised:
        official_method("alibaba.pos.item.get", shop_id=124, code_reader_req=json.dumps({"machine_id": "pos-1"}))
    assert (raised.value.errorcode, raised.value.message) == (40, "Missing required arguments:code_reader_req.code_value")


def subtotal_request(machine, lines, assets=()):
    return json.dumps({"machine_id": machine, "shop_id": "124", "business_type": "1", "merchant_code": "DEMO",
                       "item_list": list(lines), "asset_list": list(assets)})


def test_official_sdk_subtotals_a_basket_with_a_promotion_a_weight_and_a_coupon():
    import uuid
    lines = [{"item_id": 5001, "buy_quantity": 2}, {"item_id": 5003, "inv_quantity": "0.532"}, {"item_id": 5002, "buy_quantity": 1}]
    answer = official_method("alibaba.pos.items.subtotal", shop_id=124, buyer_id=456,
                             subtotal_request=subtotal_request(uuid.uuid4().hex, lines, [{"code": "YH-50-5", "type": "COUPON"}]))
    model = answer["alibaba_pos_items_subtotal_response"]["result"]["model"]
    # 400 + 681 + 6990 = 8071; promotions 100; coupon 500 (the basket is over 5000 after promotions).
    assert (model["total_fee"], model["promotion_fee"], model["coupon_fee"], model["actual_fee"]) == (8071, 100, 500, 7471)
    assert model["checkout_id"] == str(model["biz_order_id"])


def test_taobaopy_pays_a_subtotal_in_cash_with_change_and_prints_the_receipt():
    import uuid
    client = taobaopy()
    priced = client.alibaba__pos_items_subtotal(shop_id=124, buyer_id=456,
                                                subtotal_request=subtotal_request(uuid.uuid4().hex, [{"item_id": 5004, "buy_quantity": 2}]))
    order = priced["alibaba_pos_items_subtotal_response"]["result"]["model"]["biz_order_id"]
    pay = json.dumps({"request_id": str(uuid.uuid4()), "checkout_id": str(order), "pay_fee": 1000, "pay_channel": "cash", "buyer_id": 456})
    paid = client.alibaba__pos_order_pay(shop_id=124, pay_request=pay)["alibaba_pos_order_pay_response"]["result"]["model"]
    assert (paid["action_status"], paid["current_pay_fee"]) == ("SUCCESS", 700)
    receipt = client.alibaba__pos_bill_get(shop_id=124, bill_print_request=json.dumps({"biz_order_id": order}))
    model = receipt["alibaba_pos_bill_get_response"]["result"]["model"]
    assert (model["receive_fee"], model["change_fee"], model["biz_order_id"]) == (1000, 300, order)
    lines = model["item_blocks"]["bill_item_block_dto"][0]["item_dtos"]["bill_item_dto"]
    assert [(line["item_id"], line["quantity"], line["total_fee"]) for line in lines] == [("5004", 2, 700)]


def test_official_sdk_bill_get_of_an_unknown_order_is_a_business_failure():
    answer = official_method("alibaba.pos.bill.get", shop_id=124, bill_print_request=json.dumps({"biz_order_id": 1}))
    result = answer["alibaba_pos_bill_get_response"]["result"]
    assert (result["success"], result["msg_code"]) == (False, "ORDER_NOT_FOUND")


def test_official_sdk_checks_a_card_and_taobaopy_a_frozen_one():
    request = {"payer_id": 456, "channel_name": "card", "channel_account": "6222020200112233445"}
    answer = official_method("alibaba.pos.pay.account.ack", store_id=124, pay_account_detail_request=json.dumps(request))
    model = answer["alibaba_pos_pay_account_ack_response"]["result"]["model"]
    assert (model["balance"], model["is_valid"], model["account_status"]) == (52000, True, "正常")
    frozen = dict(request, channel_account="6222020200199887766")
    answer = taobaopy().alibaba__pos_pay_account_ack(store_id=124, pay_account_detail_request=json.dumps(frozen))
    assert answer["alibaba_pos_pay_account_ack_response"]["result"]["model"]["is_valid"] is False


def test_taobaopy_account_ack_without_channel_account_is_code_40():
    with pytest.raises(TaoBaoAPIError) as raised:
        taobaopy().alibaba__pos_pay_account_ack(store_id=124, pay_account_detail_request=json.dumps({"payer_id": 1, "channel_name": "card"}))
    assert "40" in str(raised.value) and "pay_account_detail_request.channel_account" in str(raised.value)


def test_official_sdk_and_taobaopy_read_the_features():
    request = json.dumps({"merchant_code": "DEMO", "shop_id": "124"})
    answer = official_method("alibaba.pos.service.features.get", get_config_request=request)
    features = answer["alibaba_pos_service_features_get_response"]["result"]["model"]["available_features"]["available_feature"]
    assert [feature["code"] for feature in features] == ["ALIPAY_FACEPAY", "YUNSHANFU_UNION_FACEPAY", "CASH"]
    again = taobaopy().alibaba__pos_service_features_get(get_config_request=request)
    assert again["alibaba_pos_service_features_get_response"]["result"]["model"]["available_features"]["available_feature"] == features
