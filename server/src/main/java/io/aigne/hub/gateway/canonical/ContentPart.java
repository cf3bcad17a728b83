package io.aigne.hub.gateway.canonical;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** A piece of a message or of an answer. */
public sealed interface ContentPart {

    /**
     * Text. {@code cacheControl} is Anthropic's prompt-caching marker ({@code {"type":"ephemeral"}}), kept as given
     * so that it reaches Anthropic unchanged; other providers ignore it.
     */
    record Text(String text, JsonNode cacheControl) implements ContentPart {
        public Text(String text) {
            this(text, null);
        }
    }

    /**
     * An image, either inline ({@code data} is base64 without a {@code data:} prefix, {@code mediaType} set) or by
     * {@code url} (http(s)). {@code detail} is OpenAI's low/high/auto hint, null when not given.
     */
    record Image(String mediaType, String data, String url, String detail, JsonNode cacheControl) implements ContentPart {
        public static Image inline(String mediaType, String base64) {
            return new Image(mediaType, base64, null, null, null);
        }

        public static Image link(String url) {
            return new Image(null, null, url, null, null);
        }

        public boolean isInline() {
            return data != null;
        }
    }

    /** A document (PDF or plain text), inline as base64 or by URL. */
    record Document(String mediaType, String data, String url, String title, JsonNode cacheControl)
            implements ContentPart {
    }

    /** A call the model made: {@code arguments} is the JSON object as text, exactly as the model produced it. */
    record ToolCall(String id, String name, String arguments) implements ContentPart {
    }

    /**
     * The result of a tool call, sent back by the caller in a user turn. {@code name} is the function's name when
     * the caller's protocol carries it (use {@link ChatRequest#toolNameFor} otherwise).
     */
    record ToolResult(String callId, String name, List<ContentPart> content, boolean isError) implements ContentPart {
        public ToolResult {
            content = List.copyOf(content);
        }

        /** The result's text parts joined, for providers whose tool results are a single string. */
        public String text() {
            StringBuilder text = new StringBuilder();
            for (ContentPart part : content) {
                if (part instanceof Text t) {
                    text.append(t.text());
                }
            }
            return text.toString();
        }
    }

    /** The model's visible reasoning; {@code signature} is Anthropic's integrity token, replayed on the next turn. */
    record Reasoning(String text, String signature) implements ContentPart {
    }

    /** Reasoning the provider returned encrypted (Anthropic's redacted_thinking); only that provider can read it. */
    record RedactedReasoning(String data) implements ContentPart {
    }
}
