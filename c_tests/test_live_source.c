/* IWMWriterAdvanced::SetLiveSource (issue 18): a live source must deliver in real time.
 *  - live: samples faster than real time are accepted up to the sync tolerance ahead of
 *    the wall clock (measured from the first sample); the next one is refused with
 *    NS_E_TOO_MUCH_DATA and a message, the session goes on, and after waiting the same
 *    sample is accepted; the file holds exactly the accepted samples (ffprobe counts
 *    them, ffmpeg decodes them cleanly);
 *  - not live (the default): the same samples are all accepted at once;
 *  - wm_writer_is_real_time follows the live flag. */
#include "test_util.h"

#include <time.h>

static int write_run(const char *path, int live, int *accepted, int *refused_at) {
    WMWriter *w = NULL;
    int failures = 0;
    *accepted = 0;
    *refused_at = -1;
    if (wm_create_writer(&w) != S_OK) return 1;
    WMProfile *p = wm_t_pcm_profile(&(wm_t_pcm_spec){1, 8000, 16, 0, 128000, 0, NULL}, 1);
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    wm_profile_release(p);
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_set_sync_tolerance(w, 1000), S_OK);
    CHECK_HR(wm_writer_set_live_source(w, live), S_OK);
    int32_t rt = -1;
    CHECK_HR(wm_writer_is_real_time(w, &rt), S_OK);
    CHECK_EQ_U(rt, live ? 1 : 0);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    uint8_t pcm[1600]; /* 100 ms */
    for (int i = 0; i < 20; i++) {
        memset(pcm, i * 7, sizeof pcm);
        WMBuffer *b = wm_t_sample(w, pcm, sizeof pcm);
        HRESULT hr = wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b);
        if (hr == S_OK) {
            (*accepted)++;
        } else if (hr == NS_E_TOO_MUCH_DATA && *refused_at < 0) {
            *refused_at = i;
            CHECK_LAST_ERROR("ahead of real time");
            /* Wait for the wall clock; then the same sample is in time. */
            struct timespec ts = {0, 400 * 1000 * 1000};
            nanosleep(&ts, NULL);
            CHECK_HR(wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b), S_OK);
            (*accepted)++;
            wm_buffer_release(b);
            break;
        } else {
            CHECK_HR(hr, S_OK);
            failures++;
        }
        wm_buffer_release(b);
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    CHECK_EQ_U(wm_writer_release(w), 0);
    return failures;
}

static int ffprobe_packets(const char *path) {
    char cmd[2048], out[64];
    snprintf(cmd, sizeof cmd, "ffprobe -v error -select_streams a:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 '%s'", path);
    if (wm_t_run_capture(cmd, out, sizeof out) != 0) return -1;
    return atoi(out);
}

int main(int argc, char **argv) {
    const char *dir = wm_t_outdir(argc, argv);
    char live_path[1024], file_path[1024];
    wm_t_path(live_path, sizeof live_path, dir, "live_source.asf");
    wm_t_path(file_path, sizeof file_path, dir, "file_source.asf");
    int accepted = 0, refused_at = -1;

    write_run(live_path, 1, &accepted, &refused_at);
    /* 0 … 1000 ms are within the 1000 ms tolerance of a clock that has barely moved;
     * 1100 ms is not (a slow machine, or valgrind, refuses a little later, never earlier). */
    CHECK(refused_at >= 11);
    CHECK(refused_at <= 18);
    CHECK_EQ_U(accepted, refused_at + 1);
    printf("live source: refused the sample at %d00 ms with NS_E_TOO_MUCH_DATA, accepted it after waiting; %d samples\n",
           refused_at, accepted);

    int all = 0, none = -1;
    write_run(file_path, 0, &all, &none);
    CHECK_EQ_U(all, 20);
    CHECK(none == -1);

    if (!wm_t_have_tool("ffprobe") || !wm_t_have_tool("ffmpeg")) return wm_t_skip("ffprobe/ffmpeg not installed");
    CHECK_EQ_U(ffprobe_packets(live_path), accepted);
    CHECK_EQ_U(ffprobe_packets(file_path), 20);
    char cmd[2048], err[512];
    snprintf(cmd, sizeof cmd, "ffmpeg -nostdin -v warning -guess_layout_max 0 -i '%s' -f null - 2>&1", live_path);
    CHECK_EQ_U(wm_t_run_capture(cmd, err, sizeof err), 0);
    CHECK_STR_EQ(err, "");
    return wm_t_summary();
}
