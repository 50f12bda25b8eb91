using DgTools.Audio;
using DgTools.Tests.Data;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Audio;

public sealed class AudioDecoderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dgtools-audio-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static double Ramp(int i, int c) => (i % 200 - 100) / 128.0 * (c == 0 ? 1 : -0.5);

    [Theory]
    [InlineData(1, 8, 1.0 / 128)]
    [InlineData(1, 16, 1.0 / 32768)]
    [InlineData(1, 24, 1.0 / 8388608)]
    [InlineData(1, 32, 1e-7)]
    [InlineData(3, 32, 1e-7)]
    [InlineData(3, 64, 1e-7)]
    public void Wav_sample_formats_decode_to_the_same_values(int encoding, int bits, double tolerance)
    {
        var path = Write("x.wav", AudioTestFiles.Wav(22050, 1, 1000, Ramp, encoding, bits));
        var audio = AudioDecoder.Decode(path);
        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(1000, audio.Samples.Length);
        for (int i = 0; i < 1000; i++) Assert.True(Math.Abs(audio.Samples[i] - Ramp(i, 0)) <= tolerance + 1e-9, $"sample {i}");
    }

    [Fact]
    public void Channels_are_averaged()
    {
        var path = Write("stereo.wav", AudioTestFiles.Wav(8000, 3, 500, (i, c) => c * 0.25, bits: 16));
        var audio = AudioDecoder.Decode(path);
        Assert.All(audio.Samples, s => Assert.Equal(0.25, s, 4));
    }

    [Fact]
    public void Extensible_format_streamed_size_and_odd_chunks_are_read()
    {
        var path = Write("ext.wav", AudioTestFiles.Wav(48000, 2, 480, Ramp, 3, 32, extensible: true, streamedSize: true, extraChunk: true));
        var audio = AudioDecoder.Decode(path);
        Assert.Equal(480, audio.Samples.Length);
        Assert.Equal((Ramp(7, 0) + Ramp(7, 1)) / 2, audio.Samples[7], 5);
        Assert.Equal(0.01, AudioDecoder.ProbeDuration(path)!.Value, 6);
    }

    [Fact]
    public void LoadMono16k_resamples_to_the_model_rate()
    {
        var path = Write("a.wav", AudioTestFiles.Wav(8000, 1, 8000, (i, _) => Math.Sin(2 * Math.PI * 300 * i / 8000.0) * 0.5));
        var samples = AudioDecoder.LoadMono16k(path);
        Assert.Equal(16000, samples.Length);
        // Well inside the signal, the 16 kHz samples follow the same 300 Hz sine.
        for (int i = 2000; i < 14000; i += 37)
            Assert.Equal(Math.Sin(2 * Math.PI * 300 * i / 16000.0) * 0.5 * 1.0, samples[i], 1);
    }

    [Theory]
    [InlineData("tone.mp3", 22050)]  // NLayer
    [InlineData("tone.ogg", 22050)]  // NVorbis
    [InlineData("tone.flac", 22050)] // ffmpeg from here on
    [InlineData("tone.opus", 48000)] // Ogg, but not Vorbis: Opus always decodes at 48 kHz
    [InlineData("tone.m4a", 22050)]
    public void Compressed_formats_decode_to_the_tone(string file, int rate)
    {
        var audio = AudioDecoder.Decode(AudioTestFiles.Fixture(file));
        Assert.Equal(rate, audio.SampleRate);
        Assert.InRange(audio.DurationSeconds, 0.49, 0.58); // MP3 adds encoder padding
        double at440 = Goertzel(audio.Samples, audio.SampleRate, 440), at1000 = Goertzel(audio.Samples, audio.SampleRate, 1000);
        Assert.True(at440 > 100 * at1000, $"440 Hz power {at440}, 1 kHz power {at1000}");
        Assert.InRange(audio.Samples.Max(), 0.3f, 0.5f);
    }

    [Fact]
    public void Probe_reads_durations_from_headers()
    {
        Assert.Equal(0.5, AudioDecoder.ProbeDuration(AudioTestFiles.Fixture("tone.flac"))!.Value, 3);
        Assert.Equal(0.5, AudioDecoder.ProbeDuration(AudioTestFiles.Fixture("tone.ogg"))!.Value, 2);
        Assert.Null(AudioDecoder.ProbeDuration(AudioTestFiles.Fixture("tone.mp3")));
        Assert.Equal(1.0, AudioDecoder.ProbeDuration(AudioTestFiles.Fixture("speechlike_44k.wav"))!.Value, 6);
    }

    [Theory]
    [InlineData("empty.wav", 0, "audio file is empty")]
    [InlineData("garbage.wav", 1, "cannot decode audio")]
    [InlineData("truncated.wav", 2, "cannot decode audio")]
    [InlineData("noise.flac", 1, "cannot decode audio")]
    [InlineData("header-only.wav", 3, "audio file has no samples")]
    public void Broken_files_are_one_line_audio_errors_naming_the_file(string name, int kind, string message)
    {
        var good = AudioTestFiles.Wav(16000, 1, 100, Ramp);
        byte[] bytes = kind switch
        {
            0 => [],
            1 => System.Text.Encoding.ASCII.GetBytes("this is not audio at all, just some text that goes on for a while"),
            2 => good[..30],
            _ => AudioTestFiles.Wav(16000, 1, 0, Ramp),
        };
        var path = Write(name, bytes);
        var e = Assert.Throws<AudioError>(() => AudioDecoder.LoadMono16k(path));
        Assert.StartsWith(message, e.Message);
        Assert.Equal(path, e.Path);
        Assert.DoesNotContain('\n', e.OneLine);
    }

    [Theory]
    [InlineData(44100, 16000, 1)]
    [InlineData(44100, 16000, 7)]
    [InlineData(8000, 16000, 1000)]
    [InlineData(48000, 16000, 65536)]
    [InlineData(22050, 16000, 100_000)]
    public void The_streaming_resampler_gives_the_whole_input_resamplers_samples(int from, int to, int chunk)
    {
        var rng = new Random(from + chunk);
        var input = Enumerable.Range(0, 30_011).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var resampler = new Resampler(from, to);
        int at = 0;
        int Read(Span<float> destination)
        {
            int n = Math.Min(Math.Min(destination.Length, chunk), input.Length - at);
            input.AsSpan(at, n).CopyTo(destination);
            at += n;
            return n;
        }
        Assert.Equal(resampler.Process(input), resampler.Process(input.Length, Read, chunk));
    }

    [Theory]
    [InlineData(44100, 2, 16, 16000)]
    [InlineData(8000, 1, 8, 16000)]
    [InlineData(48000, 3, 32, 16000)]
    [InlineData(16000, 2, 24, 16000)]
    public void A_wav_file_streamed_from_disk_loads_as_the_whole_file_decoded(int rate, int channels, int bits, int target)
    {
        // 200,001 frames: more than three of the loader's 64k-frame chunks, and not a multiple of one.
        var path = Write("long.wav", AudioTestFiles.Wav(rate, channels, 200_001, (i, c) => Math.Sin(i * 0.01 * (c + 1)) * 0.7, bits: bits));
        var whole = AudioDecoder.Decode(path);
        Assert.Equal(Resampler.Resample(whole.Samples, whole.SampleRate, target), AudioDecoder.Load(path, target));
    }

    [Fact]
    public void A_nan_sample_far_into_a_streamed_wav_is_an_audio_error()
    {
        var nan = Write("nan.wav", AudioTestFiles.Wav(44100, 1, 150_000, (i, _) => i == 140_000 ? double.NaN : 0.1, encoding: 3, bits: 32));
        var e = Assert.Throws<AudioError>(() => AudioDecoder.LoadMono16k(nan));
        Assert.Equal(("audio has NaN or infinite samples", nan), (e.Message, e.Path));
    }

    [FsddFact]
    public void Real_8k_recording_loads_at_16k()
    {
        var path = Path.Combine(SharedData.FsddDigits, "0_george_1.wav");
        var native = AudioDecoder.Decode(path);
        Assert.Equal(8000, native.SampleRate);
        var samples = AudioDecoder.LoadMono16k(path);
        Assert.Equal(native.Samples.Length * 2, samples.Length);
        Assert.True(samples.Max(Math.Abs) > 0.05f);
    }

    private static double Goertzel(float[] x, int rate, double freq)
    {
        double w = 2 * Math.PI * freq / rate, c = 2 * Math.Cos(w), s1 = 0, s2 = 0;
        foreach (var v in x) { double s = v + c * s1 - s2; s2 = s1; s1 = s; }
        return s1 * s1 + s2 * s2 - c * s1 * s2;
    }
}
