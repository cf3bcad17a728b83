package io.aigne.hub.iprules;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare address is a
 * network of one ({@code /32} or {@code /128}). A network written with host bits set ({@code 10.0.0.1/8}) is
 * refused rather than silently widened, since it usually means a typo in the address or the prefix.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Reads a rule; the exception's message says what is wrong and how to write it instead. */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty address; write an IPv4 or IPv6 address or network, "
                    + "e.g. 203.0.113.0/24 or 2001:db8::/32");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = IpAddresses.parse(addressText).orElseThrow(() -> new IllegalArgumentException(
                "'" + trimmed + "' is not an IP address or network; write e.g. 203.0.113.7, 203.0.113.0/24 or "
                        + "2001:db8::/32 (no host names, brackets, zones or leading zeros)"));
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        // An IPv4-mapped IPv6 network (::ffff:a.b.c.d/n) is read as the IPv4 network it maps.
        int mappedOffset = bytes.length == 4 && addressText.indexOf(':') >= 0 ? 96 : 0;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = trimmed.substring(slash + 1);
            if (!prefixText.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("'" + trimmed + "' has no valid prefix length after '/'; "
                        + "use 0 to " + (bits + mappedOffset));
            }
            prefix = Integer.parseInt(prefixText) - mappedOffset;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + trimmed + "': the prefix length must be "
                        + mappedOffset + " to " + (bits + mappedOffset));
            }
        }
        byte[] network = mask(bytes, prefix);
        if (!Arrays.equals(network, bytes)) {
            String suggestion = addressString(network) + "/" + prefix;
            throw new IllegalArgumentException("'" + trimmed + "' has host bits set after the first " + prefix
                    + " bits; did you mean " + suggestion + "?");
        }
        return new Cidr(network, prefix);
    }

    /** Whether {@code address} lies in this network; IPv4 rules never match IPv6 addresses, and the reverse. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(bytes, prefix), network);
    }

    public int prefix() {
        return prefix;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    private static String addressString(byte[] bytes) {
        try {
            return IpAddresses.format(InetAddress.getByAddress(bytes));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical text: the network address in its short form and the prefix length, e.g. {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return addressString(network) + "/" + prefix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }
}
