/*
 * test_util.h: a tiny assert framework and shared helpers for the wmwriter C tests.
 *
 *   CHECK(cond)                 a boolean assertion
 *   CHECK_HR(expr, expected)    an HRESULT assertion; on mismatch prints both codes by
 *                               name (wm_hresult_name) and wm_get_last_error_message()
 *   CHECK_EQ_U(a, b)            unsigned integers, both printed on mismatch
 *   CHECK_NULL(p), CHECK_STR_EQ(a, b), CHECK_LAST_ERROR(substr)
 *   return wm_t_summary();      prints "N passed, M failed"; exit status 1 on failure
 *
 * Tests that need external tools (ffprobe, ffmpeg, exiftool, ...) call wm_t_skip():
 * it exits with 77 (CTest SKIP_RETURN_CODE) unless WMWRITER_REQUIRE_TOOLS=1, in which
 * case a missing tool is a failure.
 *
 * Everything here is `static inline` so a test that uses only part of it compiles
 * cleanly with -Wall -Wextra.
 */
#ifndef WMWRITER_TEST_UTIL_H
#define WMWRITER_TEST_UTIL_H

#include "wmwriter.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

/* The exit status CTest treats as "skipped" (SKIP_RETURN_CODE). */
#define WM_T_SKIP_CODE 77

static int wm_t_passed = 0;
static int wm_t_failed = 0;

/* Atomic: checks may run on callback threads (ThreadSanitizer runs these tests). */
static inline void wm_t_pass(void) { __atomic_fetch_add(&wm_t_passed, 1, __ATOMIC_RELAXED); }

static inline void wm_t_fail_at(const char *file, int line) {
    __atomic_fetch_add(&wm_t_failed, 1, __ATOMIC_RELAXED);
    fprintf(stderr, "%s:%d: FAILED ", file, line);
}

/* A printable form of an HRESULT: "NS_E_INVALID_REQUEST (0xC00D002B)". */
static inline const char *wm_t_hr_str(HRESULT hr, char *buf, size_t n) {
    const char *name = wm_hresult_name(hr);
    snprintf(buf, n, "%s (0x%08" PRIX32 ")", name ? name : "(null name)", (uint32_t)hr);
    return buf;
}

static inline const char *wm_t_last_error(void) {
    const char *m = wm_get_last_error_message();
    return m ? m : "(NULL)";
}

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (cond) {                                                             \
            wm_t_pass();                                                        \
        } else {                                                                \
            wm_t_fail_at(__FILE__, __LINE__);                                   \
            fprintf(stderr, "CHECK(%s)\n", #cond);                              \
        }                                                                       \
    } while (0)

#define CHECK_HR(expr, expected)                                                \
    do {                                                                        \
        HRESULT wm_t_got_ = (expr);                                             \
        HRESULT wm_t_want_ = (expected);                                        \
        if (wm_t_got_ == wm_t_want_) {                                          \
            wm_t_pass();                                                        \
        } else {                                                                \
            char wm_t_b1_[96], wm_t_b2_[96];                                    \
            wm_t_fail_at(__FILE__, __LINE__);                                   \
            fprintf(stderr, "CHECK_HR(%s)\n    returned %s\n    expected %s\n"  \
                            "    last error: \"%s\"\n",                         \
                    #expr, wm_t_hr_str(wm_t_got_, wm_t_b1_, sizeof wm_t_b1_),   \
                    wm_t_hr_str(wm_t_want_, wm_t_b2_, sizeof wm_t_b2_),         \
                    wm_t_last_error());                                         \
        }                                                                       \
    } while (0)

