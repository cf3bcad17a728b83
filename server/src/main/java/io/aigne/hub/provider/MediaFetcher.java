package io.aigne.hub.provider;

import io.aigne.hub.gateway.upstream.UpstreamClient;
import io.aigne.hub.gateway.upstream.UpstreamException;
import io.aigne.hub.gateway.upstream.UpstreamRequest;
import io.aigne.hub.gateway.upstream.UpstreamResponse;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Bodies;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Fetches media a caller gave by URL for providers that only accept inline bytes (Bedrock images, Gemini
 * inlineData). The URL comes from the caller, so the fetch is bounded in size and time, follows at most three
 * redirects, accepts only image/*, PDF and plain-text answers, and refuses loopback, private and link-local
 * addresses unless the operator allowed them. {@code data:} URLs are decoded without any network access.
 */
public final class MediaFetcher {
    private static final int MAX_REDIRECTS = 3;

    /** Fetched bytes with their media type (without parameters, lower case). */
    public record Media(String mediaType, byte[] bytes) {
        public String base64() {
            return Base64.getEncoder().encodeToString(bytes);
        }
    }

    private final UpstreamClient client;
    private final Duration timeout;
    private final long maxBytes;
    private final boolean allowPrivate;

    public MediaFetcher(UpstreamClient client, Duration timeout, long maxBytes, boolean allowPrivate) {
        this.client = client;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.allowPrivate = allowPrivate;
    }

    /**
     * The media at {@code url}; a caller's mistake (bad URL, refused address, not found, too large, wrong type)
     * is a 400 naming {@code param}.
     */
    public Media fetch(String url, String param) {
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            return decodeDataUrl(url, param);
        }
        String current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            URI uri = checked(current, param);
            UpstreamRequest request = new UpstreamRequest("GET", uri, Map.of("Accept", "image/*, application/pdf, text/plain"),
                    null, timeout);
            try (UpstreamResponse response = client.send(request)) {
                int status = response.status();
                if (status / 100 == 3 && response.header("location").isPresent()) {
                    current = uri.resolve(response.header("location").get()).toString();
                    continue;
                }
                if (status / 100 != 2) {
                    throw ApiException.invalid(param, "the media at " + url + " could not be fetched: it answered "
                            + status + "; give a URL that serves it publicly, or the bytes inline as base64");
                }
                String type = mediaType(response.header("content-type").orElse(""));
                if (!(type.startsWith("image/") || type.equals("application/pdf") || type.equals("text/plain"))) {
                    throw ApiException.invalid(param, "the media at " + url + " is '" + type
                            + "', not an image, PDF or text");
                }
                byte[] bytes = Bodies.read(response.body(), ProviderHttp.declaredLength(response), maxBytes);
                return new Media(type, bytes);
            } catch (Bodies.TooLarge e) {
                throw ApiException.invalid(param, "the media at " + url + " is larger than upstream.mediaMaxBytes ("
                        + maxBytes + " bytes)");
            } catch (UpstreamException | IOException e) {
                throw ApiException.invalid(param, "the media at " + url + " could not be fetched: " + e.getMessage());
            }
        }
        throw ApiException.invalid(param, "the media at " + url + " redirects more than " + MAX_REDIRECTS + " times");
    }

    /** Decodes {@code data:<type>;base64,<data>}. */
    public static Media decodeDataUrl(String url, String param) {
        int comma = url.indexOf(',');
        String meta = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw ApiException.invalid(param, "a data URL must have the form data:<media type>;base64,<data>");
        }
        try {
            return new Media(mediaType(meta.substring(0, meta.length() - ";base64".length())),
                    Base64.getMimeDecoder().decode(url.substring(comma + 1)));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(param, "the data URL's base64 data is malformed: " + e.getMessage());
        }
    }

    private URI checked(String url, String param) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(param, "'" + url + "' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw ApiException.invalid(param, "media URLs must be http(s) or data: URLs, not '" + url + "'");
        }
        if (!allowPrivate) {
            try {
                for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                    if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                            || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocal(address)) {
                        throw ApiException.invalid(param, "the media URL " + url + " points into a private network,"
                                + " which the hub does not fetch from (upstream.mediaAllowPrivateAddresses)");
                    }
                }
            } catch (UnknownHostException e) {
                throw ApiException.invalid(param, "the media URL's host '" + uri.getHost() + "' does not resolve");
            }
        }
        return uri;
    }

    /** IPv6 unique local addresses (fc00::/7), which {@code isSiteLocalAddress} does not cover. */
    private static boolean uniqueLocal(InetAddress address) {
        byte[] raw = address.getAddress();
        return raw.length == 16 && (raw[0] & 0xfe) == 0xfc;
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

}
