package io.aigne.hub.usage;

public enum CallStatus {
    SUCCESS("success"), FAILED("failed"), CANCELLED("cancelled");

    private final String wireName;

    CallStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
