// Package deploy holds hedgeflow's deployment files; its tests check them
// offline. kubeconform installs from the Go module proxy but downloads its
// JSON schemas at run time, which CI cannot, so the Kubernetes manifests
// are decoded with sigs.k8s.io/yaml into the official k8s.io/api types with
// unknown fields refused; the NATS configuration is loaded by nats-server
// itself and its permissions exercised on a real server.
package deploy

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// documents splits a multi-document YAML file.
func documents(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs [][]byte
	for _, d := range bytes.Split(b, []byte("\n---")) {
		if len(bytes.TrimSpace(stripComments(d))) > 0 {
			docs = append(docs, d)
		}
	}
	return docs
}

func stripComments(b []byte) []byte {
	var out [][]byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			out = append(out, l)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

// scaledObject is the part of KEDA's keda.sh/v1alpha1 ScaledObject that
// keda-worker.yaml uses (KEDA's Go types would bring its whole module in);
// strict decoding still catches a misspelt or misplaced field.
type scaledObject struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Spec struct {
		ScaleTargetRef struct {
			Name string `json:"name"`
		} `json:"scaleTargetRef"`
		MinReplicaCount *int32 `json:"minReplicaCount"`
		MaxReplicaCount *int32 `json:"maxReplicaCount"`
		PollingInterval *int32 `json:"pollingInterval"`
		CooldownPeriod  *int32 `json:"cooldownPeriod"`
		Triggers        []struct {
			Type     string            `json:"type"`
			Metadata map[string]string `json:"metadata"`
		} `json:"triggers"`
	} `json:"spec"`
}

