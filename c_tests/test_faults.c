/*
 * test_faults (issue 16 item 1): what happens when the output breaks.
 *  - a callback sink that fails at its 100th data unit;
 *  - a file on a disk that fills (a 256 KiB tmpfs, mounted when running as root);
 *  - /dev/full as the output;
 *  - EIO in the middle of a packet (LD_PRELOAD eio_shim.so, in a child process).
 * Each time: the next write_sample / end_writing returns NS_E_FILE_WRITE with a message
 * (or begin_writing does, when the very first bytes fail), nothing crashes or leaks
 * (valgrind), and what reached the output before the fault is still readable: ffmpeg
 * decodes it to exactly the first samples that were written.
 */
#include <sys/mount.h>
#include <unistd.h>

#include "test_util.h"

#define MS (10000ull)
static const wm_t_pcm_spec SPEC = {2, 44100, 16, 0, 0, 0, "Audio"};
#define SAMPLE (4410u * 4u) /* 100 ms */
#define SAMPLES 300         /* 30 s = 5.3 MB */
static uint8_t *g_pcm;
static const char *g_dir;

/* One sample through allocate_sample, with no assertion of its own. */
static HRESULT try_write(WMWriter *w, uint64_t time, const uint8_t *data, uint32_t n) {
    WMBuffer *b = NULL;
    uint8_t *d = NULL;
    HRESULT hr = wm_writer_allocate_sample(w, n, &b);
    if (hr == S_OK) hr = wm_buffer_get_buffer(b, &d);
    if (hr == S_OK) {
        memcpy(d, data, n);
        hr = wm_buffer_set_length(b, n);
    }
    if (hr == S_OK) hr = wm_writer_write_sample(w, 0, time, 0, b);
    if (b) wm_buffer_release(b);
    return hr;
}

/* Write up to SAMPLES samples and end; returns the first failing HRESULT (S_OK if none)
 * and how many samples were accepted before it. */
static HRESULT feed(WMWriter *w, int *accepted) {
    int i;
    HRESULT hr = S_OK;
    *accepted = 0;
    for (i = 0; i < SAMPLES; i++) {
        hr = try_write(w, (uint64_t)i * 100 * MS, g_pcm + (size_t)i * SAMPLE, SAMPLE);
        if (hr != S_OK) return hr;
        (*accepted)++;
    }
    return wm_writer_end_writing(w);
}

/* ffmpeg decodes `path` to a prefix of what was written: at least `min_samples` samples
 * of 100 ms, byte-identical. */
static void check_prefix(const char *path, int min_samples, const char *what) {
    char cmd[2048], out[64];
    size_t got;
    if (!wm_t_have_tool("ffmpeg")) {
        if (wm_t_tools_required()) {
            wm_t_failed++;
            fprintf(stderr, "FAILED: ffmpeg not found (WMWRITER_REQUIRE_TOOLS=1)\n");
        }
        return;
    }
    {
        char raw[512], dec[512];
        FILE *f;
        snprintf(raw, sizeof raw, "%s/fault_written.raw", g_dir);
        snprintf(dec, sizeof dec, "%s/fault_decoded.raw", g_dir);
        CHECK(wm_t_write_file(raw, g_pcm, (size_t)SAMPLE * SAMPLES));
        snprintf(cmd, sizeof cmd, "ffmpeg -nostdin -v quiet -guess_layout_max 0 -i '%s' -map 0:a:0 -f s16le -y '%s'; stat -c %%s '%s'", path, dec, dec);
        CHECK(wm_t_run_capture(cmd, out, sizeof out) == 0);
        got = (size_t)strtoull(out, NULL, 10);
        CHECK(got >= (size_t)min_samples * SAMPLE);
        if (got < (size_t)min_samples * SAMPLE)
            fprintf(stderr, "    %s: ffmpeg recovers %zu bytes, want at least %d samples (%zu bytes)\n", what, got, min_samples,
                    (size_t)min_samples * SAMPLE);
        if (got > 0) {
            snprintf(cmd, sizeof cmd, "cmp -s -n %zu '%s' '%s'", got, dec, raw);
            CHECK(system(cmd) == 0);
        }
        f = NULL;
        (void)f;
        remove(raw);
        remove(dec);
    }
}

/* ---- a callback sink that fails at its 100th data unit --------------------------- */

typedef struct {
    FILE *f;
    int units;
} failing;

static HRESULT f_header(void *ctx, const uint8_t *d, uint32_t n) {
    failing *s = (failing *)ctx;
    if (ftell(s->f) == 0) fwrite(d, 1, n, s->f); /* keep the first header only */
    return S_OK;
}
static HRESULT f_unit(void *ctx, const uint8_t *d, uint32_t n) {
    failing *s = (failing *)ctx;
    if (++s->units >= 100) return E_FAIL;
    fwrite(d, 1, n, s->f);
    return S_OK;
}
static HRESULT f_end(void *ctx, const uint8_t *d, uint32_t n) {
    (void)ctx;
    (void)d;
    (void)n;
    return S_OK;
}

