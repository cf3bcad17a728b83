package io.aigne.hub.usage;

/** Filters for reading the ledger; null fields do not filter. Times are epoch milliseconds, end exclusive. */
public record ModelCallQuery(String userId, Long fromMillis, Long toMillis, String status, String model, String type,
                             String provider, String appDid, String search, int page, int pageSize) {
}
