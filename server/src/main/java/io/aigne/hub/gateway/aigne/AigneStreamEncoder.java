package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.ChatStreamEncoder;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.sse.SseWriter;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a canonical stream as AIGNE agent response deltas: unnamed {@code data: <json>} events, no terminator.
 * The clients append {@code delta.text.<key>} strings and shallow-assign {@code delta.json} keys, so text and
 * reasoning go out as they come ({@code text}, {@code thoughts}), while what only makes sense whole is sent once
 * at the end: tool calls with their arguments as objects, the structured {@code json} answer (whose text is held
 * back, as the AIGNE model classes do), usage, and finally the full output, which replaces what the client
 * accumulated with the same values plus {@code modelWithProvider}. A failure is {@code event: error} with
 * {@code {"message"}}, which the clients raise as an error.
 */
public final class AigneStreamEncoder implements ChatStreamEncoder {
    private final ChatRequest request;
    private final String modelWithProvider;
    private final boolean jsonMode;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thoughts = new StringBuilder();
    private final Map<Integer, Call> calls = new TreeMap<>();
    private String model;
    private Usage usage;
    private boolean closed;

    private static final class Call {
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();

        Call(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private final CallCredits credits;

    AigneStreamEncoder(ChatRequest request, String modelWithProvider, CallCredits credits) {
        this.credits = credits;
        this.request = request;
        this.modelWithProvider = modelWithProvider;
        this.jsonMode = AigneChatCodec.wantsJson(request);
    }

    @Override
    public void write(ChatEvent event, SseWriter out) throws IOException {
        if (closed) {
            return;
        }
        switch (event) {
            case ChatEvent.Started started -> {
                if (started.model() != null && model == null) {
                    model = started.model();
                    json(Json.object().put("model", model), out);
                }
            }
            case ChatEvent.TextDelta delta -> {
                if (!delta.text().isEmpty()) {
                    text.append(delta.text());
                    if (!jsonMode) {
                        text("text", delta.text(), out);
                    }
                }
            }
            case ChatEvent.ReasoningDelta delta -> {
                if (!delta.text().isEmpty()) {
                    thoughts.append(delta.text());
                    text("thoughts", delta.text(), out);
                }
            }
            case ChatEvent.ToolCallStarted started -> calls.put(started.index(), new Call(started.id(), started.name()));
            case ChatEvent.ToolCallArguments arguments -> {
                Call call = calls.get(arguments.index());
                if (call != null) {
                    call.arguments.append(arguments.fragment());
                }
            }
            case ChatEvent.UsageReport report -> usage = report.usage();
            case ChatEvent.Failed failed -> fail(failed.status(), failed.type(), failed.message(), out);
            case ChatEvent.ReasoningSignature ignored -> {
                // AIGNE outputs have no place for Anthropic's signatures: its clients do not replay thinking
            }
            case ChatEvent.RedactedReasoning ignored -> {
            }
            case ChatEvent.Finished ignored -> {
            }
        }
    }

    @Override
    public void end(SseWriter out) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        List<ContentPart.ToolCall> toolCalls = new ArrayList<>();
        calls.values().forEach(c -> toolCalls.add(new ContentPart.ToolCall(c.id, c.name, c.arguments.toString())));
        ObjectNode structured = jsonMode && toolCalls.isEmpty() ? AigneChatCodec.parseObject(text.toString()) : null;
        if (structured != null) {
            json(Json.object().set("json", structured), out);
        } else if (jsonMode && !text.isEmpty()) {
            // Not the JSON asked for: the text is what the model said, and the client's schema check will say why.
            text("text", text.toString(), out);
        }
        if (!toolCalls.isEmpty()) {
            json(Json.object().set("toolCalls", AigneChatCodec.toolCalls(toolCalls)), out);
        }
        ObjectNode usageJson = AigneChatCodec.usage(usage, credits);
        json(Json.object().set("usage", usageJson), out);

        ObjectNode full = Json.object();
        if (structured != null) {
            full.set("json", structured);
        } else if (!text.isEmpty()) {
            full.put("text", text.toString());
        }
        if (!thoughts.isEmpty()) {
            full.put("thoughts", thoughts.toString());
        }
        if (!toolCalls.isEmpty()) {
            full.set("toolCalls", AigneChatCodec.toolCalls(toolCalls));
        }
        full.put("model", model != null ? model : request.model());
        full.set("usage", usageJson);
        full.put("modelWithProvider", modelWithProvider);
        json(full, out);
    }

    @Override
    public void fail(int status, String type, String message, SseWriter out) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.event("error", Json.bytes(Json.object().put("message", message == null ? "the model call failed"
                : message)));
    }

    private static void text(String key, String value, SseWriter out) throws IOException {
        ObjectNode chunk = Json.object();
        chunk.putObject("delta").putObject("text").put(key, value);
        out.data(Json.bytes(chunk));
    }

    private static void json(ObjectNode value, SseWriter out) throws IOException {
        ObjectNode chunk = Json.object();
        chunk.putObject("delta").set("json", value);
        out.data(Json.bytes(chunk));
    }
}
