package io.aigne.hub.usage;

import io.aigne.hub.server.Json;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
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

    private final DataSource dataSource;
    private final Path deadLetter;
    private final int batchSize;
    private final Duration flushInterval;
    private final LinkedBlockingQueue<CallRecord> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    /** Enqueued but not yet written; what {@link #awaitFlushed} waits on. */
    private final AtomicLong pending = new AtomicLong();
    private final Object flushed = new Object();
    private volatile boolean closing;

    /** {@code deadLetter}: where rows the database refuses for good are kept (JSON lines); null logs them. */
    public UsageLedger(DataSource dataSource, Path deadLetter, int batchSize, Duration flushInterval) {
        this.dataSource = dataSource;
        this.deadLetter = deadLetter;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.writer = Thread.ofPlatform().name("usage-ledger-writer").daemon(true).unstarted(this::run);
        this.writer.start();
    }

    public void record(CallRecord record) {
        pending.incrementAndGet();
        queue.add(record);
        if (!writer.isAlive()) {
            // After close(): nobody will drain the queue, so write now rather than lose the record.
            List<CallRecord> late = new ArrayList<>();
            queue.drainTo(late);
            try {
                insert(late);
                written.addAndGet(late.size());
            } catch (RuntimeException e) {
                late.forEach(r -> setAside(r, new SQLException(e.getMessage())));
            }
            pending.addAndGet(-late.size());
        }
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
                    LOG.error("the database stays unavailable at shutdown; {} call records go to the dead-letter file",
                            batch.size() + queue.size());
                    queue.drainTo(batch);
                    batch.forEach(r -> setAside(r, new SQLException(e.getMessage())));
                    pending.addAndGet(-batch.size());
                    return;
                }
            }
        }
    }

    private static final String INSERT = """
            INSERT INTO model_calls (id, created_at, user_id, access_key_id, app_did, request_id, endpoint, type,
                streamed, provider, credential_id, model_requested, model_answered, status, http_status, error,
                input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, total_tokens, image_count,
                attempts, latency_ms, ttfb_ms, upstream_request_id, video_seconds, credits)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * Writes a batch in one transaction. If the batch fails, its rows are written one by one: a row the database
     * will never accept (a constraint or data error) is set aside in the dead-letter file instead of blocking
     * every row behind it; any other failure (the database is away) is thrown, and the batch retried later.
     */
    private void insert(List<CallRecord> batch) {
        try {
            insertAll(batch);
        } catch (SQLException batchFailure) {
            if (batch.size() == 1 && !permanent(batchFailure)) {
                throw new IllegalStateException(batchFailure.getMessage(), batchFailure);
            }
            List<CallRecord> retry = new ArrayList<>();
            SQLException transientFailure = null;
            for (CallRecord r : batch) {
                try {
                    insertAll(List.of(r));
                } catch (SQLException e) {
                    if (permanent(e)) {
                        setAside(r, e);
                    } else {
                        retry.add(r);
                        transientFailure = e;
                    }
                }
            }
            if (!retry.isEmpty()) {
                int done = batch.size() - retry.size();
                written.addAndGet(done);
                pending.addAndGet(-done);
                batch.retainAll(retry);
                throw new IllegalStateException(transientFailure.getMessage(), transientFailure);
            }
        }
    }

    private void insertAll(List<CallRecord> rows) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (CallRecord r : rows) {
                    bind(ps, r);
                    ps.addBatch();
                }
                io.aigne.hub.analytics.UsageRollups.record(c, rows, ps.executeBatch());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void bind(PreparedStatement ps, CallRecord r) throws SQLException {
        Usage u = r.usage() == null ? Usage.NONE : r.usage();
        int i = 1;
        ps.setString(i++, r.id());
        ps.setLong(i++, r.createdAt());
        ps.setString(i++, r.userId());
        ps.setString(i++, r.accessKeyId());
        ps.setString(i++, r.appDid());
        ps.setString(i++, r.requestId());
        ps.setString(i++, r.endpoint());
        ps.setString(i++, r.type() == null ? null : r.type().wireName());
        ps.setInt(i++, r.streamed() ? 1 : 0);
        ps.setString(i++, r.provider());
        ps.setString(i++, r.credentialId());
        ps.setString(i++, r.modelRequested());
        ps.setString(i++, r.modelAnswered());
        ps.setString(i++, r.status() == null ? null : r.status().wireName());
        if (r.httpStatus() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, r.httpStatus());
        }
        ps.setString(i++, truncate(r.error()));
        ps.setLong(i++, u.inputTokens());
        ps.setLong(i++, u.outputTokens());
        ps.setLong(i++, u.cachedTokens());
        ps.setLong(i++, u.cacheWriteTokens());
        ps.setLong(i++, u.reasoningTokens());
        ps.setLong(i++, u.totalTokens());
        ps.setInt(i++, u.imageCount());
        ps.setInt(i++, r.attempts());
        ps.setLong(i++, r.latencyMs());
        if (r.ttfbMs() == null) {
            ps.setNull(i++, Types.BIGINT);
        } else {
            ps.setLong(i++, r.ttfbMs());
        }
        ps.setString(i++, r.upstreamRequestId());
        ps.setInt(i++, u.videoSeconds());
        ps.setLong(i, r.credits());
    }

    /** Constraint and data errors (SQLSTATE 22/23, SQLite CONSTRAINT/MISMATCH/TOOBIG) will fail again forever. */
    private static boolean permanent(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
            return true;
        }
        int code = e.getErrorCode() & 0xff;
        return code == 19 || code == 20 || code == 18;
    }

    private void setAside(CallRecord r, SQLException e) {
        LOG.error("call record {} was refused by the database ({}); it is kept in {}", r.id(), e.getMessage(),
                deadLetter == null ? "the log" : deadLetter);
        String line;
        try {
            line = Json.MAPPER.writeValueAsString(r);
        } catch (IOException io) {
            line = String.valueOf(r);
        }
        if (deadLetter == null) {
            LOG.error("refused call record: {}", line);
            return;
        }
        try {
            Files.writeString(deadLetter, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException io) {
            LOG.error("refused call record (the dead-letter file cannot be written: {}): {}", io.getMessage(), line);
        }
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
