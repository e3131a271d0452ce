package dev.topmock;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What a POS app's {@code DefaultTaobaoClient} sends, for these tests: TOP's md5 signature over
 * the sorted parameters, a form POST to the gateway URL. (The official Java SDK is not on Maven
 * Central; a POS team uses it in place of this class, with the same three values.)
 */
final class PosClient {
    private final String gatewayUrl;
    private final String appKey;
    private final String secret;
    private final HttpClient http = HttpClient.newHttpClient();

    PosClient(String gatewayUrl, String appKey, String secret) {
        this.gatewayUrl = gatewayUrl;
        this.appKey = appKey;
        this.secret = secret;
    }

    /** The call's JSON answer, e.g. {@code {"alibaba_pos_order_pay_response": {...}}}. */
    Map<String, Object> execute(String method, Map<String, String> business) throws Exception {
        TreeMap<String, String> parameters = new TreeMap<>(business);
        parameters.put("method", method);
        parameters.put("app_key", appKey);
        parameters.put("timestamp", String.valueOf(System.currentTimeMillis()));
        parameters.put("format", "json");
        parameters.put("v", "2.0");
        parameters.put("sign_method", "md5");
        StringBuilder signed = new StringBuilder(secret);
        parameters.forEach((name, value) -> signed.append(name).append(value));
        signed.append(secret);
        byte[] digest = MessageDigest.getInstance("MD5").digest(signed.toString().getBytes(StandardCharsets.UTF_8));
        parameters.put("sign", String.format("%032X", new BigInteger(1, digest)));
        StringJoiner form = new StringJoiner("&");
        parameters.forEach((name, value) -> form.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl))
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        return Json.object(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The {@code result.model} of a call's answer. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> model(Map<String, Object> answer) {
        Map<String, Object> response = (Map<String, Object>) answer.values().iterator().next();
        return (Map<String, Object>) ((Map<String, Object>) response.get("result")).get("model");
    }
}
