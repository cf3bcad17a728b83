package io.aigne.hub.billing;

import io.aigne.hub.billing.payment.CreditGrants;

import java.math.BigDecimal;

/** Books purchased credits into the credit ledger, once per purchase (the external id is unique there). */
public final class LedgerCreditGrants implements CreditGrants {
    private final CreditLedger ledger;

    public LedgerCreditGrants(CreditLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public boolean grantPurchase(String userId, BigDecimal credits, String externalId, String description) {
        return ledger.grant(userId, CreditEntry.Kind.PURCHASE, Credits.of(credits), null, externalId, description,
                "payments").isPresent();
    }
}
