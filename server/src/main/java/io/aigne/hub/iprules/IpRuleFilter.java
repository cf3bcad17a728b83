package io.aigne.hub.iprules;

import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.ClientAddress;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerResponse;

import java.net.InetAddress;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Applies the hub-wide rules to every request before it is routed: model calls, the admin and user APIs, sign-in
 * and connect pages, and media links alike. Only {@code /healthz} is exempt, so that a load balancer's liveness
 * probe keeps working under an allow list that does not name it (it reveals nothing). A refusal is a 403 in the
 * error shape of the door the path belongs to, naming the client's address but not the rules.
 */
public final class IpRuleFilter {
    private final GlobalIpRules rules;
    private final ClientAddress clients;
    private final Function<String, BiConsumer<ServerResponse, ApiException>> errorShapes;

    /**
     * @param errorShapes for a request path, how to write an error in that door's shape
     */
    public IpRuleFilter(GlobalIpRules rules, ClientAddress clients,
                        Function<String, BiConsumer<ServerResponse, ApiException>> errorShapes) {
        this.rules = rules;
        this.clients = clients;
        this.errorShapes = errorShapes;
    }

    public void register(HttpRouting.Builder routing) {
        routing.addFilter(this::filter);
    }

    private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (rules.current().isEmpty() || "/healthz".equals(req.path().path())) {
            chain.proceed();
            return;
        }
        InetAddress client = clients.of(req);
        if (rules.admits(client)) {
            chain.proceed();
            return;
        }
        errorShapes.apply(req.path().path()).accept(res, refused(client));
    }

    /** The 403 for an address the hub-wide rules refuse. */
    public static ApiException refused(InetAddress client) {
        return new ApiException(403, "permission_error", "ip_not_allowed", null,
                "requests from " + IpAddresses.format(client) + " are not allowed by this hub's IP rules");
    }
}
