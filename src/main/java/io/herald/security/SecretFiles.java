package io.herald.security;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Ordered;
import org.apache.camel.spi.PropertiesSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Secret settings read from files (the Docker secrets convention; README "Security"): a secret setting
 * ({@link Secrets#isSecretSetting}) such as {@code herald.db.password} takes the content of the file named by
 * {@code herald.db.password.file}, which Camel's properties component finds as the environment variable
 * {@code HERALD_DB_PASSWORD_FILE}, the system property or a properties file. A trailing line break is dropped.
 * <p>
 * Camel's properties component asks this source before the properties files (it is found through
 * {@code META-INF/services/org/apache/camel/properties-source-factory}), after environment variables, system
 * properties and override properties; {@link #check} refuses to start when a setting is given both ways or its file
 * cannot be read.
 */
public class SecretFiles implements PropertiesSource, CamelContextAware, Ordered {
    static final String SUFFIX = ".file";
    private static final String ENV_SUFFIX = "_FILE";

    private CamelContext context;

    @Override
    public String getName() {
        return "secret files";
    }

    @Override
    public String getProperty(String name) {
        if (context == null || name.endsWith(SUFFIX) || !Secrets.isSecretSetting(name)) {
            return null;
        }
        return context.getPropertiesComponent().resolveProperty(name + SUFFIX).map(String::trim).filter(p -> !p.isEmpty())
                .map(path -> read(name + SUFFIX, path)).orElse(null);
    }

    /**
     * Start-up check of every {@code HERALD_..._FILE} environment variable and {@code herald....file} system property
     * naming a secret: its file must be readable, and the setting must not be given directly as well.
     */
    public static void check(Map<String, String> environment, Map<String, String> systemProperties) {
        environment.forEach((variable, path) -> {
            if (variable.startsWith("HERALD_") && variable.endsWith(ENV_SUFFIX) && isSecretFile(variable, ENV_SUFFIX)) {
                String direct = variable.substring(0, variable.length() - ENV_SUFFIX.length());
                refuseBoth(environment.containsKey(direct), direct, variable);
                read(variable, path);
            }
        });
        systemProperties.forEach((property, path) -> {
            if (property.startsWith("herald.") && property.endsWith(SUFFIX) && isSecretFile(property, SUFFIX)) {
                String direct = property.substring(0, property.length() - SUFFIX.length());
                refuseBoth(systemProperties.containsKey(direct), direct, property);
                read(property, path);
            }
        });
    }

    private static boolean isSecretFile(String name, String suffix) {
        return Secrets.isSecretSetting(name.substring(0, name.length() - suffix.length()));
    }

    private static void refuseBoth(boolean both, String direct, String file) {
        if (both) {
            throw new IllegalStateException("both " + direct + " and " + file + " are set: set one of them");
        }
    }

    /** The file's content without its trailing line break; a clear start-up error when it cannot be read. */
    static String read(String setting, String path) {
        try {
            String content = Files.readString(Path.of(path.trim()), StandardCharsets.UTF_8);
            return content.replaceFirst("\\R+\\z", "");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(setting + " names a file that cannot be read: " + path.trim() + " (" + e + ")", e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }
}
