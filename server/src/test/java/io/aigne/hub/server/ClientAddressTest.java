package io.aigne.hub.server;

import io.aigne.hub.config.ConfigException;
import io.aigne.hub.iprules.IpAddresses;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {
    private static final ClientAddress BEHIND_PROXIES = ClientAddress.fromConfig(
            List.of("10.0.0.0/8", "2001:db8:ffff::/48", "127.0.0.1"));

    private static InetAddress ip(String literal) {
        return IpAddresses.parse(literal).orElseThrow();
    }

    private static String client(ClientAddress resolver, String peer, String... xff) {
        return IpAddresses.format(resolver.resolve(ip(peer), List.of(xff)));
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(client(ClientAddress.DIRECT, "198.51.100.7", "203.0.113.1")).isEqualTo("198.51.100.7");
        assertThat(client(ClientAddress.DIRECT, "127.0.0.1", "203.0.113.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void anUntrustedPeerCannotChooseItsAddress() {
        assertThat(client(BEHIND_PROXIES, "198.51.100.7", "203.0.113.1")).isEqualTo("198.51.100.7");
        assertThat(client(BEHIND_PROXIES, "198.51.100.7", "10.0.0.1")).isEqualTo("198.51.100.7");
    }

    @Test
    void aTrustedPeerWithoutTheHeaderIsTheClient() {
        assertThat(client(BEHIND_PROXIES, "10.1.1.1")).isEqualTo("10.1.1.1");
    }

    @Test
    void theRightMostEntryThatIsNotATrustedProxyIsTheClient() {
        // The client sent a forged first entry; the proxies appended what they saw.
        assertThat(client(BEHIND_PROXIES, "10.0.0.2", "1.1.1.1, 203.0.113.9, 10.0.0.5"))
                .isEqualTo("203.0.113.9");
        assertThat(client(BEHIND_PROXIES, "10.0.0.2", "203.0.113.9")).isEqualTo("203.0.113.9");
        // Several header lines count as one list, in order.
        assertThat(client(BEHIND_PROXIES, "10.0.0.2", "1.1.1.1, 203.0.113.9", "10.0.0.5"))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void ipv6ClientsAndProxies() {
        assertThat(client(BEHIND_PROXIES, "2001:db8:ffff::1", "2001:db8:1::42, 2001:db8:ffff::2"))
                .isEqualTo("2001:db8:1::42");
        assertThat(client(BEHIND_PROXIES, "2001:db8:ffff::1", "[2001:db8:1::42]:51234")).isEqualTo("2001:db8:1::42");
        assertThat(client(BEHIND_PROXIES, "::ffff:10.0.0.2", "203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void entriesWithPortsAreRead() {
        assertThat(client(BEHIND_PROXIES, "10.0.0.2", "203.0.113.9:4711")).isEqualTo("203.0.113.9");
    }

    @Test
    void whenEveryEntryIsATrustedProxyTheLeftMostIsTheClient() {
        assertThat(client(BEHIND_PROXIES, "10.0.0.2", "10.0.0.9, 10.0.0.8")).isEqualTo("10.0.0.9");
    }

    @Test
    void garbageStopsTheWalkAtTheLastTrustedHop() {
        assertThat(client(BEHIND_PROXIES, "10.0.0.2", "203.0.113.9, unknown")).isEqualTo("10.0.0.2");
        assertThat(client(BEHIND_PROXIES, "10.0.0.2", "evil.example, 10.0.0.7")).isEqualTo("10.0.0.7");
        assertThat(client(BEHIND_PROXIES, "10.0.0.2", "")).isEqualTo("10.0.0.2");
        assertThat(client(BEHIND_PROXIES, "10.0.0.2", "010.0.0.1")).isEqualTo("10.0.0.2");
    }

    @Test
    void aBadTrustedProxySettingStopsTheStartNamingTheEntry() {
        assertThatThrownBy(() -> ClientAddress.fromConfig(List.of("10.0.0.0/8", "proxy.internal")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.trustedProxies[1]").hasMessageContaining("proxy.internal");
    }
}
