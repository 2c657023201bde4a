package main

import (
	"archive/tar"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// The image is built, written as a loadable tarball, read back, and run:
// its filesystem extracted and the entrypoint started in it by chroot as
// the image's user, from its working directory, with nothing of the host
// visible. This is what `docker run` does minus namespaces and cgroups;
// it needs root (the project's machine and CI are root), and skips without.
func TestImageBuildsAndRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds hedgeflow")
	}
	dir := t.TempDir()
	tarPath := filepath.Join(dir, "hedgeflow.tar")
	if err := run(Options{Repo: "../..", CABundle: "/etc/ssl/certs/ca-certificates.crt"}, tarPath, filepath.Join(dir, "oci"), "hedgeflow:test"); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("no CA bundle on this machine: %v", err)
		}
		t.Fatal(err)
	}
	tag, _ := name.NewTag("hedgeflow:test")
	img, err := tarball.ImageFromPath(tarPath, &tag)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if cf.OS != "linux" || len(c.Entrypoint) != 1 || c.Entrypoint[0] != BinaryPath || c.User != "65532:65532" || c.WorkingDir != "/home/nonroot" {
		t.Fatalf("config: %+v", cf)
	}
	if _, err := os.Stat(filepath.Join(dir, "oci", "index.json")); err != nil {
		t.Errorf("OCI layout: %v", err)
	}
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("%d layers, %v", len(layers), err)
	}
	// Extract the root filesystem.
	root := filepath.Join(dir, "rootfs")
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(rc)
	var binSize int64
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(root, h.Name)
		if !strings.HasPrefix(p, root) {
			t.Fatalf("layer path %q escapes the root", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, os.FileMode(h.Mode).Perm()|os.ModeDir); err != nil {
				t.Fatal(err)
			}
			os.Chmod(p, os.FileMode(h.Mode&0o7777)|os.ModeDir|modeBits(h.Mode))
			os.Lchown(p, h.Uid, h.Gid)
		case tar.TypeReg:
			f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, os.FileMode(h.Mode).Perm())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(f, tr); err != nil {
				t.Fatal(err)
			}
			f.Close()
			if h.Name == BinaryPath[1:] {
				binSize = h.Size
			}
		}
	}
	rc.Close()
	size, _ := layers[0].Size()
	t.Logf("image: one layer of %d B compressed; binary %d B", size, binSize)
	if binSize == 0 {
		t.Fatal("no binary in the image")
	}
	if os.Geteuid() != 0 {
		t.Skip("running the image needs root for chroot")
	}
	runIn := func(args ...string) string {
		cmd := exec.Command(BinaryPath, args...)
		cmd.Dir = c.WorkingDir
		cmd.Env = c.Env
		cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: 65532, Gid: 65532}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v in the image: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if out := runIn("--help"); !strings.Contains(out, "hedgeflow run") {
		t.Errorf("--help:\n%s", out)
	}
	out := runIn("run", "--scenarios", "4", "--paths", "20", "--no-hedging")
	if !strings.Contains(out, "report:") {
		t.Errorf("a tiny run in the image:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(root, "home/nonroot/hedgeflow-out/report.json")); err != nil {
		t.Errorf("the run's report in the image's home: %v", err)
	}
}

// modeBits carries the sticky bit of a tar mode (for /tmp).
func modeBits(m int64) os.FileMode {
	if m&0o1000 != 0 {
		return os.ModeSticky
	}
	return 0
}
