/* IWMWriterAdvanced 1-3 (live source, real time, writer time, statistics, non-blocking,
 * input settings), IWMWriterPreprocess (0 passes for a PCM input) and IWMWriterFileSink2/3
 * (file size, duration, early close, mode). */
#include "test_util.h"

#include <string.h>

/* One PCM stream, from the shared helper in test_util.h. */
static WMProfile *pcm_profile(void) {
  wm_t_pcm_spec spec = {1, 8000, 16, 0, 128000, 0, NULL};
  return wm_t_pcm_profile(&spec, 1);
}

/* Samples first .. first+n-1: 1600 bytes (100 ms at 8 kHz mono 16-bit) each, 1 s apart. */
static void write_samples(WMWriter *w, int first, int n) {
  for (int i = first; i < first + n; i++) {
    WMBuffer *b = NULL;
    uint8_t *d = NULL;
    CHECK_HR(wm_writer_allocate_sample(w, 1600, &b), S_OK);
    CHECK_HR(wm_buffer_get_buffer(b, &d), S_OK);
    memset(d, i, 1600);
    CHECK_HR(wm_buffer_set_length(b, 1600), S_OK);
    CHECK_HR(wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b), S_OK);
    wm_buffer_release(b);
  }
}

int main(int argc, char **argv) {
  const char *dir = wm_t_outdir(argc, argv);
  char path[1024], path2[1024];
  wm_t_path(path, sizeof path, dir, "advanced.wma");
  wm_t_path(path2, sizeof path2, dir, "advanced_closed.wma");
  WMProfile *p = pcm_profile();
  WMWriter *w = NULL;
  CHECK_HR(wm_create_writer(&w), S_OK);

  /* Live source / real time / non-blocking: any state. */
  int32_t rt = 7;
  CHECK_HR(wm_writer_is_real_time(w, &rt), S_OK);
  CHECK_EQ_U(rt, 0);
  CHECK_HR(wm_writer_set_live_source(w, 1), S_OK);
  CHECK_HR(wm_writer_is_real_time(w, &rt), S_OK);
  CHECK_EQ_U(rt, 1);
  CHECK_HR(wm_writer_set_live_source(w, 0), S_OK);
  CHECK_HR(wm_writer_is_real_time(w, NULL), E_INVALIDARG);
  CHECK_HR(wm_writer_is_real_time(NULL, &rt), E_POINTER);
  CHECK_HR(wm_writer_set_non_blocking(w), S_OK);
  CHECK_HR(wm_writer_set_non_blocking(NULL), E_POINTER);

  /* Statistics before writing: zeros; NULL → E_POINTER (documented). */
  WM_WRITER_STATISTICS st;
  memset(&st, 0xAB, sizeof st);
  CHECK_HR(wm_writer_get_statistics(w, 0, &st), S_OK);
  CHECK_EQ_U(st.qwSampleCount, 0);
  CHECK_HR(wm_writer_get_statistics(w, 0, NULL), E_POINTER);
  WM_WRITER_STATISTICS_EX sx;
  memset(&sx, 0xAB, sizeof sx);
  CHECK_HR(wm_writer_get_statistics_ex(w, 0, &sx), NS_E_INVALID_REQUEST);
  CHECK_EQ_U(sx.dwBitratePlusOverhead, 0);
  uint64_t t = 99;
  CHECK_HR(wm_writer_get_writer_time(w, &t), S_OK);
  CHECK_EQ_U(t, 0);

  /* Input settings and preprocessing need a profile. */
  uint32_t on = 1, passes = 9;
  CHECK_HR(wm_writer_set_input_setting(w, 0, "FixedFrameRate", WMT_TYPE_BOOL, (const uint8_t *)&on, 4), NS_E_NOT_CONFIGURED);
  CHECK_HR(wm_writer_get_max_preprocessing_passes(w, 0, 0, &passes), NS_E_NOT_CONFIGURED);
  CHECK_EQ_U(passes, 0);
  CHECK_HR(wm_writer_set_profile(w, p), S_OK);
  /* A video setting on this audio input has no effect: refused, not stored (the
   * round trip on a video input is in tests/input_settings.rs). */
  CHECK_HR(wm_writer_set_input_setting(w, 0, "FixedFrameRate", WMT_TYPE_BOOL, (const uint8_t *)&on, 4), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_set_input_setting(w, 0, "WatermarkConfig", WMT_TYPE_STRING, (const uint8_t *)"x", 2), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_set_input_setting(w, 0, "FixedFrameRate", WMT_TYPE_DWORD, (const uint8_t *)&on, 4), E_INVALIDARG);
  CHECK_HR(wm_writer_set_input_setting(w, 0, "NoSuchSetting", WMT_TYPE_BOOL, (const uint8_t *)&on, 4), E_INVALIDARG);
  CHECK_HR(wm_writer_set_input_setting(w, 1, "FixedFrameRate", WMT_TYPE_BOOL, (const uint8_t *)&on, 4), E_INVALIDARG);
  CHECK_HR(wm_writer_set_input_setting(w, 0, NULL, WMT_TYPE_BOOL, (const uint8_t *)&on, 4), E_INVALIDARG);
  CHECK_HR(wm_writer_set_input_setting(w, 0, "FixedFrameRate", WMT_TYPE_BOOL, NULL, 4), E_INVALIDARG);
  WMT_ATTR_DATATYPE ty = 77;
  uint8_t val[8];
  uint16_t len = sizeof val;
  CHECK_HR(wm_writer_get_input_setting(w, 0, "FixedFrameRate", &ty, val, &len), ASF_E_NOTFOUND);
  CHECK_EQ_U(ty, 0);
  ty = 77;
  CHECK_HR(wm_writer_get_input_setting(w, 0, "DeinterlaceMode", &ty, val, &len), ASF_E_NOTFOUND);
  CHECK_EQ_U(ty, 0);
  CHECK_HR(wm_writer_get_max_preprocessing_passes(w, 0, 0, &passes), S_OK);
  CHECK_EQ_U(passes, 0);
  CHECK_HR(wm_writer_get_max_preprocessing_passes(w, 5, 0, &passes), E_INVALIDARG);
  CHECK_HR(wm_writer_set_num_preprocessing_passes(w, 0, 0, 0), S_OK);
  CHECK_HR(wm_writer_set_num_preprocessing_passes(w, 0, 0, 1), NS_E_INVALID_NUM_PASSES);
  CHECK_HR(wm_writer_begin_preprocessing_pass(w, 0, 0), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_preprocess_sample(w, 0, 0, 0, NULL), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_end_preprocessing_pass(w, 0, 0), NS_E_INVALID_REQUEST);

  /* Two file sinks; one is closed half way. */
  WMWriterSink *a = NULL, *b = NULL;
  CHECK_HR(wm_create_writer_file_sink(&a), S_OK);
  CHECK_HR(wm_create_writer_file_sink(&b), S_OK);
  CHECK_HR(wm_writer_file_sink_open(a, path), S_OK);
  CHECK_HR(wm_writer_file_sink_open(b, path2), S_OK);
  CHECK_HR(wm_writer_add_sink(w, a), S_OK);
  CHECK_HR(wm_writer_add_sink(w, b), S_OK);
  uint32_t mode = 0;
  CHECK_HR(wm_writer_file_sink_get_mode(a, &mode), S_OK);
  CHECK_EQ_U(mode, WMT_FM_SINGLE_BUFFERS | WMT_FM_FILESINK_DATA_UNITS | WMT_FM_FILESINK_UNBUFFERED);
  CHECK_HR(wm_writer_begin_writing(w), S_OK);
  CHECK_HR(wm_writer_set_input_setting(w, 0, "FixedFrameRate", WMT_TYPE_BOOL, (const uint8_t *)&on, 4), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_set_input_setting(w, 0, "DeinterlaceMode", WMT_TYPE_DWORD, (const uint8_t *)&on, 4), NS_E_INVALID_REQUEST);
  write_samples(w, 0, 20);
  int32_t closed = 7;
  CHECK_HR(wm_writer_file_sink_is_closed(b, &closed), S_OK);
  CHECK_EQ_U(closed, 0);
  CHECK_HR(wm_writer_file_sink_close(b), S_OK);
  CHECK_HR(wm_writer_file_sink_is_closed(b, &closed), S_OK);
  CHECK_EQ_U(closed, 1);
  uint64_t closed_size = 0;
  CHECK_HR(wm_writer_file_sink_get_file_size(b, &closed_size), S_OK);
  /* Writing goes on into the other sink after one is closed. */
  write_samples(w, 20, 20);
  uint64_t closed_size_later = 0;
  CHECK_HR(wm_writer_file_sink_get_file_size(b, &closed_size_later), S_OK);
  CHECK_EQ_U(closed_size_later, closed_size);
  CHECK_HR(wm_writer_get_writer_time(w, &t), S_OK);
  CHECK_EQ_U(t, 39 * 1000000ULL);
  CHECK_HR(wm_writer_get_statistics(w, 0, &st), S_OK);
  CHECK_EQ_U(st.qwSampleCount, 40);
  CHECK_EQ_U(st.qwByteCount, 64000);
  CHECK_EQ_U(st.qwDroppedSampleCount, 0);
  CHECK_EQ_U(st.dwExpectedBitrate, 128000);
  CHECK(st.dwAverageBitrate > 100000);
  CHECK_HR(wm_writer_get_statistics(w, 2, &st), E_INVALIDARG);
  CHECK_HR(wm_writer_get_statistics_ex(w, 0, &sx), S_OK);
  CHECK(sx.dwBitratePlusOverhead > 0);
  CHECK_HR(wm_writer_end_writing(w), S_OK);

  uint64_t size = 0, dur = 0;
  CHECK_HR(wm_writer_file_sink_get_file_size(a, &size), S_OK);
  size_t real = 0;
  uint8_t *bytes = wm_t_read_file(path, &real);
  CHECK(bytes != NULL);
  free(bytes);
  CHECK_EQ_U(size, real);
  CHECK_HR(wm_writer_file_sink_get_file_duration(a, &dur), S_OK);
  CHECK(dur >= 39 * 1000000ULL && dur <= 41 * 1000000ULL); /* all 40 samples reached sink a */
  uint64_t junk = 5;
  CHECK_HR(wm_writer_file_sink_get_file_size(NULL, &junk), E_POINTER);
  CHECK_EQ_U(junk, 0);
  CHECK_HR(wm_writer_file_sink_get_file_size(a, NULL), E_INVALIDARG);
  /* The closed sink's file keeps what it had when closed. */
  bytes = wm_t_read_file(path2, &real);
  CHECK(bytes != NULL);
  free(bytes);
  CHECK_EQ_U(real, closed_size);
  /* Sink a holds the 20 samples written after b closed: at least their 32000 bytes more. */
  CHECK(closed_size + 20 * 1600 <= size);

  wm_writer_sink_release(a);
  wm_writer_sink_release(b);
  wm_writer_release(w);
  wm_profile_release(p);
  return wm_t_summary();
}
