/* Packet geometry is checked once, at begin_writing (issue 10): 100-byte packets with
 * an 80-byte data unit extension fail there with NS_E_MAX_PACKET_SIZE_TOO_SMALL and a
 * message naming the packet size, and no file is created; 68 bytes still fit. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static HRESULT try_write(const char *path, uint16_t ext_size) {
  wm_t_pcm_spec spec = {1, 8000, 16, 0, 128000, 0, NULL};
  WMProfile *p = wm_t_pcm_profile(&spec, 1);
  WMStreamConfig *sc = NULL;
  CHECK_HR(wm_profile_get_stream(p, 0, &sc), S_OK);
  WMGuid id = {0x12345678, 1, 2, {3, 3, 3, 3, 3, 3, 3, 3}};
  CHECK_HR(wm_stream_config_add_data_unit_extension(sc, &id, ext_size, NULL, 0), S_OK);
  CHECK_HR(wm_profile_reconfig_stream(p, sc), S_OK);
  wm_stream_config_release(sc);
  CHECK_HR(wm_profile_set_max_packet_size(p, 100), S_OK);
  WMWriter *w = NULL;
  CHECK_HR(wm_create_writer(&w), S_OK);
  CHECK_HR(wm_writer_set_profile(w, p), S_OK);
  wm_profile_release(p);
  CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
  HRESULT hr = wm_writer_begin_writing(w);
  if (hr == S_OK) {
    uint8_t pcm[400];
    memset(pcm, 1, sizeof pcm);
    WMBuffer *b = wm_t_sample(w, pcm, sizeof pcm);
    CHECK_HR(wm_writer_write_sample(w, 0, 0, 0, b), S_OK);
    wm_buffer_release(b);
    CHECK_HR(wm_writer_end_writing(w), S_OK);
  } else {
    const char *msg = wm_t_last_error();
    CHECK(msg && strstr(msg, "packet size 100") != NULL);
  }
  CHECK_EQ_U(wm_writer_release(w), 0);
  return hr;
}

int main(int argc, char **argv) {
  const char *dir = wm_t_outdir(argc, argv);
  char path[1024];
  wm_t_path(path, sizeof path, dir, "geometry.wma");
  unlink(path);
  CHECK_HR(try_write(path, 80), NS_E_MAX_PACKET_SIZE_TOO_SMALL);
  CHECK(access(path, F_OK) != 0); /* no half-written file */
  CHECK_HR(try_write(path, 68), S_OK);
  CHECK(access(path, F_OK) == 0);
  FILE *f = fopen(path, "rb");
  long size = 0;
  if (f) {
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fclose(f);
  }
  CHECK(size > 100);
  unlink(path);
  /* Below 100 bytes the C setter already refuses the size. */
  WMProfile *p = wm_t_pcm_profile(&(wm_t_pcm_spec){1, 8000, 16, 0, 128000, 0, NULL}, 1);
  CHECK_HR(wm_profile_set_max_packet_size(p, 50), E_INVALIDARG);
  wm_profile_release(p);
  return wm_t_summary();
}
