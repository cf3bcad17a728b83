package io.aigne.hub.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.playground.Conversation;
import io.aigne.hub.playground.ConversationStore;
import io.aigne.hub.playground.PlaygroundAccess;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Set;

/**
 * The playground's saved conversations, each user's own: {@code GET/POST /api/playground/conversations} and
 * {@code GET/PUT/DELETE /api/playground/conversations/{id}}; and {@code GET /api/playground/access}, which tells the
 * pages whether the caller may call models from the playground (guests only when the hub allows it). A conversation
 * of another user answers 404, as if it did not exist.
 */
public final class PlaygroundConversationsApi {
    /** A long chat with code in it fits; a runaway page cannot fill the database. */
    static final long MAX_BODY = 1024 * 1024;
    static final int MAX_MESSAGES = 500;
    static final int MAX_TITLE = 200;
    static final int MAX_MODEL = 200;
    static final int MAX_SYSTEM_PROMPT = 20_000;
    static final int MAX_CONVERSATIONS = 1000;
    private static final int LIST_LIMIT = 200;
    private static final int TITLE_FROM_MESSAGE = 80;
    private static final Set<String> ROLES = Set.of("user", "assistant");

    private final Authenticator auth;
    private final ConversationStore store;
    private final PlaygroundAccess access;
    private final long maxBodyBytes;

    public PlaygroundConversationsApi(Authenticator auth, ConversationStore store, PlaygroundAccess access,
                                      long maxBodyBytes) {
        this.auth = auth;
        this.store = store;
        this.access = access;
        this.maxBodyBytes = Math.min(maxBodyBytes, MAX_BODY);
    }

    public void register(HttpRules rules) {
        rules.get("/api/playground/access", this::access)
                .get("/api/playground/conversations", this::list)
                .post("/api/playground/conversations", this::create)
                .get("/api/playground/conversations/{id}", this::get)
                .put("/api/playground/conversations/{id}", this::update)
                .delete("/api/playground/conversations/{id}", this::delete);
    }

    private void access(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        boolean allowed = access.allows(p);
        ObjectNode out = Json.object().put("allowed", allowed).put("role", p.role().wireName());
        if (!allowed) {
            out.put("message", PlaygroundAccess.CLOSED_TO_GUESTS);
        }
        Exchange.json(res, 200, out);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        ArrayNode list = Json.MAPPER.createArrayNode();
        store.list(p.userId(), LIST_LIMIT).forEach(c -> list.add(summary(c)));
        Exchange.json(res, 200, Json.object().set("conversations", list));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        ArrayNode messages = messages(body);
        if (messages == null) {
            messages = Json.MAPPER.createArrayNode();
        }
        if (store.count(p.userId()) >= MAX_CONVERSATIONS) {
            throw new ApiException(409, "invalid_request_error", "too_many_conversations", null, "you have "
                    + MAX_CONVERSATIONS + " saved conversations, the most the playground keeps: delete some first");
        }
        String title = title(body);
        Conversation made = store.create(p.userId(), title != null ? title : titleFrom(messages), model(body),
                systemPrompt(body), messages.toString());
        Exchange.json(res, 201, full(made));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        Exchange.json(res, 200, full(conversation(p, Fields.path(req, "id"))));
    }

