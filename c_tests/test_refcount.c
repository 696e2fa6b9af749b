/*
 * test_refcount: COM lifetimes across the C ABI.
 *  - add_ref/release return the right counts for every object type;
 *  - the writer holds its own reference to a written buffer until its bytes are out,
 *    so the caller may release right after write_sample; the writer drops it by
 *    end_writing;
 *  - a buffer still queued cannot be written again;
 *  - objects may be released in any order (profile before its stream configs,
 *    manager before its profiles, writer before profile / input props / buffers);
 *  - releasing the writer's last reference while writing finishes the file.
 * Built twice: against libwmwriter.a (test_refcount) and libwmwriter.so
 * (test_refcount_shared).
 */
#include "test_util.h"

#define MS (10000ull)

static const wm_t_pcm_spec SPEC_A = {2, 44100, 16, 0, 0, 0, "A"};
static const wm_t_pcm_spec SPEC_B = {1, 8000, 8, 0, 0, 0, "B"};
#define A_100MS (4410u * 4u)
#define B_100MS (800u)
static uint8_t g_a[A_100MS];
static uint8_t g_b[B_100MS];
static const char *g_dir;

static WMProfile *profile_ab(void) {
    wm_t_pcm_spec specs[2];
    specs[0] = SPEC_A;
    specs[1] = SPEC_B;
    return wm_t_pcm_profile(specs, 2);
}

static void test_object_counts(void) {
    WMProfileManager *m = NULL;
    WMProfile *p = NULL;
    WMStreamConfig *s = NULL;
    WMWriter *w = NULL;
    WMBuffer *b = NULL;
    WMInputMediaProps *ip = NULL;

    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    CHECK_EQ_U(wm_profile_manager_add_ref(m), 2);
    CHECK_EQ_U(wm_profile_manager_add_ref(m), 3);
    CHECK_EQ_U(wm_profile_manager_release(m), 2);
    CHECK_EQ_U(wm_profile_manager_release(m), 1);

    CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p), S_OK);
    CHECK_EQ_U(wm_profile_add_ref(p), 2);
    CHECK_EQ_U(wm_profile_release(p), 1);

    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &s), S_OK);
    CHECK_EQ_U(wm_stream_config_add_ref(s), 2);
    CHECK_EQ_U(wm_stream_config_release(s), 1);
    /* add_stream copies: it takes no reference to the config. */
    {
        uint8_t wfx[18];
        WM_MEDIA_TYPE mt;
        wm_t_wfx(wfx, 1, 2, 44100, 16, 0);
        wm_t_pcm_type(&mt, wfx);
        CHECK_HR(wm_stream_config_set_media_type(s, &mt), S_OK);
        CHECK_HR(wm_stream_config_set_bitrate(s, 1411200), S_OK);
        CHECK_HR(wm_profile_add_stream(p, s), S_OK);
        CHECK_EQ_U(wm_stream_config_add_ref(s), 2);
        CHECK_EQ_U(wm_stream_config_release(s), 1);
    }

    CHECK_HR(wm_create_writer(&w), S_OK);
    CHECK_EQ_U(wm_writer_add_ref(w), 2);
    CHECK_EQ_U(wm_writer_release(w), 1);
    /* set_profile snapshots: no reference to the profile is kept. */
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_EQ_U(wm_profile_add_ref(p), 2);
    CHECK_EQ_U(wm_profile_release(p), 1);

    CHECK_HR(wm_writer_get_input_props(w, 0, &ip), S_OK);
    CHECK_EQ_U(wm_input_media_props_add_ref(ip), 2);
    CHECK_EQ_U(wm_input_media_props_release(ip), 1);
    /* set_input_props copies too. */
    CHECK_HR(wm_writer_set_input_props(w, 0, ip), S_OK);
    CHECK_EQ_U(wm_input_media_props_add_ref(ip), 2);
    CHECK_EQ_U(wm_input_media_props_release(ip), 1);

    CHECK_HR(wm_create_buffer(10, &b), S_OK);
    CHECK_EQ_U(wm_buffer_add_ref(b), 2);
    CHECK_EQ_U(wm_buffer_release(b), 1);

    /* The sink and stream-prioritization handles count like every other object. */
    {
        WMWriterSink *sink = NULL;
        WMStreamPrioritization *sp = NULL;
        CHECK_HR(wm_create_writer_file_sink(&sink), S_OK);
        CHECK_EQ_U(wm_writer_sink_add_ref(sink), 2);
        CHECK_EQ_U(wm_writer_sink_add_ref(sink), 3);
        CHECK_EQ_U(wm_writer_sink_release(sink), 2);
        CHECK_EQ_U(wm_writer_sink_release(sink), 1);
        CHECK_EQ_U(wm_writer_sink_release(sink), 0);
        CHECK_HR(wm_profile_create_new_stream_prioritization(p, &sp), S_OK);
        CHECK_EQ_U(wm_stream_prioritization_add_ref(sp), 2);
        CHECK_EQ_U(wm_stream_prioritization_release(sp), 1);
        CHECK_EQ_U(wm_stream_prioritization_release(sp), 0);
    }

    /* Release in "wrong" orders: manager before profile, profile before stream,
     * writer before input props. Everything stays usable. */
    CHECK_EQ_U(wm_profile_manager_release(m), 0);
    {
        uint32_t v = 0;
        CHECK_HR(wm_profile_get_version(p, &v), S_OK);
        CHECK_EQ_U(v, WMT_VER_9_0);
    }
    CHECK_EQ_U(wm_profile_release(p), 0);
    {
        uint16_t n = 0;
        CHECK_HR(wm_stream_config_set_bitrate(s, 1), S_OK);
        CHECK_HR(wm_stream_config_get_stream_number(s, &n), S_OK);
        CHECK_EQ_U(n, 1);
    }
    CHECK_EQ_U(wm_stream_config_release(s), 0);
    CHECK_EQ_U(wm_writer_release(w), 0);
    {
        uint32_t size = 0;
        CHECK_HR(wm_input_media_props_get_media_type(ip, NULL, &size), S_OK);
        CHECK_EQ_U(size, sizeof(WM_MEDIA_TYPE) + 18);
    }
    CHECK_EQ_U(wm_input_media_props_release(ip), 0);
    CHECK_EQ_U(wm_buffer_release(b), 0);
}

