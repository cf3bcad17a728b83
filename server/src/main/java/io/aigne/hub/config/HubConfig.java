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
        LimitsConfig limits) {

    public HubConfig {
        providers = providers == null ? List.of() : List.copyOf(providers);
        media = media == null ? MediaConfig.DEFAULTS : media;
        auth = auth == null ? AuthConfig.DEFAULTS : auth;
        limits = limits == null ? LimitsConfig.DEFAULTS : limits;
    }

    /** A configuration with the default {@link MediaConfig} and {@link AuthConfig}. */
    public HubConfig(ServerConfig server, String dataDir, DatabaseConfig database, SecurityConfig security,
                     UpstreamConfig upstream, RoutingConfig routing, LedgerConfig ledger,
                     List<ProviderDeclaration> providers) {
        this(server, dataDir, database, security, upstream, routing, ledger, providers, null, null, null);
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
    public record AuthConfig(int webSessionTtlSeconds, int connectSessionTtlSeconds) {
        public static final AuthConfig DEFAULTS = new AuthConfig(43_200, 1_800);
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
