package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.InsufficientCredits;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.ServerResponse;

/**
 * Errors in the shapes the original hub answers with, which the AIGNE clients read:
 * <ul>
 *   <li>no or unknown access key: 401 {@code {"error":"User not authenticated"}} (the routes' own answer; an
 *       unknown key counts as no key);</li>
 *   <li>a request the hub refuses before calling a model (bad input, no model): the status with
 *       {@code {"error":"<message>"}}, a string, as its CustomError gives;</li>
 *   <li>credit that cannot cover the call: 402 {@code {"error":{"message","timestamp","type":"NOT_ENOUGH","link"}}}
 *       with the purchase link;</li>
 *   <li>anything else (routing, the provider's errors): the status with {@code {"error":{"message":"..."}}}, whose
 *       message the SDK raises as its error.</li>
 * </ul>
 */
final class AigneErrors {
    static final String NOT_AUTHENTICATED = "User not authenticated";

    private AigneErrors() {
    }

    static void unauthenticated(ServerResponse res) {
        Exchange.json(res, 401, Json.object().put("error", NOT_AUTHENTICATED));
    }

    /** A refusal of the caller's request, {@code prefix} naming the endpoint as the original does ("[chat] "). */
    static void refused(ServerResponse res, ApiException e, String prefix) {
        Exchange.json(res, e.status(), Json.object().put("error", prefix + e.getMessage()));
    }

    static void failed(ServerResponse res, ApiException e) {
        if (e.retryAfter() != null) {
            res.header(Exchange.RETRY_AFTER, e.retryAfter());
        }
        Exchange.json(res, e.status(), body(e));
    }

    /** The {@code {"error":{…}}} body of a failure, also what an event stream carries in its error event. */
    static ObjectNode body(ApiException e) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error").put("message", e.getMessage());
        if (e instanceof InsufficientCredits credits) {
            error.put("timestamp", java.time.Instant.now().toString());
            error.put("type", InsufficientCredits.TYPE);
            if (credits.purchaseLink() == null) {
                error.putNull("link");
            } else {
                error.put("link", credits.purchaseLink());
            }
        }
        return body;
    }
}
