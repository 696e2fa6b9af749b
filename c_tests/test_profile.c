/*
 * test_profile: WMProfileManager, WMProfile, WMStreamConfig: creation, system
 * profiles, names with the size-query protocol, streams (create/add/get/remove/
 * reconfig, copy semantics), media types with the size-query protocol, max packet
 * size. Every failure must leave the out-params NULL / 0.
 */
#include "test_util.h"

#define BAD_PTR ((void *)(uintptr_t)0xdeadbeef)
#define BAD_U32 0xdeadbeefu

static WMProfileManager *g_mgr;

static WMProfile *new_profile(void) {
    WMProfile *p = NULL;
    CHECK_HR(wm_profile_manager_create_empty_profile(g_mgr, WMT_VER_9_0, &p), S_OK);
    return p;
}

/* ---- profile manager ---------------------------------------------------------- */

static void test_manager(void) {
    WMProfileManager *m = (WMProfileManager *)BAD_PTR;
    WMProfile *p = (WMProfile *)BAD_PTR;
    uint32_t v = BAD_U32, count = BAD_U32;
    static const uint32_t versions[] = {WMT_VER_4_0, WMT_VER_7_0, WMT_VER_8_0, WMT_VER_9_0};
    size_t i;

    CHECK_HR(wm_create_profile_manager(NULL), E_POINTER);
    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    CHECK(m != NULL && m != (WMProfileManager *)BAD_PTR);
    CHECK_EQ_U(wm_profile_manager_add_ref(m), 2);
    CHECK_EQ_U(wm_profile_manager_release(m), 1);
    CHECK_EQ_U(wm_profile_manager_add_ref(NULL), 0);
    CHECK_EQ_U(wm_profile_manager_release(NULL), 0);

    /* create_empty_profile with every WMT_VER_* */
    for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        p = (WMProfile *)BAD_PTR;
        CHECK_HR(wm_profile_manager_create_empty_profile(m, versions[i], &p), S_OK);
        CHECK(p != NULL && p != (WMProfile *)BAD_PTR);
        if (p && p != (WMProfile *)BAD_PTR) {
            v = BAD_U32;
            CHECK_HR(wm_profile_get_version(p, &v), S_OK);
            CHECK_EQ_U(v, versions[i]);
            count = BAD_U32;
            CHECK_HR(wm_profile_get_stream_count(p, &count), S_OK);
            CHECK_EQ_U(count, 0);
            CHECK_EQ_U(wm_profile_release(p), 0);
        }
    }
    /* A bogus version → E_INVALIDARG, out NULL. */
    p = (WMProfile *)BAD_PTR;
    CHECK_HR(wm_profile_manager_create_empty_profile(m, 0x12345, &p), E_INVALIDARG);
    CHECK_NULL(p);
    CHECK_LAST_ERROR(NULL);
    p = (WMProfile *)BAD_PTR;
    CHECK_HR(wm_profile_manager_create_empty_profile(m, 0, &p), E_INVALIDARG);
    CHECK_NULL(p);
    CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, NULL), E_INVALIDARG);
    p = (WMProfile *)BAD_PTR;
    CHECK_HR(wm_profile_manager_create_empty_profile(NULL, WMT_VER_9_0, &p), E_POINTER);
    CHECK_NULL(p);

    /* System profiles: 21 of version 4.0 (the default); test_system_profiles covers them all. */
    count = BAD_U32;
    CHECK_HR(wm_profile_manager_get_system_profile_count(m, &count), S_OK);
    CHECK_EQ_U(count, 21);
    CHECK_HR(wm_profile_manager_get_system_profile_count(m, NULL), E_INVALIDARG);
    count = BAD_U32;
    CHECK_HR(wm_profile_manager_get_system_profile_count(NULL, &count), E_POINTER);
    CHECK_EQ_U(count, 0);
    p = (WMProfile *)BAD_PTR;
    CHECK_HR(wm_profile_manager_load_system_profile(m, 21, &p), E_INVALIDARG);
    CHECK_NULL(p);
    CHECK_LAST_ERROR("21");
    p = NULL;
    CHECK_HR(wm_profile_manager_load_system_profile(m, 7, &p), S_OK);
    wm_profile_release(p);
    p = (WMProfile *)BAD_PTR;
    CHECK_HR(wm_profile_manager_load_system_profile(NULL, 0, &p), E_POINTER);
    CHECK_NULL(p);
    p = (WMProfile *)BAD_PTR;
    CHECK_HR(wm_profile_manager_load_profile_by_id(m, &WMMEDIATYPE_Audio, &p), E_INVALIDARG);
    CHECK_NULL(p);
    p = (WMProfile *)BAD_PTR;
    CHECK_HR(wm_profile_manager_load_profile_by_id(m, NULL, &p), E_INVALIDARG);
    CHECK_NULL(p);
    p = (WMProfile *)BAD_PTR;
    CHECK_HR(wm_profile_manager_load_profile_by_id(NULL, &WMMEDIATYPE_Audio, &p), E_POINTER);
    CHECK_NULL(p);

    /* System profile version. */
    v = BAD_U32;
    CHECK_HR(wm_profile_manager_get_system_profile_version(m, &v), S_OK);
    CHECK(v == WMT_VER_4_0 || v == WMT_VER_7_0 || v == WMT_VER_8_0 || v == WMT_VER_9_0);
    CHECK_HR(wm_profile_manager_set_system_profile_version(m, WMT_VER_8_0), S_OK);
    CHECK_HR(wm_profile_manager_get_system_profile_version(m, &v), S_OK);
    CHECK_EQ_U(v, WMT_VER_8_0);
    CHECK_HR(wm_profile_manager_set_system_profile_version(m, 0x00050000), E_INVALIDARG);
    CHECK_HR(wm_profile_manager_get_system_profile_version(m, &v), S_OK);
    CHECK_EQ_U(v, WMT_VER_8_0); /* unchanged */
    CHECK_HR(wm_profile_manager_set_system_profile_version(m, WMT_VER_9_0), S_OK);
    CHECK_HR(wm_profile_manager_get_system_profile_version(m, &v), S_OK);
    CHECK_EQ_U(v, WMT_VER_9_0);
    CHECK_HR(wm_profile_manager_get_system_profile_version(m, NULL), E_INVALIDARG);
    v = BAD_U32;
    CHECK_HR(wm_profile_manager_get_system_profile_version(NULL, &v), E_POINTER);
    CHECK_EQ_U(v, 0);
    CHECK_HR(wm_profile_manager_set_system_profile_version(NULL, WMT_VER_9_0), E_POINTER);

    CHECK_EQ_U(wm_profile_manager_release(m), 0);
}

