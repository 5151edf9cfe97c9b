package io.echoack.client.cli;

/**
 * Whether logback will read an XML configuration instead of taking {@link CliLogging}'s: one given with
 * {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} or {@code logback.xml} on the class path (as
 * in the tests). A class of its own, free of logback's types, so that asking loads none of them.
 */
final class LogbackXml {

    private LogbackXml() {
    }

    static boolean given() {
        ClassLoader loader = LogbackXml.class.getClassLoader();
        return System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null;
    }
}
