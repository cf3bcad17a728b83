package io.aigne.hub.gateway.upstream;

import java.io.InputStream;
import java.util.Optional;

/** A provider's answer, headers received and body not yet read; closing it releases the connection. */
public interface UpstreamResponse extends AutoCloseable {
    int status();

    Optional<String> header(String name);

    InputStream body();

    @Override
    void close();
}
