package wmwriter

import "fmt"

// GUID is laid out like the Windows GUID (and the header's WMGuid). The header's GUIDs
// are package variables with their SDK names, e.g. WMMEDIATYPE_Audio,
// WMMEDIASUBTYPE_PCM, WMFORMAT_WaveFormatEx.
type GUID struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}

// String formats the GUID in registry form, e.g. "{73647561-0000-0010-8000-00AA00389B71}".
func (g GUID) String() string {
	return fmt.Sprintf("{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", g.Data1, g.Data2, g.Data3,
		g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7])
}

// Name is the header's name for the GUID ("WMMEDIASUBTYPE_PCM"), or "" if it has none.
// Where several names share a value (WMMEDIASUBTYPE_WMAudioV2/V7/V8) the first is given.
func (g GUID) Name() string {
	for _, e := range guidList {
		if *e.value == g {
			return e.name
		}
	}
	return ""
}

// IsZero reports whether every byte is zero (GUID_NULL).
func (g GUID) IsZero() bool { return g == GUID{} }
