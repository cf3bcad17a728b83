package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.auth.Principal;
import io.aigne.hub.auth.User;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.billing.Billing;
import io.aigne.hub.billing.BillingPolicy;
import io.aigne.hub.billing.CreditAccount;
import io.aigne.hub.billing.CreditEntry;
import io.aigne.hub.billing.ModelRate;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.gateway.ModelCatalog;
import io.aigne.hub.server.InsufficientCredits;
import io.aigne.hub.provider.Provider;
import io.aigne.hub.routing.ModelKind;
import io.aigne.hub.routing.ModelRef;
import io.aigne.hub.routing.Router;
import io.aigne.hub.routing.RoutingException;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.math.BigDecimal;
import java.util.List;

/**
 * What the AIGNE clients read besides model calls: the public model list ({@code GET /api/ai/models}), availability
 * ({@code GET /api/v2/status}) and the caller's account ({@code GET /api/user/info}, what {@code aigne hub status}
 * shows). Rates in the model list come from the model rates ("0" for a model without one). With billing off the
 * account has credits disabled ({@code enableCredit: false}, no balance, no payment link); with billing on it shows the ledger's balance, and the status answers 402 NOT_ENOUGH when the caller has
 * no credit left.
 */
final class AigneInfo {
    private final Authenticator auth;
    private final Router router;
    private final ModelCatalog catalog;
    private final UserStore users;
    private final Billing billing;

    AigneInfo(Authenticator auth, Router router, ModelCatalog catalog, UserStore users, Billing billing) {
        this.billing = billing;
        this.auth = auth;
        this.router = router;
        this.catalog = catalog;
        this.users = users;
    }

    void register(HttpRules rules) {
        rules.get("/api/ai/models", this::models)
                .get("/api/ai-providers/models", this::models)
                .get("/api/v2/status", this::status)
                .get("/api/user/info", this::userInfo);
    }

    /**
     * A flat list, one entry per routable {@code provider/model}, typed as the SDK's schema requires: rates as
     * strings, {@code status} an object with {@code available}, {@code modelMetadata} null when unknown.
     */
    private void models(ServerRequest req, ServerResponse res) {
        String wanted = req.query().first("type").map(AigneInfo::normalizedType).orElse(null);
        if ("".equals(wanted)) {
            Exchange.json(res, 400, Json.object().put("error", "type must be one of chat, chatCompletion, image,"
                    + " image_generation, imageGeneration, embedding, video"));
            return;
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ModelCatalog.Entry entry : catalog.entries()) {
            String type = typeOf(entry.provider(), entry.model());
            if (wanted != null && !wanted.equals(type)) {
                continue;
            }
            ObjectNode model = list.addObject();
            model.put("key", entry.id());
            model.put("model", entry.model());
            model.put("type", type);
            model.put("provider", entry.provider().name());
            model.put("providerId", entry.provider().id());
            ModelRate rate = billing.rates().find(entry.provider().name(), entry.provider().type().id(),
                    entry.model(), ModelKind.of(entry.provider().type(), entry.model())).orElse(null);
            model.put("input_credits_per_token", rate == null ? "0" : RateBasis.plain(rate.inputRate()));
            model.put("output_credits_per_token", rate == null ? "0" : RateBasis.plain(outputPrice(rate)));
            model.putNull("modelMetadata");
            model.putObject("status").put("available",
                    router.anyRoute(entry.provider().name(), entry.model()).isPresent());
            model.put("providerDisplayName", entry.provider().displayName() != null
                    ? entry.provider().displayName() : entry.provider().name());
        }
        Exchange.json(res, 200, list);
    }

    /** The query's type in the list's vocabulary; "" for one the original does not accept. */
    private static String normalizedType(String type) {
        return switch (type) {
            case "chat", "chatCompletion" -> "chat";
            case "image", "image_generation", "imageGeneration" -> "image_generation";
            case "embedding" -> "embedding";
            case "video" -> "video";
            default -> "";
        };
    }

