/*
 * test_codec_missing.c: with WMWRITER_LIBAVCODEC naming a file that does not exist
 * (issue 12), a system profile whose codec only libavcodec has fails at begin_writing
 * with the SDK's NOT_INSTALLED code and a message naming the file searched and saying
 * that passthrough still works; no file is left behind; under valgrind nothing leaks.
 *  - WMProfile_V80_288VideoOnly (WMV2)                -> NS_E_VIDEO_CODEC_NOT_INSTALLED
 *  - WMProfile_V80_128StereoAudio with WMWRITER_WMA_ENCODER=libavcodec (WMA v2 from
 *    libavcodec only)                                  -> NS_E_AUDIO_CODEC_NOT_INSTALLED
 *  - the same profile without that variable: the built-in WMA encoder takes over and
 *    one second of PCM becomes a finished ASF file;
 *  - WMProfile_V70_6VoiceAudio (WMA Voice: no open encoder exists) -> the audio code
 *    whatever the variables say.
 * The library looks for libavcodec once per process: the variables are set first.
 */
#include "test_util.h"

#include <unistd.h>

/* {8C45B4C7-4AEB-4f78-A5EC-88420B9DADEF} */
static const WMGuid V80_288_VIDEO_ONLY = {0x8C45B4C7, 0x4AEB, 0x4f78, {0xA5, 0xEC, 0x88, 0x42, 0x0B, 0x9D, 0xAD, 0xEF}};
/* {407B9450-8BDC-4ee5-88B8-6F527BD941F2} */
static const WMGuid V80_128_STEREO_AUDIO = {0x407B9450, 0x8BDC, 0x4ee5, {0x88, 0xB8, 0x6F, 0x52, 0x7B, 0xD9, 0x41, 0xF2}};

/* {EABA9FBF-B64F-49b3-AA0C-73FBDD150AD0} */
static const WMGuid V70_6_VOICE_AUDIO = {0xEABA9FBF, 0xB64F, 0x49b3, {0xAA, 0x0C, 0x73, 0xFB, 0xDD, 0x15, 0x0A, 0xD0}};

static void refused_as(const char *dir, const WMGuid *id, const char *name, HRESULT want, const char *needle) {
    char path[1024];
    wm_t_path(path, sizeof path, dir, name);
    WMWriter *w = NULL;
    CHECK_HR(wm_create_writer(&w), S_OK);
    CHECK_HR(wm_writer_set_profile_by_id(w, id), S_OK);
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), want);
    CHECK_LAST_ERROR(needle);
    CHECK_LAST_ERROR("passthrough");
    CHECK(access(path, F_OK) != 0); /* no half-written file */
    /* Still configured: a second try fails the same way, and the writer is released cleanly. */
    CHECK_HR(wm_writer_begin_writing(w), want);
    CHECK_EQ_U(wm_writer_release(w), 0);
}

static void refused(const char *dir, const WMGuid *id, const char *name, HRESULT want) {
    refused_as(dir, id, name, want, "/nonexistent/libavcodec.so.59");
}

int main(int argc, char **argv) {
    const char *dir = wm_t_outdir(argc, argv);
    setenv("WMWRITER_LIBAVCODEC", "/nonexistent/libavcodec.so.59", 1);
    setenv("WMWRITER_WMA_ENCODER", "libavcodec", 1);
    refused(dir, &V80_288_VIDEO_ONLY, "video_only.wmv", NS_E_VIDEO_CODEC_NOT_INSTALLED);
    refused(dir, &V80_128_STEREO_AUDIO, "audio_lavc.wma", NS_E_AUDIO_CODEC_NOT_INSTALLED);

    /* The built-in WMA encoder serves WMA v2 when libavcodec is absent. */
    unsetenv("WMWRITER_WMA_ENCODER");
    refused_as(dir, &V70_6_VOICE_AUDIO, "voice.wma", NS_E_AUDIO_CODEC_NOT_INSTALLED, "no audio encoder");
    char path[1024];
    wm_t_path(path, sizeof path, dir, "audio_builtin.wma");
    WMWriter *w = NULL;
    CHECK_HR(wm_create_writer(&w), S_OK);
    CHECK_HR(wm_writer_set_profile_by_id(w, &V80_128_STEREO_AUDIO), S_OK);
    CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
    CHECK_HR(wm_writer_begin_writing(w), S_OK);
    for (int i = 0; i < 10; i++) { /* 10 x 100 ms of a 16-bit stereo ramp */
        WMBuffer *b = NULL;
        uint8_t *d = NULL;
        CHECK_HR(wm_writer_allocate_sample(w, 17640, &b), S_OK);
        if (!b) break;
        wm_buffer_get_buffer(b, &d);
        for (int k = 0; k < 4410; k++) {
            int16_t v = (int16_t)(((k + i * 4410) % 200) * 100 - 10000);
            memcpy(d + k * 4, &v, 2);
            memcpy(d + k * 4 + 2, &v, 2);
        }
        wm_buffer_set_length(b, 17640);
        CHECK_HR(wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b), S_OK);
        wm_buffer_release(b);
    }
    CHECK_HR(wm_writer_end_writing(w), S_OK);
    CHECK_EQ_U(wm_writer_release(w), 0);
    wm_t_asf_info info;
    CHECK(wm_t_check_finished_asf(path, &info) == 0);
    CHECK(info.play_duration > info.preroll * 10000); /* a play duration beyond the preroll */
    return wm_t_summary();
}
