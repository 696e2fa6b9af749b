/* Sinks: IWMWriterAdvanced AddSink / RemoveSink / GetSinkCount / GetSink, file sinks
 * (WMCreateWriterFileSink + Open) and application callback sinks (IWMWriterSink). */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint8_t *data;
  size_t len, cap;
  int headers, units, ends, destroyed;
  uint32_t unit_size;
  int fail_after_units; /* <0: never */
} Mem;

static void mem_put(Mem *m, size_t at, const uint8_t *d, size_t n) {
  if (at + n > m->cap) {
    m->cap = (at + n) * 2;
    m->data = realloc(m->data, m->cap);
  }
  memcpy(m->data + at, d, n);
  if (at + n > m->len) m->len = at + n;
}
static HRESULT on_header(void *c, const uint8_t *d, uint32_t n) {
  Mem *m = c;
  m->headers++;
  mem_put(m, 0, d, n); /* the first at 0; the final one over it */
  return S_OK;
}
static HRESULT on_unit(void *c, const uint8_t *d, uint32_t n) {
  Mem *m = c;
  if (m->fail_after_units >= 0 && m->units >= m->fail_after_units) return E_FAIL;
  m->units++;
  if (m->unit_size == 0) m->unit_size = n;
  if (n != m->unit_size) return E_UNEXPECTED; /* every data unit is one packet */
  mem_put(m, m->len, d, n);
  return S_OK;
}
static HRESULT on_end(void *c, const uint8_t *d, uint32_t n) {
  Mem *m = c;
  m->ends++;
  mem_put(m, m->len, d, n);
  return S_OK;
}
static void destroy(void *c) { ((Mem *)c)->destroyed++; }

/* One PCM stream, from the shared helper in test_util.h. */
static WMProfile *pcm_profile(void) {
  wm_t_pcm_spec spec = {2, 44100, 16, 0, 1411200, 0, NULL};
  return wm_t_pcm_profile(&spec, 1);
}

static HRESULT write_tone(WMWriter *w, int samples) {
  HRESULT hr = wm_writer_begin_writing(w);
  if (hr < 0) return hr;
  for (int i = 0; i < samples; i++) {
    WMBuffer *b = NULL;
    uint8_t *d = NULL;
    if ((hr = wm_writer_allocate_sample(w, 17640, &b)) < 0) break;
    wm_buffer_get_buffer(b, &d);
    for (int k = 0; k < 17640; k++) d[k] = (uint8_t)(k * 7 + i);
    wm_buffer_set_length(b, 17640);
    hr = wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b);
    wm_buffer_release(b);
    if (hr < 0) break;
  }
  HRESULT end = wm_writer_end_writing(w);
  return hr < 0 ? hr : end;
}

