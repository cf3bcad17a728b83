package io.aigne.hub.iprules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    private static InetAddress ip(String literal) {
        return IpAddresses.parse(literal).orElseThrow(() -> new AssertionError("not an address: " + literal));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "10.0.0.0/8,       10.0.0.0,        true",
            "10.0.0.0/8,       10.255.255.255,  true",
            "10.0.0.0/8,       11.0.0.0,        false",
            "10.0.0.0/8,       9.255.255.255,   false",
            "192.168.1.0/24,   192.168.1.77,    true",
            "192.168.1.0/24,   192.168.2.1,     false",
            "192.168.1.128/25, 192.168.1.127,   false",
            "192.168.1.128/25, 192.168.1.128,   true",
            "203.0.113.7,      203.0.113.7,     true",
            "203.0.113.7,      203.0.113.8,     false",
            "203.0.113.7/32,   203.0.113.7,     true",
            "0.0.0.0/0,        255.255.255.255, true",
            "0.0.0.0/0,        ::1,             false",
            "2001:db8::/32,    2001:db8:ffff::1, true",
            "2001:db8::/32,    2001:db9::1,     false",
            "2001:db8::/127,   2001:db8::1,     true",
            "2001:db8::/127,   2001:db8::2,     false",
            "::1,              ::1,             true",
            "::1,              127.0.0.1,       false",
            "::/0,             2001:db8::1,     true",
            "::/0,             10.0.0.1,        false",
            // an IPv4-mapped address is the IPv4 address: IPv4 rules match clients on dual-stack listeners
            "10.0.0.0/8,       ::ffff:10.1.2.3, true",
            "::ffff:10.0.0.0/104, 10.9.9.9,     true",
            "::ffff:10.0.0.0/104, 11.0.0.1,     false",
    })
    void matches(String rule, String address, boolean expected) {
        assertThat(Cidr.parse(rule).contains(ip(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource({
            "203.0.113.7,               203.0.113.7/32",
            "' 10.0.0.0/8 ',            10.0.0.0/8",
            "2001:DB8:0:0:0:0:0:0/32,   2001:db8::/32",
            "2001:db8::1,               2001:db8::1/128",
            "::,                        ::/128",
            "::/0,                      ::/0",
            "fe80:0:0:0:1:0:0:1,        fe80::1:0:0:1/128",
            "2001:db8:0:1:0:0:0:0/64,   2001:db8:0:1::/64",
            "::ffff:10.0.0.0/104,       10.0.0.0/8",
    })
    void canonicalText(String rule, String canonical) {
        assertThat(Cidr.parse(rule)).hasToString(canonical);
        assertThat(Cidr.parse(canonical)).isEqualTo(Cidr.parse(rule));
    }

    @Test
    void hostBitsSetAreRefusedWithTheNetworkToWrite() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits set").hasMessageContaining("did you mean 10.0.0.0/8?");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/32"))
                .hasMessageContaining("did you mean 2001:db8::/32?");
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", " ", "10.0.0", "10.0.0.256", "010.0.0.1", "1.2.3.4.5", "127.1", "localhost",
            "example.com", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/a", "[::1]",
            "fe80::1%eth0", "2001:db8::/129", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "::ffff:10.0.0.0/95",
            "0x7f.0.0.1"})
    void badInputIsRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void aNullRuleSaysWhatToWrite() {
        assertThatThrownBy(() -> Cidr.parse(null)).hasMessageContaining("203.0.113.0/24");
    }

    @Test
    void addressesAreParsedWithoutNameLookups() {
        assertThat(IpAddresses.parse("localhost")).isEmpty();
        assertThat(IpAddresses.parse("::ffff:192.0.2.1")).contains(ip("192.0.2.1"));
        assertThat(IpAddresses.format(ip("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.format(ip("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
        assertThat(IpAddresses.format(ip("1:2:3:4:5:6:7:8"))).isEqualTo("1:2:3:4:5:6:7:8");
        assertThat(IpAddresses.format(ip("1:0:3:4:5:6:7:8"))).isEqualTo("1:0:3:4:5:6:7:8");
    }

    @Test
    void denyWinsAndANonEmptyAllowListAdmitsOnlyItsNetworks() {
        IpRules none = IpRules.parse(null, null);
        assertThat(none.admits(ip("198.51.100.1"))).isTrue();

        IpRules allowOnly = IpRules.parse(java.util.List.of("10.0.0.0/8", "2001:db8::/32"), null);
        assertThat(allowOnly.admits(ip("10.1.1.1"))).isTrue();
        assertThat(allowOnly.admits(ip("2001:db8::5"))).isTrue();
        assertThat(allowOnly.admits(ip("198.51.100.1"))).isFalse();
        assertThat(allowOnly.admits(ip("::1"))).isFalse();

        IpRules both = IpRules.parse(java.util.List.of("10.0.0.0/8"), java.util.List.of("10.6.6.0/24"));
        assertThat(both.admits(ip("10.6.5.1"))).isTrue();
        assertThat(both.admits(ip("10.6.6.1"))).isFalse();

        IpRules denyOnly = IpRules.parse(java.util.List.of(), java.util.List.of("203.0.113.0/24"));
        assertThat(denyOnly.admits(ip("203.0.113.9"))).isFalse();
        assertThat(denyOnly.admits(ip("203.0.114.9"))).isTrue();

        IpRules allowAndDenySame = IpRules.parse(java.util.List.of("203.0.113.9"), java.util.List.of("203.0.113.9"));
        assertThat(allowAndDenySame.admits(ip("203.0.113.9"))).isFalse();
    }
}
