package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
import "C"

import (
	"fmt"
	"runtime"
	"time"
	"unsafe"
)

// ProfileManager makes profiles (IWMProfileManager, WMProfileManager).
//
// It holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Methods are safe for concurrent use, and fail with ErrClosed after Close.
type ProfileManager struct {
	h ref[*C.WMProfileManager]
}

func newProfileManager(p *C.WMProfileManager) *ProfileManager {
	m := &ProfileManager{}
	m.h.init(p, "ProfileManager", func(p *C.WMProfileManager) { C.wm_profile_manager_release(p) })
	runtime.SetFinalizer(m, (*ProfileManager).Close)
	return m
}

// NewProfileManager creates a profile manager (WMCreateProfileManager).
func NewProfileManager() (*ProfileManager, error) {
	var p *C.WMProfileManager
	if err := check("wm_create_profile_manager", func() C.HRESULT { return C.wm_create_profile_manager(&p) }); err != nil {
		return nil, err
	}
	return newProfileManager(p), nil
}

// Close releases the manager's reference (wm_profile_manager_release). Calling it
// again does nothing. It always returns nil.
func (m *ProfileManager) Close() error {
	if m.h.close() {
		runtime.SetFinalizer(m, nil)
	}
	return nil
}

// Clone returns a second wrapper holding its own reference (wm_profile_manager_add_ref).
func (m *ProfileManager) Clone() (*ProfileManager, error) {
	var out *ProfileManager
	err := m.h.with("wm_profile_manager_add_ref", func(p *C.WMProfileManager) error {
		C.wm_profile_manager_add_ref(p)
		out = newProfileManager(p)
		return nil
	})
	runtime.KeepAlive(m)
	return out, err
}

// CreateEmptyProfile makes a profile with no streams
// (IWMProfileManager::CreateEmptyProfile); version is a WMT_VER_* value, normally
// WMT_VER_9_0. E_INVALIDARG for an unknown version.
func (m *ProfileManager) CreateEmptyProfile(version uint32) (*Profile, error) {
	var out *C.WMProfile
	err := m.h.call("wm_profile_manager_create_empty_profile", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_create_empty_profile(p, C.uint32_t(version), &out)
	})
	runtime.KeepAlive(m)
	if err != nil {
		return nil, err
	}
	return newProfile(out), nil
}

// LoadProfileByID loads a system profile of any version by GUID
// (IWMProfileManager::LoadProfileByID; WMProfile_V80_256Video, ...); E_INVALIDARG for
// an unknown ID.
func (m *ProfileManager) LoadProfileByID(id GUID) (*Profile, error) {
	var out *C.WMProfile
	cid := cGUID(id)
	err := m.h.call("wm_profile_manager_load_profile_by_id", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_load_profile_by_id(p, &cid, &out)
	})
	runtime.KeepAlive(m)
	if err != nil {
		return nil, err
	}
	return newProfile(out), nil
}

// SystemProfileCount is the number of system profiles of the system-profile version:
// 21 (4.0, the default), 26 (7.0), 27 (8.0), 0 (9.0) (IWMProfileManager::GetSystemProfileCount).
func (m *ProfileManager) SystemProfileCount() (int, error) {
	var n C.uint32_t
	err := m.h.call("wm_profile_manager_get_system_profile_count", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_get_system_profile_count(p, &n)
	})
	runtime.KeepAlive(m)
	return int(n), err
}

// SystemProfileVersion is the system-profile version
// (IWMProfileManager2::GetSystemProfileVersion).
func (m *ProfileManager) SystemProfileVersion() (uint32, error) {
	var v C.uint32_t
	err := m.h.call("wm_profile_manager_get_system_profile_version", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_get_system_profile_version(p, &v)
	})
	runtime.KeepAlive(m)
	return uint32(v), err
}

// SetSystemProfileVersion sets it (IWMProfileManager2::SetSystemProfileVersion);
// E_INVALIDARG unless version is a WMT_VER_* value.
func (m *ProfileManager) SetSystemProfileVersion(version uint32) error {
	err := m.h.call("wm_profile_manager_set_system_profile_version", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_set_system_profile_version(p, C.uint32_t(version))
	})
	runtime.KeepAlive(m)
	return err
}

