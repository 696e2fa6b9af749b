/*
 * test_writer_state: the writer state machine Empty → Configured → Writing →
 * Configured, with every documented HRESULT in every state, out-params NULL/0 on
 * failure, and a last-error message after every failure.
 */
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include "test_util.h"

#define BAD_PTR ((void *)(uintptr_t)0xdeadbeef)
#define BAD_U32 0xdeadbeefu
#define MS (10000ull) /* 100-ns units per millisecond */

/* Input 0: "A" = 44.1 kHz stereo 16-bit; input 1: "B" = 8 kHz mono 8-bit. */
static const wm_t_pcm_spec SPEC_A = {2, 44100, 16, 0, 0, 0, "A"};
static const wm_t_pcm_spec SPEC_B = {1, 8000, 8, 0, 0, 0, "B"};
#define A_100MS (4410u * 4u)
#define B_100MS (800u)

static uint8_t g_a[A_100MS * 2];
static uint8_t g_b[B_100MS * 2];
static const char *g_dir;

static void fill_signal(void) {
    uint32_t s = 12345;
    size_t i;
    for (i = 0; i < sizeof g_a; i++) g_a[i] = (uint8_t)(wm_t_lcg(&s) >> 24);
    for (i = 0; i < sizeof g_b; i++) g_b[i] = (uint8_t)(128 + (int)(i % 64) - 32);
}

static WMProfile *profile_ab(void) {
    wm_t_pcm_spec specs[2];
    specs[0] = SPEC_A;
    specs[1] = SPEC_B;
    return wm_t_pcm_profile(specs, 2);
}

/* ---- NULL writer handle: E_POINTER from every function ----------------------------- */

static void test_null_writer(void) {
    WMProfile *p = profile_ab();
    WMBuffer *buf = NULL;
    WMBuffer *b = (WMBuffer *)BAD_PTR;
    WMInputMediaProps *ip = (WMInputMediaProps *)BAD_PTR;
    uint32_t c = BAD_U32;
    CHECK_HR(wm_create_buffer(16, &buf), S_OK);
    CHECK_HR(wm_buffer_set_length(buf, 4), S_OK);

    CHECK_HR(wm_create_writer(NULL), E_POINTER);
    CHECK_EQ_U(wm_writer_add_ref(NULL), 0);
    CHECK_EQ_U(wm_writer_release(NULL), 0);
    CHECK_HR(wm_writer_set_profile(NULL, p), E_POINTER);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_writer_set_profile_by_id(NULL, &WMMEDIATYPE_Audio), E_POINTER);
    CHECK_HR(wm_writer_set_output_filename(NULL, "x.wma"), E_POINTER);
    CHECK_HR(wm_writer_get_input_count(NULL, &c), E_POINTER);
    CHECK_EQ_U(c, 0);
    CHECK_HR(wm_writer_get_input_props(NULL, 0, &ip), E_POINTER);
    CHECK_NULL(ip);
    CHECK_HR(wm_writer_set_input_props(NULL, 0, NULL), E_POINTER);
    c = BAD_U32;
    CHECK_HR(wm_writer_get_input_format_count(NULL, 0, &c), E_POINTER);
    CHECK_EQ_U(c, 0);
    ip = (WMInputMediaProps *)BAD_PTR;
    CHECK_HR(wm_writer_get_input_format(NULL, 0, 0, &ip), E_POINTER);
    CHECK_NULL(ip);
    CHECK_HR(wm_writer_begin_writing(NULL), E_POINTER);
    CHECK_HR(wm_writer_allocate_sample(NULL, 16, &b), E_POINTER);
    CHECK_NULL(b);
    CHECK_HR(wm_writer_write_sample(NULL, 0, 0, 0, buf), E_POINTER);
    CHECK_HR(wm_writer_write_stream_sample(NULL, 1, 0, 0, 0, 0, buf), E_POINTER);
    CHECK_HR(wm_writer_flush(NULL), E_POINTER);
    CHECK_HR(wm_writer_end_writing(NULL), E_POINTER);
    CHECK_HR(wm_writer_set_sync_tolerance(NULL, 1000), E_POINTER);
    c = BAD_U32;
    CHECK_HR(wm_writer_get_sync_tolerance(NULL, &c), E_POINTER);
    CHECK_EQ_U(c, 0);
    CHECK_LAST_ERROR(NULL);

    /* NULL input-media-props handles too. */
    {
        WMGuid g;
        uint32_t size = BAD_U32;
        uint16_t len = 0xBEEF;
        char name[8];
        memset(&g, 0xAB, sizeof g);
        CHECK_EQ_U(wm_input_media_props_add_ref(NULL), 0);
        CHECK_EQ_U(wm_input_media_props_release(NULL), 0);
        CHECK_HR(wm_input_media_props_get_type(NULL, &g), E_POINTER);
        CHECK_HR(wm_input_media_props_get_media_type(NULL, NULL, &size), E_POINTER);
        {
            uint8_t wfx[18];
            WM_MEDIA_TYPE mt;
            wm_t_wfx(wfx, 1, 2, 44100, 16, 0);
            wm_t_pcm_type(&mt, wfx);
            CHECK_HR(wm_input_media_props_set_media_type(NULL, &mt), E_POINTER);
        }
        CHECK_HR(wm_input_media_props_get_connection_name(NULL, name, &len), E_POINTER);
        len = sizeof name;
        CHECK_HR(wm_input_media_props_get_group_name(NULL, name, &len), E_POINTER);
    }

    wm_buffer_release(buf);
    wm_profile_release(p);
}

/* ---- Empty: no profile ------------------------------------------------------------------ */

