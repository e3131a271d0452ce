package dev.topmock;

import java.util.Map;

/** An admin call topmock refused: its HTTP status, topmock's error code and message. */
public final class TopMockException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final Integer code;

    TopMockException(int status, Integer code, String message) {
        super("topmock answered " + status + (code == null ? "" : " (error " + code + ")") + ": " + message);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status (0 when topmock could not be reached or started). */
    public int status() {
        return status;
    }

    /** topmock's stable error code (docs/admin-openapi.yaml), or null. */
    public Integer code() {
        return code;
    }

    static TopMockException of(int status, Map<String, Object> body) {
        Object error = body.get("error");
        Integer code = null;
        String message = "no error body";
        if (error instanceof Map) {
            Object value = ((Map<?, ?>) error).get("code");
            code = value instanceof Number ? ((Number) value).intValue() : null;
            message = String.valueOf(((Map<?, ?>) error).get("message"));
        }
        Object diagnostics = body.get("diagnostics");
        if (diagnostics instanceof Iterable) {
            StringBuilder all = new StringBuilder(message);
            for (Object line : (Iterable<?>) diagnostics) all.append('\n').append(line);
            message = all.toString();
        }
        return new TopMockException(status, code, message);
    }
}
