package io.aigne.hub.auth;

import io.aigne.hub.audit.Actor;
import io.aigne.hub.server.ApiException;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The hub user behind an account at an external identity provider: the one linked to (issuer, subject), or, at the
 * account's first sign-in, a new user with {@code defaultRole} (audited as {@code user.create}, then given whatever
 * a new user receives, e.g. the new-user credit grant). A new user's name comes from the provider's claims, made to
 * fit the hub's name rules, with a numeric suffix when a user of that name already exists.
 */
public final class ExternalUsers {
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9._@-]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final int MAX_NAME = 100;

    private final UserStore users;
    private final UserAdmin admin;
    private final IdentityStore identities;
    private final Consumer<String> welcome;

    /** @param welcome run once for each new user's id, after it is created (e.g. opening its credit account) */
    public ExternalUsers(UserStore users, UserAdmin admin, IdentityStore identities, Consumer<String> welcome) {
        this.users = users;
        this.admin = admin;
        this.identities = identities;
        this.welcome = welcome;
    }

    /** What the provider vouched for; {@code preferredName} may be anything, it is cleaned up here. */
    public record Identity(String issuer, String subject, String preferredName, String displayName, String email) {
    }

    /**
     * The user to sign in. Throws 403 when the linked user is disabled.
     *
     * @param actor who the audit log names as creating a new user
     */
    public User signIn(Identity identity, Role defaultRole, Actor actor) {
        Optional<User> linked = identities.userOf(identity.issuer(), identity.subject()).flatMap(users::byId);
        User user = linked.orElseGet(() -> create(identity, defaultRole, actor));
        if (user.disabled()) {
            throw ApiException.forbidden("this account is disabled; ask an administrator to enable it");
        }
        return user;
    }

    private User create(Identity identity, Role role, Actor actor) {
        String base = baseName(identity);
        String email = identity.email() != null && identity.email().length() <= 254
                && EMAIL.matcher(identity.email()).matches() ? identity.email() : null;
        String displayName = identity.displayName() == null ? null
                : identity.displayName().strip().substring(0, Math.min(100, identity.displayName().strip().length()));
        for (int attempt = 1; ; attempt++) {
            String name = attempt == 1 ? base : withSuffix(base, "-" + attempt);
            if (users.byName(name).isPresent()) {
                continue;
            }
            try {
                User created = admin.createLinked(new UserAdmin.NewUser(name, displayName, email, role, null), actor,
                        u -> {
                            if (!identities.link(identity.issuer(), identity.subject(), u.id(), email)) {
                                // another sign-in of the same account won the race: use its user, undo this one
                                throw new AlreadyLinked();
                            }
                        });
                welcome.accept(created.id());
                return created;
            } catch (AlreadyLinked e) {
                return identities.userOf(identity.issuer(), identity.subject()).flatMap(users::byId)
                        .orElseThrow(() -> new IllegalStateException("identity link vanished"));
            } catch (ApiException e) {
                if (e.status() != 409 || attempt > 50) {
                    throw e;
                }
                // a user of that name appeared meanwhile: try the next suffix
            }
        }
    }

    /** The claim chosen by the configuration, else the email, else the subject; cleaned to the hub's name rules. */
    static String baseName(Identity identity) {
        for (String candidate : new String[]{identity.preferredName(), identity.email(), identity.subject()}) {
            if (candidate == null) {
                continue;
            }
            String cleaned = NOT_ALLOWED.matcher(candidate.strip()).replaceAll("-");
            cleaned = cleaned.replaceFirst("^[^A-Za-z0-9]+", "");
            if (!cleaned.isEmpty()) {
                return cleaned.length() > MAX_NAME - 4 ? cleaned.substring(0, MAX_NAME - 4) : cleaned;
            }
        }
        return "user";
    }

    private static String withSuffix(String base, String suffix) {
        return base + suffix.toLowerCase(Locale.ROOT);
    }

    private static final class AlreadyLinked extends RuntimeException {
        AlreadyLinked() {
            super(null, null, false, false);
        }
    }
}
