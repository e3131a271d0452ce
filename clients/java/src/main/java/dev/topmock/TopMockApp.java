package dev.topmock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One test's app: its own app key and secret, so every call the app under test makes with them
 * falls in a namespace of its own (topmock picks a call's namespace by its {@code app_key}) — no
 * header to add, parallel test classes apart. The steering and verification calls here act on
 * that namespace only. {@link #close()} removes the app with its state and journal entries.
 */
public final class TopMockApp implements AutoCloseable {
    private final TopMock topmock;
    private final String appKey;
    private final String secret;
    private final String namespace;

    TopMockApp(TopMock topmock, String appKey, String secret, String namespace) {
        this.topmock = topmock;
        this.appKey = appKey;
        this.secret = secret;
        this.namespace = namespace;
    }

    public String appKey() {
        return appKey;
    }

    public String secret() {
        return secret;
    }

    public String namespace() {
        return namespace;
    }

    /** What {@code DefaultTaobaoClient} takes as its server URL. */
    public String gatewayUrl() {
        return topmock.gatewayUrl();
    }

    public TopMock topmock() {
        return topmock;
    }

    /** Back to the seed: counts, timelines, created actions and checkouts, clock, journal. */
    public void reset() {
        topmock.call("POST", "/__admin/reset", Map.of(), Map.of("namespace", namespace), null);
    }

    private Map<String, Object> action(String method, String suffix, long shopId, String requestId, Object body) {
        return topmock.call(method, "/__admin/namespaces/{ns}/actions/{shop_id}/{request_id}" + suffix,
                Map.of("ns", namespace, "shop_id", shopId, "request_id", requestId), body, null).body();
    }

    /** A payment action as this namespace sees it: {@code status}, {@code step}, {@code queries}, {@code created}, … */
    public Map<String, Object> action(long shopId, String requestId) {
        return action("GET", "", shopId, requestId, null);
    }

    /** "The customer pays now": the timeline step with that status, or an override of it. */
    public Map<String, Object> setActionStatus(long shopId, String requestId, String status) {
        return action("PUT", "", shopId, requestId, Map.of("status", status));
    }

    public Map<String, Object> setActionStatus(long shopId, String requestId, String status, String resultCode, String resultMessage) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        if (resultCode != null) body.put("result_code", resultCode);
        if (resultMessage != null) body.put("result_message", resultMessage);
        return action("PUT", "", shopId, requestId, body);
    }

    /** The action's next timeline step (what a {@code manual} step waits for). */
    public Map<String, Object> advanceAction(long shopId, String requestId) {
        return action("POST", "/advance", shopId, requestId, null);
    }

    /** A checkout with a total, as the POS app's order is before it is paid. */
    public Map<String, Object> createCheckout(long shopId, String checkoutId, long totalFen) {
        return topmock.call("POST", "/__admin/namespaces/{ns}/checkouts", Map.of("ns", namespace),
                Map.of("shop_id", shopId, "checkout_id", checkoutId, "total_fen", totalFen), null).body();
    }

    /** A checkout with its status ({@code waiting}, {@code paid}, {@code failed}), {@code paid_fen}, actions. */
    public Map<String, Object> checkout(long shopId, String checkoutId) {
        return topmock.call("GET", "/__admin/namespaces/{ns}/checkouts/{shop_id}/{checkout_id}",
                Map.of("ns", namespace, "shop_id", shopId, "checkout_id", checkoutId), null, null).body();
    }

    /** The shop's store as this namespace sees it, and the orders its subtotals priced ({@code orders}). */
    public Map<String, Object> store(long shopId) {
        return topmock.call("GET", "/__admin/namespaces/{ns}/stores/{shop_id}", Map.of("ns", namespace, "shop_id", shopId), null, null).body();
    }

    private Map<String, Object> putInStore(long shopId, String what, Map<String, ?> body) {
        return topmock.call("PUT", "/__admin/namespaces/{ns}/stores/{shop_id}/" + what, Map.of("ns", namespace, "shop_id", shopId), body, null)
                .body();
    }

    /**
     * An item {@code item.get} finds by any of its codes and {@code items.subtotal} prices (replacing
     * the one with its item and SKU ids). A shop with no store gets one.
     */
    public Map<String, Object> putItem(long shopId, long itemId, String title, long priceFen, List<String> codes) {
        return putItem(shopId, Map.of("item_id", itemId, "title", title, "price_fen", priceFen, "codes", codes));
    }

    /** An item with any of the scenario file's keys ({@code sold_by_weight}, {@code unit}, {@code sku_id}, …). */
    public Map<String, Object> putItem(long shopId, Map<String, ?> item) {
        return putInStore(shopId, "items", item);
    }

    /** A lower unit price for an item of the store ({@code items.subtotal}'s {@code promotion_fee}). */
    public Map<String, Object> putPromotion(long shopId, long itemId, long priceFen) {
        return putInStore(shopId, "promotions", Map.of("item_id", itemId, "price_fen", priceFen));
    }

    /** A card or account {@code pay.account.ack} answers for: {@code channel_name}, {@code channel_account}, {@code balance_fen}, … */
    public Map<String, Object> putAccount(long shopId, Map<String, ?> account) {
        return putInStore(shopId, "accounts", account);
    }

    /** Stops this namespace's clock: {@code "now"} or {@code yyyy-MM-dd HH:mm:ss} (GMT+8). */
    public Map<String, Object> freezeClock(String at) {
        return clock(Map.of("freeze", at));
    }

    /** Moves this namespace's clock: {@code 30s}, {@code 5m}, {@code -1h}. */
    public Map<String, Object> advanceClock(String duration) {
        return clock(Map.of("advance", duration));
    }

    public Map<String, Object> realClock() {
        return clock(Map.of("real", true));
    }

    private Map<String, Object> clock(Map<String, Object> body) {
        return topmock.call("PUT", "/__admin/namespaces/{ns}/clock", Map.of("ns", namespace), body, null).body();
    }

    /** Every call this app made, oldest first. */
    public List<JournalEntry> requests() {
        return requests(null, Map.of());
    }

    /** The calls of one method (null: any) with these business fields by dotted path. */
    public List<JournalEntry> requests(String method, Map<String, ?> fields) {
        StringBuilder query = new StringBuilder("/__admin/requests?namespace=").append(TopMock.encode(namespace));
        if (method != null) query.append("&method=").append(TopMock.encode(method));
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            query.append("&field.").append(TopMock.encode(field.getKey())).append('=').append(TopMock.encode(String.valueOf(field.getValue())));
        }
        List<JournalEntry> entries = new ArrayList<>();
        Object listed = topmock.call("GET", query.toString(), Map.of(), null, null).body().get("requests");
        if (listed instanceof Iterable) for (Object entry : (Iterable<?>) listed) entries.add(JournalEntry.of((Map<?, ?>) entry));
        return entries;
    }

    /** Asserts this app made exactly {@code count} calls of {@code method}. */
    public int verify(String method, int count) {
        return verify(method, Map.of(), count);
    }

    /**
     * Asserts this app made exactly {@code count} calls of {@code method} (null: any) with these
     * business fields ({@code Map.of("pay_request.pay_fee", 1500)}); the number matched. On failure,
     * an {@link AssertionError} with topmock's message and this app's latest calls, near misses
     * included.
     */
    public int verify(String method, Map<String, ?> fields, int count) {
        return verify(method, fields, "count", count);
    }

    /** As {@link #verify(String, Map, int)}, with at least {@code count} calls. */
    public int verifyAtLeast(String method, Map<String, ?> fields, int count) {
        return verify(method, fields, "at_least", count);
    }

    /**
     * Asserts this app's {@code alibaba.pos.order.pay} calls with these business fields created
     * exactly {@code count} payment actions: payments, not calls. A call whose reply was lost after
     * it took effect counts; the app's retry of it (the same payment again) does not.
     */
    public int verifyPayments(Map<String, ?> fields, int count) {
        return verify("alibaba.pos.order.pay", fields, "count", count, true);
    }

    private int verify(String method, Map<String, ?> fields, String bound, int count) {
        return verify(method, fields, bound, count, null);
    }

    private int verify(String method, Map<String, ?> fields, String bound, int count, Boolean created) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", namespace);
        if (method != null) body.put("method", method);
        if (!fields.isEmpty()) body.put("fields", fields);
        if (created != null) body.put("created", created);
        body.put(bound, count);
        TopMock.Answer answer = topmock.call("POST", "/__admin/requests/verify", Map.of(), body, null);
        if (answer.status() == 409) {
            StringBuilder message = new StringBuilder(String.valueOf(((Map<?, ?>) answer.body().get("error")).get("message")));
            Object recent = answer.body().get("recent");
            List<String> lines = new ArrayList<>();
            if (recent instanceof Iterable) for (Object entry : (Iterable<?>) recent) lines.add(JournalEntry.of((Map<?, ?>) entry).describe());
            message.append(lines.isEmpty() ? "\nthis app made no call" : "\nlatest calls of this app:\n  " + String.join("\n  ", lines));
            throw new AssertionError(message.toString());
        }
        return ((Number) answer.body().get("matched")).intValue();
    }

    /** Removes the app, its namespace's state and its journal entries. */
    @Override
    public void close() {
        try {
            topmock.call("DELETE", "/__admin/apps/{app_key}", Map.of("app_key", appKey), null, null);
        } catch (TopMockException e) {
            if (e.status() != 404) throw e;
        }
    }
}
