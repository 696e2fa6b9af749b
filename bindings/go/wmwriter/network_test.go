package wmwriter

import (
	"bufio"
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

// TestPushSink: a loopback receiver plays the MS-WMHTTP server side (PushSetup answered
// with a Cougar token and a push id; PushStart read chunk by chunk up to $E).
func TestPushSink(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer ln.Close()
	type result struct {
		setup, start string
		chunks       []byte
		err          error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() { done <- r }()
		c, err := ln.Accept()
		if err != nil {
			r.err = err
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(20 * time.Second))
		br := bufio.NewReader(c)
		head := func() string {
			var sb strings.Builder
			for {
				l, err := br.ReadString('\n')
				if err != nil || l == "\r\n" {
					return sb.String()
				}
				sb.WriteString(l)
			}
		}
		reply := "HTTP/1.1 204 No Content\r\nServer: Cougar/9.01.01.3814\r\nSet-Cookie: push-id=5\r\nContent-Length: 0\r\n\r\n"
		r.setup = head()
		var n int
		fmt.Sscanf(r.setup[strings.Index(r.setup, "Content-Length:")+15:], "%d", &n)
		body := make([]byte, n)
		io.ReadFull(br, body)
		r.setup += string(body)
		io.WriteString(c, reply)
		r.start = head()
		for {
			f := make([]byte, 4)
			if _, err := io.ReadFull(br, f); err != nil {
				r.err = err
				return
			}
			if _, err := io.ReadFull(br, make([]byte, int(f[2])|int(f[3])<<8)); err != nil {
				r.err = err
				return
			}
			r.chunks = append(r.chunks, f[1])
			if f[1] == 'E' {
				io.WriteString(c, reply)
				return
			}
		}
	}()
	push, err := NewPushSink()
	must(t, err)
	defer push.Close()
	if err := push.PushConnect("mms://127.0.0.1/p", "", false); !IsHResult(err, NS_E_INVALID_NAME) {
		t.Fatalf("PushConnect(mms://) = %v", err)
	}
	must(t, push.PushConnect(fmt.Sprintf("http://%s/point", ln.Addr()), "http://127.0.0.1/tpl", true))
	w, err := NewWriter()
	must(t, err)
	defer w.Close()
	must(t, w.SetProfile(pcmProfile(t, [3]int{1, 8000, 16})))
	must(t, w.AddSink(push))
	must(t, w.BeginWriting())
	writeChunks(t, w, 0, make([]byte, 16000), 1600, 16000)
	must(t, w.EndWriting())
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	must(t, push.PushEndSession())
	must(t, push.PushDisconnect())
	if !strings.Contains(r.setup, "application/x-wms-pushsetup") || !strings.Contains(r.setup, "AutoDestroy: 1\r\n") ||
		!strings.Contains(r.setup, "Template-URL: http://127.0.0.1/tpl\r\n") {
		t.Fatalf("PushSetup request %q", r.setup)
	}
	if !strings.Contains(r.start, "application/x-wms-pushstart") || !strings.Contains(r.start, "push-id=5") {
		t.Fatalf("PushStart request %q", r.start)
	}
	if s := string(r.chunks); s[0] != 'H' || s[len(s)-1] != 'E' || !strings.Contains(s, "D") {
		t.Fatalf("chunks %q", s)
	}
}