// Every Kubernetes manifest decodes strictly into its API type, and the
// workers are what KEDA scales.
func TestKubernetesManifests(t *testing.T) {
	deployments := map[string]*appsv1.Deployment{}
	for _, doc := range documents(t, "k8s/hedgeflow.yaml") {
		var meta struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			t.Fatal(err)
		}
		var obj any
		switch meta.Kind {
		case "Deployment":
			obj = &appsv1.Deployment{}
		case "ServiceAccount":
			obj = &corev1.ServiceAccount{}
		case "PodDisruptionBudget":
			obj = &policyv1.PodDisruptionBudget{}
		default:
			t.Fatalf("k8s/hedgeflow.yaml: unexpected kind %q", meta.Kind)
		}
		if err := yaml.UnmarshalStrict(doc, obj); err != nil {
			t.Errorf("k8s/hedgeflow.yaml: %s: %v", meta.Kind, err)
		}
		if d, ok := obj.(*appsv1.Deployment); ok {
			deployments[d.Name] = d
		}
	}
	t.Run("deployments", func(t *testing.T) {
		for _, name := range []string{"hedgeflow-serve", "hedgeflow-worker"} {
			d := deployments[name]
			if d == nil {
				t.Fatalf("no Deployment %s", name)
			}
			sel := d.Spec.Selector.MatchLabels
			for k, v := range sel {
				if d.Spec.Template.Labels[k] != v {
					t.Errorf("%s: selector %s=%s does not match the pod template", name, k, v)
				}
			}
			c := d.Spec.Template.Spec.Containers[0]
			if len(c.Args) == 0 {
				t.Fatalf("%s: no args", name)
			}
			var pw bool
			for _, e := range c.Env {
				if e.Name == "HEDGEFLOW_NATS_PASSWORD" && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
					pw = true
				}
				if strings.Contains(strings.ToLower(e.Name), "password") && e.Value != "" {
					t.Errorf("%s: a password in plain text in env %s", name, e.Name)
				}
			}
			if !pw {
				t.Errorf("%s: the NATS password does not come from a Secret", name)
			}
		}
		if args := deployments["hedgeflow-worker"].Spec.Template.Spec.Containers[0].Args; args[0] != "worker" || !contains(args, "--nats-user=worker") {
			t.Errorf("worker args %v", args)
		}
		if args := deployments["hedgeflow-serve"].Spec.Template.Spec.Containers[0].Args; !contains(args, "--replicas=3") {
			t.Errorf("serve args %v: the process that creates the topology must ask for R3", args)
		}
	})

	docs := documents(t, "k8s/keda-worker.yaml")
	if len(docs) != 1 {
		t.Fatalf("keda-worker.yaml: %d documents", len(docs))
	}
	var so scaledObject
	if err := yaml.UnmarshalStrict(docs[0], &so); err != nil {
		t.Fatalf("keda-worker.yaml: %v", err)
	}
	if so.APIVersion != "keda.sh/v1alpha1" || so.Kind != "ScaledObject" || so.Spec.ScaleTargetRef.Name != "hedgeflow-worker" || len(so.Spec.Triggers) != 1 {
		t.Fatalf("ScaledObject %+v", so)
	}
	tr := so.Spec.Triggers[0]
	want := map[string]string{"stream": streams.ScenarioStream, "consumer": streams.PricingConsumer, "account": "HEDGE"}
	for k, v := range want {
		if tr.Metadata[k] != v {
			t.Errorf("trigger %s = %q, want %q", k, tr.Metadata[k], v)
		}
	}
	if tr.Type != "nats-jetstream" || tr.Metadata["natsServerMonitoringEndpoint"] == "" || tr.Metadata["lagThreshold"] == "" {
		t.Errorf("trigger %+v", tr)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// The Helm values for the official NATS chart ask for a 3-node JetStream
// cluster and carry the same worker permissions as auth.conf.
func TestHelmValues(t *testing.T) {
	b, err := os.ReadFile("k8s/nats-values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Config struct {
			Cluster struct {
				Enabled  bool `json:"enabled"`
				Replicas int  `json:"replicas"`
			} `json:"cluster"`
			JetStream struct {
				Enabled bool `json:"enabled"`
			} `json:"jetstream"`
			Monitor struct {
				Enabled bool `json:"enabled"`
			} `json:"monitor"`
			Merge struct {
				Accounts map[string]struct {
					Users []struct {
						User        string `json:"user"`
						Permissions struct {
							Publish struct {
								Allow []string `json:"allow"`
							} `json:"publish"`
						} `json:"permissions"`
					} `json:"users"`
				} `json:"accounts"`
			} `json:"merge"`
		} `json:"config"`
	}
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	c := v.Config
	if !c.Cluster.Enabled || c.Cluster.Replicas != 3 || !c.JetStream.Enabled || !c.Monitor.Enabled {
		t.Errorf("values: cluster %+v, jetstream %v, monitor %v", c.Cluster, c.JetStream.Enabled, c.Monitor.Enabled)
	}
	opts, err := server.ProcessConfigFile(testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	var confWorker []string
	for _, u := range opts.Users {
		if u.Username == "worker" {
			confWorker = u.Permissions.Publish.Allow
		}
	}
	var helmWorker []string
	for _, u := range c.Merge.Accounts["HEDGE"].Users {
		if u.User == "worker" {
			helmWorker = u.Permissions.Publish.Allow
		}
	}
	if strings.Join(helmWorker, " ") != strings.Join(confWorker, " ") || len(confWorker) == 0 {
		t.Errorf("worker publish permissions differ:\nhelm %v\nconf %v", helmWorker, confWorker)
	}
}

// testConfig writes a single-node configuration that includes
// nats/auth.conf as it is, with passwords in the environment.
func testConfig(t *testing.T) string {
	t.Helper()
	for _, k := range []string{"HEDGEFLOW_PASSWORD", "WORKER_PASSWORD", "REQUESTER_PASSWORD", "SYS_PASSWORD"} {
		t.Setenv(k, "pw"+strings.ToLower(strings.SplitN(k, "_", 2)[0])+"Test1")
	}
	dir := t.TempDir()
	auth, err := os.ReadFile("nats/auth.conf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "auth.conf"), auth, 0o600); err != nil {
		t.Fatal(err)
	}
	conf := "listen: 127.0.0.1:-1\njetstream { store_dir: \"" + filepath.Join(dir, "js") + "\", max_memory_store: 64MB, max_file_store: 1GB }\ninclude ./auth.conf\n"
	p := filepath.Join(dir, "test.conf")
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The cluster configuration parses (its routes name the compose hosts, so
// it is not started here).
func TestClusterConfigParses(t *testing.T) {
	testConfig(t) // sets the passwords
	t.Setenv("NATS_SERVER_NAME", "nats-1")
	dir := t.TempDir()
	for _, f := range []string{"cluster.conf", "auth.conf"} {
		b, err := os.ReadFile(filepath.Join("nats", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	opts, err := server.ProcessConfigFile(filepath.Join(dir, "cluster.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if opts.ServerName != "nats-1" || opts.Cluster.Name != "hedgeflow" || len(opts.Routes) != 3 || !opts.JetStream || opts.SystemAccount != "SYS" {
		t.Errorf("cluster.conf: name %q cluster %q routes %d jetstream %v system %q", opts.ServerName, opts.Cluster.Name, len(opts.Routes), opts.JetStream, opts.SystemAccount)
	}
}

// The roles of auth.conf on a real server: a run as "hedgeflow" with a
// worker pool as "worker" completes (the worker's permissions are enough,
// including putting large results in the object store); the worker may not
// create streams, publish partitions or write run state; a requester may
// call hedge.* services and nothing else.
func TestRolePermissions(t *testing.T) {
	opts, err := server.ProcessConfigFile(testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	opts.NoSigs, opts.NoLog = true, true
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	url := ns.ClientURL()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// violations collects asynchronous permission errors per connection.
	connect := func(user string) (*nats.Conn, chan error) {
		errs := make(chan error, 16)
		nc, err := nats.Connect(url, nats.UserInfo(user, os.Getenv(strings.ToUpper(user)+"_PASSWORD")),
			nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
				select {
				case errs <- err:
				default:
				}
			}))
		if err != nil {
			t.Fatalf("connecting as %s: %v", user, err)
		}
		t.Cleanup(nc.Close)
		return nc, errs
	}

	admin, _ := connect("hedgeflow")
	ajs, _ := jetstream.New(admin)
	if _, err := streams.Ensure(ctx, ajs, streams.Topology{}); err != nil {
		t.Fatalf("hedgeflow user ensuring the topology: %v", err)
	}

	wc, wErrs := connect("worker")
	wjs, _ := jetstream.New(wc)
	t.Run("worker cannot manage streams", func(t *testing.T) {
		sctx, scancel := context.WithTimeout(ctx, 3*time.Second)
		defer scancel()
		if _, err := streams.Ensure(sctx, wjs, streams.Topology{}); err == nil {
			t.Error("the worker created or updated the topology")
		}
		if err := wjs.DeleteStream(sctx, streams.ResultStream); err == nil {
			t.Error("the worker deleted the result stream")
		}
	})
	wh, err := streams.Bind(ctx, wjs)
	if err != nil {
		t.Fatalf("worker binding to the topology: %v", err)
	}
	t.Run("worker cannot publish partitions or write run state", func(t *testing.T) {
		drain(wErrs)
		if err := wc.Publish(streams.ScenarioSubject("evil"), []byte("x")); err != nil {
			t.Fatal(err)
		}
		_ = wc.Flush()
		if err := violation(wErrs); err == nil {
			t.Error("publishing a partition: no permissions violation")
		}
		sctx, scancel := context.WithTimeout(ctx, 3*time.Second)
		defer scancel()
		if _, err := wh.Runs.Put(sctx, "evil", []byte("x")); err == nil {
			t.Error("the worker wrote to the runs bucket")
		}
	})

	drain(wErrs)
	wctx, wcancel := context.WithCancel(ctx)
	werr := make(chan error, 1)
	go func() { werr <- consumers.NewWorker(wh, "restricted", nil).Run(wctx, 1) }()
	// 2 scenarios a partition at 3000 paths is about 576 KB of path
	// values: past the inline limit, so results go to the object store.
	o := run.Options{
		PortfolioFile: examples.PortfolioFile, PortfolioYAML: examples.Portfolio,
		MarketFile: examples.MarketFile, MarketYAML: examples.Market,
		Scenarios: 4, Paths: 3000, PartitionSize: 2, Seed: 42, Workers: -1,
		NATSURL: url, NATSOpts: []nats.Option{nats.UserInfo("hedgeflow", os.Getenv("HEDGEFLOW_PASSWORD"))},
	}
	r, err := run.Execute(ctx, o)
	wcancel()
	if e := <-werr; e != nil {
		t.Errorf("worker: %v", e)
	}
	if err != nil {
		t.Fatalf("run priced by a worker with the worker role: %v", err)
	}
	if len(r.ScenarioMetrics) != 4 {
		t.Errorf("%d scenarios in the report", len(r.ScenarioMetrics))
	}
	if v := violation(wErrs); v != nil {
		t.Errorf("the worker hit a permissions violation during the run: %v", v)
	}
	infos, err := mustObjects(ctx, ajs)
	if err != nil || infos == 0 {
		t.Errorf("no large result went through the object store (%d objects, %v)", infos, err)
	}

	t.Run("requester", func(t *testing.T) {
		sub, err := admin.Subscribe("hedge.status", func(m *nats.Msg) { _ = m.Respond([]byte("ok")) })
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Unsubscribe()
		_ = admin.Flush()
		rc, rErrs := connect("requester")
		if m, err := rc.Request("hedge.status", nil, 3*time.Second); err != nil || string(m.Data) != "ok" {
			t.Errorf("requester calling hedge.status: %v", err)
		}
		for _, subj := range []string{streams.ResultSubject("x"), streams.ScenarioSubject("x"), "$JS.API.STREAM.NAMES"} {
			drain(rErrs)
			if err := rc.Publish(subj, []byte("x")); err != nil {
				t.Fatal(err)
			}
			_ = rc.Flush()
			if violation(rErrs) == nil {
				t.Errorf("requester publishing to %s: no permissions violation", subj)
			}
		}
		if _, err := rc.Subscribe("hedge.results.>", func(*nats.Msg) {}); err != nil {
			t.Fatal(err)
		}
		_ = rc.Flush()
		if violation(rErrs) == nil {
			t.Error("requester subscribing to results: no permissions violation")
		}
	})
}

func mustObjects(ctx context.Context, js jetstream.JetStream) (int, error) {
	obs, err := js.ObjectStore(ctx, streams.BlobBucket)
	if err != nil {
		return 0, err
	}
	list, err := obs.List(ctx)
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return 0, nil
	}
	return len(list), err
}

func drain(c chan error) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}

// violation waits briefly for a permissions violation.
func violation(c chan error) error {
	select {
	case err := <-c:
		if errors.Is(err, nats.ErrPermissionViolation) || strings.Contains(err.Error(), "Permissions Violation") {
			return err
		}
		return violation(c)
	case <-time.After(time.Second):
		return nil
	}
}

// The Dockerfile's build command gives a static binary: no interpreter
// and no dynamic section, so it runs on distroless/static or scratch; and
// that binary does what TestImage asks of the image.
func TestStaticBinary(t *testing.T) {
	df, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CGO_ENABLED=0", "distroless/static", "USER nonroot"} {
		if !bytes.Contains(df, []byte(want)) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "hedgeflow")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "../cmd/hedgeflow")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: not static", p.Type)
		}
	}
	// What TestImage runs in the image, run here on the same binary, in
	// an empty working directory as the image's.
	dir := t.TempDir()
	checkCommands(t, func(args ...string) *exec.Cmd {
		c := exec.Command(bin, args...)
		c.Dir = dir
		return c
	})
}
