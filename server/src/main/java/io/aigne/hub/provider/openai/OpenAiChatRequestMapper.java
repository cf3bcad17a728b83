package io.aigne.hub.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.ChatRequest;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.gateway.canonical.Reasoning;
import io.aigne.hub.gateway.canonical.ResponseFormat;
import io.aigne.hub.gateway.canonical.Sampling;
import io.aigne.hub.gateway.canonical.Tool;
import io.aigne.hub.gateway.canonical.ToolChoice;
import io.aigne.hub.provider.ProviderType;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** A canonical chat request as a Chat Completions request body. */
final class OpenAiChatRequestMapper {
    private OpenAiChatRequestMapper() {
    }

    /**
     * The body for {@code POST /chat/completions}. {@code providerType} decides the name of the output limit:
     * OpenAI itself has deprecated {@code max_tokens} (its reasoning models refuse it), while most compatible
     * servers only know that name.
     */
    static ObjectNode body(ChatRequest request, String upstreamModel, ProviderType providerType, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", upstreamModel);
        body.set("messages", messages(request));
        if (!request.tools().isEmpty()) {
            body.set("tools", tools(request.tools()));
            // OpenAI refuses tool_choice and parallel_tool_calls in a request without tools.
            toolChoice(body, request.toolChoice());
        }
        responseFormat(body, request.responseFormat());
        sampling(body, request.sampling(), providerType);
        String effort = effort(request.reasoning());
        if (effort != null) {
            body.put("reasoning_effort", effort);
        }
        if (request.user() != null) {
            body.put("user", request.user());
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static ArrayNode messages(ChatRequest request) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        String system = request.systemText();
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        for (Message message : request.messages()) {
            if (message.role() == Message.Role.ASSISTANT) {
                assistant(messages, message);
            } else {
                user(messages, message);
            }
        }
        return messages;
    }

    /**
     * Tool results become {@code tool} messages, which OpenAI wants right after the assistant turn that made the
     * calls, so they go first; whatever else the turn holds follows as one user message.
     */
    private static void user(ArrayNode messages, Message message) {
        List<ContentPart> rest = new ArrayList<>();
        for (ContentPart part : message.content()) {
            if (part instanceof ContentPart.ToolResult result) {
                String text = result.text();
                messages.addObject()
                        .put("role", "tool")
                        .put("tool_call_id", result.callId())
                        // OpenAI has no error flag on tool results; without a word the model would take the
                        // failure for a valid result.
                        .put("content", result.isError() ? "Error: " + text : text);
                result.content().stream().filter(p -> !(p instanceof ContentPart.Text)).forEach(rest::add);
            } else {
                rest.add(part);
            }
        }
        if (rest.isEmpty()) {
            return;
        }
        ObjectNode user = messages.addObject().put("role", "user");
        if (rest.stream().allMatch(ContentPart.Text.class::isInstance)) {
            // A plain string is what every compatible server accepts; several (DeepSeek among them) take no parts.
            user.put("content", joinedText(rest));
            return;
        }
        ArrayNode parts = user.putArray("content");
        for (ContentPart part : rest) {
            switch (part) {
                case ContentPart.Text text -> parts.addObject().put("type", "text").put("text", text.text());
                case ContentPart.Image image -> image(parts, image);
                case ContentPart.Document document -> document(parts, document);
                default -> {
                    // reasoning and tool calls never stand in a user turn
                }
            }
        }
    }

    private static void image(ArrayNode parts, ContentPart.Image image) {
        ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url");
        url.put("url", image.isInline() ? "data:" + image.mediaType() + ";base64," + image.data() : image.url());
        if (image.detail() != null) {
            url.put("detail", image.detail());
        }
    }

    /**
     * PDFs travel as OpenAI's {@code file} part with the bytes in a data URL; plain-text documents as their text,
     * which is what the model reads of them anyway. A document by URL has no OpenAI form.
     */
    private static void document(ArrayNode parts, ContentPart.Document document) {
        if (document.data() == null) {
            throw ApiException.invalid("messages", "OpenAI-compatible providers take documents only as inline data,"
                    + " not by URL (" + document.url() + "); send the document's bytes as base64");
        }
        String mediaType = document.mediaType() == null ? "application/pdf"
                : document.mediaType().toLowerCase(Locale.ROOT);
        if (mediaType.startsWith("text/")) {
            String text = new String(Base64.getMimeDecoder().decode(document.data()), StandardCharsets.UTF_8);
            parts.addObject().put("type", "text")
                    .put("text", document.title() == null ? text : document.title() + "\n\n" + text);
            return;
        }
        ObjectNode file = parts.addObject().put("type", "file").putObject("file");
        // OpenAI requires a filename with inline file data.
        file.put("filename", document.title() != null ? document.title() : "document.pdf");
        file.put("file_data", "data:" + mediaType + ";base64," + document.data());
    }

    /** Reasoning the model produced earlier is not sent back: Chat Completions has no place for it. */
    private static void assistant(ArrayNode messages, Message message) {
        List<ContentPart> texts = new ArrayList<>();
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (ContentPart part : message.content()) {
            if (part instanceof ContentPart.Text text) {
                texts.add(text);
            } else if (part instanceof ContentPart.ToolCall call) {
                ObjectNode node = toolCalls.addObject();
                node.put("id", call.id());
                node.put("type", "function");
                node.putObject("function").put("name", call.name())
                        .put("arguments", call.arguments() == null || call.arguments().isEmpty() ? "{}"
                                : call.arguments());
            }
        }
        if (texts.isEmpty() && toolCalls.isEmpty()) {
            return;
        }
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        if (texts.isEmpty()) {
            assistant.putNull("content");
        } else {
            assistant.put("content", joinedText(texts));
        }
        if (!toolCalls.isEmpty()) {
            assistant.set("tool_calls", toolCalls);
        }
    }

    private static String joinedText(List<ContentPart> texts) {
        StringBuilder joined = new StringBuilder();
        for (ContentPart part : texts) {
            if (!joined.isEmpty()) {
                joined.append("\n\n");
            }
            joined.append(((ContentPart.Text) part).text());
        }
        return joined.toString();
    }

    private static ArrayNode tools(List<Tool> tools) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Tool tool : tools) {
            ObjectNode function = array.addObject().put("type", "function").putObject("function");
            function.put("name", tool.name());
            if (tool.description() != null) {
                function.put("description", tool.description());
            }
            if (tool.parameters() != null) {
                function.set("parameters", tool.parameters());
            }
        }
        return array;
    }

    private static void toolChoice(ObjectNode body, ToolChoice choice) {
        if (choice == null) {
            return;
        }
        switch (choice.mode()) {
            case AUTO -> body.put("tool_choice", "auto");
            case NONE -> body.put("tool_choice", "none");
            case ANY -> body.put("tool_choice", "required");
            case TOOL -> body.putObject("tool_choice").put("type", "function")
                    .putObject("function").put("name", choice.name());
        }
        if (choice.parallel() != null) {
            body.put("parallel_tool_calls", choice.parallel());
        }
    }

    private static void responseFormat(ObjectNode body, ResponseFormat format) {
        if (format == null || format.kind() == ResponseFormat.Kind.TEXT) {
            return;
        }
        ObjectNode node = body.putObject("response_format");
        if (format.kind() == ResponseFormat.Kind.JSON_OBJECT) {
            node.put("type", "json_object");
            return;
        }
        node.put("type", "json_schema");
        ObjectNode schema = node.putObject("json_schema");
        // The name is required by OpenAI; callers of other protocols have no such field.
        schema.put("name", format.name() != null ? format.name() : "response");
        if (format.schema() != null) {
            schema.set("schema", format.schema());
        }
        if (format.strict() != null) {
            schema.put("strict", format.strict());
        }
    }

    /** {@code top_k} has no Chat Completions parameter and is left out. */
    private static void sampling(ObjectNode body, Sampling sampling, ProviderType providerType) {
        if (sampling.maxTokens() != null) {
            body.put(providerType == ProviderType.OPENAI ? "max_completion_tokens" : "max_tokens",
                    sampling.maxTokens());
        }
        if (sampling.temperature() != null) {
            body.put("temperature", sampling.temperature());
        }
        if (sampling.topP() != null) {
            body.put("top_p", sampling.topP());
        }
        if (!sampling.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            sampling.stop().forEach(stop::add);
        }
        if (sampling.seed() != null) {
            body.put("seed", sampling.seed());
        }
        if (sampling.presencePenalty() != null) {
            body.put("presence_penalty", sampling.presencePenalty());
        }
        if (sampling.frequencyPenalty() != null) {
            body.put("frequency_penalty", sampling.frequencyPenalty());
        }
    }

    /**
     * The caller's effort as given; a thinking budget (Anthropic, Gemini callers) as the nearest effort, since
     * OpenAI-wire reasoning models take no budget. Thinking turned off without an effort sends nothing: models
     * that cannot reason refuse the parameter altogether.
     */
    static String effort(Reasoning reasoning) {
        if (reasoning == null) {
            return null;
        }
        if (reasoning.effort() != null) {
            return reasoning.effort();
        }
        if (!reasoning.enabled() || reasoning.budgetTokens() == null) {
            return null;
        }
        int budget = reasoning.budgetTokens();
        return budget <= 2048 ? "low" : budget <= 8192 ? "medium" : "high";
    }
}
