package io.aigne.hub.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.sse.SseReader;
import io.aigne.hub.provider.ChatEventSource;
import io.aigne.hub.provider.CredentialSecret;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * Decodes {@code streamGenerateContent?alt=sse}: every event is a whole {@code GenerateContentResponse} holding
 * the next parts. Function calls arrive whole, so each one becomes a start and a single arguments fragment.
 * {@code usageMetadata} repeats in every event as running totals; it is reported whenever it changes. The
 * {@code finishReason} comes with the last event. An {@code error} object in place of a response is the
 * provider failing after the stream began.
 */
final class GeminiStreamDecoder implements ChatEventSource {
    private final SseReader sse;
    private final String upstreamModel;
    private final CredentialSecret secret;
    private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>();

    private boolean started;
    private boolean finished;
    private boolean ended;
    private int toolCalls;
    private Usage lastUsage;

    GeminiStreamDecoder(InputStream body, String upstreamModel, CredentialSecret secret) {
        this.sse = new SseReader(body);
        this.upstreamModel = upstreamModel;
        this.secret = secret;
    }

    @Override
    public ChatEvent next() throws IOException {
        while (pending.isEmpty()) {
            if (ended) {
                return null;
            }
            SseReader.Event event = sse.next();
            if (event == null) {
                ended = true;
                if (!finished) {
                    throw new IOException("Gemini's stream ended before the answer was finished");
                }
                return null;
            }
            decode(event.data());
        }
        return pending.poll();
    }

    @Override
    public boolean hasBuffered() {
        return !pending.isEmpty() || sse.hasBuffered();
    }

    private void decode(String data) throws IOException {
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
            pending.add(GeminiErrors.failed(chunk.get("error"), secret));
            ended = true;
            return;
        }
        if (!started) {
            started = true;
            pending.add(new ChatEvent.Started(GeminiResponseMapper.text(chunk, "responseId"),
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
                pending.add(new ChatEvent.UsageReport(usage));
            }
        }
        if (finished) {
            return;
        }
        if (candidate.path("finishReason").isTextual()) {
            finished = true;
            pending.add(new ChatEvent.Finished(GeminiResponseMapper.finishReason(
                    candidate.path("finishReason").asText(), toolCalls > 0), null));
        } else if (candidate.isMissingNode() && chunk.path("promptFeedback").has("blockReason")) {
            finished = true;
            pending.add(new ChatEvent.Finished(FinishReason.CONTENT_FILTER, null));
        }
    }

    private void part(JsonNode part) {
        String signature = GeminiResponseMapper.signature(part);
        String text = part.path("text").asText("");
        if (part.path("thought").asBoolean(false)) {
            if (!text.isEmpty()) {
                pending.add(new ChatEvent.ReasoningDelta(text));
            }
            if (signature != null) {
                pending.add(new ChatEvent.ReasoningSignature(signature));
            }
            return;
        }
        // As in the whole answer: a part's signature goes just before the part it belongs to.
        if (signature != null) {
            pending.add(new ChatEvent.ReasoningSignature(signature));
        }
        if (part.has("functionCall")) {
            JsonNode call = part.get("functionCall");
            int index = toolCalls++;
            pending.add(new ChatEvent.ToolCallStarted(index, GeminiResponseMapper.callId(call),
                    call.path("name").asText()));
            pending.add(new ChatEvent.ToolCallArguments(index, GeminiResponseMapper.arguments(call)));
        } else if (!text.isEmpty()) {
            pending.add(new ChatEvent.TextDelta(text));
        }
    }
}
