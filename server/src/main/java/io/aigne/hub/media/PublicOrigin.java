package io.aigne.hub.media;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The origin a caller reached the hub at, for links it must be able to follow from its own machine: the configured
 * {@code server.publicUrl} when there is one, else what the request says (a fronting proxy's
 * {@code X-Forwarded-Proto} / {@code X-Forwarded-Host}, then {@code Host}). Header values that are not a plain
 * host[:port] are ignored, so a crafted header cannot put anything but an origin into a link.
 */
public final class PublicOrigin {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private final String configured;

    public PublicOrigin(String configured) {
        String url = configured == null ? "" : configured.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        this.configured = url;
    }

    /** The origin, without a trailing slash. */
    public String of(ServerRequest req) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String host = first(req, HeaderNames.X_FORWARDED_HOST);
        if (host == null || !HOST.matcher(host).matches()) {
            host = first(req, HeaderNames.HOST);
        }
        if (host == null || !HOST.matcher(host).matches()) {
            host = req.localPeer().host() + ":" + req.localPeer().port();
        }
        String scheme = first(req, HeaderNames.X_FORWARDED_PROTO);
        scheme = scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            scheme = req.isSecure() ? "https" : "http";
        }
        return scheme + "://" + host;
    }

    /** The first of a possibly comma-separated list of values (each proxy appends its own). */
    private static String first(ServerRequest req, io.helidon.http.HeaderName name) {
        return req.headers().first(name).map(v -> v.split(",")[0].strip()).filter(v -> !v.isEmpty()).orElse(null);
    }
}
