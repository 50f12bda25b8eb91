// Any audio file -> mono float samples: WAV parsed here, MP3 by NLayer, Ogg Vorbis by NVorbis, everything else
// (FLAC, M4A/AAC, Opus, WMA, ...) by an ffmpeg subprocess. The format is sniffed from the bytes, not trusted from
// the extension. Every failure is an AudioError naming the file in one line.
using System.Diagnostics;

namespace DgTools.Audio;

public static class AudioDecoder
{
    public const int ModelSampleRate = 16000;

    /// <summary>Extensions discovery treats as audio (lower case, with the dot).</summary>
    public static readonly IReadOnlySet<string> AudioExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".wav", ".wave", ".mp3", ".ogg", ".oga", ".flac", ".m4a", ".mp4", ".aac", ".opus", ".webm", ".wma", ".aif",
        ".aiff", ".au", ".amr", ".caf",
    };

    public static bool IsAudioFile(string path) => AudioExtensions.Contains(Path.GetExtension(path));

    /// <summary>Mono samples at 16 kHz, the model rate.</summary>
    public static float[] LoadMono16k(string path) => Load(path, ModelSampleRate);

    /// <summary>Mono samples at <paramref name="sampleRate"/>. WAV files stream from disk (<see cref="LoadWav"/>); other
    /// formats are decoded whole, then resampled.</summary>
    public static float[] Load(string path, int sampleRate)
    {
        if (LoadWav(path, sampleRate) is { } streamed) return streamed;
        var audio = Decode(path);
        return Resampler.Resample(audio.Samples, audio.SampleRate, sampleRate);
    }

    private const int StreamFrames = 1 << 16;
    private const int HeaderBytes = 1 << 20;

    /// <summary>
    /// A WAV file read in chunks of 64k frames and resampled as they come: an hour of 44.1 kHz stereo is never in memory
    /// as bytes (635 MB) or at its own rate (635 MB), only as the result (230 MB at 16 kHz). The samples are those of
    /// the whole-file path. Null when the file is not a WAV whose header fits in its first megabyte, or the header is
    /// bad: the whole-file path then decides, with its errors.
    /// </summary>
    private static float[]? LoadWav(string path, int sampleRate)
    {
        FileStream stream;
        try { stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        using (stream)
        {
            try
            {
                var head = new byte[(int)Math.Min(stream.Length, HeaderBytes)];
                stream.ReadExactly(head);
                if (!WavReader.LooksLikeWav(head)) return null;
                WavReader.Format format;
                long offset, length;
                try { (format, offset, length) = WavReader.ReadHeader(stream); }
                catch (InvalidDataException) { return null; }
                long frames = length / format.BlockAlign;
                if (frames == 0) throw new AudioError("audio file has no samples", path);
                stream.Position = offset;
                var raw = new byte[StreamFrames * format.BlockAlign];
                long done = 0;
                int Read(Span<float> destination)
                {
                    int n = (int)Math.Min(Math.Min(destination.Length, StreamFrames), frames - done);
                    if (n <= 0) return 0;
                    var bytes = raw.AsSpan(0, n * format.BlockAlign);
                    stream.ReadExactly(bytes);
                    var mono = destination[..n];
                    WavReader.ToMono(bytes, format, mono);
                    RequireFinite(mono, path);
                    done += n;
                    return n;
                }
                if (format.SampleRate != sampleRate) return new Resampler(format.SampleRate, sampleRate).Process(frames, Read);
                if (frames > Array.MaxLength) throw new AudioError("recording is too long to load in one piece", path);
                var samples = new float[frames];
                for (int at = 0; at < samples.Length;) at += Read(samples.AsSpan(at));
                return samples;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AudioError($"cannot read audio file: {OneLine(e.Message)}", path, e);
            }
        }
    }

    public static DecodedAudio Decode(string path) => Decode(path, ReadAllBytes(path));

    /// <summary>Decodes bytes already read from <paramref name="path"/> (the feature cache hashes the same bytes).</summary>
    public static DecodedAudio Decode(string path, byte[] bytes)
    {
        if (bytes.Length == 0) throw new AudioError("audio file is empty", path);
        DecodedAudio audio;
        try
        {
            audio = Sniff(bytes) switch
            {
                Container.Wav => WavReader.Decode(bytes),
                Container.OggVorbis => DecodeVorbis(bytes),
                Container.Mp3 => DecodeMp3(bytes),
                _ => FfmpegDecoder.Decode(path),
            };
        }
        catch (AudioError) { throw; }
        // The decoders are third-party code fed with user files: whatever they throw is this file's problem.
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new AudioError($"cannot decode audio: {OneLine(e.Message)}", path, e);
        }
        if (audio.Samples.Length == 0) throw new AudioError("audio file has no samples", path);
        RequireFinite(audio.Samples, path);
        return audio;
    }

    /// <summary>Float WAV can carry NaN or infinity; one such sample would turn every feature and the training loss
    /// into NaN.</summary>
    private static void RequireFinite(ReadOnlySpan<float> samples, string path)
    {
        foreach (var sample in samples)
            if (!float.IsFinite(sample)) throw new AudioError("audio has NaN or infinite samples", path);
    }

    /// <summary>Duration from the header alone where the format allows it (WAV, FLAC, Ogg Vorbis); null when only a
    /// full decode would tell (MP3 and ffmpeg formats). Throws AudioError for an empty or unreadable file.</summary>
    public static double? ProbeDuration(string path)
    {
        byte[] head;
        long length;
        try
        {
            using var handle = File.OpenHandle(path);
            length = RandomAccess.GetLength(handle);
            if (length == 0) throw new AudioError("audio file is empty", path);
            head = new byte[(int)Math.Min(length, 4096)];
            if (RandomAccess.Read(handle, head, 0) < head.Length) throw new AudioError("audio file is shorter than it says", path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioError($"cannot read audio file: {OneLine(e.Message)}", path, e);
        }
        try
        {
            switch (Sniff(head))
            {
                case Container.Wav:
                    WavReader.Format format;
                    long dataLength;
                    using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096))
                        (format, _, dataLength) = WavReader.ReadHeader(stream);
                    if (dataLength < format.BlockAlign) throw new AudioError("audio file has no samples", path);
                    return dataLength / (double)format.BlockAlign / format.SampleRate;
                case Container.Flac:
                    return FlacDuration(head);
                case Container.OggVorbis:
                    using (var reader = new NVorbis.VorbisReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read), true))
                        return reader.TotalTime.TotalSeconds;
                default:
                    return null;
            }
        }
        catch (AudioError) { throw; }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new AudioError($"cannot decode audio: {OneLine(e.Message)}", path, e);
        }
    }

    private enum Container { Wav, OggVorbis, Mp3, Flac, Other }

    private static Container Sniff(ReadOnlySpan<byte> b)
    {
        if (WavReader.LooksLikeWav(b)) return Container.Wav;
        if (b.Length >= 4 && b[..4].SequenceEqual("fLaC"u8)) return Container.Flac;
        if (b.Length >= 4 && b[..4].SequenceEqual("OggS"u8))
            return b.Length > 64 && b[..64].IndexOf("\u0001vorbis"u8) >= 0 ? Container.OggVorbis : Container.Other;
        if (b.Length >= 3 && b[..3].SequenceEqual("ID3"u8)) return Container.Mp3;
        // An MPEG audio frame header: 11 sync bits, layer III, a valid bitrate and sample-rate index.
        if (b.Length >= 4 && b[0] == 0xFF && (b[1] & 0xE6) == 0xE2 && (b[2] & 0xF0) != 0xF0 && (b[2] & 0x0C) != 0x0C)
            return Container.Mp3;
        return Container.Other;
    }

    private static DecodedAudio DecodeVorbis(byte[] bytes)
    {
        using var reader = new NVorbis.VorbisReader(new MemoryStream(bytes), true);
        return Downmix(ReadAll((buffer, count) => reader.ReadSamples(buffer, 0, count), reader.Channels), reader.Channels, reader.SampleRate);
    }

    private static DecodedAudio DecodeMp3(byte[] bytes)
    {
        using var mp3 = new NLayer.MpegFile(new MemoryStream(bytes));
        var samples = ReadAll((buffer, count) => mp3.ReadSamples(buffer, 0, count), mp3.Channels);
        if (mp3.SampleRate <= 0) throw new InvalidDataException("no MPEG audio frames");
        return Downmix(samples, mp3.Channels, mp3.SampleRate);
    }

    private static float[] ReadAll(Func<float[], int, int> read, int channels)
    {
        var all = new List<float>(1 << 16);
        var buffer = new float[4096 * Math.Max(1, channels)];
        int n;
        while ((n = read(buffer, buffer.Length)) > 0) all.AddRange(buffer.AsSpan(0, n));
        return [.. all];
    }

    private static DecodedAudio Downmix(float[] interleaved, int channels, int sampleRate)
    {
        if (channels <= 1) return new DecodedAudio(interleaved, sampleRate);
        var mono = new float[interleaved.Length / channels];
        for (int i = 0; i < mono.Length; i++)
        {
            float sum = 0;
            for (int c = 0; c < channels; c++) sum += interleaved[i * channels + c];
            mono[i] = sum / channels;
        }
        return new DecodedAudio(mono, sampleRate);
    }

    // STREAMINFO is the first metadata block: 20 bits of sample rate, then 36 bits of total samples.
    private static double? FlacDuration(ReadOnlySpan<byte> head)
    {
        if (head.Length < 8 + 18 || (head[4] & 0x7F) != 0) return null;
        var info = head[8..];
        int rate = info[10] << 12 | info[11] << 4 | info[12] >> 4;
        long total = (long)(info[13] & 0x0F) << 32 | (long)info[14] << 24 | (long)info[15] << 16 | (long)info[16] << 8 | info[17];
        if (rate == 0) throw new InvalidDataException("FLAC stream has sample rate 0");
        if (total == 0) return null; // unknown length (streamed FLAC)
        return total / (double)rate;
    }

    private static byte[] ReadAllBytes(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioError($"cannot read audio file: {OneLine(e.Message)}", path, e);
        }
    }

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

/// <summary>Decodes through `ffmpeg` (a Debian package in scripts/apt-packages.txt) into a WAV stream on a pipe.</summary>
internal static class FfmpegDecoder
{
    public static DecodedAudio Decode(string path)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-nostdin", "-v", "error", "-i", path, "-vn", "-c:a", "pcm_f32le", "-f", "wav", "-" })
            start.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(start) ?? throw new AudioError("cannot start ffmpeg", path); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new AudioError($"cannot decode {Path.GetExtension(path)} audio: ffmpeg is not installed", path, e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            var error = stderr.Result;
            if (process.ExitCode != 0 || output.Length == 0)
            {
                var reason = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .LastOrDefault()?.Replace(path + ": ", "") ?? $"ffmpeg exit code {process.ExitCode}";
                throw new AudioError($"cannot decode audio: {reason}", path);
            }
            return WavReader.Decode(output.GetBuffer().AsSpan(0, (int)output.Length));
        }
    }
}
