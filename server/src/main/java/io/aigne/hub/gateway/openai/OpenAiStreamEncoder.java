package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.ChatStreamEncoder;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a translated stream as OpenAI's {@code chat.completion.chunk} events: a first chunk with the assistant
 * role, a chunk per text, reasoning or tool-call fragment, a chunk with the finish reason, the usage chunk (empty
 * {@code choices}) when the caller asked for it, then {@code data: [DONE]}. Every chunk has the same id and
 * created time, as OpenAI's do.
 */
public final class OpenAiStreamEncoder implements ChatStreamEncoder {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final boolean includeUsage;
    private final long created = System.currentTimeMillis() / 1000;
    private String id;
    private String model;
    private boolean opened;
    private boolean finished;
    private Usage usage;

    /** {@code fallbackModel} is shown when the provider's stream names no model. */
    public OpenAiStreamEncoder(boolean includeUsage, String fallbackModel) {
        this.includeUsage = includeUsage;
        this.model = fallbackModel;
    }

    @Override
    public void write(ChatEvent event, SseWriter out) throws IOException {
        if (event instanceof ChatEvent.Started started) {
            if (!opened) {
                if (started.id() != null) {
                    id = started.id();
                }
                if (started.model() != null) {
                    model = started.model();
                }
            }
            open(out);
            return;
        }
        open(out);
        switch (event) {
            case ChatEvent.TextDelta text -> {
                if (!text.text().isEmpty()) {
                    ObjectNode delta = Json.object().put("content", text.text());
                    out.data(Json.bytes(chunk(delta, null)));
                }
            }
            case ChatEvent.ReasoningDelta reasoning -> {
                if (!reasoning.text().isEmpty()) {
                    ObjectNode delta = Json.object().put("reasoning_content", reasoning.text());
                    out.data(Json.bytes(chunk(delta, null)));
                }
            }
            case ChatEvent.ToolCallStarted call -> {
                ObjectNode delta = Json.object();
                ObjectNode node = delta.putArray("tool_calls").addObject();
                node.put("index", call.index());
                node.put("id", call.id() != null ? call.id() : OpenAiChatCodec.newCallId());
                node.put("type", "function");
                node.putObject("function").put("name", call.name()).put("arguments", "");
                out.data(Json.bytes(chunk(delta, null)));
            }
            case ChatEvent.ToolCallArguments arguments -> {
                if (!arguments.fragment().isEmpty()) {
                    ObjectNode delta = Json.object();
                    ObjectNode node = delta.putArray("tool_calls").addObject();
                    node.put("index", arguments.index());
                    node.putObject("function").put("arguments", arguments.fragment());
                    out.data(Json.bytes(chunk(delta, null)));
                }
            }
            case ChatEvent.Finished done -> finish(done.reason(), out);
            case ChatEvent.UsageReport report -> usage = report.usage();
            // Signatures only matter to the provider that issued them; failures arrive through fail().
            case ChatEvent.ReasoningSignature ignored -> { }
            case ChatEvent.RedactedReasoning ignored -> { }
            case ChatEvent.Failed ignored -> { }
            case ChatEvent.Started ignored -> { }
        }
    }

    @Override
    public void end(SseWriter out) throws IOException {
        open(out);
        // A provider that ended without saying why ended normally.
        finish(FinishReason.STOP, out);
        if (includeUsage) {
            ObjectNode chunk = envelope();
            chunk.putArray("choices");
            chunk.set("usage", UsageJson.chat(usage != null ? usage : Usage.NONE));
            out.data(Json.bytes(chunk));
        }
        out.raw(DONE);
    }

    /** An {@code error} object, on which the OpenAI SDKs raise an exception; nothing follows it. */
    @Override
    public void fail(int status, String type, String message, SseWriter out) throws IOException {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type != null ? type : "server_error");
        error.putNull("param");
        error.put("code", status == 429 ? "rate_limit_exceeded" : "upstream_error");
        out.data(Json.bytes(root));
    }

    private void open(SseWriter out) throws IOException {
        if (opened) {
            return;
        }
        opened = true;
        if (id == null) {
            id = OpenAiChatCodec.newId();
        }
        ObjectNode delta = Json.object().put("role", "assistant").put("content", "");
        out.data(Json.bytes(chunk(delta, null)));
    }

    private void finish(FinishReason reason, SseWriter out) throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        out.data(Json.bytes(chunk(Json.object(), OpenAiChatCodec.finishReason(reason))));
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = envelope();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        if (includeUsage) {
            // OpenAI marks every chunk but the last with an explicit null usage when usage was asked for.
            chunk.putNull("usage");
        }
        return chunk;
    }

    private ObjectNode envelope() {
        ObjectNode chunk = Json.object();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }
}
