/*
 * test_property_vault: IWMPropertyVault on WMStreamConfig (wm_stream_config_get_property_count,
 * _get_property_by_name, _set_property, _get_property_by_index, _copy_properties_from,
 * _clear): the VBR properties' types and ranges, other names kept as given, the
 * size-query protocols, NULLs (E_INVALIDARG / E_POINTER), an unknown name
 * (NS_E_UNSUPPORTED_PROPERTY), a bad index (E_INVALIDARG); failures leave the
 * out-params 0. The effect on the encoder: tests/property_vault.rs.
 */
#include "test_util.h"

#define T_DWORD 0u
#define T_STRING 1u
#define T_BOOL 3u

int main(void) {
    WMProfileManager *m = NULL;
    WMProfile *p = NULL;
    WMStreamConfig *sc = NULL, *copy = NULL;
    uint32_t n = 99, ty = 99, size = 0, name_len = 0, one = 1, q = 80, big = 101;
    uint8_t v[8];
    char name[32];

    CHECK_HR(wm_create_profile_manager(&m), S_OK);
    CHECK_HR(wm_profile_manager_create_empty_profile(m, WMT_VER_9_0, &p), S_OK);
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Video, &sc), S_OK);
    CHECK_HR(wm_profile_create_new_stream(p, &WMMEDIATYPE_Video, &copy), S_OK);

    CHECK_HR(wm_stream_config_get_property_count(sc, &n), S_OK);
    CHECK_EQ_U(n, 0);
    CHECK_HR(wm_stream_config_set_property(sc, "_VBRENABLED", T_BOOL, (const uint8_t *)&one, 4), S_OK);
    CHECK_HR(wm_stream_config_set_property(sc, "_VBRQUALITY", T_DWORD, (const uint8_t *)&q, 4), S_OK);
    CHECK_HR(wm_stream_config_set_property(sc, "Tag", T_STRING, (const uint8_t *)"a\0", 2), S_OK);
    CHECK_HR(wm_stream_config_set_property(sc, "_VBRQUALITY", T_DWORD, (const uint8_t *)&big, 4), E_INVALIDARG);
    CHECK_HR(wm_stream_config_set_property(sc, "_VBRENABLED", T_DWORD, (const uint8_t *)&one, 4), E_INVALIDARG);
    CHECK_HR(wm_stream_config_set_property(sc, "_BMAX", T_DWORD, (const uint8_t *)&one, 2), E_INVALIDARG);
    CHECK_HR(wm_stream_config_set_property(sc, NULL, T_DWORD, (const uint8_t *)&one, 4), E_INVALIDARG);
    CHECK_HR(wm_stream_config_set_property(sc, "X", T_DWORD, NULL, 4), E_INVALIDARG);
    CHECK_HR(wm_stream_config_set_property(NULL, "X", T_DWORD, (const uint8_t *)&one, 4), E_POINTER);
    CHECK_HR(wm_stream_config_get_property_count(sc, &n), S_OK);
    CHECK_EQ_U(n, 3);
    CHECK_HR(wm_stream_config_get_property_count(sc, NULL), E_INVALIDARG);
    n = 99;
    CHECK_HR(wm_stream_config_get_property_count(NULL, &n), E_POINTER);
    CHECK_EQ_U(n, 0);

    /* by name */
    size = 0;
    CHECK_HR(wm_stream_config_get_property_by_name(sc, "_VBRQUALITY", &ty, NULL, &size), S_OK);
    CHECK_EQ_U(ty, T_DWORD);
    CHECK_EQ_U(size, 4);
    CHECK_HR(wm_stream_config_get_property_by_name(sc, "_VBRQUALITY", &ty, v, &size), S_OK);
    CHECK_EQ_U(v[0], 80);
    size = 1;
    CHECK_HR(wm_stream_config_get_property_by_name(sc, "_VBRENABLED", &ty, v, &size), ASF_E_BUFFERTOOSMALL);
    CHECK_EQ_U(size, 4);
    ty = 99;
    size = 99;
    CHECK_HR(wm_stream_config_get_property_by_name(sc, "_RMAX", &ty, NULL, &size), NS_E_UNSUPPORTED_PROPERTY);
    CHECK_EQ_U(ty, 0);
    CHECK_EQ_U(size, 0);
    CHECK_HR(wm_stream_config_get_property_by_name(sc, NULL, &ty, NULL, &size), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_property_by_name(sc, "Tag", NULL, NULL, &size), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_property_by_name(NULL, "Tag", &ty, NULL, &size), E_POINTER);

    /* by index: VBR ones first */
    name_len = sizeof name;
    size = sizeof v;
    CHECK_HR(wm_stream_config_get_property_by_index(sc, 0, name, &name_len, &ty, v, &size), S_OK);
    CHECK_STR_EQ(name, "_VBRENABLED");
    CHECK_EQ_U(ty, T_BOOL);
    name_len = sizeof name;
    size = sizeof v;
    CHECK_HR(wm_stream_config_get_property_by_index(sc, 2, name, &name_len, &ty, v, &size), S_OK);
    CHECK_STR_EQ(name, "Tag");
    CHECK_EQ_U(name_len, 4);
    CHECK_EQ_U(size, 2);
    name_len = 5;
    ty = 5;
    size = 5;
    CHECK_HR(wm_stream_config_get_property_by_index(sc, 3, NULL, &name_len, &ty, NULL, &size), E_INVALIDARG);
    CHECK_EQ_U(name_len, 0);
    CHECK_EQ_U(ty, 0);
    CHECK_EQ_U(size, 0);
    CHECK_HR(wm_stream_config_get_property_by_index(sc, 0, NULL, NULL, &ty, NULL, &size), E_INVALIDARG);
    CHECK_HR(wm_stream_config_get_property_by_index(NULL, 0, NULL, &name_len, &ty, NULL, &size), E_POINTER);

    /* copy, clear */
    CHECK_HR(wm_stream_config_copy_properties_from(copy, sc), S_OK);
    CHECK_HR(wm_stream_config_get_property_count(copy, &n), S_OK);
    CHECK_EQ_U(n, 3);
    CHECK_HR(wm_stream_config_clear(copy), S_OK);
    CHECK_HR(wm_stream_config_get_property_count(copy, &n), S_OK);
    CHECK_EQ_U(n, 0);
    CHECK_HR(wm_stream_config_get_property_count(sc, &n), S_OK);
    CHECK_EQ_U(n, 3);
    CHECK_HR(wm_stream_config_copy_properties_from(copy, NULL), E_INVALIDARG);
    CHECK_HR(wm_stream_config_copy_properties_from(NULL, sc), E_POINTER);
    CHECK_HR(wm_stream_config_clear(NULL), E_POINTER);

    wm_stream_config_release(copy);
    wm_stream_config_release(sc);
    wm_profile_release(p);
    wm_profile_manager_release(m);
    return wm_t_summary();
}
