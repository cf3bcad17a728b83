package io.aigne.hub.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** Small helpers for reading requests and writing JSON answers and errors. */
public final class Exchange {
    public static final HeaderName CLIENT_DID = HeaderNames.create("x-aigne-hub-client-did");
    public static final HeaderName REQUEST_ID = HeaderNames.create("x-request-id");
    public static final HeaderName API_KEY = HeaderNames.create("x-api-key");
    public static final HeaderName RETRY_AFTER = HeaderNames.create("Retry-After");
    public static final HeaderName CALL_ID = HeaderNames.create("x-aigne-hub-call-id");
    public static final HeaderName ACCEL_BUFFERING = HeaderNames.create("X-Accel-Buffering");
    private static final String JSON = "application/json";

    private Exchange() {
    }

    public static String header(ServerRequest req, HeaderName name) {
        return req.headers().first(name).orElse(null);
    }

    /** The request body, refused with 413 above {@code max} bytes before more than that is read. */
    public static byte[] body(ServerRequest req, long max) {
        OptionalLong declared;
        try {
            declared = req.headers().contentLength();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(null, "the Content-Length header is malformed");
        }
        try (InputStream in = req.content().inputStream()) {
            return Bodies.read(in, declared, max);
        } catch (Bodies.TooLarge e) {
            throw tooLarge(max);
        } catch (IOException | UncheckedIOException e) {
            throw ApiException.invalid(null, "the request body could not be read: " + e.getMessage());
        }
    }

    public static ObjectNode jsonBody(ServerRequest req, long max) {
        return Json.parseObject(body(req, max));
    }

    public static void json(ServerResponse res, int status, byte[] body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.send(body);
    }

    public static void json(ServerResponse res, int status, Object body) {
        json(res, status, Json.bytes(body));
    }

    /** An error in OpenAI's shape, which the AIGNE clients also read: {"error":{"message","type","param","code"}}. */
    public static void error(ServerResponse res, ApiException e) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        if (e.param() == null) {
            error.putNull("param");
        } else {
            error.put("param", e.param());
        }
        if (e.code() == null) {
            error.putNull("code");
        } else {
            error.put("code", e.code());
        }
        if (e.retryAfter() != null) {
            res.header(RETRY_AFTER, e.retryAfter());
        }
        json(res, e.status(), root);
    }

    /** Commits the headers of an event stream: no caching, and no buffering by proxies such as nginx. */
    public static void startEventStream(ServerResponse res, String contentType, String callId) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(ACCEL_BUFFERING, "no");
        res.header(CALL_ID, callId);
    }

    /** The calling app: the client DID header (URL-encoded by the AIGNE clients), else the key's app. */
    public static String appDid(ServerRequest req, io.aigne.hub.auth.Principal principal) {
        String raw = header(req, CLIENT_DID);
        if (raw == null || raw.isBlank()) {
            return principal.keyApp();
        }
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private static ApiException tooLarge(long max) {
        return new ApiException(413, "invalid_request_error", "request_too_large", null,
                "the request body is larger than this hub accepts (" + max + " bytes; server.maxBodyBytes)");
    }
}
