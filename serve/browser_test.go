package serve

import (
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/internal/chromium"
	"github.com/hedgeflow/hedgeflow/report"
	"github.com/hedgeflow/hedgeflow/streams"
)

// The dashboard in headless Chromium, driving the real page: it renders
// with the market state and the runs; when a run completes its report's
// charts appear, and when a recommendation is published on
// hedge.recommendation the page shows it, and then the next one with what
// changed and why, all without a reload. Screenshots go to artifacts/
// (git-ignored) for a person to look at.
func TestDashboardInChromium(t *testing.T) {
	chromium.Path(t) // skip early when there is no browser
	srv, nc := natsServer(t, t.TempDir())
	defer srv.Shutdown()
	defer nc.Close()
	const token = "dashboard-token-0123456789"
	s := startServe(t, Config{Conn: nc, HTTPAddr: "127.0.0.1:0", Token: token})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	// A market state of a few quotes.
	_, kv, err := streams.EnsureMarket(ctx, s.js, 0)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 3, 3, 14, 30, 0, 0, time.UTC)
	for _, q := range []streams.Quote{
		{Time: t0, Kind: streams.KindFXSpot, Key: "EUR", Value: 1.0412},
		{Time: t0, Kind: streams.KindFXVol, Key: "EUR", Value: 0.081},
		{Time: t0, Kind: streams.KindCreditIndex, Key: "CDX_IG", Value: 52.5},
	} {
		if err := streams.PublishQuote(ctx, s.js, kv, &q); err != nil {
			t.Fatal(err)
		}
	}

	page := openPage(t, "http://"+s.HTTPAddr()+"/?token="+token, 1280, 2000)
	page.waitFor("the event stream is live", 20*time.Second, func() bool { return page.text("live") == "live" })
	cell := func(key string) string {
		var v string
		_ = json.Unmarshal(page.eval(`(document.querySelector('#market td[data-key="`+key+`"]') || {}).textContent || ""`), &v)
		return v
	}
	if got := cell("fx.spot.EUR"); got != "1.0412" {
		t.Errorf("EUR spot cell %q, want 1.0412", got)
	}
	if got := cell("fx.vol.EUR"); got != "8.10%" {
		t.Errorf("EUR vol cell %q, want 8.10%%", got)
	}
	if !strings.Contains(page.text("recommendation"), "No recommendation yet") {
		t.Errorf("recommendation section before any: %q", page.text("recommendation"))
	}
	if !strings.Contains(page.text("charts"), "No report yet") {
		t.Errorf("charts section before any report: %q", page.text("charts"))
	}

	// A market move shows without a reload.
	q := streams.Quote{Time: t0.Add(time.Minute), Kind: streams.KindFXVol, Key: "EUR", Value: 0.095}
	if err := streams.PublishQuote(ctx, s.js, kv, &q); err != nil {
		t.Fatal(err)
	}
	page.waitFor("the EUR vol move shows", 10*time.Second, func() bool { return cell("fx.vol.EUR") == "9.50%" })

	// A hedged run: it appears in the runs, and its charts when it is done.
	data, code, desc := ask(t, nc, RunSubject, `{"scenarios":12,"paths":40,"wait":false}`, 5*time.Second)
	var acc Accepted
	if err := json.Unmarshal(data, &acc); err != nil || code != "" {
		t.Fatalf("hedge.run: %s %s %s", data, code, desc)
	}
	page.waitFor("the run shows in the runs", 10*time.Second, func() bool { return strings.Contains(page.text("runs"), acc.RunID) })
	hedged := time.Minute
	if raceEnabled {
		hedged = 10 * time.Minute
	}
	waitStatus(t, nc, acc.RunID, statusComplete, hedged)
	var nSVG, nFig int
	page.waitFor("the report's charts show", 15*time.Second, func() bool {
		var n [2]int
		_ = json.Unmarshal(page.eval(`[document.querySelectorAll('#charts svg.chart').length, document.querySelectorAll('#charts figure').length]`), &n)
		nSVG, nFig = n[0], n[1]
		return nFig > 0
	})
	rep, code, _ := ask(t, nc, ReportSubject, acc.RunID, 10*time.Second)
	if code != "" {
		t.Fatalf("report: %s", code)
	}
	// The charts the stored report makes, against those on the page.
	var r report.Report
	if err := json.Unmarshal(rep, &r); err != nil {
		t.Fatal(err)
	}
	charts := r.Charts()
	withSVG := 0
	for _, c := range charts {
		if c.SVG != "" {
			withSVG++
		}
	}
	if nFig != len(charts) || nSVG != withSVG || withSVG < 4 {
		t.Errorf("the page shows %d figures with %d SVG charts; the report has %d charts, %d with data", nFig, nSVG, len(charts), withSVG)
	}
	if !strings.Contains(page.text("charts"), acc.RunID) {
		t.Error("the charts section does not name the run")
	}

	art := artifacts(t)
	page.screenshot(filepath.Join(art, "dashboard-before.png"))

	// A recommendation published on hedge.recommendation shows at once.
	rec := &streams.Recommendation{Seq: 41, Time: time.Now().UTC(), MarketTime: t0, BaseRunID: acc.RunID, Mode: "run",
		Lines:   []streams.RecommendedLine{{ID: "fx_forward_EUR", AssetClass: "fx", Instrument: "fx_forward", NotionalUSD: -1.2e9, CostBps: 0.2}},
		CostBps: 18.5, CVaR95: 6.9e9, UnhedgedCVaR95: 8.4e9, FundingVol: 0.142, UnhedgedFRVol: 0.149,
		Why: "First recommendation on this market.", LatencySeconds: 0.8}
	if err := streams.PublishRecommendation(ctx, s.h, rec); err != nil {
		t.Fatal(err)
	}
	page.waitFor("recommendation 41 shows", 10*time.Second, func() bool { return page.text("rec-seq") == "41" })
	if got := page.text("rec-why"); got != rec.Why {
		t.Errorf("why: %q", got)
	}
	// The next one, after a move: what moved, what changed and why.
	next := *rec
	next.Seq, next.Mode = 42, "reprice"
	next.Moves = []streams.MarketMove{{Quantity: "fx.vol.EUR", From: 8.1, To: 9.5, Threshold: 0.5, Unit: "vol points"}}
	next.Lines = []streams.RecommendedLine{{ID: "fx_forward_EUR", AssetClass: "fx", Instrument: "fx_forward", NotionalUSD: -1.5e9, CostBps: 0.25},
		{ID: "fx_put_EUR_95", AssetClass: "fx", Instrument: "fx_put", NotionalUSD: 4e8, CostBps: 1.1}}
	next.Changes = []streams.LineChange{{ID: "fx_forward_EUR", Change: "resized", From: -1.2e9, To: -1.5e9}, {ID: "fx_put_EUR_95", Change: "added", To: 4e8}}
	next.Why = "EUR implied vol rose 1.4 points past its 0.5-point threshold: the EUR forward grows and an EUR put is added."
	if err := streams.PublishRecommendation(ctx, s.h, &next); err != nil {
		t.Fatal(err)
	}
	page.waitFor("recommendation 42 shows", 10*time.Second, func() bool { return page.text("rec-seq") == "42" })
	for id, want := range map[string]string{"rec-why": next.Why, "rec-mode": "reprice", "rec-changes": "fx_put_EUR_95added", "rec-moves": "fx.vol.EUR"} {
		if got := page.text(id); !strings.Contains(got, want) {
			t.Errorf("#%s = %q, want it to contain %q", id, got, want)
		}
	}
	var reloaded bool
	_ = json.Unmarshal(page.eval(`performance.getEntriesByType("navigation").length != 1`), &reloaded)
	if reloaded {
		t.Error("the page was reloaded; it should update in place")
	}
	shot := filepath.Join(art, "dashboard.png")
	page.screenshot(shot)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	colours := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|bl>>8] = true
		}
	}
	if b.Dx() != 1280 || len(colours) < 50 {
		t.Errorf("screenshot %s: %dx%d with %d colours: blank or wrong size", shot, b.Dx(), b.Dy(), len(colours))
	}
	t.Logf("screenshots: %s and dashboard-before.png", shot)
}

// artifacts returns the repository's git-ignored artifacts folder.
func artifacts(t *testing.T) string {
	t.Helper()
	art, err := filepath.Abs(filepath.Join("..", "artifacts"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	return art
}
