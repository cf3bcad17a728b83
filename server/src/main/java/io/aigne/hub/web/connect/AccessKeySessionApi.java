package io.aigne.hub.web.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Instant;

/**
 * The CLI side of {@code aigne hub connect}, at Blocklet Server's address for it
 * ({@code /.well-known/service/api/access-key/session}):
 * <ul>
 *   <li>{@code POST} starts a session and answers {@code {"id", …}};</li>
 *   <li>{@code GET ?sid=} answers {@code {}} while the user has not decided, and after approval
 *   {@code {"id", "accessKeyId", "accessKeySecret", "challenge"}} with the secret sealed by {@link SecretSealer};</li>
 *   <li>{@code DELETE ?sid=} ends it (the CLI does so as soon as it has the key).</li>
 * </ul>
 * The CLI polls with {@code GET} until it sees {@code accessKeyId} and {@code accessKeySecret}, and stops with
 * "Failed to connect: …" and the answer's text at the first non-2xx answer; so an unknown or expired session is a
 * 404 and a declined one a 403, each with a message saying what to do.
 */
public final class AccessKeySessionApi {
    public static final String PATH = "/.well-known/service/api/access-key/session";

    private final ConnectSessions sessions;

    public AccessKeySessionApi(ConnectSessions sessions) {
        this.sessions = sessions;
    }

    public void register(HttpRouting.Builder routing) {
        routing.post(PATH, this::create)
                .get(PATH, this::poll)
                .delete(PATH, this::delete);
    }

    private void create(ServerRequest req, ServerResponse res) {
        ConnectSession session = sessions.create();
        ObjectNode body = Json.object()
                .put("id", session.id())
                .put("status", "pending")
                .put("createdAt", Instant.ofEpochMilli(session.createdAt()).toString())
                .put("expiresAt", Instant.ofEpochMilli(session.expiresAt()).toString());
        Exchange.json(res, 200, body);
    }

    private void poll(ServerRequest req, ServerResponse res) {
        String sid = sid(req);
        ConnectSession session = sessions.find(sid).orElseThrow(() -> ApiException.notFound("session_not_found",
                "this connection request is unknown or has expired (requests last "
                        + sessions.ttl().toMinutes() + " minutes); run 'aigne hub connect' again"));
        ObjectNode body = Json.object();
        switch (session.state()) {
            case PENDING -> {
                // the CLI reads "no accessKeyId yet" as "keep waiting"
            }
            case APPROVED -> body.put("id", session.id())
                    .put("accessKeyId", session.accessKeyId())
                    .put("accessKeySecret", session.sealedSecret())
                    .put("challenge", session.challenge());
            case DECLINED -> throw ApiException.forbidden(
                    "the connection was declined in the browser; run 'aigne hub connect' again to retry");
        }
        Exchange.json(res, 200, body);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        // Idempotent: the CLI deletes right after collecting its key and fails on any error answer.
        String sid = sid(req);
        boolean deleted = sessions.delete(sid);
        Exchange.json(res, 200, Json.object().put("id", sid).put("deleted", deleted));
    }

    private static String sid(ServerRequest req) {
        String sid = req.query().first("sid").orElse("");
        if (sid.isBlank()) {
            throw ApiException.invalid("sid", "the query parameter 'sid' (the id POST " + PATH + " returned) is missing");
        }
        return sid;
    }
}