/* ---- names: the size-query protocol ------------------------------------------------ */

static void test_names(void) {
    WMProfile *p = new_profile();
    char buf[2048];
    uint32_t len;
    char long_name[1100];
    if (!p) return;

    /* Empty at first: 1 byte (the NUL). */
    len = BAD_U32;
    CHECK_HR(wm_profile_get_name(p, NULL, &len), S_OK);
    CHECK_EQ_U(len, 1);

    CHECK_HR(wm_profile_set_name(p, "Test profile"), S_OK);
    len = 0;
    CHECK_HR(wm_profile_get_name(p, NULL, &len), S_OK); /* size query */
    CHECK_EQ_U(len, 13);
    memset(buf, 'x', sizeof buf);
    len = 5;
    CHECK_HR(wm_profile_get_name(p, buf, &len), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(len, 13); /* the needed length is written back */
    CHECK_LAST_ERROR(NULL);
    len = 12; /* one short: no room for the NUL */
    CHECK_HR(wm_profile_get_name(p, buf, &len), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(len, 13);
    len = 13; /* exact */
    CHECK_HR(wm_profile_get_name(p, buf, &len), S_OK);
    CHECK_STR_EQ(buf, "Test profile");
    memset(buf, 'x', sizeof buf);
    len = sizeof buf;
    CHECK_HR(wm_profile_get_name(p, buf, &len), S_OK);
    CHECK_STR_EQ(buf, "Test profile");
    CHECK_HR(wm_profile_get_name(p, buf, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_get_name(p, NULL, NULL), E_INVALIDARG);
    len = sizeof buf;
    CHECK_HR(wm_profile_get_name(NULL, buf, &len), E_POINTER);

    /* UTF-8 is stored as given: the size counts bytes. */
    CHECK_HR(wm_profile_set_name(p, "Caf\xC3\xA9"), S_OK);
    len = 0;
    CHECK_HR(wm_profile_get_name(p, NULL, &len), S_OK);
    CHECK_EQ_U(len, 6);
    len = 6;
    CHECK_HR(wm_profile_get_name(p, buf, &len), S_OK);
    CHECK_STR_EQ(buf, "Caf\xC3\xA9");

    /* Invalid names → E_INVALIDARG and the name is unchanged. */
    CHECK_HR(wm_profile_set_name(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_set_name(p, "\xFF\xFE bad"), E_INVALIDARG);
    memset(long_name, 'n', 257);
    long_name[257] = '\0';
    CHECK_HR(wm_profile_set_name(p, long_name), E_INVALIDARG); /* 257 characters */
    len = sizeof buf;
    CHECK_HR(wm_profile_get_name(p, buf, &len), S_OK);
    CHECK_STR_EQ(buf, "Caf\xC3\xA9");
    long_name[256] = '\0';
    CHECK_HR(wm_profile_set_name(p, long_name), S_OK); /* 256: the limit */
    len = 0;
    CHECK_HR(wm_profile_get_name(p, NULL, &len), S_OK);
    CHECK_EQ_U(len, 257);
    CHECK_HR(wm_profile_set_name(NULL, "x"), E_POINTER);

    /* Description: same protocol, 1024 characters. */
    len = BAD_U32;
    CHECK_HR(wm_profile_get_description(p, NULL, &len), S_OK);
    CHECK_EQ_U(len, 1);
    CHECK_HR(wm_profile_set_description(p, "A description"), S_OK);
    len = 0;
    CHECK_HR(wm_profile_get_description(p, NULL, &len), S_OK);
    CHECK_EQ_U(len, 14);
    len = 3;
    CHECK_HR(wm_profile_get_description(p, buf, &len), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(len, 14);
    len = 14;
    CHECK_HR(wm_profile_get_description(p, buf, &len), S_OK);
    CHECK_STR_EQ(buf, "A description");
    memset(long_name, 'd', 1025);
    long_name[1025] = '\0';
    CHECK_HR(wm_profile_set_description(p, long_name), E_INVALIDARG);
    long_name[1024] = '\0';
    CHECK_HR(wm_profile_set_description(p, long_name), S_OK);
    CHECK_HR(wm_profile_set_description(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_get_description(p, buf, NULL), E_INVALIDARG);

    CHECK_EQ_U(wm_profile_release(p), 0);
}

/* ---- stream configs ------------------------------------------------------------------ */

static void test_create_new_stream(void) {
    WMProfile *p = new_profile();
    WMStreamConfig *a = NULL, *b = NULL, *c = (WMStreamConfig *)BAD_PTR;
    uint16_t n = 0;
    WMGuid t;
    static const WMGuid bogus = {0x01234567, 0x89AB, 0xCDEF, {1, 2, 3, 4, 5, 6, 7, 8}};
    uint8_t wfx[18];
    WM_MEDIA_TYPE mt;
    if (!p) return;

    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &a), S_OK);
    CHECK(a != NULL);
    if (!a) goto out;
    CHECK_HR(wm_stream_config_get_stream_number(a, &n), S_OK);
    CHECK_EQ_U(n, 1);
    memset(&t, 0xAB, sizeof t);
    CHECK_HR(wm_stream_config_get_stream_type(a, &t), S_OK);
    CHECK(wm_t_guid_eq(&t, &WMMEDIATYPE_Audio));

    /* Not in the profile until add_stream: the next new stream is 1 again. */
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Video, &b), S_OK);
    n = 0;
    CHECK_HR(wm_stream_config_get_stream_number(b, &n), S_OK);
    CHECK_EQ_U(n, 1);
    CHECK_HR(wm_stream_config_get_stream_type(b, &t), S_OK);
    CHECK(wm_t_guid_eq(&t, &WMMEDIATYPE_Video));
    wm_stream_config_release(b);
    b = NULL;

    wm_t_wfx(wfx, 1, 2, 44100, 16, 0);
    wm_t_pcm_type(&mt, wfx);
    CHECK_HR(wm_stream_config_set_media_type(a, &mt), S_OK);
    CHECK_HR(wm_profile_add_stream(p, a), S_OK);
    /* Now 1 is used: 2, and after adding that, 3. */
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &b), S_OK);
    CHECK_HR(wm_stream_config_get_stream_number(b, &n), S_OK);
    CHECK_EQ_U(n, 2);
    CHECK_HR(wm_stream_config_set_media_type(b, &mt), S_OK);
    CHECK_HR(wm_profile_add_stream(p, b), S_OK);
    wm_stream_config_release(b);
    b = NULL;
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Script, &b), S_OK);
    CHECK_HR(wm_stream_config_get_stream_number(b, &n), S_OK);
    CHECK_EQ_U(n, 3);
    wm_stream_config_release(b);
    b = NULL;
    /* A gap is reused: remove 1 → the next is 1. */
    CHECK_HR(wm_profile_remove_stream_by_number(p, 1), S_OK);
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &b), S_OK);
    CHECK_HR(wm_stream_config_get_stream_number(b, &n), S_OK);
    CHECK_EQ_U(n, 1);
    wm_stream_config_release(b);
    b = NULL;

    /* Every known major type works. */
    {
        const WMGuid *types[] = {&WMMEDIATYPE_Audio, &WMMEDIATYPE_Video, &WMMEDIATYPE_Script,
                                 &WMMEDIATYPE_Image, &WMMEDIATYPE_FileTransfer, &WMMEDIATYPE_Text};
        size_t i;
        for (i = 0; i < sizeof types / sizeof types[0]; i++) {
            WMStreamConfig *x = NULL;
            CHECK_HR(wm_profile_create_new_stream(p, types[i], &x), S_OK);
            CHECK(x != NULL);
            if (x) {
                CHECK_HR(wm_stream_config_get_stream_type(x, &t), S_OK);
                CHECK(wm_t_guid_eq(&t, types[i]));
                CHECK_EQ_U(wm_stream_config_release(x), 0);
            }
        }
    }

    /* Unknown / NULL type → E_INVALIDARG, out NULL. A subtype is not a stream type. */
    c = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_create_new_stream(p, &bogus, &c), E_INVALIDARG);
    CHECK_NULL(c);
    CHECK_LAST_ERROR(NULL);
    c = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIASUBTYPE_PCM, &c), E_INVALIDARG);
    CHECK_NULL(c);
    c = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_create_new_stream(p, NULL, &c), E_INVALIDARG);
    CHECK_NULL(c);
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, NULL), E_INVALIDARG);
    c = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_create_new_stream(NULL, &WMMEDIATYPE_Audio, &c), E_POINTER);
    CHECK_NULL(c);

