package io.aigne.hub.gateway.openai;

import static io.aigne.hub.gateway.JsonFields.positiveInt;
import static io.aigne.hub.gateway.JsonFields.requiredString;
import static io.aigne.hub.gateway.JsonFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The OpenAI front door's side of translated embedding calls ({@code POST /v1/embeddings}). */
public final class OpenAiEmbeddingsCodec {
    private OpenAiEmbeddingsCodec() {
    }

    /** {@code input} is a string or an array of strings; token-id arrays only mean something to OpenAI's tokenizer. */
    public static EmbeddingRequest embeddingsToCanonical(ObjectNode body) {
        String model = requiredString(body, "model", "");
        JsonNode input = body.get("input");
        List<String> inputs = new ArrayList<>();
        if (input != null && input.isTextual()) {
            inputs.add(input.asText());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    throw ApiException.invalid("input", "'input' as token ids is only supported by OpenAI-compatible"
                            + " providers; send the text as a string or an array of strings");
                }
                inputs.add(item.asText());
            }
        } else {
            throw ApiException.invalid("input", "'input' must be a string or a non-empty array of strings");
        }
        encodingFormat(body);
        return new EmbeddingRequest(model, inputs, positiveInt(body, "dimensions", ""), string(body, "user", ""));
    }

    /** {@code float} (the API's default) or {@code base64} (what openai-java asks for unless told otherwise). */
    public static String encodingFormat(ObjectNode body) {
        String format = string(body, "encoding_format", "");
        if (format == null) {
            return "float";
        }
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.invalid("encoding_format", "'encoding_format' must be \"float\" or \"base64\"");
        }
        return format;
    }

    /**
     * The vectors as OpenAI lists them; base64 packs each vector as little-endian float32, as OpenAI does.
     * {@code model} is shown when the provider's answer names none.
     */
    public static byte[] embeddingsToJson(EmbeddingResponse response, String model, String encodingFormat) {
        boolean base64 = "base64".equals(encodingFormat);
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (int i = 0; i < response.vectors().size(); i++) {
            float[] vector = response.vectors().get(i);
            ObjectNode embedding = data.addObject();
            embedding.put("object", "embedding");
            embedding.put("index", i);
            if (base64) {
                embedding.put("embedding", packed(vector));
            } else {
                ArrayNode values = embedding.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
        }
        list.put("model", response.model() != null ? response.model() : model);
        long prompt = response.usage().inputTokens();
        long total = response.usage().totalTokens() > 0 ? response.usage().totalTokens() : prompt;
        list.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", total);
        return Json.bytes(list);
    }

    private static String packed(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
