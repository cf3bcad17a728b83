package io.aigne.hub.server;

import io.aigne.hub.auth.Principal;
import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;

/**
 * The signed-in browser behind a request that carries no access key. An implementation must refuse a
 * state-changing request whose CSRF token is missing or wrong (an {@link ApiException}), so that a session cookie
 * alone, which a browser attaches to requests other sites start, never changes anything.
 */
@FunctionalInterface
public interface SessionCallers {
    SessionCallers NONE = req -> Optional.empty();

    Optional<Principal> caller(ServerRequest req);
}
