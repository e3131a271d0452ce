package dev.topmock;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running topmock: connected to ({@link #connect}) or started from its binary ({@link #start}).
 * {@link #newApp()} gives a test an app key and secret of its own, hence a namespace of its own.
 *
 * <pre>{@code
 * try (TopMock topmock = TopMock.fromEnvironment(); TopMockApp app = topmock.newApp()) {
 *     TaobaoClient client = new DefaultTaobaoClient(topmock.gatewayUrl(), app.appKey(), app.secret());
 *     ...
 *     app.verify("alibaba.pos.order.pay", Map.of("pay_request.pay_fee", 1500), 1);
 * }
 * }</pre>
 */
public final class TopMock implements AutoCloseable {
    /**
     * Every admin route this library calls, as "METHOD template" of docs/admin-openapi.yaml (a test
     * in the repository compares them).
     */
    public static final List<String> ROUTES = List.of(
            "GET /__admin/health",
            "POST /__admin/apps",
            "DELETE /__admin/apps/{app_key}",
            "POST /__admin/reset",
            "POST /__admin/scenarios",
            "DELETE /__admin/scenarios/{name}",
            "GET /__admin/namespaces/{ns}/actions/{shop_id}/{request_id}",
            "PUT /__admin/namespaces/{ns}/actions/{shop_id}/{request_id}",
            "POST /__admin/namespaces/{ns}/actions/{shop_id}/{request_id}/advance",
            "POST /__admin/namespaces/{ns}/checkouts",
            "GET /__admin/namespaces/{ns}/checkouts/{shop_id}/{checkout_id}",
            "PUT /__admin/namespaces/{ns}/clock",
            "GET /__admin/namespaces/{ns}/stores/{shop_id}",
            "PUT /__admin/namespaces/{ns}/stores/{shop_id}/items",
            "PUT /__admin/namespaces/{ns}/stores/{shop_id}/promotions",
            "PUT /__admin/namespaces/{ns}/stores/{shop_id}/accounts",
            "GET /__admin/requests",
            "POST /__admin/requests/verify");

    private final String url;
    private final String adminToken;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TopMock(String url, String adminToken, Process process) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.adminToken = adminToken;
        this.process = process;
    }

    /** A topmock already running at {@code url} (e.g. {@code http://127.0.0.1:8080}). */
    public static TopMock connect(String url) {
        return connect(url, null);
    }

    /** A topmock whose admin API needs {@code Authorization: Bearer adminToken}. */
    public static TopMock connect(String url, String adminToken) {
        TopMock topmock = new TopMock(url, adminToken, null);
        topmock.call("GET", "/__admin/health", Map.of(), null, null);
        return topmock;
    }

    /**
     * Starts the binary ({@code TOPMOCK_BIN}, else {@code topmock} on PATH) on a free loopback
     * port, with {@code arguments} after {@code serve} (e.g. {@code --scenarios}); stopped by
     * {@link #close()} or when the JVM exits.
     */
    public static TopMock start(String... arguments) {
        String binary = System.getenv().getOrDefault("TOPMOCK_BIN", "topmock");
        try {
            Path folder = Files.createTempDirectory("topmock-junit");
            Path portFile = folder.resolve("port");
            List<String> command = new ArrayList<>(List.of(binary, "serve", "--host", "127.0.0.1", "--port", "0",
                    "--port-file", portFile.toString(), "--log-level", "warning"));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
                if (!process.isAlive()) throw new TopMockException(0, null, binary + " exited " + process.exitValue());
                if (System.nanoTime() > deadline) {
                    process.destroy();
                    throw new TopMockException(0, null, binary + " did not listen within 10 s");
                }
                Thread.sleep(10);
            }
            int port = Integer.parseInt(Files.readString(portFile).trim());
            Files.deleteIfExists(portFile);
            Files.deleteIfExists(folder);
            return new TopMock("http://127.0.0.1:" + port, null, process);
        } catch (IOException e) {
            throw new TopMockException(0, null, "cannot start " + binary + " (set TOPMOCK_BIN, or put topmock on PATH, or set TOPMOCK_URL): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopMockException(0, null, "interrupted while starting " + binary);
        }
    }

    /** {@code TOPMOCK_URL} (with {@code TOPMOCK_ADMIN_TOKEN}) when set, else a started binary. */
    public static TopMock fromEnvironment() {
        String url = System.getenv("TOPMOCK_URL");
        return url != null && !url.isBlank() ? connect(url, System.getenv("TOPMOCK_ADMIN_TOKEN")) : start();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        return url;
    }

    /** What {@code DefaultTaobaoClient} takes as its server URL. */
    public String gatewayUrl() {
        return url + "/router/rest";
    }

    /** A new app: made-up key and secret, a namespace of its own that starts from the seed. */
    public TopMockApp newApp() {
        Map<String, Object> app = call("POST", "/__admin/apps", Map.of(), Map.of(), null).body;
        return new TopMockApp(this, (String) app.get("app_key"), (String) app.get("secret"), (String) app.get("namespace"));
    }

    /**
     * Adds a scenario document (or replaces the upload of that name) for every namespace; a
     * document that does not validate is refused with topmock's diagnostics.
     */
    public void uploadScenario(String name, String yaml) {
        call("POST", "/__admin/scenarios?name=" + encode(name), Map.of(), null, yaml);
    }

    /** {@link #uploadScenario} with a class-path resource (e.g. {@code /scenarios/my-shop.yaml}). */
    public void uploadScenarioResource(String name, String resource) {
        try (var stream = TopMock.class.getResourceAsStream(resource)) {
            if (stream == null) throw new IllegalArgumentException("no class-path resource " + resource);
            uploadScenario(name, new String(stream.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + resource, e);
        }
    }

    public void deleteScenario(String name) {
        call("DELETE", "/__admin/scenarios/{name}", Map.of("name", name), null, null);
    }

    /** Stops a topmock this object started; a connected one keeps running. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    record Answer(int status, Map<String, Object> body) {}

    /**
     * One admin call: {@code template} must be one of {@link #ROUTES} (after a query string);
     * {@code {name}} segments are filled from {@code values}. A status ≥ 400 throws, except the
     * verification's 409, which the caller reads.
     */
    Answer call(String method, String template, Map<String, ?> values, Object json, String yaml) {
        String route = template.split("\\?")[0];
        if (!ROUTES.contains(method + " " + route)) throw new IllegalStateException(method + " " + route + " is not in ROUTES");
        String path = template;
        for (Map.Entry<String, ?> value : values.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", encode(String.valueOf(value.getValue())));
        }
        String body = yaml != null ? yaml : json != null ? Json.write(json) : "";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", yaml != null ? "application/yaml" : "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (adminToken != null) request.header("Authorization", "Bearer " + adminToken);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, Object> answer = response.body().isBlank() ? Map.of() : Json.object(response.body());
            boolean verification = response.statusCode() == 409 && route.equals("/__admin/requests/verify");
            if (response.statusCode() >= 400 && !verification) throw TopMockException.of(response.statusCode(), answer);
            return new Answer(response.statusCode(), answer);
        } catch (IOException e) {
            throw new TopMockException(0, null, "cannot reach " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopMockException(0, null, "interrupted");
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
