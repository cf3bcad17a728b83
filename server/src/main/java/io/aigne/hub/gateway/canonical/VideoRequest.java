package io.aigne.hub.gateway.canonical;

/**
 * A video generation call: {@code seconds} is the clip length asked for (null: the model's default), {@code size}
 * is "WIDTHxHEIGHT" as OpenAI names it and {@code aspectRatio} "W:H" as Google names it (adapters take whichever
 * their API speaks and derive it from the other when only that one is set), {@code n} how many clips (0: one).
 */
public record VideoRequest(String model, String prompt, Integer seconds, String size, String aspectRatio, int n,
                           String negativePrompt, String user) {
    public int count() {
        return n <= 0 ? 1 : n;
    }
}
