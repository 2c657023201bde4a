package consumers_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Routes of the in-process test cluster: fixed loopback ports below the
// ephemeral range (32768-60999 here), so that every node can name the
// others before they start.
const clusterRoutePort = 16222

// cluster is three embedded nats-servers forming one JetStream cluster.
type cluster struct {
	t     *testing.T
	nodes []*server.Server
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	var routes []string
	for i := range 3 {
		addr := fmt.Sprintf("127.0.0.1:%d", clusterRoutePort+i)
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("route port %s is taken (the cluster test needs 16222-16224 free): %v", addr, err)
		}
		l.Close()
		routes = append(routes, "nats://"+addr)
	}
	c := &cluster{t: t}
	for i := range 3 {
		o := &server.Options{
			ServerName: fmt.Sprintf("hf-node-%d", i), Host: "127.0.0.1", Port: -1,
			JetStream: true, StoreDir: t.TempDir(), JetStreamMaxMemory: 64 << 20, JetStreamMaxStore: 1 << 30,
			Cluster: server.ClusterOpts{Name: "hedgeflow-test", Host: "127.0.0.1", Port: clusterRoutePort + i},
			Routes:  server.RoutesFromStr(fmt.Sprintf("%s,%s,%s", routes[0], routes[1], routes[2])),
			NoSigs:  true, NoLog: true,
		}
		ns, err := server.NewServer(o)
		if err != nil {
			t.Fatal(err)
		}
		go ns.Start()
		c.nodes = append(c.nodes, ns)
	}
	t.Cleanup(c.shutdown)
	for _, ns := range c.nodes {
		if !ns.ReadyForConnections(10 * time.Second) {
			t.Fatalf("%s not ready", ns.Name())
		}
	}
	// JetStream is usable once a meta leader is elected and every peer
	// is known.
	deadline := time.Now().Add(20 * time.Second)
	for {
		ready := 0
		for _, ns := range c.nodes {
			if ns.JetStreamIsClustered() && ns.JetStreamIsCurrent() {
				ready++
			}
		}
		if ready == 3 && c.metaLeader() != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("JetStream cluster did not form in 20 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return c
}

func (c *cluster) metaLeader() *server.Server {
	for _, ns := range c.nodes {
		if ns.Running() && ns.JetStreamIsLeader() {
			return ns
		}
	}
	return nil
}

func (c *cluster) shutdown() {
	for _, ns := range c.nodes {
		ns.Shutdown()
		ns.WaitForShutdown()
	}
}

// connect opens a client connection to node i; it reconnects to the other
// nodes (which the server advertises) when node i goes.
func (c *cluster) connect(i int) *nats.Conn {
	c.t.Helper()
	nc, err := nats.Connect(c.nodes[i].ClientURL(), nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(nc.Close)
	return nc
}

func clusterTopology() streams.Topology {
	// A short ack wait: a partition held by a worker whose node dies comes
	// back in seconds.
	return streams.Topology{Replicas: 3, AckWait: 3 * time.Second}
}

// ensure creates the R3 topology through connection nc, retrying while the
// cluster settles.
func ensure(t *testing.T, nc *nats.Conn) *streams.Handles {
	t.Helper()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	var h *streams.Handles
	for range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		h, err = streams.Ensure(ctx, js, clusterTopology())
		cancel()
		if err == nil {
			return h
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("ensuring the R3 topology: %v", err)
	return nil
}

// pools starts one worker pool per connection and returns a function
// that stops them and waits for them.
func pools(t *testing.T, conns ...*nats.Conn) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, nc := range conns {
		h := ensure(t, nc)
		w := consumers.NewWorker(h, fmt.Sprintf("pool-%d", i), nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Run(ctx, 1); err != nil {
				t.Errorf("pool %d: %v", i, err)
			}
		}()
	}
	// Wait until every pool has a pull request waiting, so that both take
	// part from the first partition on.
	h := ensure(t, conns[0])
	for i := 0; ; i++ {
		info, err := h.Pricing.Info(context.Background())
		if err == nil && info.NumWaiting >= len(conns) {
			break
		}
		if i == 1000 {
			t.Fatalf("after 10 s the pricing consumer has not %d pull requests waiting (%v)", len(conns), err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(stop)
	return stop
}

func clusterOptions(runID string) run.Options {
	return run.Options{
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		MarketFile: examples.MarketFile, MarketYAML: examples.Market,
		Scenarios: 30, Paths: 40, PartitionSize: 2, Seed: 42, RunID: runID,
		NoHedging: true, // these tests are about the pricing pipeline surviving faults
	}
}

// numbers is the report's JSON without run_id and timing, as in
// run/run_test.go.
func numbers(t *testing.T, r *report.Report) []byte {
	t.Helper()
	c := *r
	c.RunID, c.Timing = "", report.Timing{}
	b, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// singleServer is the reference: the same run on one embedded server.
func singleServer(t *testing.T) []byte {
	t.Helper()
	o := clusterOptions("single")
	o.Workers, o.StoreDir = 2, t.TempDir()
	r, err := run.Execute(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return numbers(t, r)
}

// workersOf returns how many results of the run each worker published,
// reading the result stream message by message.
func workersOf(t *testing.T, h *streams.Handles, runID string, partitions int) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var (
		s   jetstream.Stream
		err error
	)
	for s == nil || err != nil {
		if s, err = h.JS.Stream(ctx, streams.ResultStream); err != nil && ctx.Err() != nil {
			t.Fatalf("result stream: %v", err)
		}
	}
	seen := map[int]bool{}
	by := map[string]int{}
	for seq := uint64(1); seq <= s.CachedInfo().State.LastSeq; seq++ {
		var m *jetstream.RawStreamMsg
		for m, err = s.GetMsg(ctx, seq); err != nil; m, err = s.GetMsg(ctx, seq) {
			if ctx.Err() != nil {
				t.Fatalf("result %d: %v", seq, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		var r streams.PartitionResult
		if err := streams.Decode(m.Data, &r); err != nil {
			t.Fatal(err)
		}
		if r.RunID == runID && !seen[r.Partition] {
			seen[r.Partition] = true
			by[r.Worker]++
		}
	}
	if len(seen) != partitions {
		t.Fatalf("%d results in the stream, want %d", len(seen), partitions)
	}
	return by
}

// A run on a 3-node cluster with R3 streams and two worker pools on the
// two nodes the run is not connected to gives the numbers of a run on a
// single embedded server.
func TestClusterR3SameNumbers(t *testing.T) {
	want := singleServer(t)
	c := newCluster(t)
	h := ensure(t, c.connect(0))
	info, err := h.Pricing.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.Replicas != 0 && info.Config.Replicas != 3 || info.Cluster == nil || len(info.Cluster.Replicas) != 2 {
		t.Fatalf("pricing consumer is not R3: %+v", info.Cluster)
	}
	stop := pools(t, c.connect(1), c.connect(2))
	o := clusterOptions("cluster-r3")
	o.NATSURL, o.Workers, o.Topology = c.nodes[0].ClientURL(), -1, clusterTopology()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := run.Execute(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if got := numbers(t, r); !bytes.Equal(got, want) {
		t.Errorf("R3 cluster run differs from the single-server run:\n%s\nwant\n%s", got, want)
	}
	by := workersOf(t, h, o.RunID, 15)
	if by["pool-0"] == 0 || by["pool-1"] == 0 {
		t.Errorf("partitions by worker %v: both pools should have priced some", by)
	}
}

// One node of three is killed during a run, first one that the run is not
// connected to, then the leader of the work-queue stream: the run
// completes with the numbers of an undisturbed one.
func TestClusterNodeKilledDuringRun(t *testing.T) {
	want := singleServer(t)
	for _, victim := range []string{"other node", "stream leader"} {
		t.Run(victim, func(t *testing.T) {
			c := newCluster(t)
			// Find the stream leader; the run connects to another node.
			h := ensure(t, c.connect(0))
			si, err := h.JS.Stream(context.Background(), streams.ScenarioStream)
			if err != nil {
				t.Fatal(err)
			}
			leader := si.CachedInfo().Cluster.Leader
			runNode, kill := -1, -1
			for i, ns := range c.nodes {
				if ns.Name() == leader {
					if victim == "stream leader" {
						kill = i
					}
					continue
				}
				if runNode < 0 {
					runNode = i
				} else if kill < 0 {
					kill = i
				}
			}
			var workerConns []*nats.Conn
			for i := range c.nodes {
				if i != runNode {
					workerConns = append(workerConns, c.connect(i))
				}
			}
			stop := pools(t, workerConns...)
			// The run's own in-process worker keeps going whatever dies.
			o := clusterOptions("cluster-kill")
			o.NATSURL, o.Workers, o.Topology = c.nodes[runNode].ClientURL(), 1, clusterTopology()
			killed := make(chan struct{})
			var once sync.Once
			o.Progress = func(done, total int) {
				if done >= 3 {
					once.Do(func() {
						c.nodes[kill].Shutdown()
						close(killed)
					})
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second) // a consumer leader lost mid-pull recovers in seconds; the margin is for a loaded CI machine
			defer cancel()
			start := time.Now()
			r, err := run.Execute(ctx, o)
			if err != nil {
				t.Fatalf("run with %s (%s) killed: %v", victim, c.nodes[kill].Name(), err)
			}
			stop()
			select {
			case <-killed:
			default:
				t.Fatal("the run ended before a node was killed")
			}
			t.Logf("killed %s (%s, stream leader was %s); run took %v", c.nodes[kill].Name(), victim, leader, time.Since(start).Round(time.Millisecond))
			if got := numbers(t, r); !bytes.Equal(got, want) {
				t.Errorf("run with a node killed differs from the single-server run")
			}
			if victim == "stream leader" {
				// h may be connected through the killed node: ask briefly.
				qctx, qcancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer qcancel()
				si, err := h.JS.Stream(qctx, streams.ScenarioStream)
				if err != nil && !errors.Is(err, context.DeadlineExceeded) {
					t.Fatal(err)
				}
				if err == nil && si.CachedInfo().Cluster.Leader == leader {
					t.Errorf("the stream leader is still %s after it was killed", leader)
				}
			}
		})
	}
}
