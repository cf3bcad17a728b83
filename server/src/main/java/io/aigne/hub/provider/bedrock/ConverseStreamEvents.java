package io.aigne.hub.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.provider.ChatEventSource;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * ConverseStream's event-stream messages as canonical chat events.
 *
 * <p>{@code messageStart} is {@link ChatEvent.Started} (id: the call's {@code x-amzn-RequestId});
 * {@code contentBlockStart} with a {@code toolUse} opens a tool call, numbered from 0 in the order the calls
 * start, whose {@code contentBlockDelta} input fragments follow; text and reasoning deltas pass through;
 * {@code messageStop} is {@link ChatEvent.Finished} and {@code metadata} a {@link ChatEvent.UsageReport}.
 * Exception messages ({@code :message-type} {@code exception}, e.g. a {@code throttlingException} in the middle of
 * an answer) and protocol errors ({@code error}) become {@link ChatEvent.Failed} with the status AWS declares for
 * that error, and end the stream. Redacted reasoning has no stream event in the canonical model and is dropped.
 */
final class ConverseStreamEvents implements ChatEventSource {
    private final EventStreamDecoder decoder;
    private final String id;
    private final String model;
    private final String jsonTool;
    private final CredentialSecret secret;
    private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>();
    /** Converse content block index to the canonical tool-call index. */
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private final Set<Integer> jsonBlocks = new HashSet<>();
    private boolean started;
    private boolean ended;
    private boolean done;

    ConverseStreamEvents(EventStreamDecoder decoder, String id, String model, String jsonTool,
                         CredentialSecret secret) {
        this.decoder = decoder;
        this.id = id;
        this.model = model;
        this.jsonTool = jsonTool;
        this.secret = secret;
    }

    @Override
    public ChatEvent next() throws IOException {
        while (pending.isEmpty()) {
            if (done) {
                return null;
            }
            EventStreamDecoder.Message message = decoder.next();
            if (message == null) {
                done = true;
                if (!ended) {
                    throw new IOException("Bedrock's stream ended before messageStop");
                }
                return null;
            }
            translate(message);
        }
        return pending.poll();
    }

    @Override
    public boolean hasBuffered() {
        return !pending.isEmpty() || decoder.hasBuffered();
    }

    private void translate(EventStreamDecoder.Message message) throws IOException {
        String messageType = message.header(":message-type");
        if ("exception".equals(messageType)) {
            String type = message.header(":exception-type");
            fail(type, messageOf(message.payload(), type));
            return;
        }
        if ("error".equals(messageType)) {
            String code = message.header(":error-code");
            String text = message.header(":error-message");
            fail(code, text == null || text.isBlank() ? code : text);
            return;
        }
        if (!"event".equals(messageType)) {
            return;
        }
        String eventType = message.header(":event-type");
        if (eventType == null) {
            return;
        }
        JsonNode payload = parse(message.payload(), eventType);
        switch (eventType) {
            case "messageStart" -> ensureStarted();
            case "contentBlockStart" -> blockStart(payload);
            case "contentBlockDelta" -> blockDelta(payload);
            case "messageStop" -> messageStop(payload);
            case "metadata" -> {
                if (payload.path("usage").isObject()) {
                    ensureStarted();
                    pending.add(new ChatEvent.UsageReport(ConverseResults.usage(payload.path("usage"))));
                }
            }
            default -> {
                // contentBlockStop, and event types newer than this code: nothing to relay
            }
        }
    }

    private void ensureStarted() {
        if (!started) {
            started = true;
            pending.add(new ChatEvent.Started(id, model));
        }
    }

    private void blockStart(JsonNode payload) {
        JsonNode toolUse = payload.path("start").path("toolUse");
        if (!toolUse.isObject()) {
            return;
        }
        ensureStarted();
        int block = payload.path("contentBlockIndex").asInt();
        String name = toolUse.path("name").asText();
        if (name.equals(jsonTool)) {
            jsonBlocks.add(block);
            return;
        }
        int index = toolIndexByBlock.size();
        toolIndexByBlock.put(block, index);
        pending.add(new ChatEvent.ToolCallStarted(index, toolUse.path("toolUseId").asText(), name));
    }

    private void blockDelta(JsonNode payload) {
        ensureStarted();
        int block = payload.path("contentBlockIndex").asInt();
        JsonNode delta = payload.path("delta");
        if (delta.path("text").isTextual()) {
            pending.add(new ChatEvent.TextDelta(delta.path("text").asText()));
        } else if (delta.path("toolUse").isObject()) {
            String fragment = delta.path("toolUse").path("input").asText("");
            if (jsonBlocks.contains(block)) {
                pending.add(new ChatEvent.TextDelta(fragment));
            } else if (toolIndexByBlock.containsKey(block)) {
                pending.add(new ChatEvent.ToolCallArguments(toolIndexByBlock.get(block), fragment));
            }
        } else if (delta.path("reasoningContent").isObject()) {
            JsonNode reasoning = delta.path("reasoningContent");
            if (reasoning.path("text").isTextual()) {
                pending.add(new ChatEvent.ReasoningDelta(reasoning.path("text").asText()));
            } else if (reasoning.path("signature").isTextual()) {
                pending.add(new ChatEvent.ReasoningSignature(reasoning.path("signature").asText()));
            } else if (reasoning.path("redactedContent").isTextual()) {
                pending.add(new ChatEvent.RedactedReasoning(reasoning.path("redactedContent").asText()));
            }
        }
    }

    private void messageStop(JsonNode payload) {
        ensureStarted();
        ended = true;
        FinishReason reason = ConverseResults.finishReason(payload.path("stopReason").asText(null));
        if (reason == FinishReason.TOOL_CALLS && !jsonBlocks.isEmpty() && toolIndexByBlock.isEmpty()) {
            reason = FinishReason.STOP;
        }
        pending.add(new ChatEvent.Finished(reason,
                ConverseResults.stopSequence(payload.get("additionalModelResponseFields"))));
    }

    private void fail(String type, String text) {
        ensureStarted();
        ended = true;
        done = true;
        String message = text == null || text.isBlank() ? "Bedrock reported an error in the stream" : text;
        pending.add(new ChatEvent.Failed(BedrockErrorReader.statusOf(type), type,
                BedrockErrorReader.redact(message, secret)));
    }

    private static String messageOf(byte[] payload, String type) {
        try {
            JsonNode node = Json.MAPPER.readTree(payload);
            if (node != null && node.path("message").isTextual()) {
                return node.path("message").asText();
            }
            if (node != null && node.path("Message").isTextual()) {
                return node.path("Message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // an exception payload that is not JSON: its type is all there is to say
        }
        return type;
    }

    private static JsonNode parse(byte[] payload, String eventType) throws IOException {
        try {
            JsonNode node = Json.MAPPER.readTree(payload);
            return node == null ? Json.object() : node;
        } catch (IOException e) {
            throw new IOException("Bedrock's " + eventType + " event is not valid JSON", e);
        }
    }
}
