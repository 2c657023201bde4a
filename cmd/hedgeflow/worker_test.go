package main

import (
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
)

func TestWorkerRefusesBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"worker"}, 2, "--nats URL is required"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "--workers", "0"}, 2, "--workers: must be in [1, 1024]"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "--replicas", "7"}, 2, "--replicas: must be 1 to 5"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "--nkey", "k", "--creds", "c"}, 2, "alternatives: give one"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "extra"}, 2, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		stdout, stderr, code := hedgeflow(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("hedgeflow %v: exit %d, stderr %q; want exit %d and %q (stdout %q)", c.args, code, stderr, c.code, c.want, stdout)
		}
	}
	_, stderr, code := hedgeflow(t, "", "worker", "--help")
	if code != 0 {
		t.Fatalf("worker --help: exit %d", code)
	}
	for _, f := range []string{"-nats", "-workers", "-grace", "-nats-user", "-nats-password", "-nkey", "-creds", "-tls-ca", "-tls-cert", "-tls-key", "-replicas", "HEDGEFLOW_NATS_PASSWORD"} {
		if !strings.Contains(stderr, f) {
			t.Errorf("worker --help lacks %s", f)
		}
	}
}

// A worker with a wrong password exits 1 with the server's reason, and the
// password is nowhere in its output, whether given by flag, environment or
// URL.
func TestWorkerWrongPasswordFailsClearly(t *testing.T) {
	const good, bad = "Good-pw-4b1d", "Bad-pw-never-shown-9e2f"
	ns := authServer(t, func(o *server.Options) { o.Users = []*server.User{{Username: "worker", Password: good}} })
	url := ns.ClientURL()
	for _, args := range [][]string{
		{"worker", "--nats", url, "--nats-user", "worker", "--nats-password", bad},
		{"worker", "--nats", strings.Replace(url, "nats://", "nats://worker:"+bad+"@", 1)},
	} {
		stdout, stderr, code := hedgeflow(t, "", args...)
		if code != 1 || !strings.Contains(stderr, "Authorization Violation") || !strings.Contains(stderr, "hedgeflow worker: error: connecting to nats://127.0.0.1:") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		noSecret(t, []string{bad}, stdout, stderr)
	}
}
