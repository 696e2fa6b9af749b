package wmwriter

import "testing"

func TestSystemProfiles(t *testing.T) {
	m, err := NewProfileManager()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if n, err := m.SystemProfileCount(); err != nil || n != 21 {
		t.Fatalf("default count = %d, %v; want 21 (version 4.0)", n, err)
	}
	want := map[uint32]int{WMT_VER_4_0: 21, WMT_VER_7_0: 26, WMT_VER_8_0: 27, WMT_VER_9_0: 0}
	total := 0
	for v, n := range want {
		list, err := m.SystemProfiles(v)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != n {
			t.Fatalf("version %#x: %d profiles, want %d", v, len(list), n)
		}
		for _, sp := range list {
			if sp.Identifier == "" || sp.Version != v || sp.StreamCount < 1 || sp.Name == "" {
				t.Fatalf("bad entry %+v", sp)
			}
			p, err := m.LoadProfileByID(sp.ID)
			if err != nil {
				t.Fatal(err)
			}
			id, _ := p.ProfileID()
			name, _ := p.Name()
			xml, err := m.SaveProfile(p)
			if err != nil {
				t.Fatal(err)
			}
			q, err := m.LoadProfileByData(xml)
			if err != nil {
				t.Fatalf("%s: %v", sp.Identifier, err)
			}
			qid, _ := q.ProfileID()
			if id != sp.ID || name != sp.Name || qid != (GUID{}) {
				t.Fatalf("%s: id %v name %q reloaded id %v", sp.Identifier, id, name, qid)
			}
			q.Close()
			p.Close()
			total++
		}
	}
	if total != 74 || len(SystemProfileIDs()) != 74 {
		t.Fatalf("total %d, ids %d", total, len(SystemProfileIDs()))
	}
	if v, _ := m.SystemProfileVersion(); v != WMT_VER_4_0 {
		t.Fatalf("version not restored: %#x", v)
	}
	p, err := m.LoadSystemProfileByName("v80_256video")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if name, _ := p.Name(); name != "Windows Media Video 8 for Local Area Network (256 Kbps)" {
		t.Fatalf("name %q", name)
	}
	if id, _ := p.ProfileID(); id != WMProfile_V80_256Video {
		t.Fatalf("id %v", id)
	}
	if _, err := m.LoadSystemProfileByName("V99_None"); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("unknown name: %v", err)
	}
	if lang, err := m.UserLanguageID(); err != nil || lang != 0x409 {
		t.Fatalf("language %#x %v", lang, err)
	}
}

func TestCodecEnumeration(t *testing.T) {
	m, err := NewProfileManager()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, major := range []GUID{WMMEDIATYPE_Audio, WMMEDIATYPE_Video} {
		n, err := m.CodecInfoCount(major)
		if err != nil {
			t.Fatal(err)
		}
		for c := 0; c < n; c++ {
			name, err := m.CodecName(major, c)
			if err != nil || len(name) < 4 {
				t.Fatalf("codec %d name %q %v", c, name, err)
			}
			if typ, _, err := m.CodecProp(major, c, IsVBRSupported); err != nil || typ != 3 {
				t.Fatalf("%s: _ISVBRSUPPORTED type %d %v", name, typ, err)
			}
			nf, err := m.CodecFormatCount(major, c)
			if err != nil {
				t.Fatal(err)
			}
			for f := 0; f < nf; f++ {
				desc, err := m.CodecFormatDesc(major, c, f)
				if err != nil || desc == "" {
					t.Fatalf("%s format %d: %q %v", name, f, desc, err)
				}
				sc, err := m.CodecFormat(major, c, f)
				if err != nil {
					t.Fatal(err)
				}
				if br, _ := sc.Bitrate(); br == 0 {
					t.Fatalf("%s %s: bit rate 0", name, desc)
				}
				sc.Close()
			}
		}
		if _, err := m.CodecFormat(major, n, 0); !IsHResult(err, E_INVALIDARG) {
			t.Fatalf("codec %d past the end: %v", n, err)
		}
	}
	if _, err := m.CodecInfoCount(WMMEDIATYPE_Script); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("script: %v", err)
	}
}
