package io.aigne.hub.gateway.canonical;

/**
 * How the model may use the tools: {@code AUTO} (it decides), {@code NONE} (no calls), {@code ANY} (it must call
 * one, OpenAI's "required"), {@code TOOL} (it must call {@code name}). {@code parallel} false forbids more than one
 * call per turn; null leaves the provider's default.
 */
public record ToolChoice(Mode mode, String name, Boolean parallel) {
    public enum Mode { AUTO, NONE, ANY, TOOL }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null, null);
}
