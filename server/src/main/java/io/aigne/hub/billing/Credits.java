package io.aigne.hub.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An exact amount of credits, kept as a whole number of nanocredits (1 credit = 10^9 nanocredits) so that sums in
 * the database are integer sums and no floating point ever touches money. The range is about ±9.2 billion
 * credits per amount.
 *
 * <p>Rounding rule: a price is computed exactly in decimal and rounded once, to the nanocredit. A charge rounds
 * half up ({@link #of}); a hold, which must cover the charge it stands for, rounds up ({@link #covering}).
 */
public record Credits(long nanos) implements Comparable<Credits> {
    public static final int SCALE = 9;
    public static final Credits ZERO = new Credits(0);

    /** The amount rounded half up to the nanocredit. */
    public static Credits of(BigDecimal credits) {
        return new Credits(credits.setScale(SCALE, RoundingMode.HALF_UP).unscaledValue().longValueExact());
    }

    /** The amount rounded up to the nanocredit: what a hold reserves. */
    public static Credits covering(BigDecimal credits) {
        return new Credits(credits.setScale(SCALE, RoundingMode.CEILING).unscaledValue().longValueExact());
    }

    /** Parses a decimal string such as {@code "12.5"}; more than nine decimals are refused, not rounded. */
    public static Credits parse(String text) {
        BigDecimal value = new BigDecimal(text.trim());
        if (value.stripTrailingZeros().scale() > SCALE) {
            throw new NumberFormatException("credits have at most " + SCALE + " decimals: " + text);
        }
        return of(value);
    }

    public static Credits ofWhole(long credits) {
        return new Credits(Math.multiplyExact(credits, 1_000_000_000L));
    }

    public BigDecimal toBigDecimal() {
        return BigDecimal.valueOf(nanos, SCALE);
    }

    /** A plain decimal string without exponent or trailing zeros, e.g. {@code "12.5"} or {@code "0"}. */
    public String toPlainString() {
        BigDecimal value = toBigDecimal().stripTrailingZeros();
        return value.signum() == 0 ? "0" : value.toPlainString();
    }

    public Credits plus(Credits other) {
        return new Credits(Math.addExact(nanos, other.nanos));
    }

    public Credits minus(Credits other) {
        return new Credits(Math.subtractExact(nanos, other.nanos));
    }

    public Credits negate() {
        return new Credits(Math.negateExact(nanos));
    }

    public Credits min(Credits other) {
        return nanos <= other.nanos ? this : other;
    }

    public Credits max(Credits other) {
        return nanos >= other.nanos ? this : other;
    }

    public boolean isPositive() {
        return nanos > 0;
    }

    public boolean isZero() {
        return nanos == 0;
    }

    public boolean isNegative() {
        return nanos < 0;
    }

    @Override
    public int compareTo(Credits other) {
        return Long.compare(nanos, other.nanos);
    }

    @Override
    public String toString() {
        return toPlainString();
    }
}
