/*
 * test_thread_storms (issue 16 item 4): no deadlock, no race, every sample in the file.
 *  - 8 threads write the 8 inputs of one writer (each its own random bytes); ffmpeg
 *    decodes every stream back to exactly those bytes;
 *  - 8 writers at once, one per thread, each a complete file with its own bytes;
 *  - add_ref/release storms from 8 threads on one shared buffer, profile, stream config
 *    and profile manager: the counts come back exactly;
 *  - a writer released from another thread while a slow callback sink is receiving data:
 *    the session ends once, the sink gets the end, nothing leaks (valgrind).
 * Also run under valgrind (memcheck) by CTest.
 */
#include <pthread.h>
#include <time.h>

#include "test_util.h"

#define MS (10000ull)
#define N 8
#define CHUNKS 20 /* 2 s in 100 ms samples */
#define CHUNK 800u /* 100 ms of 8-bit mono 8 kHz */

static const char *g_dir;
static uint8_t g_pcm[N][CHUNKS * CHUNK];

typedef struct {
    WMWriter *w;
    uint32_t input;
    const uint8_t *pcm;
    int failures;
    HRESULT first;
} job;

static void *feed(void *arg) {
    job *j = (job *)arg;
    int c;
    for (c = 0; c < CHUNKS; c++) {
        HRESULT hr = wm_t_write(j->w, j->input, (uint64_t)c * 100 * MS, j->pcm + (size_t)c * CHUNK, CHUNK);
        if (hr != S_OK && !j->failures++) j->first = hr;
    }
    return NULL;
}

static int decoded_equals(const char *path, int stream, const uint8_t *want, size_t n, const char *tag) {
    char raw[512], cmd[2048];
    int st;
    snprintf(raw, sizeof raw, "%s/storm_%s_%d.raw", g_dir, tag, stream);
    if (!wm_t_write_file(raw, want, n)) return 0;
    snprintf(cmd, sizeof cmd, "ffmpeg -nostdin -v error -i '%s' -map 0:a:%d -f u8 - | cmp -s - '%s'", path, stream, raw);
    st = system(cmd);
    remove(raw);
    return st == 0;
}

static int have_ffmpeg(void) {
    if (wm_t_have_tool("ffmpeg")) return 1;
    if (wm_t_tools_required()) {
        wm_t_failed++;
        fprintf(stderr, "FAILED: ffmpeg not found (WMWRITER_REQUIRE_TOOLS=1)\n");
    }
    return 0;
}

