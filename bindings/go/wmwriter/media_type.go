package wmwriter

// #include <stdlib.h>
// #include <string.h>
// #include "wmwriter.h"
import "C"

import (
	"encoding/binary"
	"math"
	"time"
	"unsafe"
)

// MediaType is a WM_MEDIA_TYPE with its format block in Go memory: what a stream
// carries (StreamConfig) or what an input accepts (InputMediaProps).
type MediaType struct {
	// MajorType is a WMMEDIATYPE_* GUID.
	MajorType GUID
	// Subtype is a WMMEDIASUBTYPE_* GUID.
	Subtype GUID
	// FixedSizeSamples: every sample has SampleSize bytes.
	FixedSizeSamples bool
	// TemporalCompression: samples depend on earlier ones (compressed video).
	TemporalCompression bool
	// SampleSize is the block align (audio) or frame size (video) when fixed.
	SampleSize uint32
	// FormatType is a WMFORMAT_* GUID saying what Format holds.
	FormatType GUID
	// Format is the format block: a WAVEFORMATEX (18 bytes + cbSize) or a
	// WMVIDEOINFOHEADER (88 bytes or more).
	Format []byte
}

// PCMMediaType is uncompressed little-endian PCM: channels × bitsPerSample at
// sampleRate (WAVEFORMATEX with wFormatTag 1). It does not check the values; the
// writer does at SetProfile.
func PCMMediaType(channels, sampleRate, bitsPerSample int) MediaType {
	blockAlign := channels * ((bitsPerSample + 7) / 8)
	f := make([]byte, 18)
	binary.LittleEndian.PutUint16(f[0:], 1) // WAVE_FORMAT_PCM
	binary.LittleEndian.PutUint16(f[2:], uint16(channels))
	binary.LittleEndian.PutUint32(f[4:], uint32(sampleRate))
	binary.LittleEndian.PutUint32(f[8:], uint32(sampleRate*blockAlign))
	binary.LittleEndian.PutUint16(f[12:], uint16(blockAlign))
	binary.LittleEndian.PutUint16(f[14:], uint16(bitsPerSample))
	// f[16:18] cbSize = 0
	return MediaType{
		MajorType:        WMMEDIATYPE_Audio,
		Subtype:          WMMEDIASUBTYPE_PCM,
		FixedSizeSamples: true,
		SampleSize:       uint32(blockAlign),
		FormatType:       WMFORMAT_WaveFormatEx,
		Format:           f,
	}
}

// rawVideoLayout is (biCompression, biBitCount) of the uncompressed video subtypes;
// ok is false for others.
func rawVideoLayout(subtype GUID) (compression uint32, bits uint16, ok bool) {
	fcc := func(s string) uint32 { return binary.LittleEndian.Uint32([]byte(s)) }
	switch subtype {
	case WMMEDIASUBTYPE_RGB24:
		return 0, 24, true
	case WMMEDIASUBTYPE_RGB32:
		return 0, 32, true
	case WMMEDIASUBTYPE_RGB555:
		return 0, 16, true
	case WMMEDIASUBTYPE_RGB565:
		return 3, 16, true
	case WMMEDIASUBTYPE_RGB8:
		return 0, 8, true
	case WMMEDIASUBTYPE_I420:
		return fcc("I420"), 12, true
	case WMMEDIASUBTYPE_IYUV:
		return fcc("IYUV"), 12, true
	case WMMEDIASUBTYPE_YV12:
		return fcc("YV12"), 12, true
	case WMMEDIASUBTYPE_YUY2:
		return fcc("YUY2"), 16, true
	case WMMEDIASUBTYPE_UYVY:
		return fcc("UYVY"), 16, true
	case WMMEDIASUBTYPE_YVYU:
		return fcc("YVYU"), 16, true
	case WMMEDIASUBTYPE_P422:
		return fcc("P422"), 16, true
	case WMMEDIASUBTYPE_YVU9:
		return fcc("YVU9"), 9, true
	}
	return 0, 0, false
}

