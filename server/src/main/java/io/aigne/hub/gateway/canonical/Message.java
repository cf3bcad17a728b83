package io.aigne.hub.gateway.canonical;

import java.util.List;

/** One turn of the conversation. */
public record Message(Role role, List<ContentPart> content) {
    public enum Role { USER, ASSISTANT }

    public Message {
        content = List.copyOf(content);
    }

    public static Message user(String text) {
        return new Message(Role.USER, List.of(new ContentPart.Text(text)));
    }

    public static Message assistant(String text) {
        return new Message(Role.ASSISTANT, List.of(new ContentPart.Text(text)));
    }
}
