package io.herald;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every default of a herald.* setting is written once, in application.properties: no Java code reads a setting with a
 * fallback of its own, and every setting Java reads through a typed reader (which refuses an undefined key) has its
 * default there. (The one computed default, herald.instance.id = host name plus a random suffix, cannot be a
 * property: it is named here and documented in application.properties.)
 */
class SettingsDefaultsTest {
    private static final Path MAIN = Path.of("src/main/java");
    /** settings.get("herald.x") [.map(…)] .orElse(<anything but null>) or .orElseGet(…) */
    private static final Pattern JAVA_DEFAULT = Pattern.compile(
            "\\.get\\(\\s*\"(herald\\.[a-z0-9.-]+)\"\\s*\\)\\s*(?:\\.map\\([^;]*?\\)\\s*)?\\.orElse(?:Get\\(|\\((?!\\s*null\\s*\\)))");
    /** settings.text / required / integer / … ("herald.x"): keys that must have their default in the file */
    private static final Pattern TYPED_READ = Pattern.compile(
            "\\.(?:text|required|integer|longValue|flag|duration|millis)\\(\\s*\"(herald\\.[a-z0-9.-]+)\"\\s*\\)");
    private static final String COMPUTED_DEFAULT = "herald.instance.id";

    @Test
    void noJavaCodeReadsAHeraldSettingWithADefaultOfItsOwn() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles()) {
            Matcher m = JAVA_DEFAULT.matcher(Files.readString(file));
            while (m.find()) {
                if (!m.group(1).equals(COMPUTED_DEFAULT)) {
                    found.add(MAIN.relativize(file) + ": " + m.group(1));
                }
            }
        }
        assertThat(found).as("herald.* settings read with a default written in Java").isEmpty();
    }

    @Test
    void everySettingReadWithoutAFallbackHasItsDefaultInApplicationProperties() throws IOException {
        Properties defaults = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            defaults.load(in);
        }
        TreeSet<String> read = new TreeSet<>();
        for (Path file : javaFiles()) {
            Matcher m = TYPED_READ.matcher(Files.readString(file));
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        assertThat(read).as("settings read by the typed readers").contains("herald.db.pool-size", "herald.smtp.timeout-ms",
                "herald.content-rules.max-repeats");
        assertThat(read.stream().filter(key -> !defaults.containsKey(key)).toList())
                .as("settings Java reads that application.properties does not define").isEmpty();
    }

    @Test
    void theCheckFindsADefaultWrittenInJava() {
        String code = "int n = Integer.parseInt(settings.get(\"herald.x.y\")\n        .orElse(\"5\"));"
                + " boolean b = settings.get(\"herald.z\").map(Boolean::parseBoolean).orElse(false);"
                + " String ok = settings.get(\"herald.smtp.host\").orElse(null);";
        Matcher m = JAVA_DEFAULT.matcher(code);
        List<String> keys = new ArrayList<>();
        while (m.find()) {
            keys.add(m.group(1));
        }
        assertThat(keys).containsExactly("herald.x.y", "herald.z");
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }
}
