package io.echoack.server.deploy;

import static io.echoack.cli.testing.YamlFiles.dockerDirectory;
import static io.echoack.cli.testing.YamlFiles.map;
import static io.echoack.cli.testing.YamlFiles.maps;
import static io.echoack.cli.testing.YamlFiles.read;
import static io.echoack.cli.testing.YamlFiles.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.echoack.cli.testing.YamlFiles;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.text.Durations;
import io.echoack.server.cli.ServerCommand;
import io.echoack.server.config.AdminEndpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.identity.IdentityPairs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment files under {@code docker/} agree with the server they deploy: ports, probes, the grace
 * period against drain delay plus drain timeout, the environment (only variables the server reads, with values
 * it accepts, and the downward-API variables its identity is made of), the identity replies with pod names,
 * the non-root user. Schema validity is checked by {@code .ci/image-test}; this test is about what a schema
 * cannot know.
 */
class KubernetesManifestTest {

    /** The port of the Deployment's identity replies (reply mode info), next to the default port. */
    private static final int INFO_PORT = ServerConfig.DEFAULT_PORT + 1;
    /** {@code $(NAME)}: a reference Kubernetes expands to an earlier variable's value. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private static Path docker;
    private static Map<String, Object> deployment;
    private static Map<String, Object> service;
    private static Map<String, Object> pod;
    private static Map<String, Object> container;
    private static Map<String, String> env;
    /** The variables the downward API sets: name to field path. */
    private static Map<String, String> fieldRefs;
    private static String dockerfile;

    @BeforeAll
    static void load() {
        docker = dockerDirectory();
        deployment = single(docker.resolve("kubernetes/deployment.yaml"), "Deployment");
        service = single(docker.resolve("kubernetes/service.yaml"), "Service");
        pod = map(map(map(deployment, "spec"), "template"), "spec");
        List<Map<String, Object>> containers = maps(pod, "containers");
        assertEquals(1, containers.size(), "one container per pod");
        container = containers.get(0);
        env = new LinkedHashMap<>();
        fieldRefs = new LinkedHashMap<>();
        for (Map<String, Object> var : maps(container, "env")) {
            String name = (String) var.get("name");
            if (var.containsKey("valueFrom")) {
                fieldRefs.put(name, (String) map(map(var, "valueFrom"), "fieldRef").get("fieldPath"));
            }
            env.put(name, String.valueOf(var.get("value")));
        }
        dockerfile = read(docker.resolve("Dockerfile"));
    }

    @Test
    void containerPortsAreTheServerDefaultsAndTheIdentityPort() {
        int port = ServerConfig.DEFAULT_PORT;
        assertEquals(Map.of("tcp", port + "/TCP", "udp", port + "/UDP", "admin", ServerConfig.DEFAULT_ADMIN_PORT + "/TCP",
                "info-tcp", INFO_PORT + "/TCP", "info-udp", INFO_PORT + "/UDP"), containerPorts());
    }

