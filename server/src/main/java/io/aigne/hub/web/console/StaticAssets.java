package io.aigne.hub.web.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The files of the console: {@code /assets/app/…} (the hub's own scripts and stylesheet, revalidated by ETag) and
 * {@code /assets/lib/<artifact>/<version>/…} (WebJars, immutable). Files are read from the class path once and kept
 * in memory with a gzipped copy; names outside a strict character set, or with {@code ..}, are not found.
 */
public final class StaticAssets {
    public static final String APP_PREFIX = "/assets/app/";
    static final String LIB_PREFIX = "/assets/lib/";
    private static final String APP_ROOT = "io/aigne/hub/web/assets/";
    private static final String WEBJAR_ROOT = "META-INF/resources/webjars/";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "json", "application/json", "map", "application/json", "ico", "image/x-icon");

    private record Asset(byte[] bytes, byte[] gzipped, String type, String etag) {
    }

    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    public void register(HttpRouting.Builder routing) {
        routing.get(APP_PREFIX + "*", (req, res) -> serve(req, res, APP_ROOT, APP_PREFIX, false))
                .get(LIB_PREFIX + "*", (req, res) -> serve(req, res, WEBJAR_ROOT, LIB_PREFIX, true));
    }

    private void serve(ServerRequest req, ServerResponse res, String root, String prefix, boolean immutable) {
        String path = req.path().path();
        String name = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
        Optional<Asset> asset = SAFE.matcher(name).matches() && !name.contains("..")
                ? load(root + name) : Optional.empty();
        if (asset.isEmpty()) {
            res.status(Status.NOT_FOUND_404);
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("not found");
            return;
        }
        Asset a = asset.get();
        res.header(HeaderNames.CACHE_CONTROL, immutable ? "public, max-age=31536000, immutable" : "no-cache");
        res.header(HeaderNames.ETAG, a.etag());
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.VARY, "Accept-Encoding");
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(a.etag()::equals).orElse(false)) {
            res.status(Status.NOT_MODIFIED_304);
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, a.type());
        boolean gzip = req.headers().first(HeaderNames.ACCEPT_ENCODING).map(e -> e.contains("gzip")).orElse(false);
        if (gzip) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            res.send(a.gzipped());
        } else {
            res.send(a.bytes());
        }
    }

    private Optional<Asset> load(String resource) {
        return cache.computeIfAbsent(resource, r -> {
            try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(r)) {
                if (in == null) {
                    return Optional.empty();
                }
                byte[] bytes = in.readAllBytes();
                String ext = r.substring(r.lastIndexOf('.') + 1);
                return Optional.of(new Asset(bytes, gzip(bytes), TYPES.getOrDefault(ext, "application/octet-stream"),
                        "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
