"""The scenarios, read from bench/scenarios.txt: the one place they are defined."""
import os
from dataclasses import dataclass, replace
from typing import List, Optional

FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios.txt")

TRAFFIC = "traffic"
CONNECT_PER_MESSAGE = "connect-per-message"
MEMORY = "memory"
SERVER_START = "server-start"
CLIENT_START = "client-start"
LOADGEN = "loadgen"
KINDS = (TRAFFIC, CONNECT_PER_MESSAGE, MEMORY, SERVER_START, CLIENT_START, LOADGEN)
TRANSPORTS = ("tcp", "udp", "unix")
COLUMNS = ("id", "kind", "transport", "connections", "size", "pipeline", "description")


class ScenarioFileError(ValueError):
    """A line of the scenario file that cannot be a scenario; the message names the file and line."""


@dataclass(frozen=True)
class Scenario:
    """One line of the scenario file. size and pipeline are None for the memory kind (no messages), pipeline for
    client-start; transport is None for server-start (a server starts all of them); connections is how many
    starts the start kinds measure."""
    id: str
    kind: str
    transport: Optional[str]
    connections: int
    size: Optional[int]
    pipeline: Optional[int]
    description: str

    def describe(self) -> str:
        """The description with the connection count in it (memory: the count this run used)."""
        return self.description.replace("{connections}", f"{self.connections:,}")

    def with_connections(self, connections: int) -> "Scenario":
        return replace(self, connections=connections)


def load(path: str = FILE) -> List[Scenario]:
    """The scenarios of the file at path, in its order; ScenarioFileError names the first bad line."""
    out, seen = [], {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip() and not line.lstrip().startswith("#"):
                scenario = parse_line(line, f"{path}:{number}")
                if scenario.id in seen:
                    raise ScenarioFileError(f"{path}:{number}: scenario '{scenario.id}' is already on line {seen[scenario.id]}")
                seen[scenario.id] = number
                out.append(scenario)
    if not out:
        raise ScenarioFileError(f"{path}: no scenario in it")
    return out


def parse_line(line: str, where: str) -> Scenario:
    parts = line.split(None, len(COLUMNS) - 1)
    if len(parts) < len(COLUMNS):
        raise ScenarioFileError(f"{where}: {len(parts)} columns, want {len(COLUMNS)}: {' '.join(COLUMNS)}")
    sid, kind, transport, connections, size, pipeline, description = (p.strip() for p in parts)
    if kind not in KINDS:
        raise ScenarioFileError(f"{where}: kind '{kind}' of {sid} is not one of {', '.join(KINDS)}")
    if kind == SERVER_START:
        for name, value in (("transport", transport), ("size", size), ("pipeline", pipeline)):
            if value != "-":
                raise ScenarioFileError(f"{where}: {name} '{value}' of {sid}: a server-start scenario starts the "
                                        "server on every transport and sends nothing, write -")
        return Scenario(sid, kind, None, whole(connections, "connections", sid, where), None, None, description)
    if kind == CLIENT_START and pipeline != "-":
        raise ScenarioFileError(f"{where}: pipeline '{pipeline}' of {sid}: a client-start scenario sends one message, "
                                "write -")
    if transport not in TRANSPORTS or (kind == MEMORY and transport != "tcp"):
        allowed = "tcp (idle connections are TCP)" if kind == MEMORY else ", ".join(TRANSPORTS)
        raise ScenarioFileError(f"{where}: transport '{transport}' of {sid} is not {allowed}")
    if kind == MEMORY:
        for name, value in (("size", size), ("pipeline", pipeline)):
            if value != "-":
                raise ScenarioFileError(f"{where}: {name} '{value}' of {sid}: a memory scenario sends no messages, write -")
        return Scenario(sid, kind, transport, whole(connections, "connections", sid, where), None, None, description)
    return Scenario(sid, kind, transport, whole(connections, "connections", sid, where), whole(size, "size", sid, where),
                    None if kind == CLIENT_START else whole(pipeline, "pipeline", sid, where), description)


def whole(text: str, column: str, sid: str, where: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ScenarioFileError(f"{where}: {column} '{text}' of {sid} is not a whole number above 0")
    return int(text)


def kind_of(sid: str, scenarios: List[Scenario]) -> str:
    """The kind of the scenario sid; traffic for an id the file no longer has (a stored older run)."""
    return next((s.kind for s in scenarios if s.id == sid), TRAFFIC)
