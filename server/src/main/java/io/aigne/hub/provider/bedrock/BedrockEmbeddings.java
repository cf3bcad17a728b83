package io.aigne.hub.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.gateway.canonical.EmbeddingRequest;
import io.aigne.hub.provider.ProviderFailure;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The InvokeModel bodies and answers of the embedding models on Bedrock, which (unlike chat) have no common API:
 * each family speaks its vendor's own JSON.
 *
 * <ul>
 *   <li>Amazon Titan Text Embeddings: one text per call, {@code {inputText, dimensions?}} to
 *       {@code {embedding, inputTextTokenCount}}; G1 ({@code -v1}) has a fixed size of 1536, V2 takes 256, 512 or
 *       1024.</li>
 *   <li>Cohere Embed: up to 96 texts per call, {@code {texts, input_type}} to {@code {embeddings}}; v3 vectors have
 *       1024 dimensions, v4 takes {@code output_dimension} 256, 512, 1024 or 1536 and answers the vectors by type.
 *       Texts are embedded as {@code search_document}, the type for what is stored and searched (the OpenAI
 *       embeddings API the callers speak has no notion of a query type). Cohere's answer carries no token count:
 *       Bedrock sends it in the {@code X-Amzn-Bedrock-Input-Token-Count} header.</li>
 * </ul>
 */
final class BedrockEmbeddings {
    static final int COHERE_BATCH = 96;

    enum Family { TITAN_V1, TITAN_V2, COHERE_V3, COHERE_V4 }

    /** One answer: its vectors in input order, and its token count if the body had one. */
    record Answer(List<float[]> vectors, OptionalLong tokens) {
    }

    private BedrockEmbeddings() {
    }

    /** The family of an embedding model id (plain, cross-region {@code us.…} or ARN), or null if unknown. */
    static Family family(String modelId) {
        String id = modelId.toLowerCase(Locale.ROOT);
        if (id.contains("amazon.titan-embed-text-v2")) {
            return Family.TITAN_V2;
        }
        if (id.contains("amazon.titan-embed-text-v1") || id.contains("amazon.titan-embed-g1-text")) {
            return Family.TITAN_V1;
        }
        if (id.contains("cohere.embed-english-v3") || id.contains("cohere.embed-multilingual-v3")) {
            return Family.COHERE_V3;
        }
        if (id.contains("cohere.embed-v4")) {
            return Family.COHERE_V4;
        }
        return null;
    }

    /** The InvokeModel bodies for the request, one per call, in input order. */
    static List<ObjectNode> bodies(Family family, String modelId, EmbeddingRequest request) {
        if (request.inputs().isEmpty()) {
            throw ApiException.invalid("input", "give at least one text to embed");
        }
        Integer dimensions = checkedDimensions(family, modelId, request.dimensions());
        List<ObjectNode> bodies = new ArrayList<>();
        switch (family) {
            case TITAN_V1, TITAN_V2 -> {
                for (String input : request.inputs()) {
                    ObjectNode body = Json.object().put("inputText", input);
                    if (dimensions != null) {
                        body.put("dimensions", dimensions);
                    }
                    bodies.add(body);
                }
            }
            case COHERE_V3, COHERE_V4 -> {
                for (int from = 0; from < request.inputs().size(); from += COHERE_BATCH) {
                    ObjectNode body = Json.object();
                    ArrayNode texts = body.putArray("texts");
                    request.inputs().subList(from, Math.min(from + COHERE_BATCH, request.inputs().size()))
                            .forEach(texts::add);
                    body.put("input_type", "search_document");
                    if (family == Family.COHERE_V4) {
                        body.putArray("embedding_types").add("float");
                        if (dimensions != null) {
                            body.put("output_dimension", dimensions);
                        }
                    }
                    bodies.add(body);
                }
            }
        }
        return bodies;
    }

    /** The dimensions to send (null: the model's native size), or a 400 naming the sizes the model has. */
    private static Integer checkedDimensions(Family family, String modelId, Integer dimensions) {
        if (dimensions == null) {
            return null;
        }
        Set<Integer> allowed = switch (family) {
            case TITAN_V1 -> Set.of(1536);
            case TITAN_V2 -> Set.of(256, 512, 1024);
            case COHERE_V3 -> Set.of(1024);
            case COHERE_V4 -> Set.of(256, 512, 1024, 1536);
        };
        if (!allowed.contains(dimensions)) {
            throw ApiException.invalid("dimensions", modelId + " makes vectors of "
                    + allowed.stream().sorted().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElseThrow()
                    + " dimensions, not " + dimensions + "; pick one of those or leave dimensions out");
        }
        // Fixed-size models take no size parameter at all.
        return family == Family.TITAN_V1 || family == Family.COHERE_V3 ? null : dimensions;
    }

    /** Reads one InvokeModel answer, which must hold {@code expected} vectors. */
    static Answer read(Family family, byte[] body, int expected) throws ProviderFailure {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ProviderFailure.broken("Bedrock's embedding answer is not valid JSON: " + e.getMessage(), false);
        }
        if (root == null || !root.isObject()) {
            throw ProviderFailure.broken("Bedrock's embedding answer is not a JSON object", false);
        }
        List<float[]> vectors = new ArrayList<>();
        OptionalLong tokens = OptionalLong.empty();
        switch (family) {
            case TITAN_V1, TITAN_V2 -> {
                vectors.add(vector(root.path("embedding")));
                if (root.path("inputTextTokenCount").canConvertToLong()) {
                    tokens = OptionalLong.of(root.path("inputTextTokenCount").asLong());
                }
            }
            case COHERE_V3, COHERE_V4 -> {
                JsonNode embeddings = root.path("embeddings");
                if (embeddings.isObject()) {
                    embeddings = embeddings.path("float");
                }
                for (JsonNode embedding : embeddings) {
                    vectors.add(vector(embedding));
                }
            }
        }
        if (vectors.size() != expected) {
            throw ProviderFailure.broken("Bedrock answered " + vectors.size() + " embeddings for " + expected
                    + " inputs", false);
        }
        return new Answer(vectors, tokens);
    }

    private static float[] vector(JsonNode array) throws ProviderFailure {
        if (!array.isArray() || array.isEmpty()) {
            throw ProviderFailure.broken("Bedrock's embedding answer has no vector", false);
        }
        float[] vector = new float[array.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber()) {
                throw ProviderFailure.broken("Bedrock's embedding vector holds a non-number", false);
            }
            vector[i] = value.floatValue();
        }
        return vector;
    }
}
