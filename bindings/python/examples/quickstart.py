import numpy as np
import wmwriter

# A profile: a 16-bit stereo 44.1 kHz PCM stream and a 320x240 I420 video stream.
profile = wmwriter.Profile(name="Quick start")
profile.add_audio_stream(channels=2, rate=44100, bits=16)   # input "Audio"
profile.add_video_stream(320, 240, fps=25, subtype="I420")  # input "Video"

writer = wmwriter.Writer(profile, "quickstart.wmv")
writer.metadata["Title"] = "Quick start"                    # attributes: before writing

t = np.arange(44100 // 25) / 44100                          # one frame's worth of audio
with writer:                                                # begin_writing ... end_writing
    for i in range(50):                                     # 2 seconds at 25 fps
        time = i * 400_000                                  # 100-ns units
        tone = (8000 * np.sin(2 * np.pi * 440 * (t + i / 25))).astype(np.int16)
        writer.write("Audio", time, np.column_stack([tone, tone]))
        frame = np.full(320 * 240 * 3 // 2, 128, np.uint8)  # Y plane, then U and V
        frame[:320 * 240] = (np.arange(320 * 240) // 320 + 4 * i) % 256
        writer.write("Video", time, frame, keyframe=True)   # one copy, from numpy's memory
writer.close()
print("wrote quickstart.wmv")
