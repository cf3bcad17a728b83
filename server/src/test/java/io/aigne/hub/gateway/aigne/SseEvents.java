package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.server.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An SSE body split into events the way the AIGNE clients read it (eventsource-parser): blank-line separated,
 * {@code event:} naming the event, {@code data:} lines joined. {@link #merged} applies the client's merge rule
 * (AgentResponseStreamParser): {@code delta.json} keys are assigned, {@code delta.text} strings appended.
 */
record SseEvents(List<Event> events) {

    record Event(String name, String data) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + data, e);
            }
        }
    }

    static SseEvents parse(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(6));
                } else {
                    throw new AssertionError("unexpected SSE line: " + line);
                }
            }
            events.add(new Event(name, data.toString()));
        }
        return new SseEvents(events);
    }

    List<JsonNode> unnamed() {
        return events.stream().filter(e -> e.name() == null).map(Event::json).toList();
    }

    /** The concatenated {@code delta.text.<key>} pieces, in order. */
    List<String> textPieces(String key) {
        return unnamed().stream().map(e -> e.path("delta").path("text").path(key))
                .filter(JsonNode::isTextual).map(JsonNode::asText).toList();
    }

    /** The output object the client ends up with. */
    ObjectNode merged() {
        ObjectNode output = Json.object();
        for (JsonNode chunk : unnamed()) {
            JsonNode json = chunk.path("delta").path("json");
            if (json.isObject()) {
                output.setAll((ObjectNode) json);
            }
            JsonNode text = chunk.path("delta").path("text");
            for (Iterator<Map.Entry<String, JsonNode>> it = text.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> piece = it.next();
                output.put(piece.getKey(), output.path(piece.getKey()).asText("") + piece.getValue().asText());
            }
        }
        return output;
    }
}
