package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

@Timeout(10)
class TargetTest {

    private final CommandLine commandLine = new CommandLine(new EchoAckCli());

    @Test
    void anEndpointUriIsFollowedByMessages() {
        Target target = Target.parse(List.of("udp://127.0.0.1:9?mode=echo", "a", "b"), commandLine);
        assertEquals("udp://127.0.0.1:9?mode=echo", target.endpoint().toString());
        assertEquals(List.of("a", "b"), target.messages());
    }

    @Test
    void hostAndPortIsTheTutorialsTcpForm() {
        Target target = Target.parse(List.of("127.0.0.1", "51717", "hello"), commandLine);
        assertEquals("tcp://127.0.0.1:51717", target.endpoint().toString());
        assertEquals(List.of("hello"), target.messages());
        assertEquals("tcp://[::1]:7", Target.parse(List.of("::1", "7"), commandLine).endpoint().toString());
        assertEquals("tcp://[::1]:7", Target.parse(List.of("[::1]", "7"), commandLine).endpoint().toString());
        assertEquals("tcp://localhost:7", Target.parse(List.of("localhost", "7"), commandLine).endpoint().toString());
    }

    @Test
    void anEndpointUriWinsOverANumericFirstMessage() {
        Target target = Target.parse(List.of("tcp://h:7", "42"), commandLine);
        assertEquals(List.of("42"), target.messages());
    }

    @Test
    void somethingThatIsNeitherIsAUsageError() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> Target.parse(List.of("localhost"), commandLine));
        assertTrue(e.getMessage().startsWith("'localhost' is not an endpoint"), e.getMessage());
        assertThrows(ParameterException.class, () -> Target.parse(List.of("host", "99999"), commandLine));
        assertTrue(assertThrows(ParameterException.class, () -> Target.parse(List.of("tcp://h"), commandLine))
                .getMessage().contains("missing port"));
    }

    @Test
    void aServersProxyKeyIsRefusedNamingTheClientsOption() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> Target.parse(List.of("tcp://h:7?proxy=v2", "hello"), commandLine));
        assertEquals("invalid endpoint 'tcp://h:7?proxy=v2': proxy is a server listener's setting; to send a PROXY "
                + "protocol header, use --proxy-header v1|v2", e.getMessage());
    }

    @Test
    void aServersFaultsAreRefusedRatherThanIgnored() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> Target.parse(List.of("tcp://h:7?delay=20ms&reset=1%", "hello"), commandLine));
        assertEquals("invalid endpoint 'tcp://h:7?delay=20ms&reset=1%': faults (delay=20ms&reset=1%) are a server "
                + "listener's setting, not a client's", e.getMessage());
    }
}
