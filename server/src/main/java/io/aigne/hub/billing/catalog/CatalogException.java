package io.aigne.hub.billing.catalog;

/** The price catalogue cannot be read: not JSON, or not in the shape of genai-prices' {@code data.json}. */
public final class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
