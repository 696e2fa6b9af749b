/*
 * test_system_profiles.c: the SDK's system profiles and codec enumeration through the C ABI.
 *  - get_system_profile_count per set_system_profile_version: 21 (4.0, the default),
 *    26 (7.0), 27 (8.0), 0 (9.0);
 *  - every profile loads by index; its get_profile_id GUID loads the same profile by ID
 *    (same name, description, stream count); save_profile -> load_profile_by_data gives
 *    the same PRX text and a custom profile (GUID_NULL);
 *  - WMProfile_V80_256Video / _V80_128StereoAudio / _V80_28856VideoMBR have the SDK's
 *    names and the streams this library gives them;
 *  - IWMCodecInfo: whatever encoders are available, every listed format is a stream
 *    config that wm_profile_add_stream accepts; bad arguments null the out-params.
 */
#include "test_util.h"

static int guid_eq(const WMGuid *a, const WMGuid *b) { return memcmp(a, b, sizeof *a) == 0; }

static char *profile_name(WMProfile *p, int desc) {
    uint32_t n = 0;
    HRESULT hr = desc ? wm_profile_get_description(p, NULL, &n) : wm_profile_get_name(p, NULL, &n);
    if (hr < 0) return NULL;
    char *s = malloc(n);
    if (!s) return NULL;
    hr = desc ? wm_profile_get_description(p, s, &n) : wm_profile_get_name(p, s, &n);
    if (hr < 0) { free(s); return NULL; }
    return s;
}

static char *save(WMProfileManager *pm, WMProfile *p) {
    uint32_t n = 0;
    if (wm_profile_manager_save_profile(pm, p, NULL, &n) < 0) return NULL;
    char *s = malloc(n);
    if (s && wm_profile_manager_save_profile(pm, p, s, &n) < 0) { free(s); return NULL; }
    return s;
}

static void check_one(WMProfileManager *pm, WMProfile *p) {
    WMGuid id, zero;
    memset(&zero, 0, sizeof zero);
    CHECK_HR(wm_profile_get_profile_id(p, &id), S_OK);
    CHECK(!guid_eq(&id, &zero));
    WMProfile *q = (WMProfile *)0xdeadbeef;
    CHECK_HR(wm_profile_manager_load_profile_by_id(pm, &id, &q), S_OK);
    char *n1 = profile_name(p, 0), *n2 = profile_name(q, 0), *d1 = profile_name(p, 1), *d2 = profile_name(q, 1);
    CHECK(n1 && n2 && d1 && d2);
    if (n1 && n2 && d1 && d2) {
        CHECK_STR_EQ(n1, n2);
        CHECK_STR_EQ(d1, d2);
        CHECK(strlen(n1) > 5 && strlen(d1) > 5);
    }
    uint32_t c1 = 0, c2 = 0;
    CHECK_HR(wm_profile_get_stream_count(p, &c1), S_OK);
    CHECK_HR(wm_profile_get_stream_count(q, &c2), S_OK);
    CHECK_EQ_U(c1, c2);
    CHECK(c1 >= 1 && c1 <= 4);
    char *x1 = save(pm, p);
    CHECK(x1 != NULL);
    if (x1) {
        WMProfile *r = NULL;
        CHECK_HR(wm_profile_manager_load_profile_by_data(pm, x1, &r), S_OK);
        char *x2 = r ? save(pm, r) : NULL;
        CHECK(x2 && strcmp(x1, x2) == 0);
        WMGuid rid = id;
        CHECK_HR(wm_profile_get_profile_id(r, &rid), S_OK);
        CHECK(guid_eq(&rid, &zero));
        free(x2);
        wm_profile_release(r);
    }
    free(x1); free(n1); free(n2); free(d1); free(d2);
    wm_profile_release(q);
}

