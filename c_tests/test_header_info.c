/*
 * test_header_info.c: the writer's IWMHeaderInfo 1-3 through the C ABI (issue 6).
 *
 * Every wm_writer_* header-info function with every documented code: NULL writer
 * (E_POINTER), NULL pointers (E_INVALIDARG), reads with no profile or while writing and
 * changes while writing (NS_E_INVALID_REQUEST), stream numbers not in the profile, bad
 * value lengths and types, GUIDs only through add_attribute, coded attributes
 * (NS_E_ATTRIBUTE_READ_ONLY, readable with their true values after end_writing),
 * strings without their NUL, the size-query protocol (ASF_E_BUFFERTOOSMALL with the
 * size written back), ASF_E_NOTFOUND, out-params zeroed on failure, set_profile
 * clearing everything, WM/Picture given as a WM_PICTURE read back in the file layout,
 * UTF-8 round trips. Then the full issue-6 file is written from C and checked with
 * check_metadata.py (an independent ASF walker, mutagen, ffprobe/ffmpeg, exiftool).
 *
 * Usage: test_header_info [scratch-dir] [cover.jpg]
 *   scratch-dir defaults to a new /tmp/wmwriter_test_header_info.XXXXXX; cover.jpg to
 *   WM_TEST_SOURCE_DIR/data/cover.jpg (WM_TEST_SOURCE_DIR defaults to "c_tests", i.e.
 *   run from the repository root when not built by CMake).
 * Exit: 0 passed, 1 failed, 77 skipped (a reader missing, WMWRITER_REQUIRE_TOOLS != 1).
 * "KNOWN BUG: ..." lines are library bugs this test asserts the correct behaviour for;
 * they are reported but not counted as failures.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "test_util.h"

#include <unistd.h>

#ifndef WM_TEST_SOURCE_DIR
#define WM_TEST_SOURCE_DIR "c_tests"
#endif
#ifndef WM_TEST_PYTHON
#define WM_TEST_PYTHON "python3"
#endif

#define POISON16 ((uint16_t)0xBEEF)
#define POISON32 ((uint32_t)0xDEADBEEFu)
#define POISON64 ((uint64_t)0xDEADBEEFDEADBEEFull)

#define MS ((uint64_t)10000)
#define SEC ((uint64_t)10000000)
#define CHUNK_BYTES 17640u /* 100 ms of 44.1 kHz stereo 16-bit */
#define CHUNKS 20

/* ------------------------------------------------------------------------------ */
/* Checks that once tracked library bugs (all fixed): now ordinary checks that fail   */
/* ------------------------------------------------------------------------------ */

static int thi_known_bugs = 0;

#define KNOWN_BUG(cond, ...)                                                    \
    do {                                                                        \
        if (cond) {                                                             \
            wm_t_pass();                                                        \
        } else {                                                                \
            printf("FAILED (%s:%d): ", __FILE__, __LINE__);                     \
            printf(__VA_ARGS__);                                                \
            printf("\n");                                                       \
            wm_t_fail_at(__FILE__, __LINE__);                                   \
        }                                                                       \
    } while (0)

typedef WM_PICTURE thi_picture;

/* ------------------------------------------------------------------------------ */
/* Helpers                                                                         */
/* ------------------------------------------------------------------------------ */

static const char *TITLE = "\xC3\x9Cn\xC3\xAF" "c\xC3\xB8" "d\xC3\xA9 \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC"; /* Ünïcødé ✓ 日本 */

/* A profile with PCM stream 1 (44.1 kHz stereo 16-bit, input "Audio"); `lang` = its
 * RFC 1766 language (NULL = none). */
static WMProfile *make_profile(const char *lang) {
    WMProfileManager *m = NULL;
    WMProfile *p = NULL;
    WMStreamConfig *sc = NULL;
    uint8_t wfx[18];
    WM_MEDIA_TYPE mt;
    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    if (!m) return NULL;
    CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p), S_OK);
    wm_profile_manager_release(m);
    if (!p) return NULL;
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &sc), S_OK);
    if (!sc) {
        wm_profile_release(p);
        return NULL;
    }
    wm_t_wfx(wfx, 1, 2, 44100, 16, 0);
    wm_t_pcm_type(&mt, wfx);
    CHECK_HR(wm_stream_config_set_media_type(sc, &mt), S_OK);
    CHECK_HR(wm_stream_config_set_bitrate(sc, 44100u * 4u * 8u), S_OK);
    CHECK_HR(wm_stream_config_set_connection_name(sc, "Audio"), S_OK);
    if (lang) CHECK_HR(wm_stream_config_set_language(sc, lang), S_OK);
    CHECK_HR(wm_profile_add_stream(p, sc), S_OK);
    wm_stream_config_release(sc);
    return p;
}

static WMWriter *make_writer(WMProfile *p) {
    WMWriter *w = NULL;
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (w && p) CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    return w;
}

static HRESULT set_str(WMWriter *w, uint16_t stream, const char *name, const char *v) {
    return wm_writer_set_attribute(w, stream, name, WMT_TYPE_STRING, (const uint8_t *)v, (uint16_t)(strlen(v) + 1));
}

static HRESULT add_str(WMWriter *w, uint16_t stream, const char *name, uint16_t lang, const char *v, uint16_t *idx) {
    return wm_writer_add_attribute(w, stream, name, idx, WMT_TYPE_STRING, lang, (const uint8_t *)v, (uint32_t)(strlen(v) + 1));
}

static void le(uint8_t *p, uint64_t v, int n) {
    int i;
    for (i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t rd_le(const uint8_t *p, int n) {
    uint64_t v = 0;
    int i;
    for (i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static HRESULT set_num(WMWriter *w, uint16_t stream, const char *name, WMT_ATTR_DATATYPE t, uint64_t v, int n) {
    uint8_t b[8];
    le(b, v, n);
    return wm_writer_set_attribute(w, stream, name, t, b, (uint16_t)n);
}

/* get_attribute_by_name into `buf` (256 bytes); returns the HRESULT. */
static HRESULT by_name(WMWriter *w, uint16_t stream, const char *name, WMT_ATTR_DATATYPE *t, uint8_t *buf, uint16_t *len) {
    uint16_t s = stream;
    *len = 256;
    return wm_writer_get_attribute_by_name(w, &s, name, t, buf, len);
}

/* The value of `name` at file level is a number of type `t` equal to `want`. */
static void check_num(WMWriter *w, uint16_t stream, const char *name, WMT_ATTR_DATATYPE t, uint64_t want, int n) {
    uint8_t buf[256];
    uint16_t len = 0;
    WMT_ATTR_DATATYPE got = POISON32;
    CHECK_HR(by_name(w, stream, name, &got, buf, &len), S_OK);
    CHECK_EQ_U(got, t);
    CHECK_EQ_U(len, n);
    if (len == n) CHECK_EQ_U(rd_le(buf, n), want);
}

static void check_str(WMWriter *w, uint16_t stream, const char *name, const char *want) {
    uint8_t buf[256];
    uint16_t len = 0;
    WMT_ATTR_DATATYPE got = POISON32;
    CHECK_HR(by_name(w, stream, name, &got, buf, &len), S_OK);
    CHECK_EQ_U(got, WMT_TYPE_STRING);
    CHECK_EQ_U(len, strlen(want) + 1);
    if (len == strlen(want) + 1) CHECK_STR_EQ((const char *)buf, want);
}

static uint16_t attr_count(WMWriter *w, uint16_t stream) {
    uint16_t c = POISON16;
    CHECK_HR(wm_writer_get_attribute_count(w, stream, &c), S_OK);
    return c;
}

/* UTF-8 → UTF-16LE + NUL into out (room for 2*strlen+2 bytes); returns bytes written. */
static size_t utf16le(const char *s, uint8_t *out) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        uint32_t c;
        if (*p < 0x80) {
            c = *p++;
        } else if ((*p & 0xE0) == 0xC0) {
            c = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
            p += 2;
        } else if ((*p & 0xF0) == 0xE0) {
            c = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            p += 3;
        } else {
            c = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) | ((uint32_t)(p[2] & 0x3F) << 6) |
                (p[3] & 0x3F);
            p += 4;
        }
        if (c >= 0x10000) {
            c -= 0x10000;
            le(out + n, 0xD800 | (c >> 10), 2);
            le(out + n + 2, 0xDC00 | (c & 0x3FF), 2);
            n += 4;
        } else {
            le(out + n, c, 2);
            n += 2;
        }
    }
    out[n] = out[n + 1] = 0;
    return n + 2;
}

/* The WM/Picture file layout, built here from the reference (not by the library):
 * BYTE type, DWORD data length, UTF-16LE MIME + NUL, UTF-16LE description + NUL, data.
 * malloc'd; *n = its size. */
static uint8_t *picture_layout(const char *mime, uint8_t type, const char *desc, const uint8_t *data, uint32_t len,
                               size_t *n) {
    uint8_t *b = (uint8_t *)malloc(5 + 2 * strlen(mime) + 2 + 2 * strlen(desc) + 2 + len);
    size_t k = 0;
    if (!b) return NULL;
    b[k++] = type;
    le(b + k, len, 4);
    k += 4;
    k += utf16le(mime, b + k);
    k += utf16le(desc, b + k);
    if (len) memcpy(b + k, data, len);
    k += len;
    *n = k;
    return b;
}

/* b[i] = (31 i + 7 (i >> 8) + seed) & 255: the pattern check_metadata.py regenerates. */
static uint8_t *gen_bytes(size_t n, unsigned seed) {
    uint8_t *b = (uint8_t *)malloc(n);
    size_t i;
    if (!b) return NULL;
    for (i = 0; i < n; i++) b[i] = (uint8_t)((31u * i + 7u * (i >> 8) + seed) & 0xFFu);
    return b;
}

/* Write `n` chunks of 100 ms PCM on input 0, then end_writing. */
static void write_chunks(WMWriter *w, int n) {
    static uint8_t pcm[CHUNK_BYTES];
    int c;
    unsigned k;
    for (c = 0; c < n; c++) {
        for (k = 0; k < CHUNK_BYTES; k++) pcm[k] = (uint8_t)((k * 7u + (unsigned)c * 13u) % 251u);
        CHECK_HR(wm_t_write(w, 0, (uint64_t)c * 100 * MS, pcm, CHUNK_BYTES), S_OK);
    }
}

static int under_valgrind(void) {
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload") != NULL;
}

/* ------------------------------------------------------------------------------ */
/* 1. A NULL writer: E_POINTER, out-params zeroed                                   */
/* ------------------------------------------------------------------------------ */

static void test_null_writer(void) {
    uint16_t u16 = POISON16, s = 0, nl = 64, vl16 = 64, lang = POISON16, idx = POISON16, cnt = 4;
    uint32_t u32 = POISON32, vl32 = 64, t = POISON32;
    uint64_t tm = POISON64;
    char name[64];
    uint8_t val[64];
    uint16_t indices[4];
    const uint8_t one[4] = {1, 0, 0, 0};

    CHECK_HR(wm_writer_get_attribute_count(NULL, 0, &u16), E_POINTER);
    CHECK_EQ_U(u16, 0);
    u16 = POISON16;
    CHECK_HR(wm_writer_get_attribute_count_ex(NULL, 0, &u16), E_POINTER);
    CHECK_EQ_U(u16, 0);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_writer_get_attribute_by_index(NULL, 0, &s, name, &nl, &t, val, &vl16), E_POINTER);
    CHECK_EQ_U(t, 0);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(NULL, 0, 0, name, &nl, &t, &lang, val, &vl32), E_POINTER);
    CHECK_EQ_U(t, 0);
    CHECK_EQ_U(lang, 0);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_name(NULL, &s, "Title", &t, val, &vl16), E_POINTER);
    CHECK_EQ_U(t, 0);
    CHECK_HR(wm_writer_set_attribute(NULL, 0, "Title", WMT_TYPE_STRING, (const uint8_t *)"x", 2), E_POINTER);
    CHECK_HR(wm_writer_add_attribute(NULL, 0, "Title", &idx, WMT_TYPE_STRING, 0, (const uint8_t *)"x", 2), E_POINTER);
    CHECK_EQ_U(idx, 0);
    CHECK_HR(wm_writer_modify_attribute(NULL, 0, 0, WMT_TYPE_DWORD, 0, one, 4), E_POINTER);
    CHECK_HR(wm_writer_delete_attribute(NULL, 0, 0), E_POINTER);
    CHECK_HR(wm_writer_get_attribute_indices(NULL, 0, "Title", NULL, indices, &cnt), E_POINTER);
    CHECK_HR(wm_writer_add_marker(NULL, "m", 0), E_POINTER);
    CHECK_HR(wm_writer_remove_marker(NULL, 0), E_POINTER);
    u16 = POISON16;
    CHECK_HR(wm_writer_get_marker_count(NULL, &u16), E_POINTER);
    CHECK_EQ_U(u16, 0);
    CHECK_HR(wm_writer_get_marker(NULL, 0, name, &nl, &tm), E_POINTER);
    CHECK_EQ_U(tm, 0);
    CHECK_HR(wm_writer_add_script(NULL, "URL", "x", 0), E_POINTER);
    CHECK_HR(wm_writer_remove_script(NULL, 0), E_POINTER);
    u16 = POISON16;
    CHECK_HR(wm_writer_get_script_count(NULL, &u16), E_POINTER);
    CHECK_EQ_U(u16, 0);
    tm = POISON64;
    nl = 64;
    {
        char cmd[64];
        uint16_t cl = 64;
        CHECK_HR(wm_writer_get_script(NULL, 0, name, &nl, cmd, &cl, &tm), E_POINTER);
        CHECK_EQ_U(tm, 0);
    }
    CHECK_HR(wm_writer_get_codec_info_count(NULL, &u32), E_POINTER);
    CHECK_EQ_U(u32, 0);
    {
        uint16_t a = 64, b = 64, c = 64;
        char d[64];
        uint32_t ct = POISON32;
        CHECK_HR(wm_writer_get_codec_info(NULL, 0, &a, name, &b, d, &ct, &c, val), E_POINTER);
        CHECK_EQ_U(ct, 0);
    }
    CHECK_HR(wm_writer_add_codec_info(NULL, "n", "d", WMT_CODECINFO_AUDIO, 0, NULL), E_POINTER);
}

