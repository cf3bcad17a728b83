package io.aigne.hub.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.sse.SseReader;
import io.aigne.hub.provider.SseEventSource;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes {@code streamGenerateContent?alt=sse}: every event is a whole {@code GenerateContentResponse} holding
 * the next parts. Function calls arrive whole, so each one becomes a start and a single arguments fragment.
 * {@code usageMetadata} repeats in every event as running totals; it is reported whenever it changes. The
 * {@code finishReason} comes with the last event. An {@code error} object in place of a response is the
 * provider failing after the stream began.
 */
final class GeminiStreamDecoder extends SseEventSource {
    private final String upstreamModel;
    private final CredentialSecret secret;

    private boolean started;
    private boolean finished;
    private int toolCalls;
    private Usage lastUsage;

    GeminiStreamDecoder(InputStream body, String upstreamModel, CredentialSecret secret) {
        super(body);
        this.upstreamModel = upstreamModel;
        this.secret = secret;
    }

    @Override
    protected boolean finished() {
        return finished;
    }

    @Override
    protected String streamName() {
        return "Gemini's stream";
    }

    @Override
    protected boolean decode(SseReader.Event event) throws IOException {
        decodeChunk(event.data());
        return true;
    }

    private void decodeChunk(String data) throws IOException {
        if (data.isBlank()) {
            return;
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(data);
        } catch (JsonProcessingException e) {
            throw new IOException("Gemini sent a stream event that is not JSON: " + e.getOriginalMessage(), e);
        }
        if (chunk.path("error").isObject()) {
            emit(GeminiErrors.failed(chunk.get("error"), secret));
            stop();
            return;
        }
        if (!started) {
            started = true;
            emit(new ChatEvent.Started(GeminiResponseMapper.text(chunk, "responseId"),
                    GeminiResponseMapper.model(chunk, upstreamModel)));
        }
        JsonNode candidate = chunk.path("candidates").path(0);
        if (!finished) {
            for (JsonNode part : candidate.path("content").path("parts")) {
                part(part);
            }
        }
        JsonNode metadata = chunk.path("usageMetadata");
        if (metadata.isObject()) {
            Usage usage = GeminiResponseMapper.usage(metadata);
            if (!usage.equals(lastUsage)) {
                lastUsage = usage;
                emit(new ChatEvent.UsageReport(usage));
            }
        }
        if (finished) {
            return;
        }
        if (candidate.path("finishReason").isTextual()) {
            finished = true;
            emit(new ChatEvent.Finished(GeminiResponseMapper.finishReason(
                    candidate.path("finishReason").asText(), toolCalls > 0), null));
        } else if (candidate.isMissingNode() && chunk.path("promptFeedback").has("blockReason")) {
            finished = true;
            emit(new ChatEvent.Finished(FinishReason.CONTENT_FILTER, null));
        }
    }

    private void part(JsonNode part) {
        String signature = GeminiResponseMapper.signature(part);
        String text = part.path("text").asText("");
        if (part.path("thought").asBoolean(false)) {
            if (!text.isEmpty()) {
                emit(new ChatEvent.ReasoningDelta(text));
            }
            if (signature != null) {
                emit(new ChatEvent.ReasoningSignature(signature));
            }
            return;
        }
        // As in the whole answer: a part's signature goes just before the part it belongs to.
        if (signature != null) {
            emit(new ChatEvent.ReasoningSignature(signature));
        }
        if (part.has("functionCall")) {
            JsonNode call = part.get("functionCall");
            int index = toolCalls++;
            emit(new ChatEvent.ToolCallStarted(index, GeminiResponseMapper.callId(call),
                    call.path("name").asText()));
            emit(new ChatEvent.ToolCallArguments(index, GeminiResponseMapper.arguments(call)));
        } else if (!text.isEmpty()) {
            emit(new ChatEvent.TextDelta(text));
        }
    }
}
