"""Each scenario kind's module, which knows how such a scenario runs and how its results are shown.

A kind module has: ISOLATED (True: runs on a fresh server of its own, before the servers all start, once
per invocation), NEEDS (None, or a tool it needs and why it is skipped without it), RATIO_KEY (the number echoack's ratio to a peer divides), CHARTED (a bar in the chart),
summarise(run) -> the flat numbers of a run record, progress(head, summary) -> the line printed after a
run, and cell(peer, scenario_id, result, legend) -> its table cell. Isolated kinds have
run(ctx, peer, scenario, port) -> record; the others run(ctx, server, scenario, round) -> record.
"""
from . import loadgen, memory, scenarios, startup, traffic

BY_NAME = {scenarios.TRAFFIC: traffic, scenarios.CONNECT_PER_MESSAGE: traffic, scenarios.MEMORY: memory,
           scenarios.SERVER_START: startup, scenarios.CLIENT_START: startup, scenarios.LOADGEN: loadgen}


def of(kind):
    """The module of a kind (its name, as the scenario file writes it)."""
    return BY_NAME[kind]