out:
    wm_stream_config_release(a);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

static void test_stream_config_fields(void) {
    WMProfile *p = new_profile();
    WMStreamConfig *s = NULL;
    uint16_t n = 0, len16;
    uint32_t v;
    char buf[600];
    char long_name[300];
    WMGuid t;
    if (!p) return;
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &s), S_OK);
    if (!s) goto out;

    CHECK_EQ_U(wm_stream_config_add_ref(s), 2);
    CHECK_EQ_U(wm_stream_config_release(s), 1);
    CHECK_EQ_U(wm_stream_config_add_ref(NULL), 0);
    CHECK_EQ_U(wm_stream_config_release(NULL), 0);

    CHECK_HR(wm_stream_config_set_stream_number(s, 7), S_OK);
    CHECK_HR(wm_stream_config_get_stream_number(s, &n), S_OK);
    CHECK_EQ_U(n, 7);
    CHECK_HR(wm_stream_config_get_stream_number(s, NULL), E_INVALIDARG);
    n = 0xBEEF;
    CHECK_HR(wm_stream_config_get_stream_number(NULL, &n), E_POINTER);
    CHECK_EQ_U(n, 0);
    CHECK_HR(wm_stream_config_set_stream_number(NULL, 1), E_POINTER);

    CHECK_HR(wm_stream_config_set_bitrate(s, 1411200), S_OK);
    v = 0;
    CHECK_HR(wm_stream_config_get_bitrate(s, &v), S_OK);
    CHECK_EQ_U(v, 1411200);
    CHECK_HR(wm_stream_config_get_bitrate(s, NULL), E_INVALIDARG);
    v = BAD_U32;
    CHECK_HR(wm_stream_config_get_bitrate(NULL, &v), E_POINTER);
    CHECK_EQ_U(v, 0);
    CHECK_HR(wm_stream_config_set_bitrate(NULL, 1), E_POINTER);

    CHECK_HR(wm_stream_config_set_buffer_window(s, 5000), S_OK);
    v = 0;
    CHECK_HR(wm_stream_config_get_buffer_window(s, &v), S_OK);
    CHECK_EQ_U(v, 5000);
    CHECK_HR(wm_stream_config_set_buffer_window(s, 0xFFFFFFFFu), S_OK); /* writer chooses */
    CHECK_HR(wm_stream_config_get_buffer_window(s, &v), S_OK);
    CHECK_EQ_U(v, 0xFFFFFFFFu);
    CHECK_HR(wm_stream_config_get_buffer_window(s, NULL), E_INVALIDARG);
    v = BAD_U32;
    CHECK_HR(wm_stream_config_get_buffer_window(NULL, &v), E_POINTER);
    CHECK_EQ_U(v, 0);

    /* get_type: the major type (same as the stream type). */
    memset(&t, 0, sizeof t);
    CHECK_HR(wm_stream_config_get_type(s, &t), S_OK);
    CHECK(wm_t_guid_eq(&t, &WMMEDIATYPE_Audio));
    CHECK_HR(wm_stream_config_get_type(s, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_stream_type(s, NULL), E_INVALIDARG);
    memset(&t, 0xAB, sizeof t);
    CHECK_HR(wm_stream_config_get_stream_type(NULL, &t), E_POINTER);
    {
        WMGuid zero;
        memset(&zero, 0, sizeof zero);
        CHECK(wm_t_guid_eq(&t, &zero)); /* "On failure *type is all zero" */
    }

    /* Stream name: uint16_t length, size-query protocol. */
    len16 = 0xBEEF;
    CHECK_HR(wm_stream_config_get_stream_name(s, NULL, &len16), S_OK);
    CHECK_EQ_U(len16, 1);
    CHECK_HR(wm_stream_config_set_stream_name(s, "Left+Right"), S_OK);
    len16 = 0;
    CHECK_HR(wm_stream_config_get_stream_name(s, NULL, &len16), S_OK);
    CHECK_EQ_U(len16, 11);
    len16 = 10;
    CHECK_HR(wm_stream_config_get_stream_name(s, buf, &len16), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(len16, 11);
    len16 = 11;
    CHECK_HR(wm_stream_config_get_stream_name(s, buf, &len16), S_OK);
    CHECK_STR_EQ(buf, "Left+Right");
    CHECK_HR(wm_stream_config_get_stream_name(s, buf, NULL), E_INVALIDARG);
    len16 = sizeof buf;
    CHECK_HR(wm_stream_config_get_stream_name(NULL, buf, &len16), E_POINTER);
    CHECK_HR(wm_stream_config_set_stream_name(s, NULL), E_INVALIDARG);
    memset(long_name, 's', 257);
    long_name[257] = '\0';
    CHECK_HR(wm_stream_config_set_stream_name(s, long_name), E_INVALIDARG);
    len16 = sizeof buf;
    CHECK_HR(wm_stream_config_get_stream_name(s, buf, &len16), S_OK);
    CHECK_STR_EQ(buf, "Left+Right"); /* unchanged */

    /* Connection name: same protocol. */
    len16 = 0xBEEF;
    CHECK_HR(wm_stream_config_get_connection_name(s, NULL, &len16), S_OK);
    CHECK_EQ_U(len16, 1);
    CHECK_HR(wm_stream_config_set_connection_name(s, "Audio"), S_OK);
    len16 = 0;
    CHECK_HR(wm_stream_config_get_connection_name(s, NULL, &len16), S_OK);
    CHECK_EQ_U(len16, 6);
    len16 = 1;
    CHECK_HR(wm_stream_config_get_connection_name(s, buf, &len16), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(len16, 6);
    len16 = 6;
    CHECK_HR(wm_stream_config_get_connection_name(s, buf, &len16), S_OK);
    CHECK_STR_EQ(buf, "Audio");
    CHECK_HR(wm_stream_config_get_connection_name(s, buf, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_config_set_connection_name(s, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_config_set_connection_name(s, "\xC3"), E_INVALIDARG); /* truncated UTF-8 */
    CHECK_HR(wm_stream_config_set_connection_name(NULL, "x"), E_POINTER);
    long_name[256] = '\0';
    CHECK_HR(wm_stream_config_set_connection_name(s, long_name), S_OK); /* 256 = limit */
    len16 = 0;
    CHECK_HR(wm_stream_config_get_connection_name(s, NULL, &len16), S_OK);
    CHECK_EQ_U(len16, 257);

    CHECK_EQ_U(wm_stream_config_release(s), 0);
out:
    CHECK_EQ_U(wm_profile_release(p), 0);
}

/* ---- media types: set/get with the size-query protocol ---------------------------------- */

static void test_media_type(void) {
    WMProfile *p = new_profile();
    WMStreamConfig *s = NULL;
    uint8_t wfx[18];
    WM_MEDIA_TYPE mt;
    uint32_t size;
    union {
        WM_MEDIA_TYPE mt;
        uint64_t align[64];
    } out;
    const size_t need = sizeof(WM_MEDIA_TYPE) + 18;
    if (!p) return;
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &s), S_OK);
    if (!s) goto done;

    /* Before set_media_type: E_INVALIDARG ("no media type set yet"). */
    size = BAD_U32;
    CHECK_HR(wm_stream_config_get_media_type(s, NULL, &size), E_INVALIDARG);
    CHECK_LAST_ERROR(NULL);

    wm_t_wfx(wfx, 1, 2, 44100, 16, 0);
    wm_t_pcm_type(&mt, wfx);

    /* Invalid media types. */
    mt.cbFormat = 0;
    CHECK_HR(wm_stream_config_set_media_type(s, &mt), E_INVALIDARG);
    CHECK_LAST_ERROR("cbFormat");
    mt.cbFormat = 18;
    mt.pbFormat = NULL;
    CHECK_HR(wm_stream_config_set_media_type(s, &mt), E_INVALIDARG);
    CHECK_LAST_ERROR("pbFormat");
    mt.pbFormat = wfx;
    mt.cbFormat = WM_MAX_FORMAT_SIZE + 1;
    CHECK_HR(wm_stream_config_set_media_type(s, &mt), E_INVALIDARG);
    mt.cbFormat = 18;
    CHECK_HR(wm_stream_config_set_media_type(s, NULL), E_INVALIDARG);
    mt.majortype = WMMEDIATYPE_Video; /* differs from the stream type */
    CHECK_HR(wm_stream_config_set_media_type(s, &mt), E_INVALIDARG);
    mt.majortype = WMMEDIATYPE_Audio;
    CHECK_HR(wm_stream_config_set_media_type(NULL, &mt), E_POINTER);
    /* None of those stored anything. */
    CHECK_HR(wm_stream_config_get_media_type(s, NULL, &size), E_INVALIDARG);

    CHECK_HR(wm_stream_config_set_media_type(s, &mt), S_OK);
    /* A deep copy: changing the caller's bytes afterwards changes nothing. */
    wfx[2] = 6;

    /* Size query. */
    size = 0;
    CHECK_HR(wm_stream_config_get_media_type(s, NULL, &size), S_OK);
    CHECK_EQ_U(size, need);
    CHECK_HR(wm_stream_config_get_media_type(s, &out.mt, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_media_type(s, NULL, NULL), E_INVALIDARG);
    size = (uint32_t)sizeof out;
    CHECK_HR(wm_stream_config_get_media_type(NULL, &out.mt, &size), E_POINTER);

    /* Too small: ASF_E_BUFFERTOOSMALL and the size written back. */
    size = (uint32_t)sizeof(WM_MEDIA_TYPE);
    CHECK_HR(wm_stream_config_get_media_type(s, &out.mt, &size), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(size, need);
    size = (uint32_t)need - 1;
    CHECK_HR(wm_stream_config_get_media_type(s, &out.mt, &size), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(size, need);

    /* Exact: the struct, then the format bytes right after it. */
    memset(&out, 0xCC, sizeof out);
    size = (uint32_t)need;
    CHECK_HR(wm_stream_config_get_media_type(s, &out.mt, &size), S_OK);
    CHECK(wm_t_guid_eq(&out.mt.majortype, &WMMEDIATYPE_Audio));
    CHECK(wm_t_guid_eq(&out.mt.subtype, &WMMEDIASUBTYPE_PCM));
    CHECK(wm_t_guid_eq(&out.mt.formattype, &WMFORMAT_WaveFormatEx));
    CHECK_EQ_U(out.mt.bFixedSizeSamples, 1);
    CHECK_EQ_U(out.mt.bTemporalCompression, 0);
    CHECK_EQ_U(out.mt.lSampleSize, 4);
    CHECK_NULL(out.mt.pUnk);
    CHECK_EQ_U(out.mt.cbFormat, 18);
    CHECK(out.mt.pbFormat == (uint8_t *)&out + sizeof(WM_MEDIA_TYPE));
    wfx[2] = 2; /* what was stored */
    CHECK(out.mt.pbFormat != NULL && memcmp(out.mt.pbFormat, wfx, 18) == 0);
    /* Larger than needed: same content. */
    memset(&out, 0xCC, sizeof out);
    size = (uint32_t)sizeof out;
    CHECK_HR(wm_stream_config_get_media_type(s, &out.mt, &size), S_OK);
    CHECK_EQ_U(out.mt.cbFormat, 18);
    CHECK(out.mt.pbFormat == (uint8_t *)&out + sizeof(WM_MEDIA_TYPE));
    CHECK(memcmp(out.mt.pbFormat, wfx, 18) == 0);

    /* A longer format block (cbSize extra bytes) round-trips too. */
    {
        uint8_t big[18 + 6] = {0};
        memcpy(big, wfx, 18);
        wm_t_put16(big + 16, 6);
        big[18] = 0x11;
        big[23] = 0x99;
        mt.pbFormat = big;
        mt.cbFormat = sizeof big;
        CHECK_HR(wm_stream_config_set_media_type(s, &mt), S_OK);
        size = 0;
        CHECK_HR(wm_stream_config_get_media_type(s, NULL, &size), S_OK);
        CHECK_EQ_U(size, sizeof(WM_MEDIA_TYPE) + sizeof big);
        size = (uint32_t)sizeof out;
        CHECK_HR(wm_stream_config_get_media_type(s, &out.mt, &size), S_OK);
        CHECK_EQ_U(out.mt.cbFormat, sizeof big);
        CHECK(memcmp(out.mt.pbFormat, big, sizeof big) == 0);
    }

    CHECK_EQ_U(wm_stream_config_release(s), 0);
done:
    CHECK_EQ_U(wm_profile_release(p), 0);
}

/* ---- streams in a profile ---------------------------------------------------------------- */

static WMStreamConfig *pcm_config(WMProfile *p, uint32_t bitrate) {
    WMStreamConfig *s = NULL;
    uint8_t wfx[18];
    WM_MEDIA_TYPE mt;
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &s), S_OK);
    if (!s) return NULL;
    wm_t_wfx(wfx, 1, 2, 44100, 16, 0);
    wm_t_pcm_type(&mt, wfx);
    CHECK_HR(wm_stream_config_set_media_type(s, &mt), S_OK);
    CHECK_HR(wm_stream_config_set_bitrate(s, bitrate), S_OK);
    return s;
}

static void test_streams(void) {
    WMProfile *p = new_profile();
    WMStreamConfig *s1 = NULL, *s2 = NULL, *g1 = NULL, *g2 = NULL, *x = (WMStreamConfig *)BAD_PTR;
    WMStreamConfig *nomt = NULL;
    uint32_t count, v;
    uint16_t n;
    if (!p) return;

    s1 = pcm_config(p, 1000);
    if (!s1) goto out;
    CHECK_HR(wm_stream_config_set_stream_name(s1, "first"), S_OK);
    CHECK_HR(wm_profile_add_stream(p, s1), S_OK);
    CHECK_HR(wm_profile_get_stream_count(p, &count), S_OK);
    CHECK_EQ_U(count, 1);

    /* Copy semantics: editing the config after add does not change the profile. */
    CHECK_HR(wm_stream_config_set_bitrate(s1, 2000), S_OK);
    CHECK_HR(wm_stream_config_set_stream_name(s1, "edited"), S_OK);
    CHECK_HR(wm_profile_get_stream(p, 0, &g1), S_OK);
    if (g1) {
        char name[32];
        uint16_t len = sizeof name;
        CHECK_HR(wm_stream_config_get_bitrate(g1, &v), S_OK);
        CHECK_EQ_U(v, 1000);
        CHECK_HR(wm_stream_config_get_stream_name(g1, name, &len), S_OK);
        CHECK_STR_EQ(name, "first");
    }

    /* Adding the same number again → NS_E_INVALID_STREAM. */
    CHECK_HR(wm_profile_add_stream(p, s1), NS_E_INVALID_STREAM);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_profile_get_stream_count(p, &count), S_OK);
    CHECK_EQ_U(count, 1);
    /* Out-of-range numbers → NS_E_INVALID_STREAM. */
    CHECK_HR(wm_stream_config_set_stream_number(s1, 0), S_OK);
    CHECK_HR(wm_profile_add_stream(p, s1), NS_E_INVALID_STREAM);
    CHECK_HR(wm_stream_config_set_stream_number(s1, 64), S_OK);
    CHECK_HR(wm_profile_add_stream(p, s1), NS_E_INVALID_STREAM);
    /* No media type → NS_E_INVALID_STREAM. */
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &nomt), S_OK);
    CHECK_HR(wm_profile_add_stream(p, nomt), NS_E_INVALID_STREAM);
    CHECK_HR(wm_profile_add_stream(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_add_stream(NULL, s1), E_POINTER);

    s2 = pcm_config(p, 3000);
    if (!s2) goto out;
    CHECK_HR(wm_stream_config_get_stream_number(s2, &n), S_OK);
    CHECK_EQ_U(n, 2);
    CHECK_HR(wm_profile_add_stream(p, s2), S_OK);
    CHECK_HR(wm_profile_get_stream_count(p, &count), S_OK);
    CHECK_EQ_U(count, 2);

    /* get_stream twice: two different objects, each released to 0. */
    CHECK_HR(wm_profile_get_stream(p, 1, &g2), S_OK);
    {
        WMStreamConfig *g2b = NULL;
        CHECK_HR(wm_profile_get_stream(p, 1, &g2b), S_OK);
        CHECK(g2b != NULL && g2 != NULL && g2b != g2);
        if (g2b) {
            CHECK_HR(wm_stream_config_get_stream_number(g2b, &n), S_OK);
            CHECK_EQ_U(n, 2);
            CHECK_HR(wm_stream_config_get_bitrate(g2b, &v), S_OK);
            CHECK_EQ_U(v, 3000);
            /* Editing one copy does not touch the other or the profile. */
            CHECK_HR(wm_stream_config_set_bitrate(g2b, 4444), S_OK);
            CHECK_HR(wm_stream_config_get_bitrate(g2, &v), S_OK);
            CHECK_EQ_U(v, 3000);
            CHECK_EQ_U(wm_stream_config_release(g2b), 0);
        }
    }
    CHECK_EQ_U(wm_stream_config_release(g2), 0);
    g2 = NULL;

    /* Out of range index → E_INVALIDARG, out NULL. */
    x = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_get_stream(p, 2, &x), E_INVALIDARG);
    CHECK_NULL(x);
    CHECK_LAST_ERROR(NULL);
    x = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_get_stream(p, 0xFFFFFFFFu, &x), E_INVALIDARG);
    CHECK_NULL(x);
    CHECK_HR(wm_profile_get_stream(p, 0, NULL), E_INVALIDARG);
    x = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_get_stream(NULL, 0, &x), E_POINTER);
    CHECK_NULL(x);
    count = BAD_U32;
    CHECK_HR(wm_profile_get_stream_count(NULL, &count), E_POINTER);
    CHECK_EQ_U(count, 0);
    CHECK_HR(wm_profile_get_stream_count(p, NULL), E_INVALIDARG);

    /* By number. */
    x = NULL;
    CHECK_HR(wm_profile_get_stream_by_number(p, 2, &x), S_OK);
    CHECK(x != NULL);
    if (x) {
        CHECK_HR(wm_stream_config_get_bitrate(x, &v), S_OK);
        CHECK_EQ_U(v, 3000);
        CHECK_EQ_U(wm_stream_config_release(x), 0);
    }
    x = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_get_stream_by_number(p, 0, &x), NS_E_NO_STREAM);
    CHECK_NULL(x);
    CHECK_LAST_ERROR(NULL);
    x = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_get_stream_by_number(p, 9, &x), NS_E_NO_STREAM);
    CHECK_NULL(x);
    CHECK_HR(wm_profile_get_stream_by_number(p, 1, NULL), E_INVALIDARG);
    x = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_get_stream_by_number(NULL, 1, &x), E_POINTER);
    CHECK_NULL(x);

    /* reconfig_stream: commit edits of an existing stream, matched by number. */
    CHECK_HR(wm_stream_config_set_bitrate(g1, 5555), S_OK); /* g1 = copy of stream 1 */
    CHECK_HR(wm_profile_reconfig_stream(p, g1), S_OK);
    x = NULL;
    CHECK_HR(wm_profile_get_stream_by_number(p, 1, &x), S_OK);
    if (x) {
        CHECK_HR(wm_stream_config_get_bitrate(x, &v), S_OK);
        CHECK_EQ_U(v, 5555);
        wm_stream_config_release(x);
    }
    CHECK_HR(wm_profile_get_stream_count(p, &count), S_OK);
    CHECK_EQ_U(count, 2);
    CHECK_HR(wm_stream_config_set_stream_number(g1, 33), S_OK);
    CHECK_HR(wm_profile_reconfig_stream(p, g1), NS_E_INVALID_STREAM); /* unknown number */
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_profile_reconfig_stream(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_reconfig_stream(NULL, g1), E_POINTER);

    /* remove_stream_by_number / remove_stream. */
    CHECK_HR(wm_profile_remove_stream_by_number(p, 1), S_OK);
    CHECK_HR(wm_profile_get_stream_count(p, &count), S_OK);
    CHECK_EQ_U(count, 1);
    CHECK_HR(wm_profile_remove_stream_by_number(p, 1), NS_E_NO_STREAM);
    CHECK_HR(wm_profile_remove_stream_by_number(p, 0), NS_E_NO_STREAM);
    CHECK_HR(wm_profile_remove_stream_by_number(NULL, 2), E_POINTER);
    x = NULL;
    CHECK_HR(wm_profile_get_stream(p, 0, &x), S_OK); /* stream 2 moved to index 0 */
    if (x) {
        CHECK_HR(wm_stream_config_get_stream_number(x, &n), S_OK);
        CHECK_EQ_U(n, 2);
        wm_stream_config_release(x);
    }
    CHECK_HR(wm_profile_remove_stream(p, s2), S_OK); /* by its number: 2 */
    CHECK_HR(wm_profile_get_stream_count(p, &count), S_OK);
    CHECK_EQ_U(count, 0);
    CHECK_HR(wm_profile_remove_stream(p, s2), NS_E_NO_STREAM);
    CHECK_HR(wm_profile_remove_stream(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_remove_stream(NULL, s2), E_POINTER);

out:
    wm_stream_config_release(nomt);
    wm_stream_config_release(g1);
    wm_stream_config_release(s1);
    wm_stream_config_release(s2);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

static void test_max_streams(void) {
    WMProfile *p = new_profile();
    WMStreamConfig *s = NULL;
    int i;
    uint32_t count = 0;
    if (!p) return;
    for (i = 0; i < 63; i++) {
        s = pcm_config(p, 1000);
        if (!s) break;
        CHECK_HR(wm_profile_add_stream(p, s), S_OK);
        wm_stream_config_release(s);
    }
    CHECK_HR(wm_profile_get_stream_count(p, &count), S_OK);
    CHECK_EQ_U(count, 63);
    /* All 63 numbers used: create_new_stream → E_INVALIDARG, out NULL. */
    s = (WMStreamConfig *)BAD_PTR;
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &s), E_INVALIDARG);
    CHECK_NULL(s);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

