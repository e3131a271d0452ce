package dev.topmock;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call topmock's gateway saw, as its journal keeps it (masked: secrets and pay codes never
 * appear). {@code fields} are the business parameters by dotted path
 * ({@code pay_request.pay_fee} → {@code "1500"}).
 */
public record JournalEntry(
        long id, String method, String outcome, String requestId, String shopId, Integer errorCode,
        String nearMiss, String rule, Map<String, String> parameters, Map<String, String> fields) {

    static JournalEntry of(Map<?, ?> entry) {
        Object errorCode = entry.get("error_code");
        return new JournalEntry(
                ((Number) entry.get("id")).longValue(), (String) entry.get("method"), (String) entry.get("outcome"),
                (String) entry.get("request_id"), (String) entry.get("shop_id"),
                errorCode instanceof Number ? ((Number) errorCode).intValue() : null,
                (String) entry.get("near_miss"), (String) entry.get("rule"),
                strings(entry.get("parameters")), strings(entry.get("fields")));
    }

    private static Map<String, String> strings(Object value) {
        Map<String, String> map = new LinkedHashMap<>();
        if (value instanceof Map) ((Map<?, ?>) value).forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
        return Map.copyOf(map);
    }

    /** One line: id, method, request_id, outcome (error code), near miss. */
    public String describe() {
        StringBuilder text = new StringBuilder("#").append(id).append(' ').append(method == null ? "(no method)" : method);
        if (requestId != null) text.append(" request_id=").append(requestId);
        text.append(" → ").append(outcome);
        if (errorCode != null) text.append(' ').append(errorCode);
        if (nearMiss != null) text.append("; near miss: ").append(nearMiss);
        return text.toString();
    }
}
