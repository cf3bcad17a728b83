package io.aigne.hub.web.connect;

import io.aigne.hub.audit.Actor;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.auth.IssuedKey;
import io.aigne.hub.auth.KeyAdmin;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.web.session.Forms;
import io.aigne.hub.web.session.Html;
import io.aigne.hub.web.session.SessionCookie;
import io.aigne.hub.web.session.SignInPage;
import io.aigne.hub.web.session.WebSession;
import io.aigne.hub.web.session.WebSessions;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The browser side of {@code aigne hub connect}: the CLI opens
 * {@code /.well-known/service/gen-simple-access-key?__token__=<base64url(session id)>&source=…&appName=…}; a
 * signed-in user approves (a new access key of theirs is sealed into the session for the CLI to collect) or
 * declines. Approval is a form post carrying the sign-in session's CSRF token, and each connect session can be
 * answered only once.
 */
public final class ApprovalPage {
    public static final String PATH = "/.well-known/service/gen-simple-access-key";
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalPage.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConnectSessions connects;
    private final WebSessions webSessions;
    private final UserStore users;
    private final KeyAdmin keys;
    private final RequestActors actors;

    public ApprovalPage(ConnectSessions connects, WebSessions webSessions, UserStore users, KeyAdmin keys,
                        RequestActors actors) {
        this.connects = connects;
        this.webSessions = webSessions;
        this.users = users;
        this.keys = keys;
        this.actors = actors;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get(PATH, this::show).post(PATH, this::answer);
    }

    private void show(ServerRequest req, ServerResponse res) {
        String token = req.query().first("__token__").orElse("");
        Optional<ConnectSession> connect = pending(token);
        if (connect.isEmpty()) {
            gone(res);
            return;
        }
        Optional<WebSession> signedIn = webSessions.find(SessionCookie.read(req));
        if (signedIn.isEmpty()) {
            String here = req.path().rawPath() + "?" + req.query().rawValue();
            Html.redirect(res, SignInPage.pathReturningTo(here));
            return;
        }
        WebSession web = signedIn.get();
        ConnectingClient client = ConnectingClient.of(req.query().first("appName").orElse(null),
                req.query().first("source").orElse(null));
        Html.send(res, 200, "Connect " + client.displayName(), "<p><b>" + Html.escape(client.displayName())
                + "</b>" + (client.source().isEmpty() ? "" : " (" + Html.escape(client.source()) + ")")
                + " asks for an access key to use this hub as <b>" + Html.escape(web.userName()) + "</b>.</p>"
                + "<p>Approve only if you started <code>aigne hub connect</code> yourself just now. The new key "
                + "appears in your access keys and can be revoked there.</p>"
                + "<form method=\"post\" action=\"" + PATH + "\">"
                + Html.hidden("__token__", token) + Html.hidden("csrf", web.csrfToken())
                + Html.hidden("appName", client.appName()) + Html.hidden("source", client.source())
                + "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>"
                + "<button type=\"submit\" name=\"decision\" value=\"decline\">Decline</button></form>"
                + "<p class=\"muted\">Signed in as " + Html.escape(web.userName()) + ".</p>");
    }

    private void answer(ServerRequest req, ServerResponse res) {
        Forms.requireSameOrigin(req);
        Map<String, String> form = Forms.read(req);
        Optional<WebSession> signedIn = webSessions.find(SessionCookie.read(req));
        if (signedIn.isEmpty()) {
            Html.send(res, 401, "Signed out", "<p>Your sign-in has ended. Open the link from "
                    + "<code>aigne hub connect</code> again.</p>");
            return;
        }
        WebSession web = signedIn.get();
        if (!WebSessions.csrfMatches(web, form.get("csrf"))) {
            Html.send(res, 403, "Not accepted", "<p>This form did not come from the hub's own page. Open the link "
                    + "from <code>aigne hub connect</code> again.</p>");
            return;
        }
        String sid = sessionId(form.getOrDefault("__token__", ""));
        ConnectingClient client = ConnectingClient.of(form.get("appName"), form.get("source"));
        if ("decline".equals(form.get("decision"))) {
            if (sid == null || connects.settle(sid, ConnectSession::declined).isEmpty()) {
                gone(res);
                return;
            }
            Html.send(res, 200, "Declined", "<p>No key was created. The command that asked will stop.</p>");
            return;
        }
        if (!"approve".equals(form.get("decision"))) {
            Html.send(res, 400, "Not understood", "<p>Choose Approve or Decline.</p>");
            return;
        }
        Optional<User> user = users.byId(web.userId()).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            webSessions.signOut(web.id());
            Html.send(res, 403, "Not allowed", "<p>This user is disabled.</p>");
            return;
        }
        IssuedKey[] issued = new IssuedKey[1];
        Optional<ConnectSession> approved = sid == null ? Optional.empty() : connects.settle(sid, pending -> {
            // Issued inside the settle step, so that a double submit cannot create a second key.
            issued[0] = keys.issue(user.get().id(), client.keyName(), null,
                    Actor.user(user.get().id(), user.get().name(), actors.clientAddress(req)));
            String keyId = issued[0].key().id();
            String challenge = challenge();
            return pending.approved(keyId, SecretSealer.seal(issued[0].secret(), keyId, challenge), challenge);
        });
        if (approved.isEmpty()) {
            gone(res);
            return;
        }
        LOG.info("user {} approved access key {} for '{}'", user.get().name(), issued[0].key().id(), client.keyName());
        Html.send(res, 200, "Connected", "<p>" + Html.escape(client.displayName()) + " now has an access key for "
                + "<b>" + Html.escape(user.get().name()) + "</b>. You can close this window and return to the "
                + "terminal.</p>");
    }

    private Optional<ConnectSession> pending(String token) {
        String sid = sessionId(token);
        return sid == null ? Optional.empty()
                : connects.find(sid).filter(s -> s.state() == ConnectSession.State.PENDING);
    }

    /** The session id inside {@code __token__} (base64url, unpadded, as the CLI encodes it), or null. */
    static String sessionId(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void gone(ServerResponse res) {
        Html.send(res, 404, "Request expired", "<p>This connection request has expired, was already answered, or "
                + "never existed. Run <code>aigne hub connect</code> again.</p>");
    }

    private static String challenge() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
