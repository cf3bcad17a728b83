package io.aigne.hub.gateway.canonical;

/** Why the model stopped, in terms every protocol can express. */
public enum FinishReason {
    /** A natural end of turn. */
    STOP,
    /** One of the caller's stop sequences was produced. */
    STOP_SEQUENCE,
    /** The output token limit was reached. */
    LENGTH,
    /** The model called one or more tools and waits for their results. */
    TOOL_CALLS,
    /** A safety system or the model itself refused or cut the answer. */
    CONTENT_FILTER
}