/* ------------------------------------------------------------------------------ */
/* 2. No profile yet                                                               */
/* ------------------------------------------------------------------------------ */

static void test_no_profile(void) {
    WMWriter *w = make_writer(NULL);
    WMProfile *p;
    uint16_t u16 = POISON16, s = 0, nl = 64, vl16 = 64, lang = POISON16, cnt = 4;
    uint32_t u32 = POISON32, vl32 = 64, t = POISON32;
    uint64_t tm = POISON64;
    char name[64], cmd[64];
    uint8_t val[64];
    uint16_t indices[4];
    if (!w) return;

    /* Reads need a profile. */
    CHECK_HR(wm_writer_get_attribute_count(w, 0, &u16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u16, 0);
    CHECK_LAST_ERROR("profile");
    u16 = POISON16;
    CHECK_HR(wm_writer_get_attribute_count_ex(w, 0, &u16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u16, 0);
    CHECK_HR(wm_writer_get_attribute_by_index(w, 0, &s, name, &nl, &t, val, &vl16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(t, 0);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 0, name, &nl, &t, &lang, val, &vl32), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(t, 0);
    CHECK_EQ_U(lang, 0);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "Title", &t, val, &vl16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(t, 0);
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "Title", NULL, indices, &cnt), NS_E_INVALID_REQUEST);
    u16 = POISON16;
    CHECK_HR(wm_writer_get_marker_count(w, &u16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u16, 0);
    CHECK_HR(wm_writer_get_marker(w, 0, name, &nl, &tm), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(tm, 0);
    u16 = POISON16;
    CHECK_HR(wm_writer_get_script_count(w, &u16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u16, 0);
    tm = POISON64;
    {
        uint16_t cl = 64;
        nl = 64;
        CHECK_HR(wm_writer_get_script(w, 0, name, &nl, cmd, &cl, &tm), NS_E_INVALID_REQUEST);
        CHECK_EQ_U(tm, 0);
    }
    CHECK_HR(wm_writer_get_codec_info_count(w, &u32), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u32, 0);
    {
        uint16_t a = 64, b = 64, c = 64;
        uint32_t ct = POISON32;
        CHECK_HR(wm_writer_get_codec_info(w, 0, &a, name, &b, cmd, &ct, &c, val), NS_E_INVALID_REQUEST);
        CHECK_EQ_U(ct, 0);
    }

    /* File-level changes are allowed before a profile (the SDK allows SetAttribute);
     * a stream number needs a profile. */
    CHECK_HR(set_str(w, 0, "Title", "before the profile"), S_OK);
    CHECK_HR(set_str(w, 1, "StreamNote", "x"), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR("profile");
    {
        uint16_t idx = POISON16;
        CHECK_HR(add_str(w, 1, "StreamNote", 0, "x", &idx), NS_E_INVALID_REQUEST);
        CHECK_EQ_U(idx, 0);
    }
    CHECK_HR(set_num(w, 0, "Duration", WMT_TYPE_QWORD, 1, 8), NS_E_ATTRIBUTE_READ_ONLY);
    CHECK_HR(wm_writer_add_marker(w, "early", 0), S_OK);
    CHECK_HR(wm_writer_add_script(w, "URL", "http://example.com/", 0), S_OK);
    CHECK_HR(wm_writer_add_codec_info(w, "Early", "codec", WMT_CODECINFO_UNKNOWN, 0, NULL), S_OK);

    /* set_profile clears them (as the SDK's SetProfile does). */
    p = make_profile(NULL);
    if (p) {
        CHECK_HR(wm_writer_set_profile(w, p), S_OK);
        CHECK_EQ_U(attr_count(w, 0), 0);
        CHECK_EQ_U(attr_count(w, 1), 0);
        u16 = POISON16;
        CHECK_HR(wm_writer_get_marker_count(w, &u16), S_OK);
        CHECK_EQ_U(u16, 0);
        u16 = POISON16;
        CHECK_HR(wm_writer_get_script_count(w, &u16), S_OK);
        CHECK_EQ_U(u16, 0);
        CHECK_HR(wm_writer_get_codec_info_count(w, &u32), S_OK);
        CHECK_EQ_U(u32, 1); /* only the PCM stream's own entry */
        wm_profile_release(p);
    }
    wm_writer_release(w);
}

/* ------------------------------------------------------------------------------ */
/* 3. NULL pointers: E_INVALIDARG, and the other out-params still zeroed             */
/* ------------------------------------------------------------------------------ */

static void test_null_args(WMWriter *w) {
    uint16_t s = 0, nl = 64, vl16 = 64, lang = POISON16, cnt = 4, idx = POISON16;
    uint32_t vl32 = 64, t = POISON32;
    uint64_t tm = POISON64;
    char name[64], cmd[64];
    uint8_t val[64];
    uint16_t indices[4];
    const uint8_t one[4] = {1, 0, 0, 0};

    CHECK_HR(set_str(w, 0, "Title", "t"), S_OK);
    CHECK_HR(wm_writer_add_marker(w, "m", 0), S_OK);
    CHECK_HR(wm_writer_add_script(w, "URL", "u", 0), S_OK);

    CHECK_HR(wm_writer_get_attribute_count(w, 0, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_get_attribute_count_ex(w, 0, NULL), E_INVALIDARG);

    /* get_attribute_by_index: stream, type and both length pointers are required. */
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index(w, 0, NULL, name, &nl, &t, val, &vl16), E_INVALIDARG);
    KNOWN_BUG(t == 0, "get_attribute_by_index with stream NULL leaves *type = 0x%" PRIX32
                      " (the header promises every out-param is zeroed on failure)", t);
    CHECK_HR(wm_writer_get_attribute_by_index(w, 0, &s, name, &nl, NULL, val, &vl16), E_INVALIDARG);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index(w, 0, &s, name, NULL, &t, val, &vl16), E_INVALIDARG);
    CHECK_EQ_U(t, 0);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index(w, 0, &s, name, &nl, &t, val, NULL), E_INVALIDARG);
    CHECK_EQ_U(t, 0);

    /* get_attribute_by_index_ex: type, language and both lengths. */
    lang = POISON16;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 0, name, &nl, NULL, &lang, val, &vl32), E_INVALIDARG);
    KNOWN_BUG(lang == 0, "get_attribute_by_index_ex with type NULL leaves *language = 0x%X (not zeroed on failure)",
              (unsigned)lang);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 0, name, &nl, &t, NULL, val, &vl32), E_INVALIDARG);
    CHECK_EQ_U(t, 0);
    t = POISON32;
    lang = POISON16;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 0, name, NULL, &t, &lang, val, &vl32), E_INVALIDARG);
    CHECK_EQ_U(t, 0);
    CHECK_EQ_U(lang, 0);
    t = POISON32;
    lang = POISON16;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 0, name, &nl, &t, &lang, val, NULL), E_INVALIDARG);
    CHECK_EQ_U(t, 0);
    CHECK_EQ_U(lang, 0);

    /* get_attribute_by_name: stream, name, type, length. */
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_name(w, NULL, "Title", &t, val, &vl16), E_INVALIDARG);
    KNOWN_BUG(t == 0, "get_attribute_by_name with stream NULL leaves *type = 0x%" PRIX32 " (not zeroed on failure)", t);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, NULL, &t, val, &vl16), E_INVALIDARG);
    KNOWN_BUG(t == 0, "get_attribute_by_name with name NULL leaves *type = 0x%" PRIX32 " (not zeroed on failure)", t);
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "Title", NULL, val, &vl16), E_INVALIDARG);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "Title", &t, val, NULL), E_INVALIDARG);
    CHECK_EQ_U(t, 0);

    /* Changes: name and value. */
    CHECK_HR(wm_writer_set_attribute(w, 0, NULL, WMT_TYPE_DWORD, one, 4), E_INVALIDARG);
    CHECK_HR(wm_writer_set_attribute(w, 0, "X", WMT_TYPE_DWORD, NULL, 4), E_INVALIDARG);
    idx = POISON16;
    CHECK_HR(wm_writer_add_attribute(w, 0, NULL, &idx, WMT_TYPE_DWORD, 0, one, 4), E_INVALIDARG);
    CHECK_EQ_U(idx, 0);
    idx = POISON16;
    CHECK_HR(wm_writer_add_attribute(w, 0, "X", &idx, WMT_TYPE_DWORD, 0, NULL, 4), E_INVALIDARG);
    CHECK_EQ_U(idx, 0);
    CHECK_HR(wm_writer_modify_attribute(w, 0, 0, WMT_TYPE_STRING, 0, NULL, 2), E_INVALIDARG);
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, NULL, NULL, indices, &cnt), E_INVALIDARG);
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "Title", NULL, indices, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "Title", NULL, NULL, NULL), E_INVALIDARG);

    /* Markers. */
    CHECK_HR(wm_writer_add_marker(w, NULL, 0), E_INVALIDARG);
    CHECK_HR(wm_writer_get_marker_count(w, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_get_marker(w, 0, name, &nl, NULL), E_INVALIDARG);
    tm = POISON64;
    CHECK_HR(wm_writer_get_marker(w, 0, name, NULL, &tm), E_INVALIDARG);
    CHECK_EQ_U(tm, 0);

    /* Scripts: NULL or empty type / command. */
    CHECK_HR(wm_writer_add_script(w, NULL, "c", 0), E_INVALIDARG);
    CHECK_HR(wm_writer_add_script(w, "URL", NULL, 0), E_INVALIDARG);
    CHECK_HR(wm_writer_add_script(w, "", "c", 0), E_INVALIDARG);
    CHECK_HR(wm_writer_add_script(w, "URL", "", 0), E_INVALIDARG);
    CHECK_HR(wm_writer_get_script_count(w, NULL), E_INVALIDARG);
    {
        uint16_t cl = 64;
        nl = 64;
        CHECK_HR(wm_writer_get_script(w, 0, name, &nl, cmd, &cl, NULL), E_INVALIDARG);
        tm = POISON64;
        CHECK_HR(wm_writer_get_script(w, 0, name, NULL, cmd, &cl, &tm), E_INVALIDARG);
        CHECK_EQ_U(tm, 0);
        tm = POISON64;
        CHECK_HR(wm_writer_get_script(w, 0, name, &nl, cmd, NULL, &tm), E_INVALIDARG);
        CHECK_EQ_U(tm, 0);
    }

    /* Codec info. */
    CHECK_HR(wm_writer_get_codec_info_count(w, NULL), E_INVALIDARG);
    {
        uint16_t a = 64, b = 64, c = 64;
        uint32_t ct = POISON32;
        CHECK_HR(wm_writer_get_codec_info(w, 0, &a, name, &b, cmd, NULL, &c, val), E_INVALIDARG);
        CHECK_HR(wm_writer_get_codec_info(w, 0, NULL, name, &b, cmd, &ct, &c, val), E_INVALIDARG);
        CHECK_EQ_U(ct, 0);
        ct = POISON32;
        CHECK_HR(wm_writer_get_codec_info(w, 0, &a, name, NULL, cmd, &ct, &c, val), E_INVALIDARG);
        CHECK_EQ_U(ct, 0);
        ct = POISON32;
        CHECK_HR(wm_writer_get_codec_info(w, 0, &a, name, &b, cmd, &ct, NULL, val), E_INVALIDARG);
        CHECK_EQ_U(ct, 0);
    }
    CHECK_HR(wm_writer_add_codec_info(w, NULL, "d", WMT_CODECINFO_AUDIO, 0, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_add_codec_info(w, "n", NULL, WMT_CODECINFO_AUDIO, 0, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_add_codec_info(w, "n", "d", WMT_CODECINFO_AUDIO, 2, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_add_codec_info(w, "n", "d", 2, 0, NULL), E_INVALIDARG);

    /* Nothing above changed anything. */
    CHECK_EQ_U(attr_count(w, 0), 1);
    {
        uint16_t c = POISON16;
        CHECK_HR(wm_writer_get_marker_count(w, &c), S_OK);
        CHECK_EQ_U(c, 1);
        c = POISON16;
        CHECK_HR(wm_writer_get_script_count(w, &c), S_OK);
        CHECK_EQ_U(c, 1);
    }
}

/* ------------------------------------------------------------------------------ */
/* 4. Types, lengths, strings                                                       */
/* ------------------------------------------------------------------------------ */

static void test_types(WMWriter *w) {
    static const uint8_t guid[16] = {0xBC, 0x7D, 0x60, 0xD1, 0x23, 0xE3, 0xE2, 0x4B,
                                     0x86, 0xA1, 0x48, 0xA4, 0x2A, 0x28, 0x44, 0x1E};
    static const uint8_t bin[5] = {0, 1, 2, 0xFE, 0xFF};
    uint8_t buf[256];
    uint16_t len = 0, idx = POISON16;
    WMT_ATTR_DATATYPE t = POISON32;

    /* Every type round-trips (little-endian numbers; BOOL is 4 bytes). */
    CHECK_HR(set_num(w, 0, "T/Dword", WMT_TYPE_DWORD, 0xA1B2C3D4u, 4), S_OK);
    check_num(w, 0, "T/Dword", WMT_TYPE_DWORD, 0xA1B2C3D4u, 4);
    CHECK_HR(set_num(w, 0, "T/Qword", WMT_TYPE_QWORD, 0x0123456789ABCDEFull, 8), S_OK);
    check_num(w, 0, "T/Qword", WMT_TYPE_QWORD, 0x0123456789ABCDEFull, 8);
    CHECK_HR(set_num(w, 0, "T/Word", WMT_TYPE_WORD, 0xBEEF, 2), S_OK);
    check_num(w, 0, "T/Word", WMT_TYPE_WORD, 0xBEEF, 2);
    CHECK_HR(set_num(w, 0, "T/Bool", WMT_TYPE_BOOL, 1, 4), S_OK);
    check_num(w, 0, "T/Bool", WMT_TYPE_BOOL, 1, 4);
    CHECK_HR(set_num(w, 0, "T/BoolFalse", WMT_TYPE_BOOL, 0, 4), S_OK);
    check_num(w, 0, "T/BoolFalse", WMT_TYPE_BOOL, 0, 4);
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Binary", WMT_TYPE_BINARY, bin, sizeof bin), S_OK);
    CHECK_HR(by_name(w, 0, "T/Binary", &t, buf, &len), S_OK);
    CHECK_EQ_U(t, WMT_TYPE_BINARY);
    CHECK(len == sizeof bin && memcmp(buf, bin, sizeof bin) == 0);
    CHECK_HR(set_str(w, 0, "T/String", "plain"), S_OK);
    check_str(w, 0, "T/String", "plain");
    CHECK_HR(set_str(w, 0, "T/Empty", ""), S_OK);
    check_str(w, 0, "T/Empty", "");
    /* UTF-8 non-ASCII values and names round-trip byte for byte. */
    CHECK_HR(set_str(w, 0, "Title", TITLE), S_OK);
    check_str(w, 0, "Title", TITLE);
    CHECK_HR(set_str(w, 0, "T/\xC3\x9C" "ber", "\xE6\x97\xA5\xE6\x9C\xAC"), S_OK);
    check_str(w, 0, "T/\xC3\x9C" "ber", "\xE6\x97\xA5\xE6\x9C\xAC");

    /* GUID: only through add_attribute (IWMHeaderInfo3), as in the SDK. */
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Guid", WMT_TYPE_GUID, guid, 16), E_INVALIDARG);
    CHECK_LAST_ERROR("add_attribute");
    CHECK_HR(wm_writer_add_attribute(w, 0, "T/Guid", &idx, WMT_TYPE_GUID, 0, guid, 16), S_OK);
    CHECK(idx != POISON16);
    CHECK_HR(by_name(w, 0, "T/Guid", &t, buf, &len), S_OK);
    CHECK_EQ_U(t, WMT_TYPE_GUID);
    CHECK(len == 16 && memcmp(buf, guid, 16) == 0);
    CHECK_HR(wm_writer_add_attribute(w, 0, "WM/MediaClassPrimaryID", &idx, WMT_TYPE_GUID, 0, guid, 16), S_OK);

    /* A value length that does not fit its type. */
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", WMT_TYPE_DWORD, buf, 3), E_INVALIDARG);
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", WMT_TYPE_DWORD, buf, 8), E_INVALIDARG);
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", WMT_TYPE_BOOL, buf, 2), E_INVALIDARG);
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", WMT_TYPE_QWORD, buf, 4), E_INVALIDARG);
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", WMT_TYPE_WORD, buf, 4), E_INVALIDARG);
    idx = POISON16;
    CHECK_HR(wm_writer_add_attribute(w, 0, "T/Bad", &idx, WMT_TYPE_GUID, 0, guid, 15), E_INVALIDARG);
    CHECK_EQ_U(idx, 0);
    CHECK_HR(wm_writer_add_attribute(w, 0, "T/Bad", &idx, WMT_TYPE_WORD, 0, buf, 1), E_INVALIDARG);
    /* Not a WMT_ATTR_DATATYPE. */
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", 7, buf, 4), E_INVALIDARG);
    CHECK_HR(wm_writer_add_attribute(w, 0, "T/Bad", &idx, 0xFFFFFFFFu, 0, buf, 4), E_INVALIDARG);

    /* Strings: the length counts the NUL, exactly. */
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", WMT_TYPE_STRING, (const uint8_t *)"abc", 3), E_INVALIDARG);
    CHECK_LAST_ERROR("NUL");
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", WMT_TYPE_STRING, (const uint8_t *)"abc", 0), E_INVALIDARG);
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", WMT_TYPE_STRING, (const uint8_t *)"a\0c", 4), E_INVALIDARG);
    CHECK_HR(wm_writer_add_attribute(w, 0, "T/Bad", &idx, WMT_TYPE_STRING, 0, (const uint8_t *)"abc", 3), E_INVALIDARG);
    /* Not UTF-8. */
    CHECK_HR(wm_writer_set_attribute(w, 0, "T/Bad", WMT_TYPE_STRING, (const uint8_t *)"\xFF\xFE", 3), E_INVALIDARG);
    CHECK_HR(set_str(w, 0, "\xFF", "x"), E_INVALIDARG);
    /* An empty name; a name over 1024 characters. */
    CHECK_HR(set_str(w, 0, "", "x"), E_INVALIDARG);
    {
        char long_name[1026];
        memset(long_name, 'n', 1025);
        long_name[1025] = 0;
        CHECK_HR(set_str(w, 0, long_name, "x"), E_INVALIDARG);
        long_name[1024] = 0;
        CHECK_HR(set_str(w, 0, long_name, "x"), S_OK);
        check_str(w, 0, long_name, "x");
    }

    /* Well-known names keep their types. */
    CHECK_HR(set_num(w, 0, "Title", WMT_TYPE_DWORD, 1, 4), E_INVALIDARG);
    CHECK_HR(set_num(w, 0, "WM/AlbumTitle", WMT_TYPE_DWORD, 1, 4), E_INVALIDARG);
    CHECK_HR(set_str(w, 0, "WM/Picture", "not a picture"), E_INVALIDARG);
    CHECK_HR(set_num(w, 0, "WM/TrackNumber", WMT_TYPE_DWORD, 7, 4), S_OK);
    check_num(w, 0, "WM/TrackNumber", WMT_TYPE_DWORD, 7, 4);
    CHECK_HR(set_str(w, 0, "WM/TrackNumber", "7"), S_OK); /* STRING or DWORD */
    check_str(w, 0, "WM/TrackNumber", "7");

    /* None of the failures above stored anything. */
    len = 256;
    {
        uint16_t s = 0;
        t = POISON32;
        CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "T/Bad", &t, buf, &len), ASF_E_NOTFOUND);
        CHECK_EQ_U(t, 0);
        CHECK_LAST_ERROR("T/Bad");
    }
}

/* ------------------------------------------------------------------------------ */
/* 5. The size-query protocol                                                       */
/* ------------------------------------------------------------------------------ */

static void test_size_protocol(WMWriter *w) {
    uint8_t buf[256];
    char name[64];
    uint16_t s = 0, nl, vl16, lang, idx = 0, cnt;
    uint32_t vl32;
    WMT_ATTR_DATATYPE t;
    uint16_t indices[8];
    size_t tl = strlen(TITLE) + 1;

    CHECK_HR(set_str(w, 0, "Title", TITLE), S_OK);
    cnt = 8;
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "Title", NULL, indices, &cnt), S_OK);
    CHECK_EQ_U(cnt, 1);
    if (cnt == 1) idx = indices[0];

    /* by_name: NULL buffer → size (and the type); too small → ASF_E_BUFFERTOOSMALL with
     * the size written back and *type 0; exact → S_OK. */
    vl16 = 0;
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "Title", &t, NULL, &vl16), S_OK);
    CHECK_EQ_U(vl16, tl);
    CHECK_EQ_U(t, WMT_TYPE_STRING);
    vl16 = (uint16_t)(tl - 1);
    t = POISON32;
    memset(buf, 0xAA, sizeof buf);
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "Title", &t, buf, &vl16), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(vl16, tl);
    CHECK_EQ_U(t, 0);
    CHECK_EQ_U(buf[0], 0xAA); /* nothing copied */
    vl16 = (uint16_t)tl;
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "Title", &t, buf, &vl16), S_OK);
    CHECK_EQ_U(vl16, tl);
    CHECK_STR_EQ((const char *)buf, TITLE);
    /* Not found. */
    vl16 = 256;
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "No Such Name", &t, buf, &vl16), ASF_E_NOTFOUND);
    CHECK_EQ_U(t, 0);

    /* by_index: name and value, each with the protocol. */
    nl = 0;
    vl16 = 0;
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index(w, idx, &s, NULL, &nl, &t, NULL, &vl16), S_OK);
    CHECK_EQ_U(nl, 6); /* "Title" + NUL */
    CHECK_EQ_U(vl16, tl);
    CHECK_EQ_U(t, WMT_TYPE_STRING);
    nl = 5;
    vl16 = (uint16_t)tl;
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index(w, idx, &s, name, &nl, &t, buf, &vl16), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(nl, 6);
    CHECK_EQ_U(t, 0);
    nl = 6;
    vl16 = 3;
    CHECK_HR(wm_writer_get_attribute_by_index(w, idx, &s, name, &nl, &t, buf, &vl16), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(vl16, tl);
    nl = sizeof name;
    vl16 = sizeof buf;
    CHECK_HR(wm_writer_get_attribute_by_index(w, idx, &s, name, &nl, &t, buf, &vl16), S_OK);
    CHECK_STR_EQ(name, "Title");
    CHECK_EQ_U(nl, 6);
    CHECK_STR_EQ((const char *)buf, TITLE);
    CHECK_EQ_U(vl16, tl);
    /* Out of range. */
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index(w, 999, &s, name, &nl, &t, buf, &vl16), E_INVALIDARG);
    CHECK_EQ_U(t, 0);

    /* by_index_ex: 32-bit value length, the language. */
    nl = 0;
    vl32 = 0;
    lang = POISON16;
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, idx, NULL, &nl, &t, &lang, NULL, &vl32), S_OK);
    CHECK_EQ_U(nl, 6);
    CHECK_EQ_U(vl32, tl);
    CHECK_EQ_U(lang, 0);
    vl32 = 1;
    t = POISON32;
    lang = POISON16;
    nl = sizeof name;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, idx, name, &nl, &t, &lang, buf, &vl32), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(vl32, tl);
    CHECK_EQ_U(t, 0);
    CHECK_EQ_U(lang, 0);
    t = POISON32;
    lang = POISON16;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 999, name, &nl, &t, &lang, buf, &vl32), E_INVALIDARG);
    CHECK_EQ_U(t, 0);
    CHECK_EQ_U(lang, 0);

    /* Markers: the name with the protocol. */
    CHECK_HR(wm_writer_add_marker(w, "Chapter \xE2\x9C\x93", 5 * SEC), S_OK);
    {
        uint16_t mc = 0, i, found = 0xFFFF;
        uint64_t tm;
        CHECK_HR(wm_writer_get_marker_count(w, &mc), S_OK);
        for (i = 0; i < mc; i++) {
            nl = sizeof name;
            if (wm_writer_get_marker(w, i, name, &nl, &tm) == S_OK && strcmp(name, "Chapter \xE2\x9C\x93") == 0) found = i;
        }
        CHECK(found != 0xFFFF);
        nl = 0;
        tm = POISON64;
        CHECK_HR(wm_writer_get_marker(w, found, NULL, &nl, &tm), S_OK);
        CHECK_EQ_U(nl, 12); /* 8 + 3-byte check mark + NUL */
        CHECK_EQ_U(tm, 5 * SEC);
        nl = 11;
        tm = POISON64;
        CHECK_HR(wm_writer_get_marker(w, found, name, &nl, &tm), ASF_E_BUFFERTOOSMALL);
        CHECK_EQ_U(nl, 12);
        CHECK_EQ_U(tm, 0);
        tm = POISON64;
        CHECK_HR(wm_writer_get_marker(w, mc, name, &nl, &tm), E_INVALIDARG);
        CHECK_EQ_U(tm, 0);
    }

    /* Scripts: type and command. */
    CHECK_HR(wm_writer_add_script(w, "TEXT", "h\xC3\xA9llo", 3 * SEC), S_OK);
    {
        uint16_t sc = 0, i, found = 0xFFFF, tlen, clen;
        uint64_t tm;
        char cmd[64];
        CHECK_HR(wm_writer_get_script_count(w, &sc), S_OK);
        for (i = 0; i < sc; i++) {
            tlen = sizeof name;
            clen = sizeof cmd;
            if (wm_writer_get_script(w, i, name, &tlen, cmd, &clen, &tm) == S_OK && strcmp(cmd, "h\xC3\xA9llo") == 0)
                found = i;
        }
        CHECK(found != 0xFFFF);
        tlen = 0;
        clen = 0;
        CHECK_HR(wm_writer_get_script(w, found, NULL, &tlen, NULL, &clen, &tm), S_OK);
        CHECK_EQ_U(tlen, 5);
        CHECK_EQ_U(clen, 7);
        CHECK_EQ_U(tm, 3 * SEC);
        tlen = 5;
        clen = 6;
        tm = POISON64;
        CHECK_HR(wm_writer_get_script(w, found, name, &tlen, cmd, &clen, &tm), ASF_E_BUFFERTOOSMALL);
        CHECK_EQ_U(clen, 7);
        CHECK_EQ_U(tm, 0);
        tlen = 4;
        clen = 7;
        CHECK_HR(wm_writer_get_script(w, found, name, &tlen, cmd, &clen, &tm), ASF_E_BUFFERTOOSMALL);
        CHECK_EQ_U(tlen, 5);
        tlen = 5;
        clen = 7;
        CHECK_HR(wm_writer_get_script(w, found, name, &tlen, cmd, &clen, &tm), S_OK);
        CHECK_STR_EQ(name, "TEXT");
        CHECK_STR_EQ(cmd, "h\xC3\xA9llo");
        tm = POISON64;
        CHECK_HR(wm_writer_get_script(w, sc, name, &tlen, cmd, &clen, &tm), E_INVALIDARG);
        CHECK_EQ_U(tm, 0);
    }

    /* Indices: NULL array → count; too small → ASF_E_BUFFERTOOSMALL with the count. */
    CHECK_HR(add_str(w, 0, "Dup", 0, "a", NULL), S_OK);
    CHECK_HR(add_str(w, 0, "Dup", 0, "b", NULL), S_OK);
    CHECK_HR(add_str(w, 0, "Dup", 0, "c", NULL), S_OK);
    cnt = 0;
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "Dup", NULL, NULL, &cnt), S_OK);
    CHECK_EQ_U(cnt, 3);
    cnt = 2;
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "Dup", NULL, indices, &cnt), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(cnt, 3);
    cnt = 8;
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "Dup", NULL, indices, &cnt), S_OK);
    CHECK_EQ_U(cnt, 3);
    if (cnt == 3) CHECK(indices[0] < indices[1] && indices[1] < indices[2]);
    cnt = 8;
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "Nobody", NULL, indices, &cnt), S_OK);
    CHECK_EQ_U(cnt, 0);
}

