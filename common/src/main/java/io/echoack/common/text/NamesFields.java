package io.echoack.common.text;

import java.util.Optional;

/**
 * An exception whose message names settings by field: a CLI that catches it renders
 * {@link #fieldMessage()} with its own flag and variable names instead of using {@code getMessage()}.
 */
public interface NamesFields {

    /** The message with its field references, or empty when it names no setting. */
    Optional<FieldMessage> fieldMessage();
}
