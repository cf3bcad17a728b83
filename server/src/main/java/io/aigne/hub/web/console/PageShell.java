package io.aigne.hub.web.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.User;
import io.aigne.hub.server.Json;
import io.aigne.hub.web.console.ConsolePage.Section;
import io.aigne.hub.web.session.Html;
import io.aigne.hub.web.session.SignInPage;
import io.aigne.hub.web.session.WebSession;

import java.util.List;

/**
 * The HTML every console page shares: the navigation (only the pages the user's role opens), who is signed in, the
 * sign-out form and a {@code <main>} that the page's script fills. What the script needs to start (the user, the
 * CSRF token) travels as JSON in {@code #page-data}, escaped so no value can end the script element.
 */
final class PageShell {
    private final StaticAssets assets;

    PageShell(StaticAssets assets) {
        this.assets = assets;
    }
    /** The page for {@code user} (null on a public page visited signed out); {@code refusal} replaces the script. */
    String render(ConsolePage page, User user, WebSession session, String refusal) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("page", page.id());
        if (user != null) {
            data.putObject("user").put("id", user.id()).put("name", user.name())
                    .put("displayName", user.displayName()).put("role", user.role().wireName());
            data.put("csrfToken", session.csrfToken());
        } else {
            data.putNull("user");
        }
        StringBuilder head = new StringBuilder();
        StringBuilder scripts = new StringBuilder();
        if (refusal == null) {
            for (WebLibrary lib : page.libraries()) {
                if (lib.stylesheetUrl() != null) {
                    head.append("<link rel=\"stylesheet\" href=\"").append(lib.stylesheetUrl()).append("\">\n");
                }
                // Fetched at once but run only when a script asks for it (hub.js library(name)): a library's
                // compile then never delays the page's own module, which has its data requests under way first.
                head.append("<link rel=\"preload\" as=\"script\" href=\"").append(lib.scriptUrl())
                        .append("\" data-global=\"").append(lib.global()).append("\">\n");
            }
            // The page's module and everything it imports are fetched together, not one import at a time.
            for (String module : assets.modulesImportedBy(page.script())) {
                head.append("<link rel=\"modulepreload\" href=\"").append(appUrl(module)).append("\">\n");
            }
            scripts.append("<script type=\"module\" src=\"").append(appUrl(page.script())).append("\"></script>\n");
        }
        String csrf = session == null ? "" : session.csrfToken();
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · AIGNE Hub</title>
                <meta name="csrf-token" content="%s">
                <link rel="stylesheet" href="%s">
                %s</head>
                <body data-page="%s">
                <a class="skip-link" href="#main">Skip to content</a>
                <header class="topbar">
                <a class="brand" href="/">AIGNE Hub</a>
                <button type="button" class="nav-toggle" aria-controls="site-nav" aria-expanded="false">Menu</button>
                <div class="who">%s</div>
                </header>
                <nav id="site-nav" aria-label="Main">%s</nav>
                <main id="main" tabindex="-1">
                <h1>%s</h1>
                <div id="app">%s</div>
                </main>
                <script type="application/json" id="page-data">%s</script>
                <script type="module" src="%s"></script>
                %s</body></html>
                """.formatted(Html.escape(page.title()), Html.escape(csrf), appUrl("hub.css"), head,
                Html.escape(page.id()), who(user, session), navigation(page, user == null ? null : user.role()),
                Html.escape(page.title()),
                refusal == null ? "<p class=\"muted\" data-loading>Loading…</p>"
                        + "<noscript><p>This page needs JavaScript.</p></noscript>"
                        : "<p class=\"error\" role=\"alert\">" + Html.escape(refusal) + "</p>",
                scriptSafe(data.toString()), appUrl("hub.js"), scripts);
    }

    private String appUrl(String file) {
        return assets.appUrl(file);
    }

    private static String navigation(ConsolePage current, Role role) {
        StringBuilder nav = new StringBuilder();
        Section open = null;
        for (ConsolePage p : ConsolePages.ALL) {
            if (!p.access().admits(role) || (role == null && p.access() != ConsolePage.Access.PUBLIC)) {
                continue;
            }
            if (p.section() != open) {
                if (open != null) {
                    nav.append("</ul></div>");
                }
                open = p.section();
                nav.append("<div class=\"nav-group\"><span class=\"nav-heading\">").append(Html.escape(open.label()))
                        .append("</span><ul>");
            }
            boolean here = p.path().equals(current.path());
            nav.append("<li><a href=\"").append(p.path()).append('"').append(here ? " aria-current=\"page\"" : "")
                    .append('>').append(Html.escape(p.title())).append("</a></li>");
        }
        if (open != null) {
            nav.append("</ul></div>");
        }
        return nav.toString();
    }

    private static String who(User user, WebSession session) {
        if (user == null) {
            return "<a href=\"" + SignInPage.PATH + "\">Sign in</a>";
        }
        return "<span class=\"user-name\">" + Html.escape(user.displayName() == null || user.displayName().isBlank()
                ? user.name() : user.displayName()) + "</span> <span class=\"role-badge\">"
                + Html.escape(user.role().wireName()) + "</span>"
                + "<form method=\"post\" action=\"" + SignInPage.SIGN_OUT_PATH + "\" class=\"sign-out\">"
                + Html.hidden("csrf", session.csrfToken()) + "<button type=\"submit\">Sign out</button></form>";
    }

    /** JSON placed inside a script element: no "</script" or "<!--" can appear in it. */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

}
