package io.aigne.hub.playground;

import io.aigne.hub.auth.Principal;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.SessionCallers;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;

/**
 * The one place the guest playground setting is enforced. It wraps the browser-session callers: the playground
 * calls models only with the signed-in session (never with an access key), so every playground model call of a
 * guest passes here, whichever door it uses, and nothing else does. Enforcing it here rather than in each door
 * (AIGNE, OpenAI, Anthropic, legacy) keeps it to one check; enforcing it in the Authenticator would also refuse
 * guests' access keys, which are not the playground: an admin who issued a guest a key meant it to work, and keys
 * are governed by limits. A guest's session still reads pages and lists (the pages say why the playground is
 * closed); only the model calls are refused, with a 403 that says what to do.
 */
public final class GuestPlaygroundGate implements SessionCallers {
    private final SessionCallers sessions;
    private final PlaygroundAccess access;

    public GuestPlaygroundGate(SessionCallers sessions, PlaygroundAccess access) {
        this.sessions = sessions;
        this.access = access;
    }

    @Override
    public Optional<Principal> caller(ServerRequest req) {
        Optional<Principal> caller = sessions.caller(req);
        if (caller.isPresent() && isModelCall(req) && !access.allows(caller.get())) {
            throw new ApiException(403, "permission_error", "playground_closed_to_guests", null,
                    PlaygroundAccess.CLOSED_TO_GUESTS);
        }
        return caller;
    }

    /** The model-calling doors: AIGNE ({@code /api/v2/…}, legacy {@code /api/v1/…}), OpenAI and Anthropic. */
    static boolean isModelCall(ServerRequest req) {
        if (req.prologue().method() != Method.POST) {
            return false;
        }
        String path = req.path().path();
        return path.startsWith("/api/v2/") || path.startsWith("/api/v1/") || path.startsWith("/v1/");
    }
}
