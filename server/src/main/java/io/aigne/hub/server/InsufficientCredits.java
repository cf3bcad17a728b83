package io.aigne.hub.server;

/**
 * A call refused because the caller's credit cannot cover it: 402, with the link where credits are bought. Each
 * front door renders it in its clients' shape (the AIGNE clients read {@code type: "NOT_ENOUGH"} and the link).
 */
public final class InsufficientCredits extends ApiException {
    public static final String TYPE = "NOT_ENOUGH";

    private final String purchaseLink;

    public InsufficientCredits(String message, String purchaseLink) {
        super(402, "insufficient_quota", "insufficient_credits", null, message);
        this.purchaseLink = purchaseLink;
    }

    public String purchaseLink() {
        return purchaseLink;
    }
}
