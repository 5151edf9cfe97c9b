package io.echoack.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.common.testing.NamedNetworkNamespaces.Unmet;
import org.junit.jupiter.api.Test;

class NamedNetworkNamespacesTest {

    @Test
    void onlyACiRunAsRootFailsWhereARequirementIsMissing() {
        assertEquals(Unmet.FAIL, NamedNetworkNamespaces.unmet(true, true));
        assertEquals(Unmet.SKIP, NamedNetworkNamespaces.unmet(true, false), "CI as another user cannot make them");
        assertEquals(Unmet.SKIP, NamedNetworkNamespaces.unmet(false, true));
        assertEquals(Unmet.SKIP, NamedNetworkNamespaces.unmet(false, false));
    }
}