// FrameSize is the size in bytes of one uncompressed frame of subtype (RGB rows padded
// to 4 bytes, planar YUV with half- or quarter-size chroma), or 0 for a subtype that
// is not uncompressed video.
func FrameSize(subtype GUID, width, height int) int {
	compression, bits, ok := rawVideoLayout(subtype)
	if !ok || width <= 0 || height == 0 {
		return 0
	}
	w, h := width, height
	if h < 0 {
		h = -h
	}
	half := func(x int) int { return (x + 1) / 2 }
	switch compression {
	case 0, 3:
		return (w*int(bits) + 31) / 32 * 4 * h
	default:
		switch subtype {
		case WMMEDIASUBTYPE_I420, WMMEDIASUBTYPE_IYUV, WMMEDIASUBTYPE_YV12:
			return w*h + 2*(half(w)*half(h))
		case WMMEDIASUBTYPE_YUY2, WMMEDIASUBTYPE_UYVY, WMMEDIASUBTYPE_YVYU:
			return half(w) * 4 * h
		case WMMEDIASUBTYPE_P422:
			return w*h + 2*(half(w)*h)
		case WMMEDIASUBTYPE_YVU9:
			return w*h + 2*(((w+3)/4)*((h+3)/4))
		}
	}
	return 0
}

// VideoMediaType is uncompressed video of subtype (WMMEDIASUBTYPE_RGB24, _RGB32,
// _I420, _YUY2, ...): a WMVIDEOINFOHEADER for width × height at fps frames per
// second. A positive height is the usual bottom-up RGB; negative means top-down.
func VideoMediaType(subtype GUID, width, height int, fps float64) MediaType {
	compression, bits, ok := rawVideoLayout(subtype)
	if !ok {
		compression, bits = subtype.Data1, 24
	}
	size := FrameSize(subtype, width, height)
	var timePerFrame int64
	if fps > 0 {
		timePerFrame = int64(math.Round(1e7 / fps))
	}
	var bitrate uint64
	if timePerFrame > 0 {
		bitrate = uint64(size) * 8 * 10_000_000 / uint64(timePerFrame)
		if bitrate > math.MaxUint32 {
			bitrate = math.MaxUint32
		}
	}
	absH := height
	if absH < 0 {
		absH = -absH
	}
	f := make([]byte, 88)
	le := binary.LittleEndian
	for i, v := range []int{0, 0, width, absH, 0, 0, width, absH} { // rcSource, rcTarget
		le.PutUint32(f[4*i:], uint32(int32(v)))
	}
	le.PutUint32(f[32:], uint32(bitrate))      // dwBitRate
	le.PutUint32(f[36:], 0)                    // dwBitErrorRate
	le.PutUint64(f[40:], uint64(timePerFrame)) // AvgTimePerFrame (100 ns)
	le.PutUint32(f[48:], 40)                   // biSize
	le.PutUint32(f[52:], uint32(int32(width)))
	le.PutUint32(f[56:], uint32(int32(height)))
	le.PutUint16(f[60:], 1) // biPlanes
	le.PutUint16(f[62:], bits)
	le.PutUint32(f[64:], compression)
	le.PutUint32(f[68:], uint32(size)) // biSizeImage; the rest stays 0
	return MediaType{
		MajorType:        WMMEDIATYPE_Video,
		Subtype:          subtype,
		FixedSizeSamples: true,
		SampleSize:       uint32(size),
		FormatType:       WMFORMAT_VideoInfo,
		Format:           f,
	}
}

// BlockAlign is nBlockAlign of a WAVEFORMATEX format block, or 0 if the media type
// has none.
func (mt *MediaType) BlockAlign() int {
	if mt.FormatType != WMFORMAT_WaveFormatEx || len(mt.Format) < 16 {
		return 0
	}
	return int(binary.LittleEndian.Uint16(mt.Format[12:]))
}

// BytesPerSecond is nAvgBytesPerSec of a WAVEFORMATEX format block, or 0.
func (mt *MediaType) BytesPerSecond() int {
	if mt.FormatType != WMFORMAT_WaveFormatEx || len(mt.Format) < 16 {
		return 0
	}
	return int(binary.LittleEndian.Uint32(mt.Format[8:]))
}

