package io.aigne.hub.billing.payment;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigne.hub.secret.Redaction;
import io.aigne.hub.server.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * Stripe Checkout over Stripe's REST API with the JDK's HTTP client (no SDK): a Checkout Session in {@code payment}
 * mode with one line item priced inline ({@code price_data}), and webhook events verified by their
 * {@code Stripe-Signature} before anything in them is read.
 *
 * <p>Session creation carries the hub's purchase id as {@code Idempotency-Key}, so the one retry after a network
 * failure can never open a second session. Requests pin {@link #API_VERSION} so that answers keep their shape.
 */
public final class StripeCheckout implements PaymentProvider {
    public static final String NAME = "stripe";
    /** The Stripe API version the requests are written against (the one stripe-java 29 uses). */
    public static final String API_VERSION = "2025-03-31.basil";
    public static final String COMPLETED = "checkout.session.completed";
    public static final String ASYNC_SUCCEEDED = "checkout.session.async_payment_succeeded";
    public static final String ASYNC_FAILED = "checkout.session.async_payment_failed";
    public static final String EXPIRED = "checkout.session.expired";
    private static final Logger LOG = LoggerFactory.getLogger(StripeCheckout.class);
    private static final int ATTEMPTS = 2;

    private final PaymentSettings.Stripe settings;
    private final Clock clock;
    private final HttpClient http;

    public StripeCheckout(PaymentSettings.Stripe settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? settings.timeout()
                        : Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Checkout createCheckout(CheckoutRequest request) {
        FormBody form = new FormBody()
                .add("mode", "payment")
                .add("line_items[0][price_data][currency]", request.currency())
                .add("line_items[0][price_data][unit_amount]", Long.toString(request.amountMinor()))
                .add("line_items[0][price_data][product_data][name]", request.itemName())
                .add("line_items[0][quantity]", "1")
                .add("success_url", request.successUrl())
                .add("cancel_url", request.cancelUrl())
                .add("client_reference_id", request.userId());
        new TreeMap<>(request.metadata()).forEach((key, value) -> form.add("metadata[" + key + "]", value));
        HttpRequest http = HttpRequest.newBuilder(URI.create(settings.apiBase() + "/v1/checkout/sessions"))
                .timeout(settings.timeout())
                .header("Authorization", "Bearer " + settings.apiKey())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Idempotency-Key", request.purchaseId())
                .header("Stripe-Version", API_VERSION)
                .header("User-Agent", "AIGNE-Hub")
                .POST(HttpRequest.BodyPublishers.ofString(form.encode()))
                .build();
        HttpResponse<String> response = send(http);
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 == 2) {
            String id = body.path("id").asText("");
            String url = body.path("url").asText("");
            if (id.isEmpty() || !url.startsWith("http")) {
                throw new PaymentProviderException("Stripe created no usable checkout (its answer has no id or url)",
                        true);
            }
            return new Checkout(id, url);
        }
        throw refusal(response.statusCode(), body);
    }

    @Override
    public PaymentEvent verifyWebhook(WebhookDelivery delivery) {
        StripeSignature.verify(delivery.body(), delivery.header(StripeSignature.HEADER).orElse(null),
                settings.webhookSecret(), settings.webhookTolerance(), clock.instant());
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(delivery.body());
        } catch (IOException e) {
            throw new WebhookRejected("the delivery is signed but is not JSON");
        }
        String id = event == null ? "" : event.path("id").asText("");
        String type = event == null ? "" : event.path("type").asText("");
        if (!"event".equals(event == null ? null : event.path("object").asText()) || id.isEmpty() || type.isEmpty()) {
            throw new WebhookRejected("the delivery is not a Stripe event (object, id and type are required)");
        }
        if (!type.equals(COMPLETED) && !type.equals(ASYNC_SUCCEEDED) && !type.equals(ASYNC_FAILED)
                && !type.equals(EXPIRED)) {
            return new PaymentEvent(id, type, PaymentEvent.Kind.IGNORED, null);
        }
        JsonNode session = event.path("data").path("object");
        if (!"checkout.session".equals(session.path("object").asText()) || session.path("id").asText("").isEmpty()) {
            throw new WebhookRejected("the " + type + " event carries no checkout session in data.object");
        }
        if (!"payment".equals(session.path("mode").asText("payment"))) {
            // Subscriptions and setup sessions of the same Stripe account are none of the hub's business.
            return new PaymentEvent(id, type, PaymentEvent.Kind.IGNORED, null);
        }
        return new PaymentEvent(id, type, kind(type, session.path("payment_status").asText("")), facts(session));
    }

    @Override
    public void close() {
        http.close();
    }

    private static PaymentEvent.Kind kind(String type, String paymentStatus) {
        return switch (type) {
            case ASYNC_SUCCEEDED -> PaymentEvent.Kind.PAID;
            case ASYNC_FAILED -> PaymentEvent.Kind.PAYMENT_FAILED;
            case EXPIRED -> PaymentEvent.Kind.EXPIRED;
            // completed: card payments are paid now; delayed methods (bank debits, vouchers) say unpaid and are
            // settled by async_payment_succeeded or _failed later
            default -> "paid".equals(paymentStatus) || "no_payment_required".equals(paymentStatus)
                    ? PaymentEvent.Kind.PAID : PaymentEvent.Kind.AWAITING_PAYMENT;
        };
    }

    private static PaymentEvent.Session facts(JsonNode session) {
        Map<String, String> metadata = new LinkedHashMap<>();
        session.path("metadata").properties().forEach(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                metadata.put(e.getKey(), e.getValue().asText());
            }
        });
        // With Adaptive Pricing the customer may pay in their own currency; what the hub asked for is then the
        // conversion's source amount (API versions before 2025-03-31 put the converted amount in amount_total).
        JsonNode conversion = session.path("currency_conversion");
        boolean converted = conversion.isObject() && conversion.hasNonNull("source_currency");
        JsonNode amount = converted ? conversion.path("amount_total") : session.path("amount_total");
        String currency = converted ? conversion.path("source_currency").asText() : session.path("currency").asText(null);
        String reference = session.path("client_reference_id").isTextual()
                ? session.path("client_reference_id").asText() : null;
        return new PaymentEvent.Session(session.path("id").asText(), reference, metadata,
                amount.canConvertToLong() ? amount.asLong() : null, currency);
    }

    private HttpResponse<String> send(HttpRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                boolean retry = response.headers().firstValue("Stripe-Should-Retry").map("true"::equals).orElse(false);
                if (!retry || attempt >= ATTEMPTS) {
                    return response;
                }
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    LOG.warn("Stripe unreachable at {}: {}", settings.apiBase(), e.toString());
                    throw new PaymentProviderException("Stripe could not be reached (" + e.getClass().getSimpleName()
                            + "); try again in a moment", true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PaymentProviderException("interrupted while waiting for Stripe", true);
            }
        }
    }

    private PaymentProviderException refusal(int status, JsonNode body) {
        JsonNode error = body.path("error");
        String message = Redaction.redact(error.path("message").asText("no explanation given"), settings.apiKey());
        String param = error.path("param").asText("");
        LOG.warn("Stripe refused to create a checkout session: HTTP {} {} {}{}", status, error.path("type").asText(""),
                message, param.isEmpty() ? "" : " (param " + param + ")");
        if (status == 401 || status == 403) {
            return new PaymentProviderException("Stripe refused the hub's API key (payments.stripe.apiKey): " + message,
                    false);
        }
        boolean retryable = status == 429 || status >= 500;
        return new PaymentProviderException("Stripe refused to create the checkout (HTTP " + status + "): " + message
                + (param.isEmpty() ? "" : " [" + param + "]"), retryable);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body == null ? "" : body);
            return node == null ? Json.object() : node;
        } catch (IOException e) {
            return Json.object();
        }
    }
}
