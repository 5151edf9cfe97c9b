package io.echoack.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.transport.Transport;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentityPairsTest {

    @Test
    void pairsKeepTheirOrderAndTheirValuesAsGiven() {
        IdentityPairs pairs = IdentityPairs.parse(List.of("pod=web-1", " zone = eu west ", "", "empty=",
                "labels=a=b,c"));
        assertEquals(List.of("pod", "zone", "empty", "labels"), List.copyOf(pairs.pairs().keySet()));
        assertEquals(" eu west", pairs.get("zone"), "space around the pair goes, inside the value stays");
        assertEquals("", pairs.get("empty"));
        assertEquals("a=b,c", pairs.get("labels"));
    }

    @Test
    void aListIsSplitOnlyAtCommasThatAKeyFollows() {
        String env = "pod=web-1,namespace=shop, node=n1,labels=a,b,pod_ip=10.0.0.7";
        assertEquals(List.of("pod=web-1", "namespace=shop", " node=n1", "labels=a,b", "pod_ip=10.0.0.7"),
                Arrays.asList(env.split(IdentityPairs.SPLIT)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "podname|'podname' is not KEY=VALUE",
            "=x|'' is not a key",
            "1pod=x|'1pod' is not a key",
            "po d=x|'po d' is not a key",
            "seq=1|key 'seq' is reserved: every info reply has its own 'seq'",
            "peer=x|key 'peer' is reserved",
            "proxy_zone=x|key 'proxy_zone' is reserved",
            "tls_owner=x|key 'tls_owner' is reserved",
    })
    void aBadPairIsNamed(String item, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdentityPairs.parse(List.of(item)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void limitsAreStatedInTheirErrors() {
        assertEquals("key 'pod' is given twice", assertThrows(IllegalArgumentException.class,
                () -> IdentityPairs.parse(List.of("pod=a", "pod=b"))).getMessage());
        assertEquals("the value of 'pod' is 513 characters long; at most 512", assertThrows(
                IllegalArgumentException.class, () -> IdentityPairs.parse(List.of("pod=" + "x".repeat(513))))
                .getMessage());
        assertEquals("the value of 'pod' has a control character at position 2", assertThrows(
                IllegalArgumentException.class, () -> IdentityPairs.parse(List.of("pod=a\tb"))).getMessage());
        List<String> many = java.util.stream.IntStream.rangeClosed(1, 33).mapToObj(i -> "k" + i + "=v").toList();
        assertEquals("at most 32 pairs, got 33", assertThrows(IllegalArgumentException.class,
                () -> IdentityPairs.parse(many)).getMessage());
    }

    @Test
    void hostReplacesTheHostNameAndIsNotAPairOfItsOwn() {
        Identity identity = Identity.resolve(IdentityPairs.parse(List.of("pod=p", "host=backend-a", "zone=z")),
                Transport.NIO);
        assertEquals("backend-a", identity.host());
        assertEquals(Map.of("pod", "p", "zone", "z"), identity.pairs().pairs());
        assertEquals(List.of("pod", "zone"), List.copyOf(identity.pairs().pairs().keySet()));
        assertEquals("nio", identity.transport());
        assertEquals(Identity.serverVersion(), identity.version());
        assertFalse(identity.version().isBlank());
    }

    @Test
    void withoutAHostPairTheHostIsTheMachines() {
        String host = Identity.resolve(IdentityPairs.none(), Transport.NIO).host();
        assertFalse(host.isBlank());
        assertEquals(HostName.local(), host);
    }

    @Test
    void theReservedKeysAreTheBuiltInOnesButHost() {
        for (String key : InfoKeys.BUILT_IN) {
            assertEquals(!key.equals(InfoKeys.HOST), InfoKeys.isReserved(key), key);
        }
        assertFalse(InfoKeys.isReserved("pod"));
    }
}
