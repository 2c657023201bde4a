package agents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hedgeflow/hedgeflow/agents/reasoner"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Service runs the agents as consumers on JetStream: each role consumes
// its own subject, reads its prerequisites' outputs from the runs bucket,
// decides, stores its output there, and triggers the roles that need it.
// The DAG is Needs; the messages and the bucket are its only state.
type Service struct {
	h        *streams.Handles
	reasoner reasoner.Reasoner
	mu       sync.Mutex
	numbers  map[string]*Numbers
}

// NewService returns a service on h deciding with r (nil: the
// deterministic reasoner).
func NewService(h *streams.Handles, r reasoner.Reasoner) *Service {
	if r == nil {
		r = reasoner.Deterministic{}
	}
	return &Service{h: h, reasoner: r, numbers: map[string]*Numbers{}}
}

// Run starts one consumer per role and blocks until ctx ends.
func (s *Service) Run(ctx context.Context, replicas int) error {
	cons, err := streams.EnsureAgents(ctx, s.h.JS, replicas, Roles)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	for _, role := range Roles {
		it, err := cons[role].Messages(jetstream.PullMaxMessages(1))
		if err != nil {
			return err
		}
		stop := context.AfterFunc(ctx, it.Stop)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer stop()
			for {
				msg, err := it.Next()
				if err != nil {
					if errors.Is(err, jetstream.ErrMsgIteratorClosed) || ctx.Err() != nil {
						return
					}
					continue
				}
				s.handle(ctx, role, msg)
			}
		}()
	}
	wg.Wait()
	return nil
}

// handle runs role for the run named in the subject. It never panics out:
// a panic naks the trigger for redelivery.
func (s *Service) handle(ctx context.Context, role string, msg jetstream.Msg) {
	defer func() {
		if r := recover(); r != nil {
			_ = msg.NakWithDelay(time.Second)
		}
	}()
	rest := strings.TrimPrefix(msg.Subject(), "hedge.agents.")
	runID, _, _ := strings.Cut(rest, ".")
	kv := s.h.Runs
	if _, err := kv.Get(ctx, streams.AgentKey(runID, role)); err == nil {
		_ = msg.Ack() // already decided: a duplicate trigger
		return
	}
	s.mu.Lock()
	n := s.numbers[runID]
	s.mu.Unlock()
	if n == nil {
		_ = msg.TermWithReason("no numbers registered for run " + runID)
		return
	}
	// Load every ancestor's output: a role may read beyond its direct
	// prerequisites (execution follows the risk manager's choice).
	prior := map[string]*Output{}
	for _, need := range Ancestors(role) {
		e, err := kv.Get(ctx, streams.AgentKey(runID, need))
		if err != nil {
			// Not all prerequisites are in: the last of them triggers again.
			_ = msg.Ack()
			return
		}
		var o Output
		if err := json.Unmarshal(e.Value(), &o); err != nil {
			_ = msg.TermWithReason("bad output of " + need)
			return
		}
		prior[need] = &o
	}
	out, err := RunRole(ctx, role, n, s.reasoner, prior)
	if err != nil {
		out = &Output{Role: role, Decision: "failed", Chosen: "", Rationale: "error: " + err.Error(), Figures: map[string]float64{}, Backend: "none"}
	}
	b, err := json.Marshal(out)
	if err != nil {
		_ = msg.NakWithDelay(time.Second)
		return
	}
	if _, err := kv.Create(ctx, streams.AgentKey(runID, role), b); err != nil && !errors.Is(err, jetstream.ErrKeyExists) {
		_ = msg.NakWithDelay(time.Second)
		return
	}
	for _, next := range Roles {
		for _, need := range Needs[next] {
			if need == role {
				_, _ = s.h.JS.PublishMsg(ctx, &nats.Msg{Subject: streams.AgentSubject(runID, next)},
					jetstream.WithMsgID(runID+"/"+next+"/"+role))
			}
		}
	}
	_ = msg.Ack()
}

// Decide registers a run's numbers, triggers the first role and waits for
// every role's output (or ctx). It returns the outputs by role.
func (s *Service) Decide(ctx context.Context, runID string, n *Numbers) (map[string]*Output, error) {
	s.mu.Lock()
	s.numbers[runID] = n
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.numbers, runID)
		s.mu.Unlock()
	}()
	w, err := s.h.Runs.Watch(ctx, runID+".agent.*")
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	if _, err := s.h.JS.PublishMsg(ctx, &nats.Msg{Subject: streams.AgentSubject(runID, Roles[0])},
		jetstream.WithMsgID(runID+"/"+Roles[0]+"/start")); err != nil {
		return nil, err
	}
	out := map[string]*Output{}
	for len(out) < len(Roles) {
		select {
		case <-ctx.Done():
			return out, fmt.Errorf("agents: waiting for %d of %d roles: %w", len(Roles)-len(out), len(Roles), ctx.Err())
		case e, ok := <-w.Updates():
			if !ok {
				return out, errors.New("agents: watch closed")
			}
			if e == nil || e.Operation() != jetstream.KeyValuePut {
				continue
			}
			var o Output
			if err := json.Unmarshal(e.Value(), &o); err != nil {
				return out, fmt.Errorf("agents: output %s: %w", e.Key(), err)
			}
			role := e.Key()[strings.LastIndex(e.Key(), ".")+1:]
			out[role] = &o
		}
	}
	return out, nil
}

// Ancestors returns every role that role depends on, directly or not.
func Ancestors(role string) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(r string)
	walk = func(r string) {
		for _, n := range Needs[r] {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
				walk(n)
			}
		}
	}
	walk(role)
	return out
}
