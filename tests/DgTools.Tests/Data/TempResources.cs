using DgTools.Data;
using DgTools.Tests.Audio;

namespace DgTools.Tests.Data;

/// <summary>A throw-away resource directory with helpers to fill data sets.</summary>
internal sealed class TempResources : IDisposable
{
    public TempResources() => Resources = new ResourceDirectory(Directory.CreateTempSubdirectory("dgtools-data-").FullName);

    public ResourceDirectory Resources { get; }
    public string Root => Resources.Root;

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public string SetDir(string name, string language = "en")
    {
        var dir = Path.Combine(Resources.DatasetsRoot(language), name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string WriteFile(string dir, string name, byte[] bytes)
    {
        var path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static string WriteText(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A short voiced-sounding WAV whose content depends on <paramref name="seed"/>.</summary>
    public static byte[] Wav(int seed, int rate = 16000, double seconds = 0.4) =>
        AudioTestFiles.Wav(rate, 1, (int)(rate * seconds),
            (i, _) => 0.3 * Math.Sin(2 * Math.PI * (150 + 37 * seed) * i / rate) + 0.1 * Math.Sin(2 * Math.PI * (900 + 11 * seed) * i / rate));

    /// <summary>A pair: stem.wav + stem.txt.</summary>
    public static void Pair(string dir, string stem, string text, int seed, int rate = 16000)
    {
        WriteFile(dir, stem + ".wav", Wav(seed, rate));
        WriteText(dir, stem + ".txt", text);
    }
}