    /** What a model does, in the list's vocabulary. */
    static String typeOf(Provider provider, String model) {
        return switch (ModelKind.of(provider.type(), model)) {
            case IMAGE -> "image_generation";
            case EMBEDDING -> "embedding";
            case VIDEO -> "video";
            case CHAT -> "chat";
        };
    }

    /** What the list calls the output rate: per output token, per image, or per second of video. */
    private static BigDecimal outputPrice(ModelRate rate) {
        return switch (rate.type()) {
            case IMAGE -> rate.imagePrice(null, null);
            case VIDEO -> rate.videoSecondRate() != null ? rate.videoSecondRate() : rate.outputRate();
            default -> rate.outputRate();
        };
    }

    /**
     * Always 200: {@code {available: true}}, or {@code {available: false, error, code}} when no enabled provider
     * (of the model's provider, when a model is given) exists, or the model has no working credential now.
     */
    private void status(ServerRequest req, ServerResponse res) {
        String model = req.query().first("model").filter(m -> !m.isBlank()).orElse(null);
        ObjectNode out = Json.object();
        Principal caller = billing.policy().enabled() ? auth.identify(req).orElse(null) : null;
        if (caller != null && !billing.ledger().account(caller.userId()).available().isPositive()) {
            String link = billing.purchaseLink(BlockletDiscovery.appUrl(req));
            unavailable(out, "Hello, in order to continue using AI services, please first buy some credits in the "
                    + "link below. " + link, 402);
            out.put("link", link).put("type", InsufficientCredits.TYPE);
        } else if (router.providers().stream().noneMatch(Provider::enabled)) {
            unavailable(out, "No providers available", 503);
        } else if (model != null) {
            try {
                router.plan(ModelRef.parse(model, router::isProviderName));
                out.put("available", true);
            } catch (RoutingException e) {
                if (e.status() == 404) {
                    unavailable(out, "No providers available", 503);
                } else {
                    unavailable(out, "Model is not available", 503);
                }
            }
        } else {
            out.put("available", true);
        }
        Exchange.json(res, 200, out);
    }

    private static void unavailable(ObjectNode out, String error, int code) {
        out.put("available", false).put("error", error).put("code", code);
    }

    private void userInfo(ServerRequest req, ServerResponse res) {
        Principal principal = auth.identify(req).orElse(null);
        if (principal == null) {
            AigneErrors.unauthenticated(res);
            return;
        }
        User user = users.byId(principal.userId()).orElse(null);
        ObjectNode out = Json.object();
        ObjectNode who = out.putObject("user");
        who.put("did", principal.userId());
        who.put("fullName", user != null && user.displayName() != null ? user.displayName() : principal.userName());
        if (user != null && user.email() != null) {
            who.put("email", user.email());
        } else {
            who.putNull("email");
        }
        who.putNull("avatar");
        BillingPolicy policy = billing.policy();
        if (policy.enabled()) {
            CreditAccount account = billing.ledger().account(principal.userId());
            ObjectNode balance = out.putObject("creditBalance");
            balance.put("balance", account.available().toPlainString());
            balance.put("total", account.balance().toPlainString());
            balance.put("grantCount", billing.ledger().entries(principal.userId(), List.of(CreditEntry.Kind.GRANT,
                    CreditEntry.Kind.PROMOTION, CreditEntry.Kind.PURCHASE, CreditEntry.Kind.REFUND), null, null, 1, 1)
                    .count());
            balance.put("pendingCredit", account.held().toPlainString());
            out.put("paymentLink", billing.purchaseLink(BlockletDiscovery.appUrl(req)));
            out.set("currency", policy.currencyJson());
            out.put("enableCredit", true);
        } else {
            out.putNull("creditBalance");
            out.putNull("paymentLink");
            out.put("enableCredit", false);
        }
        out.put("profileLink", BlockletDiscovery.appUrl(req) + "/");
        out.put("creditPrefix", policy.creditPrefix());
        Exchange.json(res, 200, out);
    }
}
