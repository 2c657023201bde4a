package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/examples"
	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/producers/feed"
	"github.com/hedgeflow/hedgeflow/producers/history"
	"github.com/hedgeflow/hedgeflow/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func feedCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("feed", "Publishes market quotes on the MARKET stream of a NATS server (market.<kind>.<key>,\n"+
		"schema in docs/market-data.md), from one source:\n"+
		"  --synthetic        a seeded random market with vol spikes, a tick every --interval\n"+
		"  --file F           a quote file: JSON Lines (.jsonl, as hedgeflow record writes) or CSV\n"+
		"  --fred DIR         FRED-format daily history, one market state a day (--from, --to)\n"+
		"  --ingest           the market.ingest bridge: validate what others publish there\n"+
		"Files and history keep their timestamps and are replayed at --speed. It runs\n"+
		"until the source is exhausted or SIGINT/SIGTERM.", stderr)
	natsURL := fs.String("nats", "", "`URL` of the NATS server (required unless --dry-run)")
	synthetic := fs.Bool("synthetic", false, "publish a synthetic market")
	file := fs.String("file", "", "publish the quotes of `FILE` (.jsonl or .csv)")
	fred := fs.String("fred", "", "publish the market rebuilt from the FRED-format series in `DIR`")
	ingest := fs.Bool("ingest", false, "run the market.ingest bridge")
	from := fs.String("from", "", "with --fred: first `DATE` (YYYY-MM-DD)")
	to := fs.String("to", "", "with --fred: last `DATE` (YYYY-MM-DD)")
	speed := fs.String("speed", "max", "with --file/--fred: market time per wall second, e.g. 3600x (an hour a second), 1x (original timing) or max")
	baseFile := fs.String("base", "", "market snapshot `YAML` the synthetic market starts from and history proxies are anchored on (default: the sample of 2024-12-31)")
	seed := fs.Uint64("seed", 1, "with --synthetic: seed of the path")
	interval := fs.Duration("interval", time.Second, "with --synthetic: wall time between ticks")
	step := fs.Duration("step", time.Hour, "with --synthetic: market time simulated per tick")
	spikeProb := fs.Float64("spike-prob", 0.02, "with --synthetic: probability of a stress spike per market day")
	spikeSize := fs.Float64("spike-size", 1, "with --synthetic: size of a spike (1: instantaneous equity vol 2 to 4 times its base level, one-year implied 1.2 to 1.9 times)")
	noSpikes := fs.Bool("no-spikes", false, "with --synthetic: no stress spikes")
	ticks := fs.Int("ticks", 0, "with --synthetic: stop after N ticks (0: run until stopped)")
	dryRun := fs.Bool("dry-run", false, "write the quotes to stdout as JSON Lines instead of publishing (no server needed)")
	verbose := fs.Bool("v", false, "log connection events and every rejected ingest message to stderr")
	nf := addNATSFlags(fs)
	set, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	sources := 0
	for _, on := range []bool{*synthetic, *file != "", *fred != "", *ingest} {
		if on {
			sources++
		}
	}
	if sources != 1 {
		return usageErrorf("give one source: --synthetic, --file F, --fred DIR or --ingest")
	}
	for _, name := range []string{"seed", "interval", "step", "spike-prob", "spike-size", "no-spikes", "ticks"} {
		if set[name] && !*synthetic {
			return usageErrorf("--%s goes with --synthetic", name)
		}
	}
	if (set["from"] || set["to"]) && *fred == "" {
		return usageErrorf("--from and --to go with --fred")
	}
	if set["speed"] && *file == "" && *fred == "" {
		return usageErrorf("--speed goes with --file or --fred (the synthetic feed ticks every --interval)")
	}
	if *ingest && *dryRun {
		return usageErrorf("--ingest needs a server: it answers requests on market.ingest")
	}
	sp, err := feed.ParseSpeed(*speed)
	if err != nil {
		return usageErrorf("--speed: %s", strings.TrimPrefix(err.Error(), feed.ErrSpeed.Error()+": "))
	}
	switch {
	case !(*spikeProb > 0 && *spikeProb <= 1):
		return usageErrorf("--spike-prob: a probability per market day in (0, 1], got %v (--no-spikes turns spikes off)", *spikeProb)
	case !(*spikeSize > 0 && *spikeSize <= 5):
		return usageErrorf("--spike-size: in (0, 5], got %v", *spikeSize)
	case *interval <= 0:
		return usageErrorf("--interval: must be positive, got %v", *interval)
	case *step <= 0 || *step > 31*24*time.Hour:
		return usageErrorf("--step: in (0, 744h], got %v", *step)
	case *ticks < 0:
		return usageErrorf("--ticks: must not be negative, got %d", *ticks)
	}
	if *natsURL == "" && !*dryRun {
		return usageErrorf("--nats URL is required: the feed publishes to a NATS server that serve, record and the recalibrator read " +
			"(an embedded server in this process would have no readers); use --dry-run to see the quotes without a server")
	}
	if *natsURL != "" && *dryRun {
		return usageErrorf("--dry-run publishes nothing: drop --nats")
	}
	log := logger(stderr, *verbose, slog.LevelInfo, slog.LevelDebug)

	var base *market.Snapshot
	if *synthetic || *fred != "" {
		if base, err = readBase(*baseFile); err != nil {
			return err
		}
	} else if *baseFile != "" {
		return usageErrorf("--base goes with --synthetic or --fred")
	}

	// The source's quotes, read before connecting: a bad file fails
	// before anything is published.
	var quotes []streams.Quote
	var bad []error
	switch {
	case *file != "":
		lines, err := feed.ReadFile(*file)
		if err != nil {
			return err
		}
		quotes, bad = lines.Quotes, lines.Errors
		for _, e := range bad {
			fmt.Fprintf(stderr, "hedgeflow feed: %v\n", e)
		}
	case *fred != "":
		if *from == "" || *to == "" {
			return usageErrorf("--fred needs --from and --to (YYYY-MM-DD)")
		}
		f, err := history.ParseDate(*from)
		if err != nil {
			return usageErrorf("--from: want YYYY-MM-DD, got %q", *from)
		}
		t, err := history.ParseDate(*to)
		if err != nil {
			return usageErrorf("--to: want YYYY-MM-DD, got %q", *to)
		}
		if quotes, err = feed.LoadHistory(*fred, base, f, t); err != nil {
			return err
		}
	}
	var gen *feed.Synthetic
	if *synthetic {
		gen, err = feed.NewSynthetic(base, feed.SyntheticSettings{
			Seed: *seed, Interval: *interval, Step: *step, SpikeProb: *spikeProb, SpikeSize: *spikeSize, NoSpikes: *noSpikes, Ticks: *ticks,
		})
		if err != nil {
			return err
		}
	}

	var publish feed.PublishFunc
	var nc *nats.Conn
	var js jetstream.JetStream
	var kv jetstream.KeyValue
	// Summaries go to stderr when stdout carries the quotes.
	summary := stdout
	var dry *bufio.Writer
	if *dryRun {
		summary = stderr
		w := bufio.NewWriter(stdout)
		dry = w
		publish = func(_ context.Context, q *streams.Quote) error {
			b, err := feed.EncodeQuote(q)
			if err != nil {
				return err
			}
			w.Write(b)
			return w.WriteByte('\n')
		}
	} else {
		if nc, err = connectNATS(*natsURL, nf, "hedgeflow feed", log); err != nil {
			return err
		}
		defer nc.Close()
		if js, err = jetstream.New(nc); err != nil {
			return err
		}
		if kv, err = feed.BindMarket(ctx, js, nf.replicas); err != nil {
			return err
		}
		publish = feed.NewPublisherKV(js, kv).Publish
	}

	started := time.Now()
	var n int
	switch {
	case *ingest:
		log.Info("ingest bridge started", "subject", streams.IngestSubject, "queue", feed.IngestQueue, "nats", nc.ConnectedUrlRedacted())
		accepted := 0
		err = feed.RunIngest(ctx, nc, js, kv,
			feed.WithErrorHandler(func(err error) { log.Debug("ingest", "err", err) }),
			feed.WithAccepted(func(qs []streams.Quote) { accepted += len(qs) }))
		n = accepted
	case *synthetic:
		var t int
		t, err = gen.Run(ctx, publish)
		n = t * len(streams.QuotesOf(base, time.Time{}, ""))
		if err == nil {
			fmt.Fprintf(summary, "synthetic feed: %d ticks, %d spikes\n", t, gen.Spikes())
		}
	default:
		n, err = feed.Replay(ctx, quotes, sp, publish)
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			err = nil // stopped by a signal
		}
	}
	if dry != nil {
		if ferr := dry.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}
	if err != nil {
		return err
	}
	if nc != nil {
		if err := nc.FlushTimeout(5 * time.Second); err != nil {
			return fmt.Errorf("flushing: %w", err)
		}
	}
	verb := "published"
	if *dryRun {
		verb = "wrote"
	}
	fmt.Fprintf(summary, "%s %d quotes in %v\n", verb, n, time.Since(started).Round(time.Millisecond))
	if len(bad) > 0 {
		return fmt.Errorf("%d of %d lines of %s rejected (listed above); the others were published", len(bad), len(bad)+len(quotes), *file)
	}
	return nil
}

func recordCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("record", "Records the MARKET stream of a NATS server to a JSON Lines file (the form\n"+
		"hedgeflow feed --file replays), flushing as it goes, until SIGINT/SIGTERM or --max.", stderr)
	natsURL := fs.String("nats", "", "`URL` of the NATS server (required)")
	out := fs.String("out", "", "JSON Lines `FILE` to write (required; - for stdout)")
	all := fs.Bool("all", false, "record the stream from its first quote (default: only new quotes)")
	since := fs.String("since", "", "record from this `TIME` (RFC 3339 or YYYY-MM-DD)")
	appendTo := fs.Bool("append", false, "append to --out instead of replacing it")
	max := fs.Int("max", 0, "stop after N quotes (0: until stopped)")
	nf := addNATSFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *natsURL == "" {
		return usageErrorf("--nats URL is required: record reads the MARKET stream of a NATS server")
	}
	if *out == "" {
		return usageErrorf("--out FILE is required (- for stdout)")
	}
	if *max < 0 {
		return usageErrorf("--max: must not be negative, got %d", *max)
	}
	o := feed.RecordOptions{All: *all, Max: *max}
	if *since != "" {
		if *all {
			return usageErrorf("--all and --since are alternatives")
		}
		t, err := time.Parse(time.RFC3339Nano, *since)
		if err != nil {
			if t, err = history.ParseDate(*since); err != nil {
				return usageErrorf("--since: want RFC 3339 (2025-01-02T15:04:05Z) or YYYY-MM-DD, got %q", *since)
			}
		}
		o.Since = t
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	nc, err := connectNATS(*natsURL, nf, "hedgeflow record", log)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	if _, err := feed.BindMarket(ctx, js, nf.replicas); err != nil {
		return err
	}
	w := stdout
	if *out != "-" {
		flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
		if *appendTo {
			flags = os.O_CREATE | os.O_WRONLY | os.O_APPEND
		}
		f, err := os.OpenFile(*out, flags, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	ready := make(chan struct{})
	o.Ready = ready
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-ready:
			log.Info("recording", "stream", streams.MarketStream, "out", *out)
		case <-stop:
		}
	}()
	st, err := feed.Record(ctx, js, w, o)
	if f, ok := w.(*os.File); ok && f != os.Stdout {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("recorded %d quotes", st.Quotes)
	if st.Quotes > 0 {
		msg += fmt.Sprintf(" (last: stream sequence %d, stored %s)", st.LastSeq, st.LastTime.UTC().Format(time.RFC3339Nano))
	}
	if st.Skipped > 0 {
		msg += fmt.Sprintf(", skipped %d messages that are not quotes", st.Skipped)
	}
	fmt.Fprintln(stderr, msg)
	return nil
}

// readBase reads the market snapshot the synthetic feed and history start
// from, the embedded sample by default.
func readBase(path string) (*market.Snapshot, error) {
	if path == "" {
		return input.ParseMarket(examples.MarketFile, examples.Market)
	}
	return input.ReadMarket(path)
}

// connectNATS connects to an external server with the shared NATS flags,
// reconnecting forever and logging connection events.
func connectNATS(natsURL string, nf *natsFlags, name string, log *slog.Logger) (*nats.Conn, error) {
	url, opts, err := nf.options(natsURL)
	if err != nil {
		return nil, err
	}
	opts = longLived(name, log, opts)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", url, err)
	}
	return nc, nil
}
