package io.aigne.hub.web.console;

import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.web.session.Html;
import io.aigne.hub.web.session.SessionCookie;
import io.aigne.hub.web.session.SignInPage;
import io.aigne.hub.web.session.WebSession;
import io.aigne.hub.web.session.WebSessions;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Optional;

/**
 * Serves the pages of {@link ConsolePages}: a signed-out visitor is sent to the sign-in page and brought back; a
 * user whose role does not open the page gets a 403 page saying which role it needs. {@code /} leads admins to the
 * console and everyone else to the playground.
 */
public final class ConsoleRoutes {
    /**
     * Scripts only from the hub itself; styles may be inline (the libraries set element styles); images also from
     * data/blob URLs and the providers' hosts, since a generated image may be a provider's link.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob: https: http:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private final WebSessions sessions;
    private final UserStore users;
    private final StaticAssets assets;
    private final PageShell shell;

    public ConsoleRoutes(WebSessions sessions, UserStore users, StaticAssets assets) {
        this.sessions = sessions;
        this.users = users;
        this.assets = assets;
        this.shell = new PageShell(assets);
    }

    public void register(HttpRouting.Builder routing) {
        assets.register(routing);
        routing.get("/", this::home);
        for (ConsolePage page : ConsolePages.ALL) {
            routing.get(page.path(), (req, res) -> show(page, req, res));
        }
    }

    private void home(ServerRequest req, ServerResponse res) {
        Optional<SignedIn> who = signedIn(req);
        if (who.isEmpty()) {
            Html.redirect(res, SignInPage.PATH);
            return;
        }
        Html.redirect(res, who.get().user().role().canAdminister() ? "/console" : "/playground");
    }

    private void show(ConsolePage page, ServerRequest req, ServerResponse res) {
        Optional<SignedIn> who = signedIn(req);
        if (who.isEmpty() && page.access() != ConsolePage.Access.PUBLIC) {
            Html.redirect(res, SignInPage.pathReturningTo(page.path()));
            return;
        }
        User user = who.map(SignedIn::user).orElse(null);
        WebSession session = who.map(SignedIn::session).orElse(null);
        if (!page.access().admits(user == null ? null : user.role()) && page.access() != ConsolePage.Access.PUBLIC) {
            Html.sendDocument(res, 403, shell.render(page, user, session, "This page is for owners and admins; your "
                    + "role is " + user.role().wireName() + ". Ask an administrator if you need it."), CSP);
            return;
        }
        Html.sendDocument(res, 200, shell.render(page, user, session, null), CSP);
    }

    private record SignedIn(User user, WebSession session) {
    }

    private Optional<SignedIn> signedIn(ServerRequest req) {
        return sessions.find(SessionCookie.read(req)).flatMap(s -> users.byId(s.userId())
                .filter(u -> !u.disabled()).map(u -> new SignedIn(u, s)));
    }
}
