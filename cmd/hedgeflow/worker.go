package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"time"

	"github.com/hedgeflow/hedgeflow/consumers"
	"github.com/hedgeflow/hedgeflow/run"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func workerCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("worker", "Prices scenario partitions pulled from the work queue of an external NATS\n"+
		"JetStream server or cluster, until SIGINT or SIGTERM. Start any number, on any\n"+
		"machines; a partition left unfinished by a worker that stops or dies is\n"+
		"redelivered to another.", stderr)
	natsURL := fs.String("nats", "", "`URL` of the NATS server, or several comma-separated (required)")
	workers := fs.Int("workers", runtime.NumCPU(), "pricing goroutines in this process")
	name := fs.String("name", "", "worker `NAME` in results and logs (default: host-pid)")
	grace := fs.Duration("grace", 20*time.Second, "on SIGINT/SIGTERM, time to finish and ack the partitions being priced; unfinished ones are left for redelivery")
	verbose := fs.Bool("v", false, "log every connection event and partition to stderr")
	nf := addNATSFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *natsURL == "" {
		return usageErrorf("--nats URL is required: workers pull from an external NATS server")
	}
	if *workers < 1 || *workers > run.MaxWorkers {
		return usageErrorf("--workers: must be in [1, %d], got %d", run.MaxWorkers, *workers)
	}
	if *grace < 0 {
		return usageErrorf("--grace: must not be negative, got %v", *grace)
	}
	url, opts, err := nf.options(*natsURL)
	if err != nil {
		return err
	}
	log := logger(stderr, *verbose, slog.LevelInfo, slog.LevelDebug)

	opts = longLived("hedgeflow worker", log, opts)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", url, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	h, err := topology(ctx, js, streams.Topology{Replicas: nf.replicas}, log)
	if err != nil {
		return err
	}
	w := consumers.NewWorker(h, *name, log)
	w.Grace = *grace
	log.Info("worker started", "nats", nc.ConnectedUrlRedacted(), "workers", *workers)
	err = w.Run(ctx, *workers)
	if ferr := nc.FlushTimeout(5 * time.Second); ferr != nil && err == nil && nc.IsConnected() {
		err = fmt.Errorf("flushing acks: %w", ferr)
	}
	log.Info("worker stopped")
	return err
}

// topology binds to the streams and consumer if they exist, and creates
// them otherwise: whichever of run, serve and worker starts first creates
// them. A worker whose NATS permissions allow only pulling and publishing
// results needs them to exist.
func topology(ctx context.Context, js jetstream.JetStream, t streams.Topology, log *slog.Logger) (*streams.Handles, error) {
	h, err := streams.Bind(ctx, js)
	if err == nil {
		return h, nil
	}
	if !streams.IsMissing(err) {
		return nil, err
	}
	log.Info("creating the JetStream topology", "missing", err.Error())
	h, cerr := streams.Ensure(ctx, js, t)
	if cerr != nil {
		return nil, fmt.Errorf("%w (and creating it failed: %w)", err, cerr)
	}
	return h, nil
}