    /** The Deployment serves identity replies on its info ports, saying which pod, namespace and node answered. */
    @Test
    void identityRepliesNameThePodFromTheDownwardApi() {
        List<Endpoint> info = Arrays.stream(env.get("ECHOACK_LISTEN").split(",")).map(Endpoint::parse)
                .filter(e -> e.mode().orElse(null) == ReplyMode.INFO).toList();
        Map<String, String> ports = containerPorts();
        assertEquals(List.of("info-tcp", "info-udp"), info.stream().map(e -> {
            assertTrue(e.isWildcardHost(), e + " must listen on every address of the pod");
            return ports.entrySet().stream().filter(p -> p.getValue().equals(e.port() + "/"
                    + e.kind().scheme().toUpperCase(Locale.ROOT))).map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new AssertionError("no container port for " + e));
        }).toList());
        assertEquals(Map.of("POD_NAME", "metadata.name", "POD_NAMESPACE", "metadata.namespace",
                "NODE_NAME", "spec.nodeName", "POD_IP", "status.podIP"), fieldRefs);
        String identity = env.get("ECHOACK_IDENTITY");
        List<String> names = new ArrayList<>(env.keySet());
        Matcher m = REFERENCE.matcher(identity);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            assertTrue(names.indexOf(name) >= 0 && names.indexOf(name) < names.indexOf("ECHOACK_IDENTITY"),
                    "$(" + name + ") must name a variable defined before ECHOACK_IDENTITY, or Kubernetes leaves it");
            m.appendReplacement(expanded, "pod-of-" + fieldRefs.get(name).replace('.', '-'));
        }
        m.appendTail(expanded);
        Map<String, String> pairs = IdentityPairs.parse(List.of(expanded.toString().split(IdentityPairs.SPLIT)))
                .pairs();
        assertEquals(Map.of("pod", "pod-of-metadata-name", "namespace", "pod-of-metadata-namespace",
                "node", "pod-of-spec-nodeName", "pod_ip", "pod-of-status-podIP"), pairs);
    }

    @Test
    void listenEnvironmentServesTheContainerPortsAndAWritableSocketDirectory() {
        List<Endpoint> listen = Arrays.stream(env.get("ECHOACK_LISTEN").split(",")).map(Endpoint::parse).toList();
        Map<String, String> ports = containerPorts();
        for (EndpointKind kind : List.of(EndpointKind.TCP, EndpointKind.UDP)) {
            Endpoint endpoint = listen.stream().filter(e -> e.kind() == kind).findFirst()
                    .orElseThrow(() -> new AssertionError("ECHOACK_LISTEN has no " + kind + " endpoint"));
            assertTrue(endpoint.isWildcardHost(), endpoint + " must listen on every address of the pod");
            assertEquals(ServerConfig.DEFAULT_PORT, endpoint.port(), endpoint.toString());
            assertEquals(endpoint.port() + "/" + kind.name(), ports.get(kind.scheme()), "container port for " + endpoint);
        }
        List<String> writable = maps(container, "volumeMounts").stream().map(m -> (String) m.get("mountPath")).toList();
        for (Endpoint endpoint : listen) {
            if (endpoint.kind().isUnixDomain()) {
                assertTrue(writable.stream().anyMatch(dir -> endpoint.path().startsWith(dir)),
                        endpoint + " must lie in a mounted volume (the root filesystem is read-only): " + writable);
            }
        }
    }

    @Test
    void probesUseTheAdminEndpoint() {
        AdminEndpoint admin = AdminEndpoint.parse(env.get("ECHOACK_ADMIN"));
        assertEquals(ServerConfig.DEFAULT_ADMIN_PORT, admin.port());
        assertEquals(admin.port() + "/TCP", containerPorts().get("admin"));
        assertProbe("livenessProbe", "/healthz");
        assertProbe("readinessProbe", "/readyz");
        assertProbe("startupProbe", "/healthz");
    }

    /**
     * Kubernetes sends SIGTERM and removes the pod from the endpoints at the same time; the nodes apply the
     * removal later. The drain delay covers that window (serving, not ready), the drain timeout the replies owed,
     * and the grace period both, or the kubelet's SIGKILL cuts the drain.
     */
    @Test
    void gracePeriodOutlastsDrainDelayPlusDrainTimeout() {
        Duration drain = Durations.parse(env.get("ECHOACK_DRAIN_TIMEOUT"));
        assertEquals(ServerConfig.DEFAULT_DRAIN_TIMEOUT, drain, "the manifest spells out the server's default");
        Duration delay = Durations.parse(env.get("ECHOACK_DRAIN_DELAY"));
        long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();
        assertTrue(gracePeriodSuffices(grace, delay, drain), "terminationGracePeriodSeconds " + grace
                + " must exceed drain delay " + Durations.format(delay) + " + drain timeout " + Durations.format(drain)
                + " + " + EXIT_MARGIN.toSeconds() + " s to exit, or the kubelet kills the server mid-drain");
        assertFalse(container.containsKey("lifecycle"), "no preStop hook: the drain delay does its job");
        assertEquals("SIGTERM", dockerInstruction("STOPSIGNAL"));
    }

    /**
     * The drain delay is long enough that a balancer that only watches {@code /readyz}, as often as the
     * readiness probe does, has seen the pod fail it before the listeners close.
     */
    @Test
    void drainDelayCoversTheReadinessProbesDetectionTime() {
        Duration delay = Durations.parse(env.get("ECHOACK_DRAIN_DELAY"));
        Map<String, Object> probe = map(container, "readinessProbe");
        long detection = ((Number) probe.get("periodSeconds")).longValue()
                * ((Number) probe.get("failureThreshold")).longValue();
        assertTrue(delay.toSeconds() > detection, "ECHOACK_DRAIN_DELAY " + Durations.format(delay)
                + " must exceed the readiness probe's period x failure threshold (" + detection + " s)");
    }

    /** The rule itself, at its edges: the three durations against the grace period, with room to exit. */
    @Test
    void theGracePeriodRuleCountsDelayDrainAndExit() {
        Duration ten = Duration.ofSeconds(10);
        assertTrue(gracePeriodSuffices(25, ten, ten));
        assertFalse(gracePeriodSuffices(24, ten, ten), "no room to exit");
        assertFalse(gracePeriodSuffices(20, ten, ten), "delay and drain together exceed it");
        assertTrue(gracePeriodSuffices(15, Duration.ZERO, ten), "without a delay, the drain alone");
        assertFalse(gracePeriodSuffices(15, Duration.ofMillis(500), ten), "a part of a second counts");
    }

    /** Time a drained server needs to exit after the drain: event loops, the last log lines, the JVM. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    private static boolean gracePeriodSuffices(long graceSeconds, Duration drainDelay, Duration drainTimeout) {
        return drainDelay.plus(drainTimeout).plus(EXIT_MARGIN).compareTo(Duration.ofSeconds(graceSeconds)) <= 0;
    }

    @Test
    void environmentNamesOnlyVariablesTheServerReads() {
        Set<String> known = serverEnvironmentVariables();
        assertTrue(known.containsAll(Set.of("ECHOACK_LISTEN", "ECHOACK_ADMIN", "ECHOACK_DRAIN_TIMEOUT", "ECHOACK_DRAIN_DELAY")),
                known.toString());
        for (String name : env.keySet()) {
            if (fieldRefs.containsKey(name)) {
                assertTrue(env.entrySet().stream().anyMatch(e -> known.contains(e.getKey())
                        && e.getValue().contains("$(" + name + ")")), name + " (downward API) is used by no variable "
                        + "the server reads");
                continue;
            }
            assertTrue(known.contains(name), name + " is not read by echoack-server (it reads " + known + ")");
        }
        assertTrue(Set.of("text", "json").contains(env.getOrDefault("ECHOACK_LOG_FORMAT", "text")));
        assertTrue(Set.of("error", "warn", "info", "debug", "trace").contains(env.getOrDefault("ECHOACK_LOG_LEVEL", "info")));
        Map<String, String> imageEnv = dockerfileEnv();
        for (String name : imageEnv.keySet()) {
            if (!name.equals("ECHOACK_HEALTHCHECK")) { // read by the image's HEALTHCHECK, not by the server
                assertTrue(known.contains(name), "Dockerfile ENV " + name + " is not read by echoack-server");
            }
        }
        assertTrue(env.get("ECHOACK_LISTEN").startsWith(imageEnv.get("ECHOACK_LISTEN") + ","),
                "Deployment and image agree, and the Deployment adds the identity ports");
        assertEquals(imageEnv.get("ECHOACK_ADMIN"), env.get("ECHOACK_ADMIN"), "Deployment and image agree");
        Endpoint probed = Endpoint.parse(imageEnv.get("ECHOACK_HEALTHCHECK"));
        assertEquals(ServerConfig.DEFAULT_PORT, probed.port(), "the image's HEALTHCHECK probes the served port");
    }

    @Test
    void runsAsTheImagesNonRootUserWithAReadOnlyRoot() {
        Map<String, Object> podSecurity = map(pod, "securityContext");
        Map<String, Object> containerSecurity = map(container, "securityContext");
        assertEquals(Boolean.TRUE, podSecurity.get("runAsNonRoot"));
        String user = dockerInstruction("USER");
        assertEquals(user.split(":")[0], String.valueOf(podSecurity.get("runAsUser")), "Dockerfile USER " + user);
        assertEquals(Boolean.TRUE, containerSecurity.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, containerSecurity.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), strings(map(containerSecurity, "capabilities"), "drop"));
        Set<String> emptyDirs = maps(pod, "volumes").stream().filter(v -> v.containsKey("emptyDir"))
                .map(v -> (String) v.get("name")).collect(Collectors.toSet());
        Map<String, String> mounts = maps(container, "volumeMounts").stream()
                .collect(Collectors.toMap(m -> (String) m.get("mountPath"), m -> (String) m.get("name")));
        for (String dir : List.of("/tmp", "/run/echoack")) {
            assertTrue(emptyDirs.contains(mounts.get(dir)), dir + " must be an emptyDir mount, mounts: " + mounts);
        }
        assertTrue(dockerfile.contains("VOLUME [\"/run/echoack\"]"), "the image declares the socket volume");
        Map<String, Object> limits = map(map(container, "resources"), "limits");
        assertNotNull(limits.get("memory"), "a memory limit, which the JVM sizes its heap from");
    }

    @Test
    void serviceExposesTheContainerPortsToThePods() {
        Map<String, Object> spec = map(service, "spec");
        assertEquals(map(map(map(deployment, "spec"), "template"), "metadata").get("labels"), spec.get("selector"));
        assertEquals(map(map(deployment, "spec"), "selector").get("matchLabels"), spec.get("selector"));
        Map<String, String> ports = containerPorts();
        Map<String, String> exposed = new LinkedHashMap<>();
        for (Map<String, Object> port : maps(spec, "ports")) {
            String target = (String) port.get("targetPort");
            String protocol = (String) port.get("protocol");
            assertNotNull(ports.get(target), "targetPort " + target + " names a container port");
            assertTrue(ports.get(target).endsWith("/" + protocol), port + " vs container port " + ports.get(target));
            exposed.put((String) port.get("name"), port.get("port") + "/" + protocol);
        }
        int port = ServerConfig.DEFAULT_PORT;
        assertEquals(Map.of("tcp", port + "/TCP", "udp", port + "/UDP", "metrics", ServerConfig.DEFAULT_ADMIN_PORT + "/TCP",
                "info-tcp", INFO_PORT + "/TCP", "info-udp", INFO_PORT + "/UDP"), exposed);
        Map<String, Object> annotations = map(map(service, "metadata"), "annotations");
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(String.valueOf(ServerConfig.DEFAULT_ADMIN_PORT), annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
    }

    @Test
    void imageExposesTheDefaultPorts() {
        Set<String> exposed = Set.of(dockerInstruction("EXPOSE").split("\\s+"));
        assertEquals(Set.of(ServerConfig.DEFAULT_PORT + "/tcp", ServerConfig.DEFAULT_PORT + "/udp",
                ServerConfig.DEFAULT_ADMIN_PORT + "/tcp"), exposed);
        assertTrue(dockerfile.contains("ARG BASE_IMAGE=eclipse-temurin:17-jre"));
        assertFalse(dockerfile.contains("# syntax="), "no BuildKit frontend can be pulled");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void assertProbe(String name, String path) {
        Map<String, Object> get = map(map(container, name), "httpGet");
        assertEquals(path, get.get("path"), name);
        Object port = get.get("port");
        String resolved = port instanceof String named ? containerPorts().get(named) : port + "/TCP";
        assertEquals(ServerConfig.DEFAULT_ADMIN_PORT + "/TCP", resolved, name + " port " + port);
    }

    /** Container ports by name: {@code "51717/TCP"}. */
    private static Map<String, String> containerPorts() {
        Map<String, String> ports = new LinkedHashMap<>();
        for (Map<String, Object> port : maps(container, "ports")) {
            ports.put((String) port.get("name"), port.get("containerPort") + "/" + port.getOrDefault("protocol", "TCP"));
        }
        return ports;
    }

    /** The {@code ECHOACK_*} variables that echoack-server's options take their defaults from. */
    private static Set<String> serverEnvironmentVariables() {
        return ServerCommand.environmentVariables();
    }

    /** The value of the Dockerfile's last instruction of that name, continuation lines joined. */
    private static String dockerInstruction(String instruction) {
        String joined = dockerfile.replaceAll("\\\\\\r?\\n", " ");
        String value = null;
        for (String line : joined.split("\\r?\\n")) {
            if (line.startsWith(instruction + " ")) {
                value = line.substring(instruction.length()).trim();
            }
        }
        if (value == null) {
            fail("Dockerfile has no " + instruction);
        }
        return value;
    }

    private static Map<String, String> dockerfileEnv() {
        Map<String, String> vars = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Z][A-Z0-9_]*)=(\\S+)").matcher(dockerInstruction("ENV"));
        while (m.find()) {
            vars.put(m.group(1), m.group(2));
        }
        return vars;
    }

    private static Map<String, Object> single(Path file, String kind) {
        Map<String, Object> document = YamlFiles.single(file);
        assertEquals(kind, document.get("kind"), file.toString());
        return document;
    }

}
