package io.aigne.hub.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ChatResponse;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.FinishReason;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a Converse answer to a canonical one: {@code output.message.content} blocks in order (text, reasoning,
 * tool calls), {@code stopReason}, {@code usage}. The JSON-mode tool's call, if the request had one, is the
 * answer's text and the answer a plain stop.
 */
final class ConverseResponseMapper {
    private ConverseResponseMapper() {
    }

    static ChatResponse read(byte[] body, String id, String model, String jsonTool) throws ProviderFailure {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ProviderFailure.broken("Bedrock's Converse answer is not valid JSON: " + e.getMessage(), false);
        }
        if (root == null || !root.path("output").path("message").isObject()) {
            throw ProviderFailure.broken("Bedrock's Converse answer has no output.message", false);
        }
        List<ContentPart> content = new ArrayList<>();
        boolean answeredThroughJsonTool = false;
        for (JsonNode block : root.path("output").path("message").path("content")) {
            if (block.path("text").isTextual()) {
                content.add(new ContentPart.Text(block.path("text").asText()));
            } else if (block.path("toolUse").isObject()) {
                JsonNode toolUse = block.path("toolUse");
                String name = toolUse.path("name").asText();
                String input = toolUse.has("input") ? toolUse.path("input").toString() : "{}";
                if (name.equals(jsonTool)) {
                    content.add(new ContentPart.Text(input));
                    answeredThroughJsonTool = true;
                } else {
                    content.add(new ContentPart.ToolCall(toolUse.path("toolUseId").asText(), name, input));
                }
            } else if (block.path("reasoningContent").isObject()) {
                JsonNode reasoning = block.path("reasoningContent");
                if (reasoning.path("reasoningText").isObject()) {
                    JsonNode text = reasoning.path("reasoningText");
                    content.add(new ContentPart.Reasoning(text.path("text").asText(""),
                            text.path("signature").isTextual() ? text.path("signature").asText() : null));
                } else if (reasoning.path("redactedContent").isTextual()) {
                    content.add(new ContentPart.RedactedReasoning(reasoning.path("redactedContent").asText()));
                }
            }
        }
        FinishReason finish = ConverseResults.finishReason(root.path("stopReason").asText(null));
        if (answeredThroughJsonTool && finish == FinishReason.TOOL_CALLS
                && content.stream().noneMatch(ContentPart.ToolCall.class::isInstance)) {
            finish = FinishReason.STOP;
        }
        return new ChatResponse(id, model, content, finish,
                ConverseResults.stopSequence(root.get("additionalModelResponseFields")),
                ConverseResults.usage(root.get("usage")));
    }
}
