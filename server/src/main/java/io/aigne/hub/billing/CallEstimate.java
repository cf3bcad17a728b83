package io.aigne.hub.billing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.aigne.hub.server.Json;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;

import java.io.IOException;
import java.util.Set;

/**
 * What a call may cost at most, read from its request body before it starts, for the credit hold: input tokens
 * estimated from the text (about four characters a token, the usual rule for English with the providers'
 * tokenizers, rounded up), a fixed allowance per inline image or file, and the output the call allows itself
 * (its {@code max_tokens} in whichever spelling its protocol uses) or, when it names none, the configured cap.
 * Images and video seconds come from {@code n} and {@code seconds}/{@code duration}.
 */
public record CallEstimate(long inputTokens, long outputTokens, int images, int videoSeconds) {
    /** Tokens reserved for each inline image or document (base64 or data URL); providers charge 85 to ~1,600. */
    static final int TOKENS_PER_INLINE_MEDIA = 1_600;
    /** Seconds reserved for a video request that names no length (Veo makes 8, Sora 4 by default). */
    static final int DEFAULT_VIDEO_SECONDS = 8;
    /** A base64 string at least this long is taken for inline media, not text. */
    private static final int INLINE_MEDIA_MIN_CHARS = 2_048;
    private static final Set<String> OUTPUT_LIMITS = Set.of("max_tokens", "max_completion_tokens",
            "max_output_tokens", "maxTokens", "maxOutputTokens", "maxTokensToSample");

    /** The usage a call of this type may reach: images and seconds count only for image and video calls. */
    public Usage usage(CallType type) {
        return switch (type) {
            case IMAGE -> new Usage(inputTokens, 0, 0, 0, 0, inputTokens, Math.max(1, images), 0);
            case VIDEO -> new Usage(inputTokens, 0, 0, 0, 0, inputTokens, 0,
                    videoSeconds > 0 ? videoSeconds : DEFAULT_VIDEO_SECONDS);
            case EMBEDDING -> new Usage(inputTokens, 0, 0, 0, 0, inputTokens, 0, 0);
            case CHAT -> new Usage(inputTokens, outputTokens, 0, 0, 0, inputTokens + outputTokens, 0, 0);
        };
    }

    /** Reads the estimate from a request body; {@code defaultOutputTokens} when it sets no output limit. */
    public static CallEstimate of(byte[] body, int defaultOutputTokens) {
        if (body == null || body.length == 0) {
            return new CallEstimate(0, defaultOutputTokens, 1, 0);
        }
        long textChars = 0;
        long media = 0;
        long outputLimit = -1;
        int images = 1;
        int videoSeconds = 0;
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> field = p.currentName();
                    case VALUE_STRING -> {
                        int length = p.getTextLength();
                        if (isInlineMedia(p, length)) {
                            media++;
                        } else {
                            textChars += length;
                        }
                    }
                    case VALUE_NUMBER_INT -> {
                        long value = p.getValueAsLong();
                        if (field != null && OUTPUT_LIMITS.contains(field) && p.getParsingContext().getParent() != null) {
                            outputLimit = Math.max(outputLimit, value);
                        } else if ("n".equals(field) && value > 0 && value <= 100) {
                            images = (int) value;
                        } else if (("seconds".equals(field) || "duration".equals(field)) && value > 0) {
                            videoSeconds = (int) Math.min(value, 3_600);
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // The door rejects a body it cannot read; a reservation of what was seen is enough until then.
        }
        long input = (textChars + 3) / 4 + media * TOKENS_PER_INLINE_MEDIA;
        long output = outputLimit >= 0 ? outputLimit : defaultOutputTokens;
        return new CallEstimate(input, output, images, videoSeconds);
    }

    private static boolean isInlineMedia(JsonParser p, int length) throws IOException {
        if (length < INLINE_MEDIA_MIN_CHARS) {
            return false;
        }
        char[] chars = p.getTextCharacters();
        int start = p.getTextOffset();
        if (length > 5 && chars[start] == 'd' && new String(chars, start, 5).equals("data:")) {
            return true;
        }
        // A long string without spaces is base64, not prose.
        for (int i = start, end = start + Math.min(length, 256); i < end; i++) {
            if (chars[i] == ' ' || chars[i] == '\n') {
                return false;
            }
        }
        return true;
    }
}