// Profile describes the streams of a file (IWMProfile, WMProfile). The writer takes a
// snapshot at Writer.SetProfile, so later edits need another SetProfile.
//
// It holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Methods are safe for concurrent use, and fail with ErrClosed after Close.
type Profile struct {
	h ref[*C.WMProfile]
}

func newProfile(p *C.WMProfile) *Profile {
	pr := &Profile{}
	pr.h.init(p, "Profile", func(p *C.WMProfile) { C.wm_profile_release(p) })
	runtime.SetFinalizer(pr, (*Profile).Close)
	return pr
}

// Close releases the profile's reference (wm_profile_release). Calling it again does
// nothing. It always returns nil.
func (pr *Profile) Close() error {
	if pr.h.close() {
		runtime.SetFinalizer(pr, nil)
	}
	return nil
}

// Clone returns a second wrapper holding its own reference to the same profile
// (wm_profile_add_ref); edits through either are seen by both.
func (pr *Profile) Clone() (*Profile, error) {
	var out *Profile
	err := pr.h.with("wm_profile_add_ref", func(p *C.WMProfile) error {
		C.wm_profile_add_ref(p)
		out = newProfile(p)
		return nil
	})
	runtime.KeepAlive(pr)
	return out, err
}

// withProfile runs f with pr's handle, or NULL for a nil pr (so the library gives its
// own answer to a missing profile).
func withProfile(pr *Profile, op string, f func(p *C.WMProfile) error) error {
	if pr == nil {
		return f(nil)
	}
	err := pr.h.with(op, f)
	runtime.KeepAlive(pr)
	return err
}

// Version is the profile's WMT_VER_* version (IWMProfile::GetVersion).
func (pr *Profile) Version() (uint32, error) {
	var v C.uint32_t
	err := pr.h.call("wm_profile_get_version", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_get_version(p, &v) })
	runtime.KeepAlive(pr)
	return uint32(v), err
}

