//go:build !purego

package sim

// zigBlocksAVX2 is zigBlocksGo with the four lanes of each block in one
// vector (zig_amd64.s): the same state, draws, raw bits and misses, bit
// for bit. kw is zigKW.
//
// zig_amd64.s does zigBuf/4 = 64 blocks and masks the layer to 8 bits.
const _ = uint(zigBuf-256) + uint(256-zigBuf) + uint(zigN-256) + uint(256-zigN)

//go:noescape
func zigBlocksAVX2(s *[4][4]uint64, out *[zigBuf]float64, raw *[zigBuf]uint64, rej *[zigBuf / 4]uint8, kw *[zigN]uint64)
