package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// hedgeflow run --s3-bucket uploads report.json to an S3-compatible store
// (gofakes3 in memory, over HTTP) through the real SDK, and the AWS secret
// never appears in the output.
func TestRunUploadsReportToS3(t *testing.T) {
	const secret = "S3cret-AWS-key-never-printed"
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAHEDGEFLOWTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	backend := s3mem.New()
	if err := backend.CreateBucket("reports"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	defer srv.Close()

	out := t.TempDir()
	var o, e bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := realMain(ctx, []string{"run", "--scenarios", "6", "--paths", "20", "--workers", "1", "--no-hedging", "--run-id", "s3run", "-v",
		"--out", out, "--s3-bucket", "reports", "--s3-prefix", "pension/", "--s3-endpoint", srv.URL}, strings.NewReader(""), &o, &e)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, o.String(), e.String())
	}
	if !strings.Contains(o.String(), "uploaded: s3://reports/pension/s3run/report.json") {
		t.Errorf("stdout does not report the upload:\n%s", o.String())
	}
	obj, err := backend.GetObject("reports", "pension/s3run/report.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Contents.Close()
	var got bytes.Buffer
	if _, err := got.ReadFrom(obj.Contents); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Error("the uploaded report differs from report.json")
	}
	noSecret(t, []string{secret}, o.String(), e.String(), string(want))

	// A missing bucket fails the command, naming the object, after the
	// report is written locally.
	o.Reset()
	e.Reset()
	code = realMain(ctx, []string{"run", "--scenarios", "6", "--paths", "20", "--workers", "1", "--no-hedging", "--run-id", "s3run2",
		"--out", t.TempDir(), "--s3-bucket", "missing", "--s3-endpoint", srv.URL}, strings.NewReader(""), &o, &e)
	if code != 1 || !strings.Contains(e.String(), "not uploaded") || !strings.Contains(e.String(), "s3://missing/hedgeflow/s3run2/report.json") {
		t.Errorf("missing bucket: exit %d\n%s", code, e.String())
	}
	noSecret(t, []string{secret}, o.String(), e.String())

	code = realMain(ctx, []string{"run", "--s3-endpoint", srv.URL}, strings.NewReader(""), &o, &e)
	if code != 2 || !strings.Contains(e.String(), "--s3-endpoint needs --s3-bucket") {
		t.Errorf("--s3-endpoint alone: exit %d\n%s", code, e.String())
	}
}
