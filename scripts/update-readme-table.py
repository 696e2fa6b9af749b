#!/usr/bin/env python3
"""Rewrite README.md's SDK method tables from include/wmwriter.h.

Every writer-side SDK method is listed below with the C function(s) that would
implement it, by the header's naming rule `IWMObject::Method` -> `wm_<object>_<method>`
(or an explicit name where the rule does not apply). A row is "implemented" when the
header declares all of its functions, else "not yet (#issue)". The tables replace the
text between `<!-- method-table:start -->` and `<!-- method-table:end -->`.

A header function that no row names is reported (add a row or an explicit name here);
`scripts/check-readme-table.py` is the independent check run by the tests.

usage: scripts/update-readme-table.py [--check]   (--check: exit 1 if README.md is stale)
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
HEADER = ROOT / "include" / "wmwriter.h"
START, END = "<!-- method-table:start -->", "<!-- method-table:end -->"

# Issues: 2 foundation, 3 muxer (WriteStreamSample, video, index, streaming, sinks),
# 4 profiles (PRX, mutex, bandwidth sharing, prioritization, stream config 2/3, video
# media props), 5 bindings/CLI, 6 metadata (IWMHeaderInfo*).
# (interface, C prefix or None, issue, methods). A method is "Name" or ("Name", [c functions]).
GROUPS = [
    ("IWMWriter", [
        ("IWMWriter", "wm_writer_", 2, ["SetProfileByID", "SetProfile", "SetOutputFilename", "GetInputCount", "GetInputProps",
                                        "SetInputProps", "GetInputFormatCount", "GetInputFormat", "BeginWriting", "EndWriting",
                                        "AllocateSample", "WriteSample", "Flush"]),
    ]),
    ("IWMWriterAdvanced, IWMWriterAdvanced2, IWMWriterAdvanced3", [
        ("IWMWriterAdvanced", "wm_writer_", 3, ["GetSinkCount", "GetSink", "AddSink", "RemoveSink", "WriteStreamSample", "SetLiveSource",
                                                "IsRealTime", "GetWriterTime", "GetStatistics", "SetSyncTolerance", "GetSyncTolerance"]),
        ("IWMWriterAdvanced2", "wm_writer_", 3, ["GetInputSetting", "SetInputSetting"]),
        ("IWMWriterAdvanced3", "wm_writer_", 3, ["GetStatisticsEx", "SetNonBlocking"]),
    ]),
    ("IWMWriterPreprocess, IWMWriterPostView", [
        ("IWMWriterPreprocess", "wm_writer_", 3, ["GetMaxPreprocessingPasses", "SetNumPreprocessingPasses", "BeginPreprocessingPass",
                                                  "PreprocessSample", "EndPreprocessingPass"]),
        ("IWMWriterPostView", "wm_writer_", 3, ["SetPostViewCallback", "SetReceivePostViewSamples", "GetReceivePostViewSamples",
                                                "GetPostViewProps", "SetPostViewProps", "GetPostViewFormatCount", "GetPostViewFormat",
                                                "SetAllocateForPostView", "GetAllocateForPostView"]),
    ]),
    ("IWMWriterSink, IWMWriterFileSink/2/3, IWMWriterNetworkSink, IWMWriterPushSink", [
        ("IWMWriterSink", "wm_writer_sink_", 3, ["IsRealTime", "AllocateDataUnit"]),
        ("IWMWriterFileSink", "wm_writer_file_sink_", 3, ["Open"]),
        ("IWMWriterFileSink2", "wm_writer_file_sink_", 3, ["Start", "Stop", "IsStopped", "GetFileDuration", "GetFileSize", "Close", "IsClosed"]),
        ("IWMWriterFileSink3", "wm_writer_file_sink_", 3, ["SetAutoIndexing", "GetAutoIndexing", "SetControlStream", "GetMode", "OnDataUnitEx",
                                                    "SetUnbufferedIO", "GetUnbufferedIO", "CompleteOperations"]),
        ("IWMWriterNetworkSink", "wm_writer_network_sink_", 3, ["SetMaximumClients", "GetMaximumClients", "SetNetworkProtocol",
                                                         "GetNetworkProtocol", "GetHostURL", "Open", "Disconnect", "Close",
                                                         "SetBufferSize", "GetBufferSize"]),
        ("IWMClientConnections", "wm_writer_network_sink_", 14, ["GetClientCount", "GetClientProperties"]),
        ("IWMClientConnections2", "wm_writer_network_sink_", 14, ["GetClientInfo"]),
        ("IWMWriterPushSink", "wm_writer_push_sink_", 14, ["Connect", "Disconnect", "EndSession"]),
    ]),
    ("IWMRegisterCallback, IWMStatusCallback (on the writer and on each sink)", []),
    ("INSSBuffer, INSSBuffer2, INSSBuffer3, INSSBuffer4", [
        ("INSSBuffer", "wm_buffer_", 2, ["GetLength", "SetLength", "GetMaxLength", "GetBuffer", "GetBufferAndLength"]),
        ("INSSBuffer2", "wm_buffer_", 2, ["GetSampleProperties", "SetSampleProperties"]),
        ("INSSBuffer3", "wm_buffer_", 3, ["SetProperty", "GetProperty"]),
        ("INSSBuffer4", "wm_buffer_", 3, ["GetPropertyCount", "GetPropertyByIndex"]),
    ]),
    ("IWMProfileManager, IWMProfileManager2", [
        ("IWMProfileManager", "wm_profile_manager_", 2, ["CreateEmptyProfile", "LoadProfileByID"]),
        ("IWMProfileManager", "wm_profile_manager_", 4, ["LoadProfileByData", "SaveProfile"]),
        ("IWMProfileManager", "wm_profile_manager_", 2, ["GetSystemProfileCount", "LoadSystemProfile"]),
        ("IWMProfileManager2", "wm_profile_manager_", 2, ["GetSystemProfileVersion", "SetSystemProfileVersion"]),
        ("IWMProfileManagerLanguage", "wm_profile_manager_", 18, ["GetUserLanguageID", "SetUserLanguageID"]),
    ]),
    ("IWMCodecInfo, IWMCodecInfo2, IWMCodecInfo3 (on the profile manager handle)", [
        ("IWMCodecInfo", "wm_profile_manager_", 12, ["GetCodecInfoCount", "GetCodecFormatCount", "GetCodecFormat"]),
        ("IWMCodecInfo2", "wm_profile_manager_", 12, ["GetCodecName", "GetCodecFormatDesc"]),
        ("IWMCodecInfo3", "wm_profile_manager_", 12, ["GetCodecFormatProp", "GetCodecProp", "SetCodecEnumerationSetting",
                                                      "GetCodecEnumerationSetting"]),
    ]),
    ("IWMProfile, IWMProfile2, IWMProfile3, IWMPacketSize, IWMPacketSize2 (all on the profile handle)", [
        ("IWMProfile", "wm_profile_", 2, ["GetVersion", "GetName", "SetName", "GetDescription", "SetDescription", "GetStreamCount",
                                          "GetStream", "GetStreamByNumber", "RemoveStream", "RemoveStreamByNumber", "AddStream",
                                          "ReconfigStream", "CreateNewStream"]),
        ("IWMProfile", "wm_profile_", 4, ["GetMutualExclusionCount", "GetMutualExclusion", "RemoveMutualExclusion",
                                          "AddMutualExclusion", "CreateNewMutualExclusion"]),
        ("IWMProfile2", "wm_profile_", 4, ["GetProfileID"]),
        ("IWMProfile3", "wm_profile_", 4, ["GetStorageFormat", "SetStorageFormat", "GetBandwidthSharingCount", "GetBandwidthSharing",
                                           "RemoveBandwidthSharing", "AddBandwidthSharing", "CreateNewBandwidthSharing",
                                           "GetStreamPrioritization", "SetStreamPrioritization", "RemoveStreamPrioritization",
                                           "CreateNewStreamPrioritization", "GetExpectedPacketCount"]),
        ("IWMPacketSize", "wm_profile_", 4, ["GetMaxPacketSize", "SetMaxPacketSize"]),
        ("IWMPacketSize2", "wm_profile_", 4, ["GetMinPacketSize", "SetMinPacketSize"]),
        ("IWMLanguageList", "wm_profile_", 18, ["GetLanguageCount", "GetLanguageDetails", "AddLanguageByRFC1766String"]),
    ]),
    ("IWMStreamConfig, IWMStreamConfig2, IWMStreamConfig3", [
        ("IWMStreamConfig", "wm_stream_config_", 2, ["GetStreamType", "GetStreamNumber", "SetStreamNumber", "GetStreamName",
                                                     "SetStreamName", "GetConnectionName", "SetConnectionName", "GetBitrate",
                                                     "SetBitrate", "GetBufferWindow", "SetBufferWindow"]),
        ("IWMStreamConfig2", "wm_stream_config_", 4, ["GetTransportType", "SetTransportType", "AddDataUnitExtension",
                                                      "GetDataUnitExtensionCount", "GetDataUnitExtension", "RemoveAllDataUnitExtensions"]),
        ("IWMStreamConfig3", "wm_stream_config_", 4, ["GetLanguage", "SetLanguage"]),
        ("IWMPropertyVault", "wm_stream_config_", 18, ["GetPropertyCount", "GetPropertyByName", "SetProperty", "GetPropertyByIndex",
                                                       "CopyPropertiesFrom", "Clear"]),
    ]),
    ("IWMMediaProps, IWMVideoMediaProps, IWMInputMediaProps", [
        ("IWMVideoMediaProps", "wm_stream_config_", 4, ["GetMaxKeyFrameSpacing", "SetMaxKeyFrameSpacing", "GetQuality", "SetQuality"]),
        ("IWMInputMediaProps", "wm_input_media_props_", 2, ["GetConnectionName", "GetGroupName"]),
    ]),
    ("IWMMutualExclusion, IWMMutualExclusion2, IWMBandwidthSharing, IWMStreamPrioritization", [
        ("IWMMutualExclusion", "wm_mutual_exclusion_", 4, ["GetStreams", "AddStream", "RemoveStream", "GetType", "SetType"]),
        ("IWMMutualExclusion2", "wm_mutual_exclusion_", 4, ["GetName", "SetName", "GetRecordCount", "AddRecord", "RemoveRecord",
                                                            "GetRecordName", "SetRecordName", "GetStreamsForRecord",
                                                            "AddStreamForRecord", "RemoveStreamForRecord"]),
        ("IWMBandwidthSharing", "wm_bandwidth_sharing_", 4, ["GetStreams", "AddStream", "RemoveStream", "GetType", "SetType",
                                                             "GetBandwidth", "SetBandwidth"]),
        ("IWMStreamPrioritization", "wm_stream_prioritization_", 4, ["GetPriorityRecords", "SetPriorityRecords"]),
    ]),
    ("IWMHeaderInfo, IWMHeaderInfo2, IWMHeaderInfo3 (on the writer handle)", [
        ("IWMHeaderInfo", "wm_writer_", 6, ["GetAttributeCount", "GetAttributeByIndex", "GetAttributeByName", "SetAttribute",
                                            "GetMarkerCount", "GetMarker", "AddMarker", "RemoveMarker", "GetScriptCount", "GetScript",
                                            "AddScript", "RemoveScript"]),
        ("IWMHeaderInfo2", "wm_writer_", 6, ["GetCodecInfoCount", "GetCodecInfo"]),
        ("IWMHeaderInfo3", "wm_writer_", 6, ["GetAttributeCountEx", "GetAttributeIndices", "GetAttributeByIndexEx", "ModifyAttribute",
                                             "AddAttribute", "DeleteAttribute", "AddCodecInfo"]),
    ]),
    ("IWMIndexer, IWMIndexer2", [
        ("IWMIndexer", "wm_indexer_", 18, ["StartIndexing", "Cancel"]),
        ("IWMIndexer2", "wm_indexer_", 18, ["Configure"]),
    ]),
    ("IWMDRMWriter, IWMDRMWriter2, IWMDRMWriter3 (on the writer handle)", [
        ("IWMDRMWriter", "wm_writer_", 18, ["GenerateKeySeed", "GenerateKeyID", "GenerateSigningKeyPair", "SetDRMAttribute"]),
        ("IWMDRMWriter2", "wm_writer_", 18, ["SetWMDRMNetEncryption"]),
        ("IWMDRMWriter3", "wm_writer_", 18, ["SetProtectStreamSamples"]),
    ]),
]

# Rows whose SDK name is not `Interface::Method` or whose functions break the rule.
EXTRA_ROWS = {
    # An application's own IWMWriterSink is a set of callbacks given to
    # wm_create_writer_callback_sink; the writer calls them as it calls the SDK methods.
    "IWMWriterSink, IWMWriterFileSink/2/3, IWMWriterNetworkSink, IWMWriterPushSink": [
        ("IWMWriterSink::OnHeader", ["wm_create_writer_callback_sink"], 3, "(`on_header` callback)"),
        ("IWMWriterSink::OnDataUnit", ["wm_create_writer_callback_sink"], 3, "(`on_data_unit` callback)"),
        ("IWMWriterSink::OnEndWriting", ["wm_create_writer_callback_sink"], 3, "(`on_end_writing` callback)"),
    ],
    "IWMRegisterCallback, IWMStatusCallback (on the writer and on each sink)": [
        ("IWMRegisterCallback::Advise", ["wm_writer_advise", "wm_writer_sink_advise"], 18),
        ("IWMRegisterCallback::Unadvise", ["wm_writer_unadvise", "wm_writer_sink_unadvise"], 18),
        ("IWMStatusCallback::OnStatus", ["wm_writer_advise"], 18, "(the `WMStatusCallback` given to advise)"),
    ],
    "IWMMediaProps, IWMVideoMediaProps, IWMInputMediaProps": [
        ("IWMMediaProps::GetType", ["wm_stream_config_get_type", "wm_input_media_props_get_type"], 2),
        ("IWMMediaProps::GetMediaType", ["wm_stream_config_get_media_type", "wm_input_media_props_get_media_type"], 2),
        ("IWMMediaProps::SetMediaType", ["wm_stream_config_set_media_type", "wm_input_media_props_set_media_type"], 2),
    ],
}
TAIL_GROUP = ("Factories and IUnknown", [
    ("WMCreateWriter", ["wm_create_writer"], 2),
    ("WMCreateProfileManager", ["wm_create_profile_manager"], 2),
    ("WMCreateWriterFileSink", ["wm_create_writer_file_sink"], 3),
    ("WMCreateWriterNetworkSink", ["wm_create_writer_network_sink"], 14),
    ("WMCreateWriterPushSink", ["wm_create_writer_push_sink"], 14),
    ("WMCreateIndexer", ["wm_create_indexer"], 18),
    ("IUnknown::AddRef", "*_add_ref", 2),  # every wm_<object>_add_ref the header declares
    ("IUnknown::Release", "*_release", 2),  # every wm_<object>_release
])

# C functions with no SDK counterpart: listed apart, not counted in the census.
NON_SDK = [
    ("wm_create_buffer", "a stand-alone INSSBuffer (the SDK's buffers come only from AllocateSample)"),
    ("wm_hresult_name", "an HRESULT's symbolic name"),
    ("wm_get_last_error_message", "what the calling thread's last failing call objected to"),
    ("wm_writer_network_sink_set_bind_address", "the address the network sink listens on (the SDK listens on every address)"),
    ("wm_writer_network_sink_get_bind_address", "the address the network sink listens on"),
    ("wm_indexer_wait", "wait for the indexer's current run to end; returns its HRESULT (the SDK has only the WMT_CLOSED callback)"),
    ("wm_writer_file_sink_set_flush_interval", "rewrite a file sink's header every N ms while writing, so a killed writer leaves a repairable file"),
    ("wm_writer_file_sink_get_flush_interval", "the file sink's flush interval"),
    ("wm_writer_file_sink_get_control_stream", "whether a stream is a file sink's control stream (the SDK has only SetControlStream)"),
]

# Rows whose function exists but does not yet do what the SDK's method does (issue 18):
# listed as partial, never counted as implemented. Remove a row here when a test shows
# the method's effect where the SDK's would show.
PARTIAL = {
}

# Rows refused by design: (the HRESULT every call returns, why).
_DRM = ("NS_E_DRM_UNABLE_TO_INITIALIZE", "no DRM system exists to bind to on this platform")
REFUSED = {f"{i}::{m}": _DRM for i, ms in [
    ("IWMDRMWriter", ["GenerateKeySeed", "GenerateKeyID", "GenerateSigningKeyPair", "SetDRMAttribute"]),
    ("IWMDRMWriter2", ["SetWMDRMNetEncryption"]), ("IWMDRMWriter3", ["SetProtectStreamSamples"])] for m in ms}


def snake(method):
    """GetHostURL -> get_host_url, SetUnbufferedIO -> set_unbuffered_io, GetProfileID -> get_profile_id."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", method)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.lower()


