package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.io.IOException;

/**
 * What the hub needs from an OpenAI response body or stream chunk: its id, the model that answered, the usage
 * and, for images, how many were made. Read with the streaming parser, skipping everything else, so a large
 * answer costs a scan rather than a tree.
 */
public record ResponseSummary(String id, String model, Usage usage, int dataCount, boolean emptyChoices) {

    public static ResponseSummary read(byte[] json, int offset, int length) {
        String id = null;
        String model = null;
        Usage usage = null;
        int dataCount = 0;
        boolean emptyChoices = false;
        try (JsonParser p = Json.FACTORY.createParser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new ResponseSummary(null, null, null, 0, false);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "model" -> model = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "usage" -> usage = value == JsonToken.START_OBJECT ? readUsage(p) : null;
                    case "data" -> dataCount = value == JsonToken.START_ARRAY ? countElements(p) : 0;
                    case "choices" -> emptyChoices = value == JsonToken.START_ARRAY && countElements(p) == 0;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            // A body the hub cannot read is still relayed as it is; it just carries no usage.
        }
        return new ResponseSummary(id, model, usage, dataCount, emptyChoices);
    }

    /** Reads OpenAI usage objects in both spellings: chat/embeddings (prompt/completion) and images (input/output). */
    private static Usage readUsage(JsonParser p) throws IOException {
        long input = 0;
        long output = 0;
        long total = 0;
        long cached = 0;
        long reasoning = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "prompt_tokens", "input_tokens" -> input = number(p, v);
                case "completion_tokens", "output_tokens" -> output = number(p, v);
                case "total_tokens" -> total = number(p, v);
                case "prompt_tokens_details", "input_tokens_details" -> cached = nested(p, v, "cached_tokens", cached);
                case "completion_tokens_details", "output_tokens_details" ->
                        reasoning = nested(p, v, "reasoning_tokens", reasoning);
                default -> p.skipChildren();
            }
        }
        if (total == 0) {
            total = input + output;
        }
        return new Usage(input, output, cached, reasoning, total, 0);
    }

    private static long nested(JsonParser p, JsonToken v, String wanted, long fallback) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return fallback;
        }
        long found = fallback;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken inner = p.nextToken();
            if (wanted.equals(name)) {
                found = number(p, inner);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static long number(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
    }

    private static int countElements(JsonParser p) throws IOException {
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            n++;
        }
        return n;
    }
}
