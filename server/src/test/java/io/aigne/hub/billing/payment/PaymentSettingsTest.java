package io.aigne.hub.billing.payment;

import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.config.HubConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The payments section: defaults, environment overrides for the secrets, validation, masking and the price rule. */
class PaymentSettingsTest {
    private static final String KEY = "sk_test_51Habcdefghijklmnopqrstuv";
    private static final String SECRET = "whsec_abcdefghijklmnopqrstuvwxyz012345";

    @TempDir
    Path dir;

    private static PaymentSettings settings(Map<String, String> env) {
        return PaymentSettings.from(ConfigLoader.load(Optional.empty(), env).payments());
    }

    private static Map<String, String> stripeEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("AIGNE_HUB_PAYMENTS_PROVIDER", "stripe");
        env.put("AIGNE_HUB_PAYMENTS_STRIPE_API_KEY", KEY);
        env.put("AIGNE_HUB_PAYMENTS_STRIPE_WEBHOOK_SECRET", SECRET);
        return env;
    }

    @Test
    void byDefaultPurchasesAreOff() {
        PaymentSettings settings = settings(Map.of());

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.provider()).isEqualTo("none");
        assertThat(settings.stripe()).isNull();
        assertThat(settings.price().currency()).isEqualTo("usd");
        assertThat(settings.price().pricePerCredit()).isEqualByComparingTo("1.00");
    }

    @Test
    void stripeSecretsComeFromTheEnvironmentAndAreNeverPrinted() throws IOException {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, """
                payments:
                  provider: stripe
                  currency: EUR
                  pricePerCredit: "0.015"
                  stripe:
                    apiKey: ${STRIPE_SECRET_KEY}
                """);
        Map<String, String> env = new HashMap<>(Map.of("STRIPE_SECRET_KEY", KEY,
                "AIGNE_HUB_PAYMENTS_STRIPE_WEBHOOK_SECRET", SECRET));
        HubConfig config = ConfigLoader.load(Optional.of(file), env);
        PaymentSettings settings = PaymentSettings.from(config.payments());

        assertThat(settings.stripe().apiKey()).isEqualTo(KEY);
        assertThat(settings.stripe().webhookSecret()).isEqualTo(SECRET);
        assertThat(settings.stripe().apiBase()).hasToString("https://api.stripe.com");
        assertThat(settings.stripe().webhookTolerance()).hasSeconds(300);
        assertThat(settings.price().currency()).isEqualTo("eur");
        for (String printed : new String[] {config.toString(), config.payments().toString(), settings.toString()}) {
            assertThat(printed).doesNotContain(KEY).doesNotContain(SECRET).contains("sk_t").contains("whse");
        }
    }

    @Test
    void theDocumentedExampleConfigurationEnablesStripeWithTheSecretsFromTheEnvironment() {
        Path example = Path.of("../config/aigne-hub.example.yaml");
        Map<String, String> env = Map.of("STRIPE_SECRET_KEY", KEY, "STRIPE_WEBHOOK_SECRET", SECRET,
                "AIGNE_HUB_PAYMENTS_PROVIDER", "stripe");

        PaymentSettings settings = PaymentSettings.from(ConfigLoader.load(Optional.of(example), env).payments());

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.stripe().apiKey()).isEqualTo(KEY);
        assertThat(settings.stripe().webhookSecret()).isEqualTo(SECRET);
        assertThat(settings.price().formatPerCredit()).isEqualTo("1 USD");
        assertThat(settings.price().maxCredits()).isEqualTo(10_000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "AIGNE_HUB_PAYMENTS_PROVIDER|paypal|payments.provider must be 'none' or 'stripe'",
            "AIGNE_HUB_PAYMENTS_STRIPE_API_KEY|''|AIGNE_HUB_PAYMENTS_STRIPE_API_KEY",
            "AIGNE_HUB_PAYMENTS_STRIPE_WEBHOOK_SECRET|''|/api/payment/stripe/webhook",
            "AIGNE_HUB_PAYMENTS_CURRENCY|dollars|three-letter ISO currency code",
            "AIGNE_HUB_PAYMENTS_PRICE_PER_CREDIT|cheap|payments.pricePerCredit must be a decimal number",
            "AIGNE_HUB_PAYMENTS_PRICE_PER_CREDIT|0|payments.pricePerCredit must be above 0",
            "AIGNE_HUB_PAYMENTS_PRICE_PER_CREDIT|0.001|less than the smallest unit of usd",
            "AIGNE_HUB_PAYMENTS_MAX_CREDITS|0|payments.maxCredits from minCredits",
            "AIGNE_HUB_PAYMENTS_CURRENCY_DECIMALS|4|payments.currencyDecimals must be 0 to 3",
            "AIGNE_HUB_PAYMENTS_SUCCESS_URL|/credits/done|payments.successUrl must be an absolute http(s) URL",
            "AIGNE_HUB_PAYMENTS_STRIPE_API_BASE|ftp://stripe|payments.stripe.apiBase must be an absolute http(s) URL"})
    void mistakesStopTheStartWithTheSettingNamed(String variable, String value, String message) {
        Map<String, String> env = stripeEnv();
        env.put(variable, value);

        assertThatThrownBy(() -> settings(env)).isInstanceOf(ConfigException.class).hasMessageContaining(message)
                .hasMessageNotContaining(KEY).hasMessageNotContaining(SECRET);
    }

    @Test
    void aSuccessUrlMayCarryStripesSessionPlaceholder() {
        Map<String, String> env = stripeEnv();
        env.put("AIGNE_HUB_PAYMENTS_SUCCESS_URL", "https://shop.example/thanks?session={CHECKOUT_SESSION_ID}");

        assertThat(settings(env).successUrl()).isEqualTo("https://shop.example/thanks?session={CHECKOUT_SESSION_ID}");
    }

    @ParameterizedTest
    @CsvSource({
            "usd, 2, 1.00,   7,    700,   7.00 USD",
            "usd, 2, 0.015,  3,    5,     0.05 USD",
            "usd, 2, 0.015,  1,    2,     0.02 USD",
            "usd, 2, 0.0125, 2,    3,     0.03 USD",
            "jpy, 0, 1.5,    3,    5,     5 JPY",
            "kwd, 3, 0.0001, 12345, 1235, 1.235 KWD"})
    void aPurchaseCostsCreditsTimesPriceRoundedHalfUpToTheSmallestUnit(String currency, int decimals, String price,
                                                                      long credits, long expectedMinor, String shown) {
        CreditPrice p = new CreditPrice(currency, decimals, new BigDecimal(price), 1, 1_000_000);

        assertThat(p.amountMinor(credits)).isEqualTo(expectedMinor);
        assertThat(p.format(p.amountMinor(credits))).isEqualTo(shown);
    }
}
