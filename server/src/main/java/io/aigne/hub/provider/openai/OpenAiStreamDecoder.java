package io.aigne.hub.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.sse.SseReader;
import io.aigne.hub.provider.SseEventSource;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.provider.UpstreamError;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A Chat Completions stream ({@code chat.completion.chunk} events, then {@code [DONE]}) as canonical events.
 * One chunk may carry several things (a tool call's id, name and first arguments; a finish reason and usage),
 * so events wait in a queue until they are pulled.
 */
final class OpenAiStreamDecoder extends SseEventSource {
    private final CredentialSecret secret;
    /** The provider's tool-call index (or id, when it sends none) to the canonical index of that call. */
    private final Map<String, Integer> toolCalls = new HashMap<>();
    private final Map<Integer, Integer> byUpstreamIndex = new HashMap<>();
    private boolean started;
    private boolean finished;

    OpenAiStreamDecoder(InputStream body, CredentialSecret secret) {
        super(body);
        this.secret = secret;
    }

    @Override
    protected boolean finished() {
        return finished;
    }

    @Override
    protected String streamName() {
        return "the provider's stream";
    }

    @Override
    protected boolean decode(SseReader.Event event) throws IOException {
        if (event.data().strip().equals("[DONE]")) {
            return false;
        }
        decodeChunk(event.data());
        return true;
    }

    private void decodeChunk(String data) throws IOException {
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(data);
        } catch (JsonProcessingException e) {
            throw new IOException("the provider sent a malformed stream event: " + e.getOriginalMessage(), e);
        }
        if (chunk == null || !chunk.isObject()) {
            throw new IOException("the provider sent a stream event that is not a JSON object");
        }
        if (chunk.has("error") && !chunk.path("error").isNull()) {
            failed(chunk, data);
            return;
        }
        if (!started) {
            started = true;
            emit(new ChatEvent.Started(OpenAiChatResponseMapper.textOrNull(chunk.path("id")),
                    OpenAiChatResponseMapper.textOrNull(chunk.path("model"))));
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isObject()) {
            delta(choice.path("delta"));
            String reason = OpenAiChatResponseMapper.textOrNull(choice.path("finish_reason"));
            if (reason != null && !finished) {
                finished = true;
                emit(new ChatEvent.Finished(
                        OpenAiChatResponseMapper.finishReason(reason, !toolCalls.isEmpty()), null));
            }
        }
        Usage usage = OpenAiChatResponseMapper.usage(chunk.path("usage"));
        if (usage != null) {
            emit(new ChatEvent.UsageReport(usage));
        }
    }

    private void delta(JsonNode delta) {
        String reasoning = OpenAiChatResponseMapper.reasoningText(delta);
        if (reasoning != null && !reasoning.isEmpty()) {
            emit(new ChatEvent.ReasoningDelta(reasoning));
        }
        String text = OpenAiChatResponseMapper.text(delta.path("content"));
        if (text != null && !text.isEmpty()) {
            emit(new ChatEvent.TextDelta(text));
        }
        JsonNode refusal = delta.path("refusal");
        if (refusal.isTextual() && !refusal.asText().isEmpty()) {
            emit(new ChatEvent.TextDelta(refusal.asText()));
        }
        int position = 0;
        for (JsonNode call : delta.path("tool_calls")) {
            toolCall(call, position++);
        }
    }

    /**
     * OpenAI opens a call with its index, id and name, then sends fragments under the index alone. Some compatible
     * servers send whole calls without an index, or reuse one index for calls with different ids; a new id is
     * therefore always a new call.
     */
    private void toolCall(JsonNode call, int position) {
        int upstreamIndex = call.path("index").isInt() ? call.path("index").asInt() : position;
        String id = OpenAiChatResponseMapper.textOrNull(call.path("id"));
        JsonNode function = call.path("function");
        Integer index = id != null ? toolCalls.get(id) : byUpstreamIndex.get(upstreamIndex);
        if (index == null) {
            index = toolCalls.size();
            String callId = id != null ? id : "call_" + UUID.randomUUID().toString().replace("-", "");
            toolCalls.put(callId, index);
            byUpstreamIndex.put(upstreamIndex, index);
            emit(new ChatEvent.ToolCallStarted(index, callId,
                    OpenAiChatResponseMapper.textOrNull(function.path("name"))));
        }
        JsonNode arguments = function.path("arguments");
        String fragment = arguments.isTextual() ? arguments.asText() : arguments.isObject() ? arguments.toString() : "";
        if (!fragment.isEmpty()) {
            emit(new ChatEvent.ToolCallArguments(index, fragment));
        }
    }

    /** An error object inside the stream; nothing after it is read. */
    private void failed(JsonNode chunk, String data) {
        JsonNode error = chunk.path("error");
        int status = error.path("code").isInt() && error.path("code").asInt() >= 400 ? error.path("code").asInt()
                : statusOf(OpenAiChatResponseMapper.textOrNull(error.path("type")),
                OpenAiChatResponseMapper.textOrNull(error.path("code")));
        UpstreamError parsed = UpstreamError.parse(data.getBytes(StandardCharsets.UTF_8), status, secret);
        emit(new ChatEvent.Failed(status, parsed.type() != null ? parsed.type() : "server_error",
                parsed.message()));
        stop();
    }

    private static int statusOf(String type, String code) {
        String kind = (type == null ? "" : type) + " " + (code == null ? "" : code);
        if (kind.contains("rate_limit")) {
            return 429;
        }
        if (kind.contains("overloaded")) {
            return 503;
        }
        if (kind.contains("invalid_request")) {
            return 400;
        }
        return 500;
    }
}