static void test_empty(void) {
    WMWriter *w = NULL;
    WMProfile *p = NULL;
    WMBuffer *own = NULL;
    WMBuffer *b;
    WMInputMediaProps *ip;
    uint32_t c;
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w) return;
    CHECK_HR(wm_create_buffer(64, &own), S_OK);
    CHECK_HR(wm_buffer_set_length(own, 4), S_OK);

    c = BAD_U32;
    CHECK_HR(wm_writer_get_input_count(w, &c), NS_E_NOT_CONFIGURED);
    CHECK_EQ_U(c, 0);
    CHECK_LAST_ERROR("profile");
    ip = (WMInputMediaProps *)BAD_PTR;
    CHECK_HR(wm_writer_get_input_props(w, 0, &ip), NS_E_NOT_CONFIGURED);
    CHECK_NULL(ip);
    c = BAD_U32;
    CHECK_HR(wm_writer_get_input_format_count(w, 0, &c), NS_E_NOT_CONFIGURED);
    CHECK_EQ_U(c, 0);
    ip = (WMInputMediaProps *)BAD_PTR;
    CHECK_HR(wm_writer_get_input_format(w, 0, 0, &ip), NS_E_NOT_CONFIGURED);
    CHECK_NULL(ip);
    CHECK_HR(wm_writer_set_input_props(w, 0, NULL), NS_E_NOT_CONFIGURED);

    b = (WMBuffer *)BAD_PTR;
    CHECK_HR(wm_writer_allocate_sample(w, 100, &b), NS_E_INVALID_REQUEST);
    CHECK_NULL(b);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_writer_write_sample(w, 0, 0, 0, own), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR("write_sample");
    CHECK_HR(wm_writer_write_stream_sample(w, 1, 0, 0, 0, 0, own), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_end_writing(w), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR("end_writing");
    CHECK_HR(wm_writer_begin_writing(w), NS_E_NOT_CONFIGURED);
    CHECK_LAST_ERROR("begin_writing");
    CHECK_HR(wm_writer_flush(w), S_OK);

    /* An output name alone does not configure the writer. */
    {
        char path[512];
        CHECK_HR(wm_writer_set_output_filename(w, wm_t_path(path, sizeof path, g_dir, "empty.wma")), S_OK);
        CHECK_HR(wm_writer_begin_writing(w), NS_E_NOT_CONFIGURED);
    }

    CHECK_HR(wm_writer_set_profile_by_id(w, &WMMEDIATYPE_Audio), E_INVALIDARG);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_writer_set_profile_by_id(w, NULL), E_INVALIDARG);

    /* set_profile failures: the writer stays Empty. */
    CHECK_HR(wm_writer_set_profile(w, NULL), E_INVALIDARG);
    CHECK_LAST_ERROR(NULL);
    {
        WMProfileManager *m = NULL;
        CHECK_HR(wm_create_profile_manager(&m), S_OK);
        CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p), S_OK);
        wm_profile_manager_release(m);
    }
    CHECK_HR(wm_writer_set_profile(w, p), NS_E_INVALIDPROFILE); /* no streams */
    CHECK_LAST_ERROR(NULL);
    wm_profile_release(p);
    {
        wm_t_pcm_spec s = SPEC_A;
        s.bitrate = 0;
        p = wm_t_pcm_profile(&s, 1);
        /* wm_t_pcm_profile fills in the right bit rate for 0; force 0 here. */
        if (p) {
            WMStreamConfig *sc = NULL;
            CHECK_HR(wm_profile_get_stream(p, 0, &sc), S_OK);
            CHECK_HR(wm_stream_config_set_bitrate(sc, 0), S_OK);
            CHECK_HR(wm_profile_reconfig_stream(p, sc), S_OK);
            wm_stream_config_release(sc);
            CHECK_HR(wm_writer_set_profile(w, p), NS_E_INVALIDPROFILE); /* bit rate 0 */
            CHECK_LAST_ERROR("bitrate");
            wm_profile_release(p);
        }
    }
    {
        wm_t_pcm_spec s = SPEC_A;
        s.block_align = 3; /* 2 ch x 16 bit needs 4 */
        p = wm_t_pcm_profile(&s, 1);
        CHECK_HR(wm_writer_set_profile(w, p), NS_E_INVALID_STREAM);
        CHECK_LAST_ERROR("nBlockAlign");
        wm_profile_release(p);
    }
    {
        wm_t_pcm_spec s = SPEC_A;
        s.buffer_window = 100001;
        p = wm_t_pcm_profile(&s, 1);
        CHECK_HR(wm_writer_set_profile(w, p), NS_E_INVALID_STREAM);
        CHECK_LAST_ERROR("buffer window");
        wm_profile_release(p);
    }
    c = BAD_U32;
    CHECK_HR(wm_writer_get_input_count(w, &c), NS_E_NOT_CONFIGURED); /* still Empty */
    CHECK_EQ_U(c, 0);

    /* The limit itself is fine; that configures the writer. */
    {
        wm_t_pcm_spec s = SPEC_A;
        s.buffer_window = 100000;
        p = wm_t_pcm_profile(&s, 1);
        CHECK_HR(wm_writer_set_profile(w, p), S_OK);
        wm_profile_release(p);
        CHECK_HR(wm_writer_get_input_count(w, &c), S_OK);
        CHECK_EQ_U(c, 1);
    }

    wm_buffer_release(own);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

/* ---- inputs: one per distinct connection name --------------------------------------------- */

