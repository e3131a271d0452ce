package com.example.pos;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import dev.topmock.Json;

/**
 * The app under test in these examples: a POS terminal that pays a checkout by Alipay face-to-face
 * with a fresh request_id, then polls until the payment settles; and that rings up a whole sale
 * (scan, subtotal, one payment a tender, poll, receipt). A real app does the same with
 * the official SDK ({@code new DefaultTaobaoClient(url, appKey, secret)} and its generated
 * {@code AlibabaPosOrderPayRequest}); this one signs its calls itself so that the example runs
 * with the JDK alone.
 */
public final class PosTerminal {
    private final String url;
    private final String appKey;
    private final String secret;
    private final HttpClient http = HttpClient.newHttpClient();

    public PosTerminal(String url, String appKey, String secret) {
        this.url = url;
        this.appKey = appKey;
        this.secret = secret;
    }

    /** Pays {@code fen} of a checkout and waits (at most {@code polls} queries) for the result. */
    public String payByAlipay(long shopId, String checkoutId, long fen, String payCode, int polls) throws Exception {
        String requestId = UUID.randomUUID().toString();
        String pay = String.format("{\"request_id\":\"%s\",\"checkout_id\":\"%s\",\"pay_fee\":%d,\"pay_channel\":\"alipay_facepay_v2\","
                + "\"payment_channel\":1006,\"channel_account\":\"%s\",\"buyer_id\":123}", requestId, checkoutId, fen, payCode);
        String status = status(call("alibaba.pos.order.pay", Map.of("shop_id", String.valueOf(shopId), "pay_request", pay)));
        for (int poll = 0; poll < polls && status.equals("PAYING"); poll++) {
            String query = String.format("{\"request_id\":\"%s\",\"buyer_id\":123}", requestId);
            status = status(call("alibaba.pos.pay.action.query", Map.of("shop_id", String.valueOf(shopId), "payment_action_request", query)));
        }
        return status;
    }

    /** A scanned code's item ({@code buy_item}) or coupon ({@code asset}): {@code result.model}. */
    public Map<String, Object> scan(long shopId, String code) throws Exception {
        String reader = String.format("{\"code_value\":\"%s\",\"code_type\":\"BARCODE\",\"machine_id\":\"pos-1\",\"source\":\"pos\","
                + "\"shop_id\":\"%d\",\"business_type\":\"1\",\"merchant_code\":\"DEMO\"}", code, shopId);
        return model(call("alibaba.pos.item.get", Map.of("shop_id", String.valueOf(shopId), "code_reader_req", reader)));
    }

    /** The basket's amounts and the order's id ({@code biz_order_id}): each line is a scanned item and a count. */
    public Map<String, Object> subtotal(long shopId, long buyerId, List<Map<String, Object>> items, List<Long> counts) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Map<String, Object> item = items.get(i);
            String sku = item.containsKey("sku_id") ? ",\"sku_id\":" + item.get("sku_id") : "";
            lines.add(String.format("{\"item_id\":%s%s,\"buy_quantity\":%d}", item.get("item_id"), sku, counts.get(i)));
        }
        String request = String.format("{\"machine_id\":\"pos-1\",\"shop_id\":\"%d\",\"business_type\":\"1\",\"merchant_code\":\"DEMO\","
                + "\"item_list\":[%s]}", shopId, String.join(",", lines));
        return model(call("alibaba.pos.items.subtotal",
                Map.of("shop_id", String.valueOf(shopId), "buyer_id", String.valueOf(buyerId), "subtotal_request", request)));
    }

    /** One tender of the order: its {@code action_status}. */
    public String pay(long shopId, long buyerId, Object orderId, long fen, String payChannel, String payCode) throws Exception {
        String account = payCode == null ? "" : ",\"channel_account\":\"" + payCode + "\"";
        String pay = String.format("{\"request_id\":\"%s\",\"checkout_id\":\"%s\",\"order_id\":\"%s\",\"pay_fee\":%d,\"pay_channel\":\"%s\","
                + "\"buyer_id\":%d%s}", UUID.randomUUID(), orderId, orderId, fen, payChannel, buyerId, account);
        return status(call("alibaba.pos.order.pay", Map.of("shop_id", String.valueOf(shopId), "pay_request", pay)));
    }

    /** Polls the order's checkout (at most {@code polls} times) until it is paid: its last {@code checkout_status}. */
    public long pollUntilPaid(long shopId, long buyerId, Object orderId, int polls) throws Exception {
        long status = -1;
        for (int poll = 0; poll < polls && status != 1; poll++) {
            String request = String.format("{\"checkout_id\":\"%s\",\"buyer_id\":%d}", orderId, buyerId);
            status = (Long) model(call("alibaba.pos.paystatus.query", Map.of("shop_id", String.valueOf(shopId), "pay_status_request", request)))
                    .get("checkout_status");
        }
        return status;
    }

    /** The receipt: {@code result.model} of bill.get. */
    public Map<String, Object> receipt(long shopId, Object orderId) throws Exception {
        String request = String.format("{\"biz_order_id\":%s,\"machine_id\":\"pos-1\"}", orderId);
        return model(call("alibaba.pos.bill.get", Map.of("shop_id", String.valueOf(shopId), "bill_print_request", request)));
    }

    /** {@code result.model} of an answer; an exception with the answer when there is none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> model(String answer) {
        Map<String, Object> root = Json.object(answer);
        Object response = root.values().iterator().next();
        Object result = response instanceof Map ? ((Map<String, Object>) response).get("result") : null;
        Object model = result instanceof Map ? ((Map<String, Object>) result).get("model") : null;
        if (!(model instanceof Map)) throw new IllegalStateException("no result.model in " + answer);
        return (Map<String, Object>) model;
    }

    private static String status(String answer) {
        int at = answer.indexOf("\"action_status\":\"");
        return at < 0 ? "ERROR " + answer : answer.substring(at + 17, answer.indexOf('"', at + 17));
    }

    private String call(String method, Map<String, String> business) throws Exception {
        Map<String, String> all = new TreeMap<>(business);
        all.putAll(Map.of("method", method, "app_key", appKey, "v", "2.0", "format", "json", "sign_method", "md5",
                "timestamp", String.valueOf(System.currentTimeMillis())));
        String text = secret + all.entrySet().stream().map(e -> e.getKey() + e.getValue()).collect(Collectors.joining()) + secret;
        all.put("sign", String.format("%032X", new BigInteger(1, MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)))));
        String form = all.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
