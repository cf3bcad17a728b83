package io.aigne.hub.billing;

import java.math.BigDecimal;

/**
 * The billing settings in force: the configuration's defaults with the owner's run-time changes applied. See
 * {@code HubConfig.BillingConfig} for what each one means.
 */
public record BillingPolicy(
        boolean enabled,
        BigDecimal baseCreditPrice,
        BigDecimal marginPercent,
        Credits newUserGrant,
        int creditExpirationDays,
        int holdOutputTokens,
        boolean refuseUnpriced,
        String purchaseUrl,
        String creditPrefix) {

    /** The credit "currency" as the clients show it: its name, symbol, decimals and USD price. */
    public com.fasterxml.jackson.databind.node.ObjectNode currencyJson() {
        var currency = io.aigne.hub.server.Json.object();
        currency.put("name", "AIGNE Hub Credits");
        currency.put("symbol", creditPrefix);
        currency.put("decimal", Credits.SCALE);
        currency.put("usdPerCredit", baseCreditPrice.toPlainString());
        return currency;
    }

    /** When a grant made now expires, or null when grants do not expire. */
    public Long grantExpiry(long now) {
        return creditExpirationDays <= 0 ? null : now + creditExpirationDays * 86_400_000L;
    }
}