// Name is the profile's name (IWMProfile::GetName).
func (pr *Profile) Name() (string, error) {
	var b []byte
	err := pr.h.with("wm_profile_get_name", func(p *C.WMProfile) (err error) {
		b, err = sizeQuery("wm_profile_get_name", func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_profile_get_name(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(pr)
	return cStringBytes(b), err
}

// SetName sets the profile's name (at most 256 characters) (IWMProfile::SetName).
func (pr *Profile) SetName(name string) error {
	cs, err := cString("wm_profile_set_name", "name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = pr.h.call("wm_profile_set_name", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_set_name(p, cs) })
	runtime.KeepAlive(pr)
	return err
}

// Description is the profile's description (IWMProfile::GetDescription).
func (pr *Profile) Description() (string, error) {
	var b []byte
	err := pr.h.with("wm_profile_get_description", func(p *C.WMProfile) (err error) {
		b, err = sizeQuery("wm_profile_get_description", func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_profile_get_description(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(pr)
	return cStringBytes(b), err
}

// SetDescription sets the description (at most 1024 characters)
// (IWMProfile::SetDescription).
func (pr *Profile) SetDescription(description string) error {
	cs, err := cString("wm_profile_set_description", "description", description)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = pr.h.call("wm_profile_set_description", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_set_description(p, cs) })
	runtime.KeepAlive(pr)
	return err
}

// StreamCount is the number of streams (IWMProfile::GetStreamCount).
func (pr *Profile) StreamCount() (int, error) {
	var n C.uint32_t
	err := pr.h.call("wm_profile_get_stream_count", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_get_stream_count(p, &n) })
	runtime.KeepAlive(pr)
	return int(n), err
}

// Stream returns a copy of the stream at index (IWMProfile::GetStream); edit it and
// commit with ReconfigStream. E_INVALIDARG if index is out of range.
func (pr *Profile) Stream(index int) (*StreamConfig, error) {
	if index < 0 || uint64(index) > 0xFFFFFFFF {
		return nil, invalidArg("wm_profile_get_stream", "index out of range")
	}
	var out *C.WMStreamConfig
	err := pr.h.call("wm_profile_get_stream", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_get_stream(p, C.uint32_t(index), &out)
	})
	runtime.KeepAlive(pr)
	if err != nil {
		return nil, err
	}
	return newStreamConfig(out), nil
}

// StreamByNumber returns a copy of the stream numbered number
// (IWMProfile::GetStreamByNumber); NS_E_NO_STREAM if there is none.
func (pr *Profile) StreamByNumber(number uint16) (*StreamConfig, error) {
	var out *C.WMStreamConfig
	err := pr.h.call("wm_profile_get_stream_by_number", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_get_stream_by_number(p, C.uint16_t(number), &out)
	})
	runtime.KeepAlive(pr)
	if err != nil {
		return nil, err
	}
	return newStreamConfig(out), nil
}

// CreateNewStream makes a stream config of majorType (WMMEDIATYPE_*) with an unused
// stream number (IWMProfile::CreateNewStream). It is not part of the profile until
// AddStream.
func (pr *Profile) CreateNewStream(majorType GUID) (*StreamConfig, error) {
	var out *C.WMStreamConfig
	t := cGUID(majorType)
	err := pr.h.call("wm_profile_create_new_stream", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_create_new_stream(p, &t, &out)
	})
	runtime.KeepAlive(pr)
	if err != nil {
		return nil, err
	}
	return newStreamConfig(out), nil
}

// AddStream copies sc into the profile as a new stream (IWMProfile::AddStream); later
// edits of sc do not affect the profile. NS_E_INVALID_STREAM if its number is in use
// or it has no media type.
func (pr *Profile) AddStream(sc *StreamConfig) error {
	err := withStreamConfig(sc, "wm_profile_add_stream", func(s *C.WMStreamConfig) error {
		return pr.h.call("wm_profile_add_stream", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_add_stream(p, s) })
	})
	runtime.KeepAlive(pr)
	return err
}

// ReconfigStream commits edits of a stream already in the profile, matched by number
// (IWMProfile::ReconfigStream).
func (pr *Profile) ReconfigStream(sc *StreamConfig) error {
	err := withStreamConfig(sc, "wm_profile_reconfig_stream", func(s *C.WMStreamConfig) error {
		return pr.h.call("wm_profile_reconfig_stream", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_reconfig_stream(p, s) })
	})
	runtime.KeepAlive(pr)
	return err
}

// RemoveStream removes the stream sc describes, by its number (IWMProfile::RemoveStream).
func (pr *Profile) RemoveStream(sc *StreamConfig) error {
	err := withStreamConfig(sc, "wm_profile_remove_stream", func(s *C.WMStreamConfig) error {
		return pr.h.call("wm_profile_remove_stream", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_remove_stream(p, s) })
	})
	runtime.KeepAlive(pr)
	return err
}

// RemoveStreamByNumber removes stream number (IWMProfile::RemoveStreamByNumber);
// NS_E_NO_STREAM if there is none.
func (pr *Profile) RemoveStreamByNumber(number uint16) error {
	err := pr.h.call("wm_profile_remove_stream_by_number", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_remove_stream_by_number(p, C.uint16_t(number))
	})
	runtime.KeepAlive(pr)
	return err
}

// MaxPacketSize is the data packet size in bytes, 0 = the writer chooses
// (IWMPacketSize::GetMaxPacketSize).
func (pr *Profile) MaxPacketSize() (uint32, error) {
	var v C.uint32_t
	err := pr.h.call("wm_profile_get_max_packet_size", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_get_max_packet_size(p, &v) })
	runtime.KeepAlive(pr)
	return uint32(v), err
}

// SetMaxPacketSize sets the data packet size: 100..65527 bytes, or 0 to let the
// writer choose (IWMPacketSize::SetMaxPacketSize).
func (pr *Profile) SetMaxPacketSize(size uint32) error {
	err := pr.h.call("wm_profile_set_max_packet_size", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_set_max_packet_size(p, C.uint32_t(size))
	})
	runtime.KeepAlive(pr)
	return err
}

