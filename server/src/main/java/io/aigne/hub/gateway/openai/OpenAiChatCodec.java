package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.server.Json;

import java.util.UUID;

/**
 * The OpenAI front door's side of translated chat calls: a Chat Completions request into the canonical model, and a
 * canonical answer back as a {@code chat.completion}. Streams are written by {@link OpenAiStreamEncoder}.
 */
public final class OpenAiChatCodec {
    private OpenAiChatCodec() {
    }

    /**
     * The request in canonical terms; a 400 ({@code ApiException}) naming the field for a type error or an option
     * the target provider could not honour.
     */
    public static ChatRequest toCanonical(ObjectNode body) {
        return OpenAiRequestMapper.toCanonical(body);
    }

    /** Whether a streaming caller asked for the final usage chunk ({@code stream_options.include_usage}). */
    public static boolean includeUsage(ObjectNode body) {
        return OpenAiRequestMapper.includeUsage(body);
    }

    /**
     * The answer as OpenAI writes it. {@code model} is shown when the provider's answer names none; otherwise the
     * provider's own model id is, as in calls the hub passes through unchanged.
     */
    public static byte[] toJson(ChatResponse response, String model) {
        ObjectNode completion = Json.object();
        completion.put("id", response.id() != null ? response.id() : newId());
        completion.put("object", "chat.completion");
        completion.put("created", System.currentTimeMillis() / 1000);
        completion.put("model", response.model() != null ? response.model() : model);
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message(response));
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(response.finishReason()));
        completion.set("usage", UsageJson.chat(response.usage()));
        return Json.bytes(completion);
    }

    /** Content is null when the model only called tools, as OpenAI answers then. */
    private static ObjectNode message(ChatResponse response) {
        ObjectNode message = Json.object();
        message.put("role", "assistant");
        StringBuilder reasoning = new StringBuilder();
        for (ContentPart part : response.content()) {
            if (part instanceof ContentPart.Reasoning r && r.text() != null) {
                reasoning.append(r.text());
            }
        }
        String text = response.text();
        if (text.isEmpty() && !response.toolCalls().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        if (!response.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ContentPart.ToolCall call : response.toolCalls()) {
                ObjectNode node = calls.addObject();
                node.put("id", call.id() != null ? call.id() : newCallId());
                node.put("type", "function");
                node.putObject("function").put("name", call.name())
                        .put("arguments", call.arguments() == null ? "{}" : call.arguments());
            }
        }
        return message;
    }

    static String finishReason(FinishReason reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case STOP, STOP_SEQUENCE -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    /** Some providers (older Gemini models) give calls no id, while OpenAI callers need one to answer them. */
    static String newCallId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    static String newId() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }
}
