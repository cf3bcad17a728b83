package io.aigne.hub.billing.payment;

import io.aigne.hub.server.ApiException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * What credits cost: {@code pricePerCredit} in the currency's main unit (dollars, euros, yen), bought in whole
 * credits between {@code minCredits} and {@code maxCredits}. A purchase is charged
 * {@code credits × pricePerCredit}, rounded half up to the currency's smallest unit ({@code currencyDecimals}
 * places: cents for usd), exactly, with decimal arithmetic.
 */
public record CreditPrice(String currency, int currencyDecimals, BigDecimal pricePerCredit, long minCredits,
                          long maxCredits) {

    /** The charge for {@code credits}, in the currency's smallest unit (what Stripe calls {@code unit_amount}). */
    public long amountMinor(long credits) {
        return pricePerCredit.multiply(BigDecimal.valueOf(credits)).movePointRight(currencyDecimals)
                .setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** An amount in the smallest unit as people read it: {@code 12.50 USD}. */
    public String format(long amountMinor) {
        return BigDecimal.valueOf(amountMinor, currencyDecimals).toPlainString() + " " + currency.toUpperCase(Locale.ROOT);
    }

    /** The price of one credit as configured: {@code 0.01 USD}. */
    public String formatPerCredit() {
        return pricePerCredit.stripTrailingZeros().toPlainString() + " " + currency.toUpperCase(Locale.ROOT);
    }

    /** Refuses an amount of credits outside the purchasable range with a 400 naming {@code field}. */
    public void check(long credits, String field) {
        if (credits < minCredits || credits > maxCredits) {
            throw ApiException.invalid(field, "'" + field + "' must be a whole number of credits from " + minCredits
                    + " to " + maxCredits + "; got " + credits);
        }
    }
}
