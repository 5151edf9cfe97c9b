package io.echoack.server.reload;

import java.util.List;

/**
 * What a reload did.
 *
 * @param applied one line per change now in effect
 * @param refused one line per change that needs a restart (still running as before)
 * @param failed  one line per part that could not apply its change (a bad certificate file: the old one stays)
 */
public record ReloadReport(List<String> applied, List<String> refused, List<String> failed) {

    public ReloadReport {
        applied = List.copyOf(applied);
        refused = List.copyOf(refused);
        failed = List.copyOf(failed);
    }

    /** True when nothing changed and nothing was refused or failed. */
    public boolean isEmpty() {
        return applied.isEmpty() && refused.isEmpty() && failed.isEmpty();
    }
}
