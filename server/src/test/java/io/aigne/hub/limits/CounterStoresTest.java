package io.aigne.hub.limits;

import io.aigne.hub.config.ConfigException;
import io.aigne.hub.config.ConfigLoader;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.config.HubConfig.LimitsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code limits} and {@code server.trustedProxies} settings: defaults, overrides, and mistakes named. */
class CounterStoresTest {

    private static LimitsConfig limits(String backend, String url, String onFailure) {
        return new LimitsConfig(backend, url, "p:", 500, onFailure, 15);
    }

    @Test
    void defaultsAreOneNodeInMemoryFailingOpen() {
        HubConfig config = ConfigLoader.load(Optional.empty(), Map.of());
        assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULTS);
        assertThat(config.server().trustedProxies()).isEmpty();
        try (CounterStore store = CounterStores.open(config.limits(), Clock.systemUTC())) {
            assertThat(store).isInstanceOf(MemoryCounterStore.class);
        }
        assertThat(CounterStores.onFailure(config.limits())).isEqualTo(OnStoreFailure.OPEN);
    }

    @Test
    void theExampleFileLoadsAndEnvironmentOverridesApply() {
        HubConfig config = ConfigLoader.load(Optional.of(Path.of("../config/aigne-hub.example.yaml")), Map.of(
                "AIGNE_HUB_LIMITS_BACKEND", "redis", "AIGNE_HUB_LIMITS_REDIS_URL", "redis://:s3cret@10.1.2.3:6380/2",
                "AIGNE_HUB_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, ::1"));
        assertThat(config.limits().backend()).isEqualTo("redis");
        assertThat(config.limits().toString()).contains("redis://***@10.1.2.3:6380/2").doesNotContain("s3cret");
        assertThat(config.server().trustedProxies()).containsExactly("10.0.0.0/8", "::1");
    }

    @Test
    void mistakesStopTheStartNamingTheSetting() {
        assertThatThrownBy(() -> CounterStores.open(limits("etcd", "", "open"), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.backend")
                .hasMessageContaining("'memory' (one node) or 'redis'");
        assertThatThrownBy(() -> CounterStores.open(limits("redis", "", "open"), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.redisUrl")
                .hasMessageContaining("redis://127.0.0.1:6379/0");
        assertThatThrownBy(() -> CounterStores.open(limits("redis", "http://127.0.0.1:6379", "open"),
                Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.redisUrl")
                .hasMessageContaining("is not a Redis URL");
        assertThatThrownBy(() -> CounterStores.onFailure(limits("memory", "", "sometimes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.onBackendFailure")
                .hasMessageContaining("'open' or 'closed'");
    }

    @Test
    void anUnreachableRedisDoesNotStopTheStart() {
        try (CounterStore store = CounterStores.open(limits("redis", "redis://127.0.0.1:1/0", "closed"),
                Clock.systemUTC())) {
            assertThat(store.describe()).isEqualTo("Redis at 127.0.0.1:1");
        }
    }
}
