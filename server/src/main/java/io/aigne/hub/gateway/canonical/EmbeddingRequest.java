package io.aigne.hub.gateway.canonical;

import java.util.List;

/** Texts to embed; {@code dimensions} asks for shortened vectors where the model supports it (null: native size). */
public record EmbeddingRequest(String model, List<String> inputs, Integer dimensions, String user) {
    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
    }
}
