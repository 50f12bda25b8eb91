using System.Buffers.Binary;

namespace DgTools.Tests.Audio;

/// <summary>Writes WAV files of any layout for decoder tests, and reads the raw float fixtures.</summary>
internal static class AudioTestFiles
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Audio", name);

    public static float[] ReadF32(string name)
    {
        var bytes = File.ReadAllBytes(Fixture(name));
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        return values;
    }

    /// <summary>A WAV with <paramref name="channels"/> channels; channel c of frame i holds value(i, c) in [-1, 1].</summary>
    public static byte[] Wav(int rate, int channels, int frames, Func<int, int, double> value, int encoding = 1, int bits = 16,
        bool extensible = false, bool streamedSize = false, bool extraChunk = false)
    {
        int width = bits / 8;
        var data = new byte[frames * channels * width];
        for (int i = 0; i < frames; i++)
        for (int c = 0; c < channels; c++)
        {
            double v = value(i, c);
            var s = data.AsSpan((i * channels + c) * width, width);
            switch (encoding, bits)
            {
                case (1, 8): s[0] = (byte)Math.Clamp(Math.Round(v * 128 + 128), 0, 255); break;
                case (1, 16): BinaryPrimitives.WriteInt16LittleEndian(s, (short)Math.Clamp(Math.Round(v * 32768), -32768, 32767)); break;
                case (1, 24):
                    int i24 = (int)Math.Clamp(Math.Round(v * 8388608), -8388608, 8388607);
                    s[0] = (byte)i24; s[1] = (byte)(i24 >> 8); s[2] = (byte)(i24 >> 16); break;
                case (1, 32): BinaryPrimitives.WriteInt32LittleEndian(s, (int)Math.Clamp(Math.Round(v * 2147483648.0), int.MinValue, int.MaxValue)); break;
                case (3, 32): BinaryPrimitives.WriteSingleLittleEndian(s, (float)v); break;
                case (3, 64): BinaryPrimitives.WriteDoubleLittleEndian(s, v); break;
                default: throw new ArgumentException("unsupported test layout");
            }
        }
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8); w.Write(0); w.Write("WAVE"u8);
        if (extraChunk) { w.Write("LIST"u8); w.Write(3); w.Write("abc"u8); w.Write((byte)0); }
        w.Write("fmt "u8); w.Write(extensible ? 40 : 16);
        w.Write((short)(extensible ? 0xFFFE : encoding)); w.Write((short)channels); w.Write(rate);
        w.Write(rate * channels * width); w.Write((short)(channels * width)); w.Write((short)bits);
        if (extensible)
        {
            w.Write((short)22); w.Write((short)bits); w.Write(0);
            w.Write((short)encoding); w.Write(new byte[] { 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71 });
        }
        w.Write("data"u8); w.Write(streamedSize ? -1 : data.Length); w.Write(data);
        w.Flush();
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        return bytes;
    }
}
