package io.aigne.hub.web.console;

import io.aigne.hub.auth.Role;

import java.util.List;

/**
 * One page of the console or playground: where it lives, what it is called in the navigation, who may open it and
 * which script (under {@code /assets/app/}) draws it from the hub's JSON APIs.
 *
 * @param access {@link Access#PUBLIC} pages need no sign-in; {@link Access#ADMIN} pages need the owner or admin role
 */
public record ConsolePage(String path, String title, Section section, Access access, String script,
                          List<WebLibrary> libraries) {

    public enum Section {
        PLAYGROUND("Playground"), ACCOUNT("My account"), CONSOLE("Console"), PUBLIC("Hub");

        private final String label;

        Section(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public enum Access {
        PUBLIC, SIGNED_IN, ADMIN;

        boolean admits(Role role) {
            return switch (this) {
                case PUBLIC -> true;
                case SIGNED_IN -> role != null;
                case ADMIN -> role != null && role.canAdminister();
            };
        }
    }

    /** An id for the page, used by scripts and tests: the path without slashes ("console-usage"). */
    public String id() {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? "home" : p.replace('/', '-');
    }
}
