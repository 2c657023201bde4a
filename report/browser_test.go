package report_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hedgeflow/hedgeflow/internal/chromium"
)

// headless runs chromium headless on the page with extra arguments and
// returns its stdout.
func headless(t *testing.T, bin, page string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + chromium.Profile(t)}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+page)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// The page of a small run renders in Chromium with every chart and all of
// its marks in the DOM; screenshots go to artifacts/ (git-ignored) for a
// person to look at.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium.Path(t)
	r := small(t)
	dir := t.TempDir()
	if _, err := r.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	pagePath := filepath.Join(dir, "report.html")
	src, err := os.ReadFile(pagePath)
	if err != nil {
		t.Fatal(err)
	}
	want := charts(t, src)
	if len(want) != 5 {
		t.Fatalf("page has %d charts, want 5", len(want))
	}

	dom := headless(t, bin, pagePath, "--dump-dom")
	got := charts(t, dom)
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("chart %s is not in the rendered DOM", id)
			continue
		}
		for class, n := range w.count {
			if g.count[class] != n {
				t.Errorf("chart %s: %d %q marks in the DOM, %d in the page", id, g.count[class], class, n)
			}
		}
	}
	if !bytes.Contains(dom, []byte(`id="programme-table"`)) || !bytes.Contains(dom, []byte(`id="roadmap-table"`)) {
		t.Error("rendered DOM lacks the programme or roadmap table")
	}

	art, err := filepath.Abs(filepath.Join("..", "artifacts"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		file string
		h    int
	}{{"report.png", 4000}, {"report-full.png", 9000}} {
		shot := filepath.Join(art, s.file)
		os.Remove(shot)
		headless(t, bin, pagePath, "--hide-scrollbars", "--screenshot="+shot, "--window-size=1280,"+strconv.Itoa(s.h))
		f, err := os.Open(shot)
		if err != nil {
			t.Fatalf("no screenshot: %v", err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("screenshot %s: %v", shot, err)
		}
		if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != s.h {
			t.Errorf("screenshot %s is %dx%d, want 1280x%d", shot, b.Dx(), b.Dy(), s.h)
		}
		// Not blank: the first 4000 pixel rows hold text and charts, so many
		// distinct colours.
		colours := map[uint32]bool{}
		for y := 0; y < min(img.Bounds().Dy(), 4000); y += 7 {
			for x := 0; x < 1280; x += 7 {
				r, g, b, _ := img.At(x, y).RGBA()
				colours[r>>8<<16|g>>8<<8|b>>8] = true
			}
		}
		if len(colours) < 50 {
			t.Errorf("screenshot %s looks blank: %d colours", shot, len(colours))
		}
		t.Logf("screenshot: %s", shot)
	}

	// Printed to PDF with the print stylesheet: an A4 document of several
	// pages, kept beside the screenshots with the page itself.
	pdf := filepath.Join(art, "report.pdf")
	os.Remove(pdf)
	headless(t, bin, pagePath, "--no-pdf-header-footer", "--print-to-pdf="+pdf)
	b, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatalf("no PDF: %v", err)
	}
	pages := len(pdfPageRE.FindAll(b, -1))
	if !bytes.HasPrefix(b, []byte("%PDF-")) || pages < 3 {
		t.Errorf("PDF %s: %d pages (want several), header %q", pdf, pages, b[:min(len(b), 8)])
	}
	if err := os.WriteFile(filepath.Join(art, "report.html"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("PDF: %s (%d pages)", pdf, pages)
}

var pdfPageRE = regexp.MustCompile(`/Type\s*/Page[^s]`)
