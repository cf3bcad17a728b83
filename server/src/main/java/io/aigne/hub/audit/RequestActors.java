package io.aigne.hub.audit;

import io.aigne.hub.auth.Principal;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Function;

/**
 * The {@link Actor} of an HTTP request: the authenticated user and the client's address. Where the address comes
 * from is the one function given here, so that honouring trusted proxies ({@code X-Forwarded-For}) is a change of
 * one line where the hub is wired.
 */
public final class RequestActors {
    private final Function<ServerRequest, String> clientAddress;

    public RequestActors(Function<ServerRequest, String> clientAddress) {
        this.clientAddress = clientAddress;
    }

    /** The TCP peer's address: right when clients connect directly, the proxy's address behind one. */
    public static RequestActors fromRemotePeer() {
        return new RequestActors(RequestActors::remotePeer);
    }

    public Actor of(ServerRequest req, Principal principal) {
        return Actor.user(principal, clientAddress(req));
    }

    public String clientAddress(ServerRequest req) {
        return clientAddress.apply(req);
    }

    public static String remotePeer(ServerRequest req) {
        SocketAddress address = req.remotePeer().address();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return req.remotePeer().host();
    }
}