static void system_profiles(void) {
    WMProfileManager *pm = NULL;
    CHECK_HR(wm_create_profile_manager(&pm), S_OK);
    uint32_t n = 99, v = 0;
    CHECK_HR(wm_profile_manager_get_system_profile_version(pm, &v), S_OK);
    CHECK_EQ_U(v, WMT_VER_4_0);
    CHECK_HR(wm_profile_manager_get_system_profile_count(pm, &n), S_OK);
    CHECK_EQ_U(n, 21);
    const uint32_t versions[4] = {WMT_VER_4_0, WMT_VER_7_0, WMT_VER_8_0, WMT_VER_9_0};
    const uint32_t counts[4] = {21, 26, 27, 0};
    uint32_t total = 0;
    for (int k = 0; k < 4; k++) {
        CHECK_HR(wm_profile_manager_set_system_profile_version(pm, versions[k]), S_OK);
        CHECK_HR(wm_profile_manager_get_system_profile_count(pm, &n), S_OK);
        CHECK_EQ_U(n, counts[k]);
        for (uint32_t i = 0; i < n; i++) {
            WMProfile *p = NULL;
            CHECK_HR(wm_profile_manager_load_system_profile(pm, i, &p), S_OK);
            uint32_t pv = 0;
            CHECK_HR(wm_profile_get_version(p, &pv), S_OK);
            CHECK_EQ_U(pv, versions[k]);
            check_one(pm, p);
            wm_profile_release(p);
            total++;
        }
        WMProfile *bad = (WMProfile *)0xdeadbeef;
        CHECK_HR(wm_profile_manager_load_system_profile(pm, n, &bad), E_INVALIDARG);
        CHECK_NULL(bad);
    }
    CHECK_EQ_U(total, 74);

    /* Known profiles, by the exported IDs (the current version is 9.0: by ID works anyway). */
    WMProfile *p = NULL;
    CHECK_HR(wm_profile_manager_load_profile_by_id(pm, &WMProfile_V80_256Video, &p), S_OK);
    char *name = profile_name(p, 0);
    CHECK_STR_EQ(name, "Windows Media Video 8 for Local Area Network (256 Kbps)");
    free(name);
    uint32_t c = 0;
    CHECK_HR(wm_profile_get_stream_count(p, &c), S_OK);
    CHECK_EQ_U(c, 2);
    WMStreamConfig *s = NULL;
    CHECK_HR(wm_profile_get_stream(p, 1, &s), S_OK);
    uint32_t br = 0;
    CHECK_HR(wm_stream_config_get_bitrate(s, &br), S_OK);
    CHECK_EQ_U(br, 224000);
    wm_stream_config_release(s);
    WMGuid id;
    CHECK_HR(wm_profile_get_profile_id(p, &id), S_OK);
    CHECK(guid_eq(&id, &WMProfile_V80_256Video));
    wm_profile_release(p);

    CHECK_HR(wm_profile_manager_load_profile_by_id(pm, &WMProfile_V80_28856VideoMBR, &p), S_OK);
    CHECK_HR(wm_profile_get_mutual_exclusion_count(p, &c), S_OK);
    CHECK_EQ_U(c, 1);
    CHECK_HR(wm_profile_get_stream_count(p, &c), S_OK);
    CHECK_EQ_U(c, 4);
    wm_profile_release(p);

    CHECK_HR(wm_profile_manager_load_profile_by_id(pm, &WMProfile_V80_128StereoAudio, &p), S_OK);
    CHECK_HR(wm_profile_get_stream(p, 0, &s), S_OK);
    CHECK_HR(wm_stream_config_get_bitrate(s, &br), S_OK);
    CHECK_EQ_U(br, 128000);
    wm_stream_config_release(s);
    wm_profile_release(p);

    WMGuid unknown;
    memset(&unknown, 0x11, sizeof unknown);
    p = (WMProfile *)0xdeadbeef;
    CHECK_HR(wm_profile_manager_load_profile_by_id(pm, &unknown, &p), E_INVALIDARG);
    CHECK_NULL(p);
    p = (WMProfile *)0xdeadbeef;
    CHECK_HR(wm_profile_manager_load_profile_by_id(pm, NULL, &p), E_INVALIDARG);
    CHECK_NULL(p);

    uint16_t lang = 0;
    CHECK_HR(wm_profile_manager_get_user_language_id(pm, &lang), S_OK);
    CHECK_EQ_U(lang, 0x409);
    wm_profile_manager_release(pm);
}

