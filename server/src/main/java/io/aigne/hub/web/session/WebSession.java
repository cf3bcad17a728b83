package io.aigne.hub.web.session;

/**
 * A signed-in browser: who signed in, until when, and the token every form it posts must carry (so that another
 * site cannot make the browser post on the user's behalf).
 */
public record WebSession(String id, String userId, String userName, String csrfToken, long expiresAt) {
    @Override
    public String toString() {
        return "WebSession[user=" + userName + "]";
    }
}
