// Writes the clips of one language's sources into dgtools' data-set layout (audio + same-stem .txt):
//   OUT/dgdatasets/real-<source>/<speaker>/<id>.wav|.txt    training
//   OUT/heldout/real-dev/<source>/<speaker>/<id>.wav|.txt   development set, held out by speaker
//   OUT/.../LICENSE                                        the source's licence beside every set built from it
//   OUT/manifest.tsv, OUT/stats.tsv                        every clip with speaker, split, seconds and text; totals
// Resumable: a clip whose .wav and .txt exist is not decoded again. Files of a set that the current build does not
// produce (a speaker that moved to the development set) are deleted, and speaker folders left empty with them, so
// held-out speakers never linger in training.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using DgTools.Audio;
using DgTools.RealSpeech.Sources;

namespace DgTools.RealSpeech.Corpus;

public sealed record BuildOptions(string Language, string OutputDirectory, DevSplit Split, int Threads = 1,
    double MinSeconds = 0.1, double MaxSeconds = 30.0);

public sealed record ManifestRow(string Source, string Split, string Speaker, string Id, string AudioPath, double Seconds,
    string RawText, string Text);

public sealed class CorpusBuilder(BuildOptions options, Action<string> log)
{
    private readonly TranscriptCleaner _cleaner = new(options.Language);

    public string TrainDirectory(string source) => Path.Combine(options.OutputDirectory, "dgdatasets", $"real-{source}");

    public string DevDirectory(string source) => Path.Combine(options.OutputDirectory, "heldout", "real-dev", source);

