package dev.topmock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The library and its JUnit 5 extension against a real topmock (TOPMOCK_URL or TOPMOCK_BIN). */
@TopMockTest
class TopMockExtensionTest {
    static String pay(String requestId, String checkoutId, long fen, String channel) {
        return Json.write(Map.of("request_id", requestId, "checkout_id", checkoutId, "pay_fee", fen, "pay_channel", channel, "buyer_id", 123));
    }

    @Test
    void aFreshUuidPaidByAlipayIsPolledUntilSuccessAndVerified(TopMockApp topmock) throws Exception {
        PosClient pos = new PosClient(topmock.gatewayUrl(), topmock.appKey(), topmock.secret());
        String requestId = UUID.randomUUID().toString();
        Map<String, Object> paid = pos.execute("alibaba.pos.order.pay", Map.of("shop_id", "124", "pay_request", pay(requestId, "co-junit", 1500, "alipay_facepay_v2")));
        assertEquals("PAYING", PosClient.model(paid).get("action_status"));
        List<Object> statuses = new ArrayList<>();
        for (int poll = 0; poll < 3; poll++) {
            Map<String, Object> answer = pos.execute("alibaba.pos.pay.action.query",
                    Map.of("shop_id", "124", "payment_action_request", Json.write(Map.of("request_id", requestId, "buyer_id", 123))));
            statuses.add(PosClient.model(answer).get("action_status"));
        }
        assertEquals(List.of("PAYING", "PAYING", "SUCCESS"), statuses);
        assertEquals(1, topmock.verify("alibaba.pos.order.pay", Map.of("pay_request.pay_fee", 1500, "pay_request.pay_channel", "alipay_facepay_v2"), 1));
        assertEquals(3, topmock.verifyAtLeast("alibaba.pos.pay.action.query", Map.of("payment_action_request.request_id", requestId), 3));
        assertEquals("SUCCESS", topmock.action(124, requestId).get("status"));
        List<JournalEntry> entries = topmock.requests("alibaba.pos.order.pay", Map.of());
        assertEquals(1, entries.size());
        assertEquals("created", entries.get(0).outcome());
        assertEquals("1500", entries.get(0).fields().get("pay_request.pay_fee"));
    }

    @Test
    void aLostReplyAndItsRetryAreTwoCallsAndOnePayment(TopMockApp topmock, TopMock server) throws Exception {
        String requestId = "lost-" + UUID.randomUUID();
        server.uploadScenario(requestId, "rules:\n  - name: lost " + requestId + "\n    when: {method: alibaba.pos.order.pay, request_id: {equals: " + requestId
                + "}}\n    fault: close\n    takes_effect: true\n    first: 1\n");
        try {
            PosClient pos = new PosClient(topmock.gatewayUrl(), topmock.appKey(), topmock.secret());
            Map<String, String> call = Map.of("shop_id", "124", "pay_request", pay(requestId, "co-lost", 700, "cash"));
            try {
                pos.execute("alibaba.pos.order.pay", call);
            } catch (Exception lost) {
                // The reply was lost after the payment was made; the app retries with the same request_id.
            }
            assertEquals("SUCCESS", PosClient.model(pos.execute("alibaba.pos.order.pay", call)).get("action_status"));
            assertEquals(1, topmock.verifyPayments(Map.of("pay_request.pay_fee", 700), 1));
            assertTrue(topmock.verifyAtLeast("alibaba.pos.order.pay", Map.of("pay_request.pay_fee", 700), 2) >= 2);
            assertThrows(AssertionError.class, () -> topmock.verify("alibaba.pos.order.pay", Map.of("pay_request.pay_fee", 700), 1));
        } finally {
            server.deleteScenario(requestId);
        }
    }

    @Test
    void aFailedVerificationQuotesTheNearMiss(TopMockApp topmock) throws Exception {
        PosClient pos = new PosClient(topmock.gatewayUrl(), topmock.appKey(), topmock.secret());
        pos.execute("alibaba.pos.pay.action.query", Map.of("shop_id", "124", "payment_action_request", "{\"request_id\":\"cash-001\",\"buyer_id\":123}"));
        AssertionError failure = assertThrows(AssertionError.class,
                () -> topmock.verify("alibaba.pos.pay.action.query", Map.of("payment_action_request.request_id", "cash-0001"), 1));
        assertTrue(failure.getMessage().contains("expected exactly 1 request"), failure.getMessage());
        assertTrue(failure.getMessage().contains("request_id=cash-001 → not_found; near miss: no payment action with request_id 'cash-001' in shop 124; nearest: 'cash-0001'"),
                failure.getMessage());
    }

