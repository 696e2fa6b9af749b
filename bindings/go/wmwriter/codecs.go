package wmwriter

// System profiles (IWMProfileManager) and codec enumeration (IWMCodecInfo, 2, 3).

// #include <stdlib.h>
// #include "wmwriter.h"
import "C"

import (
	"runtime"
	"strings"
	"unsafe"
)

// Codec enumeration property and setting names (the SDK's g_wsz* constants).
const (
	VBREnabled     = "_VBRENABLED"     // BOOL: enumerate VBR formats (setting), is VBR (format prop)
	NumPasses      = "_PASSESUSED"     // DWORD: 1 or 2 passes (setting, format prop)
	VBRQuality     = "_VBRQUALITY"     // DWORD: quality of a VBR format (format prop)
	IsVBRSupported = "_ISVBRSUPPORTED" // BOOL: codec prop
)

// SystemProfile is one system profile as the manager enumerates it.
type SystemProfile struct {
	Identifier  string // WMProfile_V80_256Video
	ID          GUID
	Version     uint32 // WMT_VER_*
	Index       int    // in its version's enumeration
	Name        string
	Description string
	StreamCount int
}

// SystemProfileIDs maps every system-profile identifier (WMProfile_V80_256Video, ...)
// to its GUID.
func SystemProfileIDs() map[string]GUID {
	out := map[string]GUID{}
	for _, g := range guidList {
		if strings.HasPrefix(g.name, "WMProfile_") {
			out[g.name] = *g.value
		}
	}
	return out
}

// SystemProfileID is the GUID of a system profile named "V80_256Video" or
// "WMProfile_V80_256Video" (any case); ok is false for an unknown name.
func SystemProfileID(name string) (GUID, bool) {
	want := strings.ToLower(strings.TrimSpace(name))
	for ident, g := range SystemProfileIDs() {
		l := strings.ToLower(ident)
		if want == l || want == strings.TrimPrefix(l, "wmprofile_") {
			return g, true
		}
	}
	return GUID{}, false
}

// LoadSystemProfileByName loads a system profile by identifier (LoadProfileByID).
func (m *ProfileManager) LoadSystemProfileByName(name string) (*Profile, error) {
	g, ok := SystemProfileID(name)
	if !ok {
		return nil, invalidArg("wm_profile_manager_load_profile_by_id", "no system profile is named "+name)
	}
	return m.LoadProfileByID(g)
}

// SystemProfiles lists the system profiles of version (WMT_VER_4_0, 7_0, 8_0; 9_0 has
// none) in enumeration order. The manager's system-profile version is restored.
func (m *ProfileManager) SystemProfiles(version uint32) ([]SystemProfile, error) {
	old, err := m.SystemProfileVersion()
	if err != nil {
		return nil, err
	}
	defer func() { _ = m.SetSystemProfileVersion(old) }()
	if err := m.SetSystemProfileVersion(version); err != nil {
		return nil, err
	}
	n, err := m.SystemProfileCount()
	if err != nil {
		return nil, err
	}
	names := map[GUID]string{}
	for k, v := range SystemProfileIDs() {
		names[v] = k
	}
	var out []SystemProfile
	for i := 0; i < n; i++ {
		p, err := m.LoadSystemProfile(i)
		if err != nil {
			return nil, err
		}
		sp := SystemProfile{Index: i}
		sp.ID, err = p.ProfileID()
		if err == nil {
			sp.Version, err = p.Version()
		}
		if err == nil {
			sp.Name, err = p.Name()
		}
		if err == nil {
			sp.Description, err = p.Description()
		}
		if err == nil {
			sp.StreamCount, err = p.StreamCount()
		}
		p.Close()
		if err != nil {
			return nil, err
		}
		sp.Identifier = names[sp.ID]
		out = append(out, sp)
	}
	return out, nil
}

// CodecInfoCount is the number of codecs of major (WMMEDIATYPE_Audio or _Video) that
// can encode here (IWMCodecInfo::GetCodecInfoCount).
func (m *ProfileManager) CodecInfoCount(major GUID) (int, error) {
	var n C.uint32_t
	g := cGUID(major)
	err := m.h.call("wm_profile_manager_get_codec_info_count", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_get_codec_info_count(p, &g, &n)
	})
	runtime.KeepAlive(m)
	return int(n), err
}

// CodecFormatCount is the number of formats of codec index under the current
// enumeration settings (IWMCodecInfo::GetCodecFormatCount).
func (m *ProfileManager) CodecFormatCount(major GUID, codec int) (int, error) {
	var n C.uint32_t
	g := cGUID(major)
	err := m.h.call("wm_profile_manager_get_codec_format_count", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_get_codec_format_count(p, &g, C.uint32_t(codec), &n)
	})
	runtime.KeepAlive(m)
	return int(n), err
}

// CodecFormat is format index of a codec as a new stream config ready for
// Profile.AddStream (IWMCodecInfo::GetCodecFormat).
func (m *ProfileManager) CodecFormat(major GUID, codec, format int) (*StreamConfig, error) {
	var out *C.WMStreamConfig
	g := cGUID(major)
	err := m.h.call("wm_profile_manager_get_codec_format", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_get_codec_format(p, &g, C.uint32_t(codec), C.uint32_t(format), &out)
	})
	runtime.KeepAlive(m)
	if err != nil {
		return nil, err
	}
	return newStreamConfig(out), nil
}

