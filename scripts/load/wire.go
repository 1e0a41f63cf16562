package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// request is one request, prepared once and sent many times: its whole HTTP/1.1
// text for the raw client, and its parts for net/http.
type request struct {
	method, url string
	header      http.Header
	body        []byte
	raw         []byte
}

func newRequest(method, base, path string, body []byte, header ...string) *request {
	r := &request{method: method, url: base + path, header: http.Header{}, body: body}
	host := base[len("http://"):]
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: portal-load\r\n", method, path, host)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			r.header.Set(header[i], header[i+1])
			fmt.Fprintf(&b, "%s: %s\r\n", header[i], header[i+1])
		}
	}
	if body != nil {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	b.Write(body)
	r.raw = b.Bytes()
	return r
}

// sender sends requests over one connection, one after another, and answers
// each one's status once its body has been read.
type sender interface {
	send(r *request) (status int, err error)
	close()
}

// rawConn is a minimal HTTP/1.1 keep-alive client over one TCP connection, as
// wrk is: the request is written as prepared, the answer's status line is
// parsed, its headers are scanned for the body's length, and the body is
// skipped. It costs a few microseconds of CPU per request, where net/http costs
// about 20: on a 2-core machine shared with the server that difference is the
// server's.
type rawConn struct {
	addr string
	c    net.Conn
	br   *bufio.Reader
}

func (k *rawConn) close() {
	if k.c != nil {
		k.c.Close()
		k.c = nil
	}
}

func (k *rawConn) send(r *request) (int, error) {
	if k.c == nil {
		c, err := net.DialTimeout("tcp", k.addr, 5*time.Second)
		if err != nil {
			return 0, err
		}
		k.c = c
		if k.br == nil {
			k.br = bufio.NewReaderSize(c, 32<<10)
		} else {
			k.br.Reset(c)
		}
	}
	k.c.SetDeadline(time.Now().Add(30 * time.Second))
	status, keep, err := k.exchange(r.raw)
	if err != nil || !keep {
		k.close()
	}
	return status, err
}

func (k *rawConn) exchange(raw []byte) (status int, keepAlive bool, err error) {
	if _, err := k.c.Write(raw); err != nil {
		return 0, false, err
	}
	line, err := k.readLine()
	if err != nil {
		return 0, false, err
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, fmt.Errorf("not an HTTP answer: %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, fmt.Errorf("not an HTTP status: %q", line)
	}
	keepAlive = line[7] == '1'
	length, chunked := -1, false
	for {
		h, err := k.readLine()
		if err != nil {
			return status, false, err
		}
		if len(h) == 0 {
			break
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case asciiEqualFold(name, "Content-Length"):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return status, false, fmt.Errorf("bad Content-Length %q", value)
			}
		case asciiEqualFold(name, "Transfer-Encoding"):
			chunked = asciiEqualFold(value, "chunked")
		case asciiEqualFold(name, "Connection"):
			if asciiEqualFold(value, "close") {
				keepAlive = false
			}
		}
	}
	switch {
	case chunked:
		err = k.skipChunked()
	case length >= 0:
		_, err = k.br.Discard(length)
	default:
		// No length: the body ends with the connection.
		_, err = io.Copy(io.Discard, k.br)
		keepAlive = false
	}
	return status, keepAlive, err
}

func (k *rawConn) skipChunked() error {
	for {
		line, err := k.readLine()
		if err != nil {
			return err
		}
		size, _, _ := bytes.Cut(line, []byte(";"))
		n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
		if err != nil {
			return fmt.Errorf("bad chunk size %q", line)
		}
		if n == 0 {
			for { // trailers, then the empty line
				t, err := k.readLine()
				if err != nil || len(t) == 0 {
					return err
				}
			}
		}
		if _, err := k.br.Discard(int(n) + 2); err != nil {
			return err
		}
	}
}

// readLine reads one header line without its CRLF. The slice is valid until the next read.
func (k *rawConn) readLine() ([]byte, error) {
	line, err := k.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, errors.New("header line longer than 32 KiB")
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(line, "\r\n"), nil
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// netHTTPConn sends through a shared net/http client (MaxConnsPerHost = the
// connections), for comparison with the raw client.
type netHTTPConn struct{ client *http.Client }

func (n netHTTPConn) close() {}

func (n netHTTPConn) send(r *request) (int, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, r.url, body)
	if err != nil {
		return 0, err
	}
	req.Header = r.header
	res, err := n.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, err
}
