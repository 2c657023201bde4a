package s3sink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// ErrInvalid is wrapped by errors about invalid arguments.
var ErrInvalid = errors.New("s3sink: invalid argument")

// DefaultTimeout bounds an upload whose context has no deadline.
const DefaultTimeout = 2 * time.Minute

// Putter is the part of *s3.Client that Upload uses.
type Putter interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// Upload stores body under key in bucket, with a content type taken from
// the key's extension.
func Upload(ctx context.Context, client Putter, bucket, key string, body []byte) error {
	if bucket == "" {
		return fmt.Errorf("%w: empty bucket name", ErrInvalid)
	}
	if key == "" || strings.HasPrefix(key, "/") {
		return fmt.Errorf("%w: key %q must be non-empty and relative", ErrInvalid, key)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	_, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		ContentType:   aws.String(contentType(key)),
	})
	if err != nil {
		return fmt.Errorf("s3sink: uploading s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

func contentType(key string) string {
	switch strings.ToLower(path.Ext(key)) {
	case ".json":
		return "application/json"
	case ".html":
		return "text/html; charset=utf-8"
	default:
		return "application/octet-stream"
	}
}

// Key joins a prefix ("reports", "reports/2024/") and the parts of a name
// into an object key with single slashes.
func Key(prefix string, parts ...string) string {
	var keep []string
	for _, p := range append([]string{prefix}, parts...) {
		if p = strings.Trim(p, "/"); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "/")
}

// Config selects the store. The zero value is Amazon S3 with the standard
// AWS configuration.
type Config struct {
	// Endpoint is the URL of an S3-compatible store; empty for AWS. An
	// endpoint implies path-style addressing (http://host/bucket/key),
	// which such stores expect.
	Endpoint string
	// Region overrides the configured region. With an Endpoint and no
	// region configured anywhere, us-east-1 is used.
	Region string
}

// NewClient returns an S3 client from the standard AWS configuration.
func NewClient(ctx context.Context, c Config) (*s3.Client, error) {
	var opts []func(*config.LoadOptions) error
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("s3sink: AWS configuration: %w", err)
	}
	if cfg.Region == "" && c.Endpoint != "" {
		cfg.Region = "us-east-1"
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
			o.UsePathStyle = true
		}
	}), nil
}
