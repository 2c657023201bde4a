// Package chromium finds the headless browser the page tests drive
// (report.html, the serve dashboard).
package chromium

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// Path returns the path of Debian's chromium. The test is skipped when it
// is not installed, unless CI is set (.ci/run installs it), where that
// fails.
func Path(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed and CI is set: .ci/run installs it with apt-get install chromium")
	}
	t.Skip("chromium is not installed (apt-get install chromium); skipping the browser test")
	return ""
}

// Profile returns a new directory for chromium's --user-data-dir, removed
// when the test ends. Chromium's helper processes can still be writing to
// it for a moment after the browser process has gone, which made
// t.TempDir's own cleanup fail ("directory not empty"); the removal here
// retries for two seconds and then only logs.
func Profile(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "hedgeflow-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; ; i++ {
			err := os.RemoveAll(dir)
			if err == nil {
				return
			}
			if i == 20 {
				t.Logf("chromium profile %s not removed: %v", dir, err)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return dir
}
