/* IWMWriterSink::IsRealTime / AllocateDataUnit on every sink handle (issue 18):
 *  - a network sink is real time, file and callback sinks are not;
 *  - a writer is real time while it has a real-time sink (or a live source), as the
 *    SDK's writer asks its sinks; removing the sink makes it not;
 *  - asked from inside a sink callback, both answer without deadlock;
 *  - allocate_data_unit gives a buffer of that maximum length, length 0;
 *  - NULLs: E_POINTER / E_INVALIDARG with the out-params zeroed. */
#include "test_util.h"

#include <signal.h>
#include <unistd.h>

typedef struct {
    WMWriter *w;
    WMWriterSink *self;
    int units, failures, writer_rt, sink_rt;
} Ctx;

static HRESULT on_unit(void *p, const uint8_t *d, uint32_t n) {
    Ctx *c = p;
    (void)d;
    (void)n;
    int32_t rt = -1, srt = -1;
    c->units++;
    if (wm_writer_is_real_time(c->w, &rt) != S_OK) c->failures++;
    if (wm_writer_sink_is_real_time(c->self, &srt) != S_OK) c->failures++;
    c->writer_rt = rt;
    c->sink_rt = srt;
    return S_OK;
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "test_sink_base: timed out (deadlock?)\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(1);
}

int main(void) {
    signal(SIGALRM, on_alarm);
    alarm(60);
    WMWriterSink *file = NULL, *net = NULL, *cbs = NULL;
    Ctx c;
    memset(&c, 0, sizeof c);
    WMWriterSinkCallbacks cb = {&c, NULL, on_unit, NULL, 1, NULL};
    CHECK_HR(wm_create_writer_file_sink(&file), S_OK);
    CHECK_HR(wm_create_writer_network_sink(&net), S_OK);
    CHECK_HR(wm_create_writer_callback_sink(&cb, &cbs), S_OK);
    c.self = cbs;
    int32_t rt = 7;
    CHECK_HR(wm_writer_sink_is_real_time(file, &rt), S_OK);
    CHECK_EQ_U(rt, 0);
    CHECK_HR(wm_writer_sink_is_real_time(cbs, &rt), S_OK);
    CHECK_EQ_U(rt, 0);
    CHECK_HR(wm_writer_sink_is_real_time(net, &rt), S_OK);
    CHECK_EQ_U(rt, 1);
    rt = 7;
    CHECK_HR(wm_writer_sink_is_real_time(NULL, &rt), E_POINTER);
    CHECK_EQ_U(rt, 0);
    CHECK_HR(wm_writer_sink_is_real_time(net, NULL), E_INVALIDARG);

    /* The writer asks its sinks. */
    WMWriter *w = NULL;
    CHECK_HR(wm_create_writer(&w), S_OK);
    c.w = w;
    WMProfile *p = wm_t_pcm_profile(&(wm_t_pcm_spec){1, 8000, 16, 0, 128000, 0, NULL}, 1);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    wm_profile_release(p);
    CHECK_HR(wm_writer_is_real_time(w, &rt), S_OK);
    CHECK_EQ_U(rt, 0);
    CHECK_HR(wm_writer_add_sink(w, net), S_OK);
    CHECK_HR(wm_writer_is_real_time(w, &rt), S_OK);
    CHECK_EQ_U(rt, 1);
    CHECK_HR(wm_writer_remove_sink(w, net), S_OK);
    CHECK_HR(wm_writer_is_real_time(w, &rt), S_OK);
    CHECK_EQ_U(rt, 0);
    CHECK_HR(wm_writer_set_live_source(w, 1), S_OK);
    CHECK_HR(wm_writer_is_real_time(w, &rt), S_OK);
    CHECK_EQ_U(rt, 1);
    CHECK_HR(wm_writer_set_live_source(w, 0), S_OK);

    /* From inside a callback: no deadlock, real answers. */
    CHECK_HR(wm_writer_add_sink(w, cbs), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    uint8_t pcm[1600];
    for (int i = 0; i < 5; i++) {
        memset(pcm, i, sizeof pcm);
        WMBuffer *b = wm_t_sample(w, pcm, sizeof pcm);
        CHECK_HR(wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b), S_OK);
        wm_buffer_release(b);
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    CHECK(c.units > 0);
    CHECK_EQ_U(c.failures, 0);
    CHECK_EQ_U(c.writer_rt, 0);
    CHECK_EQ_U(c.sink_rt, 0);

    /* AllocateDataUnit. */
    WMBuffer *du = NULL;
    uint32_t len = 9, max = 0;
    CHECK_HR(wm_writer_sink_allocate_data_unit(file, 1500, &du), S_OK);
    CHECK(du != NULL);
    if (du) {
        CHECK_HR(wm_buffer_get_max_length(du, &max), S_OK);
        CHECK_EQ_U(max, 1500);
        CHECK_HR(wm_buffer_get_length(du, &len), S_OK);
        CHECK_EQ_U(len, 0);
        CHECK_EQ_U(wm_buffer_release(du), 0);
    }
    du = (WMBuffer *)0x1;
    CHECK_HR(wm_writer_sink_allocate_data_unit(NULL, 100, &du), E_POINTER);
    CHECK(du == NULL);
    CHECK_HR(wm_writer_sink_allocate_data_unit(net, 100, NULL), E_POINTER);

    CHECK_EQ_U(wm_writer_release(w), 0);
    wm_writer_sink_release(file);
    wm_writer_sink_release(net);
    wm_writer_sink_release(cbs);
    return wm_t_summary();
}
