// The header as C++17 (-Wall -Wextra -Wpedantic -Werror): it must compile, its
// constants must be constant expressions with the SDK values, and the functions must
// have C linkage (this file calls them and links against the C library).
#include "wmwriter.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#define X(name, value)                                                          \
    static_assert((name) == static_cast<HRESULT>(value##u), #name " value");
#include "hresults.def"
#undef X

static_assert(std::is_same<HRESULT, std::int32_t>::value, "HRESULT is int32_t");
static_assert(sizeof(WMGuid) == 16, "WMGuid");
static_assert(std::is_standard_layout<WM_MEDIA_TYPE>::value, "WM_MEDIA_TYPE is standard layout");
static_assert(std::is_trivially_copyable<WM_MEDIA_TYPE>::value, "WM_MEDIA_TYPE is POD-like");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
static_assert(sizeof(WM_MEDIA_TYPE) == 88, "WM_MEDIA_TYPE is 88 bytes on 64-bit");
static_assert(offsetof(WM_MEDIA_TYPE, formattype) == 44, "formattype");
static_assert(offsetof(WM_MEDIA_TYPE, cbFormat) == 72, "cbFormat");
static_assert(offsetof(WM_MEDIA_TYPE, pbFormat) == 80, "pbFormat");
#endif
static_assert(WMT_VER_9_0 == 0x00090000, "WMT_VER_9_0");

extern "C" int wm_header_cxx_check(void);

extern "C" int wm_header_cxx_check(void) {
    int failures = 0;
    if (std::strcmp(wm_hresult_name(NS_E_INVALID_REQUEST), "NS_E_INVALID_REQUEST") != 0) failures++;
    if (std::strcmp(wm_hresult_name(E_POINTER), "E_POINTER") != 0) failures++;
    WMGuid audio = WMMEDIATYPE_Audio;
    if (audio.Data1 != 0x73647561u || audio.Data3 != 0x0010) failures++;
    // The function types are what the C side declares.
    HRESULT (*create)(WMWriter **) = &wm_create_writer;
    uint32_t (*release)(WMWriter *) = &wm_writer_release;
    WMWriter *w = nullptr;
    if (create(&w) != S_OK || w == nullptr) failures++;
    if (release(w) != 0) failures++;
    return failures;
}
