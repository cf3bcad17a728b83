package io.aigne.hub.web.session.oidc;

import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import io.aigne.hub.audit.Actor;
import io.aigne.hub.auth.ExternalUsers;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.media.PublicOrigin;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.web.session.Forms;
import io.aigne.hub.web.session.SignInPage;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /auth/oidc/start?next=…} sends the browser to the provider's sign-in page;
 * {@code GET /auth/oidc/callback} is where the provider sends it back: the state is checked against the one this
 * browser started with, the code exchanged, the ID token validated, and the account's hub user (created at its
 * first sign-in) signed in. Every failure lands on the sign-in page with what went wrong, keeping {@code next}.
 */
public final class OidcSignIn {
    public static final String START_PATH = SignInPage.OIDC_START_PATH;
    public static final String CALLBACK_PATH = "/auth/oidc/callback";
    private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);

    private final OidcClient client;
    private final ExternalUsers users;
    private final Role defaultRole;
    private final String userNameClaim;
    private final SignInPage page;
    private final PublicOrigin origin;
    private final Function<ServerRequest, String> clientAddress;
    private final Clock clock;

    public OidcSignIn(OidcClient client, ExternalUsers users, Role defaultRole, String userNameClaim,
                      SignInPage page, PublicOrigin origin, Function<ServerRequest, String> clientAddress,
                      Clock clock) {
        this.client = client;
        this.users = users;
        this.defaultRole = defaultRole;
        this.userNameClaim = userNameClaim == null || userNameClaim.isBlank() ? "preferred_username" : userNameClaim;
        this.page = page;
        this.origin = origin;
        this.clientAddress = clientAddress;
        this.clock = clock;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get(START_PATH, this::start).get(CALLBACK_PATH, this::callback);
    }

    private void start(ServerRequest req, ServerResponse res) {
        String next = Forms.localPath(req.query().first("next").orElse(null), null);
        PendingSignIn pending = PendingSignIn.start(next, clock.millis());
        URI target;
        try {
            target = client.authorizationUrl(redirectUri(req), pending);
        } catch (OidcClient.SignInFailed e) {
            LOG.warn("OpenID Connect sign-in could not start: {}", e.getMessage());
            page.showError(res, 502, next, e.getMessage());
            return;
        }
        pending.set(req, res);
        res.status(Status.FOUND_302);
        res.header(HeaderNames.LOCATION, target.toString());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }

    private void callback(ServerRequest req, ServerResponse res) {
        Optional<PendingSignIn> pending = PendingSignIn.read(req);
        PendingSignIn.clear(req, res); // one attempt per start, whatever happens
        String next = pending.map(PendingSignIn::next).orElse(null);
        var query = req.query();
        if (query.first("error").isPresent()) {
            String description = query.first("error_description").orElse(null);
            fail(res, 401, next, "The sign-in provider did not sign you in: " + query.first("error").get()
                    + (description == null || description.isBlank() ? "" : " (" + description + ")") + ".");
            return;
        }
        if (pending.isEmpty()) {
            fail(res, 400, null, "This sign-in was not started in this browser, or its cookie was lost. "
                    + "Please start again.");
            return;
        }
        if (clock.millis() >= pending.get().expiresAt()) {
            fail(res, 400, next, "This sign-in took too long (more than " + PendingSignIn.LIFETIME.toMinutes()
                    + " minutes) and has expired. Please start again.");
            return;
        }
        String state = query.first("state").orElse("");
        if (!MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                pending.get().state().getBytes(StandardCharsets.UTF_8))) {
            fail(res, 400, next, "This sign-in could not be verified: the provider answered a different request "
                    + "(state mismatch). Please start again.");
            return;
        }
        Optional<String> code = query.first("code").asOptional();
        if (code.isEmpty() || code.get().isBlank()) {
            fail(res, 400, next, "The sign-in provider sent no authorization code. Please start again.");
            return;
        }
        IDTokenClaimsSet claims;
        try {
            claims = client.exchange(code.get(), redirectUri(req), pending.get());
        } catch (OidcClient.SignInFailed e) {
            fail(res, 401, next, e.getMessage());
            return;
        }
        String address = clientAddress.apply(req);
        User user;
        try {
            user = users.signIn(new ExternalUsers.Identity(claims.getIssuer().getValue(),
                    claims.getSubject().getValue(), claims.getStringClaim(userNameClaim),
                    claims.getStringClaim("name"), claims.getStringClaim("email")), defaultRole,
                    Actor.system("oidc", address));
        } catch (ApiException e) {
            fail(res, e.status(), next, "You signed in at the provider, but the hub refused: " + e.getMessage() + ".");
            return;
        }
        LOG.info("web sign-in of '{}' through OpenID Connect", user.name());
        page.open(req, res, user, next);
    }

    private void fail(ServerResponse res, int status, String next, String message) {
        LOG.info("OpenID Connect sign-in refused: {}", message);
        page.showError(res, status, next, message);
    }

    private URI redirectUri(ServerRequest req) {
        return URI.create(origin.of(req) + CALLBACK_PATH);
    }
}
