package io.aigne.hub.billing.payment;

/** A hosted checkout the provider created: its session id and the page the user pays on. */
public record Checkout(String id, String url) {
}
