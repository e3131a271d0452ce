package dev.topmock;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one topmock for the whole test run ({@code TOPMOCK_URL}, else the binary started once
 * and stopped when the run ends), and a {@link TopMockApp} of its own for every test — made before
 * it, removed after it — injected as a parameter ({@code TopMock} too).
 *
 * <pre>{@code
 * @TopMockTest
 * class CheckoutTest {
 *     @Test
 *     void paysOnce(TopMockApp topmock) {
 *         PosApp app = new PosApp(topmock.gatewayUrl(), topmock.appKey(), topmock.secret());
 *         app.payByAlipay("co-1", 1500);
 *         topmock.verify("alibaba.pos.order.pay", Map.of("pay_request.pay_fee", 1500), 1);
 *     }
 * }
 * }</pre>
 */
public final class TopMockExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(TopMockExtension.class);

    /** The run's topmock, closed by JUnit when the run ends (the root store's resources are). */
    private static final class Server implements ExtensionContext.Store.CloseableResource {
        final TopMock topmock = TopMock.fromEnvironment();

        @Override
        public void close() {
            topmock.close();
        }
    }

    private static TopMock server(ExtensionContext context) {
        return context.getRoot().getStore(STORE).getOrComputeIfAbsent(Server.class, type -> new Server(), Server.class).topmock;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(STORE).put(TopMockApp.class, server(context).newApp());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TopMockApp app = context.getStore(STORE).remove(TopMockApp.class, TopMockApp.class);
        if (app != null) app.close();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TopMockApp.class || type == TopMock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == TopMock.class) return server(context);
        TopMockApp app = context.getStore(STORE).get(TopMockApp.class, TopMockApp.class);
        if (app == null) throw new IllegalStateException("a TopMockApp is made for test methods (not constructors or @BeforeAll)");
        return app;
    }
}
