package io.relata.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The platform's version as the build wrote it, without a {@code -SNAPSHOT} qualifier (what Plugin-Requires is checked against). */
public final class PlatformVersion {

    private PlatformVersion() {
    }

    public static String current() {
        try (InputStream in = PlatformVersion.class.getResourceAsStream("platform.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version").replaceFirst("-SNAPSHOT$", "");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("The build did not write io/relata/plugins/platform.properties", e);
        }
    }
}
