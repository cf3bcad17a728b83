package io.aigne.hub.web.session;

import io.aigne.hub.auth.Passwords;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET/POST /auth/signin} and {@code POST /auth/signout}: user name and password (set with
 * {@code ./hub admin set-password NAME}) open a browser session. {@code next} brings the user back to the page
 * that asked for the sign-in, e.g. the approval of an {@code aigne hub connect}. Wrong passwords are throttled per
 * user name and per client address ({@link SignInThrottle}). When OpenID Connect is on, the page also offers
 * "Sign in with …" ({@code web.session.oidc.OidcSignIn}).
 */
public final class SignInPage {
    public static final String PATH = "/auth/signin";
    public static final String SIGN_OUT_PATH = "/auth/signout";
    /** Where a sign-in without {@code next} lands: the console for admins, the playground for everyone else. */
    private static final String HOME = "/";
    private static final Logger LOG = LoggerFactory.getLogger(SignInPage.class);

    /** Where the "Sign in with …" button starts a sign-in through the OpenID Connect provider. */
    public static final String OIDC_START_PATH = "/auth/oidc/start";

    private final UserStore users;
    private final WebSessions sessions;
    private final SignInThrottle throttle;
    private final Function<ServerRequest, String> clientAddress;
    /** The provider's name on the button, or null when OpenID Connect sign-in is off. */
    private final String oidcDisplayName;

    public SignInPage(UserStore users, WebSessions sessions, SignInThrottle throttle,
                      Function<ServerRequest, String> clientAddress, String oidcDisplayName) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.clientAddress = clientAddress;
        this.oidcDisplayName = oidcDisplayName;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get(PATH, this::show)
                .post(PATH, this::signIn)
                .post(SIGN_OUT_PATH, this::signOut);
    }

    /** The URL of the sign-in page that returns to {@code next} afterwards. */
    public static String pathReturningTo(String next) {
        return PATH + "?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void show(ServerRequest req, ServerResponse res) {
        String next = Forms.localPath(req.query().first("next").orElse(null), null);
        Optional<WebSession> current = sessions.find(SessionCookie.read(req));
        if (current.isPresent() && next != null) {
            Html.redirect(res, next);
            return;
        }
        if (current.isPresent()) {
            Html.redirect(res, HOME);
            return;
        }
        form(res, 200, next, "", null);
    }

    private void signIn(ServerRequest req, ServerResponse res) {
        Forms.requireSameOrigin(req);
        Map<String, String> form = Forms.read(req);
        String name = form.getOrDefault("username", "").trim();
        String password = form.getOrDefault("password", "");
        String next = Forms.localPath(form.get("next"), null);
        String address = clientAddress.apply(req);
        Duration wait = throttle.waitFor(name, address);
        if (!wait.isZero()) {
            LOG.info("web sign-in throttled for user name '{}' from {}", name.length() > 64 ? name.substring(0, 64)
                    : name, address);
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, wait.toSeconds())));
            form(res, 429, next, name, "Too many failed sign-ins for this user name or from this address. "
                    + "Try again in " + minutes(wait) + ".");
            return;
        }
        Optional<User> user = name.isEmpty() ? Optional.empty() : users.byName(name);
        String hash = user.flatMap(u -> users.passwordHash(u.id())).orElse(null);
        // Checked even for unknown users (against a dummy hash), so the time taken does not tell who exists.
        boolean valid = Passwords.matches(password, hash) && user.isPresent() && !user.get().disabled();
        if (!valid) {
            throttle.failed(name, address);
            LOG.info("web sign-in refused for user name '{}'", name.length() > 64 ? name.substring(0, 64) : name);
            form(res, 401, next, name, "Wrong user name or password, or this user may not sign in.");
            return;
        }
        throttle.succeeded(name);
        open(req, res, user.get(), next);
    }

    /** Signs {@code user} in on this browser (a new session id) and sends it to {@code next}, or home. */
    public void open(ServerRequest req, ServerResponse res, User user, String next) {
        sessions.signOut(SessionCookie.read(req));
        WebSession session = sessions.signIn(user);
        SessionCookie.set(req, res, session, sessions.ttl().toSeconds());
        Html.redirect(res, next == null ? HOME : next);
    }

    /** The sign-in page with {@code error} above the form, e.g. when a sign-in through the provider failed. */
    public void showError(ServerResponse res, int status, String next, String error) {
        form(res, status, next, "", error);
    }

    private void signOut(ServerRequest req, ServerResponse res) {
        Forms.requireSameOrigin(req);
        Map<String, String> form = Forms.read(req);
        Optional<WebSession> current = sessions.find(SessionCookie.read(req));
        if (current.isPresent() && WebSessions.csrfMatches(current.get(), form.get("csrf"))) {
            sessions.signOut(current.get().id());
        }
        SessionCookie.clear(req, res);
        Html.redirect(res, PATH);
    }

    private static String minutes(Duration wait) {
        long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
        return minutes == 1 ? "a minute" : minutes + " minutes";
    }

    /** The "Sign in with …" button: a link (a form's redirect to another site would break form-action 'self'). */
    private String oidcButton(String next) {
        if (oidcDisplayName == null) {
            return "";
        }
        String href = OIDC_START_PATH + (next == null ? "" : "?next="
                + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
        return "<p><a class=\"button\" href=\"" + Html.escape(href) + "\">Sign in with "
                + Html.escape(oidcDisplayName) + "</a></p><p class=\"muted\">or with a user name and password:</p>";
    }

    private void form(ServerResponse res, int status, String next, String name, String error) {
        Html.send(res, status, "Sign in", (error == null ? "" : "<p class=\"error\" role=\"alert\">"
                + Html.escape(error) + "</p>") + oidcButton(next)
                + "<form method=\"post\" action=\"" + PATH + "\">"
                + (next == null ? "" : Html.hidden("next", next))
                + "<label for=\"username\">User name</label>"
                + "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required value=\""
                + Html.escape(name) + "\">"
                + "<label for=\"password\">Password</label>"
                + "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>"
                + "<button type=\"submit\">Sign in</button></form>"
                + "<p class=\"muted\">An administrator sets passwords with <code>./hub admin set-password NAME</code>.</p>");
    }
}
