package io.aigne.hub;

import io.aigne.hub.audit.AuditLog;
import io.aigne.hub.audit.RequestActors;
import io.aigne.hub.iprules.IpAddresses;
import io.aigne.hub.auth.AccessKeys;
import io.aigne.hub.auth.IssuedKey;
import io.aigne.hub.auth.KeyAdmin;
import io.aigne.hub.auth.OwnerBootstrap;
import io.aigne.hub.auth.ExternalUsers;
import io.aigne.hub.auth.IdentityStore;
import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.UserAdmin;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.billing.Billing;
import io.aigne.hub.billing.BillingSettings;
import io.aigne.hub.billing.CreditLedger;
import io.aigne.hub.billing.LedgerCreditGrants;
import io.aigne.hub.billing.RateBasis;
import io.aigne.hub.billing.RateCard;
import io.aigne.hub.billing.RateChanges;
import io.aigne.hub.billing.RateHistory;
import io.aigne.hub.billing.RateStore;
import io.aigne.hub.billing.catalog.PriceCatalog;
import io.aigne.hub.billing.payment.CreditPurchases;
import io.aigne.hub.billing.payment.PaymentSettings;
import io.aigne.hub.billing.payment.PaymentStore;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.gateway.ModelCatalog;
import io.aigne.hub.gateway.StreamWatchdog;
import io.aigne.hub.gateway.CallScope;
import io.aigne.hub.gateway.TranslatedCalls;
import io.aigne.hub.gateway.aigne.AigneGateway;
import io.aigne.hub.gateway.aigne.AigneLegacyGateway;
import io.aigne.hub.gateway.anthropic.AnthropicErrors;
import io.aigne.hub.gateway.anthropic.AnthropicGateway;
import io.aigne.hub.gateway.openai.OpenAiGateway;
import io.aigne.hub.gateway.upstream.Http1UpstreamClient;
import io.aigne.hub.gateway.upstream.UpstreamClient;
import io.aigne.hub.iprules.GlobalIpRules;
import io.aigne.hub.iprules.IpRuleFilter;
import io.aigne.hub.iprules.IpRuleStore;
import io.aigne.hub.limits.ActiveLimits;
import io.aigne.hub.limits.CallLimiter;
import io.aigne.hub.limits.CounterStore;
import io.aigne.hub.limits.CounterStores;
import io.aigne.hub.limits.LimitStore;
import io.aigne.hub.limits.OnStoreFailure;
import io.aigne.hub.media.MediaPublisher;
import io.aigne.hub.media.MediaRoute;
import io.aigne.hub.media.MediaStore;
import io.aigne.hub.media.PublicOrigin;
import io.aigne.hub.playground.ConversationStore;
import io.aigne.hub.playground.GuestPlaygroundGate;
import io.aigne.hub.playground.HubSettings;
import io.aigne.hub.playground.PlaygroundAccess;
import io.aigne.hub.provider.ProviderService;
import io.aigne.hub.provider.ProviderStore;
import io.aigne.hub.provider.MediaFetcher;
import io.aigne.hub.provider.ProviderAdapters;
import io.aigne.hub.provider.ProviderHttp;
import io.aigne.hub.provider.anthropic.AnthropicAdapter;
import io.aigne.hub.provider.bedrock.BedrockAdapter;
import io.aigne.hub.provider.gemini.GeminiAdapter;
import io.aigne.hub.provider.ideogram.IdeogramAdapter;
import io.aigne.hub.provider.openai.OpenAiAdapter;
import io.aigne.hub.provider.VideoPolling;
import io.aigne.hub.provider.openai.OpenAiUpstream;
import io.aigne.hub.routing.Router;
import io.aigne.hub.secret.MasterKeyRing;
import io.aigne.hub.secret.SecretBox;
import io.aigne.hub.server.Authenticator;
import io.aigne.hub.server.ClientAddress;
import io.aigne.hub.server.Exchange;
import io.aigne.hub.server.HubServer;
import io.aigne.hub.server.tls.ServerCertificate;
import io.aigne.hub.server.tls.ServerTls;
import io.aigne.hub.store.Database;
import io.aigne.hub.usage.CallJournal;
import io.aigne.hub.usage.ModelCallStore;
import io.aigne.hub.usage.UsageLedger;
import io.aigne.hub.web.api.AccessKeysApi;
import io.aigne.hub.web.api.AuditApi;
import io.aigne.hub.web.api.CreditPurchaseApi;
import io.aigne.hub.web.api.CreditsApi;
import io.aigne.hub.web.api.IpRulesApi;
import io.aigne.hub.web.api.LimitsApi;
import io.aigne.hub.web.api.ModelCallsApi;
import io.aigne.hub.web.api.ModelRatesApi;
import io.aigne.hub.web.api.PlaygroundConversationsApi;
import io.aigne.hub.web.api.PlaygroundSettingsApi;
import io.aigne.hub.web.api.PricingApi;
import io.aigne.hub.web.api.RateAdminApi;
import io.aigne.hub.web.api.ModelStatsApi;
import io.aigne.hub.web.api.Names;
import io.aigne.hub.web.api.ProjectUsageApi;
import io.aigne.hub.web.api.RollupRebuildApi;
import io.aigne.hub.web.api.UsageTrendsApi;
import io.aigne.hub.analytics.RollupReader;
import io.aigne.hub.web.api.ProvidersApi;
import io.aigne.hub.web.api.UsersApi;
import io.aigne.hub.web.connect.AccessKeySessionApi;
import io.aigne.hub.web.connect.ApprovalPage;
import io.aigne.hub.web.connect.ConnectSessions;
import io.aigne.hub.web.credits.PurchasePage;
import io.aigne.hub.web.console.ConsoleRoutes;
import io.aigne.hub.web.console.StaticAssets;
import io.aigne.hub.web.session.BrowserCallers;
import io.aigne.hub.web.session.SignInPage;
import io.aigne.hub.web.session.SignInThrottle;
import io.aigne.hub.web.session.oidc.OidcClient;
import io.aigne.hub.web.session.oidc.OidcSignIn;
import io.aigne.hub.web.session.WebSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import io.helidon.webserver.http.HttpRouting;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A running hub: the database, the secrets, the router, the ledger and the HTTP server, wired by hand in the
 * order they depend on each other, and closed in reverse: stop accepting, finish in-flight calls, flush the
 * ledger, close the database.
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    /** Secrets sealed in the database are sealed under subkeys for this purpose. */
    public static final String CREDENTIAL_PURPOSE = "provider-credentials";

    private final HubConfig config;
    private final Database database;
    private final UserStore users;
    private final AccessKeys keys;
    private final AuditLog audit;
    private final ProviderStore providers;
    private final ProviderService providerService;
    private final Router router;
    private final UsageLedger ledger;
    private final BillingSettings billingSettings;
    private final RateCard rateCard;
    private final CreditLedger credits;
    private final Billing billing;
    private final StreamWatchdog watchdog;
    private final UpstreamClient upstreamClient;
    private final ScheduledExecutorService background;
    private final HubServer server;
    private final Optional<ServerCertificate> tlsCertificate;
    private final Optional<IssuedKey> initialOwnerKey;
    private final OpenAiGateway gateway;
    private final CallScope calls;
    private final AnthropicGateway anthropicGateway;
    private final AigneGateway aigneGateway;
    private final AigneLegacyGateway legacyGateway;
    private final CreditPurchases purchases;
    private final CounterStore limitCounters;
    private volatile boolean closed;

    private Hub(HubConfig config) {
        this.config = config;
        Path dataDir = Path.of(config.dataDir());
        // Before anything is opened: a certificate mistake stops the start with nothing to clean up.
        this.tlsCertificate = ServerTls.load(config.server(), dataDir);
        PaymentSettings paymentSettings = PaymentSettings.from(config.payments());
        ClientAddress clients = ClientAddress.fromConfig(config.server().trustedProxies());
        OnStoreFailure onLimitStoreFailure = CounterStores.onFailure(config.limits());
        this.database = Database.open(config.database(), dataDir);
        MasterKeyRing ring = MasterKeyRing.load(config.security(), dataDir);
        SecretBox box = new SecretBox(ring, CREDENTIAL_PURPOSE);
        this.users = new UserStore(database.jdbi());
        this.keys = new AccessKeys(database.jdbi(), Duration.ofSeconds(config.security().accessKeyCacheSeconds()));
        this.audit = new AuditLog(database.jdbi());
        this.providers = new ProviderStore(database.jdbi(), box);
        this.background = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("hub-background-", 0)
                .daemon(true).factory());
        this.router = new Router(providers, config.routing(), Clock.systemUTC(), background);
        this.providerService = new ProviderService(providers, router, audit);
        router.reload();
        providerService.syncDeclared(config.providers());
        UserAdmin userAdmin = new UserAdmin(users, keys, audit);
        KeyAdmin keyAdmin = new KeyAdmin(keys, audit);
        this.initialOwnerKey = OwnerBootstrap.ensureOwner(users, userAdmin, keyAdmin);

        this.billingSettings = new BillingSettings(database.jdbi(), config.billing());
        this.rateCard = new RateCard(new RateStore(database.jdbi()));
        this.credits = new CreditLedger(database.jdbi(), database.dialect(), billingSettings::current);
        this.billing = new Billing(credits, rateCard, billingSettings, nodeId(config, database, dataDir),
                Duration.ofSeconds(Math.max(60, config.billing().holdTtlSeconds())));
        this.ledger = new UsageLedger(database.dataSource(), dataDir.resolve("ledger-rejected.jsonl"),
                config.ledger().batchSize(),
                Duration.ofMillis(config.ledger().flushIntervalMillis()),
                new CallJournal(dataDir.resolve("journal")),
                owing -> credits.jdbi().useTransaction(h -> owing.forEach(r -> credits.settle(h, billing.settlement(r)))));
        // What the last run left: calls journaled but not written are written and charged, then the holds of calls
        // that never ended are released.
        ledger.recover();
        int released = credits.releaseAbandonedHolds(billing.node(), System.currentTimeMillis());
        if (released > 0) {
            LOG.info("released {} credit holds of calls the previous run did not finish", released);
        }
        this.watchdog = new StreamWatchdog(Duration.ofMillis(config.upstream().streamIdleTimeoutMillis()));
        this.upstreamClient = new Http1UpstreamClient(Duration.ofMillis(config.upstream().connectTimeoutMillis()));
        OpenAiUpstream openAi = new OpenAiUpstream(upstreamClient,
                Duration.ofMillis(config.upstream().firstByteTimeoutMillis()));
        ProviderHttp http = new ProviderHttp(upstreamClient, Duration.ofMillis(config.upstream().firstByteTimeoutMillis()),
                config.upstream().maxResponseBytes());
        MediaFetcher media = new MediaFetcher(upstreamClient, Duration.ofSeconds(30), config.upstream().mediaMaxBytes(),
                config.upstream().mediaAllowPrivateAddresses());
        VideoPolling videoPolling = VideoPolling.of(Duration.ofSeconds(config.upstream().videoTimeoutSeconds()));
        ProviderAdapters adapters = new ProviderAdapters(List.of(new OpenAiAdapter(http, openAi, videoPolling),
                new AnthropicAdapter(http, media), new GeminiAdapter(http, media, videoPolling), new BedrockAdapter(http, media),
                new IdeogramAdapter(http, media)));
        Authenticator auth = new Authenticator(keys, clients);
        LimitStore limitStore = new LimitStore(database.jdbi());
        ActiveLimits activeLimits = new ActiveLimits(limitStore::list);
        activeLimits.reload();
        IpRuleStore ipRuleStore = new IpRuleStore(database.jdbi());
        GlobalIpRules globalIpRules = new GlobalIpRules(ipRuleStore);
        globalIpRules.reload();
        this.limitCounters = CounterStores.open(config.limits(), Clock.systemUTC());
        CallLimiter limiter = new CallLimiter(activeLimits, limitCounters, onLimitStoreFailure, Clock.systemUTC());
        ModelCatalog catalog = new ModelCatalog(router, adapters,
                Duration.ofSeconds(config.routing().modelListCacheSeconds()));
        long maxBody = config.server().maxBodyBytes();
        TranslatedCalls translated = new TranslatedCalls(router, watchdog,
                Duration.ofMillis(config.upstream().drainAfterDisconnectMillis()));
        MediaStore mediaStore = openMediaStore(config.media(), dataDir);
        PublicOrigin publicOrigin = new PublicOrigin(config.server().publicUrl());
        MediaPublisher mediaPublisher = new MediaPublisher(mediaStore, publicOrigin);
        this.calls = new CallScope(ledger, billing, publicOrigin, limiter);
        this.gateway = new OpenAiGateway(auth, router, adapters, translated, openAi, calls, watchdog, catalog,
                new OpenAiGateway.Limits(maxBody, config.upstream().maxResponseBytes(),
                        Duration.ofMillis(config.upstream().drainAfterDisconnectMillis())), mediaPublisher);
        this.anthropicGateway = new AnthropicGateway(auth, router, adapters, http, translated, calls, maxBody);
        this.aigneGateway = new AigneGateway(auth, router, adapters, translated, calls, catalog, users, maxBody,
                mediaPublisher);
        this.legacyGateway = new AigneLegacyGateway(auth, router, adapters, translated, calls, mediaPublisher,
                maxBody);
        // The one place the client address of audit records comes from.
        RequestActors actors = new RequestActors(req -> IpAddresses.format(clients.of(req)));
        ProvidersApi providersApi = new ProvidersApi(auth, actors, providerService, providers, router, adapters,
                maxBody);
        AccessKeysApi keysApi = new AccessKeysApi(auth, actors, keys, keyAdmin, users, maxBody);
        UsersApi usersApi = new UsersApi(auth, actors, users, userAdmin, keys, maxBody);
        AuditApi auditApi = new AuditApi(auth, audit);
        Names names = new Names(users, router);
        ModelCallStore callStore = new ModelCallStore(database.jdbi());
        RollupReader rollups = new RollupReader(database.jdbi());
        ModelCallsApi callsApi = new ModelCallsApi(auth, callStore, names, Clock.systemUTC());
        UsageTrendsApi usageTrendsApi = new UsageTrendsApi(auth, rollups, names, Clock.systemUTC());
        ProjectUsageApi projectUsageApi = new ProjectUsageApi(auth, rollups, callStore, names, Clock.systemUTC());
        ModelStatsApi modelStatsApi = new ModelStatsApi(auth, rollups, names, Clock.systemUTC());
        RollupRebuildApi rebuildApi = new RollupRebuildApi(auth, database.dataSource(), maxBody);
        CreditsApi creditsApi = new CreditsApi(auth, actors, audit, billing, users, publicOrigin, maxBody);
        LimitsApi limitsApi = new LimitsApi(auth, actors, audit, limitStore, activeLimits, limiter, users, keys, maxBody);
        IpRulesApi ipRulesApi = new IpRulesApi(auth, actors, audit, ipRuleStore, globalIpRules, maxBody);
        // Refusals by the hub-wide IP rules come in the shape of the door the path belongs to.
        IpRuleFilter ipFilter = new IpRuleFilter(globalIpRules, clients, path -> path.startsWith("/v1/messages")
                ? AnthropicErrors::send : Exchange::error);
        Supplier<RateBasis> rateBasis = () -> RateBasis.of(billingSettings.current());
        RateChanges rateChanges = new RateChanges(rateCard.store(), rateCard, audit);
        ModelRatesApi ratesApi = new ModelRatesApi(auth, actors, rateChanges, new RateHistory(database.jdbi()), router,
                rateBasis, maxBody);
        RateAdminApi rateAdminApi = new RateAdminApi(auth, actors, rateChanges, billingSettings, catalog, rateBasis,
                PriceCatalog::bundled, maxBody);
        PricingApi pricingApi = new PricingApi(catalog, rateCard, rateBasis);
        WebSessions webSessions = new WebSessions(database.jdbi(),
                Duration.ofSeconds(config.auth().webSessionTtlSeconds()), Clock.systemUTC());
        ConnectSessions connects = new ConnectSessions(Duration.ofSeconds(config.auth().connectSessionTtlSeconds()),
                Clock.systemUTC());
        OidcClient oidc = config.auth().oidc().enabled() ? new OidcClient(config.auth().oidc(), Clock.systemUTC())
                : null;
        SignInPage signIn = new SignInPage(users, webSessions, new SignInThrottle(SignInThrottle.DEFAULT_MAX_FAILURES,
                SignInThrottle.DEFAULT_WINDOW, Clock.systemUTC()), actors::clientAddress,
                oidc == null ? null : oidc.displayName());
        // A first sign-in through the provider creates the user and opens its credit account (the new-user grant).
        OidcSignIn oidcSignIn = oidc == null ? null : new OidcSignIn(oidc,
                new ExternalUsers(users, userAdmin, new IdentityStore(database.jdbi()), credits::account),
                Role.parse(config.auth().oidc().defaultRole()), config.auth().oidc().userNameClaim(), signIn,
                publicOrigin, actors::clientAddress, Clock.systemUTC());
        PlaygroundAccess playgroundAccess = new PlaygroundAccess(new HubSettings(database.jdbi()));
        auth.acceptSessions(new GuestPlaygroundGate(new BrowserCallers(webSessions, users), playgroundAccess));
        PlaygroundConversationsApi conversationsApi = new PlaygroundConversationsApi(auth,
                new ConversationStore(database.jdbi()), playgroundAccess, maxBody);
        PlaygroundSettingsApi playgroundSettingsApi = new PlaygroundSettingsApi(auth, actors, audit, playgroundAccess,
                maxBody);
        ConsoleRoutes console = new ConsoleRoutes(webSessions, users, new StaticAssets());
        AccessKeySessionApi connectApi = new AccessKeySessionApi(connects);
        ApprovalPage approval = new ApprovalPage(connects, webSessions, users, keyAdmin, actors);
        this.purchases = new CreditPurchases(paymentSettings,
                CreditPurchases.providerFor(paymentSettings, Clock.systemUTC()), new PaymentStore(database.jdbi()),
                new LedgerCreditGrants(credits), Clock.systemUTC(), Duration.ofSeconds(10));
        CreditPurchaseApi purchaseApi = new CreditPurchaseApi(auth, purchases, billing, publicOrigin, maxBody);
        PurchasePage purchasePage = new PurchasePage(purchases, webSessions, publicOrigin);

        background.scheduleWithFixedDelay(() -> quietly("deleting expired web sessions", webSessions::sweepExpired),
                1, 10, TimeUnit.MINUTES);
        background.scheduleWithFixedDelay(() -> quietly("re-testing refused credentials",
                () -> router.retestDue(adapters)), 1, 1, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(() -> quietly("reloading the routing table", router::reload),
                15, 15, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(() -> quietly("recording key use", keys::flushLastUsed),
                5, 5, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(() -> quietly("reloading rates and billing settings", () -> {
            rateCard.reload();
            billingSettings.reload();
        }), 15, 15, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(() -> quietly("expiring credit grants and abandoned holds", () -> {
            long now = System.currentTimeMillis();
            credits.expireDue(now);
            credits.releaseAbandonedHolds("", now);
        }), 1, 1, TimeUnit.MINUTES);
        long limitsReload = Math.max(1, config.limits().reloadSeconds());
        background.scheduleWithFixedDelay(() -> quietly("reloading limits and IP rules", () -> {
            activeLimits.reload();
            globalIpRules.reload();
        }), limitsReload, limitsReload, TimeUnit.SECONDS);

        List<Consumer<HttpRouting.Builder>> routes = new ArrayList<>(
                List.of(ipFilter::register, gateway::register, anthropicGateway::register, aigneGateway::register,
                        legacyGateway::register, rateAdminApi::register, ratesApi::register, pricingApi::register,
                        providersApi::register, keysApi::register, callsApi::register,
                        creditsApi::register,
                        signIn::register, connectApi::register, approval::register, usersApi::register,
                        auditApi::register, purchaseApi::register, purchasePage::register, limitsApi::register,
                        ipRulesApi::register));
        routes.addAll(List.of(usageTrendsApi::register, projectUsageApi::register, modelStatsApi::register,
                rebuildApi::register, console::register, conversationsApi::register,
                playgroundSettingsApi::register));
        if (oidcSignIn != null) {
            routes.add(oidcSignIn::register);
        }
        if (mediaStore != null) {
            routes.add(new MediaRoute(mediaStore, Clock.systemUTC())::register);
            long sweepMinutes = Math.max(1, config.media().sweepIntervalMinutes());
            background.scheduleWithFixedDelay(() -> quietly("deleting expired media", mediaStore::sweep),
                    1, sweepMinutes, TimeUnit.MINUTES);
        }
        this.server = new HubServer(config.server().host(),
                config.server().tls().httpEnabled() ? config.server().port() : HubServer.OFF,
                tlsCertificate, config.server().tls().port(),
                Duration.ofSeconds(config.server().shutdownGraceSeconds()),
                routes);
        String host = config.server().host();
        LOG.info("AIGNE Hub listening on {} (database: {})", String.join(" and ", Stream.of(
                        server.port() == HubServer.OFF ? null : "http://" + host + ":" + server.port(),
                        server.httpsPort() == HubServer.OFF ? null : "https://" + host + ":" + server.httpsPort())
                        .filter(Objects::nonNull).toList()),
                database.dialect().name().toLowerCase(java.util.Locale.ROOT));
        tlsCertificate.ifPresent(cert -> LOG.info("HTTPS certificate {} (SHA-256 {}), valid until {}{}",
                cert.file().toAbsolutePath(), cert.sha256Fingerprint(), cert.notAfter(), cert.selfSigned()
                        ? "; self-signed: trust it with NODE_EXTRA_CA_CERTS=" + cert.file().toAbsolutePath()
                        : ""));
    }

    public static Hub start(HubConfig config) {
        // Helidon logs through java.util.logging; route it into the same SLF4J/logback output as the hub.
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        return new Hub(config);
    }

    /** The plain HTTP port, or {@link HubServer#OFF} when {@code server.tls.httpEnabled} is false. */
    public int port() {
        return server.port();
    }

    /** The HTTPS port, or {@link HubServer#OFF} when {@code server.tls.enabled} is false. */
    public int httpsPort() {
        return server.httpsPort();
    }

    /** The certificate the HTTPS listener presents, when HTTPS is on. */
    public Optional<ServerCertificate> tlsCertificate() {
        return tlsCertificate;
    }

    public HubConfig config() {
        return config;
    }

    /** The first owner key when this start created the owner; shown once, never stored. */
    public Optional<IssuedKey> initialOwnerKey() {
        return initialOwnerKey;
    }

    /** Model calls in progress on this hub. */
    public int inFlightCalls() {
        return calls.inFlight();
    }

    public Database database() {
        return database;
    }

    public UserStore users() {
        return users;
    }

    public AccessKeys keys() {
        return keys;
    }

    public AuditLog audit() {
        return audit;
    }

    public UsageLedger ledger() {
        return ledger;
    }

    public Billing billing() {
        return billing;
    }

    public Router router() {
        return router;
    }

    public ProviderService providerService() {
        return providerService;
    }

    /** Buying credits: checkouts, the provider's webhook, the payment link. */
    public CreditPurchases purchases() {
        return purchases;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("shutting down: finishing in-flight calls (up to {} s), then flushing the usage ledger",
                config.server().shutdownGraceSeconds());
        server.close();
        ledger.close();
        background.shutdownNow();
        quietly("recording key use", keys::flushLastUsed);
        watchdog.close();
        upstreamClient.close();
        purchases.close();
        limitCounters.close();
        database.close();
        LOG.info("stopped; {} call records written by this run", ledger.written());
    }

    /**
     * The name this process puts on its credit holds. The embedded database serves one process, so its holds are
     * all this process's; on PostgreSQL each node needs its own stable name (host and data directory by default).
     */
    private static String nodeId(HubConfig config, Database database, Path dataDir) {
        String configured = config.billing().nodeId();
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        if (database.dialect() == Database.Dialect.SQLITE) {
            return "local";
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + dataDir.toAbsolutePath().normalize();
    }

    /** The store for generated files, under the data directory unless configured elsewhere; null when disabled. */
    private static MediaStore openMediaStore(HubConfig.MediaConfig media, Path dataDir) {
        if (!media.enabled()) {
            return null;
        }
        Path directory = media.directory() == null || media.directory().isBlank() ? dataDir.resolve("media")
                : Path.of(media.directory());
        return new MediaStore(directory, media.maxFileBytes(), Duration.ofHours(media.retentionHours()),
                Clock.systemUTC());
    }

    private static void quietly(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.getMessage());
        }
    }
}
