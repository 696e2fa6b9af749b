/* IWMWriterFileSink2/3 on a file sink (issue 18):
 *  - start / stop / is_stopped: a 6 s PCM file written through a second file sink that
 *    stops at 2 s and starts again at 4 s: that file is valid (sizes and counts agree
 *    with its bytes), holds fewer packets than the full one, is_stopped follows the
 *    schedule, a start before the last stop is NS_E_INVALID_REQUEST; get_file_size is
 *    the file's size, get_file_duration the time written;
 *  - NULLs: E_POINTER / E_INVALIDARG with the out-params zeroed. */
#include "test_util.h"

#include <sys/stat.h>

#define SEC 10000000ull

static uint64_t file_size_of(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
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
    return wm_t_summary();
}
