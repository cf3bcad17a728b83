package io.aigne.hub.provider.bedrock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS Signature Version 4 (header form) for requests whose body is in memory, with the JDK's HMAC-SHA256 only.
 *
 * <p>The canonical URI follows the rule for every service but S3: each segment of the path <em>as sent</em>
 * (already percent-encoded) is percent-encoded once more, so a model id {@code a.b-v1:0}, sent as
 * {@code a.b-v1%3A0}, is signed as {@code a.b-v1%253A0}. Paths are not dot-normalised: the paths the hub builds
 * never contain {@code .} or {@code ..} segments.
 *
 * <p>Signed headers are the caller's (content-type, say), {@code host}, {@code x-amz-date}, optionally
 * {@code x-amz-content-sha256} (the AWS SDK for Java v2 sends and signs it for Bedrock Runtime too) and, for
 * temporary credentials, {@code x-amz-security-token}.
 */
public final class SigV4Signer {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    private static final HexFormat HEX_UPPER = HexFormat.of().withUpperCase();

    /** The key pair that signs; {@code sessionToken} is null for long-term credentials. */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + "]";
        }
    }

    /**
     * A request to sign. {@code rawPath} and {@code rawQuery} are exactly as they go on the wire (percent-encoded);
     * {@code host} is the Host header's value (with the port when it is not the scheme's default).
     */
    public record Request(String method, String host, String rawPath, String rawQuery, Map<String, String> headers,
                          byte[] body) {
    }

    private final String service;
    private final boolean contentSha256Header;

    /** {@code contentSha256Header}: whether to send and sign {@code x-amz-content-sha256}. */
    public SigV4Signer(String service, boolean contentSha256Header) {
        this.service = service;
        this.contentSha256Header = contentSha256Header;
    }

    /** The signer for Bedrock Runtime, whose signing name is {@code bedrock}. */
    public static SigV4Signer bedrock() {
        return new SigV4Signer("bedrock", true);
    }

    /**
     * The headers to add to the request: {@code Authorization}, {@code X-Amz-Date}, and as configured
     * {@code X-Amz-Content-Sha256} and {@code X-Amz-Security-Token}. {@code Host} is signed but not returned,
     * since the HTTP client writes it.
     */
    public Map<String, String> sign(Request request, Credentials credentials, String region, Instant now) {
        Prepared prepared = prepare(request, credentials, now);
        String amzDate = prepared.added().get("X-Amz-Date");
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = stringToSign(amzDate, scope, prepared.canonicalRequest());
        byte[] key = signingKey(credentials.secretAccessKey(), amzDate.substring(0, 8), region);
        Map<String, String> headers = new LinkedHashMap<>(prepared.added());
        headers.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + prepared.signedHeaders() + ", Signature=" + hex(hmac(key, stringToSign)));
        return headers;
    }

    /** The canonical request this signer builds, for tests against AWS's published vectors. */
    String canonicalRequest(Request request, Credentials credentials, Instant now) {
        return prepare(request, credentials, now).canonicalRequest();
    }

    private record Prepared(Map<String, String> added, String signedHeaders, String canonicalRequest) {
    }

    private Prepared prepare(Request request, Credentials credentials, Instant now) {
        String payloadHash = hex(sha256(request.body() == null ? new byte[0] : request.body()));
        Map<String, String> added = new LinkedHashMap<>();
        added.put("X-Amz-Date", AMZ_DATE.format(now));
        if (contentSha256Header) {
            added.put("X-Amz-Content-Sha256", payloadHash);
        }
        if (credentials.sessionToken() != null && !credentials.sessionToken().isEmpty()) {
            added.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        TreeMap<String, String> signed = signedHeaders(request, added);
        return new Prepared(added, String.join(";", signed.keySet()), canonicalRequest(request, signed, payloadHash));
    }

    private static TreeMap<String, String> signedHeaders(Request request, Map<String, String> added) {
        TreeMap<String, String> signed = new TreeMap<>();
        request.headers().forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), canonicalValue(value)));
        signed.put("host", canonicalValue(request.host()));
        added.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), canonicalValue(value)));
        return signed;
    }

    private static String canonicalRequest(Request request, TreeMap<String, String> signed, String payloadHash) {
        StringBuilder canonical = new StringBuilder(256);
        canonical.append(request.method()).append('\n');
        canonical.append(canonicalUri(request.rawPath())).append('\n');
        canonical.append(canonicalQuery(request.rawQuery())).append('\n');
        signed.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
        canonical.append('\n');
        canonical.append(String.join(";", signed.keySet())).append('\n');
        canonical.append(payloadHash);
        return canonical.toString();
    }

    private static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] signingKey(String secretAccessKey, String date, String region) {
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    /** Header values trimmed, inner runs of spaces collapsed to one, as SigV4 canonicalises them. */
    private static String canonicalValue(String value) {
        String trimmed = value.strip();
        return trimmed.indexOf("  ") < 0 ? trimmed : trimmed.replaceAll(" {2,}", " ");
    }

    /** Each segment of the path as sent, percent-encoded again; an empty path is {@code /}. */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        String[] segments = rawPath.split("/", -1);
        StringBuilder uri = new StringBuilder(rawPath.length() + 16);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                uri.append('/');
            }
            uri.append(uriEncode(segments[i]));
        }
        return uri.toString();
    }

    /** Query parameters decoded, re-encoded with SigV4's rules, sorted by name and then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> parameters = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(uriEncode(name), k -> new ArrayList<>()).add(uriEncode(value));
        }
        List<String> parts = new ArrayList<>();
        parameters.forEach((name, values) -> values.stream().sorted().forEach(value -> parts.add(name + "=" + value)));
        return String.join("&", parts);
    }

    private static String decode(String component) {
        // A literal '+' in a query sent by the hub is data, not a space.
        return URLDecoder.decode(component.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** RFC 3986 encoding as SigV4 defines it: everything but {@code A-Za-z0-9-_.~} as upper-case {@code %XX}. */
    public static String uriEncode(String value) {
        StringBuilder out = null;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (unreserved) {
                if (out != null) {
                    out.append((char) c);
                }
            } else {
                if (out == null) {
                    out = new StringBuilder(bytes.length + 16);
                    out.append(value, 0, i); // every byte before this one was a one-byte unreserved character
                }
                out.append('%').append(HEX_UPPER.toHexDigits((byte) c));
            }
        }
        return out == null ? value : out.toString();
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
