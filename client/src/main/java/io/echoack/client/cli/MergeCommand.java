package io.echoack.client.cli;

import io.echoack.cli.SettingsHelp;
import io.echoack.client.merge.BenchInput;
import io.echoack.client.merge.MergeChart;
import io.echoack.client.merge.MergeException;
import io.echoack.client.merge.MergeInputs;
import io.echoack.client.merge.MergeReport;
import io.echoack.client.merge.MergedRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code echoack merge}: the {@code bench --json} results of many clients as one: histograms added exactly,
 * counters summed, throughput over the union of the measured intervals. The work is in
 * {@link io.echoack.client.merge}; this class reads the files and standard input, prints, and picks the exit code.
 */
@Command(name = "merge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        defaultValueProvider = ClientDefaults.class,
        usageHelpWidth = SettingsHelp.WIDTH,
        sortOptions = false,
        description = {"Merges the JSON results of 'echoack bench --json' from many clients into one: adds their "
                + "latency histograms (exact percentiles of all replies, not averages), sums their counters, and "
                + "takes throughput over the union of their measured intervals, with the overlap (the time all of "
                + "them measured together). Runs that measured different things are refused unless --force.",
                "'-' reads standard input: a stream of JSON objects with other lines between them, e.g. "
                + "'kubectl logs' of many bench pods; lines outside the objects are skipped."},
        customSynopsis = {"echoack merge [OPTIONS] FILE..."},
        footerHeading = "%nExamples:%n",
        footer = {"  echoack merge a.json b.json c.json",
                "  kubectl logs -l job-name=echoack-bench --tail=-1 | echoack merge - --json merged.json",
                "  echoack merge results/*.json --png merged.png"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:merged; no input counted a failure or exited non-zero",
                "1:no failure counted, but an input's bench exited non-zero (e.g. 130: interrupted); or an output "
                        + "could not be written",
                "2:usage error; an input that is not a schema 2 bench result, or runs that measured different things",
                "3:the inputs' failures added up, as one bench run: mostly timeouts (or datagrams lost)",
                "4:... mostly refused connections",
                "5:... mostly connections reset or closed by the server",
                "6:... mostly host names that did not resolve",
                "7:... mostly failed TLS handshakes",
                "8:an input had a wrong reply"})
final class MergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "bench --json results; '-' for standard input.")
    List<String> files;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the result as JSON to FILE; '-' writes it to stdout (the table then goes "
                    + "to stderr).")
    String json;

    @Option(names = "--png", paramLabel = "FILE",
            description = "Also draw a chart into FILE (PNG): each client's msgs/s, and the merged latency by "
                    + "percentile.")
    String png;

    @Option(names = "--force", description = "Merge runs that measured different things (kind, mode, size, rate "
            + "per client, ...) anyway.")
    boolean force;

    @ParentCommand
    EchoAckCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (png != null && !MergeChart.available()) {
            err.println("echoack: merge: --png needs the java.desktop module, which this Java runtime lacks "
                    + "(a jlinked runtime without it); merge without --png, or run it on a full JRE");
            err.flush();
            return ExitCodes.USAGE;
        }
        MergedRun merged;
        try {
            merged = MergedRun.of(read(err), force);
        } catch (MergeException | CannotRead e) {
            err.println("echoack: merge: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        int exitCode = merged.failureKind().map(ExitCodes::of)
                .orElse(merged.failedInputs().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE);
        boolean jsonToStdout = "-".equals(json);
        PrintWriter tableOut = jsonToStdout ? err : out;
        tableOut.print(MergeReport.table(merged));
        tableOut.flush();
        String writing = null;
        try {
            if (json != null) {
                writing = json;
                String document = MergeReport.json(merged, exitCode);
                if (jsonToStdout) {
                    out.print(document);
                    out.flush();
                } else {
                    Files.writeString(Path.of(json), document, StandardCharsets.UTF_8);
                }
            }
            if (png != null) {
                writing = png;
                System.setProperty("java.awt.headless", "true"); // no window, whatever DISPLAY says
                MergeChart.write(merged, Path.of(png));
            }
        } catch (IOException e) {
            err.println("echoack: merge: cannot write " + writing + ": "
                    + (e instanceof NoSuchFileException ? "no such directory" : e.getMessage()));
            err.flush();
            return ExitCodes.FAILURE;
        } catch (LinkageError | InternalError | RuntimeException e) {
            // Java2D without fonts (a minimal container) fails deep inside the JDK
            err.println("echoack: merge: cannot draw " + png + ": " + e + " (Java2D needs a font: install "
                    + "fontconfig and e.g. fonts-dejavu-core)");
            err.flush();
            return ExitCodes.FAILURE;
        }
        if (exitCode != ExitCodes.OK) {
            err.println("echoack: merge: " + merged.errorsTotal() + " errors in " + merged.clients().size()
                    + " runs, " + merged.failedInputs().size() + " of them exited non-zero; exit code " + exitCode);
        }
        err.flush();
        return exitCode;
    }

    /** Every bench result of every FILE, in order; a file without any is an error. */
    private List<BenchInput> read(PrintWriter err) {
        List<BenchInput> inputs = new ArrayList<>();
        boolean stdinRead = false;
        for (String file : files) {
            List<BenchInput> found;
            try {
                if (file.equals("-")) {
                    if (stdinRead) {
                        continue; // '-' twice: standard input is read once
                    }
                    stdinRead = true;
                    found = MergeInputs.read("-", new BufferedReader(new InputStreamReader(cli.stdin(),
                            StandardCharsets.UTF_8)));
                } else {
                    try (BufferedReader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                        found = MergeInputs.read(file, reader);
                    }
                }
            } catch (NoSuchFileException e) {
                throw new CannotRead(file + ": no such file");
            } catch (IOException e) {
                throw new CannotRead("cannot read " + file + ": " + e.getMessage());
            }
            if (found.isEmpty()) {
                throw new CannotRead((file.equals("-") ? "standard input" : file) + ": no bench result in it (the "
                        + "JSON that 'echoack bench --json' writes)");
            }
            inputs.addAll(found);
        }
        return inputs;
    }

    /** A FILE that cannot be read, or holds no bench result. */
    private static final class CannotRead extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CannotRead(String message) {
            super(message);
        }
    }
}
