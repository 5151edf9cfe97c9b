package io.echoack.cli.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.cli.Setting;
import io.echoack.cli.SettingsHelp;
import java.nio.file.Files;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What every command's settings test checks of its own table: that the table and the options are the same set,
 * that a bad value is one line naming only what the user gave, and that the help keeps URIs and examples whole.
 */
public final class SettingsAssertions {

    private static final Pattern URI = Pattern.compile("[a-z]+://[^\\s'\",;)]*[^\\s'\",;).]");

    private SettingsAssertions() {
    }

    /**
     * Every option of {@code commands} (help and version aside) has a row in {@code table}, and every row an
     * option; no option declares a default of its own (the table has it); no variable is in two rows, and each
     * is an {@code ECHOACK_} one.
     */
    public static <S extends Enum<S> & Setting> void assertTableIsTheOptions(Class<S> table,
                                                                            List<CommandSpec> commands) {
        Set<String> options = new TreeSet<>();
        for (CommandSpec command : commands) {
            for (OptionSpec option : command.options()) {
                assertNull(option.defaultValue(), command.qualifiedName() + " " + option.longestName()
                        + ": the default is in the table, not here");
                if (!option.usageHelp() && !option.versionHelp()) {
                    options.add(option.longestName());
                }
            }
        }
        S[] rows = table.getEnumConstants();
        Set<String> flags = Arrays.stream(rows).map(Setting::flag).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(flags, options, "every option has a row and every row an option");
        List<String> variables = Arrays.stream(rows).flatMap(s -> s.variable().stream()).toList();
        assertEquals(variables.size(), Set.copyOf(variables).size(), "no variable twice: " + variables);
        assertTrue(variables.stream().allMatch(v -> v.matches("ECHOACK_[A-Z_]+")), variables.toString());
    }

    /**
     * {@code run} printed one line to stderr, {@code PROGRAM: NAME} and then one of {@code followedBy} (e.g.
     * {@code ": "}), that names no variable but {@code name} (a hint {@code (or ECHOACK_X)} aside) and, when
     * {@code name} is {@code setting}'s variable, not its flag either.
     */
    public static void assertOneLineNaming(String program, String name, Setting setting, CommandRun run,
                                           String... followedBy) {
        List<String> lines = run.errLines();
        assertEquals(1, lines.size(), "one line: " + run);
        String line = lines.get(0);
        String lead = program + ": " + name;
        assertTrue(Arrays.stream(followedBy).anyMatch(after -> line.startsWith(lead + after)), line);
        String rest = line.substring(lead.length()).replaceAll("\\(or ECHOACK_[A-Z_]+\\)", "");
        assertFalse(rest.contains("ECHOACK_"), "no other variable: " + line);
        if (name.startsWith("ECHOACK_")) {
            assertFalse(rest.matches("(?s).*" + Pattern.quote(setting.flag()) + "\\b(?!-).*"),
                    "the variable, not the flag: " + line);
        }
    }

    /**
     * Copying a URI or an example out of {@code help}, the help {@code command} printed, works: every URI in its
     * description, footer, options and their default-and-variable lines from {@code table} is there unbroken as
     * often as in the source, every source line that starts with one of {@code examplePrefixes} is a line of the
     * help, and no line is wider than {@link SettingsHelp#WIDTH}.
     */
    public static <S extends Enum<S> & Setting> void assertHelpKeepsUrisAndExamplesWhole(
            CommandSpec command, Class<S> table, String help, String... examplePrefixes) {
        List<String> source = new ArrayList<>(List.of(command.usageMessage().description()));
        source.addAll(List.of(command.usageMessage().footer()));
        for (OptionSpec option : command.options()) {
            source.addAll(List.of(option.description()));
            Setting.byFlag(table, option.longestName()).ifPresent(s -> source.addAll(SettingsHelp.lines(s)));
        }
        List<String> helpLines = help.lines().toList();
        String all = String.join("\n", source);
        for (String line : source) {
            Matcher uris = URI.matcher(line);
            while (uris.find()) {
                assertTrue(count(help, uris.group()) >= count(all, uris.group()),
                        command.qualifiedName() + ": " + uris.group() + " broken:\n" + help);
            }
            if (Arrays.stream(examplePrefixes).anyMatch(line::startsWith)) {
                assertTrue(helpLines.contains(line), "example on one line: " + line + "\n" + help);
            }
        }
        assertTrue(helpLines.stream().allMatch(l -> l.length() <= SettingsHelp.WIDTH), help);
    }

    /**
     * The row of {@code setting} in the README table(s) of {@code section}: of the lines that start with
     * {@code | `}, split into cells at {@code " | "}, the first whose first cell names the setting's flag, as it is
     * or as {@code --[no-]flag}.
     *
     * @throws AssertionError when no row names it
     */
    public static String[] readmeRow(String section, Setting setting) {
        return section.lines().filter(l -> l.startsWith("| `")).map(l -> l.split(" \\| "))
                .filter(r -> r[0].matches(".*" + Pattern.quote(setting.flag()) + "\\b(?!-).*")
                        || r[0].contains("--[no-]" + setting.flag().substring(2)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no README row for " + setting.flag()));
    }

    /**
     * Every library field a setting of {@code table} names ({@code field}; null for an option of the command line
     * only) is a component of one of {@code records}, and {@code ofField} finds that setting by it again.
     */
    public static <S extends Enum<S> & Setting> void assertEveryFieldIsOne(Class<S> table, Function<S, String> field,
                                                                          Function<String, Optional<S>> ofField,
                                                                          Class<?>... records) {
        Set<String> fields = Stream.of(records)
                .flatMap(type -> Stream.of(type.getRecordComponents()))
                .map(RecordComponent::getName)
                .collect(Collectors.toSet());
        for (S setting : table.getEnumConstants()) {
            String name = field.apply(setting);
            assertTrue(name == null || fields.contains(name), setting + " names a field no library record has: "
                    + name);
            if (name != null) {
                assertEquals(setting, ofField.apply(name).orElseThrow());
            }
        }
    }

    /** README.md at the top of the project, whose tables the settings tests hold to the settings tables. */
    public static Path readme() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("cli-support"))) {
                return d.resolve("README.md");
            }
        }
        throw new AssertionError("no README.md above " + Path.of("").toAbsolutePath());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
