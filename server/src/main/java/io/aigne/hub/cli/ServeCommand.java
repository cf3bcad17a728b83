package io.aigne.hub.cli;

import io.aigne.hub.Hub;
import io.aigne.hub.auth.OwnerBootstrap;
import io.aigne.hub.config.HubConfig;
import io.aigne.hub.server.HubServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", description = "Start the hub (embedded SQLite under the data directory unless configured otherwise).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws InterruptedException {
        HubConfig config = configOptions.load();
        Hub hub = Hub.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hub-shutdown").unstarted(() -> {
            hub.close();
            stopped.countDown();
        }));
        printBanner(System.out, hub, config);
        stopped.await();
        return 0;
    }

    private static void printBanner(PrintStream out, Hub hub, HubConfig config) {
        String host = config.server().host();
        String http = hub.port() == HubServer.OFF ? null : "http://" + host + ":" + hub.port();
        String https = hub.httpsPort() == HubServer.OFF ? null : "https://" + host + ":" + hub.httpsPort();
        String base = http != null ? http : https;
        out.println();
        out.println("  AIGNE Hub is running at " + (http != null && https != null ? http + " and " + https : base));
        hub.tlsCertificate().ifPresent(cert -> {
            out.println("  HTTPS certificate:     " + cert.file().toAbsolutePath());
            out.println("    SHA-256 fingerprint: " + cert.sha256Fingerprint());
            if (cert.selfSigned()) {
                out.println("    self-signed; trust it in node clients (aigne CLI, SDK) with");
                out.println("    NODE_EXTRA_CA_CERTS=" + cert.file().toAbsolutePath());
            }
        });
        out.println("  OpenAI-compatible API: " + base + "/v1   (Authorization: Bearer <access key>)");
        out.println("  Anthropic-compatible API: " + base + "/v1/messages   (x-api-key or Authorization: Bearer)");
        out.println("  Console & playground:  " + base + "/   (sign in; give a user a password with"
                + " ./hub admin set-password NAME)");
        out.println("  Data directory:        " + Path.of(config.dataDir()).toAbsolutePath().normalize());
        hub.initialOwnerKey().ifPresentOrElse(key -> {
            out.println();
            out.println("  First start: created the owner user '" + OwnerBootstrap.OWNER_NAME + "'. Its access key, shown only now:");
            out.println();
            out.println("      " + key.secret());
            out.println();
            out.println("  Keep it safe; it is stored only as a hash. More keys: ./hub admin create-key --user owner");
        }, () -> out.println("  Access keys:           ./hub admin create-key --user owner   (or POST /api/user/access-keys)"));
        out.println("  Add a provider:        POST " + base + "/api/ai-providers   (see README)");
        out.println("  Stop with Ctrl-C (in-flight calls finish, the usage ledger is flushed).");
        out.println();
        out.flush();
    }
}
