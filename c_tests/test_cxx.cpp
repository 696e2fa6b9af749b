// test_cxx: the C++17 layer (include/wmwriter.hpp), built with -Wall -Wextra -Wpedantic
// -Werror and run under valgrind too.
//  - wm::ref<T>: copy = add_ref, move transfers, destructor / reset / put() release,
//    attach / borrow / detach, self-assignment; counts read back through the C
//    add_ref/release return values;
//  - wm::error / wm::check: allocating a sample before begin_writing throws wm::error
//    with hresult() == NS_E_INVALID_REQUEST, its name and the last-error message;
//    wm::result / wm::capture carry the same without throwing;
//  - a 1 s 16-bit stereo PCM file written through the wrappers, then checked on disk.
#include "wmwriter.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace {

int g_passed = 0;
int g_failed = 0;

void report(bool ok, const char *what, const char *file, int line) {
    if (ok) {
        g_passed++;
    } else {
        g_failed++;
        std::cerr << file << ":" << line << ": FAILED " << what << "\n";
    }
}

#define CHECK(cond) report((cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b)                                                                  \
    do {                                                                                \
        const auto a_ = (a);                                                            \
        const auto b_ = (b);                                                            \
        report(a_ == b_, #a " == " #b, __FILE__, __LINE__);                             \
        if (!(a_ == b_)) std::cerr << "    got " << a_ << ", expected " << b_ << "\n"; \
    } while (0)

// The current reference count of `r` (add_ref then release; both return the new count).
template <class T>
std::uint32_t count(const wm::ref<T> &r) {
    wm::handle_traits<T>::add_ref(r.get());
    return wm::handle_traits<T>::release(r.get());
}

void test_ref_counts() {
    wm::ref<WMWriter> a = wm::create_writer();
    CHECK(static_cast<bool>(a));
    CHECK_EQ(count(a), 1u);
    {
        wm::ref<WMWriter> b = a; // copy: add_ref
        CHECK(b == a);
        CHECK_EQ(count(a), 2u);
        wm::ref<WMWriter> c = std::move(b); // move: no change
        CHECK(!b);
        CHECK(b == nullptr);
        CHECK(c.get() == a.get());
        CHECK_EQ(count(a), 2u);
        wm::ref<WMWriter> d;
        d = c; // copy assignment
        CHECK_EQ(count(a), 3u);
        d = std::move(c); // move assignment onto the same object: one reference fewer
        CHECK(!c);
        CHECK_EQ(count(a), 2u);
        wm::ref<WMWriter> &self = d;
        d = self; // self copy-assignment
        CHECK_EQ(count(a), 2u);
        d = std::move(self); // self move-assignment keeps the reference
        CHECK(d.get() == a.get());
        CHECK_EQ(count(a), 2u);
        d.reset();
        CHECK(!d);
        CHECK_EQ(count(a), 1u);
        d = a;
        CHECK_EQ(count(a), 2u);
    } // d released
    CHECK_EQ(count(a), 1u);

    // borrow adds a reference of its own; attach/detach move one in and out.
    {
        wm::ref<WMWriter> b = wm::ref<WMWriter>::borrow(a.get());
        CHECK_EQ(count(a), 2u);
        WMWriter *raw = b.detach();
        CHECK(!b);
        CHECK_EQ(count(a), 2u);
        wm::ref<WMWriter> c = wm::ref<WMWriter>::attach(raw);
        CHECK_EQ(count(a), 2u);
    }
    CHECK_EQ(count(a), 1u);

    // put(): releases the old object before the out-param is filled.
    {
        wm::ref<WMWriter> b = a;
        CHECK_EQ(count(a), 2u);
        CHECK_EQ(wm_create_writer(b.put()), S_OK);
        CHECK(b.get() != a.get());
        CHECK_EQ(count(a), 1u);
        CHECK_EQ(count(b), 1u);
        wm::ref<WMWriter> c = std::move(b);
        swap(b, c);
        CHECK_EQ(count(b), 1u);
        CHECK(!c);
    }

    // Other handle types use their own add_ref/release.
    wm::ref<WMProfileManager> m = wm::create_profile_manager();
    wm::ref<WMProfile> p = wm::create_empty_profile(m);
    wm::ref<WMProfile> p2 = p;
    CHECK_EQ(count(p), 2u);
    CHECK_EQ(count(m), 1u);
    wm::ref<WMStreamConfig> s = wm::create_new_stream(p, WMMEDIATYPE_Audio);
    CHECK_EQ(count(s), 1u);
    wm::ref<WMBuffer> buf = wm::create_buffer(64);
    wm::ref<WMBuffer> buf2 = buf;
    CHECK_EQ(count(buf), 2u);
    buf2 = nullptr;
    CHECK_EQ(count(buf), 1u);
    CHECK_EQ(wm::length(buf), 0u);
    wm::set_length(buf, 64);
    CHECK_EQ(wm::length(buf), 64u);
}

void test_errors() {
    wm::ref<WMWriter> w = wm::create_writer();
    bool thrown = false;
    try {
        (void)wm::allocate_sample(w, 100); // before begin_writing
    } catch (const wm::error &e) {
        thrown = true;
        CHECK_EQ(e.hresult(), NS_E_INVALID_REQUEST);
        CHECK_EQ(std::string(e.name()), std::string("NS_E_INVALID_REQUEST"));
        CHECK(!e.message().empty());
        CHECK(std::string(e.what()).find("NS_E_INVALID_REQUEST") != std::string::npos);
        CHECK(std::string(e.what()).find("wm_writer_allocate_sample") != std::string::npos);
        CHECK(std::string(e.what()).find(e.message()) != std::string::npos);
        const std::runtime_error &base = e; // derives std::runtime_error
        CHECK(std::strcmp(base.what(), e.what()) == 0);
    }
    CHECK(thrown);

    // check(): success codes pass through, failures throw.
    CHECK_EQ(wm::check(S_OK), S_OK);
    CHECK_EQ(wm::check(S_FALSE), S_FALSE);
    thrown = false;
    try {
        wm::check(E_INVALIDARG);
    } catch (const std::runtime_error &e) {
        thrown = true;
        CHECK(std::string(e.what()).find("E_INVALIDARG") != std::string::npos);
    }
    CHECK(thrown);

    // result / capture: the same failure without an exception.
    auto r = wm::capture([&] { return wm::allocate_sample(w, 100); });
    CHECK(!r);
    CHECK_EQ(r.hresult(), NS_E_INVALID_REQUEST);
    CHECK_EQ(r.error().hresult(), NS_E_INVALID_REQUEST);
    thrown = false;
    try {
        (void)r.value();
    } catch (const wm::error &e) {
        thrown = true;
        CHECK_EQ(e.hresult(), NS_E_INVALID_REQUEST);
    }
    CHECK(thrown);

    auto ok = wm::capture([] { return wm::create_profile_manager(); });
    CHECK(ok.has_value());
    CHECK_EQ(ok.hresult(), S_OK);
    CHECK(static_cast<bool>(*ok));
    CHECK_EQ(count(ok.value()), 1u);

    auto v = wm::capture([&] { wm::begin_writing(w); }); // no profile
    CHECK(!v);
    CHECK(v.hresult() < 0);
    auto v2 = wm::capture([] {});
    CHECK(v2.has_value());
    v2.value();
}

void test_write_pcm(const std::string &dir) {
    const std::string path = dir + "/cxx_pcm.wma";
    std::remove(path.c_str());
    constexpr std::uint32_t rate = 44100, channels = 2, bits = 16;
    constexpr std::uint32_t chunk_frames = rate / 10; // 100 ms
    constexpr std::uint32_t chunk_bytes = chunk_frames * channels * bits / 8;

    wm::ref<WMWriter> w = wm::create_writer();
    {
        wm::ref<WMProfile> p = wm::create_empty_profile(wm::create_profile_manager());
        wm::set_name(p, "C++ test");
        CHECK_EQ(wm::add_pcm_stream(p, channels, rate, bits), 1u);
        CHECK_EQ(wm::stream_count(p), 1u);
        wm::set_profile(w, p);
    } // the writer keeps what it needs of the profile
    CHECK_EQ(wm::input_count(w), 1u);
    wm::set_output_filename(w, path);
    wm::begin_writing(w);

    std::vector<std::uint8_t> pcm(chunk_bytes);
    std::uint32_t lcg = 12345;
    for (std::uint64_t chunk = 0; chunk < 10; chunk++) {
        for (auto &byte : pcm) {
            lcg = lcg * 1664525u + 1013904223u;
            byte = static_cast<std::uint8_t>(lcg >> 24);
        }
        const std::uint64_t time = chunk * 1000000u; // 100 ns units
        if (chunk % 2 == 0) {
            wm::write_sample(w, 0, time, pcm.data(), pcm.size());
        } else {
            wm::ref<WMBuffer> b = wm::allocate_sample(w, chunk_bytes);
            std::memcpy(wm::data(b), pcm.data(), pcm.size());
            wm::set_length(b, chunk_bytes);
            wm::write_sample(w, 0, time, b);
            CHECK(count(b) >= 1u);
        }
    }
    wm::end_writing(w);
    CHECK_EQ(count(w), 1u);
    w.reset();

    std::ifstream in(path, std::ios::binary);
    CHECK(static_cast<bool>(in));
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    static const unsigned char asf_header_guid[16] = {0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11,
                                                      0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C};
    CHECK(bytes.size() > 10u * chunk_bytes);
    CHECK(bytes.size() >= 16 && std::memcmp(bytes.data(), asf_header_guid, 16) == 0);
}

} // namespace

int main(int argc, char **argv) {
    const std::string dir = argc > 1 ? argv[1] : ".";
    if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
        std::cerr << "cannot create " << dir << "\n";
        return 1;
    }
    try {
        test_ref_counts();
        test_errors();
        test_write_pcm(dir);
    } catch (const std::exception &e) {
        std::cerr << "unexpected exception: " << e.what() << "\n";
        g_failed++;
    }
    std::cout << g_passed << " passed, " << g_failed << " failed\n";
    return g_failed ? 1 : 0;
}
