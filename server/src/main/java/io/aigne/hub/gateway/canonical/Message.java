package io.aigne.hub.gateway.canonical;

import java.util.ArrayList;
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

    /**
     * Adds {@code parts} as a user turn, into the last turn when that is the user's: tool results and the next
     * question arrive as separate messages, and providers want user and assistant turns to alternate.
     */
    public static void appendUserTurn(List<Message> turns, List<ContentPart> parts) {
        if (!turns.isEmpty() && turns.getLast().role() == Role.USER) {
            List<ContentPart> merged = new ArrayList<>(turns.getLast().content());
            merged.addAll(parts);
            turns.set(turns.size() - 1, new Message(Role.USER, merged));
        } else {
            turns.add(new Message(Role.USER, parts));
        }
    }
}
