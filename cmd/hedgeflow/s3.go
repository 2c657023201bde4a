package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/report/s3sink"
)

// s3Flags send the written report to S3 (or an S3-compatible store).
type s3Flags struct {
	bucket, prefix, endpoint string
}

func addS3Flags(fs *flag.FlagSet) *s3Flags {
	f := &s3Flags{}
	fs.StringVar(&f.bucket, "s3-bucket", "", "also upload the report to this S3 `BUCKET` (credentials and region from the standard AWS configuration)")
	fs.StringVar(&f.prefix, "s3-prefix", "hedgeflow", "key `PREFIX` in the bucket: objects are PREFIX/RUN_ID/report.json")
	fs.StringVar(&f.endpoint, "s3-endpoint", "", "`URL` of an S3-compatible store (MinIO, ...) instead of AWS; path-style addressing")
	return f
}

// check refuses flags that make no sense together, before the run.
func (f *s3Flags) check() error {
	if f.bucket == "" && f.endpoint != "" {
		return usageErrorf("--s3-endpoint needs --s3-bucket")
	}
	return nil
}

// upload sends the report files written next to jsonPath (report.json and,
// when there, report.html) to the bucket, if one was given.
func (f *s3Flags) upload(ctx context.Context, rep *report.Report, jsonPath string, stdout io.Writer) error {
	if f.bucket == "" {
		return nil
	}
	client, err := s3sink.NewClient(ctx, s3sink.Config{Endpoint: f.endpoint})
	if err != nil {
		return fmt.Errorf("report written to %s, not uploaded: %w", jsonPath, err)
	}
	for _, name := range []string{"report.json", "report.html"} {
		p := filepath.Join(filepath.Dir(jsonPath), name)
		body, err := os.ReadFile(p)
		if os.IsNotExist(err) && name != "report.json" {
			continue
		}
		if err != nil {
			return err
		}
		key := s3sink.Key(f.prefix, rep.RunID, name)
		if err := s3sink.Upload(ctx, client, f.bucket, key, body); err != nil {
			return fmt.Errorf("report written to %s, not uploaded: %w", jsonPath, err)
		}
		fmt.Fprintf(stdout, "uploaded: s3://%s/%s\n", f.bucket, key)
	}
	return nil
}
