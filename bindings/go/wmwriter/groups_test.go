package wmwriter

import (
	"reflect"
	"strings"
	"testing"
)

// Two PCM streams at different bit rates on one connection name: the shape a bit-rate
// mutual exclusion needs.
func twoRateProfile(t *testing.T) *Profile {
	t.Helper()
	p := pcmProfile(t)
	for _, rate := range []int{22050, 44100} {
		sc, err := p.CreateNewStream(WMMEDIATYPE_Audio)
		must(t, err)
		mt := PCMMediaType(2, rate, 16)
		must(t, sc.SetMediaType(&mt))
		must(t, sc.SetBitrate(uint32(rate*32)))
		must(t, sc.SetConnectionName("Audio"))
		must(t, p.AddStream(sc))
		sc.Close()
	}
	return p
}

func TestMutualExclusion(t *testing.T) {
	p := twoRateProfile(t)
	defer p.Close()
	m, err := p.CreateNewMutualExclusion()
	must(t, err)
	defer m.Close()
	if g, err := m.Type(); err != nil || !g.IsZero() {
		t.Fatalf("new Type = %v, %v", g, err)
	}
	if err := p.AddMutualExclusion(m); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("AddMutualExclusion without a type = %v; want E_INVALIDARG", err)
	}
	must(t, m.SetType(CLSID_WMMUTEX_Bitrate))
	must(t, m.AddStream(1))
	must(t, m.AddStream(2))
	must(t, m.AddStream(3))
	must(t, m.RemoveStream(3))
	if s, err := m.Streams(); err != nil || !reflect.DeepEqual(s, []uint16{1, 2}) {
		t.Fatalf("Streams = %v, %v", s, err)
	}
	must(t, m.SetName("rates"))
	if s, _ := m.Name(); s != "rates" {
		t.Fatalf("Name %q", s)
	}
	r, err := m.AddRecord()
	must(t, err)
	if r != 0 {
		t.Fatalf("first record index %d", r)
	}
	must(t, m.SetRecordName(r, "low"))
	must(t, m.AddStreamForRecord(r, 1))
	must(t, m.AddStreamForRecord(r, 2))
	must(t, m.RemoveStreamForRecord(r, 2))
	if s, _ := m.RecordName(r); s != "low" {
		t.Fatalf("RecordName %q", s)
	}
	if s, err := m.StreamsForRecord(r); err != nil || !reflect.DeepEqual(s, []uint16{1}) {
		t.Fatalf("StreamsForRecord = %v, %v", s, err)
	}
	r2, _ := m.AddRecord()
	must(t, m.RemoveRecord(r2))
	if n, _ := m.RecordCount(); n != 1 {
		t.Fatalf("RecordCount %d", n)
	}
	if err := m.RemoveRecord(9); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("RemoveRecord(9) = %v", err)
	}
	must(t, p.AddMutualExclusion(m))
	if n, _ := p.MutualExclusionCount(); n != 1 {
		t.Fatalf("MutualExclusionCount %d", n)
	}
	got, err := p.MutualExclusion(0)
	must(t, err)
	defer got.Close()
	if g, _ := got.Type(); g != CLSID_WMMUTEX_Bitrate {
		t.Fatalf("copy's type %v", g)
	}
	if _, err := p.MutualExclusion(4); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("MutualExclusion(4) = %v", err)
	}

	w, err := NewWriter()
	must(t, err)
	defer w.Close()
	must(t, w.SetProfile(p))
	if n, _ := w.InputCount(); n != 1 {
		t.Fatalf("one connection name, %d inputs", n)
	}
	pm, err := NewProfileManager()
	must(t, err)
	defer pm.Close()
	prx, err := pm.SaveProfile(p)
	must(t, err)
	if !strings.Contains(strings.ToLower(prx), "mutualexclusion") {
		t.Fatalf("PRX without the mutual exclusion:\n%s", prx)
	}
	must(t, p.RemoveMutualExclusion(got))
	if n, _ := p.MutualExclusionCount(); n != 0 {
		t.Fatalf("MutualExclusionCount after remove %d", n)
	}
	if err := p.RemoveMutualExclusion(got); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("removing it twice = %v", err)
	}
	c, err := m.Clone()
	must(t, err)
	c.Close()
}

