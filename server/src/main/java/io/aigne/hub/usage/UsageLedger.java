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
 * its records are kept, never dropped; {@link #close()} drains everything before returning. With a
 * {@link CallJournal}, each record is first appended to the journal, so a process that dies before the batch is
 * written loses nothing: the next start {@link #recover()}s it. Rows are inserted idempotently (a replayed record
 * is not written twice), and a record whose charge is still owed is settled by the {@link Settler} after its row.
 */
public final class UsageLedger implements AutoCloseable {
    /** Settles records whose charge is still owed; must be idempotent per call id. */
    @FunctionalInterface
    public interface Settler {
        void settle(List<CallRecord> owing);
    }

    private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
    private static final int MAX_ERROR_CHARS = 1000;

    private final DataSource dataSource;
    private final Path deadLetter;
    private final int batchSize;
    private final Duration flushInterval;
    private final LinkedBlockingQueue<CallRecord> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    private final CallJournal journal;
    private final Settler settler;
    /** Enqueued but not yet written; what {@link #awaitFlushed} waits on. */
    private final AtomicLong pending = new AtomicLong();
    private final Object flushed = new Object();
    private volatile boolean closing;

    /** {@code deadLetter}: where rows the database refuses for good are kept (JSON lines); null logs them. */
    public UsageLedger(DataSource dataSource, Path deadLetter, int batchSize, Duration flushInterval) {
        this(dataSource, deadLetter, batchSize, flushInterval, null, null);
    }

    public UsageLedger(DataSource dataSource, Path deadLetter, int batchSize, Duration flushInterval,
                       CallJournal journal, Settler settler) {
        this.journal = journal;
        this.settler = settler;
        this.dataSource = dataSource;
        this.deadLetter = deadLetter;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.writer = Thread.ofPlatform().name("usage-ledger-writer").daemon(true).unstarted(this::run);
        this.writer.start();
    }

    /**
     * Writes what the previous run journaled and did not get into the database (the process died), settling what
     * it owed; returns how many records were recovered. Call once, before serving.
     */
    public int recover() {
        if (journal == null) {
            return 0;
        }
        List<CallRecord> journaled = journal.recover();
        List<CallRecord> missing = withoutWritten(journaled);
        if (!missing.isEmpty()) {
            insert(new ArrayList<>(missing));
            LOG.info("recovered {} call records the previous run had not written", missing.size());
        }
        // Settling is idempotent: what was settled already is left alone, what was owed is settled now.
        settle(journaled);
        journal.discardRecovered();
        return missing.size();
    }

    /** The records whose rows are not in the database yet. */
    private List<CallRecord> withoutWritten(List<CallRecord> records) {
        java.util.Set<String> present = new java.util.HashSet<>();
        for (int from = 0; from < records.size(); from += 500) {
            List<CallRecord> chunk = records.subList(from, Math.min(records.size(), from + 500));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT id FROM model_calls WHERE id IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i).id());
                }
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        present.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the call ledger to recover the journal: " + e.getMessage(), e);
            }
        }
        return records.stream().filter(r -> !present.contains(r.id())).toList();
    }

    /** Keeps a durable copy of a record now, before it is final (a call that succeeded, before its last bytes). */
    public void journal(CallRecord record) {
        if (journal != null) {
            journal.append(record);
        }
    }

    public void record(CallRecord record) {
        record(record, false);
    }

    /**
     * Queues a record for the database; {@code journaled} says an earlier version of it is in the journal already
     * (a call that succeeded), which is enough to recover it: the final version differs only in its latency and in
     * whether its settlement is done, and settling again is idempotent.
     */
    public void record(CallRecord record, boolean journaled) {
        if (journal != null && !journaled) {
            journal.append(record);
        }
        pending.incrementAndGet();
        queue.add(record);
        if (!writer.isAlive()) {
            // After close(): nobody will drain the queue, so write now rather than lose the record.
            List<CallRecord> late = new ArrayList<>();
            queue.drainTo(late);
            try {
                insert(late);
                settle(late);
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
                    // Let a burst gather for up to the flush interval: many rows, one transaction. Records wait in
                    // the journal meanwhile, so a longer interval costs visibility, never durability.
                    if (!closing && queue.size() < batchSize) {
                        gather();
                    }
                }
                queue.drainTo(batch, batchSize - batch.size());
                insert(batch);
                settle(batch);
                if (journal != null) {
                    journal.written(batch);
                }
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
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING""";

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

    /** Waits until the batch is full, the flush interval has passed, or the ledger is closing. */
    private void gather() throws InterruptedException {
        long deadline = System.nanoTime() + flushInterval.toNanos();
        while (!closing && queue.size() < batchSize) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(10, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    private void settle(List<CallRecord> batch) {
        if (settler == null) {
            return;
        }
        List<CallRecord> owing = batch.stream().filter(CallRecord::chargePending).toList();
        if (!owing.isEmpty()) {
            settler.settle(owing);
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
            LOG.error("{} call records could not be written before shutdown; the call journal keeps them for the "
                    + "next start", queue.size());
        } else if (journal != null) {
            journal.close();
        }
    }
}
