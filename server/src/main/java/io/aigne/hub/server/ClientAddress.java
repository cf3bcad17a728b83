package io.aigne.hub.server;

import io.aigne.hub.config.ConfigException;
import io.aigne.hub.iprules.Cidr;
import io.aigne.hub.iprules.IpAddresses;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of the client behind a request. {@code X-Forwarded-For} is believed only when the direct peer is one
 * of the configured trusted proxies ({@code server.trustedProxies}); then the client is the right-most entry that
 * is not itself a trusted proxy. Entries left of that one were written by the client or by proxies nobody vouches
 * for, so they are never used: a client cannot pick its own address by sending the header. When every entry is a
 * trusted proxy the left-most one is the client; an entry that is not an IP address stops the walk at the last
 * trusted hop before it.
 */
public final class ClientAddress {
    public static final HeaderName X_FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");
    /** No trusted proxies: the client is always the direct peer. */
    public static final ClientAddress DIRECT = new ClientAddress(List.of());

    private static final Pattern BRACKETED = Pattern.compile("\\[([^]]+)](?::[0-9]{1,5})?");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("([0-9.]+):[0-9]{1,5}");
    private static final InetAddress UNSPECIFIED = IpAddresses.parse("0.0.0.0").orElseThrow();

    private final List<Cidr> trustedProxies;

    public ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** From the {@code server.trustedProxies} setting; a malformed entry stops the start, naming it. */
    public static ClientAddress fromConfig(List<String> trustedProxies) {
        List<Cidr> parsed = new ArrayList<>();
        for (int i = 0; i < trustedProxies.size(); i++) {
            try {
                parsed.add(Cidr.parse(trustedProxies.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("setting 'server.trustedProxies[" + i + "]': " + e.getMessage());
            }
        }
        return new ClientAddress(parsed);
    }

    public InetAddress of(ServerRequest req) {
        return resolve(peer(req), req.headers().all(X_FORWARDED_FOR, List::of));
    }

    /**
     * The client given the direct peer and the {@code X-Forwarded-For} header lines in the order received (each
     * line may hold several comma-separated entries).
     */
    public InetAddress resolve(InetAddress peer, List<String> forwardedFor) {
        if (!trusted(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> entries = new ArrayList<>();
        for (String line : forwardedFor) {
            for (String entry : line.split(",")) {
                entries.add(entry.trim());
            }
        }
        InetAddress current = peer;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = entry(entries.get(i));
            if (hop.isEmpty()) {
                return current;
            }
            if (!trusted(hop.get())) {
                return hop.get();
            }
            current = hop.get();
        }
        return current;
    }

    public boolean trusted(InetAddress address) {
        for (Cidr proxy : trustedProxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** One entry: a bare address, or as some proxies write it, {@code 1.2.3.4:port} or {@code [v6]:port}. */
    static Optional<InetAddress> entry(String text) {
        Matcher bracketed = BRACKETED.matcher(text);
        if (bracketed.matches()) {
            return IpAddresses.parse(bracketed.group(1));
        }
        Matcher withPort = IPV4_WITH_PORT.matcher(text);
        if (withPort.matches()) {
            return IpAddresses.parse(withPort.group(1));
        }
        return IpAddresses.parse(text);
    }

    private static InetAddress peer(ServerRequest req) {
        SocketAddress address = req.remotePeer().address();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return UNSPECIFIED;
    }
}
