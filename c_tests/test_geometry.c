/* Packet geometry is checked once, at begin_writing (issue 10): 100-byte packets with
 * an 80-byte data unit extension fail there with NS_E_MAX_PACKET_SIZE_TOO_SMALL and a
 * message naming the packet size, and no file is created; 68 bytes still fit.
 * IWMPacketSize2 (issue 18): a minimum packet size makes the writer's own choice
 * larger (the file's packets and get_expected_packet_count follow it); an explicit
 * maximum still wins. */
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

/* The packet size of a 1 s, 8 kHz mono file written with (min, max) packet sizes, as
 * the file's header says (File Properties min = max packet size). */
static uint32_t packet_size_with(const char *path, uint32_t min, uint32_t max, uint64_t *expected) {
  WMProfile *p = wm_t_pcm_profile(&(wm_t_pcm_spec){1, 8000, 16, 0, 128000, 0, NULL}, 1);
  uint32_t got = 77;
  CHECK_HR(wm_profile_set_min_packet_size(p, min), S_OK);
  CHECK_HR(wm_profile_get_min_packet_size(p, &got), S_OK);
  CHECK_EQ_U(got, min);
  CHECK_HR(wm_profile_set_max_packet_size(p, max), S_OK);
  CHECK_HR(wm_profile_get_expected_packet_count(p, 10000, expected), S_OK);
  WMWriter *w = NULL;
  CHECK_HR(wm_create_writer(&w), S_OK);
  CHECK_HR(wm_writer_set_profile(w, p), S_OK);
  wm_profile_release(p);
  CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
  CHECK_HR(wm_writer_begin_writing(w), S_OK);
  uint8_t pcm[1600];
  for (int i = 0; i < 10; i++) {
    memset(pcm, i, sizeof pcm);
    WMBuffer *b = wm_t_sample(w, pcm, sizeof pcm);
    CHECK_HR(wm_writer_write_sample(w, 0, (uint64_t)i * 1000000, 0, b), S_OK);
    wm_buffer_release(b);
  }
  CHECK_HR(wm_writer_end_writing(w), S_OK);
  CHECK_EQ_U(wm_writer_release(w), 0);
  wm_t_asf_info info;
  memset(&info, 0, sizeof info);
  CHECK(wm_t_check_finished_asf(path, &info) == 0);
  unlink(path);
  return info.max_packet;
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
  uint32_t min = 5;
  CHECK_HR(wm_profile_get_min_packet_size(p, &min), S_OK);
  CHECK_EQ_U(min, 0); /* none by default */
  CHECK_HR(wm_profile_get_min_packet_size(p, NULL), E_INVALIDARG);
  CHECK_HR(wm_profile_get_min_packet_size(NULL, &min), E_POINTER);
  CHECK_EQ_U(min, 0);
  CHECK_HR(wm_profile_set_min_packet_size(NULL, 100), E_POINTER);
  wm_profile_release(p);

  /* 128 kbit/s of PCM into a file (not real time): the writer's own choice is 1 s of
   * data rounded down to 512, 15872 bytes; a minimum of 20000 makes it 20000 (and 10 s
   * then need fewer packets); an explicit maximum of 2000 still wins. */
  uint64_t e_default = 0, e_min = 0, e_max = 0;
  CHECK_EQ_U(packet_size_with(path, 0, 0, &e_default), 15872);
  CHECK_EQ_U(packet_size_with(path, 20000, 0, &e_min), 20000);
  CHECK_EQ_U(packet_size_with(path, 20000, 2000, &e_max), 2000);
  CHECK_EQ_U(packet_size_with(path, 1000, 0, &e_max), 15872); /* below the default: no effect */
  CHECK(e_min * 20000 >= 160000 && e_min < e_default);
  return wm_t_summary();
}
