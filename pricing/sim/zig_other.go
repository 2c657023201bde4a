//go:build !amd64 || purego

package sim

func zigBlocksAVX2(*[4][4]uint64, *[zigBuf]float64, *[zigBuf]uint64, *[zigBuf / 4]uint8, *[zigN]uint64) {
	panic("sim: zigBlocksAVX2 without AVX2")
}
