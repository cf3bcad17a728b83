package io.aigne.hub.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.gateway.canonical.EmbeddingResponse;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.Usage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Embedding calls to {@code POST /embeddings} and back. */
final class OpenAiEmbeddingsMapper {
    private OpenAiEmbeddingsMapper() {
    }

    /** Floats are asked for explicitly: the API's default is floats, but openai-java's is base64. */
    static ObjectNode body(EmbeddingRequest request, String upstreamModel) {
        ObjectNode body = Json.object();
        body.put("model", upstreamModel);
        ArrayNode input = body.putArray("input");
        request.inputs().forEach(input::add);
        if (request.dimensions() != null) {
            body.put("dimensions", request.dimensions());
        }
        body.put("encoding_format", "float");
        if (request.user() != null) {
            body.put("user", request.user());
        }
        return body;
    }

    /** The vectors in input order (the API numbers them by {@code index}); null when the answer is unusable. */
    static EmbeddingResponse response(JsonNode answer, int inputs) {
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.size() != inputs) {
            return null;
        }
        float[][] vectors = new float[inputs][];
        int position = 0;
        for (JsonNode item : data) {
            int index = item.path("index").isInt() ? item.path("index").asInt() : position;
            JsonNode embedding = item.path("embedding");
            if (index < 0 || index >= inputs || vectors[index] != null || !embedding.isArray()) {
                return null;
            }
            float[] vector = new float[embedding.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = embedding.get(i).floatValue();
            }
            vectors[index] = vector;
            position++;
        }
        JsonNode usage = answer.path("usage");
        long prompt = usage.path("prompt_tokens").asLong(0);
        long total = usage.path("total_tokens").isNumber() ? usage.path("total_tokens").asLong() : prompt;
        List<float[]> ordered = new ArrayList<>(Arrays.asList(vectors));
        return new EmbeddingResponse(OpenAiChatResponseMapper.textOrNull(answer.path("model")), ordered,
                new Usage(prompt, 0, 0, 0, total, 0));
    }
}
