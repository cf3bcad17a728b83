package io.aigne.hub.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatEvent;
import io.aigne.hub.gateway.sse.SseReader;
import io.aigne.hub.provider.SseEventSource;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes Anthropic's streamed message ({@code message_start}, content blocks with their deltas,
 * {@code message_delta}, {@code message_stop}; {@code ping} ignored; {@code error} as {@link ChatEvent.Failed})
 * into canonical events.
 *
 * <p>Tool calls are numbered among the answer's calls, not by Anthropic's block index (which also counts text and
 * thinking blocks). A call of the {@link StructuredOutput} tool streams as text. Usage is reported cumulatively:
 * {@code message_start} gives the input side, {@code message_delta} the final output count and possibly a repeat
 * of the input side, merged over the first.
 */
final class AnthropicStreamDecoder extends SseEventSource {
    private enum BlockKind { TEXT, THINKING, TOOL, ANSWER, OTHER }

    private record Block(BlockKind kind, int toolIndex) {
    }

    private final StructuredOutput output;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final Map<Integer, Boolean> toolHasArguments = new HashMap<>();
    private int tools;
    private boolean realToolCalls;
    private boolean answerStreamed;
    private Usage usage;
    private boolean finished;

    AnthropicStreamDecoder(InputStream body, StructuredOutput output) {
        super(body);
        this.output = output;
    }

    @Override
    protected boolean finished() {
        return finished;
    }

    @Override
    protected String streamName() {
        return "Anthropic's stream";
    }

    @Override
    protected boolean decode(SseReader.Event event) throws IOException {
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(event.data());
        } catch (IOException e) {
            throw new IOException("Anthropic sent a stream event that is not JSON: " + e.getMessage(), e);
        }
        boolean more = true;
        String type = event.name() != null ? event.name() : data.path("type").asText();
        switch (type) {
            case "message_start" -> {
                JsonNode message = data.path("message");
                emit(new ChatEvent.Started(AnthropicResponseMapper.textOrNull(message.path("id")),
                        AnthropicResponseMapper.textOrNull(message.path("model"))));
                if (message.path("usage").isObject()) {
                    usage = AnthropicResponseMapper.usage(message.path("usage"), null);
                    emit(new ChatEvent.UsageReport(usage));
                }
            }
            case "content_block_start" -> blockStart(data.path("index").asInt(), data.path("content_block"));
            case "content_block_delta" -> blockDelta(data.path("index").asInt(), data.path("delta"));
            case "content_block_stop" -> blockStop(data.path("index").asInt());
            case "message_delta" -> {
                if (data.path("usage").isObject()) {
                    usage = AnthropicResponseMapper.usage(data.path("usage"), usage);
                    emit(new ChatEvent.UsageReport(usage));
                }
                JsonNode delta = data.path("delta");
                if (delta.path("stop_reason").isTextual() && !finished) {
                    finished = true;
                    emit(new ChatEvent.Finished(
                            AnthropicResponseMapper.finishReason(delta.path("stop_reason").asText(), realToolCalls),
                            AnthropicResponseMapper.textOrNull(delta.path("stop_sequence"))));
                }
            }
            case "message_stop" -> {
                if (!finished) {
                    finished = true;
                    emit(new ChatEvent.Finished(
                            AnthropicResponseMapper.finishReason(null, realToolCalls), null));
                }
                more = false;
            }
            case "error" -> {
                JsonNode error = data.path("error");
                String errorType = AnthropicResponseMapper.textOrNull(error.path("type"));
                String message = AnthropicResponseMapper.textOrNull(error.path("message"));
                emit(new ChatEvent.Failed(AnthropicErrorTypes.status(errorType),
                        errorType == null ? "api_error" : errorType,
                        message == null ? "Anthropic reported an error in the stream" : message));
                finished = true;
                more = false;
            }
            default -> {
                // ping, and event types newer than this decoder
            }
        }
        return more;
    }

    private void blockStart(int index, JsonNode block) {
        switch (block.path("type").asText()) {
            case "text" -> {
                blocks.put(index, new Block(BlockKind.TEXT, -1));
                text(block.path("text").asText(""));
            }
            case "thinking" -> {
                blocks.put(index, new Block(BlockKind.THINKING, -1));
                String thinking = block.path("thinking").asText("");
                if (!thinking.isEmpty()) {
                    emit(new ChatEvent.ReasoningDelta(thinking));
                }
            }
            case "redacted_thinking" -> {
                blocks.put(index, new Block(BlockKind.OTHER, -1));
                emit(new ChatEvent.RedactedReasoning(block.path("data").asText()));
            }
            case "tool_use" -> {
                String name = block.path("name").asText();
                JsonNode input = block.path("input");
                boolean hasInput = input.isObject() && !input.isEmpty();
                if (output != null && output.toolName().equals(name)) {
                    blocks.put(index, new Block(BlockKind.ANSWER, -1));
                    answerStreamed = hasInput;
                    if (hasInput) {
                        text(input.toString());
                    }
                } else {
                    int toolIndex = tools++;
                    realToolCalls = true;
                    blocks.put(index, new Block(BlockKind.TOOL, toolIndex));
                    emit(new ChatEvent.ToolCallStarted(toolIndex, block.path("id").asText(), name));
                    toolHasArguments.put(toolIndex, hasInput);
                    if (hasInput) {
                        emit(new ChatEvent.ToolCallArguments(toolIndex, input.toString()));
                    }
                }
            }
            default -> blocks.put(index, new Block(BlockKind.OTHER, -1));
        }
    }

    private void blockDelta(int index, JsonNode delta) {
        Block block = blocks.getOrDefault(index, new Block(BlockKind.OTHER, -1));
        switch (delta.path("type").asText()) {
            case "text_delta" -> text(delta.path("text").asText(""));
            case "thinking_delta" -> {
                String thinking = delta.path("thinking").asText("");
                if (!thinking.isEmpty()) {
                    emit(new ChatEvent.ReasoningDelta(thinking));
                }
            }
            case "signature_delta" -> emit(new ChatEvent.ReasoningSignature(delta.path("signature").asText()));
            case "input_json_delta" -> {
                String fragment = delta.path("partial_json").asText("");
                if (fragment.isEmpty()) {
                    return;
                }
                if (block.kind == BlockKind.TOOL) {
                    toolHasArguments.put(block.toolIndex, true);
                    emit(new ChatEvent.ToolCallArguments(block.toolIndex, fragment));
                } else if (block.kind == BlockKind.ANSWER) {
                    answerStreamed = true;
                    text(fragment);
                }
            }
            default -> {
                // citations_delta and delta types newer than this decoder
            }
        }
    }

    /** A call whose input never streamed (a tool without parameters) still gets arguments: the empty object. */
    private void blockStop(int index) {
        Block block = blocks.get(index);
        if (block == null) {
            return;
        }
        if (block.kind == BlockKind.TOOL && !toolHasArguments.getOrDefault(block.toolIndex, false)) {
            emit(new ChatEvent.ToolCallArguments(block.toolIndex, "{}"));
        } else if (block.kind == BlockKind.ANSWER && !answerStreamed) {
            text("{}");
        }
    }

    private void text(String text) {
        if (!text.isEmpty()) {
            emit(new ChatEvent.TextDelta(text));
        }
    }
}
