package io.aigne.hub.web.session;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The sign-in cookie: HttpOnly (no script reads it), SameSite=Lax (other sites' forms and frames do not send it),
 * Path=/ and, when the hub is reached over HTTPS, Secure.
 */
public final class SessionCookie {
    public static final String NAME = "aigne_hub_session";

    private SessionCookie() {
    }

    /** The session id the browser sent, or null. */
    public static String read(ServerRequest req) {
        for (String header : req.headers().all(HeaderNames.COOKIE, java.util.List::of)) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(NAME)) {
                    String value = pair.substring(eq + 1).trim();
                    // RFC 6265 allows the value in double quotes
                    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                            ? value.substring(1, value.length() - 1) : value;
                }
            }
        }
        return null;
    }

    public static void set(ServerRequest req, ServerResponse res, WebSession session, long maxAgeSeconds) {
        res.header(HeaderNames.SET_COOKIE, NAME + "=" + session.id() + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Lax" + (secure(req) ? "; Secure" : ""));
    }

    public static void clear(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.SET_COOKIE, NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
                + (secure(req) ? "; Secure" : ""));
    }

    /** Whether the browser reached the hub over HTTPS (directly or through a proxy saying so). */
    public static boolean secure(ServerRequest req) {
        return req.isSecure() || req.headers().first(HeaderNames.X_FORWARDED_PROTO)
                .map(p -> p.equalsIgnoreCase("https")).orElse(false);
    }
}
