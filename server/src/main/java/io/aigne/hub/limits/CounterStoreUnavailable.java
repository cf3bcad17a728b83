package io.aigne.hub.limits;

/** The counter store could not be reached or did not answer in time. */
public final class CounterStoreUnavailable extends RuntimeException {
    public CounterStoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
