package io.aigne.hub.usage;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes call records off the request path: callers enqueue and return at once; one writer thread inserts them
 * in batches (a batch per flush interval, or sooner when full). A failed write is retried with back-off and
 * its records are kept, never dropped; {@link #close()} drains everything before returning.
 */
public final class UsageLedger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
    private static final int MAX_ERROR_CHARS = 1000;

    private final Jdbi jdbi;
    private final int batchSize;
    private final Duration flushInterval;
    private final LinkedBlockingQueue<CallRecord> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    /** Enqueued but not yet written; what {@link #awaitFlushed} waits on. */
    private final AtomicLong pending = new AtomicLong();
    private final Object flushed = new Object();
    private volatile boolean closing;

    public UsageLedger(Jdbi jdbi, int batchSize, Duration flushInterval) {
        this.jdbi = jdbi;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.writer = Thread.ofPlatform().name("usage-ledger-writer").daemon(true).unstarted(this::run);
        this.writer.start();
    }

    public void record(CallRecord record) {
        pending.incrementAndGet();
        queue.add(record);
    }

    /** Records written so far by this ledger. */
    public long written() {
        return written.get();
    }

    /** Blocks until every record enqueued before this call has been written, or the timeout passes. */
    public boolean awaitFlushed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (flushed) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                flushed.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    private void run() {
        List<CallRecord> batch = new ArrayList<>(batchSize);
        long backoffMillis = 100;
        while (true) {
            try {
                if (batch.isEmpty()) {
                    CallRecord first = queue.poll(flushInterval.toMillis(), TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing && queue.isEmpty()) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    // Let a burst gather: a short wait turns many single rows into one transaction.
                    if (!closing && queue.size() < batchSize) {
                        Thread.sleep(Math.min(20, flushInterval.toMillis()));
                    }
                }
                queue.drainTo(batch, batchSize - batch.size());
                insert(batch);
                written.addAndGet(batch.size());
                pending.addAndGet(-batch.size());
                batch.clear();
                backoffMillis = 100;
                synchronized (flushed) {
                    flushed.notifyAll();
                }
            } catch (InterruptedException e) {
                closing = true;
            } catch (RuntimeException e) {
                LOG.error("writing {} call records failed ({}); retrying in {} ms, nothing is dropped",
                        batch.size(), e.getMessage(), backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    closing = true;
                }
                backoffMillis = Math.min(10_000, backoffMillis * 2);
                if (closing && backoffMillis >= 10_000) {
                    LOG.error("giving up on {} call records at shutdown after repeated failures: {}", batch.size(), e.getMessage());
                    return;
                }
            }
        }
    }

    private void insert(List<CallRecord> batch) {
        jdbi.useTransaction(h -> {
            PreparedBatch stmt = h.prepareBatch("""
                    INSERT INTO model_calls (id, created_at, user_id, access_key_id, app_did, request_id, endpoint, type,
                        streamed, provider, credential_id, model_requested, model_answered, status, http_status, error,
                        input_tokens, output_tokens, cached_tokens, reasoning_tokens, total_tokens, image_count,
                        attempts, latency_ms, ttfb_ms, upstream_request_id)
                    VALUES (:id, :createdAt, :userId, :accessKeyId, :appDid, :requestId, :endpoint, :type,
                        :streamed, :provider, :credentialId, :modelRequested, :modelAnswered, :status, :httpStatus, :error,
                        :inputTokens, :outputTokens, :cachedTokens, :reasoningTokens, :totalTokens, :imageCount,
                        :attempts, :latencyMs, :ttfbMs, :upstreamRequestId)""");
            for (CallRecord r : batch) {
                Usage u = r.usage() == null ? Usage.NONE : r.usage();
                stmt.bind("id", r.id()).bind("createdAt", r.createdAt()).bind("userId", r.userId())
                        .bind("accessKeyId", r.accessKeyId()).bind("appDid", r.appDid())
                        .bind("requestId", r.requestId()).bind("endpoint", r.endpoint())
                        .bind("type", r.type().wireName()).bind("streamed", r.streamed() ? 1 : 0)
                        .bind("provider", r.provider()).bind("credentialId", r.credentialId())
                        .bind("modelRequested", r.modelRequested()).bind("modelAnswered", r.modelAnswered())
                        .bind("status", r.status().wireName()).bind("httpStatus", r.httpStatus())
                        .bind("error", truncate(r.error()))
                        .bind("inputTokens", u.inputTokens()).bind("outputTokens", u.outputTokens())
                        .bind("cachedTokens", u.cachedTokens()).bind("reasoningTokens", u.reasoningTokens())
                        .bind("totalTokens", u.totalTokens()).bind("imageCount", u.imageCount())
                        .bind("attempts", r.attempts()).bind("latencyMs", r.latencyMs()).bind("ttfbMs", r.ttfbMs())
                        .bind("upstreamRequestId", r.upstreamRequestId())
                        .add();
            }
            stmt.execute();
        });
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS);
    }

    /** Stops accepting new work once the queue is empty and waits for the writer to finish. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            LOG.error("{} call records could not be written before shutdown", queue.size());
        }
    }
}
