// Finds the audio/transcript pairs of the data sets a run uses. A pair shares a stem ("a.wav" + "a.txt"), also in
// subfolders of a set. Everything a user can get wrong in a set is one warning line naming the file, then one
// summary line per set: audio without transcript, transcript without audio, empty transcript, empty or undecodable
// audio, recordings too long to train on whole. A set with no usable pair stops the run (DatasetError).
using System.Collections.Concurrent;
using DgTools.Audio;
using DgTools.Reporting;
using DgTools.Text;

namespace DgTools.Data;

public sealed record DiscoveryOptions
{
    /// <summary>Recordings longer than this go to the long-recording hook instead of training.</summary>
    public double MaxUtteranceSeconds { get; init; } = 20.0;

    /// <summary>Decode formats whose header has no duration (MP3, M4A, ...) to check them and learn their length.</summary>
    public bool DecodeWhenHeaderHasNoDuration { get; init; } = true;

    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}

/// <param name="LongRecordings">Pairs longer than the limit: autotrain aligns them and trains on their segments
/// (Training/LongRecordingExamples); SkippedFiles does not count them.</param>
public sealed record DiscoveryResult(
    IReadOnlyList<DatasetLocation> Datasets,
    IReadOnlyList<Utterance> Utterances,
    IReadOnlyList<Utterance> LongRecordings,
    int SkippedFiles);

public sealed class DatasetDiscovery(ResourceDirectory resources, string language, IRunReporter reporter, DiscoveryOptions? options = null)
{
    public const string TranscriptExtension = ".txt";
    /// <summary>Warnings about characters a set's transcripts use that the language cannot write; the rest are counted.</summary>
    public const int MaxDroppedCharacterWarnings = 5;
    private readonly DiscoveryOptions _options = options ?? new DiscoveryOptions();
    private readonly TextNormalizer _normalizer = TextNormalizer.For(language);

    /// <param name="datasetLocations">The --dataset-locations value, or null for every set of the language.</param>
    public DiscoveryResult Discover(string? datasetLocations = null)
    {
        var sets = DatasetLocations.Resolve(resources, language, datasetLocations);
        var utterances = new List<Utterance>();
        var longOnes = new List<Utterance>();
        int skipped = 0;
        foreach (var set in sets)
        {
            var (good, tooLong, problems) = DiscoverSet(set);
            if (good.Count == 0 && tooLong.Count == 0)
                throw new DatasetError($"data set '{set.Name}' has no usable audio/transcript pair", set.Directory);
            utterances.AddRange(good);
            longOnes.AddRange(tooLong);
            skipped += problems;
        }
        return new DiscoveryResult(sets, utterances, longOnes, skipped);
    }

    /// <summary>The audio files of the data sets that have no transcript beside them (the recordings a user could
    /// transcribe next), sorted by path.</summary>
    public IReadOnlyList<(DatasetLocation Set, string AudioPath)> FindUntranscribed(string? datasetLocations = null)
    {
        var found = new List<(DatasetLocation, string)>();
        foreach (var set in DatasetLocations.Resolve(resources, language, datasetLocations))
        {
            var files = EnumerateFiles(set.Directory, (_, _, line) => reporter.Warning(line)).ToList();
            var transcribed = files.Where(f => string.Equals(Path.GetExtension(f), TranscriptExtension, StringComparison.OrdinalIgnoreCase))
                .Select(f => Path.ChangeExtension(f, null)).ToHashSet(StringComparer.Ordinal);
            found.AddRange(files.Where(f => AudioDecoder.IsAudioFile(f) && !transcribed.Contains(Path.ChangeExtension(f, null)))
                .Order(StringComparer.Ordinal).Select(f => (set, f)));
        }
        return found;
    }