// CodecName is a codec's name, e.g. "Windows Media Audio 8" (IWMCodecInfo2::GetCodecName).
func (m *ProfileManager) CodecName(major GUID, codec int) (string, error) {
	var b []byte
	g := cGUID(major)
	err := m.h.with("wm_profile_manager_get_codec_name", func(p *C.WMProfileManager) (err error) {
		b, err = sizeQuery("wm_profile_manager_get_codec_name", func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_profile_manager_get_codec_name(p, &g, C.uint32_t(codec), (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(m)
	return cStringBytes(b), err
}

// CodecFormatDesc is a format's description, e.g. "64 kbps, 44 kHz, stereo 1-pass CBR"
// (IWMCodecInfo2::GetCodecFormatDesc).
func (m *ProfileManager) CodecFormatDesc(major GUID, codec, format int) (string, error) {
	var b []byte
	g := cGUID(major)
	err := m.h.with("wm_profile_manager_get_codec_format_desc", func(p *C.WMProfileManager) (err error) {
		b, err = sizeQuery("wm_profile_manager_get_codec_format_desc", func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_profile_manager_get_codec_format_desc(p, &g, C.uint32_t(codec), C.uint32_t(format), nil, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(m)
	return cStringBytes(b), err
}

func (m *ProfileManager) readProp(op, name string, f func(p *C.WMProfileManager, cname *C.char, t *C.uint32_t, v *C.uint8_t, n *C.uint32_t) C.HRESULT) (uint32, uint32, error) {
	cname, err := cString(op, "name", name)
	if err != nil {
		return 0, 0, err
	}
	defer C.free(unsafe.Pointer(cname))
	var t C.uint32_t
	var v [4]C.uint8_t
	n := C.uint32_t(4)
	err = m.h.call(op, func(p *C.WMProfileManager) C.HRESULT { return f(p, cname, &t, &v[0], &n) })
	runtime.KeepAlive(m)
	return uint32(t), uint32(v[0]) | uint32(v[1])<<8 | uint32(v[2])<<16 | uint32(v[3])<<24, err
}

// CodecProp is a codec property (IWMCodecInfo3::GetCodecProp): its WMT_TYPE_* and value.
func (m *ProfileManager) CodecProp(major GUID, codec int, name string) (uint32, uint32, error) {
	g := cGUID(major)
	return m.readProp("wm_profile_manager_get_codec_prop", name, func(p *C.WMProfileManager, cn *C.char, t *C.uint32_t, v *C.uint8_t, n *C.uint32_t) C.HRESULT {
		return C.wm_profile_manager_get_codec_prop(p, &g, C.uint32_t(codec), cn, t, v, n)
	})
}

// CodecFormatProp is a format property (IWMCodecInfo3::GetCodecFormatProp).
func (m *ProfileManager) CodecFormatProp(major GUID, codec, format int, name string) (uint32, uint32, error) {
	g := cGUID(major)
	return m.readProp("wm_profile_manager_get_codec_format_prop", name, func(p *C.WMProfileManager, cn *C.char, t *C.uint32_t, v *C.uint8_t, n *C.uint32_t) C.HRESULT {
		return C.wm_profile_manager_get_codec_format_prop(p, &g, C.uint32_t(codec), C.uint32_t(format), cn, t, v, n)
	})
}

// CodecEnumerationSetting reads an enumeration setting (IWMCodecInfo3::GetCodecEnumerationSetting).
func (m *ProfileManager) CodecEnumerationSetting(major GUID, codec int, name string) (uint32, uint32, error) {
	g := cGUID(major)
	return m.readProp("wm_profile_manager_get_codec_enumeration_setting", name, func(p *C.WMProfileManager, cn *C.char, t *C.uint32_t, v *C.uint8_t, n *C.uint32_t) C.HRESULT {
		return C.wm_profile_manager_get_codec_enumeration_setting(p, &g, C.uint32_t(codec), cn, t, v, n)
	})
}

// SetCodecEnumerationSetting sets VBREnabled (dataType WMT_TYPE_BOOL = 3) or NumPasses
// (WMT_TYPE_DWORD = 0) for a codec (IWMCodecInfo3::SetCodecEnumerationSetting).
func (m *ProfileManager) SetCodecEnumerationSetting(major GUID, codec int, name string, dataType, value uint32) error {
	const op = "wm_profile_manager_set_codec_enumeration_setting"
	cname, err := cString(op, "name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cname))
	g := cGUID(major)
	v := [4]C.uint8_t{C.uint8_t(value), C.uint8_t(value >> 8), C.uint8_t(value >> 16), C.uint8_t(value >> 24)}
	err = m.h.call(op, func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_set_codec_enumeration_setting(p, &g, C.uint32_t(codec), cname, C.uint32_t(dataType), &v[0], 4)
	})
	runtime.KeepAlive(m)
	return err
}

// UserLanguageID is the LANGID for localized system-profile names
// (IWMProfileManagerLanguage::GetUserLanguageID); 0x409 by default.
func (m *ProfileManager) UserLanguageID() (uint16, error) {
	var v C.uint16_t
	err := m.h.call("wm_profile_manager_get_user_language_id", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_get_user_language_id(p, &v)
	})
	runtime.KeepAlive(m)
	return uint16(v), err
}

// SetUserLanguageID sets it (IWMProfileManagerLanguage::SetUserLanguageID).
func (m *ProfileManager) SetUserLanguageID(lang uint16) error {
	err := m.h.call("wm_profile_manager_set_user_language_id", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_set_user_language_id(p, C.uint16_t(lang))
	})
	runtime.KeepAlive(m)
	return err
}
