package com.example.pos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topmock.TopMockApp;
import dev.topmock.TopMockTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/testing.md's whole sale in JUnit 5 (scenarios/pos-store.yaml): two items scanned, a
 * subtotal with promotions, 5.00 in cash and the rest by Alipay, polls until paid, and the receipt
 * shows the lines, the amounts and the change. Nothing is stubbed: the seven methods agree.
 */
@TopMockTest
class SaleExampleTest {
    @Test
    @SuppressWarnings("unchecked")
    void aWholeSaleAgreesFromScanToReceipt(TopMockApp topmock) throws Exception {
        // This test's own promotion: cola at 3.00 instead of 3.50 (water is on promotion in the YAML).
        topmock.putPromotion(124, 5004, 300);
        PosTerminal terminal = new PosTerminal(topmock.gatewayUrl(), topmock.appKey(), topmock.secret());

        Map<String, Object> water = (Map<String, Object>) terminal.scan(124, "6921168509256").get("buy_item");
        Map<String, Object> cola = (Map<String, Object>) terminal.scan(124, "6954767423579").get("buy_item");
        assertEquals(150L, water.get("promotion_price"));
        assertEquals(300L, cola.get("promotion_price"));

        // 2 × 2.00 + 3.50 = 7.50, less 2 × 0.50 and 0.50 of promotions: 6.00 to pay.
        Map<String, Object> subtotal = terminal.subtotal(124, 456, List.of(water, cola), List.of(2L, 1L));
        assertEquals(750L, subtotal.get("total_fee"));
        assertEquals(150L, subtotal.get("promotion_fee"));
        assertEquals(600L, subtotal.get("actual_fee"));
        Object order = subtotal.get("biz_order_id");

        assertEquals("SUCCESS", terminal.pay(124, 456, order, 500, "cash", null));
        assertEquals("PAYING", terminal.pay(124, 456, order, 100, "alipay_facepay_v2", "281234567890123456"));
        // checkout-alipay.yaml: Alipay succeeds on the second poll.
        assertEquals(1L, terminal.pollUntilPaid(124, 456, order, 5));

        Map<String, Object> receipt = terminal.receipt(124, order);
        assertEquals(order, receipt.get("biz_order_id"));
        assertEquals(500L, receipt.get("receive_fee"));
        assertEquals(0L, receipt.get("change_fee"));
        assertEquals(150L, receipt.get("promotion_fee"));
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) ((Map<String, Object>) receipt.get("item_blocks")).get("bill_item_block_dto");
        List<Map<String, Object>> lines = (List<Map<String, Object>>) ((Map<String, Object>) blocks.get(0).get("item_dtos")).get("bill_item_dto");
        assertEquals(List.of("5001", "5004"), lines.stream().map(line -> line.get("item_id")).toList());
        assertEquals(List.of(300L, 300L), lines.stream().map(line -> line.get("total_fee")).toList());

        topmock.verify("alibaba.pos.order.pay", Map.of("pay_request.pay_channel", "cash", "pay_request.pay_fee", 500), 1);
        assertEquals("paid", ((List<Map<String, Object>>) topmock.store(124).get("orders")).get(0).get("status"));
    }
}
