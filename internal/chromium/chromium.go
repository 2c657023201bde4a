// Package chromium finds the headless browser the page tests drive
// (report.html, the serve dashboard).
package chromium

import (
	"os"
	"os/exec"
	"testing"
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
