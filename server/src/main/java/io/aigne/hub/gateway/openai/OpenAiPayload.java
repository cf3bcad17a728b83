package io.aigne.hub.gateway.openai;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An OpenAI request body, read once with the streaming parser: only the top-level fields the hub acts on are
 * looked at (their types checked, naming the field on error), everything else is skipped unparsed and reaches
 * the provider byte for byte. Rewriting the model id is a splice at the recorded offsets, not a re-serialisation.
 */
public final class OpenAiPayload {
    public enum Kind { CHAT, EMBEDDINGS, IMAGES }

    private static final byte[] STREAM_OPTIONS_WITH_USAGE =
            "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.US_ASCII);

    private final byte[] body;
    private final String model;
    private final int modelStart;
    private final int modelEnd;
    private final int objectStart;
    private final boolean stream;
    private final boolean hasStreamOptions;
    private final boolean includeUsage;

    private OpenAiPayload(byte[] body, String model, int modelStart, int modelEnd, int objectStart, boolean stream,
                          boolean hasStreamOptions, boolean includeUsage) {
        this.body = body;
        this.model = model;
        this.modelStart = modelStart;
        this.modelEnd = modelEnd;
        this.objectStart = objectStart;
        this.stream = stream;
        this.hasStreamOptions = hasStreamOptions;
        this.includeUsage = includeUsage;
    }

