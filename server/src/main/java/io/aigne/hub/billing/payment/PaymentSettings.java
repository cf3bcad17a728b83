package io.aigne.hub.billing.payment;

import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.HubConfig.PaymentsConfig;
import io.aigne.hub.config.HubConfig.StripeConfig;
import io.aigne.hub.secret.Masking;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code payments:} section, checked once at start so that a mistake stops the hub with a sentence naming the
 * setting instead of failing a customer's purchase later.
 *
 * @param provider   {@link #NONE} or {@link #STRIPE}
 * @param successUrl where the provider sends the customer after paying; null: the purchase page of the origin
 * @param cancelUrl  where the provider sends the customer who gives up; null: the purchase page of the origin
 * @param stripe     null unless the provider is Stripe
 */
public record PaymentSettings(String provider, CreditPrice price, String productName, String successUrl,
                              String cancelUrl, Stripe stripe) {
    public static final String NONE = "none";
    public static final String STRIPE = "stripe";
    /** Payments switched off. */
    public static final PaymentSettings DISABLED = from(PaymentsConfig.DEFAULTS);

    /** Stripe's API access and webhook verification; {@code toString} masks both secrets. */
    public record Stripe(String apiKey, String webhookSecret, URI apiBase, Duration timeout,
                         Duration webhookTolerance) {
        @Override
        public String toString() {
            return "Stripe[apiKey=" + Masking.mask(apiKey) + ", webhookSecret=" + Masking.mask(webhookSecret)
                    + ", apiBase=" + apiBase + ", timeout=" + timeout + ", webhookTolerance=" + webhookTolerance + "]";
        }
    }

    public boolean enabled() {
        return !NONE.equals(provider);
    }

    public static PaymentSettings from(PaymentsConfig config) {
        String provider = text(config.provider()).toLowerCase(Locale.ROOT);
        if (provider.isEmpty()) {
            provider = NONE;
        }
        if (!provider.equals(NONE) && !provider.equals(STRIPE)) {
            throw new ConfigException("payments.provider must be 'none' or 'stripe'; got '" + config.provider() + "'");
        }
        String currency = text(config.currency()).toLowerCase(Locale.ROOT);
        if (!currency.matches("[a-z]{3}")) {
            throw new ConfigException("payments.currency must be a three-letter ISO currency code such as usd; got '"
                    + config.currency() + "'");
        }
        if (config.currencyDecimals() < 0 || config.currencyDecimals() > 3) {
            throw new ConfigException("payments.currencyDecimals must be 0 to 3 (2 for usd/eur, 0 for jpy); got "
                    + config.currencyDecimals());
        }
        BigDecimal perCredit;
        try {
            perCredit = new BigDecimal(text(config.pricePerCredit()));
        } catch (NumberFormatException e) {
            throw new ConfigException("payments.pricePerCredit must be a decimal number such as \"0.01\"; got '"
                    + config.pricePerCredit() + "'");
        }
        if (perCredit.signum() <= 0) {
            throw new ConfigException("payments.pricePerCredit must be above 0; got " + perCredit.toPlainString());
        }
        if (config.minCredits() < 1 || config.maxCredits() < config.minCredits()
                || config.maxCredits() > 1_000_000_000L) {
            throw new ConfigException("payments.minCredits must be at least 1 and payments.maxCredits from minCredits "
                    + "to 1000000000; got " + config.minCredits() + " and " + config.maxCredits());
        }
        CreditPrice price = new CreditPrice(currency, config.currencyDecimals(), perCredit, config.minCredits(),
                config.maxCredits());
        if (price.amountMinor(config.minCredits()) < 1) {
            throw new ConfigException("payments.minCredits × payments.pricePerCredit is less than the smallest unit of "
                    + currency + "; raise one of them");
        }
        String productName = text(config.productName()).isEmpty() ? "AIGNE Hub credits" : text(config.productName());
        return new PaymentSettings(provider, price, productName, url(config.successUrl(), "payments.successUrl"),
                url(config.cancelUrl(), "payments.cancelUrl"),
                provider.equals(STRIPE) ? stripe(config.stripe()) : null);
    }

    private static Stripe stripe(StripeConfig config) {
        String key = text(config.apiKey());
        String secret = text(config.webhookSecret());
        if (key.isEmpty()) {
            throw new ConfigException("payments.provider is stripe but payments.stripe.apiKey is empty; set "
                    + "AIGNE_HUB_PAYMENTS_STRIPE_API_KEY to the secret key (sk_…) or a restricted key (rk_…) that may "
                    + "write Checkout Sessions");
        }
        if (secret.isEmpty()) {
            throw new ConfigException("payments.provider is stripe but payments.stripe.webhookSecret is empty; set "
                    + "AIGNE_HUB_PAYMENTS_STRIPE_WEBHOOK_SECRET to the signing secret (whsec_…) of the webhook "
                    + "endpoint <public URL>/api/payment/stripe/webhook");
        }
        String base = url(config.apiBase(), "payments.stripe.apiBase");
        if (base == null) {
            throw new ConfigException("payments.stripe.apiBase must be set, normally to https://api.stripe.com");
        }
        if (config.timeoutSeconds() < 1 || config.webhookToleranceSeconds() < 1) {
            throw new ConfigException("payments.stripe.timeoutSeconds and payments.stripe.webhookToleranceSeconds "
                    + "must be at least 1");
        }
        return new Stripe(key, secret, URI.create(base.replaceAll("/+$", "")), Duration.ofSeconds(config.timeoutSeconds()),
                Duration.ofSeconds(config.webhookToleranceSeconds()));
    }

    /** An absolute http(s) URL, or null when the setting is empty. */
    private static String url(String value, String setting) {
        String url = text(value);
        if (url.isEmpty()) {
            return null;
        }
        try {
            // Stripe replaces this placeholder in a success URL; it is not valid in a URI as written.
            URI uri = URI.create(url.replace("{CHECKOUT_SESSION_ID}", "session"));
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return url;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new ConfigException(setting + " must be an absolute http(s) URL; got '" + url + "'");
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }
}
