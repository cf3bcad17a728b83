package io.aigne.hub.iprules;

import java.net.InetAddress;
import java.util.List;

/**
 * The hub-wide rules as this node applies them: read from the database at start, after every change made through
 * this node's API, and periodically (changes made on other nodes), so checking a request never touches the
 * database.
 */
public final class GlobalIpRules {
    private final IpRuleStore store;
    private volatile IpRules current = IpRules.NONE;

    public GlobalIpRules(IpRuleStore store) {
        this.store = store;
    }

    public void reload() {
        current = of(store.list());
    }

    public IpRules current() {
        return current;
    }

    public boolean admits(InetAddress address) {
        return current.admits(address);
    }

    /** The allow and deny lists a set of rules makes. */
    public static IpRules of(List<IpRule> rules) {
        return new IpRules(
                rules.stream().filter(r -> r.action() == IpRule.Action.ALLOW).map(IpRule::cidr).toList(),
                rules.stream().filter(r -> r.action() == IpRule.Action.DENY).map(IpRule::cidr).toList());
    }
}
