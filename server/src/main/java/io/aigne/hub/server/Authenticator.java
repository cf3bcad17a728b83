package io.aigne.hub.server;

import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.Principal;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;

/** Finds the caller behind a request: an access key sent as {@code Authorization: Bearer} or {@code x-api-key}. */
public final class Authenticator {
    private final AccessKeys keys;

    public Authenticator(AccessKeys keys) {
        this.keys = keys;
    }

    public Optional<Principal> identify(ServerRequest req) {
        String token = presentedKey(req);
        return token == null ? Optional.empty() : keys.authenticate(token);
    }

    public Principal require(ServerRequest req) {
        String token = presentedKey(req);
        if (token == null) {
            throw ApiException.unauthorized("no access key: send it as 'Authorization: Bearer <key>' "
                    + "(create one with: ./hub admin create-key --user <name>)");
        }
        return keys.authenticate(token).orElseThrow(() -> ApiException.unauthorized(
                "the access key is unknown or revoked, or its user is disabled"));
    }

    public Principal requireAdmin(ServerRequest req) {
        Principal p = require(req);
        if (!p.role().canAdminister()) {
            throw ApiException.forbidden("this needs the owner or admin role; your role is " + p.role().wireName());
        }
        return p;
    }

    private static String presentedKey(ServerRequest req) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        if (auth != null) {
            if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = auth.substring(7).trim();
                return token.isEmpty() ? null : token;
            }
            return null;
        }
        String apiKey = req.headers().first(Exchange.API_KEY).orElse(null);
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }
}