/* ------------------------------------------------------------------------------ */
/* 6. add / modify / delete / indices / streams / languages / coded attributes       */
/* ------------------------------------------------------------------------------ */

static void test_edit(WMWriter *w) {
    uint16_t idx = POISON16, cnt, lang, nl;
    uint16_t indices[8];
    uint32_t vl32;
    WMT_ATTR_DATATYPE t;
    char name[64];
    uint8_t buf[256];
    uint8_t *big;
    const uint8_t one[4] = {1, 0, 0, 0};

    CHECK_EQ_U(attr_count(w, 0), 0);
    /* add_attribute returns the index; duplicates allowed. */
    CHECK_HR(add_str(w, 0, "A", 0, "a0", &idx), S_OK);
    CHECK_EQ_U(idx, 0);
    CHECK_HR(add_str(w, 0, "B", 0, "b", &idx), S_OK);
    CHECK_EQ_U(idx, 1);
    CHECK_HR(add_str(w, 0, "A", 1, "a1 (language 1)", &idx), S_OK);
    CHECK_EQ_U(idx, 2);
    CHECK_HR(add_str(w, 0, "A", 0, "a2", &idx), S_OK);
    CHECK_EQ_U(idx, 3);
    CHECK_EQ_U(attr_count(w, 0), 4);
    {
        uint16_t c = POISON16;
        CHECK_HR(wm_writer_get_attribute_count_ex(w, 0, &c), S_OK);
        CHECK_EQ_U(c, 4);
    }

    /* Indices with and without the language filter. */
    cnt = 8;
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "A", NULL, indices, &cnt), S_OK);
    CHECK(cnt == 3 && indices[0] == 0 && indices[1] == 2 && indices[2] == 3);
    lang = 1;
    cnt = 8;
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "A", &lang, indices, &cnt), S_OK);
    CHECK(cnt == 1 && indices[0] == 2);
    lang = 0;
    cnt = 8;
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "A", &lang, indices, &cnt), S_OK);
    CHECK(cnt == 2 && indices[0] == 0 && indices[1] == 3);
    /* by_name finds the first. */
    check_str(w, 0, "A", "a0");

    /* by_index_ex shows the language. */
    nl = sizeof name;
    vl32 = sizeof buf;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 2, name, &nl, &t, &lang, buf, &vl32), S_OK);
    CHECK_STR_EQ(name, "A");
    CHECK_EQ_U(lang, 1);
    CHECK_STR_EQ((const char *)buf, "a1 (language 1)");

    /* modify: value, type and language of one index. */
    CHECK_HR(wm_writer_modify_attribute(w, 0, 2, WMT_TYPE_DWORD, 0, one, 4), S_OK);
    nl = sizeof name;
    vl32 = sizeof buf;
    lang = POISON16;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 2, name, &nl, &t, &lang, buf, &vl32), S_OK);
    CHECK_EQ_U(t, WMT_TYPE_DWORD);
    CHECK_EQ_U(lang, 0);
    CHECK(vl32 == 4 && rd_le(buf, 4) == 1);
    CHECK_HR(wm_writer_modify_attribute(w, 0, 99, WMT_TYPE_DWORD, 0, one, 4), E_INVALIDARG);
    CHECK_HR(wm_writer_modify_attribute(w, 0, 2, WMT_TYPE_DWORD, 0, one, 3), E_INVALIDARG);
    CHECK_HR(wm_writer_modify_attribute(w, 0, 2, WMT_TYPE_DWORD, 7, one, 4), E_INVALIDARG); /* no language 7 */
    CHECK_LAST_ERROR("language");
    CHECK_HR(wm_writer_modify_attribute(w, 0, 2, WMT_TYPE_STRING, 0, (const uint8_t *)"x", 1), E_INVALIDARG);

    /* delete: later indices move down. */
    CHECK_HR(wm_writer_delete_attribute(w, 0, 1), S_OK); /* "B" */
    CHECK_EQ_U(attr_count(w, 0), 3);
    nl = sizeof name;
    vl32 = sizeof buf;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 1, name, &nl, &t, &lang, buf, &vl32), S_OK);
    CHECK_STR_EQ(name, "A");
    CHECK_EQ_U(t, WMT_TYPE_DWORD);
    CHECK_HR(wm_writer_delete_attribute(w, 0, 3), E_INVALIDARG);
    CHECK_HR(wm_writer_delete_attribute(w, 0, 0xFFFF), E_INVALIDARG);

    /* set replaces every attribute of that name. */
    CHECK_HR(set_str(w, 0, "A", "only"), S_OK);
    cnt = 8;
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "A", NULL, indices, &cnt), S_OK);
    CHECK_EQ_U(cnt, 1);
    check_str(w, 0, "A", "only");

    /* Values over 64 KiB: add_attribute takes them; the 16-bit-length reads cannot return them. */
    big = gen_bytes(100 * 1024, 5);
    CHECK(big != NULL);
    if (big) {
        CHECK_HR(wm_writer_add_attribute(w, 0, "BigBlob", &idx, WMT_TYPE_BINARY, 0, big, 100 * 1024), S_OK);
        vl32 = 0;
        nl = sizeof name;
        CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, idx, name, &nl, &t, &lang, NULL, &vl32), S_OK);
        CHECK_EQ_U(vl32, 100 * 1024);
        {
            uint8_t *back = (uint8_t *)malloc(100 * 1024);
            if (back) {
                vl32 = 100 * 1024;
                CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, idx, name, &nl, &t, &lang, back, &vl32), S_OK);
                CHECK(memcmp(back, big, 100 * 1024) == 0);
                free(back);
            }
        }
        {
            uint16_t s = 0, l16 = 0;
            t = POISON32;
            CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "BigBlob", &t, NULL, &l16), ASF_E_BUFFERTOOSMALL);
            CHECK_EQ_U(t, 0);
        }
        free(big);
    }

    /* Per-stream attributes: counted apart from the file level. */
    CHECK_HR(set_str(w, 1, "StreamNote", "per stream"), S_OK);
    CHECK_HR(set_num(w, 1, "Duration", WMT_TYPE_QWORD, 5, 8), S_OK); /* coded only at file level */
    CHECK_EQ_U(attr_count(w, 1), 2);
    check_str(w, 1, "StreamNote", "per stream");
    check_num(w, 1, "Duration", WMT_TYPE_QWORD, 5, 8);
    {
        uint16_t s = 0, l16 = 256;
        t = POISON32;
        CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "StreamNote", &t, buf, &l16), ASF_E_NOTFOUND);
    }

    /* A stream number the profile does not have: NS_E_INVALID_REQUEST everywhere. */
    {
        uint16_t s = 2, c = POISON16, l16 = 256;
        cnt = 8;
        CHECK_HR(wm_writer_get_attribute_count(w, 2, &c), NS_E_INVALID_REQUEST);
        CHECK_EQ_U(c, 0);
        CHECK_LAST_ERROR("stream 2");
        CHECK_HR(wm_writer_get_attribute_count_ex(w, 2, &c), NS_E_INVALID_REQUEST);
        t = POISON32;
        nl = sizeof name;
        CHECK_HR(wm_writer_get_attribute_by_index(w, 0, &s, name, &nl, &t, buf, &l16), NS_E_INVALID_REQUEST);
        CHECK_EQ_U(t, 0);
        vl32 = sizeof buf;
        CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 2, 0, name, &nl, &t, &lang, buf, &vl32), NS_E_INVALID_REQUEST);
        CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "StreamNote", &t, buf, &l16), NS_E_INVALID_REQUEST);
        CHECK_HR(set_str(w, 2, "X", "x"), NS_E_INVALID_REQUEST);
        idx = POISON16;
        CHECK_HR(add_str(w, 2, "X", 0, "x", &idx), NS_E_INVALID_REQUEST);
        CHECK_EQ_U(idx, 0);
        CHECK_HR(wm_writer_modify_attribute(w, 2, 0, WMT_TYPE_DWORD, 0, one, 4), NS_E_INVALID_REQUEST);
        CHECK_HR(wm_writer_delete_attribute(w, 2, 0), NS_E_INVALID_REQUEST);
        CHECK_HR(wm_writer_get_attribute_indices(w, 2, "X", NULL, indices, &cnt), NS_E_INVALID_REQUEST);
        CHECK_HR(set_str(w, 64, "X", "x"), NS_E_INVALID_REQUEST);
    }

    /* Languages: 0 = "en-us", 1 = stream 1's "de-de"; nothing else. */
    idx = POISON16;
    CHECK_HR(add_str(w, 1, "X", 2, "x", &idx), E_INVALIDARG);
    CHECK_EQ_U(idx, 0);
    CHECK_LAST_ERROR("language");
    CHECK_HR(add_str(w, 1, "Lang1", 1, "auf Deutsch", &idx), S_OK);

    /* Coded attributes: read-only at file level, readable with the profile's values. */
    {
        static const char *coded[] = {"Duration", "Bitrate", "Seekable", "Stridable", "Broadcast", "Is_Protected",
                                      "Is_Trusted", "HasAudio", "HasVideo", "HasImage", "HasScript", "CurrentBitrate",
                                      "OptimalBitrate", "FileSize", "NumberOfFrames", "Can_Skip_Backward",
                                      "WM/ContainerFormat"};
        size_t i;
        for (i = 0; i < sizeof coded / sizeof coded[0]; i++) {
            HRESULT hr = set_num(w, 0, coded[i], WMT_TYPE_DWORD, 1, 4);
            CHECK_HR(hr, NS_E_ATTRIBUTE_READ_ONLY);
            if (hr != NS_E_ATTRIBUTE_READ_ONLY) fprintf(stderr, "    (set_attribute \"%s\")\n", coded[i]);
            idx = POISON16;
            CHECK_HR(wm_writer_add_attribute(w, 0, coded[i], &idx, WMT_TYPE_DWORD, 0, one, 4), NS_E_ATTRIBUTE_READ_ONLY);
            CHECK_EQ_U(idx, 0);
        }
        CHECK_HR(set_num(w, 0, "Duration", WMT_TYPE_QWORD, 1, 8), NS_E_ATTRIBUTE_READ_ONLY);
        CHECK_LAST_ERROR("Duration");
        check_num(w, 0, "HasAudio", WMT_TYPE_BOOL, 1, 4);
        check_num(w, 0, "HasVideo", WMT_TYPE_BOOL, 0, 4);
        check_num(w, 0, "Bitrate", WMT_TYPE_DWORD, 44100u * 32u, 4);
        check_num(w, 0, "Is_Protected", WMT_TYPE_BOOL, 0, 4);
        /* WM/StreamTypeInfo is the one read-only attribute that lives on streams
         * (reference §5: "read-only, per stream only"). */
        {
            HRESULT hr = wm_writer_set_attribute(w, 1, "WM/StreamTypeInfo", WMT_TYPE_BINARY, one, 4);
            KNOWN_BUG(hr == NS_E_ATTRIBUTE_READ_ONLY,
                      "set_attribute(stream 1, \"WM/StreamTypeInfo\") returned 0x%08" PRIX32
                      ", not NS_E_ATTRIBUTE_READ_ONLY (the SDK computes it per stream; read-only)", (uint32_t)hr);
            hr = wm_writer_add_attribute(w, 1, "WM/StreamTypeInfo", &idx, WMT_TYPE_BINARY, 0, one, 4);
            KNOWN_BUG(hr == NS_E_ATTRIBUTE_READ_ONLY,
                      "add_attribute(stream 1, \"WM/StreamTypeInfo\") returned 0x%08" PRIX32
                      ", not NS_E_ATTRIBUTE_READ_ONLY", (uint32_t)hr);
        }
    }
}

