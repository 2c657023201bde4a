//go:build !purego

package sim

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// hasAVX2 selects polyDotsAVX2: the Taylor exponents of the classes are
// dot products of 20 terms, four of them a vector, at every weekly step
// of every path.
var hasAVX2 = cpu.X86.HasAVX2

// polyDotsAVX2's assembly knows where c and v0 sit in a poly.
const _ = uint(unsafe.Sizeof(poly{})-216) + uint(216-unsafe.Sizeof(poly{})) +
	uint(unsafe.Offsetof(poly{}.v0)-200) + uint(200-unsafe.Offsetof(poly{}.v0))

//go:noescape
func polyDotsAVX2(row []poly, mon *[numMon]float64, out []float64)
