package io.aigne.hub.web.connect;

/**
 * One {@code aigne hub connect} in progress: created by the CLI, then approved (or declined) once by a signed-in
 * user in the browser. Once approved it carries the new key's id, the key sealed for the CLI, and the challenge
 * the CLI unseals it with.
 */
record ConnectSession(String id, long createdAt, long expiresAt, State state, String accessKeyId,
                      String sealedSecret, String challenge) {
    enum State { PENDING, APPROVED, DECLINED }

    static ConnectSession pending(String id, long now, long expiresAt) {
        return new ConnectSession(id, now, expiresAt, State.PENDING, null, null, null);
    }

    ConnectSession approved(String accessKeyId, String sealedSecret, String challenge) {
        return new ConnectSession(id, createdAt, expiresAt, State.APPROVED, accessKeyId, sealedSecret, challenge);
    }

    ConnectSession declined() {
        return new ConnectSession(id, createdAt, expiresAt, State.DECLINED, null, null, null);
    }

    boolean expired(long now) {
        return now >= expiresAt;
    }
}
