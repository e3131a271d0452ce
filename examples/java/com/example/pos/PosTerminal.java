package com.example.pos;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The app under test in this example: a POS terminal that pays a checkout by Alipay face-to-face
 * with a fresh request_id, then polls until the payment settles. A real app does the same with
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