    @Test
    void eachTestHasANamespaceOfItsOwn(TopMockApp topmock, TopMock server) throws Exception {
        try (TopMockApp other = server.newApp()) {
            assertNotEquals(topmock.appKey(), other.appKey());
            new PosClient(other.gatewayUrl(), other.appKey(), other.secret())
                    .execute("alibaba.pos.order.pay", Map.of("shop_id", "124", "pay_request", pay("shared-id", "co-x", 100, "cash")));
            assertEquals(List.of(), topmock.requests());
            Map<String, Object> mine = new PosClient(topmock.gatewayUrl(), topmock.appKey(), topmock.secret())
                    .execute("alibaba.pos.order.pay", Map.of("shop_id", "124", "pay_request", pay("shared-id", "co-x", 100, "cash")));
            assertEquals("SUCCESS", PosClient.model(mine).get("action_status"));
            assertEquals("created", topmock.requests().get(0).outcome());
        }
    }

    @Test
    void checkoutsTimelinesAndTheClockAreSteered(TopMockApp topmock) throws Exception {
        PosClient pos = new PosClient(topmock.gatewayUrl(), topmock.appKey(), topmock.secret());
        assertEquals("waiting", topmock.createCheckout(124, "co-split", 2000).get("status"));
        pos.execute("alibaba.pos.order.pay", Map.of("shop_id", "124", "pay_request", pay("leg-cash", "co-split", 1000, "cash")));
        pos.execute("alibaba.pos.order.pay", Map.of("shop_id", "124", "pay_request", pay("leg-alipay", "co-split", 1000, "alipay_facepay_v2")));
        assertEquals(1000L, topmock.checkout(124, "co-split").get("paid_fen"));
        assertEquals("SUCCESS", topmock.setActionStatus(124, "leg-alipay", "SUCCESS").get("status"));
        assertEquals("paid", topmock.checkout(124, "co-split").get("status"));
        assertEquals("2026-01-01 12:00:00", topmock.freezeClock("2026-01-01 12:00:00").get("now"));
        assertEquals("2026-01-01 12:01:30", topmock.advanceClock("90s").get("now"));
        topmock.reset();
        TopMockException gone = assertThrows(TopMockException.class, () -> topmock.action(124, "leg-cash"));
        assertEquals(1005, gone.code());
    }

    @Test
    void anInvalidScenarioIsRefusedWithItsDiagnostics(TopMock server) {
        TopMockException refused = assertThrows(TopMockException.class, () -> server.uploadScenario("broken", "shops:\n  - shop_id: nope\n"));
        assertEquals(1004, refused.code());
        assertTrue(refused.getMessage().contains("broken"), refused.getMessage());
    }

    @Test
    void aScenarioUploadedFromAResourceIsServedUntilDeleted(TopMockApp topmock, TopMock server) throws Exception {
        server.uploadScenarioResource("junit-shop", "/scenarios/junit-shop.yaml");
        PosClient pos = new PosClient(topmock.gatewayUrl(), topmock.appKey(), topmock.secret());
        Map<String, String> query = Map.of("shop_id", "9001", "payment_action_request", "{\"request_id\":\"junit-0001\",\"buyer_id\":7}");
        try {
            assertEquals("SUCCESS", PosClient.model(pos.execute("alibaba.pos.pay.action.query", query)).get("action_status"));
        } finally {
            server.deleteScenario("junit-shop");
        }
        pos.execute("alibaba.pos.pay.action.query", query);
        assertEquals(List.of("found", "not_found"), topmock.requests().stream().map(JournalEntry::outcome).toList());
        assertThrows(IllegalArgumentException.class, () -> server.uploadScenarioResource("x", "/scenarios/none.yaml"));
    }

    @Test
    void jsonReadsWhatTopmockWritesAndWritesWhatItReads() {
        Map<String, Object> read = Json.object("{\"a\":[1,-2.5e1,true,null,\"\\u73b0\\\"\\n\"],\"b\":{},\"c\":9007199254740993}");
        assertEquals(List.of(1L, -25.0, true, "现\"\n"), ((List<?>) read.get("a")).stream().filter(v -> v != null).toList());
        assertEquals(9007199254740993L, read.get("c"));
        assertEquals("{\"k\":[\"x\\\"y\",2,false]}", Json.write(Map.of("k", List.of("x\"y", 2, false))));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1 2]"));
    }
}
