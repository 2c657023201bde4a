//go:build race

package serve

// raceEnabled: the race detector slows the optimiser about twentyfold.
const raceEnabled = true