/* ------------------------------------------------------------------------------ */
/* 7. Markers and scripts                                                          */
/* ------------------------------------------------------------------------------ */

static void test_markers_scripts(WMWriter *w) {
    uint16_t c = POISON16, nl, tl, cl;
    uint64_t tm;
    char name[64], cmd[64];

    CHECK_HR(wm_writer_get_marker_count(w, &c), S_OK);
    CHECK_EQ_U(c, 0);
    CHECK_HR(wm_writer_add_marker(w, "B", 2 * SEC), S_OK);
    CHECK_HR(wm_writer_add_marker(w, "A", 1 * SEC), S_OK);
    CHECK_HR(wm_writer_add_marker(w, "C", 3 * SEC), S_OK);
    CHECK_HR(wm_writer_get_marker_count(w, &c), S_OK);
    CHECK_EQ_U(c, 3);
    /* Kept in time order (the Marker Object lists them so). */
    nl = sizeof name;
    CHECK_HR(wm_writer_get_marker(w, 0, name, &nl, &tm), S_OK);
    CHECK_STR_EQ(name, "A");
    CHECK_EQ_U(tm, 1 * SEC);
    CHECK_EQ_U(nl, 2);
    nl = sizeof name;
    CHECK_HR(wm_writer_get_marker(w, 2, name, &nl, &tm), S_OK);
    CHECK_STR_EQ(name, "C");
    CHECK_EQ_U(tm, 3 * SEC);
    CHECK_HR(wm_writer_remove_marker(w, 3), E_INVALIDARG);
    CHECK_HR(wm_writer_remove_marker(w, 0), S_OK);
    CHECK_HR(wm_writer_get_marker_count(w, &c), S_OK);
    CHECK_EQ_U(c, 2);
    nl = sizeof name;
    CHECK_HR(wm_writer_get_marker(w, 0, name, &nl, &tm), S_OK);
    CHECK_STR_EQ(name, "B");
    CHECK_HR(wm_writer_add_marker(w, "\xE6\x97\xA5\xE6\x9C\xAC", 0), S_OK);
    nl = sizeof name;
    CHECK_HR(wm_writer_get_marker(w, 0, name, &nl, &tm), S_OK);
    CHECK_STR_EQ(name, "\xE6\x97\xA5\xE6\x9C\xAC");
    CHECK_EQ_U(tm, 0);
    CHECK_HR(wm_writer_add_marker(w, "\xFF", 0), E_INVALIDARG); /* not UTF-8 */
    {
        /* A marker name is at most 5120 characters (the library's limit). */
        char *long_name = (char *)malloc(5122);
        if (long_name) {
            memset(long_name, 'm', 5121);
            long_name[5121] = 0;
            CHECK_HR(wm_writer_add_marker(w, long_name, 9 * SEC), E_INVALIDARG);
            CHECK_LAST_ERROR("5120");
            long_name[5120] = 0;
            CHECK_HR(wm_writer_add_marker(w, long_name, 9 * SEC), S_OK);
            c = POISON16;
            CHECK_HR(wm_writer_get_marker_count(w, &c), S_OK);
            CHECK_EQ_U(c, 4); /* 0 s, 2 s, 3 s, 9 s */
            nl = 0;
            CHECK_HR(wm_writer_get_marker(w, 3, NULL, &nl, &tm), S_OK);
            CHECK_EQ_U(nl, 5121);
            CHECK_HR(wm_writer_remove_marker(w, 3), S_OK);
            free(long_name);
        }
    }

    c = POISON16;
    CHECK_HR(wm_writer_get_script_count(w, &c), S_OK);
    CHECK_EQ_U(c, 0);
    CHECK_HR(wm_writer_add_script(w, "TEXT", "second", 2 * SEC), S_OK);
    CHECK_HR(wm_writer_add_script(w, "URL", "http://example.com/first", 1 * SEC), S_OK);
    CHECK_HR(wm_writer_get_script_count(w, &c), S_OK);
    CHECK_EQ_U(c, 2);
    tl = sizeof name;
    cl = sizeof cmd;
    CHECK_HR(wm_writer_get_script(w, 0, name, &tl, cmd, &cl, &tm), S_OK);
    CHECK_STR_EQ(name, "URL");
    CHECK_STR_EQ(cmd, "http://example.com/first");
    CHECK_EQ_U(tm, 1 * SEC);
    CHECK_EQ_U(tl, 4);
    CHECK_EQ_U(cl, strlen("http://example.com/first") + 1);
    CHECK_HR(wm_writer_remove_script(w, 2), E_INVALIDARG);
    CHECK_HR(wm_writer_remove_script(w, 0), S_OK);
    CHECK_HR(wm_writer_get_script_count(w, &c), S_OK);
    CHECK_EQ_U(c, 1);
    tl = sizeof name;
    cl = sizeof cmd;
    CHECK_HR(wm_writer_get_script(w, 0, name, &tl, cmd, &cl, &tm), S_OK);
    CHECK_STR_EQ(cmd, "second");
    CHECK_HR(wm_writer_remove_script(w, 0), S_OK);
    CHECK_HR(wm_writer_remove_script(w, 0), E_INVALIDARG);
}

