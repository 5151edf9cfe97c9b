// go_echo: a reference peer of echoack's bench suite; an RFC 862 echo server on Go's standard library, written
// the way Go echo servers usually are (fortio's and Kubernetes' agnhost are built the same way): one goroutine
// per connection copying the connection into itself with io.Copy, and one ReadFrom/WriteTo loop for UDP.
//
//	go build -o go_echo go_echo.go
//	go_echo [-host 127.0.0.1] [-port PORT] [-unix PATH]
//
// TCP and UDP on HOST:PORT (when -port is given), Unix stream on PATH (when -unix is given). One
// "listening on ..." line per socket on stderr once bound; SIGTERM/SIGINT close everything and exit 0.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
)

func main() {
	host := flag.String("host", "127.0.0.1", "address for TCP and UDP")
	port := flag.Int("port", 0, "TCP and UDP port (0: none)")
	unixPath := flag.String("unix", "", "Unix stream socket path (empty: none)")
	flag.Parse()
	if *port <= 0 && *unixPath == "" {
		fmt.Fprintln(os.Stderr, "go_echo: give -port, -unix or both")
		os.Exit(2)
	}

	var closers []io.Closer
	if *port > 0 {
		address := net.JoinHostPort(*host, strconv.Itoa(*port))
		tcp, err := net.Listen("tcp", address)
		exitOn(err)
		fmt.Fprintf(os.Stderr, "listening on tcp://%s\n", address)
		closers = append(closers, tcp)
		go serveStreams(tcp)

		udp, err := net.ListenPacket("udp", address)
		exitOn(err)
		fmt.Fprintf(os.Stderr, "listening on udp://%s\n", address)
		closers = append(closers, udp)
		go serveDatagrams(udp)
	}
	if *unixPath != "" {
		_ = os.Remove(*unixPath)
		unix, err := net.Listen("unix", *unixPath)
		exitOn(err)
		fmt.Fprintf(os.Stderr, "listening on unix://%s\n", *unixPath)
		closers = append(closers, unix) // closing a Unix listener removes its file
		go serveStreams(unix)
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	for _, c := range closers {
		_ = c.Close()
	}
}

// serveStreams accepts until the listener is closed; each connection echoes in a goroutine of its own.
func serveStreams(listener net.Listener) {
	for {
		conn, err := listener.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // EMFILE and the like: keep serving the connections there are
		}
		go func(c net.Conn) {
			defer c.Close()
			_, _ = io.Copy(c, c) // ends at EOF or a reset, both routine under load
		}(conn)
	}
}

// serveDatagrams sends each datagram back to its sender, until the socket is closed.
func serveDatagrams(socket net.PacketConn) {
	buf := make([]byte, 65536)
	for {
		n, from, err := socket.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // an ICMP error of an earlier reply: keep serving
		}
		_, _ = socket.WriteTo(buf[:n], from)
	}
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "go_echo: %v\n", err)
		os.Exit(1)
	}
}