// AddAudioStream adds an uncompressed PCM stream: channels × bitsPerSample at
// sampleRate Hz, little-endian, interleaved. The stream gets the next free number, a
// bit rate of sampleRate × channels × bitsPerSample and the connection name
// "Audio<number>" (Writer.InputByName finds its input). It returns the stream number.
// The values are checked by Writer.SetProfile (NS_E_INVALID_STREAM).
func (pr *Profile) AddAudioStream(channels, sampleRate, bitsPerSample int) (uint16, error) {
	if channels <= 0 || channels > 0xFFFF || sampleRate <= 0 || uint64(sampleRate) > 0xFFFFFFFF || bitsPerSample <= 0 || bitsPerSample > 0xFFFF {
		return 0, invalidArg("Profile.AddAudioStream", fmt.Sprintf("bad PCM layout: %d channels, %d Hz, %d bits", channels, sampleRate, bitsPerSample))
	}
	bitrate := uint64(sampleRate) * uint64(channels) * uint64((bitsPerSample+7)/8*8)
	if bitrate > 0xFFFFFFFF {
		return 0, invalidArg("Profile.AddAudioStream", "bit rate above 4 Gbit/s")
	}
	mt := PCMMediaType(channels, sampleRate, bitsPerSample)
	return pr.addStream(WMMEDIATYPE_Audio, &mt, uint32(bitrate), "Audio")
}

// AddVideoStream adds an uncompressed video stream of subtype (WMMEDIASUBTYPE_RGB24,
// _RGB32, _I420, _YUY2, ...): width × height at fps frames per second, each sample one
// frame of FrameSize(subtype, width, height) bytes (bottom-up rows for RGB with a
// positive height). The stream gets the next free number, the frame bit rate and the
// connection name "Video<number>". It returns the stream number.
func (pr *Profile) AddVideoStream(width, height int, fps float64, subtype GUID) (uint16, error) {
	if width <= 0 || height == 0 || width > 1<<16 || height > 1<<16 || height < -(1<<16) || !(fps > 0) {
		return 0, invalidArg("Profile.AddVideoStream", fmt.Sprintf("bad video layout: %dx%d at %g fps", width, height, fps))
	}
	if FrameSize(subtype, width, height) == 0 {
		return 0, invalidArg("Profile.AddVideoStream", fmt.Sprintf("%v is not an uncompressed video subtype this package knows", subtype))
	}
	mt := VideoMediaType(subtype, width, height, fps)
	bitrate := uint32(0)
	if len(mt.Format) >= 36 {
		bitrate = uint32(mt.Format[32]) | uint32(mt.Format[33])<<8 | uint32(mt.Format[34])<<16 | uint32(mt.Format[35])<<24
	}
	return pr.addStream(WMMEDIATYPE_Video, &mt, bitrate, "Video")
}

// addStream creates, configures and adds one stream; the config is released.
func (pr *Profile) addStream(major GUID, mt *MediaType, bitrate uint32, prefix string) (uint16, error) {
	sc, err := pr.CreateNewStream(major)
	if err != nil {
		return 0, err
	}
	defer sc.Close()
	number, err := sc.StreamNumber()
	if err != nil {
		return 0, err
	}
	if err := sc.SetMediaType(mt); err != nil {
		return 0, err
	}
	if err := sc.SetBitrate(bitrate); err != nil {
		return 0, err
	}
	if err := sc.SetConnectionName(fmt.Sprintf("%s%d", prefix, number)); err != nil {
		return 0, err
	}
	if err := pr.AddStream(sc); err != nil {
		return 0, err
	}
	return number, nil
}

// refCount is the C object's reference count (add_ref then release, both return the
// new count), for tests of the finalizer safety net.
func (pr *Profile) refCount() uint32 {
	var n C.uint32_t
	_ = pr.h.with("wm_profile_add_ref", func(p *C.WMProfile) error {
		n = C.wm_profile_add_ref(p)
		C.wm_profile_release(p)
		return nil
	})
	runtime.KeepAlive(pr)
	return uint32(n) - 1
}