/* ------------------------------------------------------------------------------ */
/* 8. Codec info                                                                   */
/* ------------------------------------------------------------------------------ */

static void test_codec_info(WMWriter *w) {
    uint32_t n = POISON32, ct;
    uint16_t nl, dl, il;
    char name[128], desc[128];
    uint8_t info[16];
    static const uint8_t fourcc[4] = {'M', 'Y', 'C', '1'};

    CHECK_HR(wm_writer_get_codec_info_count(w, &n), S_OK);
    CHECK_EQ_U(n, 1); /* the PCM stream */
    nl = dl = il = 0;
    ct = POISON32;
    CHECK_HR(wm_writer_get_codec_info(w, 0, &nl, NULL, &dl, NULL, &ct, &il, NULL), S_OK);
    CHECK(nl > 1);
    CHECK(dl >= 1);
    CHECK_EQ_U(il, 2); /* audio: the 2-byte wFormatTag */
    CHECK_EQ_U(ct, WMT_CODECINFO_AUDIO);
    nl = sizeof name;
    dl = sizeof desc;
    il = sizeof info;
    CHECK_HR(wm_writer_get_codec_info(w, 0, &nl, name, &dl, desc, &ct, &il, info), S_OK);
    CHECK_EQ_U(nl, strlen(name) + 1);
    CHECK(il == 2 && info[0] == 1 && info[1] == 0); /* WAVE_FORMAT_PCM */

    CHECK_HR(wm_writer_add_codec_info(w, "My Codec \xE2\x9C\x93", "for tests", WMT_CODECINFO_VIDEO, 4, fourcc), S_OK);
    CHECK_HR(wm_writer_add_codec_info(w, "Other", "", WMT_CODECINFO_UNKNOWN, 0, NULL), S_OK);
    CHECK_HR(wm_writer_get_codec_info_count(w, &n), S_OK);
    CHECK_EQ_U(n, 3);
    nl = sizeof name;
    dl = sizeof desc;
    il = sizeof info;
    CHECK_HR(wm_writer_get_codec_info(w, 1, &nl, name, &dl, desc, &ct, &il, info), S_OK);
    CHECK_STR_EQ(name, "My Codec \xE2\x9C\x93");
    CHECK_STR_EQ(desc, "for tests");
    CHECK_EQ_U(ct, WMT_CODECINFO_VIDEO);
    CHECK(il == 4 && memcmp(info, fourcc, 4) == 0);
    nl = sizeof name;
    dl = sizeof desc;
    il = sizeof info;
    CHECK_HR(wm_writer_get_codec_info(w, 2, &nl, name, &dl, desc, &ct, &il, info), S_OK);
    CHECK_EQ_U(ct, WMT_CODECINFO_UNKNOWN);
    CHECK_EQ_U(il, 0);
    CHECK_EQ_U(dl, 1);
    /* Size protocol. */
    nl = 3;
    ct = POISON32;
    CHECK_HR(wm_writer_get_codec_info(w, 1, &nl, name, &dl, desc, &ct, &il, info), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(nl, strlen("My Codec \xE2\x9C\x93") + 1);
    CHECK_EQ_U(ct, 0);
    nl = sizeof name;
    dl = sizeof desc;
    il = 3;
    CHECK_HR(wm_writer_get_codec_info(w, 1, &nl, name, &dl, desc, &ct, &il, info), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(il, 4);
    /* Out of range. */
    ct = POISON32;
    il = sizeof info;
    CHECK_HR(wm_writer_get_codec_info(w, 3, &nl, name, &dl, desc, &ct, &il, info), E_INVALIDARG);
    CHECK_EQ_U(ct, 0);
}

/* ------------------------------------------------------------------------------ */
/* 9. WM/Picture as a WM_PICTURE                                                    */
/* ------------------------------------------------------------------------------ */

static void test_picture(WMWriter *w) {
    static const uint8_t jpg[8] = {0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 0xFF, 0xD9};
    thi_picture pic;
    uint8_t *want;
    size_t want_n = 0;
    uint8_t buf[512];
    uint16_t len = 0, idx = POISON16, s = 0;
    WMT_ATTR_DATATYPE t = POISON32;

    pic.pwszMIMEType = "image/jpeg";
    pic.bPictureType = 3;
    pic.pwszDescription = "Front \xE2\x9C\x93";
    pic.dwDataLen = sizeof jpg;
    pic.pbData = jpg;
    want = picture_layout("image/jpeg", 3, "Front \xE2\x9C\x93", jpg, sizeof jpg, &want_n);
    CHECK(want != NULL);
    if (!want) return;
    CHECK_HR(wm_writer_set_attribute(w, 0, "WM/Picture", WMT_TYPE_BINARY, (const uint8_t *)&pic, sizeof pic), S_OK);
    len = 0;
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "WM/Picture", &t, NULL, &len), S_OK);
    CHECK_EQ_U(len, want_n);
    len = sizeof buf;
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "WM/Picture", &t, buf, &len), S_OK);
    CHECK_EQ_U(t, WMT_TYPE_BINARY);
    CHECK(len == want_n && memcmp(buf, want, want_n) == 0);
    free(want);

    /* A second one through add_attribute (multi-valued), description NULL = "". */
    pic.pwszMIMEType = "image/png";
    pic.bPictureType = 4;
    pic.pwszDescription = NULL;
    CHECK_HR(wm_writer_add_attribute(w, 0, "WM/Picture", &idx, WMT_TYPE_BINARY, 0, (const uint8_t *)&pic, sizeof pic),
             S_OK);
    want = picture_layout("image/png", 4, "", jpg, sizeof jpg, &want_n);
    if (want) {
        uint16_t nl = 64;
        uint32_t vl = sizeof buf;
        uint16_t lang;
        char name[64];
        CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, idx, name, &nl, &t, &lang, buf, &vl), S_OK);
        CHECK(vl == want_n && memcmp(buf, want, want_n) == 0);
        free(want);
    }
    {
        uint16_t cnt = 0;
        CHECK_HR(wm_writer_get_attribute_indices(w, 0, "WM/Picture", NULL, NULL, &cnt), S_OK);
        CHECK_EQ_U(cnt, 2);
    }
    /* Bad pictures. */
    pic.pwszMIMEType = NULL;
    CHECK_HR(wm_writer_set_attribute(w, 0, "WM/Picture", WMT_TYPE_BINARY, (const uint8_t *)&pic, sizeof pic),
             E_INVALIDARG);
    pic.pwszMIMEType = "image/png";
    pic.pbData = NULL;
    CHECK_HR(wm_writer_set_attribute(w, 0, "WM/Picture", WMT_TYPE_BINARY, (const uint8_t *)&pic, sizeof pic),
             E_INVALIDARG);
    /* The failed sets left both pictures. */
    {
        uint16_t cnt = 0;
        CHECK_HR(wm_writer_get_attribute_indices(w, 0, "WM/Picture", NULL, NULL, &cnt), S_OK);
        CHECK_EQ_U(cnt, 2);
    }
}

