/*
 * test_e2e_pcm: a C program using only include/wmwriter.h writes PCM audio to an ASF
 * file, allocating a fresh buffer per 100 ms sample and releasing it right after
 * write_sample, and writes the same PCM to raw side files. Then check_pcm.py checks
 * the file with ffprobe / ffmpeg / exiftool (and GStreamer): formats, durations,
 * packet counts, sizes and times, a warning-free decode, bit-exact decoded audio,
 * and the File Properties values.
 *
 *   test_e2e_pcm <dir> stereo   2 s of 16-bit stereo 44.1 kHz
 *   test_e2e_pcm <dir> multi    2 s of two streams, interleaved in 100 ms chunks:
 *                               8-bit mono 8 kHz and 24-bit 6-channel 48 kHz
 *   test_e2e_pcm <dir> smallpackets   the same with 100-byte data packets (the
 *                               smallest allowed): every sample is fragmented
 *
 * Exit status 77 (skipped) when the tools are missing, unless WMWRITER_REQUIRE_TOOLS=1.
 */
#include "test_util.h"

#ifndef WM_TEST_SOURCE_DIR
#define WM_TEST_SOURCE_DIR "."
#endif
#ifndef WM_TEST_PYTHON
#define WM_TEST_PYTHON "python3"
#endif

#define CHUNKS 20             /* 20 x 100 ms = 2 s */
#define CHUNK_100NS 1000000ull /* 100 ms */

typedef struct {
    wm_t_pcm_spec spec;
    const char *ff_format; /* ffmpeg raw format for decoding */
    const char *codec;     /* ffprobe codec_name */
    uint32_t chunk_bytes;  /* bytes per 100 ms */
    uint8_t *pcm;          /* CHUNKS * chunk_bytes of signal */
    char raw_path[512];
} stream_t;

/* A deterministic signal: per channel a different mix of a sawtooth and LCG noise,
 * written as little-endian PCM of the stream's sample size (8-bit is unsigned). */
static void synthesize(stream_t *s, uint32_t seed) {
    uint32_t bytes = (s->spec.bits + 7) / 8;
    uint32_t frames = s->spec.rate / 10 * CHUNKS;
    uint32_t f, c, k;
    uint32_t lcg = seed;
    uint8_t *p = s->pcm;
    for (f = 0; f < frames; f++) {
        for (c = 0; c < s->spec.channels; c++) {
            /* saw in [-2^(bits-2), 2^(bits-2)) plus noise in [-2^(bits-4), ...) */
            int64_t full = (int64_t)1 << (s->spec.bits - 1);
            int64_t saw = (int64_t)((f * (c + 3) * 97u) % (uint32_t)full) - full / 2;
            int64_t noise = (int64_t)(wm_t_lcg(&lcg) >> (32 - (s->spec.bits - 3))) - full / 8;
            int64_t v = saw + noise;
            if (v >= full) v = full - 1;
            if (v < -full) v = -full;
            if (bytes == 1) {
                *p++ = (uint8_t)(v + 128);
            } else {
                uint64_t u = (uint64_t)v;
                for (k = 0; k < bytes; k++) *p++ = (uint8_t)(u >> (8 * k));
            }
        }
    }
}