    public static OpenAiPayload parse(byte[] body, Kind kind) {
        if (body.length == 0) {
            throw ApiException.invalid(null, "the request body is empty; send a JSON object with at least 'model'");
        }
        String model = null;
        int modelStart = -1;
        int modelEnd = -1;
        int objectStart;
        boolean stream = false;
        boolean hasStreamOptions = false;
        boolean includeUsage = false;
        boolean sawMessages = false;
        boolean sawInput = false;
        boolean sawPrompt = false;
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.invalid(null, "the request body must be a JSON object");
            }
            objectStart = (int) p.currentTokenLocation().getByteOffset();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "model" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw ApiException.invalid("model", "'model' must be a string such as \"openai/gpt-4o-mini\"");
                        }
                        modelStart = (int) p.currentTokenLocation().getByteOffset();
                        model = p.getText();
                        modelEnd = endOfString(body, modelStart);
                    }
                    case "stream" -> {
                        if (value == JsonToken.VALUE_TRUE) {
                            stream = true;
                        } else if (value != JsonToken.VALUE_FALSE && value != JsonToken.VALUE_NULL) {
                            throw ApiException.invalid("stream", "'stream' must be true or false");
                        }
                    }
                    case "stream_options" -> {
                        if (value == JsonToken.START_OBJECT) {
                            hasStreamOptions = true;
                            includeUsage = readIncludeUsage(p);
                        } else if (value == JsonToken.VALUE_NULL) {
                            // Present but null: it must be replaced, not joined by a second member of the same name.
                            hasStreamOptions = true;
                        } else {
                            throw ApiException.invalid("stream_options", "'stream_options' must be an object such as "
                                    + "{\"include_usage\": true}");
                        }
                    }
                    case "messages" -> {
                        if (kind == Kind.CHAT) {
                            if (value != JsonToken.START_ARRAY) {
                                throw ApiException.invalid("messages", "'messages' must be an array of message objects");
                            }
                            checkMessages(p);
                            sawMessages = true;
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "input" -> {
                        if (kind == Kind.EMBEDDINGS) {
                            checkEmbeddingInput(p, value);
                            sawInput = true;
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "prompt" -> {
                        if (kind == Kind.IMAGES) {
                            if (value != JsonToken.VALUE_STRING || p.getText().isBlank()) {
                                throw ApiException.invalid("prompt", "'prompt' must be a non-empty string describing the image");
                            }
                            sawPrompt = true;
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "n" -> {
                        if (value != JsonToken.VALUE_NULL && (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 1)) {
                            throw ApiException.invalid("n", "'n' must be a positive integer");
                        }
                    }
                    case "max_tokens", "max_completion_tokens" -> {
                        if (value != JsonToken.VALUE_NULL && (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 1)) {
                            throw ApiException.invalid(field, "'" + field + "' must be a positive integer");
                        }
                    }
                    case "temperature", "top_p" -> {
                        if (value != JsonToken.VALUE_NULL && !value.isNumeric()) {
                            throw ApiException.invalid(field, "'" + field + "' must be a number");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw ApiException.invalid(null, "the request body is not a complete JSON object");
            }
            if (p.nextToken() != null) {
                throw ApiException.invalid(null, "the request body has content after the JSON object");
            }
        } catch (JsonParseException e) {
            long at = e.getLocation().getCharOffset() >= 0 ? e.getLocation().getCharOffset()
                    : e.getLocation().getByteOffset();
            throw ApiException.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage()
                    + (at >= 0 ? " (at byte " + at + ")" : ""));
        } catch (IOException e) {
            throw ApiException.invalid(null, "the request body could not be read: " + e.getMessage());
        }
        if (model == null) {
            throw ApiException.invalid("model", "'model' is required: name the model as provider/model, "
                    + "e.g. \"openai/gpt-4o-mini\" (GET /v1/models lists them)");
        }
        if (model.isBlank()) {
            throw ApiException.invalid("model", "'model' must not be empty");
        }
        if (kind == Kind.CHAT && !sawMessages) {
            throw ApiException.invalid("messages", "'messages' is required: an array such as "
                    + "[{\"role\": \"user\", \"content\": \"Hello\"}]");
        }
        if (kind == Kind.EMBEDDINGS && !sawInput) {
            throw ApiException.invalid("input", "'input' is required: a string or an array of strings to embed");
        }
        if (kind == Kind.IMAGES && !sawPrompt) {
            throw ApiException.invalid("prompt", "'prompt' is required: a description of the image to generate");
        }
        return new OpenAiPayload(body, model, modelStart, modelEnd, objectStart, stream, hasStreamOptions, includeUsage);
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** Whether the caller asked to receive the usage chunk of a stream. */
    public boolean callerWantsUsage() {
        return includeUsage;
    }

    /**
     * The body to send upstream: the model replaced by the provider's id and, for a stream whose caller did not
     * ask for usage, {@code stream_options.include_usage} added so that the hub can record real usage.
     */
    public byte[] forUpstream(String upstreamModel) {
        byte[] quoted = quote(upstreamModel);
        boolean addUsage = stream && !includeUsage;
        if (addUsage && hasStreamOptions) {
            return rewriteStreamOptions(upstreamModel);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + quoted.length + 48);
        int cursor = 0;
        if (addUsage) {
            out.write(body, 0, objectStart + 1);
            out.writeBytes(STREAM_OPTIONS_WITH_USAGE);
            cursor = objectStart + 1;
        }
        out.write(body, cursor, modelStart - cursor);
        out.writeBytes(quoted);
        out.write(body, modelEnd, body.length - modelEnd);
        return out.toByteArray();
    }

    private byte[] rewriteStreamOptions(String upstreamModel) {
        ObjectNode tree = Json.parseObject(body);
        tree.put("model", upstreamModel);
        ObjectNode options = tree.get("stream_options") instanceof ObjectNode o ? o : tree.putObject("stream_options");
        options.put("include_usage", true);
        return Json.bytes(tree);
    }

    private static boolean readIncludeUsage(JsonParser p) throws IOException {
        boolean include = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("include_usage".equals(name)) {
                if (v == JsonToken.VALUE_TRUE) {
                    include = true;
                } else if (v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL) {
                    throw ApiException.invalid("stream_options.include_usage", "'stream_options.include_usage' must be true or false");
                }
            } else {
                p.skipChildren();
            }
        }
        return include;
    }

    private static void checkMessages(JsonParser p) throws IOException {
        int count = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw ApiException.invalid("messages[" + count + "]", "each message must be an object with 'role' and 'content'");
            }
            boolean hasRole = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("role".equals(name)) {
                    if (v != JsonToken.VALUE_STRING) {
                        throw ApiException.invalid("messages[" + count + "].role", "'role' must be a string such as \"user\"");
                    }
                    hasRole = true;
                }
                p.skipChildren();
            }
            if (!hasRole) {
                throw ApiException.invalid("messages[" + count + "].role", "message " + count + " has no 'role'");
            }
            count++;
        }
        if (count == 0) {
            throw ApiException.invalid("messages", "'messages' must contain at least one message");
        }
    }

    private static void checkEmbeddingInput(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return;
        }
        if (value != JsonToken.START_ARRAY) {
            throw ApiException.invalid("input", "'input' must be a string or an array of strings (or of token arrays)");
        }
        int count = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            count++;
        }
        if (count == 0) {
            throw ApiException.invalid("input", "'input' must not be an empty array");
        }
    }

    /** The offset just past the closing quote of the JSON string that starts at {@code start}. */
    private static int endOfString(byte[] body, int start) {
        int i = start + 1;
        while (i < body.length) {
            byte b = body[i];
            if (b == '\\') {
                i += 2;
                continue;
            }
            if (b == '"') {
                return i + 1;
            }
            i++;
        }
        throw ApiException.invalid("model", "'model' is not a complete string");
    }

    private static byte[] quote(String value) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(value);
        byte[] out = new byte[escaped.length + 2];
        out[0] = '"';
        System.arraycopy(escaped, 0, out, 1, escaped.length);
        out[out.length - 1] = '"';
        return out;
    }
}