/* The value read back from WM/Picture (the file layout) can be set again: a program
 * copying tags from one writer to another does exactly that. The library treats any
 * WM/Picture value of sizeof(WM_PICTURE) bytes at an aligned address as a WM_PICTURE
 * struct, so a serialised picture that happens to be that long is dereferenced as
 * pointers. Run in a child process: the library may crash on it. */
static void test_picture_layout_of_struct_size(void) {
    pid_t pid;
    int st = 0;
    if (under_valgrind()) {
        printf("note: the sizeof(WM_PICTURE)-byte picture check is skipped under valgrind (it may crash a child)\n");
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        /* BYTE type, DWORD length, "image/png" (20 bytes), "" (2 bytes), data: in all
         * exactly sizeof(WM_PICTURE) bytes, in an 8-aligned buffer. */
        uint64_t store[(sizeof(thi_picture) + 7) / 8 + 1];
        uint8_t *v = (uint8_t *)store;
        uint8_t back[64];
        const size_t n = sizeof(thi_picture);
        uint16_t len = sizeof back, s = 0;
        WMT_ATTR_DATATYPE t = 0;
        WMProfile *cp = make_profile(NULL);
        WMWriter *cw = make_writer(cp); /* the profile first: set_profile clears attributes */
        size_t k;
        if (!cp || !cw) _exit(3);
        v[0] = 3;
        le(v + 1, (uint32_t)(n - 27), 4);
        k = 5 + utf16le("image/png", v + 5);
        k += utf16le("", v + k);
        for (; k < n; k++) v[k] = (uint8_t)(0xD0 + k);
        if (wm_writer_set_attribute(cw, 0, "WM/Picture", WMT_TYPE_BINARY, v, (uint16_t)n) != S_OK) _exit(1);
        if (wm_writer_get_attribute_by_name(cw, &s, "WM/Picture", &t, back, &len) != S_OK) _exit(1);
        if (t != WMT_TYPE_BINARY || len != n || memcmp(back, v, n) != 0) _exit(2);
        _exit(0);
    }
    if (pid < 0) {
        printf("note: fork failed; the sizeof(WM_PICTURE)-byte picture check did not run\n");
        return;
    }
    waitpid(pid, &st, 0);
    KNOWN_BUG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
              "set_attribute(\"WM/Picture\", BINARY, <a %zu-byte serialised picture in an 8-aligned buffer>, %zu) "
              "reads the bytes as a WM_PICTURE's pointers: the child %s %d",
              sizeof(thi_picture), sizeof(thi_picture), WIFSIGNALED(st) ? "died of signal" : "exited with",
              WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

/* set_profile on a configured writer clears attributes (file level and per stream),
 * markers, scripts and added codec entries. */
static void test_set_profile_clears(WMProfile *p) {
    WMWriter *w = make_writer(p);
    uint16_t c;
    uint32_t n;
    if (!w) return;
    CHECK_HR(set_str(w, 0, "Title", "gone"), S_OK);
    CHECK_HR(add_str(w, 1, "StreamNote", 1, "weg", NULL), S_OK);
    CHECK_HR(wm_writer_add_marker(w, "gone", 0), S_OK);
    CHECK_HR(wm_writer_add_script(w, "URL", "gone", 0), S_OK);
    CHECK_HR(wm_writer_add_codec_info(w, "gone", "gone", WMT_CODECINFO_AUDIO, 0, NULL), S_OK);
    CHECK_EQ_U(attr_count(w, 1), 1);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_EQ_U(attr_count(w, 0), 0);
    CHECK_EQ_U(attr_count(w, 1), 0);
    c = POISON16;
    CHECK_HR(wm_writer_get_marker_count(w, &c), S_OK);
    CHECK_EQ_U(c, 0);
    c = POISON16;
    CHECK_HR(wm_writer_get_script_count(w, &c), S_OK);
    CHECK_EQ_U(c, 0);
    n = POISON32;
    CHECK_HR(wm_writer_get_codec_info_count(w, &n), S_OK);
    CHECK_EQ_U(n, 1);
    {
        uint16_t s = 0, len = 16;
        uint8_t buf[16];
        WMT_ATTR_DATATYPE t;
        CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "Title", &t, buf, &len), ASF_E_NOTFOUND);
    }
    wm_writer_release(w);
}

