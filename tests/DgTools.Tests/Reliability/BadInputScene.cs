// One bad-input case's world: a current directory holding a tiny trainable model (m.dg) and a resource directory
// with one data set folder (dgdatasets/s). Paths in expected messages are written {work}, {res} and {set}.
using System.Text;
using DgTools.Model;
using DgTools.Tests.TestSupport;

namespace DgTools.Tests.Reliability;

public sealed class BadInputScene : IDisposable
{
    private static readonly Lazy<byte[]> TinyModel = new(() =>
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("m.dg"), NewModel.Create("en", "m", NewModel.Preset("tiny"), seed: 3));
        return File.ReadAllBytes(dir.Combine("m.dg"));
    });

    private readonly TempDirectory _root = new("dgtools-badinput");

    public BadInputScene()
    {
        Directory.CreateDirectory(Work);
        Directory.CreateDirectory(Set);
        File.WriteAllBytes(Model, TinyModel.Value);
    }

    public string Work => _root.Combine("work");
    public string Res => _root.Combine("res");
    public string Set => Path.Combine(Res, "dgdatasets", "s");
    public string Model => Path.Combine(Work, "m.dg");
    public string Outside => _root.Combine("outside");

    public static byte[] TinyModelBytes => TinyModel.Value;

    public string Expand(string text) => text.Replace("{work}", Work).Replace("{res}", Res).Replace("{set}", Set).Replace("{outside}", Outside);

    public void Write(string relativeToSet, byte[] bytes) => File.WriteAllBytes(Path.Combine(Set, relativeToSet), bytes);
    public void Write(string relativeToSet, string text) => File.WriteAllText(Path.Combine(Set, relativeToSet), text);

    /// <summary>A usable pair: 0.5 s of a 16 kHz tone and a two-word transcript.</summary>
    public void GoodPair(string stem, string transcript = "one two")
    {
        Write(stem + ".wav", Wav.Tone(0.5));
        File.WriteAllText(Path.Combine(Set, stem + ".txt"), transcript);
    }

    /// <summary>Puts every named stem into validation, so a run that accepts the data stops before training.</summary>
    public void ValidateOnly(params string[] stems) => Write("keep_validate.lst", string.Join("\n", stems) + "\n");

    public void Dispose() => _root.Dispose();
}

/// <summary>Builds RIFF/WAVE bytes, well-formed or not.</summary>
public static class Wav
{
    public static byte[] Build(int encoding, int channels, int rate, int bits, byte[] data, uint? dataSize = null,
        int fmtSize = 16, bool dataFirst = false)
    {
        var fmt = new List<byte>();
        fmt.AddRange("fmt "u8.ToArray());
        fmt.AddRange(BitConverter.GetBytes(fmtSize));
        var body = new List<byte>();
        body.AddRange(BitConverter.GetBytes((short)encoding));
        body.AddRange(BitConverter.GetBytes((short)channels));
        body.AddRange(BitConverter.GetBytes(rate));
        body.AddRange(BitConverter.GetBytes(rate * channels * bits / 8));
        body.AddRange(BitConverter.GetBytes((short)(channels * bits / 8)));
        body.AddRange(BitConverter.GetBytes((short)bits));
        fmt.AddRange(body.Take(Math.Min(16, fmtSize)));
        var dataChunk = new List<byte>();
        dataChunk.AddRange("data"u8.ToArray());
        dataChunk.AddRange(BitConverter.GetBytes(dataSize ?? (uint)data.Length));
        dataChunk.AddRange(data);
        var all = new List<byte>();
        all.AddRange("RIFF"u8.ToArray());
        all.AddRange(BitConverter.GetBytes(4 + fmt.Count + dataChunk.Count));
        all.AddRange("WAVE"u8.ToArray());
        if (dataFirst) { all.AddRange(dataChunk); all.AddRange(fmt); }
        else { all.AddRange(fmt); all.AddRange(dataChunk); }
        return all.ToArray();
    }

    public static byte[] Tone(double seconds, int rate = 16000)
    {
        var samples = new byte[(int)(seconds * rate) * 2];
        for (var i = 0; i < samples.Length / 2; i++)
            BitConverter.TryWriteBytes(samples.AsSpan(i * 2), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / rate)));
        return Build(1, 1, rate, 16, samples);
    }

    /// <summary>The WAV with a chunk of <paramref name="size"/> zero bytes inserted before its data chunk (after fmt).</summary>
    public static byte[] WithChunkBeforeData(byte[] wav, string id, int size)
    {
        var dataAt = 12;
        while (Encoding.ASCII.GetString(wav, dataAt, 4) != "data") dataAt += 8 + BitConverter.ToInt32(wav, dataAt + 4);
        var chunk = new byte[8 + size];
        Encoding.ASCII.GetBytes(id).CopyTo(chunk, 0);
        BitConverter.TryWriteBytes(chunk.AsSpan(4), size);
        byte[] all = [.. wav[..dataAt], .. chunk, .. wav[dataAt..]];
        BitConverter.TryWriteBytes(all.AsSpan(4), all.Length - 8);
        return all;
    }

    public static byte[] Floats(params float[] values) =>
        Build(3, 1, 16000, 32, values.SelectMany(BitConverter.GetBytes).ToArray());

    public static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