func TestBandwidthSharing(t *testing.T) {
	p := twoRateProfile(t)
	defer p.Close()
	b, err := p.CreateNewBandwidthSharing()
	must(t, err)
	defer b.Close()
	must(t, b.SetType(CLSID_WMBandwidthSharing_Exclusive))
	if g, _ := b.Type(); g != CLSID_WMBandwidthSharing_Exclusive {
		t.Fatalf("Type %v", g)
	}
	must(t, b.SetBandwidth(1411200, 3000))
	if r, w, err := b.Bandwidth(); err != nil || r != 1411200 || w != 3000 {
		t.Fatalf("Bandwidth = %d, %d, %v", r, w, err)
	}
	must(t, b.AddStream(1))
	must(t, b.AddStream(2))
	must(t, b.AddStream(7))
	must(t, b.RemoveStream(7))
	if s, _ := b.Streams(); !reflect.DeepEqual(s, []uint16{1, 2}) {
		t.Fatalf("Streams %v", s)
	}
	must(t, p.AddBandwidthSharing(b))
	if n, _ := p.BandwidthSharingCount(); n != 1 {
		t.Fatalf("BandwidthSharingCount %d", n)
	}
	got, err := p.BandwidthSharing(0)
	must(t, err)
	defer got.Close()
	must(t, p.RemoveBandwidthSharing(got))
	if n, _ := p.BandwidthSharingCount(); n != 0 {
		t.Fatalf("BandwidthSharingCount after remove %d", n)
	}
	if err := p.AddBandwidthSharing(nil); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("AddBandwidthSharing(nil) = %v", err)
	}
	c, err := b.Clone()
	must(t, err)
	c.Close()
}

func TestStreamPrioritization(t *testing.T) {
	p := twoRateProfile(t)
	defer p.Close()
	if sp, err := p.StreamPrioritization(); err != nil || sp != nil {
		t.Fatalf("StreamPrioritization of a new profile = %v, %v; want nil, nil", sp, err)
	}
	sp, err := p.CreateNewStreamPrioritization()
	must(t, err)
	defer sp.Close()
	if r, err := sp.Records(); err != nil || len(r) != 0 {
		t.Fatalf("new Records = %v, %v", r, err)
	}
	want := []PriorityRecord{{StreamNumber: 2, Mandatory: true}, {StreamNumber: 1}}
	must(t, sp.SetRecords(want))
	if r, err := sp.Records(); err != nil || !reflect.DeepEqual(r, want) {
		t.Fatalf("Records = %v, %v", r, err)
	}
	must(t, p.SetStreamPrioritization(sp))
	got, err := p.StreamPrioritization()
	must(t, err)
	if got == nil {
		t.Fatal("no stream prioritization after SetStreamPrioritization")
	}
	defer got.Close()
	if r, _ := got.Records(); !reflect.DeepEqual(r, want) {
		t.Fatalf("profile's records %v", r)
	}
	bad, err := p.CreateNewStreamPrioritization()
	must(t, err)
	defer bad.Close()
	must(t, bad.SetRecords([]PriorityRecord{{StreamNumber: 9}}))
	if err := p.SetStreamPrioritization(bad); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetStreamPrioritization(stream 9) = %v; want E_INVALIDARG", err)
	}
	must(t, p.RemoveStreamPrioritization())
	if sp, _ := p.StreamPrioritization(); sp != nil {
		t.Fatal("still there after RemoveStreamPrioritization")
	}
	c, err := sp.Clone()
	must(t, err)
	c.Close()
	must(t, sp.SetRecords(nil))
}
