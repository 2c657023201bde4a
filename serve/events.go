package serve

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// event is one server-sent event: a section of the dashboard, rendered.
type event struct {
	name string
	data []byte
}

// hub fans events out to the dashboard's event streams. A client that
// cannot keep up is dropped (its channel closed); the browser's
// EventSource reconnects and gets every section afresh.
type hub struct {
	mu      sync.Mutex
	clients map[chan event]struct{}
}

func newHub() *hub { return &hub{clients: map[chan event]struct{}{}} }

func (h *hub) subscribe() chan event {
	ch := make(chan event, 32)
	h.mu.Lock()
	h.clients[ch] = struct{}{}
	h.mu.Unlock()
	return ch
}

func (h *hub) unsubscribe(ch chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[ch]; ok {
		delete(h.clients, ch)
		close(ch)
	}
}

func (h *hub) publish(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case ch <- e:
		default:
			delete(h.clients, ch)
			close(ch)
		}
	}
}

func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// writeEvent writes e in the text/event-stream format: every line of the
// data on its own "data:" line, which the browser joins with newlines.
func writeEvent(w *bytes.Buffer, e event) {
	fmt.Fprintf(w, "event: %s\n", e.name)
	for line := range bytes.SplitSeq(e.data, []byte("\n")) {
		w.WriteString("data: ")
		w.Write(bytes.TrimSuffix(line, []byte("\r")))
		w.WriteByte('\n')
	}
	w.WriteByte('\n')
}

// serveEvents streams the dashboard's sections: all of them at once, then
// each as it changes, with a comment every 15 s to keep proxies from
// closing an idle stream.
func (d *dashboard) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	ch := d.hub.subscribe()
	defer d.hub.unsubscribe(ch)
	var buf bytes.Buffer
	buf.WriteString("retry: 2000\n\n")
	for _, e := range d.snapshot() {
		writeEvent(&buf, e)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		buf.Reset()
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-ch:
			if !ok {
				return // too slow: the browser reconnects
			}
			writeEvent(&buf, e)
		case <-ping.C:
			buf.WriteString(": ping\n\n")
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}
