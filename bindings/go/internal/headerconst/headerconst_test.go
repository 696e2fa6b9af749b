package headerconst

import (
	"strings"
	"testing"
)

const sample = `/*
 * banner
 */
#ifndef WMWRITER_H
#define WMWRITER_H

/*
 Largest format block.
 */
#define WM_MAX_FORMAT_SIZE (1 << 20)

/*
 Other.
 */
#define WMT_CODECINFO_UNKNOWN 4294967295

/*
 Success.
 */
#define S_OK 0

/*
 The call is not valid in the object's current state.
 Second line.
 */
#define NS_E_INVALID_REQUEST (int32_t)3222077483u

#define NOT_A_NUMBER some_macro(x)

/*
 Major type: audio ('auds').
 */
extern const WMGuid WMMEDIATYPE_Audio;

extern const WMGuid WMFORMAT_WaveFormatEx;
#endif
`

func TestParse(t *testing.T) {
	h, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []Define{
		{Name: "WM_MAX_FORMAT_SIZE", Value: 1 << 20},
		{Name: "WMT_CODECINFO_UNKNOWN", Value: 4294967295},
		{Name: "S_OK", Value: 0, HResult: true},
		{Name: "NS_E_INVALID_REQUEST", Value: -1072889813, HResult: true},
	}
	if len(h.Defines) != len(want) {
		t.Fatalf("defines %+v", h.Defines)
	}
	for i, d := range want {
		got := h.Defines[i]
		if got.Name != d.Name || got.Value != d.Value || got.HResult != d.HResult {
			t.Errorf("define %d = %+v; want %+v", i, got, d)
		}
	}
	if doc := strings.Join(h.Defines[3].Doc, " "); doc != "The call is not valid in the object's current state. Second line." {
		t.Errorf("doc %q", doc)
	}
	if len(h.GUIDs) != 2 || h.GUIDs[0].Name != "WMMEDIATYPE_Audio" || h.GUIDs[0].Doc[0] != "Major type: audio ('auds')." || h.GUIDs[1].Doc != nil {
		t.Errorf("guids %+v", h.GUIDs)
	}
	zconst, zguid, err := h.Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"NS_E_INVALID_REQUEST = -1072889813", "WMT_CODECINFO_UNKNOWN = 4294967295", `{"S_OK", S_OK}`} {
		if !strings.Contains(string(zconst), s) {
			t.Errorf("zconst.go lacks %q", s)
		}
	}
	if !strings.Contains(string(zguid), "WMMEDIATYPE_Audio = goGUID(&C.WMMEDIATYPE_Audio)") {
		t.Errorf("zguid.go:\n%s", zguid)
	}
	if _, err := Parse([]byte("int x;\n")); err == nil {
		t.Error("Parse of a header without constants succeeded")
	}
}
