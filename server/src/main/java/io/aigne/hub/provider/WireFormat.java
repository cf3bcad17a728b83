package io.aigne.hub.provider;

/** The API dialect a provider speaks upstream. */
public enum WireFormat {
    /** OpenAI's REST API (chat completions, embeddings, images); calls pass through with minimal rewriting. */
    OPENAI,
    ANTHROPIC,
    GEMINI,
    BEDROCK,
    IDEOGRAM
}
