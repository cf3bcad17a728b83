package io.aigne.hub.auth;

import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/** Which hub user an account at an external identity provider is ({@code user_identities}). */
public final class IdentityStore {
    private final Jdbi jdbi;

    public IdentityStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The id of the user linked to {@code subject} at {@code issuer}. */
    public Optional<String> userOf(String issuer, String subject) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT user_id FROM user_identities WHERE issuer = :issuer AND subject = :subject")
                .bind("issuer", issuer).bind("subject", subject).mapTo(String.class).findOne());
    }

    /** Links the account to the user; false when it was already linked (to anyone). */
    public boolean link(String issuer, String subject, String userId, String email) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO user_identities (issuer, subject, user_id, email, created_at)
                        VALUES (:issuer, :subject, :user, :email, :now)
                        ON CONFLICT (issuer, subject) DO NOTHING""")
                .bind("issuer", issuer).bind("subject", subject).bind("user", userId).bind("email", email)
                .bind("now", System.currentTimeMillis())
                .execute()) > 0;
    }
}
