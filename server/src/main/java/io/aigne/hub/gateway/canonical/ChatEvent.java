package io.aigne.hub.gateway.canonical;

import io.aigne.hub.usage.Usage;

/**
 * One step of a streamed chat answer. A provider's stream decodes into this sequence:
 * <ol>
 *   <li>{@link Started} once, first (id and model as far as the provider told them);</li>
 *   <li>any mix of {@link TextDelta}, {@link ReasoningDelta} / {@link ReasoningSignature},
 *       {@link RedactedReasoning} (one whole encrypted block), and tool calls: a
 *       {@link ToolCallStarted} with the call's 0-based {@code index} among this answer's calls, then its
 *       {@link ToolCallArguments} fragments (which concatenate to the arguments' JSON text);</li>
 *   <li>{@link UsageReport} whenever the provider reports usage, each one cumulative (the last one counts);</li>
 *   <li>{@link Finished} once; a {@code UsageReport} may still follow it (OpenAI sends usage last);</li>
 *   <li>or, instead of finishing, {@link Failed} when the provider reported an error inside the stream.</li>
 * </ol>
 */
public sealed interface ChatEvent {
    record Started(String id, String model) implements ChatEvent {
    }

    record TextDelta(String text) implements ChatEvent {
    }

    record ReasoningDelta(String text) implements ChatEvent {
    }

    record ReasoningSignature(String signature) implements ChatEvent {
    }

    /** Reasoning the provider sent encrypted (Anthropic's redacted_thinking); replayed as is on the next turn. */
    record RedactedReasoning(String data) implements ChatEvent {
    }

    record ToolCallStarted(int index, String id, String name) implements ChatEvent {
    }

    record ToolCallArguments(int index, String fragment) implements ChatEvent {
    }

    record UsageReport(Usage usage) implements ChatEvent {
    }

    record Finished(FinishReason reason, String stopSequence) implements ChatEvent {
    }

    /** {@code status} is the HTTP status the error would have had (500, 503 for overloaded, 429...). */
    record Failed(int status, String type, String message) implements ChatEvent {
    }
}