#define CHECK_EQ_U(a, b)                                                        \
    do {                                                                        \
        uint64_t wm_t_a_ = (uint64_t)(a), wm_t_b_ = (uint64_t)(b);              \
        if (wm_t_a_ == wm_t_b_) {                                               \
            wm_t_pass();                                                        \
        } else {                                                                \
            wm_t_fail_at(__FILE__, __LINE__);                                   \
            fprintf(stderr, "CHECK_EQ_U(%s, %s): %" PRIu64 " != %" PRIu64       \
                            " (0x%" PRIX64 " != 0x%" PRIX64 ")\n",              \
                    #a, #b, wm_t_a_, wm_t_b_, wm_t_a_, wm_t_b_);                \
        }                                                                       \
    } while (0)

#define CHECK_NULL(p)                                                           \
    do {                                                                        \
        const void *wm_t_p_ = (const void *)(p);                                \
        if (wm_t_p_ == NULL) {                                                  \
            wm_t_pass();                                                        \
        } else {                                                                \
            wm_t_fail_at(__FILE__, __LINE__);                                   \
            fprintf(stderr, "CHECK_NULL(%s): is %p\n", #p, wm_t_p_);            \
        }                                                                       \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                      \
    do {                                                                        \
        const char *wm_t_sa_ = (a), *wm_t_sb_ = (b);                            \
        if (wm_t_sa_ && wm_t_sb_ && strcmp(wm_t_sa_, wm_t_sb_) == 0) {          \
            wm_t_pass();                                                        \
        } else {                                                                \
            wm_t_fail_at(__FILE__, __LINE__);                                   \
            fprintf(stderr, "CHECK_STR_EQ(%s, %s): \"%s\" != \"%s\"\n", #a, #b, \
                    wm_t_sa_ ? wm_t_sa_ : "(NULL)",                             \
                    wm_t_sb_ ? wm_t_sb_ : "(NULL)");                            \
        }                                                                       \
    } while (0)

/* The last failing call left a non-empty message, containing `substr` if not NULL. */
#define CHECK_LAST_ERROR(substr)                                                \
    do {                                                                        \
        const char *wm_t_m_ = wm_get_last_error_message();                      \
        const char *wm_t_s_ = (substr);                                         \
        if (wm_t_m_ && wm_t_m_[0] && (!wm_t_s_ || strstr(wm_t_m_, wm_t_s_))) {  \
            wm_t_pass();                                                        \
        } else {                                                                \
            wm_t_fail_at(__FILE__, __LINE__);                                   \
            fprintf(stderr, "CHECK_LAST_ERROR(%s): message \"%s\"\n", #substr,  \
                    wm_t_m_ ? wm_t_m_ : "(NULL)");                              \
        }                                                                       \
    } while (0)

/* Print the summary line; the process exit status: 0 all passed, 1 otherwise (also
 * when nothing was checked at all). */
static inline int wm_t_summary(void) {
    printf("%d passed, %d failed\n", wm_t_passed, wm_t_failed);
    fflush(stdout);
    if (wm_t_failed == 0 && wm_t_passed == 0) {
        fprintf(stderr, "no checks ran\n");
        return 1;
    }
    return wm_t_failed ? 1 : 0;
}

/* ------------------------------------------------------------------------------ */
/* External tools                                                                  */
/* ------------------------------------------------------------------------------ */

static inline int wm_t_tools_required(void) {
    const char *v = getenv("WMWRITER_REQUIRE_TOOLS");
    return v && strcmp(v, "1") == 0;
}

/* Whether `tool` is on PATH. */
static inline int wm_t_have_tool(const char *tool) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v '%s' >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

/* Run a shell command, capturing up to n-1 bytes of its stdout (NUL-terminated).
 * Returns its exit status, or -1 if it could not be run. */
static inline int wm_t_run_capture(const char *cmd, char *out, size_t n) {
    FILE *f = popen(cmd, "r");
    size_t got = 0;
    int st;
    if (!f) return -1;
    if (out && n) {
        while (got + 1 < n) {
            size_t r = fread(out + got, 1, n - 1 - got, f);
            if (r == 0) break;
            got += r;
        }
        out[got] = '\0';
    }
    {
        char sink[256];
        while (fread(sink, 1, sizeof sink, f) > 0) {
        }
    }
    st = pclose(f);
    if (st == -1) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A needed tool is missing: skip the test (exit 77), or fail it when
 * WMWRITER_REQUIRE_TOOLS=1. Prints the summary either way. */
static inline int wm_t_skip(const char *why) {
    if (wm_t_tools_required()) {
        wm_t_failed++;
        fprintf(stderr, "FAILED: %s (WMWRITER_REQUIRE_TOOLS=1)\n", why);
        return wm_t_summary();
    }
    printf("SKIPPED: %s\n", why);
    printf("%d passed, %d failed\n", wm_t_passed, wm_t_failed);
    return wm_t_failed ? 1 : WM_T_SKIP_CODE;
}

/* ------------------------------------------------------------------------------ */
/* Files                                                                           */
/* ------------------------------------------------------------------------------ */

/* The scratch directory (argv[1], default "."), created if missing. */
static inline const char *wm_t_outdir(int argc, char **argv) {
    const char *d = argc > 1 ? argv[1] : ".";
    if (mkdir(d, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "cannot create %s: %s\n", d, strerror(errno));
        exit(1);
    }
    return d;
}

static inline const char *wm_t_path(char *buf, size_t n, const char *dir, const char *name) {
    snprintf(buf, n, "%s/%s", dir, name);
    return buf;
}

/* Read a whole file (malloc'd; free it). NULL on error. */
static inline uint8_t *wm_t_read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    long n;
    *size = 0;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    data = (uint8_t *)malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data) *size = (size_t)n;
    return data;
}

static inline int wm_t_write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f) return 0;
    ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* ------------------------------------------------------------------------------ */
/* Little-endian helpers and an independent mini ASF header parser                  */
/* ------------------------------------------------------------------------------ */

static inline void wm_t_put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void wm_t_put32(uint8_t *p, uint32_t v) {
    wm_t_put16(p, (uint16_t)v);
    wm_t_put16(p + 2, (uint16_t)(v >> 16));
}
static inline uint16_t wm_t_get16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t wm_t_get32(const uint8_t *p) {
    return (uint32_t)wm_t_get16(p) | ((uint32_t)wm_t_get16(p + 2) << 16);
}
static inline uint64_t wm_t_get64(const uint8_t *p) {
    return (uint64_t)wm_t_get32(p) | ((uint64_t)wm_t_get32(p + 4) << 32);
}

/* ASF object GUIDs as they appear in the file. */
static const uint8_t WM_T_ASF_HEADER[16] = {0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11,
                                            0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C};
static const uint8_t WM_T_ASF_DATA[16] = {0x36, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11,
                                          0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C};
static const uint8_t WM_T_ASF_FILE_PROPS[16] = {0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11,
                                                0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65};
static const uint8_t WM_T_ASF_STREAM_PROPS[16] = {0x91, 0x07, 0xDC, 0xB7, 0xB7, 0xA9, 0xCF, 0x11,
                                                  0x8E, 0xE6, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65};

typedef struct {
    uint64_t actual_size;     /* bytes in the file */
    uint64_t header_size;     /* Header Object size */
    uint32_t header_children; /* Header Object: number of child objects */
    uint32_t stream_count;    /* Stream Properties objects in the header */
    /* File Properties Object */
    uint64_t file_size;
    uint64_t data_packets;
    uint64_t play_duration;
    uint64_t send_duration;
    uint64_t preroll;
    uint32_t flags;
    uint32_t min_packet;
    uint32_t max_packet;
    uint32_t max_bitrate;
    /* Data Object */
    uint64_t data_size;
    uint64_t data_total_packets;
    /* Top-level objects after the Data Object (indexes) */
    uint64_t trailer_size;
} wm_t_asf_info;

/* Parse the top-level structure of an ASF file. Returns NULL on success or a
 * sentence saying what is malformed. */
static inline const char *wm_t_asf_parse(const uint8_t *d, size_t n, wm_t_asf_info *out) {
    size_t pos;
    uint32_t i;
    int have_fp = 0;
    memset(out, 0, sizeof *out);
    out->actual_size = n;
    if (n < 30 || memcmp(d, WM_T_ASF_HEADER, 16) != 0) return "no ASF Header Object at offset 0";
    out->header_size = wm_t_get64(d + 16);
    out->header_children = wm_t_get32(d + 24);
    if (out->header_size < 30 || out->header_size > n) return "Header Object size out of range";
    pos = 30;
    for (i = 0; i < out->header_children; i++) {
        uint64_t sz;
        if (pos + 24 > out->header_size) return "header child runs past the Header Object";
        sz = wm_t_get64(d + pos + 16);
        if (sz < 24 || pos + sz > out->header_size) return "header child has a bad size";
        if (memcmp(d + pos, WM_T_ASF_FILE_PROPS, 16) == 0) {
            const uint8_t *p = d + pos;
            if (sz < 104) return "File Properties Object shorter than 104 bytes";
            have_fp = 1;
            out->file_size = wm_t_get64(p + 40);
            out->data_packets = wm_t_get64(p + 56);
            out->play_duration = wm_t_get64(p + 64);
            out->send_duration = wm_t_get64(p + 72);
            out->preroll = wm_t_get64(p + 80);
            out->flags = wm_t_get32(p + 88);
            out->min_packet = wm_t_get32(p + 92);
            out->max_packet = wm_t_get32(p + 96);
            out->max_bitrate = wm_t_get32(p + 100);
        } else if (memcmp(d + pos, WM_T_ASF_STREAM_PROPS, 16) == 0) {
            out->stream_count++;
        }
        pos += (size_t)sz;
    }
    if (pos != out->header_size) return "header children do not add up to the Header Object size";
    if (!have_fp) return "no File Properties Object";
    if (pos + 50 > n || memcmp(d + pos, WM_T_ASF_DATA, 16) != 0)
        return "no Data Object right after the Header Object";
    out->data_size = wm_t_get64(d + pos + 16);
    out->data_total_packets = wm_t_get64(d + pos + 40);
    if (out->data_size < 50 || pos + out->data_size > n) return "Data Object size out of range";
    pos += (size_t)out->data_size;
    while (pos < n) {
        uint64_t sz;
        if (pos + 24 > n) return "trailing bytes after the last object";
        sz = wm_t_get64(d + pos + 16);
        if (sz < 24 || pos + sz > n) return "top-level object after the Data Object has a bad size";
        out->trailer_size += sz;
        pos += (size_t)sz;
    }
    return NULL;
}

/* Read and parse `path`; checks the consistency every finished, seekable file must
 * have (sizes and counts agree with the bytes). Returns the number of failed checks. */
static inline int wm_t_check_finished_asf(const char *path, wm_t_asf_info *info) {
    size_t n = 0;
    uint8_t *d = wm_t_read_file(path, &n);
    const char *err;
    int before = wm_t_failed;
    CHECK(d != NULL);
    if (!d) {
        fprintf(stderr, "    cannot read %s\n", path);
        return 1;
    }
    err = wm_t_asf_parse(d, n, info);
    if (err) fprintf(stderr, "    %s: %s\n", path, err);
    CHECK(err == NULL);
    if (!err) {
        CHECK_EQ_U(info->file_size, n);
        CHECK(info->min_packet == info->max_packet && info->max_packet > 0);
        if (info->max_packet > 0) {
            CHECK_EQ_U((info->data_size - 50) % info->max_packet, 0);
            CHECK_EQ_U(info->data_packets, (info->data_size - 50) / info->max_packet);
        }
        CHECK_EQ_U(info->data_total_packets, info->data_packets);
        CHECK(info->data_packets > 0);
        CHECK_EQ_U(info->flags & 0x1, 0); /* Broadcast cleared once finished */
    }
    free(d);
    return wm_t_failed - before;
}

/* ------------------------------------------------------------------------------ */
/* Media types and profiles                                                        */
/* ------------------------------------------------------------------------------ */

/* A WAVEFORMATEX (18 bytes, cbSize 0). block_align 0 = the correct value. */
static inline void wm_t_wfx(uint8_t wfx[18], uint16_t tag, uint16_t channels, uint32_t rate,
                            uint16_t bits, uint16_t block_align) {
    uint16_t align = block_align ? block_align : (uint16_t)(channels * ((bits + 7) / 8));
    wm_t_put16(wfx + 0, tag);
    wm_t_put16(wfx + 2, channels);
    wm_t_put32(wfx + 4, rate);
    wm_t_put32(wfx + 8, rate * (uint32_t)(channels * ((bits + 7) / 8)));
    wm_t_put16(wfx + 12, align);
    wm_t_put16(wfx + 14, bits);
    wm_t_put16(wfx + 16, 0);
}

/* A PCM WM_MEDIA_TYPE pointing at `wfx` (18 bytes). */
static inline void wm_t_pcm_type(WM_MEDIA_TYPE *mt, uint8_t wfx[18]) {
    memset(mt, 0, sizeof *mt);
    mt->majortype = WMMEDIATYPE_Audio;
    mt->subtype = WMMEDIASUBTYPE_PCM;
    mt->bFixedSizeSamples = 1;
    mt->bTemporalCompression = 0;
    mt->lSampleSize = wm_t_get16(wfx + 12);
    mt->formattype = WMFORMAT_WaveFormatEx;
    mt->pUnk = NULL;
    mt->cbFormat = 18;
    mt->pbFormat = wfx;
}

static inline int wm_t_guid_eq(const WMGuid *a, const WMGuid *b) {
    return memcmp(a, b, sizeof *a) == 0;
}

typedef struct {
    uint16_t channels;
    uint32_t rate;
    uint16_t bits;
    uint16_t block_align;    /* 0 = correct */
    uint32_t bitrate;        /* 0 = rate * block align * 8 */
    uint32_t buffer_window;  /* 0 = leave the default */
    const char *connection;  /* NULL = leave unset */
} wm_t_pcm_spec;

/* Add a PCM stream to `p` as described. Returns the first failing HRESULT (or S_OK);
 * *number gets the stream number when not NULL. */
static inline HRESULT wm_t_add_pcm_stream(WMProfile *p, const wm_t_pcm_spec *s, uint16_t *number) {
    WMStreamConfig *sc = NULL;
    uint8_t wfx[18];
    WM_MEDIA_TYPE mt;
    uint16_t num = 0;
    HRESULT hr = wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &sc);
    if (hr != S_OK) return hr;
    wm_t_wfx(wfx, 1, s->channels, s->rate, s->bits, s->block_align);
    wm_t_pcm_type(&mt, wfx);
    hr = wm_stream_config_set_media_type(sc, &mt);
    if (hr == S_OK)
        hr = wm_stream_config_set_bitrate(
            sc, s->bitrate ? s->bitrate : s->rate * (uint32_t)(s->channels * ((s->bits + 7) / 8)) * 8);
    if (hr == S_OK && s->buffer_window) hr = wm_stream_config_set_buffer_window(sc, s->buffer_window);
    if (hr == S_OK && s->connection) hr = wm_stream_config_set_connection_name(sc, s->connection);
    if (hr == S_OK) hr = wm_stream_config_get_stream_number(sc, &num);
    if (hr == S_OK) hr = wm_profile_add_stream(p, sc);
    wm_stream_config_release(sc);
    if (number) *number = num;
    return hr;
}

