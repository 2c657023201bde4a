package streams

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/vmihailenco/msgpack/v5"
)

// ErrDecode is wrapped by every decoding error: the message is malformed and
// retrying it will not help.
var ErrDecode = errors.New("streams: cannot decode message")

// MaxMessageBytes bounds what Decode accepts: more than any NATS message
// (1 MiB by default, 64 MiB at most) that hedgeflow sends; large path
// values travel through the object store and Floats, not Decode.
const MaxMessageBytes = 8 << 20

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
	// msgpack v5.4.1 allocates a slice of the length an array header
	// declares before reading its elements (its allocation limit is never
	// applied: decode_slice.go tests the flag with "!= 1"), so 245 bytes
	// declaring 3.4 billion elements exhaust memory, which no recover
	// catches. Walking the message first proves that every declared
	// element is present, which bounds every allocation by the message's
	// size.
	dec := msgpack.NewDecoder(bytes.NewReader(data))
	if err := dec.Skip(); err != nil {
		return fmt.Errorf("%w: %v", ErrDecode, err)
	}
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

// PutFloat32s appends xs, rounded to float32, as little-endian float32s.
func PutFloat32s(b []byte, xs []float64) []byte {
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(x)))
	}
	return b
}

// Float32s decodes little-endian float32s from b into dst (resized).
func Float32s(dst []float32, b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return dst, fmt.Errorf("%w: %d bytes is not a whole number of float32s", ErrDecode, len(b))
	}
	n := len(b) / 4
	if cap(dst) < n {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return dst, nil
}

// PutBlob stores data in the object store under name, in chunks that fit
// under the connection's max payload (the object store's default chunk,
// 128 KiB, would not pass a server configured below it).
func PutBlob(ctx context.Context, h *Handles, name string, data []byte) error {
	chunk := uint32(128 << 10)
	if mp := h.JS.Conn().MaxPayload(); mp > 0 && mp-4<<10 < int64(chunk) {
		chunk = uint32(max(mp-4<<10, 1<<10))
	}
	_, err := h.Blobs.Put(ctx, jetstream.ObjectMeta{Name: name, Opts: &jetstream.ObjectMetaOptions{ChunkSize: chunk}}, bytes.NewReader(data))
	return err
}
