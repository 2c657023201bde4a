package s3sink

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// fakeS3 is an in-process S3-compatible server (gofakes3, in memory)
// speaking the S3 REST protocol over HTTP, with bucket created.
func fakeS3(t *testing.T, bucket string) string {
	t.Helper()
	backend := s3mem.New()
	if bucket != "" {
		if err := backend.CreateBucket(bucket); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return srv.URL
}

// awsEnv isolates the standard AWS configuration from the machine's.
func awsEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIATESTKEY")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret-key")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
}

func TestUploadThroughTheRealSDK(t *testing.T) {
	awsEnv(t)
	url := fakeS3(t, "reports")
	ctx := context.Background()
	c, err := NewClient(ctx, Config{Endpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"run_id":"r1"}`)
	key := Key("hedgeflow/", "r1", "report.json")
	if key != "hedgeflow/r1/report.json" {
		t.Fatalf("key %q", key)
	}
	if err := Upload(ctx, c, "reports", key, body); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("reports"), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	got, _ := io.ReadAll(out.Body)
	if string(got) != string(body) || aws.ToString(out.ContentType) != "application/json" {
		t.Errorf("stored %q (%s), want %q (application/json)", got, aws.ToString(out.ContentType), body)
	}

	if err := Upload(ctx, c, "no-such-bucket", key, body); err == nil {
		t.Error("upload to a missing bucket succeeded")
	} else if !errContains(err, "s3://no-such-bucket/hedgeflow/r1/report.json") {
		t.Errorf("error %v does not name the object", err)
	}
	for _, c2 := range []struct{ bucket, key string }{{"", "k"}, {"b", ""}, {"b", "/abs"}} {
		if err := Upload(ctx, c, c2.bucket, c2.key, body); !errors.Is(err, ErrInvalid) {
			t.Errorf("Upload(%q, %q): %v, want ErrInvalid", c2.bucket, c2.key, err)
		}
	}
}

func errContains(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}

func TestKey(t *testing.T) {
	for _, c := range []struct {
		prefix string
		parts  []string
		want   string
	}{
		{"", []string{"r", "report.json"}, "r/report.json"},
		{"a/b/", []string{"r", "report.json"}, "a/b/r/report.json"},
		{"/a//", []string{"/r/", "x"}, "a/r/x"},
	} {
		if got := Key(c.prefix, c.parts...); got != c.want {
			t.Errorf("Key(%q, %q) = %q, want %q", c.prefix, c.parts, got, c.want)
		}
	}
}