// TimePerFrame is AvgTimePerFrame of a WMVIDEOINFOHEADER format block, or 0.
func (mt *MediaType) TimePerFrame() time.Duration {
	if mt.FormatType != WMFORMAT_VideoInfo || len(mt.Format) < 48 {
		return 0
	}
	return time.Duration(int64(binary.LittleEndian.Uint64(mt.Format[40:]))) * 100
}

// toC makes a C WM_MEDIA_TYPE with the format block right after it in one malloc'd
// block (the struct may not point into Go memory); free it with C.free.
func (mt *MediaType) toC() *C.WM_MEDIA_TYPE {
	size := C.size_t(unsafe.Sizeof(C.WM_MEDIA_TYPE{})) + C.size_t(len(mt.Format))
	p := (*C.WM_MEDIA_TYPE)(C.calloc(1, size))
	if p == nil {
		panic("wmwriter: out of memory")
	}
	p.majortype = cGUID(mt.MajorType)
	p.subtype = cGUID(mt.Subtype)
	p.bFixedSizeSamples = cBool(mt.FixedSizeSamples)
	p.bTemporalCompression = cBool(mt.TemporalCompression)
	p.lSampleSize = C.uint32_t(mt.SampleSize)
	p.formattype = cGUID(mt.FormatType)
	p.cbFormat = C.uint32_t(len(mt.Format))
	if len(mt.Format) > 0 {
		p.pbFormat = (*C.uint8_t)(unsafe.Add(unsafe.Pointer(p), unsafe.Sizeof(C.WM_MEDIA_TYPE{})))
		C.memcpy(unsafe.Pointer(p.pbFormat), unsafe.Pointer(&mt.Format[0]), C.size_t(len(mt.Format)))
	}
	return p
}

// goMediaType copies a C media type and its format block.
func goMediaType(p *C.WM_MEDIA_TYPE) *MediaType {
	mt := &MediaType{
		MajorType:           goGUID(&p.majortype),
		Subtype:             goGUID(&p.subtype),
		FixedSizeSamples:    p.bFixedSizeSamples != 0,
		TemporalCompression: p.bTemporalCompression != 0,
		SampleSize:          uint32(p.lSampleSize),
		FormatType:          goGUID(&p.formattype),
	}
	if p.cbFormat > 0 && p.pbFormat != nil {
		mt.Format = C.GoBytes(unsafe.Pointer(p.pbFormat), C.int(p.cbFormat))
	}
	return mt
}

// readMediaType runs the media-type size-query protocol of get (StreamConfig,
// InputMediaProps): the struct and its format block land in one C allocation.
func readMediaType(op string, get func(mt *C.WM_MEDIA_TYPE, size *C.uint32_t) C.HRESULT) (*MediaType, error) {
	for tries := 0; ; tries++ {
		var size C.uint32_t
		if err := check(op, func() C.HRESULT { return get(nil, &size) }); err != nil {
			return nil, err
		}
		if size < C.uint32_t(unsafe.Sizeof(C.WM_MEDIA_TYPE{})) {
			size = C.uint32_t(unsafe.Sizeof(C.WM_MEDIA_TYPE{}))
		}
		p := (*C.WM_MEDIA_TYPE)(C.calloc(1, C.size_t(size)))
		if p == nil {
			return nil, &Error{HResult: E_OUTOFMEMORY, Name: "E_OUTOFMEMORY", Op: op, Message: "no memory for the media type", local: true}
		}
		n := size
		err := check(op, func() C.HRESULT { return get(p, &n) })
		if err != nil {
			C.free(unsafe.Pointer(p))
			if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
				continue
			}
			return nil, err
		}
		mt := goMediaType(p)
		C.free(unsafe.Pointer(p))
		return mt, nil
	}
}

func cBool(b bool) C.int32_t {
	if b {
		return 1
	}
	return 0
}