/* The writer holds written buffers while they are queued. */
static void test_writer_holds_buffers(void) {
    WMWriter *w = NULL;
    WMProfile *p = profile_ab();
    WMBuffer *b = NULL, *own = NULL;
    char path[512];
    uint32_t held, n;
    int i;
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    wm_profile_release(p); /* writer before profile is fine too: it has a snapshot */
    p = NULL;
    CHECK_HR(wm_writer_set_output_filename(w, wm_t_path(path, sizeof path, g_dir, "holds.wma")), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);

    b = wm_t_sample(w, g_a, A_100MS);
    if (!b) goto end;
    CHECK_EQ_U(wm_buffer_add_ref(b), 2); /* allocate_sample = 1 */
    CHECK_EQ_U(wm_buffer_release(b), 1);
    CHECK_HR(wm_writer_write_sample(w, 0, 0, 0, b), S_OK);
    /* Input B has nothing yet, so A's sample must wait in the writer: the writer holds
     * a reference of its own (the caller could release now). */
    held = wm_buffer_add_ref(b);
    CHECK(held >= 3);
    if (held < 3) fprintf(stderr, "    add_ref after write_sample returned %u\n", held);
    CHECK_EQ_U(wm_buffer_release(b), held - 1);
    /* Writing a buffer that is still queued is refused. */
    CHECK_HR(wm_writer_write_sample(w, 0, 100 * MS, 0, b), E_INVALIDARG);
    CHECK_LAST_ERROR(NULL);

    /* A caller-made buffer (wm_create_buffer) can be written too, with the same rule. */
    CHECK_HR(wm_create_buffer(A_100MS, &own), S_OK);
    if (own) {
        uint8_t *d = NULL;
        CHECK_HR(wm_buffer_get_buffer(own, &d), S_OK);
        if (d) memcpy(d, g_a, A_100MS);
        CHECK_HR(wm_buffer_set_length(own, A_100MS), S_OK);
        CHECK_HR(wm_writer_write_sample(w, 0, 100 * MS, 0, own), S_OK);
        n = wm_buffer_add_ref(own);
        CHECK(n >= 3);
        wm_buffer_release(own);
    }

    /* Feed input B and more of A; then end. */
    for (i = 0; i < 10; i++) {
        CHECK_HR(wm_t_write(w, 1, (uint64_t)i * 100 * MS, g_b, B_100MS), S_OK);
        if (i >= 2) CHECK_HR(wm_t_write(w, 0, (uint64_t)i * 100 * MS, g_a, A_100MS), S_OK);
    }
    CHECK_HR(wm_writer_flush(w), S_OK);
end:
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    /* After end_writing the writer holds no reference: only ours is left. */
    if (b) {
        CHECK_EQ_U(wm_buffer_add_ref(b), 2);
        CHECK_EQ_U(wm_buffer_release(b), 1);
        /* Still a valid buffer. */
        CHECK_HR(wm_buffer_get_length(b, &n), S_OK);
        CHECK_EQ_U(n, A_100MS);
        CHECK_EQ_U(wm_buffer_release(b), 0);
    }
    if (own) {
        CHECK_EQ_U(wm_buffer_add_ref(own), 2);
        CHECK_EQ_U(wm_buffer_release(own), 1);
        CHECK_EQ_U(wm_buffer_release(own), 0);
    }
    {
        wm_t_asf_info info;
        if (wm_t_check_finished_asf(path, &info) == 0) {
            CHECK_EQ_U(info.flags, 2);
            CHECK_EQ_U(info.play_duration, (3000 + 1000) * MS);
        }
    }
out:
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

/* Releasing the writer while writing ends the session: the file is complete. */
static void test_release_while_writing(void) {
    WMWriter *w = NULL;
    WMProfile *p = wm_t_pcm_profile(&SPEC_A, 1);
    WMBuffer *kept = NULL;
    char path[512];
    int i;
    wm_t_path(path, sizeof path, g_dir, "released.wma");
    remove(path);
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    for (i = 0; i < 10; i++) CHECK_HR(wm_t_write(w, 0, (uint64_t)i * 100 * MS, g_a, A_100MS), S_OK);
    /* A pooled buffer the caller still holds when the writer goes away. */
    CHECK_HR(wm_writer_allocate_sample(w, 64, &kept), S_OK);
    CHECK_EQ_U(wm_writer_add_ref(w), 2);
    CHECK_EQ_U(wm_writer_release(w), 1);
    CHECK_EQ_U(wm_writer_release(w), 0); /* the last reference, no end_writing */
    w = NULL;
    {
        wm_t_asf_info info;
        if (wm_t_check_finished_asf(path, &info) == 0) {
            CHECK_EQ_U(info.flags, 2);
            CHECK_EQ_U(info.stream_count, 1);
            CHECK_EQ_U(info.play_duration, (3000 + 1000) * MS);
        }
    }
    /* The buffer outlives its writer. */
    if (kept) {
        uint32_t max = 0;
        uint8_t *d = NULL;
        CHECK_HR(wm_buffer_get_max_length(kept, &max), S_OK);
        CHECK_EQ_U(max, 64);
        CHECK_HR(wm_buffer_get_buffer(kept, &d), S_OK);
        if (d) memset(d, 0x5A, 64);
        CHECK_HR(wm_buffer_set_length(kept, 64), S_OK);
        CHECK_EQ_U(wm_buffer_release(kept), 0);
    }
out:
    wm_profile_release(p);
    wm_writer_release(w);
}

/* A writer released while it still holds queued buffers the caller already released. */
static void test_release_with_queued_buffers(void) {
    WMWriter *w = NULL;
    WMProfile *p = profile_ab();
    char path[512];
    int i;
    wm_t_path(path, sizeof path, g_dir, "queued.wma");
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    /* Only input A: everything waits for B inside the writer. */
    for (i = 0; i < 5; i++) CHECK_HR(wm_t_write(w, 0, (uint64_t)i * 100 * MS, g_a, A_100MS), S_OK);
    CHECK_EQ_U(wm_writer_release(w), 0);
    w = NULL;
    {
        wm_t_asf_info info;
        if (wm_t_check_finished_asf(path, &info) == 0) {
            CHECK_EQ_U(info.play_duration, (3000 + 500) * MS);
        }
    }
out:
    wm_profile_release(p);
    wm_writer_release(w);
}

/* Many buffers allocated and released in every order. */
static void test_pool_churn(void) {
    WMWriter *w = NULL;
    WMProfile *p = wm_t_pcm_profile(&SPEC_A, 1);
    WMBuffer *bufs[16];
    char path[512];
    int i, round;
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_set_output_filename(w, wm_t_path(path, sizeof path, g_dir, "churn.wma")), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    for (round = 0; round < 3; round++) {
        for (i = 0; i < 16; i++) {
            bufs[i] = NULL;
            CHECK_HR(wm_writer_allocate_sample(w, (uint32_t)(100 + i * 13), &bufs[i]), S_OK);
        }
        /* Every live buffer is distinct. */
        {
            int a, b2, distinct = 1;
            for (a = 0; a < 16; a++)
                for (b2 = a + 1; b2 < 16; b2++) distinct &= bufs[a] != bufs[b2];
            CHECK(distinct);
        }
        for (i = 15; i >= 0; i -= 2) CHECK_EQ_U(wm_buffer_release(bufs[i]), 0);
        for (i = 0; i < 16; i += 2) {
            uint32_t max = 0;
            CHECK_HR(wm_buffer_get_max_length(bufs[i], &max), S_OK);
            CHECK_EQ_U(max, 100 + i * 13);
            CHECK_EQ_U(wm_buffer_release(bufs[i]), 0);
        }
    }
    CHECK_HR(wm_t_write(w, 0, 0, g_a, A_100MS), S_OK);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
out:
    wm_profile_release(p);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

int main(int argc, char **argv) {
    uint32_t s = 777;
    size_t i;
    g_dir = wm_t_outdir(argc, argv);
    for (i = 0; i < sizeof g_a; i++) g_a[i] = (uint8_t)(wm_t_lcg(&s) >> 24);
    for (i = 0; i < sizeof g_b; i++) g_b[i] = (uint8_t)(wm_t_lcg(&s) >> 24);
    test_object_counts();
    test_writer_holds_buffers();
    test_release_while_writing();
    test_release_with_queued_buffers();
    test_pool_churn();
    return wm_t_summary();
}