    /** Changes any of title, model, systemPrompt and messages; the others stay as they were. */
    private void update(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        Conversation current = conversation(p, Fields.path(req, "id"));
        ObjectNode body = Exchange.jsonBody(req, maxBodyBytes);
        String title = title(body);
        ArrayNode messages = messages(body);
        Conversation changed = new Conversation(current.id(), current.userId(),
                title != null ? title : current.title(),
                body.has("model") ? model(body) : current.model(),
                body.has("systemPrompt") ? systemPrompt(body) : current.systemPrompt(),
                messages != null ? messages.toString() : current.messages(),
                current.createdAt(), current.updatedAt());
        Exchange.json(res, 200, full(store.update(changed)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Principal p = auth.require(req);
        String id = Fields.path(req, "id");
        if (!store.delete(p.userId(), id)) {
            throw notFound(id);
        }
        Exchange.json(res, 200, Json.object().put("deleted", true).put("id", id));
    }

    private Conversation conversation(Principal p, String id) {
        return store.find(p.userId(), id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("not_found", "you have no saved conversation with id " + id);
    }

    private static String title(ObjectNode body) {
        String title = Fields.text(body, "title");
        if (title == null) {
            return null;
        }
        title = title.strip();
        if (title.isEmpty() || title.length() > MAX_TITLE) {
            throw ApiException.invalid("title", "'title' must be 1 to " + MAX_TITLE + " characters");
        }
        return title;
    }

    private static String model(ObjectNode body) {
        String model = Fields.text(body, "model");
        if (model != null && model.length() > MAX_MODEL) {
            throw ApiException.invalid("model", "'model' has at most " + MAX_MODEL + " characters");
        }
        return model == null || model.isBlank() ? null : model.strip();
    }

    private static String systemPrompt(ObjectNode body) {
        String prompt = Fields.text(body, "systemPrompt");
        if (prompt != null && prompt.length() > MAX_SYSTEM_PROMPT) {
            throw ApiException.invalid("systemPrompt", "'systemPrompt' has at most " + MAX_SYSTEM_PROMPT
                    + " characters");
        }
        return prompt == null || prompt.isBlank() ? null : prompt;
    }

    /**
     * {@code [{role: "user"|"assistant", content: string, stats?: object}]}: what the page shows, so what it can
     * reopen. Other fields of a message are dropped rather than stored unchecked.
     */
    private static ArrayNode messages(ObjectNode body) {
        JsonNode v = body.get("messages");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.invalid("messages", "'messages' must be an array of {role, content} objects");
        }
        if (v.size() > MAX_MESSAGES) {
            throw ApiException.invalid("messages", "'messages' has at most " + MAX_MESSAGES + " messages; start a "
                    + "new chat");
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < v.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode m = v.get(i);
            if (!m.isObject()) {
                throw ApiException.invalid(at, "'" + at + "' must be an object {role, content}");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiException.invalid(at + ".role", "'" + at + ".role' must be user or assistant");
            }
            JsonNode content = m.get("content");
            if (content == null || !content.isTextual()) {
                throw ApiException.invalid(at + ".content", "'" + at + ".content' must be a string");
            }
            ObjectNode kept = out.addObject().put("role", role.asText()).put("content", content.asText());
            JsonNode stats = m.get("stats");
            if (stats != null && !stats.isNull()) {
                if (!stats.isObject()) {
                    throw ApiException.invalid(at + ".stats", "'" + at + ".stats' must be an object");
                }
                kept.set("stats", stats);
            }
        }
        return out;
    }

    /** The first user message, on one line and cut to a readable length. */
    private static String titleFrom(ArrayNode messages) {
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asText())) {
                String text = m.path("content").asText().strip().replaceAll("\\s+", " ");
                if (!text.isEmpty()) {
                    return text.length() <= TITLE_FROM_MESSAGE ? text
                            : text.substring(0, TITLE_FROM_MESSAGE - 1) + "…";
                }
            }
        }
        return "New chat";
    }

    private static ObjectNode summary(Conversation c) {
        ObjectNode o = Json.object();
        o.put("id", c.id());
        o.put("title", c.title());
        o.put("model", c.model());
        o.put("createdAt", c.createdAt());
        o.put("updatedAt", c.updatedAt());
        return o;
    }

    private static ObjectNode full(Conversation c) {
        ObjectNode o = summary(c);
        o.put("systemPrompt", c.systemPrompt());
        try {
            o.set("messages", Json.MAPPER.readTree(c.messages()));
        } catch (JsonProcessingException e) {
            // Stored by this API, so always an array; an unreadable row shows as empty rather than failing the page.
            o.putArray("messages");
        }
        return o;
    }
}
