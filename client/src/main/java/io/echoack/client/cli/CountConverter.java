package io.echoack.client.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a count that may be zero ({@code --retries}): a whole number, 0 or more. Checked here rather than in
 * the command, so that a bad value from an environment variable is blamed on the variable.
 */
final class CountConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < 0) {
            throw new TypeConversionException("must be >= 0, was " + n);
        }
        return n;
    }
}
