package io.aigne.hub.server;

import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.VerifiedKey;
import io.aigne.hub.iprules.IpAddresses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Finds the caller behind a request: an access key sent as {@code Authorization: Bearer} or {@code x-api-key}, or,
 * when no key is sent, the browser session of the console and playground (see {@link SessionCallers}). A key
 * with its own IP rules is refused (403, naming the address) when used from an address they do not admit.
 */
public final class Authenticator {
    private final AccessKeys keys;
    private final ClientAddress clients;
    private volatile SessionCallers sessions = SessionCallers.NONE;

    public Authenticator(AccessKeys keys) {
        this(keys, ClientAddress.DIRECT);
    }

    public Authenticator(AccessKeys keys, ClientAddress clients) {
        this.keys = keys;
        this.clients = clients;
    }

    /** Lets signed-in browsers call the APIs; set once while the hub is wired. */
    public void acceptSessions(SessionCallers sessions) {
        this.sessions = sessions;
    }

    /**
     * The caller, or empty when no key or an unknown one was sent; a known key used from an address its rules
     * refuse is a 403, not "no caller".
     */
    public Optional<Principal> identify(ServerRequest req) {
        String token = presentedKey(req);
        return token == null ? sessions.caller(req) : keys.verify(token).map(key -> admitted(req, key));
    }

    public Principal require(ServerRequest req) {
        String token = presentedKey(req);
        if (token == null) {
            Optional<Principal> signedIn = sessions.caller(req);
            if (signedIn.isPresent()) {
                return signedIn.get();
            }
            throw ApiException.unauthorized("no access key: send it as 'Authorization: Bearer <key>' "
                    + "(create one with: ./hub admin create-key --user <name>)");
        }
        return keys.verify(token).map(key -> admitted(req, key)).orElseThrow(() -> ApiException.unauthorized(
                "the access key is unknown or revoked, or its user is disabled"));
    }

    public Principal requireAdmin(ServerRequest req) {
        Principal p = require(req);
        if (!p.role().canAdminister()) {
            throw ApiException.forbidden("this needs the owner or admin role; your role is " + p.role().wireName());
        }
        return p;
    }

    /** The address the request came from, as the trusted-proxy setting says to read it. */
    public InetAddress clientAddress(ServerRequest req) {
        return clients.of(req);
    }

    private Principal admitted(ServerRequest req, VerifiedKey key) {
        if (key.ipRules().isEmpty()) {
            return key.principal();
        }
        InetAddress client = clients.of(req);
        if (!key.ipRules().admits(client)) {
            throw new ApiException(403, "permission_error", "ip_not_allowed", null, "this access key may not be used "
                    + "from " + IpAddresses.format(client) + " (the key's IP rules do not admit it)");
        }
        return key.principal();
    }

    private static String presentedKey(ServerRequest req) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        if (auth != null) {
            if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = auth.substring(7).trim();
                return token.isEmpty() ? null : token;
            }
            return null;
        }
        String apiKey = req.headers().first(Exchange.API_KEY).orElse(null);
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }
}
