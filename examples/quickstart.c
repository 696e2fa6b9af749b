/* quickstart.c: one second of a 440 Hz tone as 16-bit mono 44.1 kHz PCM in a .wma file */
#include <math.h>
#include <stdio.h>
#include "wmwriter.h"
#define CHECK(call) do { HRESULT hr = (call); if (hr < 0) { fprintf(stderr, "%s: %s: %s\n", #call, \
    wm_hresult_name(hr), wm_get_last_error_message()); return 1; } } while (0)
int main(int argc, char **argv) {
    uint8_t wfx[18] = {1, 0, 1, 0, 0x44, 0xAC, 0, 0, 0x88, 0x58, 1, 0, 2, 0, 16, 0, 0, 0}; /* PCM 1 ch 44100 Hz 16-bit */
    WM_MEDIA_TYPE mt = {WMMEDIATYPE_Audio, WMMEDIASUBTYPE_PCM, 1, 0, 2, WMFORMAT_WaveFormatEx, NULL, sizeof wfx, wfx};
    WMProfileManager *pm; WMProfile *profile; WMStreamConfig *stream; WMWriter *w; WMBuffer *buf; uint8_t *p;
    CHECK(wm_create_profile_manager(&pm)); CHECK(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &profile));
    CHECK(wm_profile_create_new_stream(profile, &WMMEDIATYPE_Audio, &stream));
    CHECK(wm_stream_config_set_media_type(stream, &mt));
    CHECK(wm_stream_config_set_bitrate(stream, 44100 * 16));
    CHECK(wm_stream_config_set_connection_name(stream, "Audio"));
    CHECK(wm_profile_add_stream(profile, stream));
    CHECK(wm_create_writer(&w)); CHECK(wm_writer_set_profile(w, profile));
    CHECK(wm_writer_set_output_filename(w, argc > 1 ? argv[1] : "quickstart.wma"));
    CHECK(wm_writer_begin_writing(w));
    for (int i = 0; i < 10; i++) { /* ten 100 ms samples of 4410 frames, a new buffer for each */
        CHECK(wm_writer_allocate_sample(w, 8820, &buf)); CHECK(wm_buffer_get_buffer(buf, &p));
        for (int n = 0; n < 4410; n++) { /* 440 Hz: 2 pi 440 / 44100 rad per frame; little-endian 16-bit */
            int16_t s = (int16_t)(8000 * sin(0.0626894 * (i * 4410 + n))); p[2 * n] = s & 0xFF; p[2 * n + 1] = (s >> 8) & 0xFF; }
        CHECK(wm_buffer_set_length(buf, 8820));
        CHECK(wm_writer_write_sample(w, 0, i * 1000000ULL, 0, buf)); /* input 0, time in 100 ns */
        wm_buffer_release(buf); /* the writer holds its own reference until the bytes are out */
    }
    CHECK(wm_writer_end_writing(w));
    wm_writer_release(w); wm_stream_config_release(stream); wm_profile_release(profile); wm_profile_manager_release(pm);
}