static void codecs(void) {
    WMProfileManager *pm = NULL;
    CHECK_HR(wm_create_profile_manager(&pm), S_OK);
    const WMGuid *majors[2] = {&WMMEDIATYPE_Audio, &WMMEDIATYPE_Video};
    for (int m = 0; m < 2; m++) {
        uint32_t nc = 99;
        CHECK_HR(wm_profile_manager_get_codec_info_count(pm, majors[m], &nc), S_OK);
        CHECK(nc <= 6);
        for (uint32_t c = 0; c < nc; c++) {
            uint32_t len = 0;
            CHECK_HR(wm_profile_manager_get_codec_name(pm, majors[m], c, NULL, &len), S_OK);
            CHECK(len > 1);
            uint32_t t = 9, val = 9, size = 4;
            CHECK_HR(wm_profile_manager_get_codec_prop(pm, majors[m], c, "_ISVBRSUPPORTED", &t, (uint8_t *)&val, &size), S_OK);
            CHECK_EQ_U(t, 3);
            CHECK_HR(wm_profile_manager_get_codec_prop(pm, majors[m], c, "_NOSUCH", &t, (uint8_t *)&val, &size),
                     NS_E_UNSUPPORTED_PROPERTY);
            CHECK_EQ_U(t, 0);
            /* enumeration settings read back as set; format properties follow them */
            {
                uint32_t on = 1, got = 7, gt = 9, gs = 4;
                CHECK_HR(wm_profile_manager_set_codec_enumeration_setting(pm, majors[m], c, "_PASSESUSED", 0, (const uint8_t *)&on, 4), S_OK);
                CHECK_HR(wm_profile_manager_get_codec_enumeration_setting(pm, majors[m], c, "_PASSESUSED", &gt, (uint8_t *)&got, &gs), S_OK);
                CHECK_EQ_U(gt, 0);
                CHECK_EQ_U(got, 1);
                CHECK_EQ_U(gs, 4);
                gs = 4;
                CHECK_HR(wm_profile_manager_get_codec_enumeration_setting(pm, majors[m], c, "_NOSUCH", &gt, (uint8_t *)&got, &gs), NS_E_UNSUPPORTED_PROPERTY);
            }
            uint32_t nf = 0;
            CHECK_HR(wm_profile_manager_get_codec_format_count(pm, majors[m], c, &nf), S_OK);
            if (nf > 0) {
                uint32_t passes = 9, pt = 9, ps = 4;
                CHECK_HR(wm_profile_manager_get_codec_format_prop(pm, majors[m], c, 0, "_PASSESUSED", &pt, (uint8_t *)&passes, &ps), S_OK);
                CHECK_EQ_U(pt, 0);
                CHECK_EQ_U(passes, 1);
                ps = 4;
                CHECK_HR(wm_profile_manager_get_codec_format_prop(pm, majors[m], c, 0, "_NOSUCH", &pt, (uint8_t *)&passes, &ps), NS_E_UNSUPPORTED_PROPERTY);
            }
            for (uint32_t f = 0; f < nf; f++) {
                WMStreamConfig *sc = NULL;
                char desc[128];
                uint32_t dl = sizeof desc;
                CHECK_HR(wm_profile_manager_get_codec_format_desc(pm, majors[m], c, f, &sc, desc, &dl), S_OK);
                CHECK(strlen(desc) > 3);
                WMProfile *p = NULL;
                CHECK_HR(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &p), S_OK);
                CHECK_HR(wm_stream_config_set_connection_name(sc, "In"), S_OK);
                CHECK_HR(wm_profile_add_stream(p, sc), S_OK);
                wm_stream_config_release(sc);
                wm_profile_release(p);
            }
            WMStreamConfig *bad = (WMStreamConfig *)0xdeadbeef;
            CHECK_HR(wm_profile_manager_get_codec_format(pm, majors[m], c, nf, &bad), E_INVALIDARG);
            CHECK_NULL(bad);
        }
        WMStreamConfig *bad = (WMStreamConfig *)0xdeadbeef;
        CHECK_HR(wm_profile_manager_get_codec_format(pm, majors[m], nc, 0, &bad), E_INVALIDARG);
        CHECK_NULL(bad);
        uint32_t val = 1;
        CHECK_HR(wm_profile_manager_set_codec_enumeration_setting(pm, majors[m], nc, "_PASSESUSED", 0, (const uint8_t *)&val, 4),
                 E_INVALIDARG);
    }
    uint32_t n = 5;
    CHECK_HR(wm_profile_manager_get_codec_info_count(pm, &WMMEDIATYPE_Script, &n), E_INVALIDARG);
    CHECK_EQ_U(n, 0);
    CHECK_HR(wm_profile_manager_get_codec_info_count(NULL, &WMMEDIATYPE_Audio, &n), E_POINTER);
    wm_profile_manager_release(pm);
}

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    system_profiles();
    codecs();
    return wm_t_summary();
}
