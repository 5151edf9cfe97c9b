package io.echoack.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** A small command with a settings table, for the tests of this module. */
@Command(name = "sample", mixinStandardHelpOptions = true, usageHelpWidth = SettingsHelp.WIDTH,
        description = "Talks to the server at unix:///run/sample/a-rather-long-directory-name/and-a-socket-file.sock "
                + "unless told otherwise, which is long enough to be wrapped at 80 columns.",
        footer = {"Examples:", "  sample --timeout 9 --names a,b,c --host unix:///run/sample/a-rather-long-name.sock"})
final class SampleCommand {

    /** The table of {@link SampleCommand}. */
    enum Table implements Setting {
        TIMEOUT(new Row("--timeout", "ECHOACK_SAMPLE_TIMEOUT", "5")),
        NAMES(new Row("--names", "ECHOACK_SAMPLE_NAMES", "a,b", "a, b")),
        HOST(new Row("--host", null, null, "the endpoint's host"));

        private final Row row;

        Table(Row row) {
            this.row = row;
        }

        @Override
        public Row row() {
            return row;
        }
    }

    @Option(names = {"-t", "--timeout"}, converter = Positive.class, description = "Seconds to wait.")
    int timeout;

    @Option(names = "--names", split = ",", converter = Lowercase.class, description = "Names to send.")
    List<String> names;

    @Option(names = "--host", description = "Server name to check.")
    String host;

    /** A whole number above 0. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (!value.matches("[1-9][0-9]*")) {
                throw new TypeConversionException("'" + value + "' is not a positive whole number");
            }
            return Integer.valueOf(value);
        }
    }

    /** A word of lower-case letters. */
    static final class Lowercase implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.matches("[a-z]+")) {
                throw new TypeConversionException("'" + value + "' is not a lower-case word");
            }
            return value;
        }
    }
}
