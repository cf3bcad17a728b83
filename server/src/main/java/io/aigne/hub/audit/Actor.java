package io.aigne.hub.audit;

import io.aigne.hub.auth.Principal;

import java.util.Objects;

/**
 * Who made a change and from which address: a user (through an access key or a web sign-in) or a part of the hub
 * acting on its own behalf, such as the command line ({@link #CLI}) or the configuration file ({@link #CONFIG}).
 *
 * @param id   the user's id; null for a system actor
 * @param name the user's name, or the system actor's name
 * @param ip   the client address the change came from; null when it did not come over the network
 */
public record Actor(Kind kind, String id, String name, String ip) {
    public enum Kind { USER, SYSTEM }

    /** {@code ./hub admin ...}: an operator with access to the database. */
    public static final Actor CLI = system("cli");
    /** Providers declared in the configuration file, synchronised at start. */
    public static final Actor CONFIG = system("config");
    /** The hub's first start, which creates the owner and their first key. */
    public static final Actor BOOTSTRAP = system("bootstrap");

    public Actor {
        Objects.requireNonNull(kind, "kind");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an actor needs a name");
        }
        if (kind == Kind.USER && (id == null || id.isBlank())) {
            throw new IllegalArgumentException("a user actor needs the user's id");
        }
    }

    public static Actor user(Principal principal, String ip) {
        return new Actor(Kind.USER, principal.userId(), principal.userName(), ip);
    }

    public static Actor user(String userId, String userName, String ip) {
        return new Actor(Kind.USER, userId, userName, ip);
    }

    public static Actor system(String name) {
        return new Actor(Kind.SYSTEM, null, name, null);
    }

    /** A system actor reached over the network, e.g. a payment provider's webhook. */
    public static Actor system(String name, String ip) {
        return new Actor(Kind.SYSTEM, null, name, ip);
    }

    /** What the {@code created_by} columns of other tables record: the user's id, or the system actor's name. */
    public String reference() {
        return id != null ? id : name;
    }
}
