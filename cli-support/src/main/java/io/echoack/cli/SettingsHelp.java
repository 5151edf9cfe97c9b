package io.echoack.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.IOptionRenderer;
import picocli.CommandLine.IHelpFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help of a command with a {@link Setting} table: picocli's, with one more line under each option that says
 * its default and its environment variable, from the table (so the descriptions never repeat them). The
 * command sets {@code usageHelpWidth = SettingsHelp.WIDTH}, so that URIs and examples are never broken across
 * lines.
 */
public final class SettingsHelp implements IHelpFactory {

    /**
     * Columns of the help; picocli would otherwise use 80 when stdout is not a terminal (and the terminal's
     * width on one), and break long URIs in two at a slash.
     */
    public static final int WIDTH = 120;

    /** The longest default-and-variable line kept as one; the description column is wider. */
    private static final int ONE_LINE = 80;

    private final Function<String, Optional<? extends Setting>> settingOfFlag;

    /** The help of a command whose options are {@code table}'s settings. */
    public <S extends Enum<S> & Setting> SettingsHelp(Class<S> table) {
        Objects.requireNonNull(table, "table");
        this.settingOfFlag = flag -> Setting.byFlag(table, flag);
    }

    @Override
    public Help create(CommandSpec commandSpec, ColorScheme colorScheme) {
        return new Help(commandSpec, colorScheme) {
            @Override
            public IOptionRenderer createDefaultOptionRenderer() {
                IOptionRenderer picocli = super.createDefaultOptionRenderer();
                return (option, labels, scheme) -> withSetting(picocli.render(option, labels, scheme), option, scheme);
            }
        };
    }

    private Text[][] withSetting(Text[][] rows, OptionSpec option, ColorScheme scheme) {
        List<String> lines = settingOfFlag.apply(option.longestName()).map(SettingsHelp::lines).orElse(List.of());
        if (lines.isEmpty() || rows.length == 0) {
            return rows;
        }
        List<Text[]> all = new ArrayList<>(Arrays.asList(rows));
        for (String line : lines) {
            Text[] extra = new Text[rows[0].length];
            Arrays.fill(extra, scheme.text(""));
            extra[extra.length - 1] = scheme.text(line);
            all.add(extra);
        }
        return all.toArray(Text[][]::new);
    }

    /**
     * {@code Default: ack; env ECHOACK_MODE}, or less when the setting has no default or no variable; two lines
     * when one would be too long for the description column.
     */
    public static List<String> lines(Setting setting) {
        List<String> parts = new ArrayList<>();
        if (setting.shownDefault() != null) {
            parts.add("Default: " + setting.shownDefault());
        }
        setting.variable().ifPresent(v -> parts.add("Env " + v));
        String oneLine = String.join("; ", parts).replace("; Env ", "; env ");
        return parts.size() < 2 || oneLine.length() <= ONE_LINE ? (parts.isEmpty() ? List.of() : List.of(oneLine))
                : parts;
    }
}