int main(int argc, char **argv) {
  const char *dir = wm_t_outdir(argc, argv);
  char file_a[1024], file_b[1024];
  wm_t_path(file_a, sizeof file_a, dir, "sink_file.wma");
  wm_t_path(file_b, sizeof file_b, dir, "sink_filename.wma");
  WMProfile *p = pcm_profile();
  WMWriter *w = NULL;
  CHECK_HR(wm_create_writer(&w), S_OK);
  CHECK_HR(wm_writer_set_profile(w, p), S_OK);

  /* NULL arguments and empty lists. */
  WMWriterSink *s = (WMWriterSink *)0xdeadbeef;
  CHECK_HR(wm_create_writer_file_sink(NULL), E_POINTER);
  CHECK_HR(wm_create_writer_callback_sink(NULL, &s), E_INVALIDARG);
  CHECK_NULL(s);
  WMWriterSinkCallbacks none;
  memset(&none, 0, sizeof none);
  s = (WMWriterSink *)0xdeadbeef;
  CHECK_HR(wm_create_writer_callback_sink(&none, &s), E_INVALIDARG);
  CHECK_NULL(s);
  uint32_t n = 99;
  CHECK_HR(wm_writer_get_sink_count(w, &n), S_OK);
  CHECK_EQ_U(n, 0);
  CHECK_HR(wm_writer_get_sink_count(w, NULL), E_INVALIDARG);
  s = (WMWriterSink *)0xdeadbeef;
  CHECK_HR(wm_writer_get_sink(w, 0, &s), E_INVALIDARG);
  CHECK_NULL(s);
  CHECK_HR(wm_writer_add_sink(w, NULL), E_INVALIDARG);
  CHECK_HR(wm_writer_add_sink(NULL, NULL), E_INVALIDARG);
  CHECK_HR(wm_writer_begin_writing(w), NS_E_NOT_CONFIGURED);

  /* A file sink without a file name cannot start. */
  WMWriterSink *fs = NULL;
  CHECK_HR(wm_create_writer_file_sink(&fs), S_OK);
  CHECK_HR(wm_writer_file_sink_open(fs, NULL), E_POINTER);
  CHECK_HR(wm_writer_file_sink_open(NULL, file_a), E_POINTER);
  CHECK_HR(wm_writer_file_sink_open(fs, ""), E_INVALIDARG);
  CHECK_HR(wm_writer_add_sink(w, fs), S_OK);
  CHECK_HR(wm_writer_add_sink(w, fs), E_INVALIDARG); /* already attached */
  CHECK_HR(wm_writer_begin_writing(w), NS_E_NOT_CONFIGURED);
  CHECK_LAST_ERROR("file name");
  CHECK_HR(wm_writer_file_sink_open(fs, file_a), S_OK);

  /* A seekable callback sink beside it, and set_output_filename as sink 0. */
  Mem m;
  memset(&m, 0, sizeof m);
  m.fail_after_units = -1;
  WMWriterSinkCallbacks cb = {&m, on_header, on_unit, on_end, 1, destroy};
  WMWriterSink *cs = NULL;
  CHECK_HR(wm_create_writer_callback_sink(&cb, &cs), S_OK);
  CHECK_HR(wm_writer_add_sink(w, cs), S_OK);
  CHECK_HR(wm_writer_set_output_filename(w, file_b), S_OK);
  CHECK_HR(wm_writer_get_sink_count(w, &n), S_OK);
  CHECK_EQ_U(n, 3);
  WMWriterSink *got = NULL;
  CHECK_HR(wm_writer_get_sink(w, 1, &got), S_OK);
  CHECK(got == fs);
  CHECK_EQ_U(wm_writer_sink_release(got), 2); /* ours + the writer's */
  CHECK_HR(write_tone(w, 20), S_OK);
  CHECK_EQ_U(m.headers, 2);
  CHECK_EQ_U(m.ends, 1);
  /* 20 x 17640 PCM bytes fill 22 packets of 16384 bytes (the default for PCM into sinks
   * that are not real time; PCM is split across packets). */
  CHECK_EQ_U(m.units, 22);

  /* All three outputs are the same bytes. */
  size_t la = 0, lb = 0;
  uint8_t *a = wm_t_read_file(file_a, &la);
  uint8_t *b = wm_t_read_file(file_b, &lb);
  CHECK(a && b);
  CHECK_EQ_U(la, lb);
  CHECK_EQ_U(la, m.len);
  CHECK(a && b && la == lb && memcmp(a, b, la) == 0);
  CHECK(a && la == m.len && memcmp(a, m.data, la) == 0);
  free(a);
  free(b);

  /* Writing: sinks cannot be added or removed. */
  CHECK_HR(wm_writer_begin_writing(w), S_OK);
  CHECK_HR(wm_writer_add_sink(w, cs), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_remove_sink(w, cs), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_file_sink_open(fs, file_b), NS_E_INVALID_REQUEST);
  CHECK_HR(wm_writer_end_writing(w), S_OK);

  /* Remove: S_OK, then S_FALSE. */
  CHECK_HR(wm_writer_remove_sink(w, cs), S_OK);
  CHECK_HR(wm_writer_remove_sink(w, cs), S_FALSE);
  CHECK_HR(wm_writer_remove_sink(w, fs), S_OK);
  CHECK_HR(wm_writer_get_sink_count(w, &n), S_OK);
  CHECK_EQ_U(n, 1);
  CHECK_EQ_U(m.destroyed, 0);
  CHECK_EQ_U(wm_writer_sink_release(cs), 0);
  CHECK_EQ_U(m.destroyed, 1);
  free(m.data);

  /* A non-seekable callback sink gets the streaming layout: one header, no index, broadcast flag. */
  Mem st;
  memset(&st, 0, sizeof st);
  st.fail_after_units = -1;
  WMWriterSinkCallbacks cb2 = {&st, on_header, on_unit, on_end, 0, destroy};
  WMWriterSink *ss = NULL;
  WMWriter *w2 = NULL;
  CHECK_HR(wm_create_writer(&w2), S_OK);
  CHECK_HR(wm_writer_set_profile(w2, p), S_OK);
  CHECK_HR(wm_create_writer_callback_sink(&cb2, &ss), S_OK);
  CHECK_HR(wm_writer_add_sink(w2, ss), S_OK);
  CHECK_HR(write_tone(w2, 10), S_OK);
  CHECK_EQ_U(st.headers, 1);
  CHECK(st.len > 134);
  /* File Properties: first child at 30; flags at +88 (broadcast = 1), packets at +56 (0). */
  if (st.len > 134) {
    CHECK_EQ_U(st.data[30 + 88] & 3, 1);
    uint64_t packets = 0;
    for (int k = 7; k >= 0; k--) packets = (packets << 8) | st.data[30 + 56 + k];
    CHECK_EQ_U(packets, 0);
  }
  char stream_path[1024];
  wm_t_path(stream_path, sizeof stream_path, dir, "sink_stream.wma");
  CHECK(wm_t_write_file(stream_path, st.data, st.len));
  free(st.data);

  /* A callback failure ends the session with NS_E_FILE_WRITE and names the callback. */
  Mem bad;
  memset(&bad, 0, sizeof bad);
  bad.fail_after_units = 3;
  WMWriterSinkCallbacks cb3 = {&bad, on_header, on_unit, on_end, 1, NULL};
  WMWriterSink *bs = NULL;
  CHECK_HR(wm_writer_remove_sink(w2, ss), S_OK);
  CHECK_HR(wm_create_writer_callback_sink(&cb3, &bs), S_OK);
  CHECK_HR(wm_writer_add_sink(w2, bs), S_OK);
  CHECK_HR(write_tone(w2, 40), NS_E_FILE_WRITE);
  CHECK_LAST_ERROR("on_data_unit");
  CHECK_EQ_U(bad.units, 3);
  free(bad.data);

  /* The streamed file plays in ffprobe with all its packets. */
  if (wm_t_have_tool("ffprobe")) {
    char cmd[2048], out[64];
    snprintf(cmd, sizeof cmd, "ffprobe -v error -show_packets '%s' | grep -c '\\[PACKET\\]'", stream_path);
    CHECK(wm_t_run_capture(cmd, out, sizeof out) == 0);
    CHECK_EQ_U(strtoul(out, NULL, 10), 10);
  } else if (wm_t_tools_required()) {
    CHECK(!"ffprobe is required");
  }

  wm_writer_sink_release(ss);
  wm_writer_sink_release(bs);
  wm_writer_sink_release(fs);
  wm_writer_release(w2);
  wm_writer_release(w);
  wm_profile_release(p);
  return wm_t_summary();
}
