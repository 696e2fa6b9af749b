/*
 * test_language_list: IWMLanguageList on the profile (wm_profile_get_language_count,
 * wm_profile_get_language_details, wm_profile_add_language_by_rfc1766_string):
 * indices, duplicates, the size-query protocol, NULLs, a bad index and bad tags
 * (E_INVALIDARG), a NULL profile (E_POINTER); every failure leaves the out-params 0.
 * tests/header_objects.rs shows the list in a written file.
 */
#include "test_util.h"

int main(void) {
    WMProfileManager *m = NULL;
    WMProfile *p = NULL;
    uint16_t n = 0xBEEF, idx = 0xBEEF, len = 0;
    char buf[16];

    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p), S_OK);

    CHECK_HR(wm_profile_get_language_count(p, &n), S_OK);
    CHECK_EQ_U(n, 0);
    CHECK_HR(wm_profile_add_language_by_rfc1766_string(p, "en-us", &idx), S_OK);
    CHECK_EQ_U(idx, 0);
    CHECK_HR(wm_profile_add_language_by_rfc1766_string(p, "ja-jp", &idx), S_OK);
    CHECK_EQ_U(idx, 1);
    idx = 0xBEEF;
    CHECK_HR(wm_profile_add_language_by_rfc1766_string(p, "EN-US", &idx), S_OK);
    CHECK_EQ_U(idx, 0); /* already listed: its index */
    CHECK_HR(wm_profile_get_language_count(p, &n), S_OK);
    CHECK_EQ_U(n, 2);

    /* size query, exact buffer, too small */
    len = 0;
    CHECK_HR(wm_profile_get_language_details(p, 1, NULL, &len), S_OK);
    CHECK_EQ_U(len, 6);
    memset(buf, 'x', sizeof buf);
    len = sizeof buf;
    CHECK_HR(wm_profile_get_language_details(p, 1, buf, &len), S_OK);
    CHECK_STR_EQ(buf, "ja-jp");
    CHECK_EQ_U(len, 6);
    len = 5;
    CHECK_HR(wm_profile_get_language_details(p, 1, buf, &len), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(len, 6);

    /* bad index, NULLs */
    len = sizeof buf;
    CHECK_HR(wm_profile_get_language_details(p, 2, buf, &len), E_INVALIDARG);
    CHECK_EQ_U(len, 0);
    CHECK_HR(wm_profile_get_language_details(p, 0, buf, NULL), E_INVALIDARG);
    len = sizeof buf;
    CHECK_HR(wm_profile_get_language_details(NULL, 0, buf, &len), E_POINTER);
    CHECK_HR(wm_profile_get_language_count(p, NULL), E_INVALIDARG);
    n = 0xBEEF;
    CHECK_HR(wm_profile_get_language_count(NULL, &n), E_POINTER);
    CHECK_EQ_U(n, 0);
    idx = 0xBEEF;
    CHECK_HR(wm_profile_add_language_by_rfc1766_string(p, NULL, &idx), E_INVALIDARG);
    CHECK_EQ_U(idx, 0);
    idx = 0xBEEF;
    CHECK_HR(wm_profile_add_language_by_rfc1766_string(p, "", &idx), E_INVALIDARG);
    CHECK_EQ_U(idx, 0);
    CHECK_HR(wm_profile_add_language_by_rfc1766_string(p, "en us", &idx), E_INVALIDARG);
    CHECK_LAST_ERROR("RFC 1766");
    CHECK_HR(wm_profile_add_language_by_rfc1766_string(p, "fr-fr", NULL), E_INVALIDARG);
    CHECK_HR(wm_profile_add_language_by_rfc1766_string(NULL, "fr-fr", &idx), E_POINTER);
    CHECK_HR(wm_profile_get_language_count(p, &n), S_OK);
    CHECK_EQ_U(n, 2); /* failed calls add nothing */

    wm_profile_release(p);
    wm_profile_manager_release(m);
    return wm_t_summary();
}
