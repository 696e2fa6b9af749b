/* IWMWriterPostView on an uncompressed (PCM) stream (issue 18 item 2):
 *  - the post view of a PCM stream is the input: bytes delivered == bytes written, the
 *    sample times match, flags are clean points;
 *  - the callback calls back into the writer (post-view getters, statistics, even
 *    write_sample on another stream) without deadlock: it runs outside the writer lock;
 *  - allocate-for-post-view: the application's allocate callback gives the buffers;
 *  - receive off: nothing is delivered;
 *  - formats / props / codes: one format (the stream's own), props before begin only,
 *    NULLs, no profile, unknown stream. */
#include "test_util.h"

#include <signal.h>
#include <unistd.h>

#define CHUNK 1600 /* 100 ms of 8 kHz mono 16-bit */
#define N 10

typedef struct {
    WMWriter *w;
    uint8_t got[N * CHUNK * 2];
    uint32_t got_len;
    uint64_t times[64];
    int samples, stream2_samples, failures, allocs, reentrant_writes;
    int write_from_callback;
    WMBuffer *kept;
} Ctx;

static HRESULT on_sample(void *p, uint16_t stream, uint64_t time, uint64_t duration, uint32_t flags, WMBuffer *b) {
    Ctx *c = p;
    uint8_t *data = NULL;
    uint32_t len = 0;
    int32_t on = -1;
    uint64_t wt = 0;
    (void)duration;
    if (stream == 2) {
        c->stream2_samples++;
        return S_OK;
    }
    if (wm_buffer_get_buffer_and_length(b, &data, &len) != S_OK) c->failures++;
    if (c->got_len + len <= sizeof c->got) memcpy(c->got + c->got_len, data, len);
    c->got_len += len;
    if (c->samples < 64) c->times[c->samples] = time;
    c->samples++;
    if (!(flags & WM_SF_CLEANPOINT)) c->failures++;
    /* Back into the writer: must not deadlock. */
    if (wm_writer_get_receive_post_view_samples(c->w, 1, &on) != S_OK || on != 1) c->failures++;
    if (wm_writer_get_writer_time(c->w, &wt) != S_OK) c->failures++;
    if (c->write_from_callback) {
        uint8_t other[CHUNK];
        memset(other, 0x55, sizeof other);
        if (wm_t_write(c->w, 1, time, other, sizeof other) != S_OK) c->failures++;
        c->reentrant_writes++;
    }
    if (!c->kept) {
        c->kept = b;
        wm_buffer_add_ref(b);
    }
    return S_OK;
}

static HRESULT allocate(void *p, uint16_t stream, uint32_t size, WMBuffer **out) {
    Ctx *c = p;
    (void)stream;
    c->allocs++;
    return wm_create_buffer(size, out);
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "test_post_view: timed out (deadlock?)\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(1);
}

static void write_all(WMWriter *w, uint8_t *in, const char *path) {
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < CHUNK; k++) in[i * CHUNK + k] = (uint8_t)(k * 7 + i * 13);
        CHECK_HR(wm_t_write(w, 0, (uint64_t)i * 1000000, in + i * CHUNK, CHUNK), S_OK);
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
}

