package io.herald.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Herald;
import io.herald.support.Await;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldClient;
import io.herald.support.SmsProviderStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Secrets from files (issue 12, the Docker secrets convention): Herald runs as a process with the prod profile and
 * its secrets only in files, named by HERALD_..._FILE environment variables and by a {@code <key>.file} system
 * property. The files' values are the ones used (the database opens with its password, the operator token
 * authenticates, the SMS provider receives its secret) and appear nowhere in the process's output.
 */
class SecretFilesTest {
    @TempDir
    Path dir;

    @Test
    void secretsAreReadFromTheFilesTheirVariablesName() throws Exception {
        String adminToken = "admin-token-from-file-" + Secrets.base36(24);
        String dbPassword = "db-password-from-file-" + Secrets.base36(16);
        String webhookToken = "webhook-token-from-file-" + Secrets.base36(24);
        String providerSecret = "provider-secret-from-file-" + Secrets.base36(16);
        // the database exists with that password only: Herald opens it only if it reads the file
        String dbUrl = "jdbc:h2:file:" + dir.resolve("herald").toAbsolutePath();
        DriverManager.getConnection(dbUrl, "herald", dbPassword).close();

        try (SmsProviderStub provider = new SmsProviderStub()) {
            int port = HeraldApp.freePort();
            Path log = dir.resolve("herald.log");
            Process herald = launch(log, Map.of(
                            "HERALD_ADMIN_TOKEN_FILE", secretFile("admin_token", adminToken + "\n").toString(),
                            "HERALD_DB_PASSWORD_FILE", secretFile("db_password", dbPassword + "\n").toString(),
                            "HERALD_SMS_PROVIDER_WEBHOOK_TOKEN_FILE", secretFile("webhook_token", webhookToken).toString()),
                    Map.of("herald.http.port", String.valueOf(port),
                            "herald.db.url", dbUrl,
                            "herald.sms.provider.url", provider.url(),
                            "herald.sms.provider.api-key", "provider-key",
                            "herald.sms.provider.api-secret.file", secretFile("provider_secret", providerSecret + "\r\n").toString()));
            try {
                awaitReady(herald, port, log);
                assertThat(call(port, "POST", "/admin/accounts", "wrong-" + adminToken, "{\"name\":\"x\"}").status())
                        .isEqualTo(401);
                HeraldApp.Response account = call(port, "POST", "/admin/accounts", adminToken, "{\"name\":\"From files\"}");
                assertThat(account.status()).isEqualTo(201);
                long accountId = HeraldApp.JSON.readTree(account.body()).get("id").asLong();
                JsonNode key = HeraldApp.JSON.readTree(call(port, "POST", "/admin/accounts/" + accountId + "/keys", adminToken,
                        "{\"sandbox\":false}").body());
                String sms = HeraldApp.JSON.createObjectNode().put("api_key", key.get("apiKey").asText())
                        .put("api_secret", key.get("apiSecret").asText()).put("to", "033334445566770")
                        .put("from", "Files").put("text", "Hello").toString();
                assertThat(call(port, "POST", "/v1.0/sms/", null, sms).status()).isEqualTo(200);
                Await.until("the provider receives the SMS", Duration.ofSeconds(30), () -> !provider.requests().isEmpty());
                assertThat(provider.requests()).isNotEmpty();
                assertThat(provider.requests().get(0).get("api_secret").asText()).isEqualTo(providerSecret);
            } finally {
                herald.destroy();
                herald.waitFor(60, TimeUnit.SECONDS);
            }
            String output = Files.readString(log);
            assertThat(output).contains("[secret files]", "herald.admin.token = ***", "herald.db.password = ***");
            for (String secret : List.of(adminToken, dbPassword, webhookToken, providerSecret)) {
                assertThat(output).doesNotContain(secret);
            }
        }
    }

    @Test
    void anUnreadableSecretFileStopsTheStartWithAClearError() throws Exception {
        Path missing = dir.resolve("no-such-secret");
        Path log = dir.resolve("herald-missing.log");
        Process herald = launch(log, Map.of("HERALD_ADMIN_TOKEN_FILE", missing.toString()), Map.of(
                "herald.http.port", String.valueOf(HeraldApp.freePort()),
                "herald.db.url", "jdbc:h2:file:" + dir.resolve("herald").toAbsolutePath(),
                "herald.db.password", "db-password-" + Secrets.base36(16)));
        if (!herald.waitFor(120, TimeUnit.SECONDS)) {
            herald.destroyForcibly();
            throw new AssertionError("Herald kept running with an unreadable secret file; see " + log);
        }
        assertThat(herald.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("HERALD_ADMIN_TOKEN_FILE names a file that cannot be read: " + missing);
    }

    @Test
    void aSecretGivenBothDirectlyAndAsAFileIsRefused() throws IOException {
        String file = secretFile("token", "x").toString();
        assertThatThrownBy(() -> SecretFiles.check(Map.of("HERALD_ADMIN_TOKEN", "y", "HERALD_ADMIN_TOKEN_FILE", file), Map.of()))
                .hasMessage("both HERALD_ADMIN_TOKEN and HERALD_ADMIN_TOKEN_FILE are set: set one of them");
        assertThatThrownBy(() -> SecretFiles.check(Map.of(), Map.of("herald.smtp.password", "y", "herald.smtp.password.file", file)))
                .hasMessage("both herald.smtp.password and herald.smtp.password.file are set: set one of them");
        // only secrets are read from files: HERALD_SPOOL_FILE would be the setting herald.spool.file
        SecretFiles.check(Map.of("HERALD_SPOOL_FILE", dir.resolve("absent").toString()), Map.of());
    }

    private Path secretFile(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** Herald's main class as a process with the prod profile, this environment and these -D properties. */
    private static Process launch(Path log, Map<String, String> environment, Map<String, String> properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(entry -> !entry.isBlank()).collect(Collectors.joining(File.pathSeparator)),
                "-Dcamel.main.profile=prod", "-Dcamel.main.shutdown-timeout=5"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(Herald.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HERALD_") || name.startsWith("CAMEL_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    private static void awaitReady(Process process, int port, Path log) {
        HeraldClient client = new HeraldClient(port);
        try {
            Await.until("Herald ready; see " + log, Duration.ofSeconds(120), Duration.ofMillis(200), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Herald exited with " + process.exitValue() + "; see " + log);
                }
                return client.ready();
            }, Boolean::booleanValue);
        } catch (AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static HeraldApp.Response call(int port, String method, String path, String bearer, String json) {
        return new HeraldClient(port).send(method, path, json == null ? null : "application/json", json,
                bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer));
    }
}
