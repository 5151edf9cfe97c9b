package io.echoack.client.cli;

import static io.echoack.cli.testing.YamlFiles.dockerDirectory;
import static io.echoack.cli.testing.YamlFiles.map;
import static io.echoack.cli.testing.YamlFiles.maps;
import static io.echoack.cli.testing.YamlFiles.read;
import static io.echoack.cli.testing.YamlFiles.single;
import static io.echoack.cli.testing.YamlFiles.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.client.bench.BenchConfig;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bench clients the deployment files start, {@code docker/kubernetes/bench-job.yaml}'s pods and
 * {@code docker/compose.yaml}'s {@code bench} service, run a command line that {@code echoack bench} accepts
 * (parsed and configured by the real command, not run), against the servers those files start, and begin
 * together. Schema validity of the Job is checked by {@code .ci/image-test}; the compose run by it too.
 */
class DeploymentBenchArgsTest {

    /** {@code $(NAME)}: a reference Kubernetes expands to a variable's value. */
    private static final Pattern K8S_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    /** {@code ${NAME:-default}}: Compose's interpolation with a default. */
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*):-([^}]*)}");
    /**
     * What the README's {@code sed} puts in place of the Job's relative start, one instant for every pod:
     * {@code date -u -d +1min +%FT%TZ}.
     */
    private static final String INSTANT = DateTimeFormatter.ISO_INSTANT.format(
            Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS));

    private static final Path DOCKER = dockerDirectory();

    // ------------------------------------------------------------------------------------------ the Job

    @Test
    void theJobRunsEveryClientOnceAndAllAtOnce() {
        Map<String, Object> job = single(DOCKER.resolve("kubernetes/bench-job.yaml"));
        assertEquals("Job", job.get("kind"));
        Map<String, Object> spec = map(job, "spec");
        assertEquals("Indexed", spec.get("completionMode"), "each pod gets an index, its label");
        assertEquals(spec.get("completions"), spec.get("parallelism"), "all clients at once");
        assertTrue(((Number) spec.get("parallelism")).intValue() >= 2, "more than one client");
        assertEquals(0, spec.get("backoffLimitPerIndex"), "a client run twice would be counted twice");
        assertNull(spec.get("backoffLimit"), "backoffLimit 0 would stop every client when one fails");
        assertEquals("Never", map(map(spec, "template"), "spec").get("restartPolicy"));
        assertNotNull(spec.get("activeDeadlineSeconds"), "a bound on the whole run");
    }

    @Test
    void theJobsPodsAreNotBackendsOfTheService() {
        Map<String, Object> podLabels = map(map(map(map(single(DOCKER.resolve("kubernetes/bench-job.yaml")),
                "spec"), "template"), "metadata"), "labels");
        Map<String, Object> selector = map(map(single(DOCKER.resolve("kubernetes/service.yaml")), "spec"), "selector");
        assertFalse(podLabels.entrySet().containsAll(selector.entrySet()),
                "the Service " + selector + " would send traffic to the bench pods " + podLabels);
    }

    @Test
    void theJobIsNotDeployedWithTheService() {
        List<String> resources = strings(single(DOCKER.resolve("kubernetes/kustomization.yaml")), "resources");
        assertFalse(resources.contains("bench-job.yaml"), resources.toString());
    }

    /**
     * Every pod runs {@code echoack bench} against the Service's TCP port, as the image's non-root user, writing
     * JSON to stdout for {@code kubectl logs | echoack merge -}, labelled by its completion index, and starting at
     * the Job's one instant once the README's {@code sed} has set it (as it stands: 30 s after each pod starts).
     */
    @Test
    void theJobsArgsAreABenchCommandLineAgainstTheService() {
        Map<String, Object> job = single(DOCKER.resolve("kubernetes/bench-job.yaml"));
        Map<String, Object> container = onlyContainer(job);
        assertEquals(List.of("echoack"), strings(container, "command"), "the image's client, not its server");
        Map<String, String> env = kubernetesEnv(container);

        List<String> args = expand(strings(container, "args"), env);
        ParsedBench bench = ParsedBench.of(args);
        Map<String, Object> service = single(DOCKER.resolve("kubernetes/service.yaml"));
        Endpoint endpoint = bench.config.endpoint();
        assertEquals(map(service, "metadata").get("name"), endpoint.host(), "the Service's name");
        assertTrue(maps(map(service, "spec"), "ports").stream().anyMatch(port -> port.get("port").equals(endpoint.port())
                && port.get("protocol").equals(endpoint.kind().scheme().toUpperCase(java.util.Locale.ROOT))),
                endpoint + " is a port of the Service");
        assertEquals("-", bench.command.json, "JSON on stdout, for kubectl logs");
        assertEquals("+30s", bench.option("--start-at"), "as it stands, before the README's sed");
        assertEquals("bench-0", bench.option("--label"), "the completion index, from the Job controller");
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']", fieldRefs(container)
                .get("BENCH_INDEX"));

        String edited = sedFirstPerLine(read(DOCKER.resolve("kubernetes/bench-job.yaml")), "+30s", INSTANT);
        Map<String, Object> applied = onlyContainer(single(edited, "bench-job.yaml after sed"));
        assertEquals(INSTANT, ParsedBench.of(expand(strings(applied, "args"), kubernetesEnv(applied))).option("--start-at"),
                "the sed sets the one instant every pod starts at");
    }

    @Test
    void theReadmeAndTheManifestGiveTheSameCommands() {
        String manifest = read(DOCKER.resolve("kubernetes/bench-job.yaml"));
        String readme = read(DOCKER.getParent().resolve("README.md"));
        for (String command : List.of("sed \"s/+30s/$(date -u -d +1min +%FT%TZ)/\" docker/kubernetes/bench-job.yaml"
                + " | kubectl create -f -", "kubectl logs -l job-name=echoack-bench --tail=-1 | echoack merge -")) {
            assertTrue(manifest.contains(command), "bench-job.yaml: " + command);
            assertTrue(readme.contains(command), "README.md: " + command);
        }
    }

    @Test
    void theJobRunsLockedDownAsTheImagesUser() {
        Map<String, Object> job = single(DOCKER.resolve("kubernetes/bench-job.yaml"));
        Map<String, Object> pod = map(map(map(job, "spec"), "template"), "spec");
        Map<String, Object> container = onlyContainer(job);
        assertEquals(Boolean.TRUE, map(pod, "securityContext").get("runAsNonRoot"));
        assertEquals(10001, map(pod, "securityContext").get("runAsUser"));
        assertTrue(read(DOCKER.resolve("Dockerfile")).contains("\nUSER 10001:10001\n"), "the image's user");
        Map<String, Object> security = map(container, "securityContext");
        assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), strings(map(security, "capabilities"), "drop"));
        assertEquals(List.of("/tmp"), maps(container, "volumeMounts").stream().map(m -> m.get("mountPath")).toList(),
                "the JVM's and Netty's temp files: the only writable place");
        assertNotNull(map(map(container, "resources"), "limits").get("memory"));
        assertEquals(Boolean.FALSE, pod.get("enableServiceLinks"), "no ECHOACK_* variables from the Service");
    }

    // ------------------------------------------------------------------------------------------ Compose

    /**
     * {@code docker compose --profile bench up --scale replica=N --scale bench=M bench}: the bench service runs an
     * {@code echoack bench} command line (with the file's defaults) against the replica service's identity port,
     * counting by host, so the merged result says which replica answered how much.
     */
    @Test
    void theComposeBenchServiceIsABenchCommandLineAgainstTheReplicas() {
        Map<String, Object> services = map(single(DOCKER.resolve("compose.yaml")), "services");
        Map<String, Object> bench = map(services, "bench");
        assertEquals(List.of("echoack", "bench"), strings(bench, "entrypoint"));
        List<String> args = strings(bench, "command").stream().map(DeploymentBenchArgsTest::composeDefaults).toList();
        ParsedBench parsed = ParsedBench.of(prepend("bench", args));
        Endpoint endpoint = parsed.config.endpoint();
        assertEquals("replica", endpoint.host());
        assertEquals(ReplyMode.INFO, parsed.config.mode());
        assertEquals("host", parsed.config.countBy(), "identity at scale: which replica answered");
        assertEquals("-", parsed.command.json);
        assertNotNull(parsed.option("--start-at"), "the clients begin together");

        Map<String, Object> replica = map(services, "replica");
        List<Endpoint> listen = Arrays.stream(String.valueOf(map(replica, "environment").get("ECHOACK_LISTEN"))
                .split(",")).map(Endpoint::parse).toList();
        assertTrue(listen.stream().anyMatch(e -> e.kind() == endpoint.kind() && e.port() == endpoint.port()
                && e.mode().orElse(null) == ReplyMode.INFO), endpoint + " is an info listener of the replica: " + listen);
        assertTrue(listen.stream().noneMatch(e -> e.kind().isUnixDomain()),
                "replicas share no socket file: " + listen);
        assertNull(replica.get("ports"), "a scaled service cannot publish a fixed host port");
        assertNull(replica.get("volumes"), "replicas share no volume");
        assertEquals(List.of("bench"), strings(replica, "profiles"));
        assertEquals(List.of("bench"), strings(bench, "profiles"), "`docker compose up` alone starts neither");
        assertNull(map(services, "server").get("profiles"), "the default server is unchanged");
        assertEquals(Map.of("replica", Map.of("condition", "service_healthy")), bench.get("depends_on"));
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A bench command line parsed and configured by the real {@code echoack bench}, without running it. */
    private record ParsedBench(BenchCommand command, BenchConfig config, CommandLine.ParseResult parsed) {

        static ParsedBench of(List<String> args) {
            assertEquals("bench", args.get(0), args.toString());
            String[] array = args.toArray(String[]::new);
            EchoAckCli cli = new EchoAckCli(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), false,
                    Map.of());
            CommandLine top = cli.newCommandLine(array);
            CommandLine.ParseResult result;
            try {
                result = top.parseArgs(array);
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("echoack " + String.join(" ", args) + ": " + e.getMessage(), e);
            }
            CommandLine sub = top.getSubcommands().get("bench");
            BenchCommand command = sub.getCommand();
            Endpoint endpoint = Target.parseEndpointOnly(command.arguments, sub, "bench sends its own messages");
            return new ParsedBench(command, command.config(endpoint), result.subcommand());
        }

        /** The option's value as typed (after expansion), e.g. {@code --start-at}'s. */
        String option(String name) {
            assertTrue(parsed.hasMatchedOption(name), name + " given");
            return parsed.matchedOption(name).stringValues().get(0);
        }
    }

    /** {@code args} with every {@code $(NAME)} replaced as Kubernetes does; each must name a variable in env. */
    private static List<String> expand(List<String> args, Map<String, String> env) {
        List<String> expanded = new ArrayList<>();
        for (String arg : args) {
            Matcher m = K8S_REFERENCE.matcher(arg);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                assertTrue(env.containsKey(m.group(1)), "$(" + m.group(1) + ") in '" + arg
                        + "' names no variable of the container, so Kubernetes would leave it as it is");
                m.appendReplacement(out, Matcher.quoteReplacement(env.get(m.group(1))));
            }
            m.appendTail(out);
            expanded.add(out.toString());
        }
        return expanded;
    }

    /** The container's variables: values as given, downward-API ones as the first pod's (index 0). */
    private static Map<String, String> kubernetesEnv(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> var : maps(container, "env")) {
            env.put((String) var.get("name"), var.containsKey("valueFrom") ? "0" : String.valueOf(var.get("value")));
        }
        return env;
    }

    private static Map<String, String> fieldRefs(Map<String, Object> container) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (Map<String, Object> var : maps(container, "env")) {
            if (var.containsKey("valueFrom")) {
                refs.put((String) var.get("name"), (String) map(map(var, "valueFrom"), "fieldRef").get("fieldPath"));
            }
        }
        return refs;
    }

    /** Compose's {@code ${NAME:-default}} with no NAME set. */
    private static String composeDefaults(String text) {
        return COMPOSE_VARIABLE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(2)));
    }

    /** What {@code sed "s/FROM/TO/"} does (FROM without regex characters other than '+', literal in sed's BRE). */
    private static String sedFirstPerLine(String text, String from, String to) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            int at = line.indexOf(from);
            out.append(at < 0 ? line : line.substring(0, at) + to + line.substring(at + from.length())).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static Map<String, Object> onlyContainer(Map<String, Object> job) {
        List<Map<String, Object>> containers = maps(map(map(map(job, "spec"), "template"), "spec"), "containers");
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

}
