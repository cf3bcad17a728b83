package io.aigne.hub.gateway.aigne;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigne.hub.billing.Billing;
import io.aigne.hub.routing.Route;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;

/**
 * What the AIGNE clients show of a call's price: with credit billing on, the call's cost as
 * {@code usage.aigneHubCredits} (chat, embeddings, images and videos alike), and the hub's {@code creditPrefix} when
 * one is set (the SDK refuses an empty one, spec §5.2). With billing off, nothing is added.
 */
record CallCredits(Billing billing, Route route, CallType type) {
    /** No credits shown: for callers outside a billed call. */
    static final CallCredits NONE = new CallCredits(null, null, null);

    void addTo(ObjectNode usageJson, Usage usage) {
        addTo(usageJson, usage, null, null);
    }

    /** An image's price depends on its size and quality tier. */
    void addTo(ObjectNode usageJson, Usage usage, String size, String quality) {
        if (billing == null || !billing.policy().enabled()) {
            return;
        }
        usageJson.put("aigneHubCredits", billing.cost(route, type, usage == null ? Usage.NONE : usage, size, quality)
                .toBigDecimal().stripTrailingZeros());
        String prefix = billing.policy().creditPrefix();
        if (!prefix.isEmpty()) {
            usageJson.put("creditPrefix", prefix);
        }
    }
}
