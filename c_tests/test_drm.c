/*
 * test_drm: IWMDRMWriter 1-3 are refused by design (no DRM system exists to bind to):
 * every method returns NS_E_DRM_UNABLE_TO_INITIALIZE with a message, zeroes its size
 * out-params, NULL writer -> E_POINTER, and the writer afterwards still writes an
 * unprotected file that is complete.
 */
#include <string.h>
#include "test_util.h"

#define MS (10000ull)
static const wm_t_pcm_spec SPEC = {2, 44100, 16, 0, 0, 0, "A"};
static uint8_t g_pcm[4410u * 4u];

int main(int argc, char **argv) {
    const char *dir = wm_t_outdir(argc, argv);
    WMWriter *w = NULL;
    char seed[64] = "x", pub[64], priv[64];
    uint32_t len = 64, len2 = 64;
    uint8_t v[4] = {1, 2, 3, 4};
    CHECK_HR(wm_create_writer(&w), S_OK);

    CHECK_HR(wm_writer_generate_key_seed(w, seed, &len), NS_E_DRM_UNABLE_TO_INITIALIZE);
    CHECK_EQ_U(len, 0);
    CHECK_LAST_ERROR("no DRM system");
    len = 64;
    CHECK_HR(wm_writer_generate_key_id(w, seed, &len), NS_E_DRM_UNABLE_TO_INITIALIZE);
    CHECK_EQ_U(len, 0);
    CHECK_LAST_ERROR("wm_writer_generate_key_id");
    len = 64;
    CHECK_HR(wm_writer_generate_signing_key_pair(w, priv, &len, pub, &len2), NS_E_DRM_UNABLE_TO_INITIALIZE);
    CHECK_EQ_U(len, 0);
    CHECK_EQ_U(len2, 0);
    CHECK_HR(wm_writer_set_drm_attribute(w, 0, "Use_DRM", WMT_TYPE_BINARY, v, sizeof v), NS_E_DRM_UNABLE_TO_INITIALIZE);
    CHECK_HR(wm_writer_set_wmdrm_net_encryption(w, 1, v, sizeof v), NS_E_DRM_UNABLE_TO_INITIALIZE);
    CHECK_HR(wm_writer_set_protect_stream_samples(w, v, sizeof v), NS_E_DRM_UNABLE_TO_INITIALIZE);
    CHECK_HR(wm_writer_set_protect_stream_samples(NULL, v, sizeof v), E_POINTER);
    len = 64;
    CHECK_HR(wm_writer_generate_key_seed(NULL, seed, &len), E_POINTER);
    CHECK_EQ_U(len, 0);
    CHECK_HR(wm_writer_generate_key_seed(w, NULL, NULL), NS_E_DRM_UNABLE_TO_INITIALIZE); /* NULL never crashes */

    /* Nothing was changed: the writer writes a normal, complete file. */
    {
        WMProfile *p = wm_t_pcm_profile(&SPEC, 1);
        char path[512];
        int i;
        wm_t_path(path, sizeof path, dir, "drm_refused.wma");
        remove(path);
        CHECK_HR(wm_writer_set_profile(w, p), S_OK);
        CHECK_HR(wm_writer_set_output_filename(w, path), S_OK);
        CHECK_HR(wm_writer_begin_writing(w), S_OK);
        for (i = 0; i < 5; i++) CHECK_HR(wm_t_write(w, 0, (uint64_t)i * 100 * MS, g_pcm, sizeof g_pcm), S_OK);
        CHECK_HR(wm_writer_end_writing(w), S_OK);
        {
            wm_t_asf_info info;
            if (wm_t_check_finished_asf(path, &info) == 0) {
                CHECK_EQ_U(info.stream_count, 1);
                CHECK_EQ_U(info.play_duration, (3000 + 500) * MS);
            }
        }
        wm_profile_release(p);
    }
    CHECK_EQ_U(wm_writer_release(w), 0);
    return wm_t_summary();
}