// LoadSystemProfile loads system profile index of the system-profile version
// (IWMProfileManager::LoadSystemProfile); E_INVALIDARG past the end.
func (m *ProfileManager) LoadSystemProfile(index int) (*Profile, error) {
	if index < 0 || uint64(index) > 0xFFFFFFFF {
		return nil, invalidArg("wm_profile_manager_load_system_profile", "index out of range")
	}
	var out *C.WMProfile
	err := m.h.call("wm_profile_manager_load_system_profile", func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_load_system_profile(p, C.uint32_t(index), &out)
	})
	runtime.KeepAlive(m)
	if err != nil {
		return nil, err
	}
	return newProfile(out), nil
}

// LoadProfileByData parses a PRX profile, the XML text of a .prx file
// (IWMProfileManager::LoadProfileByData). NS_E_INVALIDPROFILE for text it cannot
// use; the error's Message names the line and the field.
func (m *ProfileManager) LoadProfileByData(prx string) (*Profile, error) {
	const op = "wm_profile_manager_load_profile_by_data"
	cs, err := cString(op, "PRX text", prx)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	var out *C.WMProfile
	err = m.h.call(op, func(p *C.WMProfileManager) C.HRESULT {
		return C.wm_profile_manager_load_profile_by_data(p, cs, &out)
	})
	runtime.KeepAlive(m)
	if err != nil {
		return nil, err
	}
	return newProfile(out), nil
}

// SaveProfile serializes pr as PRX XML (IWMProfileManager::SaveProfile); loading the
// text gives an equal profile.
func (m *ProfileManager) SaveProfile(pr *Profile) (string, error) {
	const op = "wm_profile_manager_save_profile"
	var b []byte
	err := withProfile(pr, op, func(pp *C.WMProfile) error {
		return m.h.with(op, func(p *C.WMProfileManager) (err error) {
			b, err = sizeQuery(op, func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
				return C.wm_profile_manager_save_profile(p, pp, (*C.char)(buf), n)
			})
			return err
		})
	})
	runtime.KeepAlive(m)
	return cStringBytes(b), err
}

// ProfileID is the profile's system-profile ID: always the zero GUID, as for every
// custom profile (IWMProfile2::GetProfileID).
func (pr *Profile) ProfileID() (GUID, error) {
	var g C.WMGuid
	err := pr.h.call("wm_profile_get_profile_id", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_get_profile_id(p, &g) })
	runtime.KeepAlive(pr)
	return goGUID(&g), err
}

// StorageFormat is WMT_Storage_Format_V1 (ASF, the default) or WMT_Storage_Format_MP3
// (IWMProfile3::GetStorageFormat). The writer always writes ASF.
func (pr *Profile) StorageFormat() (uint32, error) {
	var v C.uint32_t
	err := pr.h.call("wm_profile_get_storage_format", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_get_storage_format(p, &v) })
	runtime.KeepAlive(pr)
	return uint32(v), err
}

// SetStorageFormat sets it, kept and saved in PRX (IWMProfile3::SetStorageFormat).
func (pr *Profile) SetStorageFormat(format uint32) error {
	err := pr.h.call("wm_profile_set_storage_format", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_set_storage_format(p, C.uint32_t(format))
	})
	runtime.KeepAlive(pr)
	return err
}

// ExpectedPacketCount is how many data packets d of this profile needs
// (IWMProfile3::GetExpectedPacketCount; whole milliseconds are used). E_NOTIMPL for a
// profile without streams.
func (pr *Profile) ExpectedPacketCount(d time.Duration) (uint64, error) {
	if d < 0 {
		return 0, invalidArg("wm_profile_get_expected_packet_count", "negative duration")
	}
	var n C.uint64_t
	err := pr.h.call("wm_profile_get_expected_packet_count", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_get_expected_packet_count(p, C.uint64_t(d/time.Millisecond), &n)
	})
	runtime.KeepAlive(pr)
	return uint64(n), err
}
