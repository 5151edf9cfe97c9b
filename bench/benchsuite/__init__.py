"""bench/run's parts (python3, standard library only). The scenarios are those of bench/scenarios.txt.

    scenarios  the scenario file, read into Scenario records
    options    bench/run's command line and environment
    machine    tools, pinning, fd limit, the machine's description
    processes  the processes started, each in a process group, all ended on exit
    peers      echoack, the reference servers, ref-* builds: how each starts and what it serves
    cpu        CPU time sampled from /proc, and server CPU per message from the samples
    traffic    the traffic and connect-per-message kinds: one `echoack bench` run; its numbers and cell
    memory     the memory kind: RSS with idle connections on a fresh server; its numbers and cell
    kinds      scenario kind -> its module
    runs       the runs file: one record per run
    table      the comparison table and its legend
    targets    the performance targets (echoack against c-epoll)
    chart      the gnuplot PNG
    report     results from the records, the text, latest.json/txt; the text of a stored latest.json
    suite      one bench/run invocation, phase by phase
"""