static void callback_fails_at_100(void) {
    WMProfile *p = wm_t_pcm_profile(&SPEC, 1);
    WMWriter *w = NULL;
    WMWriterSink *sink = NULL;
    WMWriterSinkCallbacks cb;
    failing st;
    char path[512];
    int accepted = 0;
    HRESULT hr;
    wm_t_path(path, sizeof path, g_dir, "fault_callback.wma");
    st.f = fopen(path, "wb");
    st.units = 0;
    memset(&cb, 0, sizeof cb);
    cb.context = &st;
    cb.on_header = f_header;
    cb.on_data_unit = f_unit;
    cb.on_end_writing = f_end;
    cb.can_seek = 0;
    CHECK(st.f != NULL);
    CHECK_HR(wm_create_writer(&w), S_OK);
    CHECK_HR(wm_create_writer_callback_sink(&cb, &sink), S_OK);
    if (!w || !sink || !p || !st.f) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_add_sink(w, sink), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    hr = feed(w, &accepted);
    CHECK_HR(hr, NS_E_FILE_WRITE);
    CHECK_LAST_ERROR("");
    CHECK(strlen(wm_get_last_error_message()) > 10);
    CHECK(accepted < SAMPLES);
    CHECK_EQ_U(st.units, 100); /* no data unit after the failing one */
    /* the session is over: later calls say so, and nothing crashes */
    hr = try_write(w, (uint64_t)SAMPLES * 100 * MS, g_pcm, SAMPLE);
    CHECK(hr == NS_E_FILE_WRITE || hr == NS_E_INVALID_REQUEST);
    hr = wm_writer_end_writing(w);
    CHECK(hr == NS_E_FILE_WRITE || hr == NS_E_INVALID_REQUEST || hr == S_OK);
    fclose(st.f);
    st.f = NULL;
    /* 99 packets (about 2.4 s at this rate) reached the sink: their samples decode */
    check_prefix(path, 20, "callback sink");
out:
    if (st.f) fclose(st.f);
    wm_writer_release(w);
    if (sink) CHECK_EQ_U(wm_writer_sink_release(sink), 0);
    wm_profile_release(p);
}

/* ---- an output file that cannot take the bytes ------------------------------------ */

/* Write to `path`; the first failure must be NS_E_FILE_WRITE (from begin_writing when
 * even the header cannot be written). Returns the samples accepted. */
static int write_until_fault(const char *path, const char *what) {
    WMProfile *p = wm_t_pcm_profile(&SPEC, 1);
    WMWriter *w = NULL;
    int accepted = 0;
    HRESULT hr;
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w || !p) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    hr = wm_writer_begin_writing(w);
    if (hr == S_OK) hr = feed(w, &accepted);
    CHECK_HR(hr, NS_E_FILE_WRITE);
    if (hr != NS_E_FILE_WRITE) fprintf(stderr, "    %s\n", what);
    CHECK(strlen(wm_get_last_error_message()) > 10);
    hr = wm_writer_end_writing(w);
    CHECK(hr == NS_E_FILE_WRITE || hr == NS_E_INVALID_REQUEST || hr == S_OK);
out:
    CHECK_EQ_U(wm_writer_release(w), 0);
    wm_profile_release(p);
    return accepted;
}

static void dev_full(void) {
    if (access("/dev/full", W_OK) != 0) return;
    write_until_fault("/dev/full", "/dev/full");
}

static void disk_fills(void) {
    char mnt[512], path[600], cmd[700];
    int accepted;
    snprintf(mnt, sizeof mnt, "%s/smallfs", g_dir);
    mkdir(mnt, 0755);
    if (geteuid() != 0 || mount("tmpfs", mnt, "tmpfs", 0, "size=256k") != 0) {
        if (wm_t_tools_required() && geteuid() == 0) {
            wm_t_failed++;
            fprintf(stderr, "FAILED: cannot mount a 256 KiB tmpfs at %s\n", mnt);
        } else {
            fprintf(stderr, "    disk-full case skipped (needs root to mount a small tmpfs)\n");
        }
        return;
    }
    snprintf(path, sizeof path, "%s/full.wma", mnt);
    accepted = write_until_fault(path, "a full 256 KiB tmpfs");
    CHECK(accepted > 0 && accepted < SAMPLES);
    /* what fit is readable: 256 KiB is about 1.4 s of this stream; ask for 1 s */
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/fault_full.wma'", path, g_dir);
    CHECK(system(cmd) == 0);
    umount(mnt);
    snprintf(path, sizeof path, "%s/fault_full.wma", g_dir);
    check_prefix(path, 10, "full disk");
}

/* ---- EIO in the middle of a packet (child process with the shim preloaded) -------- */

static int eio_child(const char *dir) {
    char path[512];
    g_dir = dir;
    snprintf(path, sizeof path, "%s/eio_target.wma", dir);
    write_until_fault(path, "EIO after 200000 bytes");
    return wm_t_summary();
}

static void eio_mid_packet(const char *self) {
#ifdef WM_EIO_SHIM
    char cmd[2048], path[512];
    int st;
    snprintf(cmd, sizeof cmd, "LD_PRELOAD='%s' WM_EIO_AFTER=200000 '%s' '%s' --eio-child", WM_EIO_SHIM, self, g_dir);
    st = system(cmd);
    CHECK(st == 0);
    snprintf(path, sizeof path, "%s/eio_target.wma", g_dir);
    check_prefix(path, 10, "EIO mid-packet");
#else
    (void)self;
#endif
}

int main(int argc, char **argv) {
    size_t i;
    uint32_t s = 7;
    g_pcm = (uint8_t *)malloc((size_t)SAMPLE * SAMPLES);
    if (!g_pcm) return 1;
    for (i = 0; i < (size_t)SAMPLE * SAMPLES; i++) g_pcm[i] = (uint8_t)(wm_t_lcg(&s) >> 24);
    if (argc > 2 && strcmp(argv[2], "--eio-child") == 0) {
        int rc = eio_child(argv[1]);
        free(g_pcm);
        return rc;
    }
    g_dir = wm_t_outdir(argc, argv);
    callback_fails_at_100();
    dev_full();
    disk_fills();
    eio_mid_packet(argv[0]);
    free(g_pcm);
    return wm_t_summary();
}
