namespace DgTools.Tests.Alignment;

/// <summary>Writes 16-bit mono PCM WAV files for tests.</summary>
internal static class TestWav
{
    public static void Write(string path, float[] samples, int sampleRate)
    {
        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + samples.Length * 2);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(sampleRate);
        w.Write(sampleRate * 2);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(samples.Length * 2);
        foreach (var s in samples) w.Write((short)Math.Clamp(Math.Round(s * 32767.0), -32768, 32767));
    }

    public static float[] Tone(double seconds, int sampleRate, double amplitude, double hz = 220) =>
        Enumerable.Range(0, (int)(seconds * sampleRate))
            .Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / sampleRate))).ToArray();
}
