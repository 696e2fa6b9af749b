/*
 * test_threads: the header's thread-safety promises.
 *  - wm_get_last_error_message() is per thread: a failure on one thread does not
 *    change another thread's message, and a new thread starts with "".
 *  - add_ref/release on one object from several threads keep an exact count.
 *  - one writer fed from two threads (one input each) writes a complete file whose
 *    bytes are exactly what was written (checked with ffmpeg when available).
 */
#include <pthread.h>

#include "test_util.h"

#define MS (10000ull)
#define THREADS 4
#define ROUNDS 20000

static const char *g_dir;

/* ---- last error per thread ------------------------------------------------------- */

typedef struct {
    char before[256];
    char after[256];
    HRESULT hr;
} msg_result;

static void *msg_thread(void *arg) {
    msg_result *r = (msg_result *)arg;
    const char *m = wm_get_last_error_message();
    snprintf(r->before, sizeof r->before, "%s", m ? m : "(NULL)");
    r->hr = wm_buffer_set_length(NULL, 1); /* fails: E_POINTER */
    m = wm_get_last_error_message();
    snprintf(r->after, sizeof r->after, "%s", m ? m : "(NULL)");
    return NULL;
}

static void test_last_error_per_thread(void) {
    pthread_t t;
    msg_result r;
    char mine[256];
    WMProfileManager *m = NULL;
    memset(&r, 0, sizeof r);
    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    CHECK_HR(wm_profile_manager_set_system_profile_version(m, 12345), E_INVALIDARG);
    snprintf(mine, sizeof mine, "%s", wm_t_last_error());
    CHECK(mine[0] != '\0');
    CHECK(pthread_create(&t, NULL, msg_thread, &r) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK_STR_EQ(r.before, ""); /* a new thread has no message */
    CHECK_EQ_U((uint32_t)r.hr, (uint32_t)E_POINTER);
    CHECK(r.after[0] != '\0' && strcmp(r.after, mine) != 0);
    CHECK_STR_EQ(wm_t_last_error(), mine); /* ours is unchanged */
    /* Successful calls do not clear it. */
    CHECK_HR(wm_profile_manager_set_system_profile_version(m, WMT_VER_9_0), S_OK);
    CHECK_STR_EQ(wm_t_last_error(), mine);
    CHECK_EQ_U(wm_profile_manager_release(m), 0);
}

/* ---- concurrent add_ref / release ---------------------------------------------------- */

typedef struct {
    WMBuffer *buffer;
    WMProfile *profile;
    int bad; /* a count that cannot be right */
} count_job;

static void *count_thread(void *arg) {
    count_job *j = (count_job *)arg;
    int i;
    for (i = 0; i < ROUNDS; i++) {
        uint32_t a = wm_buffer_add_ref(j->buffer);
        uint32_t b = wm_profile_add_ref(j->profile);
        /* Our own reference plus the main thread's: at least 2 after add_ref, at least
         * 1 after release. */
        if (a < 2 || a > THREADS + 1 || b < 2 || b > THREADS + 1) j->bad++;
        a = wm_buffer_release(j->buffer);
        b = wm_profile_release(j->profile);
        if (a < 1 || a > THREADS || b < 1 || b > THREADS) j->bad++;
    }
    return NULL;
}

static void test_concurrent_counts(void) {
    pthread_t t[THREADS];
    count_job jobs[THREADS];
    WMBuffer *b = NULL;
    WMProfile *p = NULL;
    WMProfileManager *m = NULL;
    int i;
    CHECK_HR(wm_create_buffer(16, &b), S_OK);
    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p), S_OK);
    wm_profile_manager_release(m);
    if (!b || !p) return;
    for (i = 0; i < THREADS; i++) {
        jobs[i].buffer = b;
        jobs[i].profile = p;
        jobs[i].bad = 0;
        CHECK(pthread_create(&t[i], NULL, count_thread, &jobs[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_join(t[i], NULL) == 0);
        CHECK_EQ_U(jobs[i].bad, 0);
    }
    /* Exactly our reference is left. */
    CHECK_EQ_U(wm_buffer_add_ref(b), 2);
    CHECK_EQ_U(wm_buffer_release(b), 1);
    CHECK_EQ_U(wm_buffer_release(b), 0);
    CHECK_EQ_U(wm_profile_add_ref(p), 2);
    CHECK_EQ_U(wm_profile_release(p), 1);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

/* ---- one writer, two feeding threads ----------------------------------------------------- */

typedef struct {
    WMWriter *w;
    uint32_t input;
    const uint8_t *pcm;
    uint32_t chunk;
    int chunks;
    int failures;
    HRESULT first_error;
} feed_job;

static void *feed_thread(void *arg) {
    feed_job *j = (feed_job *)arg;
    int c;
    for (c = 0; c < j->chunks; c++) {
        WMBuffer *b = NULL;
        uint8_t *d = NULL;
        HRESULT hr = wm_writer_allocate_sample(j->w, j->chunk, &b);
        if (hr == S_OK) hr = wm_buffer_get_buffer(b, &d);
        if (hr == S_OK) {
            memcpy(d, j->pcm + (size_t)c * j->chunk, j->chunk);
            hr = wm_buffer_set_length(b, j->chunk);
        }
        if (hr == S_OK) hr = wm_writer_write_sample(j->w, j->input, (uint64_t)c * 50 * MS, 0, b);
        wm_buffer_release(b);
        if (hr != S_OK) {
            if (!j->failures) j->first_error = hr;
            j->failures++;
        }
    }
    return NULL;
}

static void test_two_threads_one_writer(void) {
    /* 1 s in 50 ms chunks: input 0 = 16-bit stereo 16 kHz, input 1 = 8-bit mono 8 kHz. */
    static const wm_t_pcm_spec specs[2] = {{2, 16000, 16, 0, 0, 0, "T0"}, {1, 8000, 8, 0, 0, 0, "T1"}};
    const uint32_t chunk0 = 16000 / 20 * 4, chunk1 = 8000 / 20;
    const int chunks = 20;
    uint8_t *pcm0 = (uint8_t *)malloc((size_t)chunk0 * chunks);
    uint8_t *pcm1 = (uint8_t *)malloc((size_t)chunk1 * chunks);
    WMProfile *p = wm_t_pcm_profile(specs, 2);
    WMWriter *w = NULL;
    pthread_t t[2];
    feed_job jobs[2];
    char path[512], raw0[512], raw1[512];
    uint32_t s = 99;
    size_t i;
    int k;
    if (!pcm0 || !pcm1 || !p) goto out;
    for (i = 0; i < (size_t)chunk0 * chunks; i++) pcm0[i] = (uint8_t)(wm_t_lcg(&s) >> 24);
    for (i = 0; i < (size_t)chunk1 * chunks; i++) pcm1[i] = (uint8_t)(wm_t_lcg(&s) >> 24);
    wm_t_path(path, sizeof path, g_dir, "threads.wma");
    wm_t_path(raw0, sizeof raw0, g_dir, "threads_0.raw");
    wm_t_path(raw1, sizeof raw1, g_dir, "threads_1.raw");
    CHECK(wm_t_write_file(raw0, pcm0, (size_t)chunk0 * chunks));
    CHECK(wm_t_write_file(raw1, pcm1, (size_t)chunk1 * chunks));

    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    jobs[0].w = w;
    jobs[0].input = 0;
    jobs[0].pcm = pcm0;
    jobs[0].chunk = chunk0;
    jobs[1].w = w;
    jobs[1].input = 1;
    jobs[1].pcm = pcm1;
    jobs[1].chunk = chunk1;
    for (k = 0; k < 2; k++) {
        jobs[k].chunks = chunks;
        jobs[k].failures = 0;
        jobs[k].first_error = S_OK;
        CHECK(pthread_create(&t[k], NULL, feed_thread, &jobs[k]) == 0);
    }
    for (k = 0; k < 2; k++) {
        CHECK(pthread_join(t[k], NULL) == 0);
        CHECK_EQ_U(jobs[k].failures, 0);
        if (jobs[k].failures) fprintf(stderr, "    thread %d: first error %s\n", k, wm_hresult_name(jobs[k].first_error));
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    {
        wm_t_asf_info info;
        if (wm_t_check_finished_asf(path, &info) == 0) {
            CHECK_EQ_U(info.stream_count, 2);
            CHECK_EQ_U(info.play_duration, (3000 + 1000) * MS);
        }
    }
    /* The decoded bytes, when ffmpeg is here. */
    if (wm_t_have_tool("ffmpeg")) {
        char cmd[4096];
        int st;
        snprintf(cmd, sizeof cmd,
                 "ffmpeg -nostdin -v error -i '%s' -map 0:a:0 -f s16le - | cmp -s - '%s' && "
                 "ffmpeg -nostdin -v error -i '%s' -map 0:a:1 -f u8 - | cmp -s - '%s'",
                 path, raw0, path, raw1);
        st = system(cmd);
        CHECK(st == 0);
        if (st != 0) fprintf(stderr, "    decoded PCM differs from what the threads wrote\n");
    } else if (wm_t_tools_required()) {
        wm_t_failed++;
        fprintf(stderr, "FAILED: ffmpeg not found (WMWRITER_REQUIRE_TOOLS=1)\n");
    }
out:
    wm_writer_release(w);
    wm_profile_release(p);
    free(pcm0);
    free(pcm1);
}

int main(int argc, char **argv) {
    g_dir = wm_t_outdir(argc, argv);
    test_last_error_per_thread();
    test_concurrent_counts();
    test_two_threads_one_writer();
    return wm_t_summary();
}