static int run_checker(const char *asf, stream_t *streams, int n, const char *label) {
    char cmd[4096];
    size_t len;
    int i, st;
    if (!WM_TEST_PYTHON[0]) return -2;
    len = (size_t)snprintf(cmd, sizeof cmd, "'%s' '%s/check_pcm.py' --asf '%s' --label '%s' --chunks %d --chunk-ms 100",
                           WM_TEST_PYTHON, WM_TEST_SOURCE_DIR, asf, label, CHUNKS);
    for (i = 0; i < n && len < sizeof cmd; i++) {
        stream_t *s = &streams[i];
        len += (size_t)snprintf(cmd + len, sizeof cmd - len,
                                " --stream 'codec=%s,format=%s,rate=%u,channels=%u,bits=%u,chunk_bytes=%u,raw=%s'",
                                s->codec, s->ff_format, s->spec.rate, s->spec.channels, s->spec.bits,
                                s->chunk_bytes, s->raw_path);
    }
    fflush(stdout);
    fflush(stderr);
    st = system(cmd);
    if (st == -1 || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

int main(int argc, char **argv) {
    const char *dir = wm_t_outdir(argc, argv);
    const char *mode = argc > 2 ? argv[2] : "stereo";
    stream_t streams[2];
    int nstreams, i, c;
    char asf[512];
    WMWriter *w = NULL;
    WMProfile *p = NULL;
    int rc;

    memset(streams, 0, sizeof streams);
    if (strcmp(mode, "stereo") == 0) {
        wm_t_pcm_spec s = {2, 44100, 16, 0, 0, 0, "Stereo"};
        nstreams = 1;
        streams[0].spec = s;
        streams[0].ff_format = "s16le";
        streams[0].codec = "pcm_s16le";
    } else if (strcmp(mode, "multi") == 0 || strcmp(mode, "smallpackets") == 0) {
        wm_t_pcm_spec s0 = {1, 8000, 8, 0, 0, 0, "Mono8"};
        wm_t_pcm_spec s1 = {6, 48000, 24, 0, 0, 0, "Surround24"};
        nstreams = 2;
        streams[0].spec = s0;
        streams[0].ff_format = "u8";
        streams[0].codec = "pcm_u8";
        streams[1].spec = s1;
        streams[1].ff_format = "s24le";
        streams[1].codec = "pcm_s24le";
    } else {
        fprintf(stderr, "usage: %s <dir> stereo|multi|smallpackets\n", argv[0]);
        return 2;
    }
    snprintf(asf, sizeof asf, "%s/e2e_%s.wma", dir, mode);
    remove(asf);

    for (i = 0; i < nstreams; i++) {
        stream_t *s = &streams[i];
        s->chunk_bytes = s->spec.rate / 10 * s->spec.channels * ((s->spec.bits + 7u) / 8u);
        s->pcm = (uint8_t *)malloc((size_t)s->chunk_bytes * CHUNKS);
        CHECK(s->pcm != NULL);
        if (!s->pcm) goto out;
        synthesize(s, 0xC0FFEEu + (uint32_t)i * 7919u);
        snprintf(s->raw_path, sizeof s->raw_path, "%s/e2e_%s_%d.raw", dir, mode, i);
        CHECK(wm_t_write_file(s->raw_path, s->pcm, (size_t)s->chunk_bytes * CHUNKS));
    }

    /* The profile: one PCM stream per input, default buffer window (3 s preroll). */
    {
        wm_t_pcm_spec specs[2];
        for (i = 0; i < nstreams; i++) specs[i] = streams[i].spec;
        p = wm_t_pcm_profile(specs, nstreams);
        if (!p) goto out;
        CHECK_HR(wm_profile_set_name(p, "e2e PCM"), S_OK);
        if (strcmp(mode, "smallpackets") == 0) CHECK_HR(wm_profile_set_max_packet_size(p, 100), S_OK);
    }
    CHECK_HR(wm_create_writer(&w), S_OK);
    if (!w) goto out;
    CHECK_HR(wm_writer_set_profile(w, p), S_OK);
    {
        uint32_t inputs = 0;
        CHECK_HR(wm_writer_get_input_count(w, &inputs), S_OK);
        CHECK_EQ_U(inputs, nstreams);
    }
    CHECK_HR(wm_writer_set_output_filename(w, asf), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);

    /* Interleaved 100 ms chunks; a fresh buffer each, released right after writing. */
    for (c = 0; c < CHUNKS; c++) {
        for (i = 0; i < nstreams; i++) {
            stream_t *s = &streams[i];
            WMBuffer *b = NULL;
            uint8_t *d = NULL;
            HRESULT hr = wm_writer_allocate_sample(w, s->chunk_bytes, &b);
            CHECK_HR(hr, S_OK);
            if (hr != S_OK) goto end;
            CHECK_HR(wm_buffer_get_buffer(b, &d), S_OK);
            if (d) memcpy(d, s->pcm + (size_t)c * s->chunk_bytes, s->chunk_bytes);
            CHECK_HR(wm_buffer_set_length(b, s->chunk_bytes), S_OK);
            CHECK_HR(wm_writer_write_sample(w, (uint32_t)i, (uint64_t)c * CHUNK_100NS, 0, b), S_OK);
            /* Released at once; scribbling over our copy of the signal would be caught by
             * the bit-exact comparison if the writer did not hold its own reference. */
            wm_buffer_release(b);
        }
    }
end:
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    CHECK_EQ_U(wm_writer_release(w), 0);
    w = NULL;

    /* Our own look at the header: the numbers the checker also gets from exiftool. */
    {
        wm_t_asf_info info;
        if (wm_t_check_finished_asf(asf, &info) == 0) {
            CHECK_EQ_U(info.stream_count, nstreams);
            CHECK_EQ_U(info.preroll, 3000);
            CHECK_EQ_U(info.flags, 2);
            CHECK_EQ_U(info.play_duration, 50000000u); /* 2 s + 3 s preroll */
            CHECK_EQ_U(info.send_duration, 20000000u);
            CHECK_EQ_U(info.trailer_size, 0); /* audio only: no index */
            if (strcmp(mode, "smallpackets") == 0) CHECK_EQ_U(info.max_packet, 100);
        }
    }

    rc = run_checker(asf, streams, nstreams, mode);
    if (rc == 0) {
        wm_t_pass();
    } else if (rc == WM_T_SKIP_CODE || rc == -2) {
        rc = wm_t_skip(rc == -2 ? "python3 was not found at configure time" : "check_pcm.py: a tool is missing");
        goto cleanup;
    } else {
        wm_t_fail_at(__FILE__, __LINE__);
        fprintf(stderr, "check_pcm.py failed (status %d)\n", rc);
    }

out:
    rc = wm_t_summary();
cleanup:
    wm_writer_release(w);
    wm_profile_release(p);
    for (i = 0; i < 2; i++) free(streams[i].pcm);
    return rc;
}
