/* IWMWriterFileSink2/3 on a file sink (issue 18):
 *  - start / stop / is_stopped: a 6 s PCM file written through a second file sink that
 *    stops at 2 s and starts again at 4 s: that file is valid (sizes and counts agree
 *    with its bytes), holds fewer packets than the full one, is_stopped follows the
 *    schedule, a start before the last stop is NS_E_INVALID_REQUEST; get_file_size is
 *    the file's size, get_file_duration the time written;
 *  - IWMWriterFileSink3: get_mode (file sink: all three WMT_FM_* bits, callback sink:
 *    single buffers), control streams (1..63), unbuffered I/O (the O_DIRECT file is
 *    byte-identical to the buffered one; refused once the header is written),
 *    complete_operations (after it the file on disk holds every byte accepted),
 *    on_data_unit_ex (a callback sink splits every packet into header / payload-header /
 *    fragment segments and hands them to a file sink stopped at 0: that file is valid
 *    and its packets equal the writer's);
 *  - set/get_flush_interval (beyond the SDK; the segmented file above is written with a
 *    500 ms interval and still ends valid);
 *  - NULLs: E_POINTER / E_INVALIDARG with the out-params zeroed. */
#include "test_util.h"

#include <sys/stat.h>

#define SEC 10000000ull

static uint64_t file_size_of(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static uint8_t *slurp(const char *path, size_t *n) { return wm_t_read_file(path, n); }

/* Forwards every data unit to `target` through wm_writer_file_sink_on_data_unit_ex. */
typedef struct {
    WMWriterSink *target;
    int units, failures;
} Fwd;

static HRESULT forward(void *ctx, const uint8_t *d, uint32_t n) {
    Fwd *f = ctx;
    WMBuffer *b = NULL;
    uint8_t *ptr = NULL;
    f->units++;
    if (wm_writer_sink_allocate_data_unit(f->target, n, &b) != S_OK) return E_FAIL;
    wm_buffer_get_buffer(b, &ptr);
    memcpy(ptr, d, n);
    wm_buffer_set_length(b, n);
    /* This writer's packets: 14-byte packet header, then payloads of
     * stream(1) object(1) offset(4) replicated length(1) replicated(r) length(2) + data. */
    WMT_BUFFER_SEGMENT heads[64];
    WMT_PAYLOAD_FRAGMENT frags[64];
    WMT_FILESINK_DATA_UNIT u;
    memset(&u, 0, sizeof u);
    u.packetHeaderBuffer.pBuffer = b;
    u.packetHeaderBuffer.cbOffset = 0;
    u.packetHeaderBuffer.cbLength = 14;
    uint32_t count = d[13] & 0x3F, at = 14;
    for (uint32_t i = 0; i < count && i < 64; i++) {
        uint32_t rep = d[at + 6], hl = 7 + rep + 2, len = wm_t_get16(d + at + 7 + rep);
        heads[i].pBuffer = b;
        heads[i].cbOffset = at;
        heads[i].cbLength = hl;
        frags[i].dwPayloadIndex = i;
        frags[i].segmentData.pBuffer = b;
        frags[i].segmentData.cbOffset = at + hl;
        frags[i].segmentData.cbLength = len;
        at += hl + len;
    }
    u.cPayloads = count;
    u.pPayloadHeaderBuffers = heads;
    u.cPayloadDataFragments = count;
    u.pPayloadDataFragments = frags;
    HRESULT hr = wm_writer_file_sink_on_data_unit_ex(f->target, &u);
    if (hr != S_OK) f->failures++;
    wm_buffer_release(b);
    return hr;
}

static void sink3(const char *dir) {
    char full[512], direct[512], fwd[512];
    wm_t_path(full, sizeof full, dir, "fs3_full.wma");
    wm_t_path(direct, sizeof direct, dir, "fs3_direct.wma");
    wm_t_path(fwd, sizeof fwd, dir, "fs3_fwd.wma");
    WMWriterSink *d = NULL, *f = NULL, *cbs = NULL;
    Fwd ctx = {NULL, 0, 0};
    CHECK_HR(wm_create_writer_file_sink(&d), S_OK);
    CHECK_HR(wm_create_writer_file_sink(&f), S_OK);
    ctx.target = f;
    WMWriterSinkCallbacks cb = {&ctx, NULL, forward, NULL, 1, NULL};
    CHECK_HR(wm_create_writer_callback_sink(&cb, &cbs), S_OK);
    CHECK_HR(wm_writer_file_sink_open(d, direct), S_OK);
    CHECK_HR(wm_writer_file_sink_open(f, fwd), S_OK);

    uint32_t mode = 99;
    CHECK_HR(wm_writer_file_sink_get_mode(d, &mode), S_OK);
    CHECK_EQ_U(mode, WMT_FM_SINGLE_BUFFERS | WMT_FM_FILESINK_DATA_UNITS | WMT_FM_FILESINK_UNBUFFERED);
    CHECK_HR(wm_writer_file_sink_get_mode(cbs, &mode), S_OK);
    CHECK_EQ_U(mode, WMT_FM_SINGLE_BUFFERS);
    mode = 99;
    CHECK_HR(wm_writer_file_sink_get_mode(NULL, &mode), E_POINTER);
    CHECK_EQ_U(mode, 0);

    int32_t flag = 7;
    CHECK_HR(wm_writer_file_sink_set_control_stream(d, 64, 1), E_INVALIDARG);
    CHECK_HR(wm_writer_file_sink_set_control_stream(d, 0, 1), E_INVALIDARG);
    CHECK_HR(wm_writer_file_sink_set_control_stream(d, 1, 1), S_OK);
    CHECK_HR(wm_writer_file_sink_get_control_stream(d, 1, &flag), S_OK);
    CHECK_EQ_U(flag, 1);
    CHECK_HR(wm_writer_file_sink_set_control_stream(d, 1, 0), S_OK);
    CHECK_HR(wm_writer_file_sink_get_control_stream(d, 1, &flag), S_OK);
    CHECK_EQ_U(flag, 0);
    flag = 7;
    CHECK_HR(wm_writer_file_sink_get_control_stream(d, 99, &flag), E_INVALIDARG);
    CHECK_EQ_U(flag, 0);
    CHECK_HR(wm_writer_file_sink_get_control_stream(d, 1, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_file_sink_set_control_stream(NULL, 1, 1), E_POINTER);

    CHECK_HR(wm_writer_file_sink_set_unbuffered_io(d, 1, 0), S_OK);
    CHECK_HR(wm_writer_file_sink_get_unbuffered_io(d, &flag), S_OK);
    CHECK_EQ_U(flag, 1);
    CHECK_HR(wm_writer_file_sink_set_unbuffered_io(cbs, 1, 0), NS_E_INVALID_REQUEST);
    CHECK_HR(wm_writer_file_sink_get_unbuffered_io(d, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_file_sink_set_unbuffered_io(NULL, 1, 0), E_POINTER);
    CHECK_HR(wm_writer_file_sink_complete_operations(d), S_OK); /* not writing: nothing to do */
    CHECK_HR(wm_writer_file_sink_complete_operations(NULL), E_POINTER);
    CHECK_HR(wm_writer_file_sink_on_data_unit_ex(f, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_file_sink_on_data_unit_ex(NULL, NULL), E_POINTER);
    WMT_FILESINK_DATA_UNIT empty;
    memset(&empty, 0, sizeof empty);
    CHECK_HR(wm_writer_file_sink_on_data_unit_ex(f, &empty), E_INVALIDARG); /* NULL buffer */
    CHECK_HR(wm_writer_file_sink_stop(f, 0), S_OK); /* f takes only what `forward` gives it */

    WMWriter *w = NULL;
    CHECK_HR(wm_create_writer(&w), S_OK);
    WMProfile *p = wm_t_pcm_profile(&(wm_t_pcm_spec){2, 44100, 16, 0, 0, 0, NULL}, 1);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    wm_profile_release(p);
    CHECK_HR(wm_writer_set_output_filename(w, full), S_OK);
    CHECK_HR(wm_writer_add_sink(w, d), S_OK);
    CHECK_HR(wm_writer_add_sink(w, cbs), S_OK);
    CHECK_HR(wm_writer_add_sink(w, f), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    static uint8_t pcm[4410 * 4];
    uint64_t accepted = 0, on_disk = 0;
    for (int i = 0; i < 40; i++) {
        for (size_t k = 0; k < sizeof pcm; k++) pcm[k] = (uint8_t)(k * 13 + i * 5);
        CHECK_HR(wm_t_write(w, 0, (uint64_t)i * SEC / 10, pcm, sizeof pcm), S_OK);
        if (i == 20) {
            CHECK_HR(wm_writer_file_sink_get_unbuffered_io(d, &flag), S_OK);
            CHECK_EQ_U(flag, 1); /* O_DIRECT really in use */
            CHECK_HR(wm_writer_file_sink_set_unbuffered_io(d, 0, 0), NS_E_INVALID_REQUEST);
            CHECK_HR(wm_writer_file_sink_complete_operations(d), S_OK);
            CHECK_HR(wm_writer_file_sink_get_file_size(d, &accepted), S_OK);
            on_disk = file_size_of(direct);
        }
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    CHECK(accepted > 0);
    CHECK_EQ_U(on_disk, accepted);
    CHECK_EQ_U(ctx.failures, 0);
    CHECK(ctx.units > 0);

    wm_t_asf_info a, b, c;
    CHECK_EQ_U(wm_t_check_finished_asf(full, &a), 0);
    CHECK_EQ_U(wm_t_check_finished_asf(direct, &b), 0);
    CHECK_EQ_U(wm_t_check_finished_asf(fwd, &c), 0);
    CHECK_EQ_U(c.data_packets, a.data_packets);
    CHECK_EQ_U((uint64_t)ctx.units, a.data_packets);
    size_t na = 0, nb = 0, nc = 0;
    uint8_t *ba = slurp(full, &na), *bb = slurp(direct, &nb), *bc = slurp(fwd, &nc);
    CHECK(ba && bb && bc);
    if (ba && bb && bc) {
        CHECK(na == nb && memcmp(ba, bb, na) == 0); /* O_DIRECT file = buffered file */
        size_t data = a.header_size + 50, len = a.data_packets * a.max_packet;
        CHECK(nc >= data + len && memcmp(ba + data, bc + c.header_size + 50, len) == 0);
    }
    free(ba);
    free(bb);
    free(bc);
    printf("unbuffered: %llu bytes on disk after complete_operations = accepted; on_data_unit_ex: %d packets\n",
           (unsigned long long)on_disk, ctx.units);
    wm_writer_release(w);
    wm_writer_sink_release(d);
    wm_writer_sink_release(f);
    wm_writer_sink_release(cbs);
}

int main(int argc, char **argv) {
    const char *dir = wm_t_outdir(argc, argv);
    char full[512], seg[512];
    wm_t_path(full, sizeof full, dir, "fs2_full.wma");
    wm_t_path(seg, sizeof seg, dir, "fs2_seg.wma");

    WMWriterSink *s = NULL;
    CHECK_HR(wm_create_writer_file_sink(&s), S_OK);
    CHECK_HR(wm_writer_file_sink_open(s, seg), S_OK);
    int32_t flag = 7;
    CHECK_HR(wm_writer_file_sink_is_stopped(s, &flag), S_OK);
    CHECK_EQ_U(flag, 0);
    flag = 7;
    CHECK_HR(wm_writer_file_sink_is_stopped(NULL, &flag), E_POINTER);
    CHECK_EQ_U(flag, 0);
    CHECK_HR(wm_writer_file_sink_is_stopped(s, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_file_sink_start(NULL, 0), E_POINTER);
    CHECK_HR(wm_writer_file_sink_stop(NULL, 0), E_POINTER);
    CHECK_HR(wm_writer_file_sink_stop(s, 2 * SEC), S_OK);
    CHECK_HR(wm_writer_file_sink_start(s, 1 * SEC), NS_E_INVALID_REQUEST);
    CHECK_LAST_ERROR("precedes the last stop");
    CHECK_HR(wm_writer_file_sink_start(s, 4 * SEC), S_OK);
    uint32_t iv = 7;
    CHECK_HR(wm_writer_file_sink_get_flush_interval(s, &iv), S_OK);
    CHECK_EQ_U(iv, 0);
    CHECK_HR(wm_writer_file_sink_set_flush_interval(s, 500), S_OK);
    CHECK_HR(wm_writer_file_sink_get_flush_interval(s, &iv), S_OK);
    CHECK_EQ_U(iv, 500);
    iv = 7;
    CHECK_HR(wm_writer_file_sink_get_flush_interval(NULL, &iv), E_POINTER);
    CHECK_EQ_U(iv, 0);
    CHECK_HR(wm_writer_file_sink_get_flush_interval(s, NULL), E_INVALIDARG);
    CHECK_HR(wm_writer_file_sink_set_flush_interval(NULL, 1), E_POINTER);

    WMWriter *w = NULL;
    CHECK_HR(wm_create_writer(&w), S_OK);
    WMProfile *p = wm_t_pcm_profile(&(wm_t_pcm_spec){2, 44100, 16, 0, 0, 0, NULL}, 1);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    wm_profile_release(p);
    CHECK_HR(wm_writer_set_output_filename(w, full), S_OK);
    CHECK_HR(wm_writer_add_sink(w, s), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    static uint8_t pcm[4410 * 4];
    int stopped_at_3 = -1, stopped_at_5 = -1;
    for (int i = 0; i < 60; i++) {
        for (size_t k = 0; k < sizeof pcm; k++) pcm[k] = (uint8_t)(k * 7 + i);
        CHECK_HR(wm_t_write(w, 0, (uint64_t)i * SEC / 10, pcm, sizeof pcm), S_OK);
        if (i == 30) CHECK_HR(wm_writer_file_sink_is_stopped(s, &stopped_at_3), S_OK);
        if (i == 50) CHECK_HR(wm_writer_file_sink_is_stopped(s, &stopped_at_5), S_OK);
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    CHECK_EQ_U(stopped_at_3, 1);
    CHECK_EQ_U(stopped_at_5, 0);

    wm_t_asf_info fi, si;
    CHECK_EQ_U(wm_t_check_finished_asf(full, &fi), 0);
    CHECK_EQ_U(wm_t_check_finished_asf(seg, &si), 0);
    CHECK(si.data_packets < fi.data_packets);
    CHECK(si.data_packets * 10 > fi.data_packets * 5); /* 4 of 6 s, give or take */
    uint64_t size = 0, dur = 0;
    CHECK_HR(wm_writer_file_sink_get_file_size(s, &size), S_OK);
    CHECK_EQ_U(size, file_size_of(seg));
    CHECK_HR(wm_writer_file_sink_get_file_duration(s, &dur), S_OK);
    CHECK(dur >= 5 * SEC && dur <= 7 * SEC);
    printf("full %llu packets, segmented %llu packets, %llu bytes\n", (unsigned long long)fi.data_packets,
           (unsigned long long)si.data_packets, (unsigned long long)size);

    wm_writer_release(w);
    wm_writer_sink_release(s);
    sink3(dir);
    return wm_t_summary();
}
