#include <cstdint>
#include <cstdio>
#include <vector>
#include <wmwriter.hpp>

int main() try {
    auto writer = wm::create_writer();
    auto profile = wm::create_empty_profile(wm::create_profile_manager());
    wm::add_pcm_stream(profile, 2, 44100, 16);  // stereo, 44.1 kHz, 16-bit
    wm::set_profile(writer, profile);
    wm::set_output_filename(writer, "quickstart.wma");
    wm::begin_writing(writer);
    std::vector<std::int16_t> pcm(4410 * 2);   // 100 ms of silence
    for (std::uint64_t t = 0; t < 10; t++)     // 1 s; times in 100 ns units
        wm::write_sample(writer, 0, t * 1000000, pcm.data(), pcm.size() * 2);
    wm::end_writing(writer);
} catch (const wm::error &e) {                 // .hresult(), .name(), .message()
    return std::fprintf(stderr, "%s\n", e.what()), 1;
}
