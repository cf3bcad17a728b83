package io.aigne.hub.web.session;

import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.SessionCallers;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;

/**
 * Lets the console and the playground call the hub's APIs as the signed-in user. Reading needs the session cookie
 * only; anything else also needs the session's CSRF token in {@value #CSRF_HEADER} (a header other sites cannot
 * set without CORS, which the hub never grants) and, when the browser names one, the hub's own origin. The user is
 * read afresh on every request, so a role change or a disabled account takes effect at once.
 */
public final class BrowserCallers implements SessionCallers {
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final HeaderName CSRF = HeaderNames.create(CSRF_HEADER);
    /** How usage records and limit messages name calls made from a browser session. */
    public static final String KEY_NAME = "browser session";

    private final WebSessions sessions;
    private final UserStore users;

    public BrowserCallers(WebSessions sessions, UserStore users) {
        this.sessions = sessions;
        this.users = users;
    }

    @Override
    public Optional<Principal> caller(ServerRequest req) {
        String cookie = SessionCookie.read(req);
        if (cookie == null) {
            return Optional.empty();
        }
        Optional<WebSession> session = sessions.find(cookie);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        Optional<User> user = users.byId(session.get().userId()).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (!safe(req.prologue().method())) {
            Forms.requireSameOrigin(req);
            if (!WebSessions.csrfMatches(session.get(), req.headers().first(CSRF).orElse(null))) {
                throw new ApiException(403, "permission_error", "csrf_token_invalid", null,
                        "this request came with a browser session but without its CSRF token: send the page's token "
                                + "(<meta name=\"csrf-token\">) as the " + CSRF_HEADER + " header, or use an access key");
            }
        }
        User u = user.get();
        return Optional.of(new Principal(u.id(), u.name(), u.role(), null, null, KEY_NAME));
    }

    private static boolean safe(Method method) {
        return method == Method.GET || method == Method.HEAD || method == Method.OPTIONS;
    }
}