static void test_input_count(void) {
    WMWriter *w = NULL;
    wm_t_pcm_spec specs[4];
    WMProfile *p;
    uint32_t c = 0;
    specs[0] = SPEC_A;
    specs[1] = SPEC_B;
    specs[2] = SPEC_A; /* shares "A" */
    specs[3] = SPEC_B;
    specs[3].connection = "C";
    p = wm_t_pcm_profile(specs, 4);
    CHECK_HR(wm_create_writer(&w), S_OK);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_get_input_count(w, &c), S_OK);
    CHECK_EQ_U(c, 3); /* A, B, C */
    CHECK_HR(wm_writer_get_input_count(w, NULL), E_INVALIDARG);
    /* A failed set_profile keeps the previous configuration. */
    {
        wm_t_pcm_spec bad = SPEC_A;
        WMProfile *q;
        bad.block_align = 1;
        q = wm_t_pcm_profile(&bad, 1);
        CHECK_HR(wm_writer_set_profile(w, q), NS_E_INVALID_STREAM);
        wm_profile_release(q);
        c = 0;
        CHECK_HR(wm_writer_get_input_count(w, &c), S_OK);
        CHECK_EQ_U(c, 3);
    }
    /* A new valid profile replaces it (Configured → Configured). */
    {
        WMProfile *q = wm_t_pcm_profile(&SPEC_B, 1);
        CHECK_HR(wm_writer_set_profile(w, q), S_OK);
        wm_profile_release(q);
        CHECK_HR(wm_writer_get_input_count(w, &c), S_OK);
        CHECK_EQ_U(c, 1);
    }
    /* The writer keeps a snapshot: editing the profile afterwards changes nothing. */
    {
        uint32_t before = 0;
        CHECK_HR(wm_writer_get_input_count(w, &before), S_OK);
        CHECK_HR(wm_t_add_pcm_stream(p, &specs[3], NULL), S_OK); /* "C" is already there */
        CHECK_HR(wm_writer_get_input_count(w, &c), S_OK);
        CHECK_EQ_U(c, before);
    }
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