    private (List<Utterance> Good, List<Utterance> TooLong, int Skipped) DiscoverSet(DatasetLocation set)
    {
        var audio = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var transcripts = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new ConcurrentBag<(string Path, string Kind, string Line)>();
        var notes = new ConcurrentBag<(string Path, string Line)>();
        void Problem(string path, string kind, string line) => problems.Add((path, kind, line));
        foreach (var file in EnumerateFiles(set.Directory, Problem))
        {
            var relative = Path.GetRelativePath(set.Directory, file);
            var stem = Path.ChangeExtension(relative, null).Replace(Path.DirectorySeparatorChar, '/');
            var extension = Path.GetExtension(file);
            if (string.Equals(extension, TranscriptExtension, StringComparison.OrdinalIgnoreCase)) transcripts[stem] = file;
            else if (AudioDecoder.IsAudioFile(file))
            {
                if (audio.TryGetValue(stem, out var first))
                    problems.Add((file, "duplicate audio", $"{file}: another audio file has the same name ({Path.GetFileName(first)}); skipped"));
                else audio[stem] = file;
            }
        }
        foreach (var (stem, path) in transcripts)
            if (!audio.ContainsKey(stem))
                problems.Add((path, "transcript without audio", $"{path}: no audio file with the same name; skipped"));

        var pairs = audio.Where(a =>
        {
            if (transcripts.ContainsKey(a.Key)) return true;
            problems.Add((a.Value, "audio without transcript", $"{a.Value}: no transcript ({Path.GetFileName(Path.ChangeExtension(a.Value, TranscriptExtension))}); skipped"));
            return false;
        }).ToList();

        var results = new Utterance?[pairs.Count];
        var isLong = new bool[pairs.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelism) };
        Parallel.For(0, pairs.Count, parallel, i =>
        {
            var (stem, audioPath) = pairs[i];
            var transcriptPath = transcripts[stem];
            var (raw, text, error) = ReadTranscript(transcriptPath, line => notes.Add((transcriptPath, line)));
            if (error is not null)
            {
                problems.Add((transcriptPath, "unreadable transcript", $"{transcriptPath}: cannot read transcript: {error}; skipped"));
                return;
            }
            if (text.Length == 0)
            {
                problems.Add((transcriptPath, "empty transcript", $"{transcriptPath}: transcript is empty{(raw.Length > 0 ? " after normalisation" : "")}; skipped"));
                return;
            }
            double? duration;
            try
            {
                duration = AudioDecoder.ProbeDuration(audioPath);
                if (duration is null && _options.DecodeWhenHeaderHasNoDuration)
                    duration = AudioDecoder.Decode(audioPath).DurationSeconds;
            }
            catch (AudioError e)
            {
                problems.Add((audioPath, "unreadable audio", $"{audioPath}: {e.Message}; skipped"));
                return;
            }
            var utterance = new Utterance($"{set.Name}/{stem}", set.Name, audioPath, transcriptPath, raw, text, duration);
            // Not a problem: autotrain aligns it and trains on its segments (LongRecordingExamples).
            if (duration > _options.MaxUtteranceSeconds) isLong[i] = true;
            results[i] = utterance;
        });

