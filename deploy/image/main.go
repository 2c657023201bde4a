// Command image builds the hedgeflow container image without a Docker
// daemon: the static binary (CGO_ENABLED=0) on a minimal base of CA
// certificates, a non-root user and a writable home, as deploy/Dockerfile
// builds it on distroless/static. It writes a tarball that `docker load`
// and `podman load` read, and an OCI image layout with -oci.
//
//	go run ./deploy/image -o hedgeflow-image.tar
//	docker load -i hedgeflow-image.tar && docker run --rm hedgeflow:latest --help
//
// Why a second way to build the image: the Dockerfile needs a daemon and
// the gcr.io base image, and a builder that has neither (CI, this
// project's machine) can still make and test the image. The image has the
// files distroless/static has that hedgeflow uses (CA bundle, passwd and
// group with nonroot 65532, /tmp, the home directory) and the time zone
// database inside the binary (-tags timetzdata).
package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// BinaryPath is where the image keeps hedgeflow.
const BinaryPath = "/usr/local/bin/hedgeflow"

// Options say what to build.
type Options struct {
	Repo     string // module root, where ./cmd/hedgeflow is
	CABundle string // host CA bundle copied into the image
	Arch     string // GOARCH of the image; default the host's
	Binary   string // a prebuilt static binary instead of building one
}

// epoch is the files' and image's time: a fixed one, so that the same
// binary gives the same image digest.
var epoch = time.Unix(0, 0).UTC()

// Build makes the image.
func Build(o Options) (v1.Image, error) {
	if o.Arch == "" {
		o.Arch = runtime.GOARCH
	}
	bin := o.Binary
	if bin == "" {
		dir, err := os.MkdirTemp("", "hedgeflow-image")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "hedgeflow")
		cmd := exec.Command("go", "build", "-trimpath", "-tags", "timetzdata", "-ldflags=-s -w", "-o", bin, "./cmd/hedgeflow")
		cmd.Dir = o.Repo
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+o.Arch)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("building hedgeflow: %v\n%s", err, out)
		}
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(exe, []byte("\x7fELF")) {
		return nil, fmt.Errorf("%s is not a Linux executable", bin)
	}
	ca, err := os.ReadFile(o.CABundle)
	if err != nil {
		return nil, fmt.Errorf("CA bundle: %w (pass -ca-bundle)", err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dir := func(p string, mode int64, uid int) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: p + "/", Mode: mode, Uid: uid, Gid: uid, ModTime: epoch})
	}
	file := func(p string, mode int64, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: p, Mode: mode, Size: int64(len(data)), ModTime: epoch}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	for _, d := range []string{"etc", "etc/ssl", "etc/ssl/certs", "usr", "usr/local", "usr/local/bin", "home"} {
		if err := dir(d, 0o755, 0); err != nil {
			return nil, err
		}
	}
	steps := []error{
		dir("tmp", 0o1777, 0),
		dir("home/nonroot", 0o755, 65532),
		file("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")),
		file("etc/group", 0o644, []byte("root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n")),
		file("etc/ssl/certs/ca-certificates.crt", 0o644, ca),
		file(BinaryPath[1:], 0o755, exe),
		tw.Close(),
	}
	if err := errors.Join(steps...); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), layer)
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Architecture, cf.OS, cf.Created = o.Arch, "linux", v1.Time{Time: epoch}
	cf.Config = v1.Config{
		Entrypoint:   []string{BinaryPath},
		Cmd:          []string{"--help"},
		User:         "65532:65532",
		WorkingDir:   "/home/nonroot",
		Env:          []string{"PATH=/usr/local/bin:/usr/bin:/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"},
		ExposedPorts: map[string]struct{}{"4222/tcp": {}, "8080/tcp": {}},
		Labels:       map[string]string{"org.opencontainers.image.title": "hedgeflow", "org.opencontainers.image.source": "https://github.com/hedgeflow/hedgeflow"},
	}
	return mutate.ConfigFile(img, cf)
}

func main() {
	out := flag.String("o", "hedgeflow-image.tar", "output: a docker/podman-loadable tarball")
	oci := flag.String("oci", "", "also write an OCI image layout to this directory")
	tag := flag.String("tag", "hedgeflow:latest", "image name and tag in the tarball")
	o := Options{}
	flag.StringVar(&o.Repo, "repo", ".", "module root")
	flag.StringVar(&o.CABundle, "ca-bundle", "/etc/ssl/certs/ca-certificates.crt", "CA bundle to copy into the image")
	flag.StringVar(&o.Arch, "arch", runtime.GOARCH, "GOARCH of the image")
	flag.StringVar(&o.Binary, "binary", "", "a prebuilt static hedgeflow binary (default: build one)")
	flag.Parse()
	if err := run(o, *out, *oci, *tag); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func run(o Options, out, oci, tag string) error {
	ref, err := name.NewTag(tag)
	if err != nil {
		return fmt.Errorf("-tag: %w", err)
	}
	img, err := Build(o)
	if err != nil {
		return err
	}
	if err := tarball.WriteToFile(out, ref, img); err != nil {
		return err
	}
	if oci != "" {
		p, err := layout.Write(oci, empty.Index)
		if err != nil {
			return err
		}
		if err := p.AppendImage(img); err != nil {
			return err
		}
	}
	d, _ := img.Digest()
	var size int64
	if ls, err := img.Layers(); err == nil {
		for _, l := range ls {
			s, _ := l.Size()
			size += s
		}
	}
	fmt.Printf("image %s (%s, %.1f MiB compressed) written to %s\n", tag, d, float64(size)/(1<<20), out)
	return nil
}
