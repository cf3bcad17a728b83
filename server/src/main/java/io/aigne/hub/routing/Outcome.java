package io.aigne.hub.routing;

import java.time.Duration;

/** What an upstream attempt taught the router about its credential. */
public sealed interface Outcome {
    record Success() implements Outcome {
    }

    /** 401/403: the credential itself is refused. */
    record Rejected(int status, String message) implements Outcome {
    }

    /** 429: slow down; {@code retryAfter} as the provider said, if it did. */
    record RateLimited(String message, Duration retryAfter) implements Outcome {
    }

    /** 5xx, a reset, a timeout: the provider had trouble, the credential may be fine. */
    record Failed(String message) implements Outcome {
    }

    Outcome SUCCESS = new Success();
}
