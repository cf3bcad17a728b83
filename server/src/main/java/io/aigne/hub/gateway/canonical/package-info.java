/**
 * The one model every front door maps into and every provider adapter maps out of: chat requests, answers and
 * stream events, embeddings and images. Nothing here knows a wire format; provider-specific details that have no
 * common meaning stay with the adapter that understands them.
 *
 * <p>Token counts follow one convention in both directions: {@code inputTokens} counts every prompt token,
 * cached or not (OpenAI's {@code prompt_tokens}); {@code cachedTokens} (cache reads) and
 * {@code cacheWriteTokens} are the parts of it served from or written to the provider's prompt cache. Adapters
 * whose provider reports them separately (Anthropic, Bedrock) add them up on the way in and split them on the way
 * out.
 */
package io.aigne.hub.gateway.canonical;
