package serve

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/internal/chromium"
	"golang.org/x/net/websocket"
)

// A headless Chromium driven over the DevTools protocol, so that a test
// can watch a live page change: --dump-dom only shows a page once, after
// it loads. Same browser and flags as report/browser_test.go.

// browserPage is one tab of a headless Chromium.
type browserPage struct {
	t    *testing.T
	ws   *websocket.Conn
	mu   sync.Mutex
	next int
}

// openPage starts chromium on url and connects to its page.
func openPage(t *testing.T, url string, width, height int) *browserPage {
	t.Helper()
	bin := chromium.Path(t)
	profile := chromium.Profile(t) // registered first, so removed after the browser is killed
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
		fmt.Sprintf("--window-size=%d,%d", width, height), "--remote-debugging-port=0", "--remote-allow-origins=*",
		"--user-data-dir="+profile, url)
	// Its own process group, killed whole: the browser and its helpers.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	// "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID"
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, after, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
				found <- after
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	var browserWS string
	select {
	case browserWS = <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not start its DevTools server in 30 s")
	}
	host := strings.TrimPrefix(browserWS, "ws://")
	host = host[:strings.Index(host, "/")]
	// The page target's own websocket.
	var pageWS string
	deadline := time.Now().Add(15 * time.Second)
	for pageWS == "" {
		resp, err := http.Get("http://" + host + "/json/list")
		if err == nil {
			var targets []struct{ Type, URL, WebSocketDebuggerURL string }
			_ = json.NewDecoder(resp.Body).Decode(&targets)
			resp.Body.Close()
			for _, tg := range targets {
				if tg.Type == "page" && tg.WebSocketDebuggerURL != "" {
					pageWS = tg.WebSocketDebuggerURL
				}
			}
		}
		if pageWS == "" {
			if time.Now().After(deadline) {
				t.Fatalf("no page target in chromium: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	ws, err := websocket.Dial(pageWS, "", "http://127.0.0.1/")
	if err != nil {
		t.Fatal(err)
	}
	ws.MaxPayloadBytes = 64 << 20
	t.Cleanup(func() { ws.Close() })
	return &browserPage{t: t, ws: ws}
}

// call sends a DevTools command and returns its result.
func (p *browserPage) call(method string, params any) json.RawMessage {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next++
	id := p.next
	if err := websocket.JSON.Send(p.ws, map[string]any{"id": id, "method": method, "params": params}); err != nil {
		p.t.Fatalf("devtools %s: %v", method, err)
	}
	_ = p.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		var msg struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := websocket.JSON.Receive(p.ws, &msg); err != nil {
			p.t.Fatalf("devtools %s: %v", method, err)
		}
		if msg.ID != id {
			continue // an event
		}
		if msg.Error != nil {
			p.t.Fatalf("devtools %s: %s", method, msg.Error.Message)
		}
		return msg.Result
	}
}

// eval evaluates a JavaScript expression in the page and returns its
// value as JSON.
func (p *browserPage) eval(expr string) json.RawMessage {
	p.t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(p.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}), &r); err != nil {
		p.t.Fatal(err)
	}
	if r.ExceptionDetails != nil {
		p.t.Fatalf("evaluating %s: %s", expr, r.ExceptionDetails.Text)
	}
	return r.Result.Value
}

// text returns the text of the element with the id, "" if none.
func (p *browserPage) text(id string) string {
	var s string
	_ = json.Unmarshal(p.eval(fmt.Sprintf(`(document.getElementById(%q) || {}).textContent || ""`, id)), &s)
	return s
}

// waitFor polls cond until it holds or the timeout passes.
func (p *browserPage) waitFor(what string, timeout time.Duration, cond func() bool) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			p.t.Fatalf("page: %s: not within %v", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// screenshot writes a PNG of the whole page to path.
func (p *browserPage) screenshot(path string) {
	p.t.Helper()
	var r struct {
		Data string `json:"data"`
	}
	if err := json.Unmarshal(p.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}), &r); err != nil {
		p.t.Fatal(err)
	}
	b, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		p.t.Fatal(err)
	}
}