/* Compare an input-media-props object's media type with a PCM spec. */
static void check_props(WMInputMediaProps *ip, const wm_t_pcm_spec *spec, const char *connection) {
    union {
        WM_MEDIA_TYPE mt;
        uint64_t align[32];
    } out;
    uint32_t size = 0;
    uint8_t wfx[18];
    char name[64];
    uint16_t len;
    WMGuid g;
    if (!ip) return;
    wm_t_wfx(wfx, 1, spec->channels, spec->rate, spec->bits, 0);
    CHECK_HR(wm_input_media_props_get_type(ip, &g), S_OK);
    CHECK(wm_t_guid_eq(&g, &WMMEDIATYPE_Audio));
    CHECK_HR(wm_input_media_props_get_type(ip, NULL), E_INVALIDARG);
    CHECK_HR(wm_input_media_props_get_media_type(ip, NULL, &size), S_OK);
    CHECK_EQ_U(size, sizeof(WM_MEDIA_TYPE) + 18);
    CHECK_HR(wm_input_media_props_get_media_type(ip, NULL, NULL), E_INVALIDARG);
    size = 10;
    CHECK_HR(wm_input_media_props_get_media_type(ip, &out.mt, &size), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(size, sizeof(WM_MEDIA_TYPE) + 18);
    size = sizeof out;
    CHECK_HR(wm_input_media_props_get_media_type(ip, &out.mt, &size), S_OK);
    CHECK(wm_t_guid_eq(&out.mt.majortype, &WMMEDIATYPE_Audio));
    CHECK(wm_t_guid_eq(&out.mt.subtype, &WMMEDIASUBTYPE_PCM));
    CHECK(wm_t_guid_eq(&out.mt.formattype, &WMFORMAT_WaveFormatEx));
    CHECK_EQ_U(out.mt.cbFormat, 18);
    CHECK(out.mt.pbFormat == (uint8_t *)&out + sizeof(WM_MEDIA_TYPE));
    CHECK(memcmp(out.mt.pbFormat, wfx, 18) == 0);
    len = 0;
    CHECK_HR(wm_input_media_props_get_connection_name(ip, NULL, &len), S_OK);
    CHECK_EQ_U(len, strlen(connection) + 1);
    len = sizeof name;
    CHECK_HR(wm_input_media_props_get_connection_name(ip, name, &len), S_OK);
    CHECK_STR_EQ(name, connection);
    len = 1;
    if (connection[0]) {
        CHECK_HR(wm_input_media_props_get_connection_name(ip, name, &len), ASF_E_BUFFERTOOSMALL);
        CHECK_EQ_U(len, strlen(connection) + 1);
    }
    CHECK_HR(wm_input_media_props_get_connection_name(ip, name, NULL), E_INVALIDARG);
    /* The group name is always "" */
    len = 0;
    CHECK_HR(wm_input_media_props_get_group_name(ip, NULL, &len), S_OK);
    CHECK_EQ_U(len, 1);
    len = sizeof name;
    memset(name, 'x', sizeof name);
    CHECK_HR(wm_input_media_props_get_group_name(ip, name, &len), S_OK);
    CHECK_STR_EQ(name, "");
    CHECK_HR(wm_input_media_props_get_group_name(ip, name, NULL), E_INVALIDARG);
}

/* ---- Configured, Writing, and back ------------------------------------------------------- */

static void write_second(WMWriter *w, uint64_t start) {
    int i;
    for (i = 0; i < 10; i++) {
        CHECK_HR(wm_t_write(w, 0, start + (uint64_t)i * 100 * MS, g_a, A_100MS), S_OK);
        CHECK_HR(wm_t_write(w, 1, start + (uint64_t)i * 100 * MS, g_b, B_100MS), S_OK);
    }
}

static void ffprobe_check(const char *path, const char *expect) {
    char cmd[1024], out[256];
    int st;
    if (!wm_t_have_tool("ffprobe")) {
        if (wm_t_tools_required()) {
            wm_t_failed++;
            fprintf(stderr, "FAILED: ffprobe not found (WMWRITER_REQUIRE_TOOLS=1)\n");
        } else {
            printf("note: ffprobe not found; %s not checked by a reader\n", path);
        }
        return;
    }
    snprintf(cmd, sizeof cmd,
             "ffprobe -v error -show_entries stream=codec_name,sample_rate,channels "
             "-of csv=p=0 '%s' 2>&1",
             path);
    st = wm_t_run_capture(cmd, out, sizeof out);
    CHECK_EQ_U(st, 0);
    if (strcmp(out, expect) != 0) {
        wm_t_fail_at(__FILE__, __LINE__);
        fprintf(stderr, "ffprobe %s:\n%s\nexpected:\n%s\n", path, out, expect);
    } else {
        wm_t_pass();
    }
}

static void test_lifecycle(void) {
    WMWriter *w = NULL;
    WMProfile *p = profile_ab();
    WMInputMediaProps *ip0 = NULL, *ip1 = NULL, *x;
    WMBuffer *b, *own = NULL;
    uint32_t c;
    char file1[512], file2[512], bad[512];
    wm_t_asf_info info;

    wm_t_path(file1, sizeof file1, g_dir, "state1.wma");
    wm_t_path(file2, sizeof file2, g_dir, "state2.wma");
    wm_t_path(bad, sizeof bad, g_dir, "no-such-directory/x.wma");
    remove(file1);
    remove(file2);

    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_EQ_U(wm_writer_add_ref(w), 2);
    CHECK_EQ_U(wm_writer_release(w), 1);
    CHECK_HR(wm_create_buffer(A_100MS, &own), S_OK);

    /* Sync tolerance: default 3000 ms, settable in any state. */
    c = 0;
    CHECK_HR(wm_writer_get_sync_tolerance(w, &c), S_OK);
    CHECK_EQ_U(c, 3000);
    CHECK_HR(wm_writer_set_sync_tolerance(w, 10000), S_OK);
    CHECK_HR(wm_writer_get_sync_tolerance(w, &c), S_OK);
    CHECK_EQ_U(c, 10000);
    CHECK_HR(wm_writer_set_sync_tolerance(w, 3000), S_OK);
    CHECK_HR(wm_writer_get_sync_tolerance(w, NULL), E_INVALIDARG);

    CHECK_HR(wm_writer_set_profile(w, p), S_OK);

    /* Configured. */
    c = 0;
    CHECK_HR(wm_writer_get_input_count(w, &c), S_OK);
    CHECK_EQ_U(c, 2);
    CHECK_HR(wm_writer_get_input_props(w, 0, &ip0), S_OK);
    CHECK_HR(wm_writer_get_input_props(w, 1, &ip1), S_OK);
    check_props(ip0, &SPEC_A, "A");
    check_props(ip1, &SPEC_B, "B");
    x = (WMInputMediaProps *)BAD_PTR;
    CHECK_HR(wm_writer_get_input_props(w, 2, &x), E_INVALIDARG);
    CHECK_NULL(x);
    CHECK_LAST_ERROR("input 2");
    CHECK_HR(wm_writer_get_input_props(w, 0, NULL), E_INVALIDARG);
    /* Each call gives a new object. */
    {
        WMInputMediaProps *again = NULL;
        CHECK_HR(wm_writer_get_input_props(w, 0, &again), S_OK);
        CHECK(again != NULL && again != ip0);
        if (again) {
            CHECK_EQ_U(wm_input_media_props_add_ref(again), 2);
            CHECK_EQ_U(wm_input_media_props_release(again), 1);
            CHECK_EQ_U(wm_input_media_props_release(again), 0);
        }
    }

    c = 0;
    CHECK_HR(wm_writer_get_input_format_count(w, 0, &c), S_OK);
    CHECK_EQ_U(c, 1);
    c = BAD_U32;
    CHECK_HR(wm_writer_get_input_format_count(w, 2, &c), E_INVALIDARG);
    CHECK_EQ_U(c, 0);
    CHECK_HR(wm_writer_get_input_format_count(w, 0, NULL), E_INVALIDARG);
    x = NULL;
    CHECK_HR(wm_writer_get_input_format(w, 1, 0, &x), S_OK);
    check_props(x, &SPEC_B, "B");
    wm_input_media_props_release(x);
    x = (WMInputMediaProps *)BAD_PTR;
    CHECK_HR(wm_writer_get_input_format(w, 0, 1, &x), E_INVALIDARG);
    CHECK_NULL(x);
    CHECK_LAST_ERROR(NULL);
    x = (WMInputMediaProps *)BAD_PTR;
    CHECK_HR(wm_writer_get_input_format(w, 2, 0, &x), E_INVALIDARG);
    CHECK_NULL(x);
    CHECK_HR(wm_writer_get_input_format(w, 0, 0, NULL), E_INVALIDARG);

    /* set_input_props: the same format is fine; another one is not. */
    CHECK_HR(wm_writer_set_input_props(w, 0, ip0), S_OK);
    CHECK_HR(wm_writer_set_input_props(w, 1, ip1), S_OK);
    CHECK_HR(wm_writer_set_input_props(w, 0, ip1), NS_E_INVALID_INPUT_FORMAT); /* B's format on A */
    CHECK_LAST_ERROR("set_input_props");
    {
        WMInputMediaProps *other = NULL;
        uint8_t wfx[18];
        WM_MEDIA_TYPE mt;
        CHECK_HR(wm_writer_get_input_props(w, 0, &other), S_OK);
        wm_t_wfx(wfx, 1, 2, 48000, 16, 0); /* 48 kHz instead of 44.1 */
        wm_t_pcm_type(&mt, wfx);
        CHECK_HR(wm_input_media_props_set_media_type(other, &mt), S_OK);
        CHECK_HR(wm_writer_set_input_props(w, 0, other), NS_E_INVALID_INPUT_FORMAT);
        CHECK_LAST_ERROR(NULL);
        mt.cbFormat = 0;
        CHECK_HR(wm_input_media_props_set_media_type(other, &mt), E_INVALIDARG);
        mt.cbFormat = 18;
        mt.pbFormat = NULL;
        CHECK_HR(wm_input_media_props_set_media_type(other, &mt), E_INVALIDARG);
        CHECK_HR(wm_input_media_props_set_media_type(other, NULL), E_INVALIDARG);
        wm_input_media_props_release(other);
    }
    CHECK_HR(wm_writer_set_input_props(w, 5, ip0), E_INVALIDARG);
    CHECK_LAST_ERROR("input 5");

    /* Not writing yet. */
    b = (WMBuffer *)BAD_PTR;
    CHECK_HR(wm_writer_allocate_sample(w, 100, &b), NS_E_INVALID_REQUEST);
    CHECK_NULL(b);
    CHECK_HR(wm_buffer_set_length(own, 4), S_OK);
    CHECK_HR(wm_writer_write_sample(w, 0, 0, 0, own), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_end_writing(w), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_flush(w), S_OK);

    /* Output. */
    CHECK_HR(wm_writer_begin_writing(w), NS_E_NOT_CONFIGURED); /* no output yet */
    CHECK_LAST_ERROR("output");
    CHECK_HR(wm_writer_set_output_filename(w, NULL), E_INVALIDARG);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_writer_set_output_filename(w, ""), E_INVALIDARG);
    CHECK_HR(wm_writer_set_output_filename(w, "bad\xFF.wma"), E_INVALIDARG); /* not UTF-8 */
    CHECK_HR(wm_writer_begin_writing(w), NS_E_NOT_CONFIGURED); /* the failures set nothing */
    CHECK_HR(wm_writer_set_output_filename(w, bad), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), NS_E_FILE_OPEN_FAILED);
    CHECK_LAST_ERROR("no-such-directory");
    /* Still Configured after the failed begin. */
    b = (WMBuffer *)BAD_PTR;
    CHECK_HR(wm_writer_allocate_sample(w, 100, &b), NS_E_INVALID_REQUEST);
    CHECK_NULL(b);
    CHECK_HR(wm_writer_end_writing(w), NS_E_INVALID_REQUEST);

    CHECK_HR(wm_writer_set_output_filename(w, file1), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);

    /* Writing: configuration calls are refused. */
    CHECK_HR(wm_writer_set_profile(w, p), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR("set_profile");
    CHECK_HR(wm_writer_set_profile_by_id(w, &WMMEDIATYPE_Audio), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_set_output_filename(w, file2), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_writer_begin_writing(w), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR("begin_writing");
    CHECK_HR(wm_writer_set_input_props(w, 0, NULL), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR(NULL);
    /* Queries still work. */
    c = 0;
    CHECK_HR(wm_writer_get_input_count(w, &c), S_OK);
    CHECK_EQ_U(c, 2);
    CHECK_HR(wm_writer_flush(w), S_OK);

    /* allocate_sample */
    CHECK_HR(wm_writer_allocate_sample(w, 100, NULL), E_INVALIDARG);
    b = NULL;
    CHECK_HR(wm_writer_allocate_sample(w, 333, &b), S_OK);
    CHECK(b != NULL);
    if (b) {
        uint32_t v = BAD_U32;
        CHECK_HR(wm_buffer_get_max_length(b, &v), S_OK);
        CHECK_EQ_U(v, 333);
        CHECK_HR(wm_buffer_get_length(b, &v), S_OK);
        CHECK_EQ_U(v, 0);
        /* An empty sample → NS_E_INVALID_DATA. */
        CHECK_HR(wm_writer_write_sample(w, 0, 0, 0, b), NS_E_INVALID_DATA);
        CHECK_LAST_ERROR("empty");
        wm_buffer_release(b);
    }

    /* Bad samples. */
    CHECK_HR(wm_writer_write_sample(w, 0, 0, 0, NULL), E_INVALIDARG);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_t_write(w, 3, 0, g_a, A_100MS), E_INVALIDARG); /* no input 3 */
    CHECK_LAST_ERROR("input 3");
    CHECK_HR(wm_t_write(w, 0, 0, g_a, A_100MS + 2), NS_E_INVALID_DATA); /* not whole 4-byte blocks */
    CHECK_LAST_ERROR("block");
    CHECK_HR(wm_t_write(w, 0, 0, g_a, 3), NS_E_INVALID_DATA);
    CHECK_HR(wm_t_write(w, 0, 0, g_a, 1), NS_E_INVALID_DATA);
    CHECK_HR(wm_writer_write_stream_sample(w, 1, 0, 0, 0, 0, own), NS_E_INVALID_REQUEST); /* not passthrough */
    CHECK_LAST_ERROR("write_stream_sample");
    CHECK_HR(wm_writer_write_stream_sample(w, 9, 0, 0, 0, 0, own), E_INVALIDARG); /* no stream 9 */
    CHECK_HR(wm_writer_write_stream_sample(w, 1, 0, 0, 0, 0, NULL), E_INVALIDARG);

    /* Good samples, then time going backwards on one input. */
    CHECK_HR(wm_t_write(w, 0, 0, g_a, A_100MS), S_OK);
    CHECK_HR(wm_t_write(w, 1, 0, g_b, B_100MS), S_OK);
    CHECK_HR(wm_t_write(w, 0, 100 * MS, g_a, A_100MS), S_OK);
    CHECK_HR(wm_t_write(w, 0, 50 * MS, g_a, A_100MS), E_INVALIDARG);
    CHECK_LAST_ERROR("before");
    CHECK_HR(wm_t_write(w, 1, 100 * MS, g_b, B_100MS), S_OK); /* the other input is independent */
    /* Shorter samples are fine (whole blocks). */
    CHECK_HR(wm_t_write(w, 1, 200 * MS, g_b, B_100MS / 2), S_OK);
    CHECK_HR(wm_t_write(w, 1, 250 * MS, g_b, B_100MS / 2), S_OK);
    CHECK_HR(wm_t_write(w, 0, 200 * MS, g_a, A_100MS), S_OK);
    /* Flags are accepted (cleanpoint / discontinuity / dataloss) on audio. */
    {
        WMBuffer *s = wm_t_sample(w, g_a, A_100MS);
        CHECK_HR(wm_writer_write_sample(w, 0, 300 * MS, WM_SF_CLEANPOINT | WM_SF_DISCONTINUITY | WM_SF_DATALOSS, s),
                 S_OK);
        wm_buffer_release(s);
    }
    CHECK_HR(wm_t_write(w, 1, 300 * MS, g_b, B_100MS), S_OK);
    write_second(w, 400 * MS);

    CHECK_HR(wm_writer_end_writing(w), S_OK);

    /* Configured again. */
    CHECK_HR(wm_writer_end_writing(w), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR("end_writing");
    b = (WMBuffer *)BAD_PTR;
    CHECK_HR(wm_writer_allocate_sample(w, 100, &b), NS_E_INVALID_REQUEST);
    CHECK_NULL(b);
    CHECK_HR(wm_writer_write_sample(w, 0, 0, 0, own), NS_E_INVALID_REQUEST);
    c = 0;
    CHECK_HR(wm_writer_get_input_count(w, &c), S_OK);
    CHECK_EQ_U(c, 2);

    if (wm_t_check_finished_asf(file1, &info) == 0) {
        CHECK_EQ_U(info.stream_count, 2);
        CHECK_EQ_U(info.flags, 2);
        CHECK_EQ_U(info.preroll, 3000);
        /* 1.4 s of content + 3 s preroll, in 100 ns. */
        CHECK_EQ_U(info.play_duration, (3000 + 1400) * MS);
    }

    /* A second run with a new file name. */
    CHECK_HR(wm_writer_set_output_filename(w, file2), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    write_second(w, 0);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    if (wm_t_check_finished_asf(file2, &info) == 0) {
        CHECK_EQ_U(info.stream_count, 2);
        CHECK_EQ_U(info.play_duration, (3000 + 1000) * MS);
    }
    ffprobe_check(file1, "pcm_s16le,44100,2\npcm_u8,8000,1\n");
    ffprobe_check(file2, "pcm_s16le,44100,2\npcm_u8,8000,1\n");

out:
    wm_buffer_release(own);
    wm_input_media_props_release(ip0);
    wm_input_media_props_release(ip1);
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

/* NS_E_LATE_OPERATION: an input more than the sync tolerance behind what is written. */
static void test_late_operation(void) {
    WMWriter *w = NULL;
    WMProfile *p = profile_ab();
    char path[512];
    int i;
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_set_sync_tolerance(w, 1000), S_OK); /* used from the next begin */
    CHECK_HR(wm_writer_set_output_filename(w, wm_t_path(path, sizeof path, g_dir, "late.wma")), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    for (i = 0; i < 40; i++) CHECK_HR(wm_t_write(w, 0, (uint64_t)i * 100 * MS, g_a, A_100MS), S_OK);
    /* Input A is at 4 s; input B starts at 0: more than 1 s behind what is written. */
    CHECK_HR(wm_t_write(w, 1, 0, g_b, B_100MS), NS_E_LATE_OPERATION);
    CHECK_LAST_ERROR("sync tolerance");
    /* Catching up is fine. */
    CHECK_HR(wm_t_write(w, 1, 3900 * MS, g_b, B_100MS), S_OK);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    {
        wm_t_asf_info info;
        wm_t_check_finished_asf(path, &info);
    }
out:
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

/* Passthrough: set_input_props(NULL) before begin_writing → write_sample refused. */
static void test_passthrough_mode(void) {
    WMWriter *w = NULL;
    WMProfile *p = profile_ab();
    char path[512];
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_set_input_props(w, 1, NULL), S_OK); /* B: compressed passthrough */
    CHECK_HR(wm_writer_set_output_filename(w, wm_t_path(path, sizeof path, g_dir, "passthrough.wma")), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    CHECK_HR(wm_t_write(w, 1, 0, g_b, B_100MS), NS_E_INVALID_REQUEST); /* use write_stream_sample */
    CHECK_LAST_ERROR("write_stream_sample");
    {
        WMBuffer *s = wm_t_sample(w, g_b, B_100MS);
        CHECK_HR(wm_writer_write_stream_sample(w, 2, 0, 0, 100 * MS, 0, s), S_OK);
        wm_buffer_release(s);
    }
    CHECK_HR(wm_t_write(w, 0, 0, g_a, A_100MS), S_OK);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
out:
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

/* Add a stream of `type` with the given media type fields to `p`. */
static HRESULT add_stream(WMProfile *p, const WMGuid *type, const WMGuid *subtype, const WMGuid *formattype,
                          uint8_t *format, uint32_t cb, uint32_t bitrate, const char *connection) {
    WMStreamConfig *s = NULL;
    WM_MEDIA_TYPE mt;
    HRESULT hr = wm_profile_create_new_stream(p, type, &s);
    if (hr != S_OK) return hr;
    memset(&mt, 0, sizeof mt);
    mt.majortype = *type;
    mt.subtype = *subtype;
    mt.formattype = *formattype;
    mt.cbFormat = cb;
    mt.pbFormat = format;
    hr = wm_stream_config_set_media_type(s, &mt);
    if (hr == S_OK) hr = wm_stream_config_set_bitrate(s, bitrate);
    if (hr == S_OK) hr = wm_stream_config_set_connection_name(s, connection);
    if (hr == S_OK) hr = wm_profile_add_stream(p, s);
    wm_stream_config_release(s);
    return hr;
}

static WMProfile *empty_profile(void) {
    WMProfileManager *m = NULL;
    WMProfile *p = NULL;
    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p), S_OK);
    wm_profile_manager_release(m);
    return p;
}

/* Script streams: at most one per profile. */
static void test_script_streams(void) {
    WMWriter *w = NULL;
    WMProfile *p = wm_t_pcm_profile(&SPEC_A, 1);
    uint8_t script_format[16];
    memcpy(script_format, &WMSCRIPTTYPE_TwoStrings, 16);
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(add_stream(p, &WMMEDIATYPE_Script, &WMMEDIATYPE_Script, &WMFORMAT_Script, script_format, 16, 1000, "S1"),
             S_OK);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(add_stream(p, &WMMEDIATYPE_Script, &WMMEDIATYPE_Script, &WMFORMAT_Script, script_format, 16, 1000, "S2"),
             S_OK);
    CHECK_HR(wm_writer_set_profile(w, p), NS_E_INVALIDPROFILE);
    CHECK_LAST_ERROR("script");
out:
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

/* Uncompressed video: a sample must be exactly one frame. */
static void test_raw_video_frame_size(void) {
    WMWriter *w = NULL;
    WMProfile *p = empty_profile();
    uint8_t vih[88], frame[16 * 16 * 3];
    uint64_t atpf = 400000; /* 25 fps */
    char path[512];
    int i;
    memset(vih, 0, sizeof vih);
    wm_t_put32(vih + 8, 16);  /* rcSource.right */
    wm_t_put32(vih + 12, 16); /* rcSource.bottom */
    wm_t_put32(vih + 24, 16);
    wm_t_put32(vih + 28, 16);
    wm_t_put32(vih + 32, 16 * 16 * 24 * 25);
    for (i = 0; i < 8; i++) vih[40 + i] = (uint8_t)(atpf >> (8 * i));
    wm_t_put32(vih + 48, 40); /* biSize */
    wm_t_put32(vih + 52, 16); /* biWidth */
    wm_t_put32(vih + 56, 16); /* biHeight */
    wm_t_put16(vih + 60, 1);  /* biPlanes */
    wm_t_put16(vih + 62, 24); /* biBitCount */
    wm_t_put32(vih + 68, sizeof frame);
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(add_stream(p, &WMMEDIATYPE_Video, &WMMEDIASUBTYPE_RGB24, &WMFORMAT_VideoInfo, vih, sizeof vih,
                        16 * 16 * 24 * 25, "V"),
             S_OK);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_set_output_filename(w, wm_t_path(path, sizeof path, g_dir, "video.wmv")), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    memset(frame, 0x40, sizeof frame);
    CHECK_HR(wm_t_write(w, 0, 0, frame, sizeof frame - 1), NS_E_INVALID_DATA);
    CHECK_LAST_ERROR("frame");
    CHECK_HR(wm_t_write(w, 0, 0, frame, sizeof frame - 3), NS_E_INVALID_DATA);
    for (i = 0; i < 25; i++) {
        WMBuffer *b = wm_t_sample(w, frame, sizeof frame);
        CHECK_HR(wm_writer_write_sample(w, 0, (uint64_t)i * 40 * MS, i % 5 == 0 ? WM_SF_CLEANPOINT : 0, b), S_OK);
        wm_buffer_release(b);
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    {
        wm_t_asf_info info;
        if (wm_t_check_finished_asf(path, &info) == 0) {
            CHECK_EQ_U(info.flags, 2);      /* seekable */
            CHECK(info.trailer_size >= 56); /* a Simple Index follows the data */
            CHECK_EQ_U(info.play_duration, (3000 + 1000) * MS);
        }
    }
out:
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

/* Compressed audio no open encoder has (WMA 9 Professional): begin_writing →
 * NS_E_AUDIO_CODEC_NOT_INSTALLED until the input is set to passthrough; then
 * write_stream_sample writes it. */
static void test_compressed_needs_passthrough(void) {
    WMWriter *w = NULL;
    WMProfile *p = empty_profile();
    uint8_t wfx[18 + 10];
    uint8_t payload[2973];
    char path[512];
    uint32_t c = 0;
    int i;
    memset(wfx, 0, sizeof wfx);
    wm_t_wfx(wfx, 0x0162, 2, 44100, 16, 0); /* WMA 9 Professional */
    wm_t_put32(wfx + 8, 16000);
    wm_t_put16(wfx + 12, 2973);
    wm_t_put16(wfx + 16, 10);
    memset(payload, 0, sizeof payload);
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(add_stream(p, &WMMEDIATYPE_Audio, &WMMEDIASUBTYPE_WMAudioV9, &WMFORMAT_WaveFormatEx, wfx, sizeof wfx,
                        128000, "WMA"),
             S_OK);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_get_input_format_count(w, 0, &c), S_OK);
    CHECK(c >= 1);
    CHECK_HR(wm_writer_set_output_filename(w, wm_t_path(path, sizeof path, g_dir, "wma.wma")), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), NS_E_AUDIO_CODEC_NOT_INSTALLED);
    CHECK_LAST_ERROR("set_input_props");
    CHECK_HR(wm_writer_set_input_props(w, 0, NULL), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    CHECK_HR(wm_t_write(w, 0, 0, payload, sizeof payload), NS_E_INVALID_REQUEST); /* passthrough input */
    for (i = 0; i < 10; i++) {
        WMBuffer *b = wm_t_sample(w, payload, sizeof payload);
        /* 2973 bytes at 16000 B/s = 185.8 ms */
        CHECK_HR(wm_writer_write_stream_sample(w, 1, (uint64_t)i * 1858125, 0, 0, WM_SF_CLEANPOINT, b), S_OK);
        wm_buffer_release(b);
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    {
        wm_t_asf_info info;
        wm_t_check_finished_asf(path, &info);
    }
out:
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

/* Output failures: NS_E_FILE_WRITE at begin_writing (a full device) and in the middle
 * of a session (a file-size limit); afterwards the writer is Configured and works. */
static void test_write_failures(void) {
    WMWriter *w = NULL;
    WMProfile *p = wm_t_pcm_profile(&SPEC_A, 1);
    char path[512], good[512];
    struct rlimit old, lim;
    int i, failed_at = -1;
    HRESULT hr = S_OK;
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    wm_t_path(good, sizeof good, g_dir, "after-failure.wma");

    /* /dev/full: creating works, writing the header fails. */
    if (access("/dev/full", W_OK) == 0) {
        WMBuffer *b = (WMBuffer *)BAD_PTR;
        CHECK_HR(wm_writer_set_output_filename(w, "/dev/full"), S_OK);
        CHECK_HR(wm_writer_begin_writing(w), NS_E_FILE_WRITE);
        CHECK_LAST_ERROR("header");
        CHECK_HR(wm_writer_allocate_sample(w, 10, &b), NS_E_INVALID_REQUEST); /* not writing */
        CHECK_NULL(b);
        CHECK_HR(wm_writer_end_writing(w), NS_E_INVALID_REQUEST);
    }

    /* A 64 KiB file-size limit, then up to 30 s (5 MB) of 1411 kbps PCM: the output
     * fails on the way (write_sample → NS_E_FILE_WRITE), or, if the writer buffered
     * everything, at end_writing. Either way end_writing reports NS_E_FILE_WRITE. */
    wm_t_path(path, sizeof path, g_dir, "limited.wma");
    CHECK(signal(SIGXFSZ, SIG_IGN) != SIG_ERR);
    CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    lim = old;
    lim.rlim_cur = 64 * 1024;
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    for (i = 0; i < 300; i++) {
        hr = wm_t_write(w, 0, (uint64_t)i * 100 * MS, g_a, A_100MS);
        if (hr != S_OK) {
            failed_at = i;
            break;
        }
    }
    if (failed_at >= 0) {
        printf("note: write_sample failed after %d samples (%d bytes)\n", failed_at, failed_at * (int)A_100MS);
        CHECK_HR(hr, NS_E_FILE_WRITE);
        CHECK_LAST_ERROR("write_sample");
        /* The session is over: further samples fail the same way. */
        WMBuffer *own = NULL;
        WMBuffer *b = (WMBuffer *)BAD_PTR;
        CHECK_HR(wm_create_buffer(A_100MS, &own), S_OK);
        if (own) {
            uint8_t *d = NULL;
            CHECK_HR(wm_buffer_get_buffer(own, &d), S_OK);
            if (d) memcpy(d, g_a, A_100MS);
            CHECK_HR(wm_buffer_set_length(own, A_100MS), S_OK);
            CHECK_HR(wm_writer_write_sample(w, 0, 5000 * MS, 0, own), NS_E_FILE_WRITE);
            CHECK_LAST_ERROR(NULL);
            wm_buffer_release(own);
        }
        /* allocate_sample's documented codes do not cover this; it must at least fail
         * with *out NULL (it returns NS_E_FILE_WRITE today). */
        hr = wm_writer_allocate_sample(w, 10, &b);
        CHECK(hr < 0);
        CHECK_NULL(b);
        if (hr >= 0) wm_buffer_release(b);
        CHECK_HR(wm_writer_flush(w), S_OK);
        CHECK_HR(wm_writer_end_writing(w), NS_E_FILE_WRITE);
        CHECK_LAST_ERROR("end_writing");
    } else {
        CHECK_HR(wm_writer_end_writing(w), NS_E_FILE_WRITE);
    }
    CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
    /* Configured again: the next session works. */
    CHECK_HR(wm_writer_end_writing(w), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_set_output_filename(w, good), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    for (i = 0; i < 10; i++) CHECK_HR(wm_t_write(w, 0, (uint64_t)i * 100 * MS, g_a, A_100MS), S_OK);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    {
        wm_t_asf_info info;
        if (wm_t_check_finished_asf(good, &info) == 0) CHECK_EQ_U(info.play_duration, (3000 + 1000) * MS);
    }
out:
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

int main(int argc, char **argv) {
    g_dir = wm_t_outdir(argc, argv);
    fill_signal();
    test_null_writer();
    test_empty();
    test_input_count();
    test_lifecycle();
    test_late_operation();
    test_passthrough_mode();
    test_script_streams();
    test_raw_video_frame_size();
    test_compressed_needs_passthrough();
    test_write_failures();
    return wm_t_summary();
}
