package io.aigne.hub.iprules;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals read strictly and without DNS: dotted-quad IPv4 with no leading zeros (so "010.0.0.1" is
 * not silently octal or decimal), and IPv6 in any RFC 4291 form. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d})
 * is the IPv4 address it maps, so one IPv4 rule covers a client whether it reached a dual-stack listener over IPv4
 * or IPv6.
 */
public final class IpAddresses {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpAddresses() {
    }

    /** The address a literal names, or empty when it is not a plain IPv4 or IPv6 literal (brackets, zones, names). */
    public static Optional<InetAddress> parse(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 45) {
            return Optional.empty();
        }
        try {
            if (IPV4.matcher(literal).matches()) {
                return Optional.of(Inet4Address.ofLiteral(literal));
            }
            if (literal.indexOf(':') >= 0 && IPV6_CHARS.matcher(literal).matches()) {
                return Optional.of(Inet6Address.ofLiteral(literal));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The usual short text of an address: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as ::). */
    public static String format(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
