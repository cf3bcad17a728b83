package io.aigne.hub.config;

import java.util.List;

/**
 * The whole configuration of a hub, bound from one YAML file with environment overrides (see {@link ConfigLoader}).
 * Every leaf can be overridden by an environment variable named after its path, e.g. {@code server.port} by
 * {@code AIGNE_HUB_SERVER_PORT}.
 */
public record HubConfig(
        ServerConfig server,
        String dataDir,
        DatabaseConfig database,
        SecurityConfig security,
        UpstreamConfig upstream,
        RoutingConfig routing,
        LedgerConfig ledger,
        List<ProviderDeclaration> providers,
        MediaConfig media,
        AuthConfig auth,
        BillingConfig billing,
        PaymentsConfig payments,
        LimitsConfig limits) {

    public HubConfig {
        providers = providers == null ? List.of() : List.copyOf(providers);
        media = media == null ? MediaConfig.DEFAULTS : media;
        auth = auth == null ? AuthConfig.DEFAULTS : auth;
        billing = billing == null ? BillingConfig.DEFAULTS : billing;
        payments = payments == null ? PaymentsConfig.DEFAULTS : payments;
        limits = limits == null ? LimitsConfig.DEFAULTS : limits;
    }

    /** A configuration with the default {@link MediaConfig} and {@link AuthConfig}. */
    public HubConfig(ServerConfig server, String dataDir, DatabaseConfig database, SecurityConfig security,
                     UpstreamConfig upstream, RoutingConfig routing, LedgerConfig ledger,
                     List<ProviderDeclaration> providers) {
        this(server, dataDir, database, security, upstream, routing, ledger, providers, null, null, null, null, null);
    }

    /** The same configuration with these declared providers. */
    public HubConfig withProviders(List<ProviderDeclaration> declared) {
        return new HubConfig(server, dataDir, database, security, upstream, routing, ledger, declared, media, auth,
                billing, payments, limits);
    }

    public record ServerConfig(
            String host,
            int port,
            long maxBodyBytes,
            int shutdownGraceSeconds,
            String publicUrl,
            TlsConfig tls,
            List<String> trustedProxies) {
        public ServerConfig {
            tls = tls == null ? TlsConfig.DISABLED : tls;
            trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        }
    }

    /**
     * HTTPS on its own port, from PEM files ({@code certificate} + {@code privateKey}), a PKCS#12/JKS
     * {@code keystore}, or a certificate the hub generates once under the data directory ({@code selfSigned}).
     * {@code httpEnabled: false} leaves only the HTTPS listener. Empty strings mean "not set".
     */
    public record TlsConfig(
            boolean enabled,
            int port,
            String certificate,
            String privateKey,
            String keystore,
            String keystorePassword,
            String keystoreType,
            String keystoreAlias,
            boolean selfSigned,
            boolean httpEnabled) {
        public static final TlsConfig DISABLED = new TlsConfig(false, 8443, "", "", "", "", "", "", false, true);

        public TlsConfig {
            certificate = blankToEmpty(certificate);
            privateKey = blankToEmpty(privateKey);
            keystore = blankToEmpty(keystore);
            keystorePassword = keystorePassword == null ? "" : keystorePassword;
            keystoreType = blankToEmpty(keystoreType);
            keystoreAlias = blankToEmpty(keystoreAlias);
        }

        private static String blankToEmpty(String value) {
            return value == null ? "" : value.trim();
        }

        @Override
        public String toString() {
            return "TlsConfig[enabled=" + enabled + ", port=" + port + ", certificate=" + certificate
                    + ", privateKey=" + privateKey + ", keystore=" + keystore + ", keystorePassword="
                    + (keystorePassword.isEmpty() ? "" : "***") + ", keystoreType=" + keystoreType
                    + ", keystoreAlias=" + keystoreAlias + ", selfSigned=" + selfSigned
                    + ", httpEnabled=" + httpEnabled + "]";
        }
    }

    /** An empty {@code url} means the embedded SQLite database under the data directory. */
    public record DatabaseConfig(String url, String username, String password, int poolSize) {
        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    /**
     * {@code masterKey}: base64 of 32 bytes, optionally prefixed by {@code <version>:}. Empty means a key file
     * generated under the data directory. {@code previousMasterKeys} keep older versions readable during a
     * rotation.
     */
    public record SecurityConfig(String masterKey, List<String> previousMasterKeys, int accessKeyCacheSeconds) {
        public SecurityConfig {
            previousMasterKeys = previousMasterKeys == null ? List.of() : List.copyOf(previousMasterKeys);
        }
    }

    public record UpstreamConfig(
            int connectTimeoutMillis,
            int firstByteTimeoutMillis,
            int streamIdleTimeoutMillis,
            long maxResponseBytes,
            int drainAfterDisconnectMillis,
            long mediaMaxBytes,
            boolean mediaAllowPrivateAddresses,
            int videoTimeoutSeconds) {
    }

    public record RoutingConfig(
            int maxAttempts,
            int rateLimitCooldownSeconds,
            int retestInitialSeconds,
            int retestMaxSeconds,
            int modelListCacheSeconds) {
    }

    public record LedgerConfig(int batchSize, int flushIntervalMillis) {
    }

    /** A provider declared in the configuration file; its credentials usually come from environment variables. */
    public record ProviderDeclaration(
            String name,
            String type,
            String displayName,
            String baseUrl,
            String region,
            Boolean enabled,
            List<String> models,
            List<CredentialDeclaration> credentials) {
        public ProviderDeclaration {
            models = models == null ? List.of() : List.copyOf(models);
            credentials = credentials == null ? List.of() : List.copyOf(credentials);
        }
    }

    public record CredentialDeclaration(
            String name,
            String apiKey,
            String accessKeyId,
            String secretAccessKey,
            String sessionToken,
            Integer weight) {
        @Override
        public String toString() {
            return "CredentialDeclaration[name=" + name + ", weight=" + weight + "]";
        }
    }

    /**
     * Files the hub generates for callers that asked for a link (AIGNE {@code outputFileType: "url"}, OpenAI
     * {@code response_format: "url"} for a provider that answers bytes). An empty {@code directory} means
     * {@code <dataDir>/media}; links are built from {@code server.publicUrl} when set, else from the request.
     */
    public record MediaConfig(boolean enabled, String directory, long maxFileBytes, int retentionHours,
                              int sweepIntervalMinutes) {
        public static final MediaConfig DEFAULTS = new MediaConfig(true, "", 50L << 20, 168, 30);
    }

    /**
     * Browser sign-in and {@code aigne hub connect}: how long a sign-in lasts, and how long a connect request
     * waits for the user's approval.
     */
    public record AuthConfig(int webSessionTtlSeconds, int connectSessionTtlSeconds, OidcConfig oidc) {
        public static final AuthConfig DEFAULTS = new AuthConfig(43_200, 1_800, OidcConfig.DEFAULTS);

        public AuthConfig {
            oidc = oidc == null ? OidcConfig.DEFAULTS : oidc;
        }
    }

    /**
     * Sign-in through an OpenID Connect provider (authorization code flow with PKCE). The hub's redirect URI to
     * register at the provider is {@code <public URL>/auth/oidc/callback}. {@code clientSecret} is best given as
     * {@code ${VAR}} or through {@code AIGNE_HUB_AUTH_OIDC_CLIENT_SECRET}; it is never printed.
     *
     * @param issuer        the provider's issuer URL; its {@code /.well-known/openid-configuration} is read
     * @param scopes        asked for; {@code openid} is always included
     * @param displayName   shown on the sign-in button: "Sign in with {displayName}"
     * @param defaultRole   the role of users created by their first sign-in
     * @param userNameClaim the ID token claim that names a new user; falls back to email, then sub
     */
    public record OidcConfig(boolean enabled, String issuer, String clientId, String clientSecret,
                             List<String> scopes, String displayName, String defaultRole, String userNameClaim) {
        public static final OidcConfig DEFAULTS = new OidcConfig(false, "", "", "",
                List.of("openid", "profile", "email"), "OpenID Connect", "member", "preferred_username");

        public OidcConfig {
            scopes = scopes == null || scopes.isEmpty() ? List.of("openid", "profile", "email") : List.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "OidcConfig[enabled=" + enabled + ", issuer=" + issuer + ", clientId=" + clientId
                    + ", clientSecret=" + io.aigne.hub.secret.Masking.mask(clientSecret) + ", scopes=" + scopes
                    + ", displayName=" + displayName + ", defaultRole=" + defaultRole + ", userNameClaim="
                    + userNameClaim + "]";
        }
    }

    /**
     * Credit billing (spec §13). Off: every call's cost is still computed from the model rates and recorded, but
     * nobody is charged or refused. On: calls reserve credit before they start and are charged what they cost.
     * Amounts and prices are decimal strings. These are the defaults; owners can change the run-time settings
     * through the billing settings API, which wins over this file.
     *
     * @param baseCreditPrice      USD per credit: turns a provider's price into credits
     * @param marginPercent        added to a provider's price when rates are derived from it
     * @param newUserGrant         credits granted once to each new user (0: none)
     * @param creditExpirationDays a grant's validity (0: never expires)
     * @param holdOutputTokens     output tokens reserved for a call that sets no limit of its own
     * @param holdTtlSeconds       an open hold older than this is released by any node (its call died with its node)
     * @param unpricedModels       {@code refuse} or {@code free}: what happens, with billing on, to a model without a rate
     * @param purchaseUrl          where users buy credits; empty: the hub's own purchase page
     * @param creditPrefix         shown before amounts by the AIGNE clients ("$", "€" or empty)
     * @param nodeId               names this hub process among several sharing one database; empty: host:port
     */
    public record BillingConfig(boolean enabled, String baseCreditPrice, String marginPercent, String newUserGrant,
                                int creditExpirationDays, int holdOutputTokens, int holdTtlSeconds,
                                String unpricedModels, String purchaseUrl, String creditPrefix, String nodeId) {
        public static final BillingConfig DEFAULTS = new BillingConfig(false, "1", "2", "0", 0, 4096, 3600, "refuse",
                "", "", "");
    }

    /**
     * Buying credits. {@code provider}: {@code none} (no purchases) or {@code stripe} (Stripe Checkout). A purchase
     * of N whole credits costs N × {@code pricePerCredit} (a decimal in the currency's main unit) rounded half up to
     * the currency's smallest unit ({@code currencyDecimals}: 2 for usd/eur, 0 for jpy). Empty success/cancel URLs
     * mean the hub's purchase page at the public origin. Validated by {@code billing.payment.PaymentSettings}.
     */
    public record PaymentsConfig(String provider, String currency, int currencyDecimals, String pricePerCredit,
                                 long minCredits, long maxCredits, String productName, String successUrl,
                                 String cancelUrl, StripeConfig stripe) {
        public static final PaymentsConfig DEFAULTS = new PaymentsConfig("none", "usd", 2, "1.00", 1, 10_000,
                "AIGNE Hub credits", "", "", null);

        public PaymentsConfig {
            stripe = stripe == null ? StripeConfig.DEFAULTS : stripe;
        }
    }

    /**
     * Stripe's secret (or restricted) API key and the signing secret of the webhook endpoint, best given through
     * {@code AIGNE_HUB_PAYMENTS_STRIPE_API_KEY} / {@code AIGNE_HUB_PAYMENTS_STRIPE_WEBHOOK_SECRET}; never printed.
     */
    public record StripeConfig(String apiKey, String webhookSecret, String apiBase, int timeoutSeconds,
                               int webhookToleranceSeconds) {
        public static final StripeConfig DEFAULTS = new StripeConfig("", "", "https://api.stripe.com", 30, 300);

        @Override
        public String toString() {
            return "StripeConfig[apiKey=" + io.aigne.hub.secret.Masking.mask(apiKey) + ", webhookSecret="
                    + io.aigne.hub.secret.Masking.mask(webhookSecret) + ", apiBase=" + apiBase + ", timeoutSeconds="
                    + timeoutSeconds + ", webhookToleranceSeconds=" + webhookToleranceSeconds + "]";
        }
    }

    /**
     * Quotas and rate limits: where the window counters live ({@code backend}: {@code memory} for one node,
     * {@code redis} for several sharing {@code redisUrl}, keys starting with {@code keyPrefix}), how long a Redis
     * operation may take, what calls get while the counters cannot be reached ({@code onBackendFailure}: {@code open}
     * or {@code closed}), and how often limits and IP rules changed on other nodes are re-read.
     */
    public record LimitsConfig(String backend, String redisUrl, String keyPrefix, int redisTimeoutMillis,
                               String onBackendFailure, int reloadSeconds) {
        public static final LimitsConfig DEFAULTS = new LimitsConfig("memory", "", "aigne-hub:limits:", 500, "open",
                15);

        @Override
        public String toString() {
            return "LimitsConfig[backend=" + backend + ", redisUrl=" + String.valueOf(redisUrl).replaceAll("//[^@/]*@", "//***@")
                    + ", keyPrefix=" + keyPrefix + ", redisTimeoutMillis=" + redisTimeoutMillis
                    + ", onBackendFailure=" + onBackendFailure + ", reloadSeconds=" + reloadSeconds + "]";
        }
    }
}
