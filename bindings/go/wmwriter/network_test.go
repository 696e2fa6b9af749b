package wmwriter

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestNetworkSink(t *testing.T) {
	s, err := NewNetworkSink()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.MaximumClients(); err != nil || n != 5 {
		t.Fatalf("MaximumClients = %d, %v; want 5", n, err)
	}
	if err := s.SetMaximumClients(51); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("SetMaximumClients(51) = %v", err)
	}
	if _, err := s.HostURL(); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("HostURL before open = %v", err)
	}
	port, err := s.NetworkOpen(0)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.HostURL(); err != nil || u != fmt.Sprintf("http://127.0.0.1:%d/", port) {
		t.Fatalf("HostURL = %q, %v", u, err)
	}
	other, _ := NewNetworkSink()
	defer other.Close()
	if _, err := other.NetworkOpen(port); !IsHResult(err, NS_E_NETWORK_RESOURCE_FAILURE) {
		t.Fatalf("second open on the same port = %v", err)
	}
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET / HTTP/1.0\r\nUser-Agent: gotest\r\n\r\n")
	for i := 0; i < 500; i++ {
		if n, _ := s.ClientCount(); n == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cl, err := s.Client(0)
	if err != nil || cl.Address != "127.0.0.1" || cl.UserAgent != "gotest" || cl.IPAddress != 0x7F000001 || cl.Port == 0 {
		t.Fatalf("Client(0) = %+v, %v", cl, err)
	}
	if err := s.NetworkClose(); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, _ := io.ReadAll(c)
	if strings.Contains(string(b), "200 OK") {
		t.Fatalf("no stream was written, yet the client got %q", b)
	}
}
