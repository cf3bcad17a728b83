package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /__blocklet__.js}: the app metadata a Blocklet Server serves, which every AIGNE client fetches from the
 * origin to find where the hub is mounted. {@code @aigne/aigne-hub} reads {@code componentMountPoints}; the older
 * {@code @blocklet/aigne-hub} client reads {@code componentId} and {@code prefix}. With {@code ?type=json} the
 * document is JSON; without it, the script a browser page includes ({@code window.blocklet = ...}), as Blocklet
 * Server serves it. Public: clients fetch it without credentials.
 */
final class BlockletDiscovery {
    private static final String MOUNT_POINT = "/";

    private BlockletDiscovery() {
    }

    static void serve(ServerRequest req, ServerResponse res) {
        ObjectNode document = document(appUrl(req));
        if ("json".equals(req.query().first("type").orElse(null))) {
            Exchange.json(res, 200, document);
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/javascript; charset=utf-8");
        res.send(("window.blocklet = " + new String(Json.bytes(document), StandardCharsets.UTF_8) + ";\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode document(String appUrl) {
        ObjectNode doc = Json.object();
        doc.put("appId", AigneGateway.HUB_DID);
        doc.put("appPid", AigneGateway.HUB_DID);
        doc.put("appName", "AIGNE Hub");
        doc.put("appUrl", appUrl);
        doc.put("componentId", AigneGateway.HUB_DID + "/" + AigneGateway.HUB_DID);
        doc.put("prefix", MOUNT_POINT);
        doc.putArray("componentMountPoints").addObject()
                .put("did", AigneGateway.HUB_DID)
                .put("mountPoint", MOUNT_POINT)
                .put("name", "ai-kit")
                .put("title", "AIGNE Hub")
                .put("status", "running");
        return doc;
    }

    /** The origin the caller reached the hub at: its Host, over the scheme a fronting proxy says it used. */
    static String appUrl(ServerRequest req) {
        String host = req.headers().first(HeaderNames.HOST).orElse(null);
        if (host == null || host.isBlank()) {
            host = req.localPeer().host() + ":" + req.localPeer().port();
        }
        String scheme = req.headers().first(HeaderNames.X_FORWARDED_PROTO).map(s -> s.split(",")[0].trim())
                .filter(s -> s.equals("http") || s.equals("https"))
                .orElse(req.isSecure() ? "https" : "http");
        return scheme + "://" + host;
    }
}