/* A new WMT_VER_9_0 profile with `n` PCM streams (NULL on failure, after reporting). */
static inline WMProfile *wm_t_pcm_profile(const wm_t_pcm_spec *specs, int n) {
    WMProfileManager *m = NULL;
    WMProfile *p = NULL;
    int i;
    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    if (!m) return NULL;
    CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p), S_OK);
    wm_profile_manager_release(m);
    if (!p) return NULL;
    for (i = 0; i < n; i++) {
        HRESULT hr = wm_t_add_pcm_stream(p, &specs[i], NULL);
        CHECK_HR(hr, S_OK);
        if (hr != S_OK) {
            wm_profile_release(p);
            return NULL;
        }
    }
    return p;
}

/* Allocate a writer sample of `n` bytes filled from `data` (length set). */
static inline WMBuffer *wm_t_sample(WMWriter *w, const void *data, uint32_t n) {
    WMBuffer *b = NULL;
    uint8_t *ptr = NULL;
    HRESULT hr = wm_writer_allocate_sample(w, n, &b);
    CHECK_HR(hr, S_OK);
    if (hr != S_OK || !b) return NULL;
    CHECK_HR(wm_buffer_get_buffer(b, &ptr), S_OK);
    if (ptr && data && n) memcpy(ptr, data, n);
    CHECK_HR(wm_buffer_set_length(b, n), S_OK);
    return b;
}

/* Write `n` bytes of `data` on `input` at `time` through a fresh, immediately released
 * writer buffer. Returns write_sample's HRESULT. */
static inline HRESULT wm_t_write(WMWriter *w, uint32_t input, uint64_t time, const void *data, uint32_t n) {
    WMBuffer *b = wm_t_sample(w, data, n);
    HRESULT hr;
    if (!b) return E_FAIL;
    hr = wm_writer_write_sample(w, input, time, 0, b);
    wm_buffer_release(b);
    return hr;
}

/* Deterministic test signal: a 32-bit LCG. */
static inline uint32_t wm_t_lcg(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state;
}

#endif /* WMWRITER_TEST_UTIL_H */
