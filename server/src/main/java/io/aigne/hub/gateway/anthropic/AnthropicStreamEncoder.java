package io.aigne.hub.gateway.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.ChatStreamEncoder;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.provider.anthropic.AnthropicErrorTypes;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a canonical stream as Anthropic's streamed message: {@code message_start}, content blocks
 * ({@code content_block_start}, deltas, {@code content_block_stop}) numbered in order, then {@code message_delta}
 * with the stop reason and final usage, and {@code message_stop}.
 *
 * <p>{@code message_start} waits for the first content (or the end), so that the input-side usage an Anthropic
 * provider reports right after starting is already in it. One block is open at a time: text, thinking and each
 * tool call get their own, and a new kind of content closes the previous block, as Anthropic streams them. A
 * signed thinking block is complete; more reasoning after its signature opens a new one.
 */
public final class AnthropicStreamEncoder implements ChatStreamEncoder {
    private enum Kind { TEXT, THINKING, TOOL, REDACTED }

    private final String fallbackModel;
    private String id;
    private String model;
    private Usage usage = Usage.NONE;
    private FinishReason finishReason;
    private String stopSequence;
    private boolean started;
    private boolean closed;

    private int nextIndex;
    private int openIndex = -1;
    private Kind openKind;
    private boolean openSigned;
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();

    /** {@code fallbackModel} names the model when the provider's stream does not. */
    public AnthropicStreamEncoder(String fallbackModel) {
        this.fallbackModel = fallbackModel;
    }

    @Override
    public void write(ChatEvent event, SseWriter out) throws IOException {
        if (closed) {
            return;
        }
        switch (event) {
            case ChatEvent.Started s -> {
                id = s.id();
                model = s.model();
            }
            case ChatEvent.UsageReport report -> usage = report.usage();
            case ChatEvent.TextDelta text -> {
                if (!text.text().isEmpty()) {
                    open(Kind.TEXT, out);
                    delta(Json.object().put("type", "text_delta").put("text", text.text()), out);
                }
            }
            case ChatEvent.ReasoningDelta reasoning -> {
                if (!reasoning.text().isEmpty()) {
                    if (openKind == Kind.THINKING && openSigned) {
                        close(out);
                    }
                    open(Kind.THINKING, out);
                    delta(Json.object().put("type", "thinking_delta").put("thinking", reasoning.text()), out);
                }
            }
            case ChatEvent.ReasoningSignature signature -> {
                if (openKind != Kind.THINKING || openSigned) {
                    close(out);
                    open(Kind.THINKING, out);
                }
                openSigned = true;
                delta(Json.object().put("type", "signature_delta").put("signature", signature.signature()), out);
            }
            case ChatEvent.RedactedReasoning redacted -> {
                start(out);
                close(out);
                openBlock(Kind.REDACTED, Json.object().put("type", "redacted_thinking").put("data", redacted.data()), out);
                close(out);
            }
            case ChatEvent.ToolCallStarted call -> {
                start(out);
                close(out);
                ObjectNode block = AnthropicMessagesCodec.toolUse(call.id(), call.name());
                block.putObject("input");
                toolBlocks.put(call.index(), nextIndex);
                openBlock(Kind.TOOL, block, out);
            }
            case ChatEvent.ToolCallArguments arguments -> {
                Integer index = toolBlocks.get(arguments.index());
                if (index != null && !arguments.fragment().isEmpty()) {
                    // Providers stream one call's arguments after another; should one interleave, its fragments
                    // still go to its own block, which Anthropic clients look up by index.
                    write("content_block_delta", Json.object().put("type", "content_block_delta").put("index", index)
                            .set("delta", Json.object().put("type", "input_json_delta")
                                    .put("partial_json", arguments.fragment())), out);
                }
            }
            case ChatEvent.Finished finished -> {
                finishReason = finished.reason();
                stopSequence = finished.stopSequence();
            }
            case ChatEvent.Failed failed -> fail(failed.status(), failed.type(), failed.message(), out);
        }
    }

    @Override
    public void end(SseWriter out) throws IOException {
        if (closed) {
            return;
        }
        start(out);
        close(out);
        closed = true;
        ObjectNode event = Json.object().put("type", "message_delta");
        ObjectNode delta = event.putObject("delta");
        delta.put("stop_reason", AnthropicMessagesCodec.stopReason(finishReason));
        if (stopSequence == null) {
            delta.putNull("stop_sequence");
        } else {
            delta.put("stop_sequence", stopSequence);
        }
        event.set("usage", AnthropicMessagesCodec.usage(usage, true));
        write("message_delta", event, out);
        write("message_stop", Json.object().put("type", "message_stop"), out);
    }

    /**
     * An {@code error} event, as Anthropic sends one inside a stream. The type is kept when it already is one of
     * Anthropic's, otherwise it follows the status.
     */
    @Override
    public void fail(int status, String type, String message, SseWriter out) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        String anthropicType = AnthropicErrorTypes.known(type) ? type : AnthropicErrorTypes.type(status);
        write("error", AnthropicErrors.typed(anthropicType, message), out);
    }

    private void start(SseWriter out) throws IOException {
        if (started) {
            return;
        }
        started = true;
        ObjectNode message = Json.object();
        message.put("id", AnthropicMessagesCodec.messageId(id));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", AnthropicMessagesCodec.modelOf(model, fallbackModel));
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", AnthropicMessagesCodec.usage(usage, false));
        write("message_start", Json.object().put("type", "message_start").set("message", message), out);
    }

    private void open(Kind kind, SseWriter out) throws IOException {
        start(out);
        if (openKind == kind) {
            return;
        }
        close(out);
        ObjectNode block = switch (kind) {
            case TEXT -> Json.object().put("type", "text").put("text", "");
            case THINKING -> Json.object().put("type", "thinking").put("thinking", "").put("signature", "");
            case TOOL, REDACTED -> throw new IllegalStateException("these blocks open with their content");
        };
        openBlock(kind, block, out);
    }

    private void openBlock(Kind kind, ObjectNode block, SseWriter out) throws IOException {
        openIndex = nextIndex++;
        openKind = kind;
        openSigned = false;
        write("content_block_start", Json.object().put("type", "content_block_start").put("index", openIndex)
                .set("content_block", block), out);
    }

    private void close(SseWriter out) throws IOException {
        if (openKind == null) {
            return;
        }
        write("content_block_stop", Json.object().put("type", "content_block_stop").put("index", openIndex), out);
        openKind = null;
        openIndex = -1;
    }

    private void delta(ObjectNode delta, SseWriter out) throws IOException {
        write("content_block_delta", Json.object().put("type", "content_block_delta").put("index", openIndex)
                .set("delta", delta), out);
    }

    private static void write(String name, ObjectNode data, SseWriter out) throws IOException {
        out.event(name, Json.bytes(data));
    }
}
