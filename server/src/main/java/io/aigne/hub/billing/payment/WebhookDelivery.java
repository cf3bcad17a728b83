package io.aigne.hub.billing.payment;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A webhook request as it arrived: the body's exact bytes (signatures cover the bytes, so they are never re-encoded)
 * and the headers, looked up case-insensitively.
 */
public record WebhookDelivery(byte[] body, Map<String, String> headers) {
    public WebhookDelivery {
        TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        headers = Collections.unmodifiableSortedMap(byName);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
