package io.aigne.hub.playground;

/**
 * A saved playground chat. {@code messages} is the JSON array the page sends ({@code [{role, content, stats?}]}),
 * stored as text: the hub validates its shape on the way in and never looks inside it afterwards.
 */
public record Conversation(String id, String userId, String title, String model, String systemPrompt,
                           String messages, long createdAt, long updatedAt) {
}