static void eight_threads_one_writer(void) {
    wm_t_pcm_spec specs[N];
    static char names[N][8];
    WMProfile *p;
    WMWriter *w = NULL;
    pthread_t t[N];
    job jobs[N];
    char path[512];
    int k;
    for (k = 0; k < N; k++) {
        snprintf(names[k], sizeof names[k], "In%d", k);
        specs[k] = (wm_t_pcm_spec){1, 8000, 8, 0, 0, 0, names[k]};
    }
    p = wm_t_pcm_profile(specs, N);
    wm_t_path(path, sizeof path, g_dir, "storm_one_writer.wma");
    remove(path);
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    /* the threads race: let one run ahead of another by up to the whole file */
    CHECK_HR(wm_writer_set_sync_tolerance(w, 10000), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    for (k = 0; k < N; k++) {
        jobs[k] = (job){w, (uint32_t)k, g_pcm[k], 0, S_OK};
        CHECK(pthread_create(&t[k], NULL, feed, &jobs[k]) == 0);
    }
    for (k = 0; k < N; k++) {
        CHECK(pthread_join(t[k], NULL) == 0);
        CHECK_EQ_U(jobs[k].failures, 0);
        if (jobs[k].failures) fprintf(stderr, "    input %d: %s\n", k, wm_hresult_name(jobs[k].first));
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    {
        wm_t_asf_info info;
        if (wm_t_check_finished_asf(path, &info) == 0) {
            CHECK_EQ_U(info.stream_count, N);
            CHECK_EQ_U(info.play_duration, (3000 + 2000) * MS);
        }
    }
    if (have_ffmpeg())
        for (k = 0; k < N; k++) CHECK(decoded_equals(path, k, g_pcm[k], sizeof g_pcm[k], "one"));
out:
    wm_writer_release(w);
    wm_profile_release(p);
}

typedef struct {
    int index;
    int failures;
} writer_job;

static void *own_writer(void *arg) {
    writer_job *j = (writer_job *)arg;
    static const wm_t_pcm_spec spec = {1, 8000, 8, 0, 0, 0, "Solo"};
    WMProfile *p = wm_t_pcm_profile(&spec, 1);
    WMWriter *w = NULL;
    char path[512];
    int c;
    snprintf(path, sizeof path, "%s/storm_writer_%d.wma", g_dir, j->index);
    remove(path);
    if (!p || wm_create_writer(&w) != S_OK) {
        j->failures++;
        wm_profile_release(p);
        return NULL;
    }
    if (wm_writer_set_profile(w, p) != S_OK || wm_writer_set_output_filename(w, path) != S_OK || wm_writer_begin_writing(w) != S_OK)
        j->failures++;
    for (c = 0; c < CHUNKS && !j->failures; c++)
        if (wm_t_write(w, 0, (uint64_t)c * 100 * MS, g_pcm[j->index] + (size_t)c * CHUNK, CHUNK) != S_OK) j->failures++;
    if (wm_writer_end_writing(w) != S_OK) j->failures++;
    if (wm_writer_release(w) != 0) j->failures++;
    wm_profile_release(p);
    return NULL;
}

static void eight_writers_at_once(void) {
    pthread_t t[N];
    writer_job jobs[N];
    int k, ff;
    for (k = 0; k < N; k++) {
        jobs[k] = (writer_job){k, 0};
        CHECK(pthread_create(&t[k], NULL, own_writer, &jobs[k]) == 0);
    }
    for (k = 0; k < N; k++) {
        CHECK(pthread_join(t[k], NULL) == 0);
        CHECK_EQ_U(jobs[k].failures, 0);
    }
    ff = have_ffmpeg();
    for (k = 0; k < N; k++) {
        char path[512];
        wm_t_asf_info info;
        snprintf(path, sizeof path, "%s/storm_writer_%d.wma", g_dir, k);
        if (wm_t_check_finished_asf(path, &info) == 0) CHECK_EQ_U(info.play_duration, (3000 + 2000) * MS);
        if (ff) CHECK(decoded_equals(path, 0, g_pcm[k], sizeof g_pcm[k], "solo"));
    }
}

typedef struct {
    WMBuffer *b;
    WMProfile *p;
    WMStreamConfig *s;
    WMProfileManager *m;
    int bad;
} storm_objs;

static void *storm(void *arg) {
    storm_objs *o = (storm_objs *)arg;
    int i;
    for (i = 0; i < 20000; i++) {
        if (wm_buffer_add_ref(o->b) < 2) o->bad++;
        if (wm_profile_add_ref(o->p) < 2) o->bad++;
        if (wm_stream_config_add_ref(o->s) < 2) o->bad++;
        if (wm_profile_manager_add_ref(o->m) < 2) o->bad++;
        if (wm_buffer_release(o->b) < 1) o->bad++;
        if (wm_profile_release(o->p) < 1) o->bad++;
        if (wm_stream_config_release(o->s) < 1) o->bad++;
        if (wm_profile_manager_release(o->m) < 1) o->bad++;
    }
    return NULL;
}

static void refcount_storms(void) {
    storm_objs o[N];
    pthread_t t[N];
    WMBuffer *b = NULL;
    WMProfile *p = NULL;
    WMStreamConfig *s = NULL;
    WMProfileManager *m = NULL;
    int k;
    CHECK_HR(wm_create_buffer(64, &b), S_OK);
    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p), S_OK);
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &s), S_OK);
    if (!b || !m || !p || !s) return;
    for (k = 0; k < N; k++) {
        o[k] = (storm_objs){b, p, s, m, 0};
        CHECK(pthread_create(&t[k], NULL, storm, &o[k]) == 0);
    }
    for (k = 0; k < N; k++) {
        CHECK(pthread_join(t[k], NULL) == 0);
        CHECK_EQ_U(o[k].bad, 0);
    }
    CHECK_EQ_U(wm_buffer_release(b), 0);
    CHECK_EQ_U(wm_stream_config_release(s), 0);
    CHECK_EQ_U(wm_profile_release(p), 0);
    CHECK_EQ_U(wm_profile_manager_release(m), 0);
}

