package io.aigne.hub.usage;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.aigne.hub.server.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A write-ahead copy of call records on local disk, so a record survives the hub process dying before the
 * batched writer put it in the database. Appending is one {@code write} to a file in the page cache (no
 * {@code fsync}: the journal guards against the process dying, the database's own durability against the machine
 * dying). Records go to numbered segment files; a segment is deleted once every record appended to it has been
 * written to the database. On start, {@link #recover()} returns what the last run left behind.
 */
public final class CallJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallJournal.class);
    private static final long SEGMENT_BYTES = 16L << 20;
    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(CallRecord.class);
    private static final ObjectReader READER = Json.MAPPER.readerFor(CallRecord.class);

    private final Path directory;
    /** Lines appended to each segment and not yet written to the database. */
    private final Map<Long, Integer> outstanding = new HashMap<>();
    /** The segments holding each call's lines, until the call is written. */
    private final Map<String, List<Long>> segmentsOfCall = new HashMap<>();
    private FileChannel channel;
    private long segment;
    private long segmentBytes;
    private boolean closed;

    public CallJournal(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
            this.segment = segments().stream().mapToLong(CallJournal::number).max().orElse(0) + 1;
            open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the call journal in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Appends a record; returns when the bytes are with the operating system. */
    public synchronized void append(CallRecord record) {
        if (closed) {
            return;
        }
        try {
            byte[] line = (WRITER.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
            if (segmentBytes + line.length > SEGMENT_BYTES && segmentBytes > 0) {
                rotate();
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            segmentBytes += line.length;
            outstanding.merge(segment, 1, Integer::sum);
            segmentsOfCall.computeIfAbsent(record.id(), k -> new ArrayList<>(2)).add(segment);
        } catch (IOException e) {
            LOG.error("the call journal could not keep call {} ({}); it is still queued for the database",
                    record.id(), e.getMessage());
        }
    }

    /** The database has these calls now: their lines are no longer needed. */
    public synchronized void written(List<CallRecord> records) {
        for (CallRecord r : records) {
            List<Long> in = segmentsOfCall.remove(r.id());
            if (in == null) {
                continue;
            }
            for (Long s : in) {
                outstanding.merge(s, -1, Integer::sum);
            }
        }
        deleteFinishedSegments();
    }

    /**
     * The records the previous run journaled, the last line of each call winning (a call journaled when it
     * succeeded and again when it ended). Call {@link #discardRecovered()} once they are in the database.
     */
    public synchronized List<CallRecord> recover() {
        Map<String, CallRecord> latest = new LinkedHashMap<>();
        for (Path file : segments()) {
            if (number(file) >= segment) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        CallRecord r = READER.readValue(line);
                        latest.put(r.id(), r);
                    } catch (IOException torn) {
                        // The process died in the middle of this line: the call had not finished for its client.
                        LOG.warn("skipping a torn line in {}", file.getFileName());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the call journal " + file + ": " + e.getMessage(), e);
            }
        }
        return new ArrayList<>(latest.values());
    }

    /** Deletes the previous run's segments, once {@link #recover()}'s records are safely in the database. */
    public synchronized void discardRecovered() {
        for (Path file : segments()) {
            if (number(file) < segment) {
                delete(file);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing the call journal: {}", e.getMessage());
        }
        deleteFinishedSegments();
        if (outstanding.getOrDefault(segment, 0) == 0) {
            delete(file(segment));
        }
    }

    private void rotate() throws IOException {
        channel.close();
        segment++;
        open();
        deleteFinishedSegments();
    }

    private void open() throws IOException {
        channel = FileChannel.open(file(segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        segmentBytes = channel.size();
    }

    private void deleteFinishedSegments() {
        outstanding.entrySet().removeIf(e -> {
            if (e.getKey() != segment && e.getValue() <= 0) {
                delete(file(e.getKey()));
                return true;
            }
            return false;
        });
    }

    private Path file(long number) {
        return directory.resolve(String.format("calls-%012d.jsonl", number));
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches("calls-\\d{12}\\.jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long number(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(6, 18));
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete the journal segment {}: {}", file, e.getMessage());
        }
    }
}
