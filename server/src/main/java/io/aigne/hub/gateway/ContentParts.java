package io.aigne.hub.gateway;

import static io.aigne.hub.gateway.JsonFields.path;
import static io.aigne.hub.gateway.JsonFields.requiredString;
import static io.aigne.hub.gateway.JsonFields.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.server.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A message's {@code content} as every front door takes it: a string, or an array of typed parts. The walk is
 * shared; what differs between doors (and between roles within a door) is configured on an immutable reader:
 * which parts an array may hold ({@link PartReader}), what absent or null content means, whether an empty string
 * counts as a part, and how a value of the wrong type is described. Errors name the full path, e.g.
 * {@code messages[2].content[1].type}, so each door keeps the exact 400 messages its clients know.
 *
 * @param <T> what a part becomes: {@link ContentPart.Text} for text-only roles, {@link ContentPart} otherwise
 */
public final class ContentParts<T> {
    /** How OpenAI-style doors say a part must be a text part. */
    public static final String TEXT_PART = "a text part ({\"type\": \"text\", \"text\": \"...\"})";

    /** The 400 for absent content worded as {@link JsonFields#requiredString} does: {@code 'x.content' is required}. */
    public static final Function<String, ApiException> REQUIRED =
            at -> ApiException.invalid(at, "'" + at + "' is required");

    /** Maps one element of a content array; {@code at} is its path, e.g. {@code messages[0].content[2]}. */
    @FunctionalInterface
    public interface PartReader<T> {
        T read(JsonNode part, String at);
    }

    /** Maps an object part by its {@code type}, already read as a required string. */
    @FunctionalInterface
    public interface TypedPartReader<T> {
        T read(String type, JsonNode part, String at);
    }

    private final String expected;
    private final Function<String, ? extends T> text;
    private final PartReader<? extends T> part;
    private final Function<String, ApiException> whenAbsent;
    private final boolean dropEmptyText;

    private ContentParts(String expected, Function<String, ? extends T> text, PartReader<? extends T> part,
                         Function<String, ApiException> whenAbsent, boolean dropEmptyText) {
        this.expected = expected;
        this.text = text;
        this.part = part;
        this.whenAbsent = whenAbsent;
        this.dropEmptyText = dropEmptyText;
    }

    /**
     * A reader whose string content becomes {@code text.apply(string)} and whose array elements go through
     * {@code part}; content of any other type is a 400 saying it must be {@code expected}. Absent or null content
     * reads as no parts and an empty string as one empty text, until {@link #required} or {@link #dropEmptyText}.
     */
    public static <T> ContentParts<T> of(String expected, Function<String, ? extends T> text,
                                         PartReader<? extends T> part) {
        return new ContentParts<>(expected, text, part, null, false);
    }

    /** The same reader, refusing absent or null content with the error {@code missing} builds for its path. */
    public ContentParts<T> required(Function<String, ApiException> missing) {
        return new ContentParts<>(expected, text, part, missing, dropEmptyText);
    }

    /** The same reader, taking absent or null content as no parts. */
    public ContentParts<T> optional() {
        return new ContentParts<>(expected, text, part, null, dropEmptyText);
    }

    /** The same reader, taking an empty string as no parts rather than one empty text. */
    public ContentParts<T> dropEmptyText() {
        return new ContentParts<>(expected, text, part, whenAbsent, true);
    }

    /** The parts of {@code message.content}, where {@code at} is the message's path. */
    public List<T> read(JsonNode message, String at) {
        String contentPath = path(at, "content");
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            if (whenAbsent != null) {
                throw whenAbsent.apply(contentPath);
            }
            return List.of();
        }
        if (content.isTextual()) {
            String value = content.asText();
            return dropEmptyText && value.isEmpty() ? List.of() : List.of(text.apply(value));
        }
        if (!content.isArray()) {
            throw wrongType(contentPath, expected);
        }
        List<T> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            parts.add(part.read(content.get(i), contentPath + "[" + i + "]"));
        }
        return parts;
    }

    /** Parts that may only be {@code {"type": "text", ...}} objects; anything else is a 400 saying {@code expected}. */
    public static <T> PartReader<T> textOnly(String expected, PartReader<T> text) {
        return (part, at) -> {
            if (!part.isObject() || !"text".equals(part.path("type").asText())) {
                throw wrongType(at, expected);
            }
            return text.read(part, at);
        };
    }

    /** Parts that must be objects ({@code expected} otherwise) with a required {@code type}, mapped by it. */
    public static <T> PartReader<T> typed(String expected, TypedPartReader<T> reader) {
        return (part, at) -> {
            if (!part.isObject()) {
                throw wrongType(at, expected);
            }
            return reader.read(requiredString(part, "type", at), part, at);
        };
    }

    /** A text part's required {@code text}. */
    public static ContentPart.Text text(JsonNode part, String at) {
        return new ContentPart.Text(requiredString(part, "text", at));
    }
}
