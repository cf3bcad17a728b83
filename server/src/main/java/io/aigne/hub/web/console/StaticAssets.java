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
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The files of the console: the hub's own scripts and stylesheet under {@code /assets/app/v-<version>/…}, and
 * WebJars under {@code /assets/lib/<artifact>/<version>/…}. Both kinds of URL change when the content does (the app's
 * version is a hash of all its files, read once at start), so browsers keep them for a year and a warm page load asks
 * the hub for nothing but the page and its data. Relative imports between modules stay inside the versioned folder.
 * For a module, {@link #modulesImportedBy} lists what it imports, directly or not, so the page can preload them all
 * at once instead of discovering them one round trip at a time. Files are kept in memory with a gzipped copy; names
 * outside a strict character set, or with {@code ..}, are not found.
 */
public final class StaticAssets {
    public static final String APP_PREFIX = "/assets/app/";
    static final String LIB_PREFIX = "/assets/lib/";
    private static final String APP_ROOT = "io/aigne/hub/web/assets/";
    private static final String WEBJAR_ROOT = "META-INF/resources/webjars/";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Pattern STATIC_IMPORT = Pattern.compile(
            "(?m)^\\s*(?:import|export)\\b[^'\";]*?(?:from\\s*)?['\"](\\.{1,2}/[^'\"]+)['\"]");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "json", "application/json", "map", "application/json", "ico", "image/x-icon");

    private record Asset(byte[] bytes, byte[] gzipped, String type, String etag) {
    }

    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();
    private final Map<String, Asset> app;
    private final String appVersion;

    public StaticAssets() {
        this.app = loadApp();
        this.appVersion = "v-" + versionOf(app);
    }

    public void register(HttpRouting.Builder routing) {
        routing.get(APP_PREFIX + "*", this::serveApp)
                .get(LIB_PREFIX + "*", (req, res) -> {
                    String name = req.path().path().substring(LIB_PREFIX.length());
                    send(req, res, safe(name) ? load(WEBJAR_ROOT + name) : Optional.empty(), IMMUTABLE);
                });
    }

    /** The URL of one of the hub's own files, e.g. {@code appUrl("hub.js")}. */
    public String appUrl(String file) {
        return APP_PREFIX + appVersion + "/" + file;
    }

    /** Every module {@code script} imports, directly or through others, in a stable order. */
    public List<String> modulesImportedBy(String script) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(importsOf(script));
        while (!todo.isEmpty()) {
            String next = todo.removeFirst();
            if (!next.equals(script) && seen.add(next)) {
                todo.addAll(importsOf(next));
            }
        }
        return List.copyOf(seen);
    }

    private List<String> importsOf(String file) {
        Asset asset = app.get(file);
        if (asset == null || !file.endsWith(".js")) {
            return List.of();
        }
        List<String> imports = new ArrayList<>();
        Matcher m = STATIC_IMPORT.matcher(new String(asset.bytes(), StandardCharsets.UTF_8));
        while (m.find()) {
            String resolved = URI.create("x:/" + file).resolve(m.group(1)).getPath().substring(1);
            if (app.containsKey(resolved)) {
                imports.add(resolved);
            }
        }
        return imports;
    }

    private void serveApp(ServerRequest req, ServerResponse res) {
        String name = req.path().path().substring(APP_PREFIX.length());
        String cacheControl = "no-cache";
        int slash = name.indexOf('/');
        if (name.startsWith("v-") && slash > 0) {
            // A page from before a restart may name an older version: it gets today's file, revalidated.
            cacheControl = name.substring(0, slash).equals(appVersion) ? IMMUTABLE : "no-cache";
            name = name.substring(slash + 1);
        }
        send(req, res, safe(name) ? Optional.ofNullable(app.get(name)) : Optional.empty(), cacheControl);
    }

    private static boolean safe(String name) {
        return SAFE.matcher(name).matches() && !name.contains("..");
    }

    private static void send(ServerRequest req, ServerResponse res, Optional<Asset> asset, String cacheControl) {
        if (asset.isEmpty()) {
            res.status(Status.NOT_FOUND_404);
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("not found");
            return;
        }
        Asset a = asset.get();
        res.header(HeaderNames.CACHE_CONTROL, cacheControl);
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

    /** Every file under the app folder, from a directory (development, tests) or from the jar. */
    private static Map<String, Asset> loadApp() {
        URL root = StaticAssets.class.getClassLoader().getResource(APP_ROOT);
        if (root == null) {
            throw new IllegalStateException("the console's files (" + APP_ROOT + ") are not on the class path");
        }
        try {
            URI uri = root.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return readTree(jar.provider().getPath(uri));
                }
            }
            return readTree(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Asset> readTree(Path dir) throws IOException {
        Map<String, Asset> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(file).toString().replace('\\', '/');
                files.put(name, asset(name, Files.readAllBytes(file)));
            }
        }
        return files;
    }

    private static String versionOf(Map<String, Asset> files) {
        MessageDigest digest = sha256();
        files.forEach((name, asset) -> {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(asset.etag().getBytes(StandardCharsets.UTF_8));
        });
        return HexFormat.of().formatHex(digest.digest(), 0, 6);
    }

    private Optional<Asset> load(String resource) {
        return cache.computeIfAbsent(resource, r -> {
            try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(r)) {
                return in == null ? Optional.empty() : Optional.of(asset(r, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Asset asset(String name, byte[] bytes) throws IOException {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return new Asset(bytes, gzip(bytes), TYPES.getOrDefault(ext, "application/octet-stream"),
                "\"" + HexFormat.of().formatHex(sha256().digest(bytes), 0, 12) + "\"");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
