package io.aigne.hub.iprules;

import java.util.Locale;

/** One hub-wide rule: allow or deny a network. */
public record IpRule(String id, Action action, Cidr cidr, String note, String createdBy, long createdAt,
                     long updatedAt) {

    public enum Action {
        ALLOW, DENY;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The action named {@code allow} or {@code deny}; anything else is an IllegalArgumentException. */
        public static Action parse(String text) {
            for (Action a : values()) {
                if (a.wireName().equals(text)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("must be 'allow' or 'deny'");
        }
    }
}
