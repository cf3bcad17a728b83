package io.aigne.hub.iprules;

import java.net.InetAddress;
import java.util.List;

/**
 * Allow and deny lists of networks. Deny wins over allow; a non-empty allow list admits only the addresses it
 * matches; with both lists empty every address is admitted.
 */
public record IpRules(List<Cidr> allow, List<Cidr> deny) {
    public static final IpRules NONE = new IpRules(List.of(), List.of());

    public IpRules {
        allow = allow == null ? List.of() : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
    }

    /** Reads both lists; the exception names the offending entry (see {@link Cidr#parse}). */
    public static IpRules parse(List<String> allow, List<String> deny) {
        return new IpRules(allow == null ? List.of() : allow.stream().map(Cidr::parse).toList(),
                deny == null ? List.of() : deny.stream().map(Cidr::parse).toList());
    }

    public boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }

    public boolean admits(InetAddress address) {
        for (Cidr d : deny) {
            if (d.contains(address)) {
                return false;
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (Cidr a : allow) {
            if (a.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public List<String> allowTexts() {
        return allow.stream().map(Cidr::toString).toList();
    }

    public List<String> denyTexts() {
        return deny.stream().map(Cidr::toString).toList();
    }
}
