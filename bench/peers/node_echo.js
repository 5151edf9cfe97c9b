#!/usr/bin/env node
// node_echo: a reference peer of echoack's bench suite; an RFC 862 echo server on Node's net and dgram.
//
//   node node_echo.js [--host 127.0.0.1] [--port PORT] [--unix PATH]
//
// TCP and UDP on HOST:PORT (when --port is given), Unix stream on PATH (when --unix is given).
// Streams are piped back into themselves, so Node's own backpressure applies (a client that does not
// read stops being read). Datagrams are sent back to their sender. One "listening on ..." line per
// socket on stderr once bound; SIGTERM/SIGINT close everything and exit 0.
'use strict';
const net = require('net');
const dgram = require('dgram');
const fs = require('fs');

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 0, unix: null };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--host': opts.host = value; i++; break;
      case '--port': opts.port = Number(value); i++; break;
      case '--unix': opts.unix = value; i++; break;
      default:
        process.stderr.write('usage: node node_echo.js [--host ADDR] [--port PORT] [--unix PATH]\n');
        process.exit(2);
    }
  }
  if (!(opts.port > 0) && !opts.unix) {
    process.stderr.write('node_echo: give --port, --unix or both\n');
    process.exit(2);
  }
  return opts;
}

function echoStream(socket) {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy()); // resets are routine under load
  socket.pipe(socket);
}

function listen(server, target, label) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(target, () => { process.stderr.write(`listening on ${label}\n`); resolve(); });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const closers = [];
  if (opts.port > 0) {
    const tcp = net.createServer({ noDelay: true }, echoStream);
    tcp.maxConnections = Infinity;
    await listen(tcp, { host: opts.host, port: opts.port, backlog: 4096 }, `tcp://${opts.host}:${opts.port}`);
    closers.push(() => tcp.close());

    const udp = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    udp.on('message', (msg, rinfo) => udp.send(msg, rinfo.port, rinfo.address));
    udp.on('error', () => {}); // an ICMP error of an earlier reply: keep serving
    await new Promise((resolve) => udp.bind(opts.port, opts.host, resolve));
    process.stderr.write(`listening on udp://${opts.host}:${opts.port}\n`);
    closers.push(() => udp.close());
  }
  if (opts.unix) {
    try { fs.unlinkSync(opts.unix); } catch (e) { /* not there */ }
    const unix = net.createServer(echoStream);
    await listen(unix, { path: opts.unix, backlog: 4096 }, `unix://${opts.unix}`);
    closers.push(() => unix.close());
  }
  const stop = () => {
    for (const close of closers) close();
    if (opts.unix) { try { fs.unlinkSync(opts.unix); } catch (e) { /* gone */ } }
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { process.stderr.write(`node_echo: ${e.message}\n`); process.exit(1); });