int main(int argc, char **argv) {
    signal(SIGALRM, on_alarm);
    alarm(60);
    const char *dir = wm_t_outdir(argc, argv);
    char path[4096];
    wm_t_path(path, sizeof path, dir, "test_post_view.asf");
    static Ctx c;
    static uint8_t in[N * CHUNK];
    WMWriter *w = NULL;
    CHECK_HR(wm_create_writer(&w), S_OK);
    c.w = w;

    /* No profile. */
    int32_t on = 7;
    CHECK_HR(wm_writer_set_receive_post_view_samples(w, 1, 1), NS_E_NOT_CONFIGURED);
    CHECK_HR(wm_writer_get_receive_post_view_samples(w, 1, &on), NS_E_NOT_CONFIGURED);
    CHECK_EQ_U(on, 0);

    wm_t_pcm_spec specs[2] = {{1, 8000, 16, 0, 0, 0, "A"}, {1, 8000, 16, 0, 0, 0, "B"}};
    WMProfile *p = wm_t_pcm_profile(specs, 2);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    wm_profile_release(p);

    /* Formats: one, the stream's own (PCM 8 kHz mono 16-bit). */
    uint32_t count = 9;
    CHECK_HR(wm_writer_get_post_view_format_count(w, 1, &count), S_OK);
    CHECK_EQ_U(count, 1);
    CHECK_HR(wm_writer_get_post_view_format_count(w, 9, &count), E_INVALIDARG);
    CHECK_EQ_U(count, 0);
    CHECK_HR(wm_writer_get_post_view_format_count(w, 1, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_get_post_view_format_count(NULL, 1, &count), E_POINTER);
    WMInputMediaProps *f = NULL, *pv = NULL;
    CHECK_HR(wm_writer_get_post_view_format(w, 1, 0, &f), S_OK);
    WMInputMediaProps *bad = (WMInputMediaProps *)0x1;
    CHECK_HR(wm_writer_get_post_view_format(w, 1, 1, &bad), E_INVALIDARG);
    CHECK_NULL(bad);
    if (f) {
        uint32_t size = 0;
        CHECK_HR(wm_input_media_props_get_media_type(f, NULL, &size), S_OK);
        WM_MEDIA_TYPE *mt = malloc(size);
        CHECK_HR(wm_input_media_props_get_media_type(f, mt, &size), S_OK);
        CHECK(wm_t_guid_eq(&mt->subtype, &WMMEDIASUBTYPE_PCM));
        CHECK_EQ_U(mt->cbFormat, 18);
        CHECK_EQ_U(wm_t_get32(mt->pbFormat + 4), 8000);
        CHECK_EQ_U(wm_t_get16(mt->pbFormat + 2), 1);
        free(mt);
        char name[16];
        uint16_t nl = sizeof name;
        CHECK_HR(wm_input_media_props_get_connection_name(f, name, &nl), S_OK);
        CHECK_STR_EQ(name, "A");
        CHECK_HR(wm_writer_set_post_view_props(w, 1, f), S_OK);
    }
    CHECK_HR(wm_writer_get_post_view_props(w, 1, &pv), S_OK);
    CHECK(pv != NULL);
    bad = (WMInputMediaProps *)0x1;
    CHECK_HR(wm_writer_get_post_view_props(w, 3, &bad), E_INVALIDARG);
    CHECK_NULL(bad);
    CHECK_HR(wm_writer_get_post_view_props(w, 1, NULL), E_INVALIDARG);

    /* Receive / allocate flags. */
    CHECK_HR(wm_writer_get_receive_post_view_samples(w, 1, &on), S_OK);
    CHECK_EQ_U(on, 0);
    CHECK_HR(wm_writer_set_receive_post_view_samples(w, 5, 1), E_INVALIDARG);
    CHECK_HR(wm_writer_set_receive_post_view_samples(NULL, 1, 1), E_POINTER);
    CHECK_HR(wm_writer_set_receive_post_view_samples(w, 1, 1), S_OK);
    CHECK_HR(wm_writer_get_receive_post_view_samples(w, 1, &on), S_OK);
    CHECK_EQ_U(on, 1);
    CHECK_HR(wm_writer_get_allocate_for_post_view(w, 1, &on), S_OK);
    CHECK_EQ_U(on, 0);
    on = 7;
    CHECK_HR(wm_writer_get_allocate_for_post_view(w, 6, &on), E_INVALIDARG);
    CHECK_EQ_U(on, 0);
    CHECK_HR(wm_writer_set_post_view_callback(NULL, on_sample, NULL, &c), E_POINTER);
    CHECK_HR(wm_writer_set_post_view_callback(w, on_sample, allocate, &c), S_OK);

    /* 1: the post view is the input; the callback calls the writer again. */
    write_all(w, in, path);
    CHECK_EQ_U(c.samples, N);
    CHECK_EQ_U(c.got_len, sizeof in);
    CHECK(memcmp(c.got, in, sizeof in) == 0);
    for (int i = 0; i < N && i < c.samples; i++) CHECK_EQ_U(c.times[i], (uint64_t)i * 1000000);
    CHECK_EQ_U(c.failures, 0);
    CHECK_EQ_U(c.allocs, 0);
    CHECK_EQ_U(c.stream2_samples, 0);
    if (c.kept) {
        /* A buffer the callback kept stays valid. */
        uint32_t len = 0;
        CHECK_HR(wm_buffer_get_length(c.kept, &len), S_OK);
        CHECK_EQ_U(len, CHUNK);
        CHECK_EQ_U(wm_buffer_release(c.kept), 0);
        c.kept = NULL;
    }

    /* Props: before begin_writing only. */
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    CHECK_HR(wm_writer_set_post_view_props(w, 1, pv), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_end_writing(w), S_OK);

    /* 2: the application allocates; the callback writes to the other input (re-entrant
     * write_sample), whose post view is on too. */
    memset(&c.got, 0, sizeof c.got);
    c.got_len = 0;
    c.samples = 0;
    c.write_from_callback = 1;
    CHECK_HR(wm_writer_set_allocate_for_post_view(w, 1, 1), S_OK);
    CHECK_HR(wm_writer_get_allocate_for_post_view(w, 1, &on), S_OK);
    CHECK_EQ_U(on, 1);
    CHECK_HR(wm_writer_set_receive_post_view_samples(w, 2, 1), S_OK);
    write_all(w, in, path);
    CHECK_EQ_U(c.samples, N);
    CHECK_EQ_U(c.allocs, N);
    CHECK_EQ_U(c.reentrant_writes, N);
    CHECK_EQ_U(c.stream2_samples, N);
    CHECK_EQ_U(c.got_len, sizeof in);
    CHECK(memcmp(c.got, in, sizeof in) == 0);
    CHECK_EQ_U(c.failures, 0);
    if (c.kept) {
        CHECK_EQ_U(wm_buffer_release(c.kept), 0);
        c.kept = NULL;
    }

    /* 3: receive off: nothing. */
    c.samples = 0;
    c.stream2_samples = 0;
    c.got_len = 0;
    c.write_from_callback = 0;
    CHECK_HR(wm_writer_set_receive_post_view_samples(w, 1, 0), S_OK);
    CHECK_HR(wm_writer_set_receive_post_view_samples(w, 2, 0), S_OK);
    write_all(w, in, path);
    CHECK_EQ_U(c.samples, 0);
    CHECK_EQ_U(c.stream2_samples, 0);

    /* 4: no callback: receiving is harmless. */
    CHECK_HR(wm_writer_set_receive_post_view_samples(w, 1, 1), S_OK);
    CHECK_HR(wm_writer_set_post_view_callback(w, NULL, NULL, NULL), S_OK);
    write_all(w, in, path);
    CHECK_EQ_U(c.samples, 0);

    if (f) wm_input_media_props_release(f);
    if (pv) wm_input_media_props_release(pv);
    CHECK_EQ_U(wm_writer_release(w), 0);
    remove(path);
    return wm_t_summary();
}
