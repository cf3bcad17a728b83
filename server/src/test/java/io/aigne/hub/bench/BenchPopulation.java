package io.aigne.hub.bench;

import io.aigne.hub.store.Ids;
import io.aigne.hub.usage.CallRecord;
import io.aigne.hub.usage.CallStatus;
import io.aigne.hub.usage.CallType;
import io.aigne.hub.usage.Usage;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A synthetic hub population for the analytics benchmark, skewed the way real usage is: user activity, app
 * popularity and model popularity follow Zipf laws (the busiest user makes about an eighth of all calls), each user
 * works through one to three apps and one to four models, models belong to providers and have a type (chat,
 * embedding, image, video), and latencies, TTFB, tokens and credits depend on the type.
 */
final class BenchPopulation {
    static final String[] PROVIDERS = {"openai", "anthropic", "google", "bedrock", "deepseek", "xai", "openrouter",
            "doubao"};
    static final int MODELS_PER_PROVIDER = 5;
    private static final String[] ERRORS = {"upstream 429: rate limit exceeded, retry after 20s",
            "upstream 503: the model is overloaded", "upstream 400: context length exceeded",
            "connection reset before the first byte", "upstream 500: internal error"};

    final List<String> userIds;
    final List<String> apps = new ArrayList<>();
    final List<Model> models = new ArrayList<>();
    private final double[] userCdf;
    private final int[][] userApps;
    private final int[][] userModels;
    private final SplittableRandom random;

    record Model(String name, String provider, CallType type) {
    }

    BenchPopulation(List<String> userIds, int appCount, long seed) {
        this.userIds = userIds;
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < appCount; i++) {
            apps.add("did:abt:z" + HexFormat.of().toHexDigits(i * 2_654_435_761L));
        }
        for (String provider : PROVIDERS) {
            for (int m = 0; m < MODELS_PER_PROVIDER; m++) {
                CallType type = m < 3 ? CallType.CHAT : m == 3 ? CallType.EMBEDDING
                        : provider.hashCode() % 3 == 0 ? CallType.VIDEO : CallType.IMAGE;
                models.add(new Model(provider + "/" + provider.substring(0, 3) + "-" + type.wireName() + "-" + m,
                        provider, type));
            }
        }
        userCdf = zipfCdf(userIds.size(), 1.0);
        double[] appCdf = zipfCdf(appCount, 1.0);
        double[] modelCdf = zipfCdf(models.size(), 1.1);
        Random choice = new Random(seed + 1);
        userApps = new int[userIds.size()][];
        userModels = new int[userIds.size()][];
        for (int u = 0; u < userIds.size(); u++) {
            userApps[u] = distinct(choice, appCdf, 1 + choice.nextInt(3));
            userModels[u] = distinct(choice, modelCdf, 1 + choice.nextInt(4));
        }
    }

    /** The index of the user with the given activity rank (0 = busiest). */
    String userByRank(int rank) {
        return userIds.get(rank);
    }

    /** The share of all calls the user of this rank makes. */
    double shareOfRank(int rank) {
        return userCdf[rank] - (rank == 0 ? 0 : userCdf[rank - 1]);
    }

    /** A call at {@code createdAt}. */
    CallRecord call(long createdAt) {
        int u = pick(userCdf, random.nextDouble());
        int[] myApps = userApps[u];
        int[] myModels = userModels[u];
        String app = apps.get(myApps[random.nextInt(myApps.length)]);
        // A user's first model is their main one.
        Model model = models.get(myModels[random.nextInt(4) == 0 ? random.nextInt(myModels.length) : 0]);
        int s = random.nextInt(100);
        CallStatus status = s < 93 ? CallStatus.SUCCESS : s < 98 ? CallStatus.FAILED : CallStatus.CANCELLED;
        double median = switch (model.type()) {
            case CHAT -> 1_500;
            case EMBEDDING -> 180;
            case IMAGE -> 9_000;
            case VIDEO -> 70_000;
        };
        long latency = status == CallStatus.FAILED && random.nextBoolean() ? 20 + random.nextInt(200)
                : Math.max(5, (long) (median * Math.exp(gaussian() * 0.7)));
        boolean streamed = model.type() == CallType.CHAT && random.nextInt(10) < 6;
        Long ttfb = streamed && status == CallStatus.SUCCESS
                ? Math.max(1, (long) (latency * (0.08 + random.nextDouble() * 0.25))) : null;
        long input = model.type() == CallType.VIDEO ? 40 : 50 + (long) (600 * Math.exp(gaussian()));
        long output = switch (model.type()) {
            case CHAT -> 20 + (long) (250 * Math.exp(gaussian() * 0.8));
            default -> 0;
        };
        if (status != CallStatus.SUCCESS) {
            output = 0;
        }
        long cached = random.nextInt(3) == 0 ? input / 2 : 0;
        int images = model.type() == CallType.IMAGE && status == CallStatus.SUCCESS ? 1 + random.nextInt(2) : 0;
        int seconds = model.type() == CallType.VIDEO && status == CallStatus.SUCCESS ? 4 + random.nextInt(8) : 0;
        Usage usage = new Usage(input, output, cached, 0, 0, input + output, images, seconds);
        long credits = status != CallStatus.SUCCESS ? 0
                : input * 2_500 + output * 10_000 + images * 40_000_000L + seconds * 100_000_000L;
        String user = userIds.get(u);
        return new CallRecord(Ids.next(), createdAt, user, "key-" + u, app,
                "req-" + HexFormat.of().toHexDigits(random.nextLong()), endpoint(model.type()), model.type(), streamed,
                model.provider(), "cred-" + model.provider(), model.name(), model.name() + "-2025-01-01", status,
                status == CallStatus.SUCCESS ? Integer.valueOf(200) : status == CallStatus.FAILED ? Integer.valueOf(502) : null,
                status == CallStatus.FAILED ? ERRORS[random.nextInt(ERRORS.length)] : null, usage, 1, latency, ttfb,
                "up-" + HexFormat.of().toHexDigits(random.nextInt()), credits, 0, false);
    }

    private static String endpoint(CallType type) {
        return switch (type) {
            case CHAT -> "/v1/chat/completions";
            case EMBEDDING -> "/v1/embeddings";
            case IMAGE -> "/v1/images/generations";
            case VIDEO -> "/api/v2/video";
        };
    }

    private double gaussian() {
        // Sum of uniforms: good enough for a log-normal shape, and cheap.
        double sum = 0;
        for (int i = 0; i < 6; i++) {
            sum += random.nextDouble();
        }
        return (sum - 3) / Math.sqrt(0.5);
    }

    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += 1 / Math.pow(i + 1, s);
            cdf[i] = total;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= total;
        }
        return cdf;
    }

    static int pick(double[] cdf, double x) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int[] distinct(Random random, double[] cdf, int n) {
        int[] out = new int[n];
        int found = 0;
        while (found < n) {
            int candidate = pick(cdf, random.nextDouble());
            boolean seen = false;
            for (int i = 0; i < found; i++) {
                seen |= out[i] == candidate;
            }
            if (!seen) {
                out[found++] = candidate;
            }
        }
        return out;
    }
}