static void test_max_packet_size(void) {
    WMProfile *p = new_profile();
    uint32_t v;
    if (!p) return;
    v = BAD_U32;
    CHECK_HR(wm_profile_get_max_packet_size(p, &v), S_OK);
    CHECK_EQ_U(v, 0); /* writer chooses */
    CHECK_HR(wm_profile_set_max_packet_size(p, 100), S_OK);
    CHECK_HR(wm_profile_get_max_packet_size(p, &v), S_OK);
    CHECK_EQ_U(v, 100);
    CHECK_HR(wm_profile_set_max_packet_size(p, 50), E_INVALIDARG);
    CHECK_LAST_ERROR(NULL);
    CHECK_HR(wm_profile_get_max_packet_size(p, &v), S_OK);
    CHECK_EQ_U(v, 100); /* unchanged */
    CHECK_HR(wm_profile_set_max_packet_size(p, 99), E_INVALIDARG);
    CHECK_HR(wm_profile_set_max_packet_size(p, 65527), S_OK);
    CHECK_HR(wm_profile_get_max_packet_size(p, &v), S_OK);
    CHECK_EQ_U(v, 65527);
    CHECK_HR(wm_profile_set_max_packet_size(p, 65528), E_INVALIDARG);
    CHECK_HR(wm_profile_set_max_packet_size(p, 0xFFFFFFFFu), E_INVALIDARG);
    CHECK_HR(wm_profile_get_max_packet_size(p, &v), S_OK);
    CHECK_EQ_U(v, 65527);
    CHECK_HR(wm_profile_set_max_packet_size(p, 1440), S_OK);
    CHECK_HR(wm_profile_set_max_packet_size(p, 0), S_OK);
    CHECK_HR(wm_profile_get_max_packet_size(p, &v), S_OK);
    CHECK_EQ_U(v, 0);
    CHECK_HR(wm_profile_get_max_packet_size(p, NULL), E_INVALIDARG);
    v = BAD_U32;
    CHECK_HR(wm_profile_get_max_packet_size(NULL, &v), E_POINTER);
    CHECK_EQ_U(v, 0);
    CHECK_HR(wm_profile_set_max_packet_size(NULL, 0), E_POINTER);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

static void test_profile_misc_nulls(void) {
    WMProfile *p = new_profile();
    uint32_t v = BAD_U32;
    if (!p) return;
    CHECK_HR(wm_profile_get_version(p, NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_get_version(NULL, &v), E_POINTER);
    CHECK_EQ_U(v, 0);
    CHECK_EQ_U(wm_profile_add_ref(p), 2);
    CHECK_EQ_U(wm_profile_release(p), 1);
    CHECK_EQ_U(wm_profile_add_ref(NULL), 0);
    CHECK_EQ_U(wm_profile_release(NULL), 0);
    CHECK_EQ_U(wm_profile_release(p), 0);
}

int main(void) {
    CHECK_HR(wm_create_profile_manager(&g_mgr), S_OK);
    if (!g_mgr) return wm_t_summary();
    test_manager();
    test_names();
    test_create_new_stream();
    test_stream_config_fields();
    test_media_type();
    test_streams();
    test_max_streams();
    test_max_packet_size();
    test_profile_misc_nulls();
    CHECK_EQ_U(wm_profile_manager_release(g_mgr), 0);
    return wm_t_summary();
}
