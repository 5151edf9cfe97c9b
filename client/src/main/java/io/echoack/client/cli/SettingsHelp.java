package io.echoack.client.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.IOptionRenderer;
import picocli.CommandLine.Help.IParamLabelRenderer;
import picocli.CommandLine.IHelpFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help of the {@code echoack} commands: picocli's, with one more line under each option that says its default
 * and its environment variable, from the {@link ClientSetting} table (so the descriptions never repeat them),
 * and {@link #WIDTH} columns, so that URIs and examples are never broken across lines.
 */
final class SettingsHelp implements IHelpFactory {

    /**
     * Columns of the help; picocli would otherwise use 80 when stdout is not a terminal (and the terminal's
     * width on one), and break long URIs in two at a slash.
     */
    static final int WIDTH = 120;

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

    private static Text[][] withSetting(Text[][] rows, OptionSpec option, ColorScheme scheme) {
        List<String> lines = ClientSetting.byFlag(option.longestName()).map(SettingsHelp::lines).orElse(List.of());
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
    static List<String> lines(ClientSetting setting) {
        List<String> parts = new ArrayList<>();
        if (setting.shownDefault() != null) {
            parts.add("Default: " + setting.shownDefault());
        }
        setting.variable().ifPresent(v -> parts.add("Env " + v));
        String oneLine = String.join("; ", parts).replace("; Env ", "; env ");
        return parts.size() < 2 || oneLine.length() <= ONE_LINE ? (parts.isEmpty() ? List.of() : List.of(oneLine))
                : parts;
    }

    /** The longest default-and-variable line kept as one; the description column is wider. */
    private static final int ONE_LINE = 80;
}
