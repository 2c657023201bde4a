package serve

import (
	"context"
	"errors"
	"sync"
	"time"
)

// errQueueFull is returned by push when the queue holds its maximum.
var errQueueFull = errors.New("queue full")

// errQueueClosed is returned by push after close.
var errQueueClosed = errors.New("service stopping")

// job is a run waiting for, or being given, a runner.
type job struct {
	id       string
	acc      *accepted
	reply    string // reply subject of a requester who waits; "" none
	resume   bool   // started before a restart: resume it from its KV state
	enqueued time.Time
}

// queue is a bounded FIFO of jobs shared by the runners: the first job
// pushed is the first taken, whichever runner takes it.
type queue struct {
	mu     sync.Mutex
	jobs   []*job
	max    int
	closed bool
	signal chan struct{} // holds a token while jobs may be waiting
}

func newQueue(max int) *queue {
	return &queue{max: max, signal: make(chan struct{}, 1)}
}

// push appends j, or refuses it when the queue is full or closed. force
// ignores the bound (runs accepted before a restart).
func (q *queue) push(j *job, force bool) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.closed:
		return errQueueClosed
	case !force && len(q.jobs) >= q.max:
		return errQueueFull
	}
	q.jobs = append(q.jobs, j)
	q.wake()
	return nil
}

// wake leaves a token for a runner; called with mu held.
func (q *queue) wake() {
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// ready waits until a job is waiting, without taking it; false when ctx
// ends or the queue is closed. A runner that must first get a run slot
// waits here, so that the job keeps its place (and its position in
// hedge.status) until a slot is free.
func (q *queue) ready(ctx context.Context) bool {
	for {
		q.mu.Lock()
		switch {
		case q.closed:
			q.mu.Unlock()
			return false
		case len(q.jobs) > 0:
			q.mu.Unlock()
			return true
		}
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return false
		case <-q.signal:
		}
	}
}

// tryPop takes the first job, or returns nil when there is none or the
// queue is closed.
func (q *queue) tryPop() *job {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || len(q.jobs) == 0 {
		return nil
	}
	j := q.jobs[0]
	q.jobs[0] = nil
	q.jobs = q.jobs[1:]
	if len(q.jobs) > 0 {
		q.wake() // another runner may take the next one
	}
	return j
}

// position returns the 1-based place of run id in the queue, 0 if absent.
func (q *queue) position(id string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, j := range q.jobs {
		if j.id == id {
			return i + 1
		}
	}
	return 0
}

// len returns the number of waiting jobs.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs)
}

// ids returns the waiting jobs' run ids in order.
func (q *queue) ids() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]string, len(q.jobs))
	for i, j := range q.jobs {
		out[i] = j.id
	}
	return out
}

// close refuses further pushes, wakes the runners and returns the jobs
// still waiting.
func (q *queue) close() []*job {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil
	}
	q.closed = true
	left := q.jobs
	q.jobs = nil
	close(q.signal)
	return left
}
