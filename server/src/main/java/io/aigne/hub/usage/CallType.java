package io.aigne.hub.usage;

public enum CallType {
    CHAT("chat"), EMBEDDING("embedding"), IMAGE("image"), VIDEO("video");

    private final String wireName;

    CallType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
