package streams

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/vmihailenco/msgpack/v5"
)

// ErrDecode is wrapped by every decoding error: the message is malformed and
// retrying it will not help.
var ErrDecode = errors.New("streams: cannot decode message")

// MaxMessageBytes bounds what Decode accepts.
const MaxMessageBytes = 64 << 20

// Encode marshals v with msgpack.
func Encode(v any) ([]byte, error) {
	return msgpack.Marshal(v)
}

// Decode unmarshals msgpack data into v; any failure wraps ErrDecode.
func Decode(data []byte, v any) (err error) {
	if len(data) > MaxMessageBytes {
		return fmt.Errorf("%w: %d bytes, more than %d", ErrDecode, len(data), MaxMessageBytes)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrDecode, r)
		}
	}()
	if err := msgpack.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %v", ErrDecode, err)
	}
	return nil
}

// PutFloats appends xs as little-endian float64s to b: the fastest portable
// form for large vectors.
func PutFloats(b []byte, xs []float64) []byte {
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

// Floats decodes little-endian float64s from b into dst (resized).
func Floats(dst []float64, b []byte) ([]float64, error) {
	if len(b)%8 != 0 {
		return dst, fmt.Errorf("%w: %d bytes is not a whole number of float64s", ErrDecode, len(b))
	}
	n := len(b) / 8
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	for i := range dst {
		dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return dst, nil
}
