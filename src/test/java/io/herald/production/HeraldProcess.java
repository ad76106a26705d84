package io.herald.production;

import io.herald.Herald;
import io.herald.support.Await;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldClient;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Herald running as a separate operating-system process (its real main class, on the test class path), so a test can
 * kill it hard, as a crash or an OOM killer would, or stop it gracefully (SIGTERM), as an orchestrator does.
 * The process's output goes to a log file under target/.
 */
final class HeraldProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private HeraldProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Herald with these properties (as -D options) and waits until it reports ready. */
    static HeraldProcess start(String name, int port, Map<String, String> properties) throws IOException {
        HeraldProcess herald = launch(name, port, properties);
        herald.awaitReady();
        return herald;
    }

    /** Starts Herald with these properties (as -D options); {@link #awaitReady()} waits until it is ready. */
    static HeraldProcess launch(String name, int port, Map<String, String> properties) throws IOException {
        Map<String, String> props = new TreeMap<>();
        props.put("camel.main.profile", "test");
        props.put("herald.http.port", String.valueOf(port));
        props.put("herald.public-url", "http://localhost:" + port);
        props.put("herald.admin.token", HeraldApp.ADMIN_TOKEN);
        props.put("herald.demo.enabled", "false");
        props.put("camel.main.shutdown-timeout", "10");
        props.putAll(properties);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        // surefire's class path ends with an empty entry, which java reads as the working directory: the top-level
        // routes/ would then be found twice
        command.add(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).collect(Collectors.joining(File.pathSeparator)));
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(Herald.class.getName());
        Path log = Path.of("target", "herald-" + name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Files.writeString(log, String.join(" ", command) + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // whatever happens to the test, the process does not outlive the test run
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "herald-process-reaper"));
        return new HeraldProcess(process, port, log);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** A crash: SIGKILL, no shutdown of any kind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A graceful stop: SIGTERM, Camel's shutdown (in-flight deliveries finish, claims are handed back). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Waits until the process reports ready; kills it if it does not. */
    void awaitReady() {
        try {
            awaitReady(Duration.ofSeconds(120));
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private void awaitReady(Duration timeout) {
        HeraldClient client = client();
        Await.until("Herald ready on port " + port + "; see " + log, timeout, Duration.ofMillis(200), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Herald exited with " + process.exitValue() + "; see " + log);
            }
            return client.ready();
        }, Boolean::booleanValue);
    }

    /** The one test client, speaking to this process. */
    HeraldClient client() {
        return new HeraldClient(port);
    }
}
