package io.aigne.hub.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.server.Json;

import java.util.ArrayList;
import java.util.List;

/** {@code batchEmbedContents}: one request per input text, answered with one vector each, in order. */
final class GeminiEmbeddings {
    /** The API's limit of requests in one batch; longer input lists are sent in several batches. */
    static final int MAX_BATCH = 100;

    private GeminiEmbeddings() {
    }

    static ObjectNode toWire(List<String> inputs, String upstreamModel, Integer dimensions) {
        String model = GeminiEndpoints.resourceName(upstreamModel);
        ObjectNode body = Json.object();
        ArrayNode requests = body.putArray("requests");
        for (String input : inputs) {
            ObjectNode request = requests.addObject().put("model", model);
            request.putObject("content").putArray("parts").addObject().put("text", input);
            if (dimensions != null) {
                request.put("outputDimensionality", dimensions);
            }
        }
        return body;
    }

    static List<float[]> vectors(JsonNode response, int expected) throws ProviderFailure {
        JsonNode embeddings = response.path("embeddings");
        if (!embeddings.isArray() || embeddings.size() != expected) {
            throw ProviderFailure.broken("Gemini answered " + (embeddings.isArray() ? embeddings.size() : 0)
                    + " embeddings for " + expected + " inputs", false);
        }
        List<float[]> vectors = new ArrayList<>(expected);
        for (JsonNode embedding : embeddings) {
            JsonNode values = embedding.path("values");
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = values.get(i).floatValue();
            }
            vectors.add(vector);
        }
        return vectors;
    }

    /** The Gemini API reports no usage for embeddings (Vertex AI does); 0 unless a count is present. */
    static long inputTokens(JsonNode response) {
        return response.path("usageMetadata").path("promptTokenCount").asLong(0);
    }
}
