package io.aigne.hub.web.console;

import io.aigne.hub.web.console.ConsolePage.Access;
import io.aigne.hub.web.console.ConsolePage.Section;

import java.util.List;

import static io.aigne.hub.web.console.WebLibrary.CHART;
import static io.aigne.hub.web.console.WebLibrary.DOMPURIFY;
import static io.aigne.hub.web.console.WebLibrary.HIGHLIGHT;
import static io.aigne.hub.web.console.WebLibrary.MARKED;

/** Every page of the console and playground, in navigation order. */
public final class ConsolePages {
    public static final List<ConsolePage> ALL = List.of(
            new ConsolePage("/playground", "Chat", Section.PLAYGROUND, Access.SIGNED_IN, "playground-chat.js",
                    List.of(MARKED, DOMPURIFY, HIGHLIGHT)),
            new ConsolePage("/playground/images", "Images", Section.PLAYGROUND, Access.SIGNED_IN,
                    "playground-images.js", List.of()),
            new ConsolePage("/playground/embeddings", "Embeddings", Section.PLAYGROUND, Access.SIGNED_IN,
                    "playground-embeddings.js", List.of()),
            new ConsolePage("/account/credits", "My credits", Section.ACCOUNT, Access.SIGNED_IN,
                    "account-credits.js", List.of(CHART)),
            new ConsolePage("/account/keys", "My access keys", Section.ACCOUNT, Access.SIGNED_IN,
                    "account-keys.js", List.of()),
            new ConsolePage("/console", "Overview", Section.CONSOLE, Access.ADMIN, "console-overview.js",
                    List.of(CHART)),
            new ConsolePage("/console/providers", "Providers", Section.CONSOLE, Access.ADMIN,
                    "console-providers.js", List.of()),
            new ConsolePage("/console/rates", "Model rates", Section.CONSOLE, Access.ADMIN, "console-rates.js",
                    List.of()),
            new ConsolePage("/console/users", "Users", Section.CONSOLE, Access.ADMIN, "console-users.js",
                    List.of()),
            new ConsolePage("/console/usage", "Usage", Section.CONSOLE, Access.ADMIN, "console-usage.js",
                    List.of(CHART)),
            new ConsolePage("/console/projects", "Projects", Section.CONSOLE, Access.ADMIN, "console-projects.js",
                    List.of(CHART)),
            new ConsolePage("/console/audit", "Audit log", Section.CONSOLE, Access.ADMIN, "console-audit.js",
                    List.of()),
            new ConsolePage("/console/settings", "Settings", Section.CONSOLE, Access.ADMIN, "console-settings.js",
                    List.of()),
            new ConsolePage("/pricing", "Pricing", Section.PUBLIC, Access.PUBLIC, "pricing.js", List.of()));

    private ConsolePages() {
    }
}
