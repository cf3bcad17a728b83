package io.aigne.hub.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A local Stripe: the part of its API the hub uses, and its webhooks, written from Stripe's API reference and
 * webhook documentation (and checked against Stripe's own Java SDK in {@code FakeStripeTest}).
 *
 * <ul>
 *   <li>{@code POST /v1/checkout/sessions}: form-encoded parameters, a secret key as {@code Authorization: Bearer}
 *   (or HTTP Basic user name), required parameters checked and unknown ones refused with Stripe's error shape
 *   {@code {"error":{"type","code","message","param","doc_url"}}}; {@code Idempotency-Key} replays the first answer
 *   (header {@code Idempotent-Replayed: true}) and refuses the key with other parameters.</li>
 *   <li>{@code GET /v1/checkout/sessions/{id}}.</li>
 *   <li>Paying a session ({@link #pay}, {@link #completeUnpaid} then {@link #asyncPaymentSucceeded}…) builds the event
 *   Stripe would send ({@code object: "event"}, {@code data.object} = the session as it is then); {@link #deliver}
 *   POSTs it to the webhook URL with {@code Stripe-Signature: t=<now>,v1=<HMAC-SHA256 of "t.payload">,v0=<…>} like
 *   a test-mode endpoint, every attempt signed afresh. {@link Signing} makes wrong, stale, rotated or tampered
 *   deliveries.</li>
 * </ul>
 */
public final class FakeStripe extends FakeProviderServer<FakeStripe.Request> {
    public static final String API_VERSION = "2025-03-31.basil";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern TOP_LEVEL = Pattern.compile(
            "mode|success_url|cancel_url|client_reference_id|customer|customer_email|locale|expires_at"
                    + "|allow_promotion_codes|billing_address_collection|submit_type|ui_mode");
    private static final Pattern NESTED = Pattern.compile(String.join("|",
            "metadata\\[[^\\[\\]]+]",
            "line_items\\[\\d+]\\[(quantity|price)]",
            "line_items\\[\\d+]\\[price_data]\\[(currency|unit_amount|unit_amount_decimal|product|tax_behavior)]",
            "line_items\\[\\d+]\\[price_data]\\[product_data]\\[(name|description)]",
            "payment_method_types\\[\\d+]",
            "adaptive_pricing\\[enabled]",
            "payment_intent_data\\[description]",
            "payment_intent_data\\[metadata]\\[[^\\[\\]]+]"));
    private static final Set<String> MODES = Set.of("payment", "subscription", "setup");

    /** One API request as received; {@code form} holds the decoded parameters in the order sent. */
    public record Request(String method, String path, Map<String, String> headers, Map<String, String> form) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** An event as Stripe would send it; {@code json} is the exact payload (pretty-printed, as Stripe's are). */
    public record Event(String id, String type, String json) {
    }

    /** One webhook delivery as it was sent, and what the receiver answered. */
    public record Delivery(Event event, byte[] payload, String signatureHeader, int status, String responseBody) {
        public JsonNode response() {
            return parseJson(responseBody);
        }
    }

    /** A signed payload, not sent. */
    public record Signed(byte[] payload, String header) {
        public String payloadText() {
            return new String(payload, UTF_8);
        }
    }

    /**
     * How a delivery is signed: normally with the endpoint secret at the current time. {@code age} moves the
     * timestamp into the past, {@code secret} replaces the endpoint secret, {@code alsoSignedWith} adds a {@code v1}
     * per extra secret (Stripe does this while an endpoint's secret is being rolled), {@code tamper} changes the
     * body after signing, {@code omitHeader} sends no signature at all.
     */
    public record Signing(Duration age, String secret, List<String> alsoSignedWith, boolean tamper,
                          boolean omitHeader) {
        public static Signing valid() {
            return new Signing(Duration.ZERO, null, List.of(), false, false);
        }

        public static Signing withSecret(String secret) {
            return new Signing(Duration.ZERO, secret, List.of(), false, false);
        }

        public static Signing stale(Duration age) {
            return new Signing(age, null, List.of(), false, false);
        }

        public static Signing rolling(String... otherSecrets) {
            return new Signing(Duration.ZERO, null, List.of(otherSecrets), false, false);
        }

        public static Signing tampered() {
            return new Signing(Duration.ZERO, null, List.of(), true, false);
        }

        public static Signing unsigned() {
            return new Signing(Duration.ZERO, null, List.of(), false, true);
        }
    }

    private record Replay(String form, int status, String body) {
    }

    private final String apiKey;
    private final String webhookSecret;
    /** Test-mode deliveries carry a v0 signature under a key Stripe never publishes; receivers must ignore it. */
    private final byte[] v0Key = randomBytes(32);
    private final Map<String, ObjectNode> sessions = new ConcurrentHashMap<>();
    private final Map<String, Replay> idempotent = new ConcurrentHashMap<>();
    private final List<String> sessionOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String webhookUrl;
    private volatile int failNextStatus;

    public FakeStripe(String apiKey, String webhookSecret) {
        this.apiKey = apiKey;
        this.webhookSecret = webhookSecret;
        startServer(routing -> routing
                .post("/v1/checkout/sessions", this::createSession)
                .get("/v1/checkout/sessions/{id}", this::retrieveSession)
                .any((req, res) -> error(res, 404, "invalid_request_error", null, null,
                        "Unrecognized request URL (" + req.prologue().method().text() + ": " + req.path().path() + ")")));
    }

    /** A fake with a random test key and endpoint secret. */
    public static FakeStripe start() {
        return new FakeStripe("sk_test_" + random(24), "whsec_" + random(32));
    }

    public String apiBase() {
        return "http://127.0.0.1:" + port();
    }

    public String apiKey() {
        return apiKey;
    }

    public String webhookSecret() {
        return webhookSecret;
    }

    /** Where events are delivered (the webhook endpoint registered with this Stripe account). */
    public FakeStripe webhookUrl(String url) {
        this.webhookUrl = url;
        return this;
    }

    /** A hub configured to use this fake: provider stripe, its key, its endpoint secret, its API base. */
    public TestHub.Builder configure(TestHub.Builder hub) {
        return hub.setting("AIGNE_HUB_PAYMENTS_PROVIDER", "stripe")
                .setting("AIGNE_HUB_PAYMENTS_STRIPE_API_KEY", apiKey)
                .setting("AIGNE_HUB_PAYMENTS_STRIPE_WEBHOOK_SECRET", webhookSecret)
                .setting("AIGNE_HUB_PAYMENTS_STRIPE_API_BASE", apiBase());
    }

    /** The next session creation answers this status with an {@code api_error} (once). */
    public void failNextCreate(int status) {
        this.failNextStatus = status;
    }

    /** A session as Stripe has it now (a copy). */
    public ObjectNode session(String id) {
        ObjectNode s = sessions.get(id);
        if (s == null) {
            throw new NoSuchElementException("FakeStripe has no session " + id);
        }
        synchronized (s) {
            return s.deepCopy();
        }
    }

    public int sessionCount() {
        return sessions.size();
    }

    public String lastSessionId() {
        if (sessionOrder.isEmpty()) {
            throw new NoSuchElementException("FakeStripe has created no session");
        }
        return sessionOrder.getLast();
    }

    /** The customer pays by card: the session completes paid ({@code checkout.session.completed}). */
    public Event pay(String sessionId) {
        return transition(sessionId, "checkout.session.completed", s -> {
            s.put("status", "complete");
            s.put("payment_status", "paid");
            s.put("payment_intent", "pi_" + random(24));
        });
    }

    /** The customer completes with a delayed payment method: completed, still unpaid. */
    public Event completeUnpaid(String sessionId) {
        return transition(sessionId, "checkout.session.completed", s -> {
            s.put("status", "complete");
            s.put("payment_status", "unpaid");
            s.put("payment_intent", "pi_" + random(24));
        });
    }

    /** The delayed payment cleared. */
    public Event asyncPaymentSucceeded(String sessionId) {
        return transition(sessionId, "checkout.session.async_payment_succeeded", s -> s.put("payment_status", "paid"));
    }

    /** The delayed payment failed. */
    public Event asyncPaymentFailed(String sessionId) {
        return transition(sessionId, "checkout.session.async_payment_failed", s -> { });
    }

    public Event expire(String sessionId) {
        return transition(sessionId, "checkout.session.expired", s -> s.put("status", "expired"));
    }

    /** An event of any type about a copy of a session changed by {@code edit} (the stored session is untouched). */
    public Event eventAbout(String sessionId, String type, Consumer<ObjectNode> edit) {
        ObjectNode copy = session(sessionId);
        edit.accept(copy);
        return event(type, copy);
    }

    /** An event about something other than a checkout session (a customer, say). */
    public Event otherEvent(String type, ObjectNode object) {
        return event(type, object);
    }

    /** Sends the event to the webhook URL, signed with the endpoint secret now. */
    public Delivery deliver(Event event) {
        return deliver(event, Signing.valid());
    }

    public Delivery deliver(Event event, Signing signing) {
        if (webhookUrl == null) {
            throw new IllegalStateException("no webhook URL: call webhookUrl(...) first");
        }
        Signed signed = sign(event, signing);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhookUrl))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                .POST(HttpRequest.BodyPublishers.ofByteArray(signed.payload()));
        if (signed.header() != null) {
            request.header("Stripe-Signature", signed.header());
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Delivery(event, signed.payload(), signed.header(), response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The payload and {@code Stripe-Signature} header of a delivery of {@code event}, without sending it. */
    public Signed sign(Event event, Signing signing) {
        byte[] payload = event.json().getBytes(UTF_8);
        if (signing.omitHeader()) {
            return new Signed(payload, null);
        }
        long t = System.currentTimeMillis() / 1000 - signing.age().toSeconds();
        StringBuilder header = new StringBuilder("t=").append(t);
        header.append(",v1=").append(hmacHex(signing.secret() == null ? webhookSecret : signing.secret(), t, payload));
        for (String other : signing.alsoSignedWith()) {
            header.append(",v1=").append(hmacHex(other, t, payload));
        }
        header.append(",v0=").append(HexFormat.of().formatHex(hmac(v0Key, t, payload)));
        if (signing.tamper()) {
            // what an attacker holding an old delivery would do: raise the amount the event reports
            String changed = event.json().replaceFirst("\"amount_total\" : (\\d+)", "\"amount_total\" : 9$1");
            payload = (changed.equals(event.json()) ? changed + " " : changed).getBytes(UTF_8);
        }
        return new Signed(payload, header.toString());
    }

    // ---- the API ----

    private void createSession(ServerRequest req, ServerResponse res) {
        String raw = new String(bodyOf(req), UTF_8);
        Map<String, String> form;
        try {
            form = decodeForm(raw);
        } catch (IllegalArgumentException e) {
            record(new Request("POST", req.path().path(), headersOf(req), Map.of()));
            error(res, 400, "invalid_request_error", null, null, "The request body could not be decoded as a form.");
            return;
        }
        Request request = new Request("POST", req.path().path(), headersOf(req), form);
        record(request);
        if (!authorised(request, res)) {
            return;
        }
        int fail = failNextStatus;
        if (fail != 0) {
            failNextStatus = 0;
            error(res, fail, "api_error", null, null, "An unexpected error occurred (injected by FakeStripe).");
            return;
        }
        String key = request.header("idempotency-key");
        if (key != null) {
            Replay replay = idempotent.get(key);
            if (replay != null) {
                if (!replay.form().equals(raw)) {
                    error(res, 400, "idempotency_error", null, null, "Keys for idempotent requests can only be "
                            + "used with the same parameters they were first used with (key " + key + ").");
                    return;
                }
                res.header(HeaderNames.create("Idempotent-Replayed"), "true");
                json(res, replay.status(), replay.body());
                return;
            }
        }
        String problem = validate(form, res);
        if (problem != null) {
            return;
        }
        ObjectNode session = newSession(form);
        String body = session.toPrettyString();
        if (key != null) {
            idempotent.putIfAbsent(key, new Replay(raw, 200, body));
        }
        json(res, 200, body);
    }

    private void retrieveSession(ServerRequest req, ServerResponse res) {
        Request request = new Request("GET", req.path().path(), headersOf(req), Map.of());
        record(request);
        if (!authorised(request, res)) {
            return;
        }
        ObjectNode s = sessions.get(req.path().pathParameters().get("id"));
        if (s == null) {
            error(res, 404, "invalid_request_error", "resource_missing", "session",
                    "No such checkout.session: '" + req.path().pathParameters().get("id") + "'");
            return;
        }
        synchronized (s) {
            json(res, 200, s.toPrettyString());
        }
    }

    private boolean authorised(Request request, ServerResponse res) {
        String auth = request.header("authorization");
        String presented = null;
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = auth.substring(7).trim();
        } else if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), UTF_8);
            presented = decoded.contains(":") ? decoded.substring(0, decoded.indexOf(':')) : decoded;
        }
        if (presented == null || presented.isEmpty()) {
            error(res, 401, "invalid_request_error", null, null, "You did not provide an API key. Send it as "
                    + "'Authorization: Bearer <secret key>'.");
            return false;
        }
        if (!presented.equals(apiKey)) {
            String shown = presented.length() > 12 ? presented.substring(0, 8) + "*".repeat(presented.length() - 12)
                    + presented.substring(presented.length() - 4) : "***";
            error(res, 401, "invalid_request_error", null, null, "Invalid API Key provided: " + shown);
            return false;
        }
        return true;
    }

    /** Stripe's checks for a payment session with inline prices; answers the error and returns its text. */
    private String validate(Map<String, String> form, ServerResponse res) {
        for (String name : form.keySet()) {
            if (!TOP_LEVEL.matcher(name).matches() && !NESTED.matcher(name).matches()) {
                return error(res, 400, "invalid_request_error", "parameter_unknown", name,
                        "Received unknown parameter: " + name);
            }
        }
        String mode = form.get("mode");
        if (mode == null || mode.isEmpty()) {
            return missing(res, "mode");
        }
        if (!MODES.contains(mode)) {
            return error(res, 400, "invalid_request_error", "parameter_invalid_empty", "mode",
                    "Invalid mode: must be one of payment, subscription or setup");
        }
        if (!form.containsKey("success_url")) {
            return missing(res, "success_url");
        }
        if (!form.get("success_url").matches("https?://.+")) {
            return error(res, 400, "invalid_request_error", "url_invalid", "success_url", "Not a valid URL");
        }
        if (form.containsKey("cancel_url") && !form.get("cancel_url").matches("https?://.+")) {
            return error(res, 400, "invalid_request_error", "url_invalid", "cancel_url", "Not a valid URL");
        }
        if (!form.containsKey("line_items[0][quantity]") && !form.containsKey("line_items[0][price]")
                && !form.containsKey("line_items[0][price_data][currency]")) {
            return missing(res, "line_items");
        }
        if (!form.containsKey("line_items[0][price]")) {
            for (String p : List.of("line_items[0][price_data][currency]", "line_items[0][quantity]")) {
                if (!form.containsKey(p)) {
                    return missing(res, p);
                }
            }
            if (!form.containsKey("line_items[0][price_data][product]")
                    && !form.containsKey("line_items[0][price_data][product_data][name]")) {
                return missing(res, "line_items[0][price_data][product_data][name]");
            }
            if (!form.containsKey("line_items[0][price_data][unit_amount]")
                    && !form.containsKey("line_items[0][price_data][unit_amount_decimal]")) {
                return missing(res, "line_items[0][price_data][unit_amount]");
            }
            String unit = form.get("line_items[0][price_data][unit_amount]");
            if (unit != null && !unit.matches("\\d{1,12}")) {
                return error(res, 400, "invalid_request_error", "parameter_invalid_integer",
                        "line_items[0][price_data][unit_amount]", "Invalid non-negative integer");
            }
            if (!form.get("line_items[0][price_data][currency]").matches("[a-zA-Z]{3}")) {
                return error(res, 400, "invalid_request_error", "parameter_invalid_empty",
                        "line_items[0][price_data][currency]", "Invalid currency: "
                                + form.get("line_items[0][price_data][currency]"));
            }
        }
        if (!form.getOrDefault("line_items[0][quantity]", "1").matches("[1-9]\\d{0,6}")) {
            return error(res, 400, "invalid_request_error", "parameter_invalid_integer", "line_items[0][quantity]",
                    "Invalid positive integer");
        }
        for (Map.Entry<String, String> e : form.entrySet()) {
            if (e.getKey().startsWith("metadata[") && (e.getKey().length() - 10 > 40 || e.getValue().length() > 500)) {
                return error(res, 400, "invalid_request_error", "parameter_invalid_string", e.getKey(),
                        "Metadata keys can be up to 40 characters long and values up to 500 characters long.");
            }
        }
        String reference = form.get("client_reference_id");
        if (reference != null && reference.length() > 200) {
            return error(res, 400, "invalid_request_error", "parameter_invalid_string", "client_reference_id",
                    "client_reference_id can be up to 200 characters long.");
        }
        return null;
    }

    private ObjectNode newSession(Map<String, String> form) {
        String id = "cs_test_" + random(58);
        long created = System.currentTimeMillis() / 1000;
        long quantity = Long.parseLong(form.getOrDefault("line_items[0][quantity]", "1"));
        long unit = Long.parseLong(form.getOrDefault("line_items[0][price_data][unit_amount]", "0"));
        ObjectNode s = JSON.createObjectNode();
        s.put("id", id);
        s.put("object", "checkout.session");
        s.put("amount_subtotal", unit * quantity);
        s.put("amount_total", unit * quantity);
        s.put("cancel_url", form.get("cancel_url"));
        if (form.containsKey("client_reference_id")) {
            s.put("client_reference_id", form.get("client_reference_id"));
        } else {
            s.putNull("client_reference_id");
        }
        s.put("created", created);
        s.put("currency", form.get("line_items[0][price_data][currency]").toLowerCase(java.util.Locale.ROOT));
        s.putNull("customer");
        s.putNull("customer_details");
        s.put("expires_at", created + 24 * 3600);
        s.put("livemode", false);
        ObjectNode metadata = s.putObject("metadata");
        form.forEach((k, v) -> {
            if (k.startsWith("metadata[")) {
                metadata.put(k.substring(9, k.length() - 1), v);
            }
        });
        s.put("mode", form.get("mode"));
        s.putNull("payment_intent");
        s.put("payment_status", "unpaid");
        s.put("status", "open");
        s.put("success_url", form.get("success_url"));
        s.put("url", apiBase() + "/c/pay/" + id);
        sessions.put(id, s);
        sessionOrder.add(id);
        return s;
    }

    private Event transition(String sessionId, String type, Consumer<ObjectNode> change) {
        ObjectNode s = sessions.get(sessionId);
        if (s == null) {
            throw new NoSuchElementException("FakeStripe has no session " + sessionId);
        }
        ObjectNode snapshot;
        synchronized (s) {
            change.accept(s);
            snapshot = s.deepCopy();
        }
        return event(type, snapshot);
    }

    private Event event(String type, ObjectNode object) {
        ObjectNode e = JSON.createObjectNode();
        String id = "evt_" + random(24);
        e.put("id", id);
        e.put("object", "event");
        e.put("api_version", API_VERSION);
        e.put("created", System.currentTimeMillis() / 1000);
        e.putObject("data").set("object", object);
        e.put("livemode", false);
        e.put("pending_webhooks", 1);
        ObjectNode request = e.putObject("request");
        request.putNull("id");
        request.putNull("idempotency_key");
        e.put("type", type);
        try {
            return new Event(id, type, PRETTY.writeValueAsString(e));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Map<String, String> decodeForm(String raw) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8);
            form.put(name, value);
        }
        return form;
    }

    private static String missing(ServerResponse res, String param) {
        return error(res, 400, "invalid_request_error", "parameter_missing", param, "Missing required param: "
                + param + ".");
    }

    private static String error(ServerResponse res, int status, String type, String code, String param,
                                String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        if (code != null) {
            error.put("code", code);
            error.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        error.put("message", message);
        if (param != null) {
            error.put("param", param);
        }
        error.put("request_log_url", "https://dashboard.stripe.com/test/logs/req_" + random(14));
        error.put("type", type);
        json(res, status, root.toPrettyString());
        return message;
    }

    private static void json(ServerResponse res, int status, String body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.create("Request-Id"), "req_" + random(14));
        res.send(body.getBytes(UTF_8));
    }

    private static String hmacHex(String secret, long t, byte[] payload) {
        return HexFormat.of().formatHex(hmac(secret.getBytes(UTF_8), t, payload));
    }

    private static byte[] hmac(byte[] key, long t, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((t + ".").getBytes(UTF_8));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return sb.toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        super.close();
        client.close();
    }
}
