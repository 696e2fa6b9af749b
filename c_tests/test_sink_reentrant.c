/* A callback sink whose callbacks call writer functions (issue 10): sinks run outside
 * the writer's lock, so wm_writer_get_statistics, wm_writer_get_writer_time,
 * wm_writer_get_sink_count and the sink's own getters work from inside on_header,
 * on_data_unit and on_end_writing, while a second thread polls the statistics too.
 * The file must come out complete: its length equals the header's file size and the
 * data units equal the header's packet count. The last callback also runs a whole
 * session of a second writer, which must deliver its own events. alarm() turns a
 * deadlock into a failure. */
#include "test_util.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  WMWriter *w;
  WMWriterSink *sink;
  uint8_t *data;
  size_t len, cap;
  int headers, units, ends;
  uint32_t unit_size;
  uint64_t max_samples_seen; /* qwSampleCount seen from inside on_data_unit */
  uint64_t last_size_seen;   /* the sink's file size seen from inside a callback */
  int call_failures;
} Ctx;

static void put(Ctx *c, size_t at, const uint8_t *d, size_t n) {
  if (at + n > c->cap) {
    c->cap = (at + n) * 2;
    c->data = realloc(c->data, c->cap);
  }
  memcpy(c->data + at, d, n);
  if (at + n > c->len) c->len = at + n;
}

/* Calls back into the writer; counts anything that did not succeed. */
static void poke(Ctx *c) {
  WM_WRITER_STATISTICS st;
  uint64_t t = 0, size = 0;
  uint32_t n = 0;
  if (wm_writer_get_statistics(c->w, 0, &st) != S_OK) c->call_failures++;
  else if (st.qwSampleCount > c->max_samples_seen) c->max_samples_seen = st.qwSampleCount;
  if (wm_writer_get_writer_time(c->w, &t) != S_OK) c->call_failures++;
  if (wm_writer_get_sink_count(c->w, &n) != S_OK || n != 1) c->call_failures++;
  if (wm_writer_file_sink_get_file_size(c->sink, &size) != S_OK) c->call_failures++;
  else c->last_size_seen = size;
}

static HRESULT on_header(void *p, const uint8_t *d, uint32_t n) {
  Ctx *c = p;
  c->headers++;
  poke(c);
  put(c, 0, d, n);
  return S_OK;
}
static HRESULT on_unit(void *p, const uint8_t *d, uint32_t n) {
  Ctx *c = p;
  c->units++;
  if (c->unit_size == 0) c->unit_size = n;
  poke(c);
  put(c, c->len, d, n);
  return S_OK;
}
/* A second writer, driven from inside the first writer's on_end_writing: it must
 * deliver its own events (its file is complete when its end_writing returns). */
static Ctx other;
static int other_result = -1;

static HRESULT plain_header(void *p, const uint8_t *d, uint32_t n) {
  Ctx *c = p;
  c->headers++;
  put(c, 0, d, n);
  return S_OK;
}
static HRESULT plain_unit(void *p, const uint8_t *d, uint32_t n) {
  Ctx *c = p;
  c->units++;
  put(c, c->len, d, n);
  return S_OK;
}
static HRESULT plain_end(void *p, const uint8_t *d, uint32_t n) {
  Ctx *c = p;
  c->ends++;
  put(c, c->len, d, n);
  return S_OK;
}

static void run_other_writer(void) {
  wm_t_pcm_spec spec = {1, 8000, 16, 0, 128000, 0, NULL};
  WMProfile *p = wm_t_pcm_profile(&spec, 1);
  WMWriterSinkCallbacks cb = {&other, plain_header, plain_unit, plain_end, 1, NULL};
  HRESULT hr = wm_create_writer(&other.w);
  if (hr == S_OK) hr = wm_writer_set_profile(other.w, p);
  if (hr == S_OK) hr = wm_create_writer_callback_sink(&cb, &other.sink);
  if (hr == S_OK) hr = wm_writer_add_sink(other.w, other.sink);
  if (hr == S_OK) hr = wm_writer_begin_writing(other.w);
  if (hr == S_OK) {
    uint8_t pcm[1600];
    memset(pcm, 5, sizeof pcm);
    WMBuffer *b = NULL;
    uint8_t *d = NULL;
    hr = wm_writer_allocate_sample(other.w, sizeof pcm, &b);
    if (hr == S_OK) {
      wm_buffer_get_buffer(b, &d);
      memcpy(d, pcm, sizeof pcm);
      wm_buffer_set_length(b, sizeof pcm);
      hr = wm_writer_write_sample(other.w, 0, 0, 0, b);
      wm_buffer_release(b);
    }
    HRESULT end = wm_writer_end_writing(other.w);
    if (hr == S_OK) hr = end;
  }
  /* Complete already, before anything returns to the first writer. */
  if (hr == S_OK && !(other.headers == 2 && other.ends == 1 && other.units >= 1)) hr = E_FAIL;
  other_result = hr;
  wm_profile_release(p);
  wm_writer_sink_release(other.sink);
  wm_writer_release(other.w);
}

