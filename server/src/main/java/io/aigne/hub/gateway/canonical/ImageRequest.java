package io.aigne.hub.gateway.canonical;

/**
 * An image generation call in OpenAI's vocabulary, which every front door already speaks: {@code size} as
 * "WIDTHxHEIGHT", {@code quality} and {@code style} as OpenAI names them (adapters map them to the nearest native
 * setting), {@code responseFormat} "url" or "b64_json" (null: the provider's default), and
 * {@code negativePrompt} for providers that take one.
 */
public record ImageRequest(String model, String prompt, int n, String size, String quality, String style,
                           String responseFormat, String negativePrompt, String user) {
    public boolean wantsBase64() {
        return "b64_json".equals(responseFormat);
    }
}
