package io.aigne.hub.gateway.canonical;

import io.aigne.hub.usage.Usage;

import java.util.List;

/**
 * A whole chat answer: content parts in the order the model produced them (text, reasoning, tool calls),
 * why it stopped ({@code stopSequence} is the sequence that matched, when one did), and usage.
 */
public record ChatResponse(String id, String model, List<ContentPart> content, FinishReason finishReason,
                           String stopSequence, Usage usage) {
    public ChatResponse {
        content = List.copyOf(content);
        usage = usage == null ? Usage.NONE : usage;
    }

    /** The text parts joined. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }

    public List<ContentPart.ToolCall> toolCalls() {
        return content.stream().filter(ContentPart.ToolCall.class::isInstance).map(ContentPart.ToolCall.class::cast)
                .toList();
    }
}
