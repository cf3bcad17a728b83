package io.aigne.hub.web.session.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.Json;
import io.aigne.hub.web.session.Forms;
import io.aigne.hub.web.session.SessionCookie;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A sign-in through the provider that has started and not finished: its {@code state}, {@code nonce}, PKCE code
 * verifier and where to go afterwards, kept in a short-lived cookie of the browser that started it rather than on
 * the server, so any hub node can finish it. The cookie is HttpOnly and SameSite=Lax (sent on the provider's
 * top-level redirect back, never on another site's requests) and limited to {@value #PATH}. Nothing in it needs to
 * be signed: the state must equal the one the provider echoes, the verifier must match the challenge the provider
 * saw, and the nonce must be inside the provider's signed ID token.
 */
public record PendingSignIn(String state, String nonce, String codeVerifier, String next, long expiresAt) {
    public static final String COOKIE = "aigne_hub_oidc";
    static final String PATH = "/auth/oidc";
    /** How long the user may take at the provider. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    public static PendingSignIn start(String next, long now) {
        return new PendingSignIn(random(), random(), random() + random(), next, now + LIFETIME.toMillis());
    }

    public void set(ServerRequest req, ServerResponse res) {
        ObjectNode o = Json.object();
        o.put("s", state).put("n", nonce).put("v", codeVerifier).put("x", next).put("e", expiresAt);
        String value = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
        res.header(HeaderNames.SET_COOKIE, COOKIE + "=" + value + "; Path=" + PATH + "; Max-Age="
                + LIFETIME.toSeconds() + "; HttpOnly; SameSite=Lax" + (SessionCookie.secure(req) ? "; Secure" : ""));
    }

    public static void clear(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.SET_COOKIE, COOKIE + "=; Path=" + PATH + "; Max-Age=0; HttpOnly; SameSite=Lax"
                + (SessionCookie.secure(req) ? "; Secure" : ""));
    }

    /** The pending sign-in this browser started, if its cookie is there and readable. */
    public static Optional<PendingSignIn> read(ServerRequest req) {
        for (String header : req.headers().all(HeaderNames.COOKIE, List::of)) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(COOKIE)) {
                    return parse(pair.substring(eq + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<PendingSignIn> parse(String value) {
        try {
            JsonNode o = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(value));
            String state = o.path("s").asText(null);
            String nonce = o.path("n").asText(null);
            String verifier = o.path("v").asText(null);
            if (state == null || nonce == null || verifier == null || !o.path("e").canConvertToLong()) {
                return Optional.empty();
            }
            String next = o.path("x").isTextual() ? Forms.localPath(o.path("x").asText(), null) : null;
            return Optional.of(new PendingSignIn(state, nonce, verifier, next, o.path("e").asLong()));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "PendingSignIn[next=" + next + "]";
    }
}
