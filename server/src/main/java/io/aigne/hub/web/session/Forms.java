package io.aigne.hub.web.session;

import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Exchange;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reading the HTML forms the pages post, and refusing posts another site's page made the browser send. */
public final class Forms {
    private static final long MAX_FORM_BYTES = 16 * 1024;

    private Forms() {
    }

    /** The fields of an {@code application/x-www-form-urlencoded} body (first value wins). */
    public static Map<String, String> read(ServerRequest req) {
        String body = new String(Exchange.body(req, MAX_FORM_BYTES), StandardCharsets.UTF_8);
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(null, "the form body is not valid URL encoding");
            }
        }
        return fields;
    }

    /**
     * Refuses a form post that a browser marks as coming from another site ({@code Sec-Fetch-Site: cross-site}, or
     * an {@code Origin} whose host differs from {@code Host}). Non-browser clients send neither and pass; the
     * session forms additionally require their CSRF token. This also stops a foreign page from signing a visitor
     * in to an account of its choosing.
     */
    public static void requireSameOrigin(ServerRequest req) {
        String site = req.headers().first(HeaderNames.create("Sec-Fetch-Site")).orElse(null);
        if (site != null && site.equalsIgnoreCase("cross-site")) {
            throw ApiException.forbidden("this form can only be posted from the hub's own pages");
        }
        String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
        String host = req.headers().first(HeaderNames.HOST).orElse(null);
        if (origin != null && host != null && !origin.equals("null")) {
            String originHost;
            try {
                originHost = URI.create(origin).getRawAuthority();
            } catch (IllegalArgumentException e) {
                originHost = null;
            }
            if (originHost == null || !originHost.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
                throw ApiException.forbidden("this form can only be posted from the hub's own pages");
            }
        }
    }

    /** {@code next} when it is a path on this hub, else {@code fallback}; never another site (no open redirect). */
    public static String localPath(String next, String fallback) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return fallback;
        }
        return next;
    }
}
