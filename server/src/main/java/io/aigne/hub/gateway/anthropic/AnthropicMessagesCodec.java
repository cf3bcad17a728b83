package io.aigne.hub.gateway.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.provider.anthropic.ToolInput;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The Anthropic Messages API front door's translation: a {@code POST /v1/messages} body into a canonical request,
 * and a canonical answer into an Anthropic {@code message} object.
 *
 * <p>Answers keep what the caller can act on: the provider's message id when it is an Anthropic one (a
 * {@code msg_} id), the provider's model id when it gave one, and tool arguments as {@code input} objects.
 * Arguments another provider's model produced that are not a JSON object are kept under
 * {@link ToolInput#RAW_ARGUMENTS} rather than dropped, so the caller sees what the model said.
 */
public final class AnthropicMessagesCodec {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private AnthropicMessagesCodec() {
    }

    /** The request's model id; a 400 naming {@code model} when it is missing or not a string. */
    public static String model(ObjectNode body) {
        return MessagesRequestReader.model(body);
    }

    /** Whether the caller asked for a stream ({@code "stream": true}). */
    public static boolean stream(ObjectNode body) {
        return body.path("stream").asBoolean(false);
    }

    /** The canonical request; a 400 naming the field's path for anything malformed or untranslatable. */
    public static ChatRequest toCanonical(ObjectNode body) {
        return MessagesRequestReader.read(body);
    }

    /** The answer as Anthropic's {@code message} object; {@code model} stands in when the provider named none. */
    public static ObjectNode toJson(ChatResponse response, String model) {
        ObjectNode message = Json.object();
        message.put("id", messageId(response.id()));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", modelOf(response.model(), model));
        ArrayNode content = message.putArray("content");
        for (ContentPart part : response.content()) {
            switch (part) {
                case ContentPart.Text text -> {
                    if (!text.text().isEmpty()) {
                        content.addObject().put("type", "text").put("text", text.text()).putNull("citations");
                    }
                }
                case ContentPart.Reasoning reasoning -> content.addObject().put("type", "thinking")
                        .put("thinking", reasoning.text() == null ? "" : reasoning.text())
                        .put("signature", reasoning.signature() == null ? "" : reasoning.signature());
                case ContentPart.RedactedReasoning redacted -> content.addObject().put("type", "redacted_thinking")
                        .put("data", redacted.data());
                case ContentPart.ToolCall call -> {
                    ObjectNode block = toolUse(call.id(), call.name());
                    block.set("input", ToolInput.toInput(call.arguments()));
                    content.add(block);
                }
                default -> {
                    // images, documents and tool results are never part of an answer
                }
            }
        }
        message.put("stop_reason", stopReason(response.finishReason()));
        if (response.stopSequence() == null) {
            message.putNull("stop_sequence");
        } else {
            message.put("stop_sequence", response.stopSequence());
        }
        message.set("usage", usage(response.usage(), true));
        return message;
    }

    /** A {@code tool_use} block without its input; {@code caller} is "direct", as Anthropic marks ordinary calls. */
    static ObjectNode toolUse(String id, String name) {
        ObjectNode block = Json.object().put("type", "tool_use").put("id", id == null ? "toolu_" + random(24) : id)
                .put("name", name);
        block.putObject("caller").put("type", "direct");
        return block;
    }

    static String messageId(String providerId) {
        return providerId != null && providerId.startsWith("msg_") ? providerId : "msg_" + random(24);
    }

    static String modelOf(String providerModel, String fallback) {
        return providerModel != null && !providerModel.isBlank() ? providerModel : fallback;
    }

    static String stopReason(FinishReason reason) {
        if (reason == null) {
            return "end_turn";
        }
        return switch (reason) {
            case STOP -> "end_turn";
            case STOP_SEQUENCE -> "stop_sequence";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /**
     * Anthropic's usage, whose {@code input_tokens} leaves out the cached parts of the prompt (canonical input
     * counts them all). {@code withDetails} adds the thinking-token count when there is one.
     */
    static ObjectNode usage(Usage usage, boolean withDetails) {
        ObjectNode node = Json.object();
        node.put("input_tokens", Math.max(0, usage.inputTokens() - usage.cachedTokens() - usage.cacheWriteTokens()));
        node.put("output_tokens", usage.outputTokens());
        node.put("cache_creation_input_tokens", usage.cacheWriteTokens());
        node.put("cache_read_input_tokens", usage.cachedTokens());
        if (withDetails && usage.reasoningTokens() > 0) {
            node.putObject("output_tokens_details").put("thinking_tokens", usage.reasoningTokens());
        }
        return node;
    }

    /** Ids name messages and calls, they authorise nothing: a fast generator is enough. */
    static String random(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[ThreadLocalRandom.current().nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
