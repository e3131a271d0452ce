package com.example.pos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topmock.TopMockApp;
import dev.topmock.TopMockTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/testing.md's JUnit 5 example: the app mints its own request_id; the test never sees it. */
@TopMockTest
class CheckoutExampleTest {
    @Test
    void theTerminalPaysOnceByAlipayAndWaitsForSuccess(TopMockApp topmock) throws Exception {
        PosTerminal terminal = new PosTerminal(topmock.gatewayUrl(), topmock.appKey(), topmock.secret());

        assertEquals("SUCCESS", terminal.payByAlipay(124, "order-1001", 1500, "281234567890123456", 5));

        topmock.verify("alibaba.pos.order.pay", Map.of("pay_request.pay_fee", 1500, "pay_request.pay_channel", "alipay_facepay_v2"), 1);
        // checkout-alipay.yaml: Alipay face-to-face answers PAYING until its third poll.
        topmock.verify("alibaba.pos.pay.action.query", Map.of(), 3);
    }

    @Test
    void aPayCodeWithTheBalancePrefixIsRefused(TopMockApp topmock) throws Exception {
        PosTerminal terminal = new PosTerminal(topmock.gatewayUrl(), topmock.appKey(), topmock.secret());
        // checkout-alipay.yaml: pay codes starting 2811 fail with the balance not enough.
        String status = terminal.payByAlipay(124, "order-1002", 900, "281134567890123456", 5);
        assertEquals("FAILED", status);
    }
}
