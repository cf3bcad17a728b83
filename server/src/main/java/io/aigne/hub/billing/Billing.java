package io.aigne.hub.billing;

import io.aigne.hub.routing.Route;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.server.InsufficientCredits;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Credit billing on the call path: before a call, reserve what it may cost ({@link #admit}); after it, price what
 * it did cost ({@link #cost}) and settle ({@link #settle}). With billing off nothing is reserved or charged, but
 * every call is still priced, for cost reporting.
 */
public final class Billing {
    private static final Logger LOG = LoggerFactory.getLogger(Billing.class);

    private final CreditLedger ledger;
    private final RateCard rates;
    private final BillingSettings settings;
    private final String node;
    private final Duration holdTtl;

    public Billing(CreditLedger ledger, RateCard rates, BillingSettings settings, String node, Duration holdTtl) {
        this.ledger = ledger;
        this.rates = rates;
        this.settings = settings;
        this.node = node;
        this.holdTtl = holdTtl;
    }

    public BillingPolicy policy() {
        return settings.current();
    }

    public BillingSettings settings() {
        return settings;
    }

    public CreditLedger ledger() {
        return ledger;
    }

    public RateCard rates() {
        return rates;
    }

    /** This process's name on the holds it takes. */
    public String node() {
        return node;
    }

    /** Where users buy credits, for links in answers. */
    public String purchaseLink(String origin) {
        String configured = policy().purchaseUrl();
        return configured.isEmpty() ? origin + "/credits/purchase" : configured;
    }

    /** The routes a call may take once admitted, and the credit reserved for it. */
    public record Admission(List<Route> plan, Credits held) {
    }

    /**
     * Reserves what the call may cost on the dearest route of its plan. With billing on, routes to models without a
     * rate are dropped when unpriced models are refused, and a caller whose available credit cannot cover the
     * reservation gets {@link InsufficientCredits}; no provider is contacted in either case.
     */
    public Admission admit(String callId, String userId, CallType type, byte[] body, List<Route> plan, String origin) {
        BillingPolicy p = policy();
        // A call with no body (token counting) asks nothing that costs credits.
        if (!p.enabled() || userId == null || body == null) {
            return new Admission(plan, Credits.ZERO);
        }
        Usage ceiling = CallEstimate.of(body, p.holdOutputTokens()).usage(type);
        List<Route> priced = new ArrayList<>(plan.size());
        BigDecimal dearest = BigDecimal.ZERO;
        for (Route route : plan) {
            Optional<ModelRate> rate = rate(route, type);
            if (rate.isEmpty() && p.refuseUnpriced()) {
                continue;
            }
            priced.add(route);
            if (rate.isPresent()) {
                dearest = dearest.max(Pricing.exactCost(rate.get(), ceiling, null, null));
            }
        }
        if (priced.isEmpty()) {
            throw new ApiException(403, "invalid_request_error", "model_not_priced", "model",
                    "this hub bills in credits and has no rate for this model ("
                            + plan.stream().map(r -> r.provider().name() + "/" + r.upstreamModel()).distinct().toList()
                            + "); an admin must set one (POST /api/ai-providers/{provider}/model-rates)");
        }
        Credits hold = Credits.covering(dearest);
        if (hold.isPositive() && !ledger.hold(callId, userId, hold, node,
                System.currentTimeMillis() + holdTtl.toMillis())) {
            CreditAccount account = ledger.account(userId);
            String link = purchaseLink(origin);
            throw new InsufficientCredits("Hello, in order to continue using AI services, please first buy some "
                    + "credits in the link below. This call may cost up to " + hold.toPlainString()
                    + " credits; your available balance is " + account.available().toPlainString() + ". " + link,
                    link);
        }
        return new Admission(priced, hold);
    }

    /** What a call served by this route cost; zero when the model has no rate. */
    public Credits cost(Route route, CallType type, Usage usage, String imageSize, String imageQuality) {
        if (route == null || usage == null) {
            return Credits.ZERO;
        }
        return rate(route, type).map(r -> Pricing.cost(r, usage, imageSize, imageQuality)).orElse(Credits.ZERO);
    }

    public Optional<ModelRate> rate(Route route, CallType type) {
        return rates.find(route.provider().name(), route.provider().type().id(), route.upstreamModel(), type);
    }

    /** Whether a call that ended now must be charged and its hold released. */
    public boolean owesSettlement(Credits cost, Credits held) {
        return held.isPositive() || (policy().enabled() && cost.isPositive());
    }

    /**
     * Settles an ended call now: releases its hold and charges its cost. A failure is logged and left to the usage
     * ledger's writer, which settles the record again (idempotently) when it writes it; returns the record as it
     * should be written.
     */
    public CallRecord settle(CallRecord record) {
        if (!record.chargePending()) {
            return record;
        }
        try {
            ledger.settle(settlement(record));
            return record.settled();
        } catch (RuntimeException e) {
            LOG.warn("settling call {} failed ({}); the usage ledger's writer settles it when it writes the call",
                    record.id(), e.getMessage());
            return record;
        }
    }

    public CreditLedger.Settlement settlement(CallRecord record) {
        return new CreditLedger.Settlement(record.id(), record.userId(), new Credits(record.credits()),
                policy().enabled());
    }
}
