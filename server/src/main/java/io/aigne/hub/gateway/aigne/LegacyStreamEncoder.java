package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.ChatStreamEncoder;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A canonical stream as the legacy chat format's events, what {@code Accept: text/event-stream} callers of
 * {@code /api/v2/chat/completions} read: {@code data: {"delta":{"role":"assistant","content":...,"toolCalls":[]}}}
 * per piece of text, the tool calls (arguments as JSON text) in one delta once they are complete, then
 * {@code data: {"usage":{"promptTokens","completionTokens","totalTokens"}}} and an
 * {@code event: server-timing} with the call's duration. No terminator. A failure is
 * {@code data: {"error":{"message"}}}. Reasoning has no place in this format and is left out.
 */
final class LegacyStreamEncoder implements ChatStreamEncoder {
    private final long startNanos;
    private final Map<Integer, String[]> calls = new TreeMap<>();
    private final Map<Integer, StringBuilder> arguments = new TreeMap<>();
    private Usage usage;
    private boolean closed;

    LegacyStreamEncoder(long startNanos) {
        this.startNanos = startNanos;
    }

    @Override
    public void write(ChatEvent event, SseWriter out) throws IOException {
        if (closed) {
            return;
        }
        switch (event) {
            case ChatEvent.TextDelta delta when !delta.text().isEmpty() -> {
                ObjectNode chunk = Json.object();
                chunk.putObject("delta").put("role", "assistant").put("content", delta.text()).putArray("toolCalls");
                out.data(Json.bytes(chunk));
            }
            case ChatEvent.ToolCallStarted started -> {
                calls.put(started.index(), new String[] {started.id(), started.name()});
                arguments.put(started.index(), new StringBuilder());
            }
            case ChatEvent.ToolCallArguments fragment -> {
                StringBuilder text = arguments.get(fragment.index());
                if (text != null) {
                    text.append(fragment.fragment());
                }
            }
            case ChatEvent.UsageReport report -> usage = report.usage();
            case ChatEvent.Failed failed -> fail(failed.status(), failed.type(), failed.message(), out);
            default -> {
            }
        }
    }

    @Override
    public void end(SseWriter out) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!calls.isEmpty()) {
            List<ContentPart.ToolCall> complete = new ArrayList<>();
            calls.forEach((index, call) -> complete.add(new ContentPart.ToolCall(call[0], call[1],
                    arguments.get(index).toString())));
            ObjectNode chunk = Json.object();
            chunk.putObject("delta").put("role", "assistant").set("toolCalls", LegacyChatCodec.toolCalls(complete));
            out.data(Json.bytes(chunk));
        }
        if (usage != null) {
            out.data(Json.bytes(Json.object().set("usage", LegacyChatCodec.usage(usage))));
        }
        double millis = (System.nanoTime() - startNanos) / 1_000_000.0;
        out.event("server-timing", String.format(java.util.Locale.ROOT, "total;dur=%.1f", millis)
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void fail(int status, String type, String message, SseWriter out) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.data(errorEvent(message));
    }

    static byte[] errorEvent(String message) {
        ObjectNode body = Json.object();
        body.putObject("error").put("message", message == null ? "the model call failed" : message);
        return Json.bytes(body);
    }
}
