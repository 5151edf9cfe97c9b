"""The C reference load generator (bench/loadgen.c) drives a closed loop, checks every reply and counts what went
wrong; the loadgen kind turns the records of both load generators into the ratio the table and target show."""
import json
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import unittest

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, BENCH)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reports  # noqa: E402
from benchsuite import report, scenarios  # noqa: E402


class EchoStream(socketserver.BaseRequestHandler):
    """Echoes; the server's `corrupt_after` (bytes) flips one byte there, `silent` reads and never answers."""

    def handle(self):
        try:
            self.echo()
        except OSError:
            pass  # the load generator closed or reset the connection

    def echo(self):
        seen = 0
        while True:
            data = self.request.recv(65536)
            if not data:
                return
            if self.server.silent:
                continue
            after = self.server.corrupt_after
            if after is not None and seen <= after < seen + len(data):
                i = after - seen
                data = data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1:]
            seen += len(data)
            self.request.sendall(data)


class EchoDatagram(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        self.server.count += 1
        if self.server.count == self.server.corrupt_at:
            data = data[:-1] + bytes([data[-1] ^ 0x20])
        sock.sendto(data, self.client_address)


class Tcp(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Unix(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


@unittest.skipUnless(shutil.which("gcc"), "gcc not installed")
class LoadgenProgramTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.binary = os.path.join(cls.tmp, "loadgen")
        subprocess.run(["gcc", "-O2", "-Wall", "-Werror", "-o", cls.binary, os.path.join(BENCH, "loadgen.c")],
                       check=True, timeout=60)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def serve(self, server):
        server.silent, server.corrupt_after, server.count, server.corrupt_at = False, None, 0, None
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server

    def loadgen(self, *args):
        p = subprocess.run([self.binary, *args], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_a_tcp_echo_counts_messages_without_errors(self):
        server = self.serve(Tcp(("127.0.0.1", 0), EchoStream))
        out = self.loadgen("-p", str(server.server_address[1]), "-c", "3", "-s", "100", "-q", "4", "-w", "0.2",
                           "-d", "0.5")
        self.assertEqual((out["transport"], out["connections"], out["connected"], out["size"], out["pipeline"]),
                         ("tcp", 3, 3, 100, 4))
        self.assertGreater(out["messages"], 0)
        self.assertAlmostEqual(out["msgs_per_s"], out["messages"] / out["duration_s"], delta=1)
        self.assertEqual(out["errors"]["total"], 0)

    def test_a_unix_echo_counts_messages_without_errors(self):
        server = self.serve(Unix(os.path.join(self.tmp, "echo.sock"), EchoStream))
        out = self.loadgen("-u", server.server_address, "-c", "2", "-s", "70000", "-q", "2", "-w", "0", "-d", "0.5")
        self.assertEqual(out["transport"], "unix")
        self.assertGreater(out["messages"], 0)
        self.assertEqual(out["errors"]["total"], 0)

    def test_a_udp_echo_counts_messages_without_errors(self):
        server = self.serve(socketserver.UDPServer(("127.0.0.1", 0), EchoDatagram))
        out = self.loadgen("-p", str(server.server_address[1]), "-U", "-c", "4", "-q", "2", "-w", "0.1", "-d", "0.5")
        self.assertEqual(out["transport"], "udp")
        self.assertGreater(out["messages"], 0)
        self.assertEqual(out["errors"]["total"], 0)

    def test_one_changed_byte_of_a_stream_is_a_mismatch(self):
        server = self.serve(Tcp(("127.0.0.1", 0), EchoStream))
        server.corrupt_after = 1000
        out = self.loadgen("-p", str(server.server_address[1]), "-c", "1", "-s", "64", "-q", "1", "-w", "0",
                           "-d", "0.5")
        self.assertEqual(out["errors"]["mismatch"], 1)  # the connection closes, its message in flight fails
        self.assertEqual(out["messages"], 1000 // 64)   # the replies before the changed byte

    def test_one_changed_byte_of_a_datagram_is_a_mismatch_and_its_flow_goes_on(self):
        server = self.serve(socketserver.UDPServer(("127.0.0.1", 0), EchoDatagram))
        server.corrupt_at = 5
        out = self.loadgen("-p", str(server.server_address[1]), "-U", "-c", "1", "-w", "0", "-d", "0.6", "-t", "100")
        self.assertEqual(out["errors"]["mismatch"], 1)
        self.assertEqual(out["errors"]["lost"], 1)      # its datagram got no valid reply within the timeout
        self.assertGreater(out["messages"], 5)          # then the flow went on

    def test_a_server_that_never_answers_times_out(self):
        server = self.serve(Tcp(("127.0.0.1", 0), EchoStream))
        server.silent = True
        out = self.loadgen("-p", str(server.server_address[1]), "-c", "2", "-q", "3", "-w", "0", "-d", "0.5",
                           "-t", "200")
        self.assertEqual(out["messages"], 0)
        self.assertEqual(out["errors"]["timeout"], 6)

    def test_udp_flows_to_a_closed_port_keep_trying_and_count_every_datagram_lost(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        out = self.loadgen("-p", str(port), "-U", "-c", "2", "-w", "0", "-d", "0.7", "-t", "100")
        self.assertEqual(out["messages"], 0)
        self.assertGreaterEqual(out["errors"]["lost"], 2 * 4)  # each flow sends again after every timeout

    def test_nothing_listening_exits_1(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        p = subprocess.run([self.binary, "-p", str(port), "-d", "0.2"], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn("Connection refused", p.stderr)

    def test_bad_arguments_print_the_usage(self):
        for args in ([], ["-p", "0"], ["-p", "1", "-u", "/x"], ["-p", "1", "-c", "x"], ["-p", "1", "-U", "-s", "4"]):
            with self.subTest(args=args):
                p = subprocess.run([self.binary, *args], capture_output=True, text=True, timeout=30)
                self.assertEqual(p.returncode, 2)
                self.assertTrue(p.stderr.startswith("usage: loadgen "), p.stderr)


class LoadgenRecordsTest(unittest.TestCase):
    """From the records of two rounds of a loadgen scenario to latest.json, the table cell and the target."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)

    def generator(self, name, rate, client_share):
        """A load generator's JSON and CPU samples: the server burns one core from t=1.0 to t=3.0 (CLK_TCK 100),
        the load generator client_share of that."""
        bench = os.path.join(self.tmp, name + ".json")
        with open(bench, "w") as f:
            json.dump({"msgs_per_s": rate, "duration_s": 2, "errors": {"total": 0}}, f)
        samples = os.path.join(self.tmp, name + ".cpu")
        with open(samples, "w") as f:
            for k in range(41):
                ticks = 10 * min(max(k - 10, 0), 20)
                f.write(f"{k / 10:.1f} {ticks} {int(ticks * client_share)} {int(ticks * (1 + client_share))} 0 {ticks}\n")
        return {"json": bench, "cpu_samples": samples, "exit_code": 0}

    def test_the_ratio_is_the_median_of_the_rounds_and_judged_by_its_target(self):
        sid = next(s.id for s in scenarios.load() if s.kind == scenarios.LOADGEN and s.transport == "tcp")
        runs = [{"peer": "echoack", "scenario": sid, "status": "skipped: the load generators are compared against "
                                                                "c-epoll only"}]
        for round_no, (mine, c) in enumerate(((800, 1000), (1800, 2000)), 1):
            runs.append({"peer": "c-epoll", "scenario": sid, "status": "ok", "round": round_no, "clk_tck": 100,
                         "warmup_s": 1, "duration_s": 2,
                         "generators": {"echoack": self.generator(f"e{round_no}", mine, 0.5),
                                        "c": self.generator(f"c{round_no}", c, 0.4)}})
        rows = [(sid, scenarios.LOADGEN, "load generators")]
        out = os.path.join(self.tmp, "out")
        doc = reports.write(out, rows, runs)
        result = doc["scenarios"][0]["results"]["c-epoll"]
        self.assertAlmostEqual(result["loadgen_ratio"], (0.8 + 0.9) / 2)
        self.assertEqual(result["msgs_per_s"], 1300)
        self.assertEqual(result["c_msgs_per_s"], 1500)
        self.assertAlmostEqual(result["loadgen_cpu_us_per_msg"], (0.5e6 / 800 + 0.5e6 / 1800) / 2, places=1)
        self.assertAlmostEqual(result["c_loadgen_cpu_us_per_msg"], (0.4e6 / 1000 + 0.4e6 / 2000) / 2, places=1)
        with open(os.path.join(out, "latest.txt")) as f:
            text = f.read()
        row = next(line for line in text.splitlines() if line.startswith(sid))
        self.assertEqual(row.split("|")[2], f" {'0.85x   1,300 / 1,500':>28} ")
        self.assertIn("echoack lg-tcp-64: skipped: the load generators are compared against c-epoll only", text)
        target = next(t for t in doc["targets"] if t["scenario"] == sid)
        self.assertEqual((target["verdict"], target["value"]), ("MISS", 0.85))
        self.assertIn("MISS  bench vs C loadgen, TCP 64     0.85x >= 0.90x  (echoack bench --threads 1 1,300 vs C "
                      "1,500 msgs/s on the same core; CPU 451.39 vs 300.00 us/msg)", text)


if __name__ == "__main__":
    unittest.main()
