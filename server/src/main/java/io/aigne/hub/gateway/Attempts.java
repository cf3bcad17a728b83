package io.aigne.hub.gateway;

import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.routing.Outcome;
import io.aigne.hub.routing.Route;
import io.aigne.hub.routing.Router;
import io.aigne.hub.server.ApiException;

import java.time.Duration;
import java.util.List;

/**
 * The attempt loop every front door shares: try the routes of a plan in order until one answers, teach the
 * router what each failure says about its credential, and decide what the caller hears. A failure that is the
 * provider's trouble (refused credential, rate limit, 5xx, unreachable, broken before the first byte) moves on
 * to the next route; a 4xx about the request itself is the caller's answer at once, since every route would say
 * the same.
 */
public final class Attempts {

    /** One try on one route: answers the caller and returns, or throws what went wrong before it could. */
    @FunctionalInterface
    public interface Attempt {
        void run(Route route) throws ProviderFailure;
    }

    private final Router router;
    private final CallScope scope;

    public Attempts(Router router, CallScope scope) {
        this.router = router;
        this.scope = scope;
    }

    public void run(List<Route> plan, CallTrace trace, Attempt attempt) {
        ApiException last = null;
        for (Route route : scope.admit(trace, plan)) {
            trace.attempt(route);
            try {
                attempt.run(route);
                return;
            } catch (ProviderFailure failure) {
                last = classify(route, failure);
            }
        }
        throw last != null ? last : new ApiException(503, "server_error", "no_available_credential", null,
                "no route could serve this call");
    }

    /** Reports the failure to the router and returns the error the caller hears if no later route answers. */
    private ApiException classify(Route route, ProviderFailure failure) {
        String provider = "provider '" + route.provider().name() + "'";
        switch (failure.kind()) {
            case UNREACHABLE -> {
                router.report(route, new Outcome.Failed(failure.getMessage()));
                int status = failure.timeout() ? 504 : 502;
                return new ApiException(status, "server_error", status == 504 ? "upstream_timeout"
                        : "upstream_unreachable", null, provider + ": " + failure.getMessage());
            }
            case BROKEN -> {
                router.report(route, new Outcome.Failed(failure.getMessage()));
                return new ApiException(failure.timeout() ? 504 : 502, "server_error", "upstream_error", null,
                        provider + " " + failure.getMessage());
            }
            default -> {
                return classifyStatus(route, provider, failure);
            }
        }
    }

    private ApiException classifyStatus(Route route, String provider, ProviderFailure failure) {
        UpstreamError error = failure.error();
        int status = error.status();
        if (status == 401 || status == 403) {
            router.report(route, new Outcome.Rejected(status, error.message()));
            return new ApiException(502, "server_error", "upstream_auth_failed", null, provider
                    + " refused the hub's credential (" + status + "): " + error.message());
        }
        if (status == 429) {
            String retryAfter = failure.retryAfter();
            router.report(route, new Outcome.RateLimited(error.message(), seconds(retryAfter)));
            return new ApiException(429, "rate_limit_error", "rate_limit_exceeded", null, provider
                    + " is rate limiting the hub: " + error.message(), retryAfter == null ? "1" : retryAfter);
        }
        // 424 is Bedrock's ModelErrorException: the model behind the provider failed, not the request.
        if (status >= 500 || status == 424) {
            router.report(route, new Outcome.Failed(status + ": " + error.message()));
            int mapped = status == 503 || status == 529 ? 503 : status == 504 ? 504 : 502;
            return new ApiException(mapped, "server_error",
                    mapped == 503 ? "upstream_overloaded" : "upstream_error", null,
                    provider + " failed with " + status + ": " + error.message());
        }
        // The provider judged the request itself: the caller gets that verdict, not a retry elsewhere.
        throw new ApiException(status, error.type() == null ? "invalid_request_error" : error.type(), error.code(),
                error.param(), error.message());
    }

    private static Duration seconds(String retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.min(3600, Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
