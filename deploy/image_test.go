package deploy

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// imageCommands are what the image must do, each with text its output
// must hold: the usage, and a tiny run on the embedded server that writes
// its report into the non-root user's working directory.
var imageCommands = []struct {
	args []string
	want []string
}{
	{[]string{"--help"}, []string{"Usage:", "hedgeflow run", "hedgeflow worker"}},
	{[]string{"run", "--scenarios", "4", "--paths", "20", "--no-hedging"},
		[]string{"4 scenarios x 20 paths", "report: hedgeflow-out/report.json"}},
}

// checkCommands runs imageCommands through cmd (which turns a
// hedgeflow argument list into a command) and checks their output.
func checkCommands(t *testing.T, cmd func(args ...string) *exec.Cmd) {
	t.Helper()
	for _, c := range imageCommands {
		out, err := cmd(c.args...).CombinedOutput()
		if err != nil {
			t.Errorf("hedgeflow %s: %v\n%s", strings.Join(c.args, " "), err, out)
			continue
		}
		for _, w := range c.want {
			if !bytes.Contains(out, []byte(w)) {
				t.Errorf("hedgeflow %s: output lacks %q:\n%s", strings.Join(c.args, " "), w, out)
			}
		}
	}
}

// TestImage builds the image of deploy/Dockerfile and runs imageCommands
// in it, then checks that the base adds little to the binary (distroless
// static is about 2 MiB; a distribution base would add tens). It needs a
// Docker daemon that can pull golang:1.26 and
// gcr.io/distroless/static-debian12, and skips without one; it is skipped
// in CI (CI set), where a build would take minutes and there is no daemon.
func TestImage(t *testing.T) {
	if os.Getenv("CI") != "" {
		t.Skip("CI: the image build takes minutes; run go test -run TestImage ./deploy/ where Docker is")
	}
	docker, err := exec.LookPath("docker")
	if err != nil {
		t.Skip("no docker client on PATH")
	}
	if out, err := exec.Command(docker, "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		t.Skipf("no Docker daemon reachable: docker info: %v: %s", err, bytes.TrimSpace(out))
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	tag := "hedgeflow-test:" + hex.EncodeToString(b[:])
	build := exec.Command(docker, "build", "-f", "deploy/Dockerfile", "-t", tag, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(docker, "rmi", "-f", tag).Run() })
	checkCommands(t, func(args ...string) *exec.Cmd {
		return exec.Command(docker, append([]string{"run", "--rm", tag}, args...)...)
	})

	out, err := exec.Command(docker, "image", "inspect", "--format", "{{.Size}}", tag).Output()
	if err != nil {
		t.Fatalf("docker image inspect: %v", err)
	}
	size, err := strconv.ParseInt(string(bytes.TrimSpace(out)), 10, 64)
	if err != nil {
		t.Fatalf("image size %q: %v", out, err)
	}
	bin := filepath.Join(t.TempDir(), "hedgeflow")
	gb := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "../cmd/hedgeflow")
	gb.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := gb.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("image %s: %.1f MiB, of which the binary %.1f MiB", tag, float64(size)/(1<<20), float64(fi.Size())/(1<<20))
	if base := size - fi.Size(); base > 10<<20 {
		t.Errorf("the image is %d bytes more than its binary: the base is not minimal", base)
	}
}