/* ---- release from another thread while a slow sink receives data ----------------- */

typedef struct {
    pthread_mutex_t lock;
    int headers, units, ends;
} sink_counts;

static HRESULT slow_header(void *ctx, const uint8_t *d, uint32_t n) {
    sink_counts *c = (sink_counts *)ctx;
    (void)d;
    (void)n;
    pthread_mutex_lock(&c->lock);
    c->headers++;
    pthread_mutex_unlock(&c->lock);
    return S_OK;
}
static HRESULT slow_unit(void *ctx, const uint8_t *d, uint32_t n) {
    sink_counts *c = (sink_counts *)ctx;
    struct timespec ts = {0, 200000}; /* 0.2 ms per data unit */
    (void)d;
    (void)n;
    nanosleep(&ts, NULL);
    pthread_mutex_lock(&c->lock);
    c->units++;
    pthread_mutex_unlock(&c->lock);
    return S_OK;
}
static HRESULT slow_end(void *ctx, const uint8_t *d, uint32_t n) {
    sink_counts *c = (sink_counts *)ctx;
    (void)d;
    (void)n;
    pthread_mutex_lock(&c->lock);
    c->ends++;
    pthread_mutex_unlock(&c->lock);
    return S_OK;
}

typedef struct {
    WMWriter *w;
    uint32_t left;
} releaser;

static void *release_later(void *arg) {
    releaser *r = (releaser *)arg;
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
    r->left = wm_writer_release(r->w); /* while the feeding thread still writes */
    return NULL;
}

static void release_while_sinks_flush(void) {
    static const wm_t_pcm_spec spec = {1, 8000, 8, 0, 0, 0, "Live"};
    WMProfile *p = wm_t_pcm_profile(&spec, 1);
    WMWriter *w = NULL;
    WMWriterSink *sink = NULL;
    sink_counts counts = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0};
    WMWriterSinkCallbacks cb;
    releaser r;
    pthread_t t;
    int c;
    memset(&cb, 0, sizeof cb);
    cb.context = &counts;
    cb.on_header = slow_header;
    cb.on_data_unit = slow_unit;
    cb.on_end_writing = slow_end;
    CHECK_HR(wm_create_writer(&w), S_OK);
    CHECK_HR(wm_create_writer_callback_sink(&cb, &sink), S_OK);
    if (!w || !sink || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_add_sink(w, sink), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    CHECK_EQ_U(wm_writer_add_ref(w), 2); /* the releasing thread's reference */
    r.w = w;
    r.left = 99;
    CHECK(pthread_create(&t, NULL, release_later, &r) == 0);
    for (c = 0; c < CHUNKS; c++) CHECK_HR(wm_t_write(w, 0, (uint64_t)c * 100 * MS, g_pcm[0] + (size_t)c * CHUNK, CHUNK), S_OK);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK_EQ_U(r.left, 1);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    CHECK_EQ_U(wm_writer_release(w), 0);
    w = NULL;
    CHECK(counts.headers >= 1);
    CHECK(counts.units > 0);
    CHECK_EQ_U(counts.ends, 1);
out:
    if (w) wm_writer_release(w);
    if (sink) CHECK_EQ_U(wm_writer_sink_release(sink), 0);
    wm_profile_release(p);
}

int main(int argc, char **argv) {
    uint32_t s = 4242;
    size_t k, i;
    g_dir = wm_t_outdir(argc, argv);
    for (k = 0; k < N; k++)
        for (i = 0; i < sizeof g_pcm[k]; i++) g_pcm[k][i] = (uint8_t)(wm_t_lcg(&s) >> 24);
    eight_threads_one_writer();
    eight_writers_at_once();
    refcount_storms();
    release_while_sinks_flush();
    return wm_t_summary();
}
