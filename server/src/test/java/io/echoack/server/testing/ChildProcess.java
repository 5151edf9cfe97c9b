package io.echoack.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A program under test (a C client, nc, socat, the server jar). Its stdin is fed from a background thread
 * and its stdout and stderr are captured as they arrive, so that no wait here can block on a pipe; every
 * wait has a deadline. {@link #close()} always ends the process: SIGTERM first, then SIGKILL.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final String description;
    private final Process process;
    private final Capture stdout;
    private final Capture stderr;
    private Thread feeder;

    private ChildProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        this.stdout = Capture.pump(process.getInputStream(), description + " stdout");
        this.stderr = Capture.pump(process.getErrorStream(), description + " stderr");
    }

    /** Starts {@code command} with stdin as a pipe to write to. */
    public static ChildProcess start(List<String> command) throws IOException {
        return start(command, pb -> { });
    }

    /** Starts {@code command} reading stdin from {@code input} (one read() gets all of a small file). */
    public static ChildProcess startWithInputFile(List<String> command, Path input) throws IOException {
        return start(command, pb -> pb.redirectInput(input.toFile()));
    }

    /** Starts {@code command} with stdin as a pipe, after {@code customizer} adjusted the builder. */
    public static ChildProcess start(List<String> command, Consumer<ProcessBuilder> customizer) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        customizer.accept(builder);
        return new ChildProcess(String.join(" ", command), builder.start());
    }

    /** Starts {@code command} without the given environment variables. */
    public static ChildProcess startWithout(List<String> command, Predicate<String> dropVariable) throws IOException {
        return start(command, pb -> {
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(dropVariable);
        });
    }

    /**
     * Runs {@code command} to completion: writes {@code input}, closes stdin, waits for the exit.
     *
     * @throws AssertionError when it does not exit within {@code timeout} (it is killed then)
     */
    public static Result run(List<String> command, byte[] input, Duration timeout) throws IOException, InterruptedException {
        try (ChildProcess child = start(command)) {
            child.write(input, true);
            return child.awaitExit(timeout);
        }
    }

    /**
     * Writes {@code bytes} to stdin from a background thread (a child that reads slowly cannot block the
     * test), then closes stdin if {@code close}.
     */
    public void write(byte[] bytes, boolean close) {
        joinFeeder();
        OutputStream in = process.getOutputStream();
        feeder = new Thread(() -> {
            try {
                in.write(bytes);
                in.flush();
                if (close) {
                    in.close();
                }
            } catch (IOException e) {
                // the child exited or closed its stdin; its exit code and output tell the story
            }
        }, "stdin of " + description);
        feeder.setDaemon(true);
        feeder.start();
    }

    /** Closes stdin once what was written has gone into the pipe (the child then sees EOF). */
    public void closeStdin() {
        joinFeeder();
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed by the child's exit
        }
    }

    private void joinFeeder() {
        if (feeder != null) {
            try {
                feeder.join(DRAIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until stdout holds at least {@code count} bytes; false when the deadline or EOF came first. */
    public boolean awaitStdoutBytes(int count, Duration timeout) throws InterruptedException {
        return stdout.await(bytes -> bytes.size() >= count, timeout);
    }

    /** Waits until stdout contains {@code text}; false when the deadline or EOF came first. */
    public boolean awaitStdout(String text, Duration timeout) throws InterruptedException {
        return stdout.await(bytes -> bytes.toString(StandardCharsets.UTF_8).contains(text), timeout);
    }

    /** Waits until stderr contains {@code text}; false when the deadline or EOF came first. */
    public boolean awaitStderr(String text, Duration timeout) throws InterruptedException {
        return awaitStderr(err -> err.contains(text), timeout);
    }

    /** Waits until stderr so far satisfies {@code condition}; false when the deadline or EOF came first. */
    public boolean awaitStderr(Predicate<String> condition, Duration timeout) throws InterruptedException {
        return stderr.await(bytes -> condition.test(bytes.toString(StandardCharsets.UTF_8)), timeout);
    }

    /**
     * Waits for the process to exit and for its output to be read to the end.
     *
     * @throws AssertionError when it is still running after {@code timeout}
     */
    public Result awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("'" + description + "' did not exit within " + timeout + "\n" + this);
        }
        stdout.await(bytes -> false, DRAIN); // returns at EOF
        stderr.await(bytes -> false, DRAIN);
        return new Result(process.exitValue(), stdout.bytes(), stderr.text());
    }

    /**
     * Sends SIGTERM and keeps reading the output. ({@link Process#destroy()} also sends SIGTERM on Linux, but
     * closes our ends of the pipes too, so whatever the process prints while it shuts down would be lost.)
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Sends SIGHUP (which the server takes as: read the configuration again). */
    public void hangUp() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(DRAIN.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -HUP " + process.pid() + " failed");
        }
    }

    public byte[] stdoutBytes() {
        return stdout.bytes();
    }

    public String stdoutText() {
        return new String(stdout.bytes(), StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return stderr.text();
    }

    /**
     * Stops reading stderr (after the chunk being read, if any), so that the child's writes to it block once
     * the pipe is full, as with a log collector that stalls. {@link #resumeStderr()} reads on.
     */
    public void pauseStderr() {
        stderr.pause(true);
    }

    /** Reads stderr again after {@link #pauseStderr()}. */
    public void resumeStderr() {
        stderr.pause(false);
    }

    /** Ends the process if it still runs: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        closeStdin();
    }

    @Override
    public String toString() {
        return "--- stdout of '" + description + "':\n" + stdoutText() + "\n--- stderr:\n" + stderrText();
    }

    /** How a process ended and what it printed. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout:\n" + stdoutText() + "\n--- stderr:\n" + stderr;
        }
    }

    /** One output stream of the child, read to EOF by its own thread; waiters are woken on every chunk. */
    private static final class Capture {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean eof;
        private boolean paused;

        static Capture pump(InputStream in, String name) {
            Capture capture = new Capture();
            Thread pump = new Thread(() -> capture.readAll(in), name);
            pump.setDaemon(true);
            pump.start();
            return capture;
        }

        private void readAll(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while (awaitUnpaused() && (n = in.read(chunk)) >= 0) {
                    append(chunk, n);
                }
            } catch (IOException e) {
                // the pipe broke: treat as the end of output
            } finally {
                end();
            }
        }

        synchronized void pause(boolean pause) {
            paused = pause;
            notifyAll();
        }

        /** Waits while paused; false when interrupted (the end of output, then). */
        private synchronized boolean awaitUnpaused() {
            try {
                while (paused) {
                    wait();
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private synchronized void append(byte[] chunk, int n) {
            bytes.write(chunk, 0, n);
            notifyAll();
        }

        private synchronized void end() {
            eof = true;
            notifyAll();
        }

        synchronized boolean await(Predicate<ByteArrayOutputStream> condition, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.test(bytes)) {
                long left = deadline - System.nanoTime();
                if (eof || left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
