// RIFF/WAVE parsing: integer PCM of 8, 16, 24 and 32 bits, IEEE float 32/64, A-law and mu-law, WAVE_FORMAT_EXTENSIBLE,
// any channel count and rate. Tolerates what real files do: odd-sized chunks, unknown chunks, and a data size of
// 0 or 0xFFFFFFFF (streamed writers such as ffmpeg on a pipe) or larger than the file (truncated copies).
using System.Buffers.Binary;

namespace DgTools.Audio;

public static class WavReader
{
    public sealed record Format(int Encoding, int Channels, int SampleRate, int BitsPerSample)
    {
        public int BlockAlign => Channels * BitsPerSample / 8;
    }

    private const int Pcm = 1, IeeeFloat = 3, ALaw = 6, MuLaw = 7, Extensible = 0xFFFE;

    public static bool LooksLikeWav(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8);

    /// <summary>Reads the format and where the samples are, without decoding them. Throws InvalidDataException.</summary>
    public static (Format Format, long DataOffset, long DataLength) ReadHeader(ReadOnlySpan<byte> bytes, long fileLength)
    {
        if (!LooksLikeWav(bytes)) throw new InvalidDataException("not a RIFF/WAVE file");
        Format? format = null;
        long pos = 12;
        while (pos + 8 <= bytes.Length)
        {
            var id = bytes.Slice((int)pos, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice((int)pos + 4, 4));
            long body = pos + 8;
            if (id.SequenceEqual("fmt "u8)) format = ParseFmt(bytes[(int)Math.Min(body, bytes.Length)..], size);
            else if (id.SequenceEqual("data"u8)) return DataChunk(format, body, size, fileLength);
            pos = body + size + (size & 1);
        }
        throw new InvalidDataException(format is null ? "no fmt chunk" : "no data chunk");
    }

    /// <summary>The same as the span version, seeking from chunk to chunk: the data chunk may follow metadata chunks
    /// of any size (a 20 MB LIST or iXML chunk), far past any fixed-size head.</summary>
    public static (Format Format, long DataOffset, long DataLength) ReadHeader(Stream stream)
    {
        var fileLength = stream.Length;
        Span<byte> chunk = stackalloc byte[12];
        stream.Position = 0;
        if (stream.ReadAtLeast(chunk, 12, throwOnEndOfStream: false) < 12 || !LooksLikeWav(chunk)) throw new InvalidDataException("not a RIFF/WAVE file");
        Format? format = null;
        long pos = 12;
        while (pos + 8 <= fileLength)
        {
            stream.Position = pos;
            stream.ReadExactly(chunk[..8]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..8]);
            long body = pos + 8;
            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                var fmt = new byte[(int)Math.Min(Math.Min(size, 64), fileLength - body)];
                stream.ReadExactly(fmt);
                format = ParseFmt(fmt, size);
            }
            else if (chunk[..4].SequenceEqual("data"u8)) return DataChunk(format, body, size, fileLength);
            pos = body + size + (size & 1);
        }
        throw new InvalidDataException(format is null ? "no fmt chunk" : "no data chunk");
    }

    /// <param name="f">The fmt chunk's body (possibly cut short by the end of the file).</param>
    private static Format ParseFmt(ReadOnlySpan<byte> f, long size)
    {
        if (size < 16 || f.Length < 16) throw new InvalidDataException("fmt chunk is too short");
        int encoding = BinaryPrimitives.ReadUInt16LittleEndian(f);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(f[2..]);
        int rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(f[4..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(f[14..]);
        if (encoding == Extensible)
        {
            if (size < 40 || f.Length < 26) throw new InvalidDataException("extensible fmt chunk is too short");
            encoding = BinaryPrimitives.ReadUInt16LittleEndian(f[24..]); // first two bytes of the sub-format GUID
        }
        var format = new Format(encoding, channels, rate, bits);
        Validate(format);
        return format;
    }

    private static (Format, long, long) DataChunk(Format? format, long body, long size, long fileLength)
    {
        if (format is null) throw new InvalidDataException("data chunk before fmt chunk");
        long available = fileLength - body;
        long length = size == 0 || size == uint.MaxValue || size > available ? available : size;
        length -= length % format.BlockAlign;
        return (format, body, length);
    }

    private static void Validate(Format f)
    {
        if (f.Channels < 1) throw new InvalidDataException("zero channels");
        if (f.SampleRate < 1000 || f.SampleRate > 768_000) throw new InvalidDataException($"implausible sample rate {f.SampleRate} Hz");
        bool ok = f.Encoding switch
        {
            Pcm => f.BitsPerSample is 8 or 16 or 24 or 32,
            IeeeFloat => f.BitsPerSample is 32 or 64,
            ALaw or MuLaw => f.BitsPerSample == 8,
            _ => false,
        };
        if (!ok) throw new InvalidDataException($"unsupported WAV encoding {f.Encoding} with {f.BitsPerSample} bits");
    }

    /// <summary>Decodes a whole WAV file held in memory into mono samples in [-1, 1] (channels averaged).</summary>
    public static DecodedAudio Decode(ReadOnlySpan<byte> bytes)
    {
        var (format, offset, length) = ReadHeader(bytes, bytes.Length);
        var data = bytes.Slice((int)offset, (int)length);
        var mono = new float[length / format.BlockAlign];
        ToMono(data, format, mono);
        return new DecodedAudio(mono, format.SampleRate);
    }

    /// <summary>Converts whole frames of sample data into mono samples in [-1, 1] (channels averaged): one per frame
    /// of <paramref name="data"/>, which must hold exactly <c>mono.Length</c> frames.</summary>
    public static void ToMono(ReadOnlySpan<byte> data, Format format, Span<float> mono)
    {
        int channels = format.Channels, width = format.BitsPerSample / 8;
        float scale = 1f / channels;
        for (int i = 0; i < mono.Length; i++)
        {
            float sum = 0;
            var frame = data.Slice(i * format.BlockAlign, format.BlockAlign);
            for (int c = 0; c < channels; c++) sum += Sample(frame.Slice(c * width, width), format);
            mono[i] = sum * scale;
        }
    }

    private static float Sample(ReadOnlySpan<byte> s, Format f) => (f.Encoding, f.BitsPerSample) switch
    {
        (Pcm, 8) => (s[0] - 128) / 128f,
        (Pcm, 16) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
        (Pcm, 24) => ((s[0] | s[1] << 8 | (sbyte)s[2] << 16)) / 8388608f,
        (Pcm, 32) => (float)(BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0),
        (IeeeFloat, 32) => BinaryPrimitives.ReadSingleLittleEndian(s),
        (IeeeFloat, 64) => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
        (ALaw, _) => ALawToLinear(s[0]) / 32768f,
        _ => MuLawToLinear(s[0]) / 32768f,
    };

    private static int ALawToLinear(byte a)
    {
        a ^= 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        t = seg switch { 0 => t + 8, 1 => t + 0x108, _ => (t + 0x108) << (seg - 1) };
        return (a & 0x80) != 0 ? t : -t;
    }

    private static int MuLawToLinear(byte u)
    {
        u = (byte)~u;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }
}

/// <summary>Mono samples in [-1, 1] at their native rate.</summary>
public sealed record DecodedAudio(float[] Samples, int SampleRate)
{
    public double DurationSeconds => Samples.Length / (double)SampleRate;
}