def declared_functions(header_text):
    text = re.sub(r"/\*.*?\*/", " ", header_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^\s*#[^\n]*", " ", text, flags=re.M)
    return set(re.findall(r"\b(wm_\w+)\s*\(", text))


def all_groups():
    groups = []
    for title, parts in GROUPS:
        rows = list(EXTRA_ROWS.get(title, []))
        for iface, prefix, issue, methods in parts:
            for m in methods:
                rows.append((f"{iface}::{m}", [prefix + snake(m)], issue))
        groups.append((title, rows))
    groups.append(TAIL_GROUP)
    return groups


def render(declared):
    out, named, partial = [], set(), []
    total = implemented = 0
    for title, rows in all_groups():
        out += [f"### {title}", "", "| SDK method | C function | status |", "|---|---|---|"]
        for method, funcs, issue, *note in rows:
            if isinstance(funcs, str):
                suffix = funcs.lstrip("*")
                funcs = sorted(f for f in declared if f.endswith(suffix) and f.startswith("wm_"))
            named.update(funcs)
            total += 1
            label = method if method.startswith("(") else f"`{method}`"
            have = [f for f in funcs if f in declared]
            cell = ", ".join(f"`{f}`" for f in funcs) + (f" {note[0]}" if note else "")
            if have and len(have) == len(funcs):
                if method in REFUSED:
                    code, why = REFUSED[method]
                    out.append(f"| {label} | {cell} | refused by design (`{code}`): {why} |")
                elif method in PARTIAL:
                    out.append(f"| {label} | {cell} | partial (#18): {PARTIAL[method]} |")
                else:
                    implemented += 1
                    out.append(f"| {label} | {cell} | implemented |")
            else:
                if have:
                    partial.append(f"{method}: only {', '.join(have)} of {', '.join(funcs)}")
                out.append(f"| {label} | — | not yet (#{issue}) |")
        out.append("")
    out += ["### C functions with no SDK counterpart (not counted)", "", "| C function | what it is for |", "|---|---|"]
    for f, what in NON_SDK:
        if f in declared:
            named.add(f)
            out.append(f"| `{f}` | {what} |")
    out.append("")
    summary = f"{implemented} of {total} methods implemented."
    return summary + "\n\n" + "\n".join(out).rstrip() + "\n", sorted(declared - named), partial


def main():
    declared = declared_functions(HEADER.read_text(encoding="utf-8"))
    table, unnamed, partial = render(declared)
    readme = README.read_text(encoding="utf-8")
    if START not in readme or END not in readme:
        print(f"{README.name}: markers {START} / {END} not found", file=sys.stderr)
        return 1
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{table}{END}{tail}"
    for u in unnamed:
        print(f"update-readme-table: {u} is declared but no row names it; add it to {Path(__file__).name}", file=sys.stderr)
    for p in partial:
        print(f"update-readme-table: partly implemented, listed as not yet: {p}", file=sys.stderr)
    if "--check" in sys.argv[1:]:
        if new != readme:
            print(f"update-readme-table: {README.name} is stale; run scripts/update-readme-table.py", file=sys.stderr)
            return 1
        return 1 if unnamed or partial else 0
    if new != readme:
        README.write_text(new, encoding="utf-8")
        print(f"update-readme-table: rewrote the method tables in {README.name}")
    return 1 if unnamed or partial else 0


if __name__ == "__main__":
    sys.exit(main())