        var dropped = notes.OrderBy(n => n.Line, StringComparer.Ordinal).ToList();
        // Another script (a Korean set under an English model): rather than a warning per character and file, one line.
        var emptied = problems.Where(p => p.Kind == "empty transcript" && dropped.Any(n => n.Path == p.Path)).Select(p => p.Path).ToHashSet();
        if (results.All(u => u is null) && dropped.Count > MaxDroppedCharacterWarnings && emptied.Count * 2 >= pairs.Count)
            throw new DatasetError($"data set '{set.Name}' has no usable audio/transcript pair: the letters of {emptied.Count:N0} of its " +
                                   $"{pairs.Count:N0} transcripts cannot be written with {language} units (the first: {dropped[0].Line}); " +
                                   "is it a data set of another language?", set.Directory);
        foreach (var (_, line) in dropped.Take(MaxDroppedCharacterWarnings)) reporter.Warning(line);
        if (dropped.Count > MaxDroppedCharacterWarnings)
            reporter.Warning($"data set '{set.Name}': {dropped.Count - MaxDroppedCharacterWarnings:N0} more characters that {language} units cannot write " +
                             $"were dropped from its transcripts ({set.Directory})");
        var sorted = problems.OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        foreach (var p in sorted) reporter.Warning(p.Line);
        var good = results.Where((u, i) => u is not null && !isLong[i]).Select(u => u!).ToList();
        var tooLong = results.Where((u, i) => u is not null && isLong[i]).Select(u => u!).ToList();
        var summary = sorted.Count == 0 ? "" : " (" + string.Join(", ", sorted.GroupBy(p => p.Kind).Select(g => $"{g.Count()} {g.Key}")) + ")";
        var longOnes = tooLong.Count == 0 ? "" : $", {tooLong.Count} long recordings (over {_options.MaxUtteranceSeconds:F0} s, to cut into segments)";
        reporter.Info($"data set '{set.Name}': {good.Count} pairs used{longOnes}, {sorted.Count} files skipped{summary}");
        return (good, tooLong, sorted.Count);
    }

    private (string Raw, string Text, string? Error) ReadTranscript(string path, Action<string> warn)
    {
        string[] lines;
        // Strict UTF-8 (a byte-order mark still selects UTF-16): Latin-1 text would otherwise lose its accented
        // letters silently to replacement characters.
        try { lines = File.ReadAllLines(path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ("", "", AudioDecoder.OneLine(e.Message));
        }
        catch (System.Text.DecoderFallbackException)
        {
            return ("", "", "not UTF-8 text (save it as UTF-8)");
        }
        // A NUL is never text: UTF-16 saved without its byte-order mark ("t\0h\0r\0e\0e\0", read as "t h r e e"), or a
        // binary file named .txt. A NUL inside a word would also split it silently.
        if (lines.Any(l => l.Contains('\0')))
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ("", "", AudioDecoder.OneLine(e.Message)); }
            var at = Array.IndexOf(bytes, (byte)0);
            return ("", "", LooksLikeUtf16(bytes)
                ? "looks like UTF-16 without a byte-order mark (save it as UTF-8)"
                : $"contains a NUL byte at byte {at} (not a text file?)");
        }
        var normalized = new List<string>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNumber = i + 1;
            var text = _normalizer.Normalize(lines[i], message => warn($"{path}:{lineNumber}: {message}"));
            if (text.Length > 0) normalized.Add(text);
        }
        var raw = string.Join(' ', lines.Select(l => l.Trim()).Where(l => l.Length > 0));
        return (raw, string.Join(' ', normalized), null);
    }

    /// <summary>Every other byte zero in the first kilobyte (ASCII-range text in UTF-16, either byte order).</summary>
    private static bool LooksLikeUtf16(byte[] bytes)
    {
        var n = Math.Min(bytes.Length, 1024) / 2 * 2;
        if (n < 4) return false;
        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i < n; i++) if (bytes[i] == 0) { if (i % 2 == 0) evenZeros++; else oddZeros++; }
        return Math.Max(evenZeros, oddZeros) >= n / 2 * 0.9 && Math.Min(evenZeros, oddZeros) <= n / 2 * 0.1;
    }

    // Every file of a set, skipping hidden entries, per-set metadata (resource_properties/) and list files. A folder
    // reached a second time through a link (a link to a folder above it, "sub -> .", or two links to one folder) is
    // skipped with a warning: following it would count the same recordings again, or for ever.
    private static IEnumerable<string> EnumerateFiles(string root, Action<string, string, string> problem)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        var pending = new Stack<string>();
        var visited = new Dictionary<string, string>(StringComparer.Ordinal);
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            var real = RealPath.Of(dir);
            if (real is null)
            {
                problem(dir, "unreadable folder", $"{dir}: cannot follow this folder link; skipped");
                continue;
            }
            if (visited.TryGetValue(real, out var first))
            {
                problem(dir, "repeated folder", $"{dir}: links to a folder the data set already has ({first}); skipped");
                continue;
            }
            visited[real] = dir;
            foreach (var file in Directory.EnumerateFiles(dir, "*", options))
                if (!Path.GetFileName(file).StartsWith('.')) yield return file;
            foreach (var sub in Directory.EnumerateDirectories(dir, "*", options))
            {
                var name = Path.GetFileName(sub);
                if (!name.StartsWith('.') && name != "resource_properties") pending.Push(sub);
            }
        }
    }
}