/* ------------------------------------------------------------------------------ */
/* 10. While writing, and after                                                     */
/* ------------------------------------------------------------------------------ */

static void test_writing_state(const char *dir) {
    WMProfile *p = make_profile(NULL);
    WMWriter *w = make_writer(p);
    char path[512], name[64], cmd[64];
    uint8_t buf[256];
    uint16_t u16, s = 0, nl = 64, vl16 = 64, lang, idx, cnt = 8;
    uint16_t indices[8];
    uint32_t u32, vl32 = 64, t;
    uint64_t tm;
    const uint8_t one[4] = {1, 0, 0, 0};
    if (!p || !w) goto out;

    CHECK_HR(set_str(w, 0, "Title", "written"), S_OK);
    CHECK_HR(set_str(w, 1, "StreamNote", "per stream"), S_OK);
    CHECK_HR(wm_writer_add_marker(w, "m", 0), S_OK);
    CHECK_HR(wm_writer_add_script(w, "URL", "u", 0), S_OK);
    /* Before any file: Duration 0, Seekable true. */
    check_num(w, 0, "Duration", WMT_TYPE_QWORD, 0, 8);
    wm_t_path(path, sizeof path, dir, "state.wma");
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);

    /* Every change: NS_E_INVALID_REQUEST. */
    CHECK_HR(set_str(w, 0, "Title", "late"), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR("writing");
    idx = POISON16;
    CHECK_HR(add_str(w, 0, "Late", 0, "late", &idx), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(idx, 0);
    CHECK_HR(wm_writer_modify_attribute(w, 0, 0, WMT_TYPE_DWORD, 0, one, 4), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_delete_attribute(w, 0, 0), NS_E_INVALID_REQUEST);
    CHECK_HR(set_str(w, 1, "StreamNote", "late"), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_add_marker(w, "late", SEC), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_remove_marker(w, 0), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_add_script(w, "URL", "late", SEC), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_remove_script(w, 0), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_add_codec_info(w, "late", "late", WMT_CODECINFO_AUDIO, 0, NULL), NS_E_INVALID_REQUEST);
    /* Every read too (the SDK's BeginWriting page): NS_E_INVALID_REQUEST, outs zeroed. */
    u16 = POISON16;
    CHECK_HR(wm_writer_get_attribute_count(w, 0, &u16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u16, 0);
    u16 = POISON16;
    CHECK_HR(wm_writer_get_attribute_count_ex(w, 1, &u16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u16, 0);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_index(w, 0, &s, name, &nl, &t, buf, &vl16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(t, 0);
    t = POISON32;
    lang = POISON16;
    CHECK_HR(wm_writer_get_attribute_by_index_ex(w, 0, 0, name, &nl, &t, &lang, buf, &vl32), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(t, 0);
    CHECK_EQ_U(lang, 0);
    t = POISON32;
    CHECK_HR(wm_writer_get_attribute_by_name(w, &s, "Title", &t, buf, &vl16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(t, 0);
    CHECK_HR(wm_writer_get_attribute_indices(w, 0, "Title", NULL, indices, &cnt), NS_E_INVALID_REQUEST);
    u16 = POISON16;
    CHECK_HR(wm_writer_get_marker_count(w, &u16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u16, 0);
    tm = POISON64;
    CHECK_HR(wm_writer_get_marker(w, 0, name, &nl, &tm), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(tm, 0);
    u16 = POISON16;
    CHECK_HR(wm_writer_get_script_count(w, &u16), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u16, 0);
    {
        uint16_t cl = 64;
        tm = POISON64;
        CHECK_HR(wm_writer_get_script(w, 0, name, &nl, cmd, &cl, &tm), NS_E_INVALID_REQUEST);
        CHECK_EQ_U(tm, 0);
    }
    u32 = POISON32;
    CHECK_HR(wm_writer_get_codec_info_count(w, &u32), NS_E_INVALID_REQUEST);
    CHECK_EQ_U(u32, 0);
    {
        uint16_t a = 64, b = 64, c = 64;
        t = POISON32;
        CHECK_HR(wm_writer_get_codec_info(w, 0, &a, name, &b, cmd, &t, &c, buf), NS_E_INVALID_REQUEST);
        CHECK_EQ_U(t, 0);
    }

    write_chunks(w, 5);
    CHECK_HR(wm_writer_end_writing(w), S_OK);

    /* After end_writing: readable again, the attributes unchanged, the coded ones true. */
    check_str(w, 0, "Title", "written");
    check_str(w, 1, "StreamNote", "per stream");
    check_num(w, 0, "Duration", WMT_TYPE_QWORD, 5 * 100 * MS, 8);
    check_num(w, 0, "Seekable", WMT_TYPE_BOOL, 1, 4);
    check_num(w, 0, "HasAudio", WMT_TYPE_BOOL, 1, 4);
    check_num(w, 0, "Broadcast", WMT_TYPE_BOOL, 0, 4);
    {
        struct stat sb;
        if (stat(path, &sb) == 0) check_num(w, 0, "FileSize", WMT_TYPE_QWORD, (uint64_t)sb.st_size, 8);
        else CHECK(!"stat of the written file");
    }
    /* And the coded ones are still read-only. */
    CHECK_HR(set_num(w, 0, "Duration", WMT_TYPE_QWORD, 1, 8), NS_E_ATTRIBUTE_READ_ONLY);
    /* Changes are allowed again. */
    CHECK_HR(set_str(w, 0, "Title", "next file"), S_OK);
out:
    wm_writer_release(w);
    wm_profile_release(p);
}

/* ------------------------------------------------------------------------------ */
/* 11. The issue-6 file, written from C, checked by independent readers             */
/* ------------------------------------------------------------------------------ */

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static void json_attr(FILE *f, const char *name, const char *type, const char *value_json, const char *value_str,
                      int stream, int lang, const char *obj, int last) {
    fprintf(f, "  {\"name\": ");
    json_str(f, name);
    fprintf(f, ", \"type\": \"%s\", \"value\": ", type);
    if (value_str) json_str(f, value_str);
    else fputs(value_json, f);
    fprintf(f, ", \"stream\": %d, \"language\": %d, \"object\": \"%s\"}%s\n", stream, lang, obj, last ? "" : ",");
}

/* 0 passed; 77 skipped (a tool missing); -2 no python; other = failed. */
static int run_checker(const char *asf, const char *spec) {
    char cmd[2048];
    int st;
    if (!WM_TEST_PYTHON[0]) return -2;
    snprintf(cmd, sizeof cmd, "'%s' '%s/check_metadata.py' '%s' '%s'", WM_TEST_PYTHON, WM_TEST_SOURCE_DIR, asf, spec);
    fflush(stdout);
    fflush(stderr);
    st = system(cmd);
    if (st == -1 || !WIFEXITED(st)) return -1;
    if (WEXITSTATUS(st) == 127) return -2;
    return WEXITSTATUS(st);
}

/* Returns the checker's status (see run_checker). */
static int test_full_file(const char *dir, const char *cover_path) {
    WMProfile *p = make_profile("de-de");
    WMWriter *w = make_writer(p);
    char asf[512], spec[512];
    uint8_t *jpeg = NULL, *blob = NULL;
    size_t jpeg_n = 0;
    thi_picture pic;
    uint16_t idx = POISON16;
    FILE *f;
    int rc = 1;

    wm_t_path(asf, sizeof asf, dir, "tags_c.wma");
    wm_t_path(spec, sizeof spec, dir, "tags_c.json");
    remove(asf);
    jpeg = wm_t_read_file(cover_path, &jpeg_n);
    if (!jpeg) fprintf(stderr, "cannot read %s\n", cover_path);
    CHECK(jpeg != NULL && jpeg_n > 2 && jpeg[0] == 0xFF && jpeg[1] == 0xD8);
    blob = gen_bytes(100 * 1024, 5);
    if (!p || !w || !jpeg || !blob) goto out;

    CHECK_HR(set_str(w, 0, "Title", TITLE), S_OK);
    CHECK_HR(set_str(w, 0, "Author", "The Author"), S_OK);
    CHECK_HR(set_str(w, 0, "Copyright", "(c) 2026 wmwriter"), S_OK);
    CHECK_HR(set_str(w, 0, "Description", "Issue 6 tag test, from C"), S_OK);
    CHECK_HR(set_str(w, 0, "Rating", "PG"), S_OK);
    CHECK_HR(set_str(w, 0, "WM/AlbumTitle", "The Album"), S_OK);
    CHECK_HR(set_str(w, 0, "WM/AlbumArtist", "The Album Artist"), S_OK);
    CHECK_HR(set_str(w, 0, "WM/Genre", "Test Tones"), S_OK);
    CHECK_HR(set_str(w, 0, "WM/Year", "2026"), S_OK);
    CHECK_HR(set_num(w, 0, "WM/TrackNumber", WMT_TYPE_DWORD, 7, 4), S_OK);
    CHECK_HR(wm_writer_add_attribute(w, 0, "BigBlob", &idx, WMT_TYPE_BINARY, 0, blob, 100 * 1024), S_OK);
    CHECK_EQ_U(idx, 10);
    CHECK_HR(add_str(w, 1, "StreamNote", 1, "auf Deutsch \xE2\x9C\x93", &idx), S_OK);
    CHECK_EQ_U(idx, 0);
    pic.pwszMIMEType = "image/jpeg";
    pic.bPictureType = 3;
    pic.pwszDescription = "Front cover \xE2\x9C\x93";
    pic.dwDataLen = (uint32_t)jpeg_n;
    pic.pbData = jpeg;
    CHECK_HR(wm_writer_set_attribute(w, 0, "WM/Picture", WMT_TYPE_BINARY, (const uint8_t *)&pic, sizeof pic), S_OK);
    CHECK_HR(wm_writer_add_marker(w, "Intro", 0), S_OK);
    CHECK_HR(wm_writer_add_marker(w, "Verse \xE2\x9C\x93", 500 * MS), S_OK);
    CHECK_HR(wm_writer_add_marker(w, "Outro", 1500 * MS), S_OK);
    CHECK_HR(wm_writer_add_script(w, "URL", "http://example.com/wmwriter", 250 * MS), S_OK);
    CHECK_HR(wm_writer_add_script(w, "TEXT", "hello \xE2\x9C\x93", SEC), S_OK);
    CHECK_EQ_U(attr_count(w, 0), 12);
    CHECK_EQ_U(attr_count(w, 1), 1);
    {
        static const uint8_t fourcc[4] = {'M', 'Y', 'C', '1'};
        CHECK_HR(wm_writer_add_codec_info(w, "My Video Codec \xE2\x9C\x93", "copied stream", WMT_CODECINFO_VIDEO, 4, fourcc),
                 S_OK);
        CHECK_HR(wm_writer_add_codec_info(w, "Other", "something else", WMT_CODECINFO_UNKNOWN, 0, NULL), S_OK);
    }

    CHECK_HR(wm_writer_set_output_filename(w, asf), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    write_chunks(w, CHUNKS);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    check_num(w, 0, "Duration", WMT_TYPE_QWORD, (uint64_t)CHUNKS * 100 * MS, 8);
    check_num(w, 0, "Seekable", WMT_TYPE_BOOL, 1, 4);
    check_num(w, 0, "HasAudio", WMT_TYPE_BOOL, 1, 4);
    {
        wm_t_asf_info info;
        CHECK_EQ_U(wm_t_check_finished_asf(asf, &info), 0);
    }

    f = fopen(spec, "w");
    CHECK(f != NULL);
    if (!f) goto out;
    fprintf(f, "{\"attributes\": [\n");
    json_attr(f, "Title", "STRING", NULL, TITLE, 0, 0, "cd", 0);
    json_attr(f, "Author", "STRING", NULL, "The Author", 0, 0, "cd", 0);
    json_attr(f, "Copyright", "STRING", NULL, "(c) 2026 wmwriter", 0, 0, "cd", 0);
    json_attr(f, "Description", "STRING", NULL, "Issue 6 tag test, from C", 0, 0, "cd", 0);
    json_attr(f, "Rating", "STRING", NULL, "PG", 0, 0, "cd", 0);
    json_attr(f, "WM/AlbumTitle", "STRING", NULL, "The Album", 0, 0, "ecd", 0);
    json_attr(f, "WM/AlbumArtist", "STRING", NULL, "The Album Artist", 0, 0, "ecd", 0);
    json_attr(f, "WM/Genre", "STRING", NULL, "Test Tones", 0, 0, "ecd", 0);
    json_attr(f, "WM/Year", "STRING", NULL, "2026", 0, 0, "ecd", 0);
    json_attr(f, "WM/TrackNumber", "DWORD", "7", NULL, 0, 0, "ecd", 0);
    json_attr(f, "BigBlob", "BINARY", "{\"gen\": 102400, \"seed\": 5}", NULL, 0, 0, "library", 0);
    json_attr(f, "StreamNote", "STRING", NULL, "auf Deutsch \xE2\x9C\x93", 1, 1, "library", 0);
    fprintf(f, "  {\"name\": \"WM/Picture\", \"type\": \"BINARY\", \"object\": \"ecd\", \"value\": {\"picture\": "
               "{\"mime\": \"image/jpeg\", \"type\": 3, \"description\": ");
    json_str(f, "Front cover \xE2\x9C\x93");
    fprintf(f, ", \"width\": 64, \"height\": 64, \"file\": ");
    json_str(f, cover_path);
    fprintf(f, "}}}\n],\n");
    fprintf(f, "\"languages\": [\"en-us\", \"de-de\"],\n");
    fprintf(f, "\"markers\": [{\"name\": \"Intro\", \"time\": 0}, {\"name\": \"Verse \xE2\x9C\x93\", \"time\": %" PRIu64
               "}, {\"name\": \"Outro\", \"time\": %" PRIu64 "}],\n",
            500 * MS, 1500 * MS);
    fprintf(f, "\"scripts\": [{\"type\": \"URL\", \"command\": \"http://example.com/wmwriter\", \"time\": %" PRIu64
               "}, {\"type\": \"TEXT\", \"command\": \"hello \xE2\x9C\x93\", \"time\": %" PRIu64 "}],\n",
            250 * MS, SEC);
    fprintf(f, "\"duration\": %" PRIu64 ",\n", (uint64_t)CHUNKS * 100 * MS);
    fprintf(f, "\"ffprobe_audio_tags\": {\"language\": \"ger\"},\n");
    fprintf(f, "\"ffprobe_tags\": {\"title\": ");
    json_str(f, TITLE);
    fprintf(f, ", \"artist\": \"The Author\", \"copyright\": \"(c) 2026 wmwriter\", "
               "\"comment\": \"Issue 6 tag test, from C\", \"album\": \"The Album\", "
               "\"album_artist\": \"The Album Artist\", \"genre\": \"Test Tones\", \"WM/Year\": \"2026\", "
               "\"track\": \"7\"},\n");
    fprintf(f, "\"exiftool\": {\"Title\": ");
    json_str(f, TITLE);
    fprintf(f, ", \"Author\": \"The Author\", \"Copyright\": \"(c) 2026 wmwriter\", "
               "\"Description\": \"Issue 6 tag test, from C\", \"Rating\": \"PG\", \"AlbumTitle\": \"The Album\", "
               "\"AlbumArtist\": \"The Album Artist\", \"Genre\": \"Test Tones\", \"Year\": \"2026\", "
               "\"TrackNumber\": \"7\", \"PictureType\": \"Front Cover\", \"PictureMIMEType\": \"image/jpeg\", "
               "\"PictureDescription\": ");
    json_str(f, "Front cover \xE2\x9C\x93");
    fprintf(f, "}\n}\n");
    CHECK(fclose(f) == 0);

    rc = run_checker(asf, spec);

    /* AddCodecInfo "adds codec information to a file ... in the file header": the added
     * entries belong in the Codec List Object (ASF type codes: video 1, unknown 0xFFFF). */
    if (rc == 0) {
        char spec2[512];
        int rc2;
        wm_t_path(spec2, sizeof spec2, dir, "tags_c_codecs.json");
        f = fopen(spec2, "w");
        CHECK(f != NULL);
        if (f) {
            fprintf(f, "{\"readers\": [\"walker\"], \"codecs_include\": [{\"type\": 1, \"name\": ");
            json_str(f, "My Video Codec \xE2\x9C\x93");
            fprintf(f, ", \"description\": \"copied stream\", \"info\": \"4d594331\"}, {\"type\": 65535, "
                       "\"name\": \"Other\", \"description\": \"something else\", \"info\": \"\"}]}\n");
            CHECK(fclose(f) == 0);
            printf("checking that the add_codec_info entries are in the file's Codec List:\n");
            rc2 = run_checker(asf, spec2);
            KNOWN_BUG(rc2 == 0, "wm_writer_add_codec_info entries are not written to the file's Codec List Object "
                                "(check_metadata.py status %d above)", rc2);
        }
    }
out:
    free(jpeg);
    free(blob);
    wm_writer_release(w);
    wm_profile_release(p);
    return rc;
}

/* ------------------------------------------------------------------------------ */

int main(int argc, char **argv) {
    /* Without a scratch directory argument: a fresh one under /tmp (not the cwd). */
    char tmpl[] = "/tmp/wmwriter_test_header_info.XXXXXX";
    const char *dir = argc > 1 ? wm_t_outdir(argc, argv) : mkdtemp(tmpl);
    char cover[512];
    WMProfile *p;
    int rc;

    if (!dir) {
        perror("mkdtemp");
        return 1;
    }
    printf("scratch directory: %s\n", dir);
    if (argc > 2) snprintf(cover, sizeof cover, "%s", argv[2]);
    else snprintf(cover, sizeof cover, "%s/data/cover.jpg", WM_TEST_SOURCE_DIR);

    test_null_writer();
    test_no_profile();
    test_picture_layout_of_struct_size();

    p = make_profile("de-de");
    if (p) {
        WMWriter *w;
        w = make_writer(p);
        if (w) test_null_args(w);
        wm_writer_release(w);
        w = make_writer(p);
        if (w) test_types(w);
        wm_writer_release(w);
        w = make_writer(p);
        if (w) test_size_protocol(w);
        wm_writer_release(w);
        w = make_writer(p);
        if (w) test_edit(w);
        wm_writer_release(w);
        w = make_writer(p);
        if (w) test_markers_scripts(w);
        wm_writer_release(w);
        w = make_writer(p);
        if (w) test_codec_info(w);
        wm_writer_release(w);
        w = make_writer(p);
        if (w) test_picture(w);
        wm_writer_release(w);
        test_set_profile_clears(p);
        wm_profile_release(p);
    }
    test_writing_state(dir);

    rc = test_full_file(dir, cover);
    if (thi_known_bugs) printf("%d KNOWN BUG check(s) failed (not counted as failures)\n", thi_known_bugs);
    if (rc == 0) {
        wm_t_pass();
    } else if (rc == WM_T_SKIP_CODE || rc == -2) {
        return wm_t_skip(rc == -2 ? "python3 was not found" : "check_metadata.py: a reader is missing");
    } else {
        wm_t_fail_at(__FILE__, __LINE__);
        fprintf(stderr, "check_metadata.py failed (status %d)\n", rc);
    }
    return wm_t_summary();
}
