package io.aigne.hub.media;

import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /api/media/{name}}: a hosted file, to anyone holding its URL (no key: the caller may hand the link to
 * another machine, as the AIGNE clients do when they download the file). The type is the one its bytes were
 * checked to be, with {@code nosniff} so that browsers do not guess another; the file may be cached until it
 * expires, never longer. Unknown, expired and malformed names all answer the same 404.
 */
public final class MediaRoute {
    private static final io.helidon.http.HeaderName CONTENT_TYPE_OPTIONS =
            io.helidon.http.HeaderNames.create("X-Content-Type-Options");
    private static final io.helidon.http.HeaderName CSP =
            io.helidon.http.HeaderNames.create("Content-Security-Policy");

    private final MediaStore store;
    private final Clock clock;

    public MediaRoute(MediaStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void register(HttpRules rules) {
        rules.get(MediaPublisher.ROUTE_PREFIX + "{name}", this::serve)
                .head(MediaPublisher.ROUTE_PREFIX + "{name}", this::serve);
    }

    private void serve(ServerRequest req, ServerResponse res) {
        Optional<MediaStore.Found> found = store.find(req.path().pathParameters().first("name").orElse(null));
        if (found.isEmpty()) {
            notFound(res);
            return;
        }
        MediaStore.Found file = found.get();
        InputStream in;
        try {
            in = Files.newInputStream(file.file(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // swept between the look-up and now
            notFound(res);
            return;
        }
        long maxAge = Math.max(0, Duration.between(clock.instant(), file.expiresAt()).toSeconds());
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, file.type().contentType());
        res.header(HeaderNames.CONTENT_LENGTH, Long.toString(file.size()));
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=" + maxAge + ", immutable");
        res.header(CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(CSP, "default-src 'none'; sandbox");
        try (in) {
            if (req.prologue().method() == Method.HEAD) {
                res.send();
                return;
            }
            try (OutputStream out = res.outputStream()) {
                in.transferTo(out);
            }
        } catch (IOException e) {
            // The client left mid-transfer; nothing more can be said on this response.
            throw new UncheckedIOException(e);
        }
    }

    private void notFound(ServerResponse res) {
        res.header(CONTENT_TYPE_OPTIONS, "nosniff");
        Exchange.json(res, 404, Json.object().set("error", Json.object().put("message", "no such file: media links"
                + " expire " + store.retention().toHours() + " hours after the file was generated")));
    }
}
