/*
 * test_header: include/wmwriter.h compiled as strict C11 with
 * -Wall -Wextra -Wpedantic -Werror (this file, header_alone.c) and as C++17
 * (test_header_cxx.cpp). Pins every HRESULT to the SDK's value at compile time,
 * checks the WM_MEDIA_TYPE / WMGuid layouts, the GUID bytes, the other constants, and
 * that wm_hresult_name() names every code.
 */
#include "wmwriter.h"

#include <stddef.h>

#include "test_util.h"

/* ---- every HRESULT, at compile time ------------------------------------------ */
#define X(name, value)                                                              \
    _Static_assert((name) == (HRESULT)(value##u), #name " has the SDK value " #value); \
    _Static_assert(sizeof(name) == sizeof(HRESULT), #name " is a 32-bit value");
#include "hresults.def"
#undef X

/* The codes the brief spells out, again, literally. */
_Static_assert(S_OK == 0, "S_OK");
_Static_assert(S_FALSE == 1, "S_FALSE");
_Static_assert(E_NOTIMPL == (HRESULT)0x80004001, "E_NOTIMPL");
_Static_assert(E_POINTER == (HRESULT)0x80004003, "E_POINTER");
_Static_assert(E_FAIL == (HRESULT)0x80004005, "E_FAIL");
_Static_assert(E_UNEXPECTED == (HRESULT)0x8000FFFF, "E_UNEXPECTED");
_Static_assert(E_OUTOFMEMORY == (HRESULT)0x8007000E, "E_OUTOFMEMORY");
_Static_assert(E_INVALIDARG == (HRESULT)0x80070057, "E_INVALIDARG");
_Static_assert(NS_E_INVALID_REQUEST == (HRESULT)0xC00D002B, "NS_E_INVALID_REQUEST");
_Static_assert(NS_E_NOT_CONFIGURED == (HRESULT)0xC00D0BBC, "NS_E_NOT_CONFIGURED");
_Static_assert(NS_E_INVALID_INPUT_FORMAT == (HRESULT)0xC00D0BB8, "NS_E_INVALID_INPUT_FORMAT");
_Static_assert(NS_E_INVALID_STREAM == (HRESULT)0xC00D003C, "NS_E_INVALID_STREAM");
_Static_assert(NS_E_FILE_OPEN_FAILED == (HRESULT)0xC00D001D, "NS_E_FILE_OPEN_FAILED");
_Static_assert(NS_E_FILE_WRITE == (HRESULT)0xC00D0018, "NS_E_FILE_WRITE");
_Static_assert(NS_E_INVALIDPROFILE == (HRESULT)0xC00D0BC6, "NS_E_INVALIDPROFILE");
_Static_assert(ASF_E_BUFFERTOOSMALL == (HRESULT)0xC00D07D1, "ASF_E_BUFFERTOOSMALL");
_Static_assert(ASF_E_STREAMNUMBERINUSE == (HRESULT)0xC00D0806, "ASF_E_STREAMNUMBERINUSE");
_Static_assert(NS_E_NO_STREAM == (HRESULT)0xC00D0033, "NS_E_NO_STREAM");
_Static_assert(NS_E_LATE_OPERATION == (HRESULT)0xC00D002E, "NS_E_LATE_OPERATION");
_Static_assert(NS_E_INVALID_DATA == (HRESULT)0xC00D002F, "NS_E_INVALID_DATA");

/* Failure codes are negative (FAILED(hr)), success codes are not. */
_Static_assert(E_POINTER < 0 && NS_E_INVALID_REQUEST < 0 && ASF_E_BUFFERTOOSMALL < 0, "failures < 0");
_Static_assert(S_OK >= 0 && S_FALSE >= 0, "successes >= 0");

/* ---- types and layouts --------------------------------------------------------- */
_Static_assert(sizeof(HRESULT) == 4, "HRESULT is 32 bits");
_Static_assert(_Generic((HRESULT)0, int32_t: 1, default: 0), "HRESULT is int32_t");
_Static_assert(sizeof(WMGuid) == 16, "sizeof(WMGuid)");
_Static_assert(offsetof(WMGuid, Data1) == 0, "WMGuid.Data1");
_Static_assert(offsetof(WMGuid, Data2) == 4, "WMGuid.Data2");
_Static_assert(offsetof(WMGuid, Data3) == 6, "WMGuid.Data3");
_Static_assert(offsetof(WMGuid, Data4) == 8, "WMGuid.Data4");

_Static_assert(offsetof(WM_MEDIA_TYPE, majortype) == 0, "majortype");
_Static_assert(offsetof(WM_MEDIA_TYPE, subtype) == 16, "subtype");
_Static_assert(offsetof(WM_MEDIA_TYPE, bFixedSizeSamples) == 32, "bFixedSizeSamples");
_Static_assert(offsetof(WM_MEDIA_TYPE, bTemporalCompression) == 36, "bTemporalCompression");
_Static_assert(offsetof(WM_MEDIA_TYPE, lSampleSize) == 40, "lSampleSize");
_Static_assert(offsetof(WM_MEDIA_TYPE, formattype) == 44, "formattype");
_Static_assert(sizeof(((WM_MEDIA_TYPE *)0)->bFixedSizeSamples) == 4, "BOOL is 4 bytes");
_Static_assert(sizeof(((WM_MEDIA_TYPE *)0)->lSampleSize) == 4, "ULONG is 4 bytes");
_Static_assert(sizeof(((WM_MEDIA_TYPE *)0)->cbFormat) == 4, "cbFormat is 4 bytes");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(sizeof(WM_MEDIA_TYPE) == 88, "sizeof(WM_MEDIA_TYPE) on 64-bit");
_Static_assert(offsetof(WM_MEDIA_TYPE, pUnk) == 64, "pUnk on 64-bit");
_Static_assert(offsetof(WM_MEDIA_TYPE, cbFormat) == 72, "cbFormat on 64-bit");
_Static_assert(offsetof(WM_MEDIA_TYPE, pbFormat) == 80, "pbFormat on 64-bit");
#elif UINTPTR_MAX == 0xFFFFFFFFu
_Static_assert(sizeof(WM_MEDIA_TYPE) == 72, "sizeof(WM_MEDIA_TYPE) on 32-bit");
_Static_assert(offsetof(WM_MEDIA_TYPE, pUnk) == 60, "pUnk on 32-bit");
_Static_assert(offsetof(WM_MEDIA_TYPE, cbFormat) == 64, "cbFormat on 32-bit");
_Static_assert(offsetof(WM_MEDIA_TYPE, pbFormat) == 68, "pbFormat on 32-bit");
#endif

/* ---- other constants ------------------------------------------------------------ */
_Static_assert(WMT_VER_4_0 == 0x00040000, "WMT_VER_4_0");
_Static_assert(WMT_VER_7_0 == 0x00070000, "WMT_VER_7_0");
_Static_assert(WMT_VER_8_0 == 0x00080000, "WMT_VER_8_0");
_Static_assert(WMT_VER_9_0 == 0x00090000, "WMT_VER_9_0");
_Static_assert(WM_SF_CLEANPOINT == 0x1, "WM_SF_CLEANPOINT");
_Static_assert(WM_SF_DISCONTINUITY == 0x2, "WM_SF_DISCONTINUITY");
_Static_assert(WM_SF_DATALOSS == 0x4, "WM_SF_DATALOSS");
_Static_assert(WM_MAX_FORMAT_SIZE == 1048576, "WM_MAX_FORMAT_SIZE is 1 MiB");

/* The C++ translation unit's own checks (test_header_cxx.cpp). */
int wm_header_cxx_check(void);
/* header_alone.c */
size_t wm_header_alone_media_type_size(void);

/* ---- GUIDs ------------------------------------------------------------------------ */
#define G(d1, d2, d3, b0, b1, b2, b3, b4, b5, b6, b7) \
    { (d1), (d2), (d3), { (b0), (b1), (b2), (b3), (b4), (b5), (b6), (b7) } }
/* A FOURCC-style GUID: XXXXXXXX-0000-0010-8000-00AA00389B71. */
#define FCC(d1) G(d1, 0x0000, 0x0010, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71)
#define RGBSUB(d1) G(d1, 0x524F, 0x11CE, 0x9F, 0x53, 0x00, 0x20, 0xAF, 0x0B, 0xA7, 0x70)

typedef struct {
    const char *name;
    const WMGuid *actual;
    WMGuid expected;
} guid_case;

static const guid_case GUIDS[] = {
    {"WMMEDIATYPE_Audio", &WMMEDIATYPE_Audio, FCC(0x73647561)},
    {"WMMEDIATYPE_Video", &WMMEDIATYPE_Video, FCC(0x73646976)},
    {"WMMEDIATYPE_Script", &WMMEDIATYPE_Script, FCC(0x73636D64)},
    {"WMMEDIATYPE_Image", &WMMEDIATYPE_Image, G(0x34A50FD8, 0x8AA5, 0x4386, 0x81, 0xFE, 0xA0, 0xEF, 0xE0, 0x48, 0x8E, 0x31)},
    {"WMMEDIATYPE_FileTransfer", &WMMEDIATYPE_FileTransfer, G(0xD9E47579, 0x930E, 0x4427, 0xAD, 0xFC, 0xAD, 0x80, 0xF2, 0x90, 0xE4, 0x70)},
    {"WMMEDIATYPE_Text", &WMMEDIATYPE_Text, G(0x9BBA1EA7, 0x5AB2, 0x4829, 0xBA, 0x57, 0x09, 0x40, 0x20, 0x9B, 0xCF, 0x3E)},
    {"WMMEDIASUBTYPE_Base", &WMMEDIASUBTYPE_Base, FCC(0x00000000)},
    {"WMMEDIASUBTYPE_PCM", &WMMEDIASUBTYPE_PCM, FCC(0x00000001)},
    {"WMMEDIASUBTYPE_DRM", &WMMEDIASUBTYPE_DRM, FCC(0x00000009)},
    {"WMMEDIASUBTYPE_WMSP1", &WMMEDIASUBTYPE_WMSP1, FCC(0x0000000A)},
    {"WMMEDIASUBTYPE_WMSP2", &WMMEDIASUBTYPE_WMSP2, FCC(0x0000000B)},
    {"WMMEDIASUBTYPE_MP3", &WMMEDIASUBTYPE_MP3, FCC(0x00000055)},
    {"WMMEDIASUBTYPE_ACELPnet", &WMMEDIASUBTYPE_ACELPnet, FCC(0x00000130)},
    {"WMMEDIASUBTYPE_WMAudioV2", &WMMEDIASUBTYPE_WMAudioV2, FCC(0x00000161)},
    {"WMMEDIASUBTYPE_WMAudioV7", &WMMEDIASUBTYPE_WMAudioV7, FCC(0x00000161)},
    {"WMMEDIASUBTYPE_WMAudioV8", &WMMEDIASUBTYPE_WMAudioV8, FCC(0x00000161)},
    {"WMMEDIASUBTYPE_WMAudioV9", &WMMEDIASUBTYPE_WMAudioV9, FCC(0x00000162)},
    {"WMMEDIASUBTYPE_WMAudio_Lossless", &WMMEDIASUBTYPE_WMAudio_Lossless, FCC(0x00000163)},
    {"WMMEDIASUBTYPE_WMV1", &WMMEDIASUBTYPE_WMV1, FCC(0x31564D57)},
    {"WMMEDIASUBTYPE_WMV2", &WMMEDIASUBTYPE_WMV2, FCC(0x32564D57)},
    {"WMMEDIASUBTYPE_WMV3", &WMMEDIASUBTYPE_WMV3, FCC(0x33564D57)},
    {"WMMEDIASUBTYPE_WMVA", &WMMEDIASUBTYPE_WMVA, FCC(0x41564D57)},
    {"WMMEDIASUBTYPE_WVC1", &WMMEDIASUBTYPE_WVC1, FCC(0x31435657)},
    {"WMMEDIASUBTYPE_WMVP", &WMMEDIASUBTYPE_WMVP, FCC(0x50564D57)},
    {"WMMEDIASUBTYPE_WVP2", &WMMEDIASUBTYPE_WVP2, FCC(0x32505657)},
    {"WMMEDIASUBTYPE_MSS1", &WMMEDIASUBTYPE_MSS1, FCC(0x3153534D)},
    {"WMMEDIASUBTYPE_MSS2", &WMMEDIASUBTYPE_MSS2, FCC(0x3253534D)},
    {"WMMEDIASUBTYPE_MP43", &WMMEDIASUBTYPE_MP43, FCC(0x3334504D)},
    {"WMMEDIASUBTYPE_MP4S", &WMMEDIASUBTYPE_MP4S, FCC(0x5334504D)},
    {"WMMEDIASUBTYPE_M4S2", &WMMEDIASUBTYPE_M4S2, FCC(0x3253344D)},
    {"WMMEDIASUBTYPE_I420", &WMMEDIASUBTYPE_I420, FCC(0x30323449)},
    {"WMMEDIASUBTYPE_IYUV", &WMMEDIASUBTYPE_IYUV, FCC(0x56555949)},
    {"WMMEDIASUBTYPE_YV12", &WMMEDIASUBTYPE_YV12, FCC(0x32315659)},
    {"WMMEDIASUBTYPE_YUY2", &WMMEDIASUBTYPE_YUY2, FCC(0x32595559)},
    {"WMMEDIASUBTYPE_UYVY", &WMMEDIASUBTYPE_UYVY, FCC(0x59565955)},
    {"WMMEDIASUBTYPE_YVYU", &WMMEDIASUBTYPE_YVYU, FCC(0x55595659)},
    {"WMMEDIASUBTYPE_P422", &WMMEDIASUBTYPE_P422, FCC(0x32323450)},
    {"WMMEDIASUBTYPE_YVU9", &WMMEDIASUBTYPE_YVU9, FCC(0x39555659)},
    {"WMMEDIASUBTYPE_RGB1", &WMMEDIASUBTYPE_RGB1, RGBSUB(0xE436EB78)},
    {"WMMEDIASUBTYPE_RGB4", &WMMEDIASUBTYPE_RGB4, RGBSUB(0xE436EB79)},
    {"WMMEDIASUBTYPE_RGB8", &WMMEDIASUBTYPE_RGB8, RGBSUB(0xE436EB7A)},
    {"WMMEDIASUBTYPE_RGB565", &WMMEDIASUBTYPE_RGB565, RGBSUB(0xE436EB7B)},
    {"WMMEDIASUBTYPE_RGB555", &WMMEDIASUBTYPE_RGB555, RGBSUB(0xE436EB7C)},
    {"WMMEDIASUBTYPE_RGB24", &WMMEDIASUBTYPE_RGB24, RGBSUB(0xE436EB7D)},
    {"WMMEDIASUBTYPE_RGB32", &WMMEDIASUBTYPE_RGB32, RGBSUB(0xE436EB7E)},
    {"WMMEDIASUBTYPE_MPEG2_VIDEO", &WMMEDIASUBTYPE_MPEG2_VIDEO, G(0xE06D8026, 0xDB46, 0x11CF, 0xB4, 0xD1, 0x00, 0x80, 0x5F, 0x6C, 0xBB, 0xEA)},
    {"WMMEDIASUBTYPE_VIDEOIMAGE", &WMMEDIASUBTYPE_VIDEOIMAGE, G(0x1D4A45F2, 0xE5F6, 0x4B44, 0x83, 0x88, 0xF0, 0xAE, 0x5C, 0x0E, 0x0C, 0x37)},
    {"WMMEDIASUBTYPE_WebStream", &WMMEDIASUBTYPE_WebStream, G(0x776257D4, 0xC627, 0x41CB, 0x8F, 0x81, 0x7A, 0xC7, 0xFF, 0x1C, 0x40, 0xCC)},
    {"WMSCRIPTTYPE_TwoStrings", &WMSCRIPTTYPE_TwoStrings, G(0x82F38A70, 0xC29F, 0x11D1, 0x97, 0xAD, 0x00, 0xA0, 0xC9, 0x5E, 0xA8, 0x50)},
    {"WMFORMAT_VideoInfo", &WMFORMAT_VideoInfo, G(0x05589F80, 0xC356, 0x11CE, 0xBF, 0x01, 0x00, 0xAA, 0x00, 0x55, 0x59, 0x5A)},
    {"WMFORMAT_WaveFormatEx", &WMFORMAT_WaveFormatEx, G(0x05589F81, 0xC356, 0x11CE, 0xBF, 0x01, 0x00, 0xAA, 0x00, 0x55, 0x59, 0x5A)},
    {"WMFORMAT_MPEG2Video", &WMFORMAT_MPEG2Video, G(0xE06D80E3, 0xDB46, 0x11CF, 0xB4, 0xD1, 0x00, 0x80, 0x5F, 0x6C, 0xBB, 0xEA)},
    {"WMFORMAT_Script", &WMFORMAT_Script, G(0x5C8510F2, 0xDEBE, 0x4CA7, 0xBB, 0xA5, 0xF0, 0x7A, 0x10, 0x4F, 0x8D, 0xFF)},
    {"WMFORMAT_WebStream", &WMFORMAT_WebStream, G(0xDA1E6B13, 0x8359, 0x4050, 0xB3, 0x98, 0x38, 0x8E, 0x96, 0x5B, 0xF0, 0x0C)},
    {"CLSID_WMMUTEX_Language", &CLSID_WMMUTEX_Language, G(0xD6E22A00, 0x35DA, 0x11D1, 0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE)},
    {"CLSID_WMMUTEX_Bitrate", &CLSID_WMMUTEX_Bitrate, G(0xD6E22A01, 0x35DA, 0x11D1, 0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE)},
    {"CLSID_WMMUTEX_Presentation", &CLSID_WMMUTEX_Presentation, G(0xD6E22A02, 0x35DA, 0x11D1, 0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE)},
    {"CLSID_WMMUTEX_Unknown", &CLSID_WMMUTEX_Unknown, G(0xD6E22A03, 0x35DA, 0x11D1, 0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE)},
    {"CLSID_WMBandwidthSharing_Exclusive", &CLSID_WMBandwidthSharing_Exclusive, G(0xAF6060AA, 0x5197, 0x11D2, 0xB6, 0xAF, 0x00, 0xC0, 0x4F, 0xD9, 0x08, 0xE9)},
    {"CLSID_WMBandwidthSharing_Partial", &CLSID_WMBandwidthSharing_Partial, G(0xAF6060AB, 0x5197, 0x11D2, 0xB6, 0xAF, 0x00, 0xC0, 0x4F, 0xD9, 0x08, 0xE9)},
};

static void check_guids(void) {
    /* 73647561-0000-0010-8000-00AA00389B71 as the bytes in memory (little-endian). */
    static const uint8_t audio_bytes[16] = {0x61, 0x75, 0x64, 0x73, 0x00, 0x00, 0x10, 0x00,
                                            0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    size_t i;
    CHECK(memcmp(&WMMEDIATYPE_Audio, audio_bytes, 16) == 0);
    CHECK_EQ_U(WMMEDIATYPE_Audio.Data1, 0x73647561u);
    CHECK_EQ_U(WMMEDIATYPE_Audio.Data2, 0x0000u);
    CHECK_EQ_U(WMMEDIATYPE_Audio.Data3, 0x0010u);
    for (i = 0; i < sizeof GUIDS / sizeof GUIDS[0]; i++) {
        const guid_case *c = &GUIDS[i];
        if (memcmp(c->actual, &c->expected, sizeof(WMGuid)) == 0) {
            wm_t_pass();
        } else {
            const WMGuid *a = c->actual;
            wm_t_fail_at(__FILE__, __LINE__);
            fprintf(stderr, "%s is %08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X\n", c->name,
                    a->Data1, a->Data2, a->Data3, a->Data4[0], a->Data4[1], a->Data4[2], a->Data4[3],
                    a->Data4[4], a->Data4[5], a->Data4[6], a->Data4[7]);
        }
    }
}

static void check_names(void) {
    /* Every code has its own symbolic name. */
#define X(name, value) CHECK_STR_EQ(wm_hresult_name(name), #name);
#include "hresults.def"
#undef X
    CHECK_STR_EQ(wm_hresult_name(NS_E_INVALID_REQUEST), "NS_E_INVALID_REQUEST");
    CHECK_STR_EQ(wm_hresult_name((HRESULT)0x12345678), "unknown HRESULT");
    CHECK_STR_EQ(wm_hresult_name((HRESULT)0xC00D0000), "unknown HRESULT");
}

int main(void) {
    check_guids();
    check_names();
    /* No call has failed on this thread: the message is empty (not NULL). */
    CHECK(wm_get_last_error_message() != NULL);
    CHECK_STR_EQ(wm_get_last_error_message(), "");
    CHECK_EQ_U(wm_header_cxx_check(), 0);
    CHECK_EQ_U(wm_header_alone_media_type_size(), sizeof(WM_MEDIA_TYPE));
    return wm_t_summary();
}