    /// <summary>Builds the given sources; the manifest keeps the rows of sources built earlier and not rebuilt now.</summary>
    public IReadOnlyList<ManifestRow> Build(IEnumerable<ISpeechSource> sources)
    {
        var rows = new List<ManifestRow>();
        var built = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var sourceRows = BuildSource(source);
            rows.AddRange(sourceRows);
            built.Add(source.Name);
            log($"{source.Name}: {sourceRows.Count} clips, {sourceRows.Sum(r => r.Seconds) / 3600:F2} h");
        }
        var all = ReadManifest().Where(r => !built.Contains(r.Source)).Concat(rows)
            .OrderBy(r => r.Source, StringComparer.Ordinal).ToList();
        WriteManifest(all);
        WriteStats(all);
        return rows;
    }

    private const string ManifestHeader = "source\tsplit\tspeaker\tid\tseconds\taudio\traw_text\ttext";

    private IEnumerable<ManifestRow> ReadManifest()
    {
        var path = Path.Combine(options.OutputDirectory, "manifest.tsv");
        if (!File.Exists(path)) yield break;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length != 8 || !double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) continue;
            var audio = Path.Combine(options.OutputDirectory, f[5]);
            if (File.Exists(audio)) yield return new ManifestRow(f[0], f[1], f[2], f[3], audio, seconds, f[6], f[7]);
        }
    }

    private List<ManifestRow> BuildSource(ISpeechSource source)
    {
        var clips = new List<(SpeechClip Clip, string Text)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int dropped = 0, duplicates = 0;
        foreach (var clip in source.Clips())
        {
            if (!seen.Add(clip.Id)) { duplicates++; continue; }
            var text = _cleaner.Clean(clip.Text);
            if (text is null) { dropped++; continue; }
            clips.Add((clip, text));
        }
        log($"{source.Name}: {clips.Count} clips with text, {dropped} dropped (empty, stage direction or one interjection)" +
            (duplicates > 0 ? $", {duplicates} duplicate ids skipped" : ""));

        var rows = new ConcurrentBag<ManifestRow>();
        int skipped = 0, done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads) };
        Parallel.ForEach(clips, parallel, item =>
        {
            var (clip, text) = item;
            bool dev = options.Split.IsHeldOut(source.Name, clip.Speaker);
            var dir = Path.Combine(dev ? DevDirectory(source.Name) : TrainDirectory(source.Name), SafeName(clip.Speaker));
            var wav = Path.Combine(dir, SafeName(clip.Id) + ".wav");
            var txt = Path.ChangeExtension(wav, ".txt");
            try
            {
                double seconds = File.Exists(wav) && File.Exists(txt) ? WavFile.Seconds(wav) : WriteAudio(clip, wav);
                if (seconds < options.MinSeconds || seconds > options.MaxSeconds)
                {
                    File.Delete(wav);
                    File.Delete(txt);
                    Interlocked.Increment(ref skipped);
                    return;
                }
                if (!File.Exists(txt) || File.ReadAllText(txt) != text + "\n")
                    AtomicFile.Write(txt, s => s.Write(Encoding.UTF8.GetBytes(text + "\n")));
                rows.Add(new ManifestRow(source.Name, dev ? "dev" : "train", clip.Speaker, clip.Id, wav, seconds,
                    TranscriptCleaner.Unmark(clip.Text), text));
            }
            catch (DgToolsException e)
            {
                log($"warning: {source.Name} {clip.Id}: {e.OneLine}; skipped");
                Interlocked.Increment(ref skipped);
            }
            int n = Interlocked.Increment(ref done);
            if (n % 500 == 0) log($"{source.Name}: {n}/{clips.Count}");
        });
        if (skipped > 0) log($"{source.Name}: {skipped} clips skipped (undecodable, or shorter than {options.MinSeconds} s / longer than {options.MaxSeconds} s)");

        var result = rows.OrderBy(r => r.Split, StringComparer.Ordinal).ThenBy(r => r.Speaker, StringComparer.Ordinal)
            .ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        foreach (var dir in new[] { TrainDirectory(source.Name), DevDirectory(source.Name) })
        {
            RemoveStale(dir, result);
            if (result.Any(r => r.AudioPath.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                AtomicFile.Write(Path.Combine(dir, "LICENSE"), s => s.Write(Encoding.UTF8.GetBytes(source.LicenseText)));
        }
        return result;
    }

    private static double WriteAudio(SpeechClip clip, string wav)
    {
        var audio = clip.LoadAudio();
        float[] samples;
        int rate;
        if (audio.Samples is not null) (samples, rate) = (audio.Samples, audio.SampleRate);
        else
        {
            var decoded = AudioDecoder.Decode(wav, audio.Encoded!);
            (samples, rate) = (decoded.Samples, decoded.SampleRate);
        }
        AtomicFile.Write(wav, s => WavFile.WritePcm16(s, samples, rate));
        return samples.Length / (double)rate;
    }

    /// <summary>Deletes clip files under <paramref name="dir"/> that this build did not produce.</summary>
    private void RemoveStale(string dir, IReadOnlyList<ManifestRow> rows)
    {
        if (!Directory.Exists(dir)) return;
        var keep = new HashSet<string>(rows.SelectMany(r => new[] { r.AudioPath, Path.ChangeExtension(r.AudioPath, ".txt") }),
            StringComparer.Ordinal);
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var ext = Path.GetExtension(file);
            if ((ext == ".wav" || ext == ".txt") && !keep.Contains(file)) { File.Delete(file); removed++; }
        }
        if (removed > 0) log($"removed {removed} files no longer in {dir}");
        // A speaker folder left empty would be a data set without pairs: dgtools refuses a folder of sets holding one.
        foreach (var sub in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
            if (!Directory.EnumerateFileSystemEntries(sub).Any()) Directory.Delete(sub);
    }

    private void WriteManifest(IReadOnlyList<ManifestRow> rows)
    {
        var sb = new StringBuilder(ManifestHeader + "\n");
        foreach (var r in rows)
            sb.Append(CultureInfo.InvariantCulture,
                $"{r.Source}\t{r.Split}\t{r.Speaker}\t{r.Id}\t{r.Seconds:F3}\t{Path.GetRelativePath(options.OutputDirectory, r.AudioPath)}\t{Tsv(r.RawText)}\t{r.Text}\n");
        AtomicFile.Write(Path.Combine(options.OutputDirectory, "manifest.tsv"), s => s.Write(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private void WriteStats(IReadOnlyList<ManifestRow> rows)
    {
        var sb = new StringBuilder("source\tsplit\tclips\thours\tspeakers\tspeaker_list\n");
        foreach (var g in rows.GroupBy(r => (r.Source, r.Split)).OrderBy(g => g.Key.Source).ThenByDescending(g => g.Key.Split))
        {
            var speakers = g.Select(r => r.Speaker).Distinct().Order(StringComparer.Ordinal).ToList();
            sb.Append(CultureInfo.InvariantCulture,
                $"{g.Key.Source}\t{g.Key.Split}\t{g.Count()}\t{g.Sum(r => r.Seconds) / 3600:F3}\t{speakers.Count}\t{string.Join(",", speakers)}\n");
        }
        foreach (var g in rows.GroupBy(r => r.Split).OrderByDescending(g => g.Key))
            sb.Append(CultureInfo.InvariantCulture,
                $"ALL\t{g.Key}\t{g.Count()}\t{g.Sum(r => r.Seconds) / 3600:F3}\t{g.Select(r => (r.Source, r.Speaker)).Distinct().Count()}\t\n");
        AtomicFile.Write(Path.Combine(options.OutputDirectory, "stats.tsv"), s => s.Write(Encoding.UTF8.GetBytes(sb.ToString())));
        log("\n" + sb.ToString().TrimEnd());
    }

    private static string Tsv(string s) => s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>A file-name-safe form of an id or speaker name.</summary>
    public static string SafeName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        return sb.Length == 0 ? "_" : sb.ToString();
    }
}
