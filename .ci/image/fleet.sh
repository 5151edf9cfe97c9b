# shellcheck shell=bash
# Load from many clients (README.md, "Load from many machines"): docker/compose.yaml's profile `bench` with 3
# `replica` servers and 3 `bench` clients, run as the README says (the replicas, then the clients at one instant
# a little ahead, then `docker logs` of each client), merged with `echoack merge`, and checked: the merged result
# counts every message (its messages and sent are the sums of the clients'), each client's sent is its messages
# plus its errors, no errors, all 3 replicas answered (the merged count by host names exactly the replicas' host
# names), and the clients measured together (the overlap of their measured intervals is most of their union).
# Needs: W, NAME, IMAGE (built by image.sh: no second build), BASE_IMAGE, HAS_FLEET, CLIENT_JAR, timed (tools.sh).
# Writes $W/fleet.env (cleanup.sh takes the project down with it).

FLEET_SERVERS=3
FLEET_CLIENTS=3
FLEET_LEAD_S=15     # the clients begin this long after they are started: time for their JVMs to connect

run_fleet() {
    local what="compose --profile bench: $FLEET_SERVERS replicas, $FLEET_CLIENTS bench clients, merged"
    if ((HAS_FLEET == 0)); then
        skip "$what" fleet "client has no merge command or no bench --start-at"
        return
    fi
    FLEET_PROJECT=$NAME-fleet
    # A few seconds of load
    cat >"$W/fleet.env" <<EOF_ENV
BASE_IMAGE=$BASE_IMAGE
ECHOACK_IMAGE=$IMAGE
ECHOACK_BENCH_DURATION=3s
ECHOACK_BENCH_CONNECTIONS=4
EOF_ENV
    fleet() { docker-compose --env-file "$W/fleet.env" -f docker/compose.yaml -p "$FLEET_PROJECT" --profile bench "$@"; }
    local t=$SECONDS c i healthy=0 start_at codes='' replicas=0
    if ! timed 120 docker-compose --env-file "$W/fleet.env" -f docker/compose.yaml -p "$FLEET_PROJECT" --profile bench \
        up -d --no-color --scale replica=$FLEET_SERVERS replica >"$W/fleet-up.log" 2>&1; then
        fail "docker-compose --profile bench up -d --scale replica=$FLEET_SERVERS replica" "$(tail -15 "$W/fleet-up.log" | tr '\n' ' ')"
        fleet down -v -t 15 >/dev/null 2>&1
        return
    fi
    for ((i = 0; i < 240 && healthy < FLEET_SERVERS; i++)); do
        healthy=0
        for c in $(fleet ps -q replica 2>/dev/null); do
            [[ $(docker inspect -f '{{.State.Health.Status}}' "$c") == healthy ]] && healthy=$((healthy + 1))
        done
        ((healthy < FLEET_SERVERS)) && sleep 0.5
    done
    expect "docker-compose --profile bench up -d --scale replica=$FLEET_SERVERS replica: all healthy ($((SECONDS - t)) s)" \
        "$FLEET_SERVERS" echo "$healthy"
    # One instant for every client, as the README's ECHOACK_BENCH_START_AT=$(date -u -d +20sec +%FT%TZ)
    start_at=$(date -u -d "+$FLEET_LEAD_S sec" +%FT%TZ)
    echo "ECHOACK_BENCH_START_AT=$start_at" >>"$W/fleet.env"
    t=$SECONDS
    if timed 240 docker-compose --env-file "$W/fleet.env" -f docker/compose.yaml -p "$FLEET_PROJECT" --profile bench \
        up --no-color --scale replica=$FLEET_SERVERS --scale bench=$FLEET_CLIENTS bench >>"$W/fleet-up.log" 2>&1; then
        pass "docker-compose --profile bench up --scale replica=$FLEET_SERVERS --scale bench=$FLEET_CLIENTS bench: returns when the clients are done ($((SECONDS - t)) s, starting at $start_at)"
    else
        fail "docker-compose --profile bench up --scale replica=$FLEET_SERVERS --scale bench=$FLEET_CLIENTS bench" \
            "$(tail -15 "$W/fleet-up.log" | tr '\n' ' ')"
    fi
    # The README's collection: each client's stdout (its JSON) in turn.
    : >"$W/fleet.json"
    for c in $(fleet ps -a -q bench 2>/dev/null); do
        docker logs "$c" 2>/dev/null >>"$W/fleet.json"
        codes+="$(docker inspect -f '{{.State.ExitCode}}' "$c") "
    done
    expect "$FLEET_CLIENTS bench containers exited 0" "$(printf '0 %.0s' $(seq "$FLEET_CLIENTS"))" echo "$codes"
    : >"$W/fleet-hosts.txt"
    for c in $(fleet ps -q replica 2>/dev/null); do
        docker inspect -f '{{.Config.Hostname}}' "$c" >>"$W/fleet-hosts.txt"
        replicas=$((replicas + 1))
    done
    expect "$FLEET_SERVERS replica containers still running" "$FLEET_SERVERS" echo "$replicas"
    # merge -: the JSON objects on standard input; --json -: the merged document to stdout (the table to stderr)
    check "echoack merge --json - - (the clients' JSON on standard input)" \
        bash -c "java -jar '$CLIENT_JAR' merge --json - - <'$W/fleet.json' >'$W/fleet-merged.json' 2>'$W/fleet-merged.txt'"
    check "merged result counts every message: merged = sum of the clients', sent = messages + errors, no errors, all $FLEET_SERVERS replicas answered, the clients measured together" \
        python3 - "$W/fleet.json" "$W/fleet-merged.json" "$W/fleet-hosts.txt" "$FLEET_CLIENTS" "$start_at" <<'PY'
import json, sys
stream, merged_file, hosts_file, n, start_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
text, clients, i = open(stream).read(), [], 0
decoder = json.JSONDecoder()
while True:
    i = text.find('{', i)
    if i < 0:
        break
    obj, i = decoder.raw_decode(text, i)
    clients.append(obj)
merged = json.load(open(merged_file))
replicas = set(open(hosts_file).read().split())
problems = []
if len(clients) != n:
    problems.append(f"{len(clients)} client documents, not {n}")
for c in clients:
    who = c.get("label") or c.get("host")
    if c["sent"] != c["messages"] + c["errors"]["total"]:
        problems.append(f"{who}: sent {c['sent']} != messages {c['messages']} + errors {c['errors']['total']}")
    if c["errors"]["total"] or c["exit_code"]:
        problems.append(f"{who}: errors {c['errors']}, exit code {c['exit_code']}")
    if not c["messages"]:
        problems.append(f"{who}: no messages")
    if not (c.get("start_at") or "").startswith(start_at[:-1]):
        problems.append(f"{who}: start_at {c.get('start_at')}, not {start_at}")
for key in ("messages", "sent"):
    if merged[key] != sum(c[key] for c in clients):
        problems.append(f"merged {key} {merged[key]} != the clients' sum {sum(c[key] for c in clients)}")
if len(merged.get("clients", [])) != n:
    problems.append(f"merged clients: {len(merged.get('clients', []))}, not {n}")
counts = (merged.get("count_by") or {}).get("values") or {}
if set(counts) != replicas:
    problems.append(f"replies by host {counts}, the replicas are {sorted(replicas)}")
if sum(counts.values()) != merged["messages"]:
    problems.append(f"replies by host add up to {sum(counts.values())}, not the {merged['messages']} messages")
# Begun at one instant, 3 s each: they measured together for most of it (a client late by 1.5 s would halve it).
if not merged["overlap_s"] >= 0.5 * merged["union_s"]:
    problems.append(f"measured together {merged['overlap_s']} s of {merged['union_s']} s (late_ms: "
                    f"{[c.get('late_ms') for c in clients]})")
if problems:
    print("; ".join(problems))
    sys.exit(1)
print(f"{merged['messages']} messages from {n} clients, by host: {counts}")
PY
    log "fleet: the merged table:"; sed 's/^/    /' "$W/fleet-merged.txt" 2>/dev/null
    log "fleet log:"; sed 's/^/    /' "$W/fleet-up.log" | grep -vE '^ +bench_[0-9]+ +\|' | tail -30
    fleet down -v -t 15 >/dev/null 2>&1
}
