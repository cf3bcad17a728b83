package io.aigne.hub.analytics;

import io.aigne.hub.usage.CallRecord;

import java.util.function.Function;

/**
 * What usage is broken down by. A rollup row stores {@code ''} for a dimension its grain does not keep, and for a
 * call without a value (no app, say), so that the key columns are never NULL and UPSERT conflicts always match.
 */
public enum Dimension {
    USER("user_id", "user_id", CallRecord::userId),
    APP("app_did", "app_did", CallRecord::appDid),
    PROVIDER("provider", "provider", CallRecord::provider),
    /** The model as the caller asked for it. */
    MODEL("model", "model_requested", CallRecord::modelRequested),
    TYPE("type", "type", r -> r.type() == null ? null : r.type().wireName());

    private final String column;
    private final String callColumn;
    private final Function<CallRecord, String> value;

    Dimension(String column, String callColumn, Function<CallRecord, String> value) {
        this.column = column;
        this.callColumn = callColumn;
        this.value = value;
    }

    /** The key column in {@code usage_rollups}. */
    public String column() {
        return column;
    }

    /** The column of {@code model_calls} it is taken from. */
    public String callColumn() {
        return callColumn;
    }

    public String of(CallRecord r) {
        String v = value.apply(r);
        return v == null ? "" : v;
    }
}
