package io.aigne.hub.billing;

import io.aigne.hub.usage.CallType;

import java.math.BigDecimal;
import java.util.Map;

/** A {@link ModelRate} with some fields changed: the record has twenty, and most changes touch two or three. */
public final class RateBuilder {
    private String id;
    private String provider;
    private String model;
    private CallType type;
    private String displayName;
    private BigDecimal inputRate;
    private BigDecimal outputRate;
    private BigDecimal cacheReadRate;
    private BigDecimal cacheWriteRate;
    private BigDecimal imageRate;
    private Map<String, BigDecimal> imageRates;
    private BigDecimal videoSecondRate;
    private ModelRate.UnitCosts unitCosts;
    private ModelRate.Source source = ModelRate.Source.MANUAL;
    private boolean deprecated;
    private String deprecatedReason;
    private Long deprecatedAt;
    private String metadata;
    private long createdAt;
    private long updatedAt;

    private RateBuilder() {
    }

    /** A new rate for a provider (name or type), model and call type. */
    public static RateBuilder of(String provider, String model, CallType type) {
        RateBuilder b = new RateBuilder();
        b.provider = provider;
        b.model = model;
        b.type = type;
        long now = System.currentTimeMillis();
        b.createdAt = now;
        b.updatedAt = now;
        return b;
    }

    public static RateBuilder from(ModelRate r) {
        RateBuilder b = new RateBuilder();
        b.id = r.id();
        b.provider = r.provider();
        b.model = r.model();
        b.type = r.type();
        b.displayName = r.displayName();
        b.inputRate = r.inputRate();
        b.outputRate = r.outputRate();
        b.cacheReadRate = r.cacheReadRate();
        b.cacheWriteRate = r.cacheWriteRate();
        b.imageRate = r.imageRate();
        b.imageRates = r.imageRates();
        b.videoSecondRate = r.videoSecondRate();
        b.unitCosts = r.unitCosts();
        b.source = r.source();
        b.deprecated = r.deprecated();
        b.deprecatedReason = r.deprecatedReason();
        b.deprecatedAt = r.deprecatedAt();
        b.metadata = r.metadata();
        b.createdAt = r.createdAt();
        b.updatedAt = r.updatedAt();
        return b;
    }

    public RateBuilder displayName(String v) {
        displayName = v;
        return this;
    }

    public RateBuilder inputRate(BigDecimal v) {
        inputRate = v;
        return this;
    }

    public RateBuilder outputRate(BigDecimal v) {
        outputRate = v;
        return this;
    }

    public RateBuilder cacheReadRate(BigDecimal v) {
        cacheReadRate = v;
        return this;
    }

    public RateBuilder cacheWriteRate(BigDecimal v) {
        cacheWriteRate = v;
        return this;
    }

    public RateBuilder imageRate(BigDecimal v) {
        imageRate = v;
        return this;
    }

    public RateBuilder imageRates(Map<String, BigDecimal> v) {
        imageRates = v;
        return this;
    }

    public RateBuilder videoSecondRate(BigDecimal v) {
        videoSecondRate = v;
        return this;
    }

    public RateBuilder unitCosts(ModelRate.UnitCosts v) {
        unitCosts = v;
        return this;
    }

    public RateBuilder source(ModelRate.Source v) {
        source = v;
        return this;
    }

    /** Marks the rate deprecated (with a reason, at {@code at}) or not (clearing both). */
    public RateBuilder deprecated(boolean v, String reason, Long at) {
        deprecated = v;
        deprecatedReason = v ? reason : null;
        deprecatedAt = v ? at : null;
        return this;
    }

    public RateBuilder metadata(String v) {
        metadata = v;
        return this;
    }

    public ModelRate build() {
        return new ModelRate(id, provider, model, type, displayName, inputRate, outputRate, cacheReadRate,
                cacheWriteRate, imageRate, imageRates, videoSecondRate, unitCosts, source, deprecated,
                deprecatedReason, deprecatedAt, metadata, createdAt, updatedAt);
    }
}