static HRESULT on_end(void *p, const uint8_t *d, uint32_t n) {
  Ctx *c = p;
  c->ends++;
  poke(c);
  put(c, c->len, d, n);
  run_other_writer();
  return S_OK;
}

static int stop_polling = 0; /* atomic (__atomic builtins) */
static long polls_done = 0; /* atomic (__atomic builtins): the poller thread counts */
static void *poller(void *p) {
  WMWriter *w = p;
  while (!__atomic_load_n(&stop_polling, __ATOMIC_RELAXED)) {
    WM_WRITER_STATISTICS st;
    wm_writer_get_statistics(w, 0, &st);
    __atomic_fetch_add(&polls_done, 1, __ATOMIC_RELAXED);
    sched_yield(); /* contend, but let the writing thread run (valgrind serialises threads) */
  }
  return NULL;
}

static uint64_t le64(const uint8_t *b) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}

static void on_alarm(int sig) {
  (void)sig;
  static const char msg[] = "test_sink_reentrant: timed out (deadlock?)\n";
  (void)!write(2, msg, sizeof msg - 1);
  _exit(1);
}

int main(void) {
  signal(SIGALRM, on_alarm);
  alarm(120);
  wm_t_pcm_spec spec = {2, 44100, 16, 0, 1411200, 0, NULL};
  WMProfile *p = wm_t_pcm_profile(&spec, 1);
  Ctx c;
  memset(&c, 0, sizeof c);
  CHECK_HR(wm_create_writer(&c.w), S_OK);
  CHECK_HR(wm_writer_set_profile(c.w, p), S_OK);
  CHECK_HR(wm_profile_release(p), S_OK);
  WMWriterSinkCallbacks cb = {&c, on_header, on_unit, on_end, 1, NULL};
  CHECK_HR(wm_create_writer_callback_sink(&cb, &c.sink), S_OK);
  CHECK_HR(wm_writer_add_sink(c.w, c.sink), S_OK);

  pthread_t th;
  CHECK(pthread_create(&th, NULL, poller, c.w) == 0);
  while (__atomic_load_n(&polls_done, __ATOMIC_RELAXED) == 0) sched_yield(); /* the poller runs before and during the session */
  CHECK_HR(wm_writer_begin_writing(c.w), S_OK);
  const int samples = 40;
  for (int i = 0; i < samples; i++) {
    WMBuffer *b = NULL;
    uint8_t *d = NULL;
    CHECK_HR(wm_writer_allocate_sample(c.w, 17640, &b), S_OK);
    wm_buffer_get_buffer(b, &d);
    for (int k = 0; k < 17640; k++) d[k] = (uint8_t)(k * 7 + i);
    wm_buffer_set_length(b, 17640);
    CHECK_HR(wm_writer_write_sample(c.w, 0, (uint64_t)i * 1000000, 0, b), S_OK);
    wm_buffer_release(b);
  }
  CHECK_HR(wm_writer_end_writing(c.w), S_OK);
  __atomic_store_n(&stop_polling, 1, __ATOMIC_RELAXED);
  pthread_join(th, NULL);
  CHECK(__atomic_load_n(&polls_done, __ATOMIC_RELAXED) > 0);

  CHECK_EQ_U(c.call_failures, 0);
  CHECK_HR(other_result, S_OK); /* a second writer run from inside a callback works */
  free(other.data);
  CHECK_EQ_U(c.headers, 2); /* first header + final header (can_seek) */
  CHECK_EQ_U(c.ends, 1);
  CHECK(c.units > 10);
  CHECK_EQ_U(c.max_samples_seen, samples); /* the statistics were read from inside on_data_unit */
  CHECK(c.last_size_seen > 0);
  /* The file is complete: File Properties (at 30) has the file size at +40 and the
   * packet count at +56; the Data Object follows the Header Object. */
  CHECK(c.len > 200);
  if (c.len > 200) {
    uint64_t header_len = le64(c.data + 16);
    CHECK_EQ_U(le64(c.data + 30 + 40), c.len);
    CHECK_EQ_U(le64(c.data + 30 + 56), (uint64_t)c.units);
    CHECK_EQ_U(le64(c.data + header_len + 40), (uint64_t)c.units); /* Data Object packet count */
    CHECK_EQ_U(header_len + 50 + (uint64_t)c.units * c.unit_size <= c.len, 1);
  }
  uint64_t size = 0;
  CHECK_HR(wm_writer_file_sink_get_file_size(c.sink, &size), S_OK);
  CHECK_EQ_U(size, c.len);

  CHECK_EQ_U(wm_writer_sink_release(c.sink), 1); /* the writer still holds it */
  CHECK_EQ_U(wm_writer_release(c.w), 0);
  free(c.data);
  return wm_t_summary();
}
