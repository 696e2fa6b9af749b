"""Mutual exclusion, bandwidth sharing and stream prioritization: the objects, their
codes, and their ASF objects in a written file."""

from __future__ import annotations

import struct
import uuid

import pytest

import wmwriter
from wmwriter import WMError, guids

ADVANCED_MUTEX = uuid.UUID("A08649CF-4775-4670-8A16-6E35357566CD").bytes_le
BANDWIDTH_SHARING = uuid.UUID("A69609E6-517B-11D2-B6AF-00C04FD908E9").bytes_le
STREAM_PRIORITIZATION = uuid.UUID("D4FED15B-88D3-454F-81F0-ED5C45999E24").bytes_le


def two_stream_profile():
    p = wmwriter.Profile()
    p.add_audio_stream(2, 44100, 16).close()
    p.add_audio_stream(1, 22050, 16).close()
    return p


def test_mutual_exclusion_round_trip():
    p = two_stream_profile()
    m = p.create_new_mutual_exclusion()
    assert m.type == uuid.UUID(int=0) and m.streams == []
    m.type = guids.CLSID_WMMUTEX_Bitrate
    m.add_stream(1)
    m.add_stream(2)
    m.name = "Quality"
    r = m.add_record()
    assert r == 0 and m.record_count == 1
    m.set_record_name(0, "High")
    m.add_stream_for_record(0, 1)
    m.add_record()
    m.add_stream_for_record(1, 2)
    m.remove_stream_for_record(1, 2)
    m.remove_record(1)
    p.add_mutual_exclusion(m)
    [back] = p.mutual_exclusions
    assert back.type == guids.CLSID_WMMUTEX_Bitrate
    assert back.streams == [1, 2]
    assert back.name == "Quality"
    assert back.record_count == 1 and back.record_name(0) == "High" and back.record_streams(0) == [1]
    back.remove_stream(2)
    assert back.streams == [1]
    with pytest.raises(WMError) as e:
        back.record_name(5)
    assert e.value.name == "E_INVALIDARG"
    p.remove_mutual_exclusion(p.mutual_exclusions[0])
    assert p.mutual_exclusions == []


def test_bandwidth_sharing_and_prioritization_round_trip():
    p = two_stream_profile()
    b = p.create_new_bandwidth_sharing()
    b.type = guids.CLSID_WMBandwidthSharing_Exclusive
    b.add_stream(1)
    b.add_stream(2)
    b.bandwidth = (2_000_000, 3000)
    p.add_bandwidth_sharing(b)
    [back] = p.bandwidth_sharings
    assert back.type == guids.CLSID_WMBandwidthSharing_Exclusive
    assert back.streams == [1, 2] and back.bandwidth == (2_000_000, 3000)
    assert p.stream_prioritization is None
    sp = p.create_new_stream_prioritization()
    sp.records = [(2, True), (1, False)]
    assert sp.records == [(2, True), (1, False)]
    p.stream_prioritization = sp
    assert p.stream_prioritization.records == [(2, True), (1, False)]
    p.stream_prioritization = None
    assert p.stream_prioritization is None
    p.remove_bandwidth_sharing(p.bandwidth_sharings[0])
    assert p.bandwidth_sharings == []


def test_groups_reach_the_file(tmp_path):
    p = wmwriter.Profile()
    p.add_audio_stream(2, 44100, 16).close()
    p.add_audio_stream(2, 44100, 16).close()
    sc = p.stream_by_number(2)
    sc.connection_name = "Audio"  # a bit-rate exclusion: one input, two streams
    p.reconfig_stream(sc)
    m = p.create_new_mutual_exclusion()
    m.type = guids.CLSID_WMMUTEX_Bitrate
    m.add_stream(1)
    m.add_stream(2)
    m.name = "Quality"  # a named exclusion is written as an Advanced Mutual Exclusion object
    p.add_mutual_exclusion(m)
    b = p.create_new_bandwidth_sharing()
    b.type = guids.CLSID_WMBandwidthSharing_Exclusive
    b.add_stream(1)
    b.add_stream(2)
    b.bandwidth = (1_500_000, 3000)
    p.add_bandwidth_sharing(b)
    sp = p.create_new_stream_prioritization()
    sp.records = [(1, True), (2, False)]
    p.stream_prioritization = sp
    out = tmp_path / "groups.wma"
    with wmwriter.Writer(p, out) as w:
        for i in range(5):
            w.write(0, i * 1_000_000, bytes(4 * 4410))
    data = out.read_bytes()
    for name, guid in (("Advanced Mutual Exclusion", ADVANCED_MUTEX), ("Bandwidth Sharing", BANDWIDTH_SHARING),
                       ("Stream Prioritization", STREAM_PRIORITIZATION)):
        assert guid in data, f"no {name} object in the file"
    mutex = data.index(ADVANCED_MUTEX)
    assert data[mutex + 24:mutex + 40] == guids.CLSID_WMMUTEX_Bitrate.bytes_le  # exclusion type
    assert data[mutex + 40:mutex + 46] == b"\x02\x00\x01\x00\x02\x00"  # 2 streams: 1, 2
    bw = data.index(BANDWIDTH_SHARING)
    assert data[bw + 24:bw + 40] == guids.CLSID_WMBandwidthSharing_Exclusive.bytes_le
    assert struct.unpack_from("<IIHHH", data, bw + 40) == (1_500_000, 3000, 2, 1, 2)
    pr = data.index(STREAM_PRIORITIZATION)
    assert struct.unpack_from("<HHHHH", data, pr + 24) == (2, 1, 1, 2, 0)  # (stream, mandatory flag)
