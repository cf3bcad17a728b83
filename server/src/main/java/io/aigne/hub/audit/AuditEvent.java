package io.aigne.hub.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.aigne.hub.server.Json;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One administrative change: who ({@link Actor}, with the client address), when (epoch ms), what
 * ({@code action}, a dotted verb such as {@code provider.update}), on what ({@code targetType}, {@code targetId}),
 * and the target's state before and after (JSON; null for a creation's before or a deletion's after). Secrets are
 * masked again by {@link AuditLog#record} whatever the caller passes, but callers should not pass them.
 */
public record AuditEvent(long at, Actor actor, String action, String targetType, String targetId, JsonNode before,
                         JsonNode after) {
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final Pattern TARGET_TYPE = Pattern.compile("[a-z][a-z0-9_]*");

    public AuditEvent {
        Objects.requireNonNull(actor, "actor");
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("an audit action is a dotted lower-case verb such as provider.update, "
                    + "not " + action);
        }
        if (targetType == null || !TARGET_TYPE.matcher(targetType).matches()) {
            throw new IllegalArgumentException("an audit target type is a lower-case word such as provider, not "
                    + targetType);
        }
        before = nullIfEmpty(before);
        after = nullIfEmpty(after);
    }

    /**
     * An event happening now. {@code before} and {@code after} may be a {@link JsonNode}, a record, a map, or null;
     * anything Jackson can turn into JSON.
     */
    public static AuditEvent of(Actor actor, String action, String targetType, String targetId, Object before,
                                Object after) {
        return new AuditEvent(System.currentTimeMillis(), actor, action, targetType, targetId, toJson(before),
                toJson(after));
    }

    /** Whether before and after differ: an update that changed nothing need not be recorded. */
    public boolean changesSomething() {
        return !Objects.equals(before, after);
    }

    private static JsonNode toJson(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof JsonNode node ? node : Json.MAPPER.valueToTree(value);
    }

    private static JsonNode nullIfEmpty(JsonNode node) {
        return node == null || node instanceof NullNode || node.isMissingNode() ? null : node;
    }
}
