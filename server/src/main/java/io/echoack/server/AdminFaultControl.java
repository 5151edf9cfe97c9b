package io.echoack.server;

import io.echoack.server.admin.FaultControl;
import io.echoack.server.fault.ServerFaults;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The admin endpoint's view of the listeners' faults ({@code /faults}): {@link ServerFaults} in the admin
 * package's words. It lives here, where the server is composed, because the admin package must not know the
 * fault model and the fault package must not know the admin endpoint (the admin package binds through the
 * binding package, which builds the fault handlers: either dependency would close a cycle).
 */
final class AdminFaultControl implements FaultControl {

    private final ServerFaults faults;

    AdminFaultControl(ServerFaults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    @Override
    public List<EndpointFaults> list() {
        return faults.listeners().stream()
                .map(l -> new EndpointFaults(l.label(), l.faults().current().asMap())).toList();
    }

    @Override
    public EndpointFaults replace(String endpoint, Map<String, String> keys) {
        return new EndpointFaults(endpoint, faults.replace(endpoint, keys).asMap());
    }

    @Override
    public EndpointFaults clear(String endpoint) {
        return new EndpointFaults(endpoint, faults.clear(endpoint).asMap());
    }
}
