package feed_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/streams"
)

// The recorder writes lines as quotes arrive (the file grows while it
// runs), and a cancelled recording holds every quote it was handed.
func TestRecordFlushesAsItGoes(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	type result struct {
		st  feed.RecordStats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := feed.Record(ctx, e.js, f, feed.RecordOptions{Ready: ready}) // new quotes only
		done <- result{st, err}
	}()
	<-ready
	qs := streamsOf(t)
	lines := func() int {
		b, _ := os.ReadFile(path)
		return bytes.Count(b, []byte("\n"))
	}
	waitLines := func(n int) {
		deadline := time.Now().Add(10 * time.Second)
		for lines() < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d lines in the file after 10 s, want %d", lines(), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	half := len(qs) / 2
	for i := range qs[:half] {
		if err := e.pub.Publish(context.Background(), &qs[i]); err != nil {
			t.Fatal(err)
		}
	}
	waitLines(half) // on disk while the recorder still runs
	for i := half; i < len(qs); i++ {
		if err := e.pub.Publish(context.Background(), &qs[i]); err != nil {
			t.Fatal(err)
		}
	}
	waitLines(len(qs))
	cancel()
	r := <-done
	if r.err != nil || r.st.Quotes != len(qs) {
		t.Fatalf("%+v %v", r.st, r.err)
	}
	got, err := feed.ReadFile(path)
	if err != nil || len(got.Errors) > 0 {
		t.Fatal(err, got.Errors)
	}
	sameQuotes(t, got.Quotes, qs)
	// Since resumes from a time; All and Since together are refused.
	var buf bytes.Buffer
	st, err := feed.Record(ctxT(t, 10*time.Second), e.js, &buf, feed.RecordOptions{Since: time.Now().Add(-time.Hour), Max: 3, Subjects: []string{"market.fx.>"}})
	if err != nil || st.Quotes != 3 {
		t.Fatalf("since: %+v %v", st, err)
	}
	sub, _ := feed.ReadJSONL("b", &buf)
	for _, q := range sub.Quotes {
		if q.Kind != streams.KindFXSpot && q.Kind != streams.KindFXVol {
			t.Errorf("the fx filter let %s through", q.Subject())
		}
	}
	if _, err := feed.Record(context.Background(), e.js, &buf, feed.RecordOptions{All: true, Since: time.Now()}); err == nil {
		t.Error("All with Since accepted")
	}
}
