// 16-bit PCM mono WAV, the format every extracted clip is written in (at the clip's own sample rate: the game audio
// stays at 11.025 kHz, dgtools resamples when it reads).
namespace DgTools.RealSpeech.Corpus;

public static class WavFile
{
    public static void WritePcm16(Stream stream, ReadOnlySpan<float> samples, int sampleRate)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.ASCII, leaveOpen: true);
        int dataBytes = samples.Length * 2;
        w.Write("RIFF"u8); w.Write(36 + dataBytes); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(sampleRate); w.Write(sampleRate * 2);
        w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(dataBytes);
        var buffer = new byte[Math.Min(dataBytes, 1 << 16)];
        for (int at = 0; at < samples.Length;)
        {
            int n = Math.Min(buffer.Length / 2, samples.Length - at);
            for (int i = 0; i < n; i++)
            {
                var v = (short)Math.Clamp(MathF.Round(samples[at + i] * 32767f), -32768f, 32767f);
                buffer[2 * i] = (byte)v;
                buffer[2 * i + 1] = (byte)(v >> 8);
            }
            w.Write(buffer, 0, 2 * n);
            at += n;
        }
    }

    /// <summary>Seconds of a PCM WAV written by <see cref="WritePcm16"/> (read from its header).</summary>
    public static double Seconds(string path)
    {
        Span<byte> head = stackalloc byte[44];
        using var f = File.OpenRead(path);
        f.ReadExactly(head);
        int rate = BitConverter.ToInt32(head[24..]);
        int dataBytes = BitConverter.ToInt32(head[40..]);
        return dataBytes / 2.0 / rate;
    }
}
