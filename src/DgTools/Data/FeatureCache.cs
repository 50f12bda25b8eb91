// Model input features (log-mel, and the speech-embedding stream for models that have it; Model/FeatureFrontEnd.cs)
// computed once per distinct audio content and feature setting, kept in
// $DGTOOLS_RESOURCE_DIR/.features_cache/ and shared by every run, model and data set. The key is XxHash128 of the
// audio file's bytes together with the feature configuration (and the time range, for segments of long recordings),
// so renaming or copying a file costs nothing and editing it invalidates it. Segments of long recordings used for
// training (AudioSpan) are keyed by the recording's content hash and the span instead, and all missing segments of a
// recording are computed from one decode: reading a segment back never touches the (possibly hour-long) recording. Entries carry a checksum; a corrupt one
// is recomputed with a warning. Writes are atomic (temp + rename), so concurrent readers see whole entries only.
// Features are stored raw (before normalisation); callers apply FeatureMatrix.Normalized(config).
//
// Entry format (little endian): "DGFC", u16 version, u16 reserved, i32 frames, i32 bins, u64 XxHash64 of the float
// payload, then frames × bins float32.
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using DgTools.Audio;
using DgTools.Model;
using DgTools.Reporting;

namespace DgTools.Data;

/// <summary>A verified cache entry: where it is and how many feature frames it holds.</summary>
public readonly record struct CachedEntry(string Path, int Frames);

public sealed class FeatureCache
{
    public const ushort FormatVersion = 1;
    private const int HeaderSize = 24;
    private static ReadOnlySpan<byte> Magic => "DGFC"u8;

    private readonly FeatureFrontEnd _extractor;
    private readonly IRunReporter _reporter;
    private readonly byte[] _configKey;
    private long _computed, _hits, _recovered;

    /// <summary>A cache of the features <paramref name="frontEnd"/> computes (log-mel, and the speech-embedding stream
    /// when the model has one).</summary>
    public FeatureCache(string directory, FeatureFrontEnd frontEnd, IRunReporter reporter)
    {
        Directory = directory;
        Config = frontEnd.Config;
        _extractor = frontEnd;
        _reporter = reporter;
        // Everything that changes the numbers goes into the key: the algorithm revision, settings and stream weights.
        _configKey = Encoding.UTF8.GetBytes(frontEnd.CacheKey);
    }

    /// <summary>Log-mel features only (a config without the speech-embedding stream).</summary>
    public FeatureCache(string directory, FeatureConfig config, IRunReporter reporter)
        : this(directory, new FeatureFrontEnd(config), reporter) { }

    public FeatureCache(ResourceDirectory resources, FeatureConfig config, IRunReporter reporter)
        : this(resources.FeaturesCacheDir, config, reporter) { }

    /// <summary>The cache of a model's features in the resource directory.</summary>
    public FeatureCache(ResourceDirectory resources, DgModel model, IRunReporter reporter)
        : this(resources.FeaturesCacheDir, FeatureFrontEnd.For(model), reporter) { }

    public string Directory { get; }
    public FeatureConfig Config { get; }

    /// <summary>Features computed (cache misses and recomputed corrupt entries) by this instance.</summary>
    public long ComputedCount => Interlocked.Read(ref _computed);
    public long HitCount => Interlocked.Read(ref _hits);
    public long RecoveredCount => Interlocked.Read(ref _recovered);

    /// <summary>Raw log-mel features of a whole file, or of [start, end) seconds of it (segments of long recordings).
    /// Thread-safe. Throws AudioError for audio that cannot be decoded.</summary>
    public FeatureMatrix GetOrCompute(string audioPath, double? startSeconds = null, double? endSeconds = null)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(audioPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioError($"cannot read audio file: {AudioDecoder.OneLine(e.Message)}", audioPath, e);
        }
        var entry = EntryPath(bytes, startSeconds, endSeconds);
        if (File.Exists(entry))
        {
            var cached = TryRead(entry, out var problem);
            if (cached is not null)
            {
                Interlocked.Increment(ref _hits);
                return cached;
            }
            if (problem is not null)
            {
                _reporter.Warning($"feature cache entry {entry} for {audioPath} is {problem}; recomputing");
                Interlocked.Increment(ref _recovered);
            }
        }
        var audio = AudioDecoder.Decode(audioPath, bytes);
        var samples = Slice(Resampler.Resample(audio.Samples, audio.SampleRate, Config.SampleRate), startSeconds, endSeconds);
        var features = _extractor.Compute(samples);
        Write(entry, features);
        Interlocked.Increment(ref _computed);
        return features;
    }

    /// <summary>
    /// Makes sure the features of a whole file (or of a training segment) are cached and intact, computing them when
    /// missing or damaged, and says where they are without keeping them: the audio is hashed and the entry checked in
    /// pooled chunks, so preparing a large corpus does not pass every feature matrix through the managed heap (each is
    /// a large-object allocation). Read the features when needed with <see cref="TryRead(CachedEntry)"/>. Thread-safe.
    /// </summary>
    public CachedEntry Ensure(string audioPath, AudioSpan? span = null)
    {
        var path = span is null ? EntryPathOf(audioPath) : SegmentEntryPath(span);
        if (TryVerify(path) is { } frames)
        {
            Interlocked.Increment(ref _hits);
            return new CachedEntry(path, frames);
        }
        // Missing or damaged: GetOrCompute reads it again, warns about damage and recomputes.
        var features = span is null ? GetOrCompute(audioPath) : GetOrCompute(audioPath, span);
        return new CachedEntry(path, features.Frames);
    }

    /// <summary>The features of an entry that <see cref="Ensure"/> found; null when it has vanished or been damaged since
    /// (then GetOrCompute recomputes it).</summary>
    public FeatureMatrix? TryRead(CachedEntry entry)
    {
        var features = TryRead(entry.Path, out _);
        if (features is not null) Interlocked.Increment(ref _hits);
        return features;
    }

    /// <summary>Raw log-mel features of one training segment (see <see cref="GetOrComputeSegments"/>).</summary>
    public FeatureMatrix GetOrCompute(string audioPath, AudioSpan span) => GetOrComputeSegments(audioPath, [span])[0];

    /// <summary>
    /// <see cref="Ensure"/> for the training segments of one long recording: entries are checked, and the recording is
    /// decoded once for all missing or damaged ones, each written as soon as it is computed (an hour's segments would
    /// otherwise sit in memory together). Thread-safe. Throws AudioError for audio that cannot be decoded.
    /// </summary>
    public IReadOnlyList<CachedEntry> EnsureSegments(string audioPath, IReadOnlyList<AudioSpan> spans) =>
        ForSegments(audioPath, spans,
            (string path, out CachedEntry entry, out string? problem) =>
            {
                var frames = TryVerify(path);
                entry = new CachedEntry(path, frames ?? 0);
                problem = frames is null && File.Exists(path) ? "damaged" : null;
                return frames is not null;
            },
            (path, features) => new CachedEntry(path, features.Frames));

    private float[] DecodeForSegments(string audioPath) => AudioDecoder.Load(audioPath, Config.SampleRate);

    /// <summary>Raw log-mel features of segments of one recording: entries in the cache are read, and the recording is
    /// decoded once for all the others. Thread-safe. Throws AudioError for audio that cannot be decoded.</summary>
    public IReadOnlyList<FeatureMatrix> GetOrComputeSegments(string audioPath, IReadOnlyList<AudioSpan> spans) =>
        ForSegments(audioPath, spans,
            (string path, out FeatureMatrix features, out string? problem) =>
            {
                var read = File.Exists(path) ? TryRead(path, out problem) : Absent(out problem);
                features = read!;
                return read is not null;
            },
            (_, features) => features);

    /// <summary>A usable cache entry at <paramref name="path"/>; false when missing, with the problem when it is damaged.</summary>
    private delegate bool Lookup<T>(string path, out T value, out string? problem);

    /// <summary>The one segment loop: every span's entry is looked up (a hit counted, a damaged one warned about), then
    /// the recording is decoded once and each missing segment computed and written as soon as it is done.</summary>
    private T[] ForSegments<T>(string audioPath, IReadOnlyList<AudioSpan> spans, Lookup<T> lookup, Func<string, FeatureMatrix, T> computed)
    {
        var result = new T[spans.Count];
        var missing = new List<int>();
        for (var i = 0; i < spans.Count; i++)
        {
            var path = SegmentEntryPath(spans[i]);
            if (lookup(path, out var cached, out var problem))
            {
                Interlocked.Increment(ref _hits);
                result[i] = cached;
                continue;
            }
            if (problem is not null)
            {
                _reporter.Warning($"feature cache entry {path} for {audioPath} is {problem}; recomputing");
                Interlocked.Increment(ref _recovered);
            }
            missing.Add(i);
        }
        if (missing.Count == 0) return result;

        var samples = DecodeForSegments(audioPath);
        foreach (var i in missing)
        {
            var path = SegmentEntryPath(spans[i]);
            var features = _extractor.Compute(Slice(samples, spans[i].Start, spans[i].End));
            Write(path, features);
            Interlocked.Increment(ref _computed);
            result[i] = computed(path, features);
        }
        return result;
    }

    public string SegmentEntryPath(AudioSpan span)
    {
        var hash = new XxHash128();
        hash.Append(Encoding.UTF8.GetBytes($"segment of {span.AudioHash}|"));
        hash.Append(_configKey);
        hash.Append(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"|range {span.Start:R} {span.End:R}")));
        var hex = Convert.ToHexStringLower(hash.GetCurrentHash());
        return Path.Combine(Directory, hex[..2], hex + ".fbk");
    }

    private static FeatureMatrix? Absent(out string? problem)
    {
        problem = null;
        return null;
    }

    /// <summary>Same as <see cref="EntryPath"/> of the file's bytes, hashed in pooled chunks.</summary>
    private string EntryPathOf(string audioPath)
    {
        var hash = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var stream = new FileStream(audioPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.Append(buffer.AsSpan(0, read));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioError($"cannot read audio file: {AudioDecoder.OneLine(e.Message)}", audioPath, e);
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        hash.Append(_configKey);
        var hex = Convert.ToHexStringLower(hash.GetCurrentHash());
        return Path.Combine(Directory, hex[..2], hex + ".fbk");
    }

    public string EntryPath(ReadOnlySpan<byte> audioBytes, double? startSeconds = null, double? endSeconds = null)
    {
        var hash = new XxHash128();
        hash.Append(audioBytes);
        hash.Append(_configKey);
        if (startSeconds is not null || endSeconds is not null)
            hash.Append(Encoding.UTF8.GetBytes($"|range {startSeconds:R} {endSeconds:R}"));
        var hex = Convert.ToHexStringLower(hash.GetCurrentHash());
        return Path.Combine(Directory, hex[..2], hex + ".fbk");
    }

    private float[] Slice(float[] samples, double? start, double? end)
    {
        if (start is null && end is null) return samples;
        int from = Math.Clamp((int)Math.Round((start ?? 0) * Config.SampleRate), 0, samples.Length);
        int to = Math.Clamp((int)Math.Round((end ?? double.MaxValue / 2) * Config.SampleRate), from, samples.Length);
        return samples[from..to];
    }

    private static void Write(string path, FeatureMatrix features)
    {
        var bytes = new byte[HeaderSize + features.Data.Length * 4];
        var payload = bytes.AsSpan(HeaderSize);
        for (int i = 0; i < features.Data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(payload[(i * 4)..], features.Data[i]);
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), features.Frames);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), features.Bins);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), XxHash64.HashToUInt64(payload));
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The entry, or null with the reason it cannot be used (null reason: it vanished meanwhile). The payload is
    /// read straight into the returned array: one allocation per entry.</summary>
    private FeatureMatrix? TryRead(string path, out string? problem)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            Span<byte> header = stackalloc byte[HeaderSize];
            if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
            {
                problem = "not a feature cache entry";
                return null;
            }
            problem = HeaderProblem(header, stream.Length - HeaderSize, out var frames, out var bins);
            if (problem is not null) return null;
            var data = new float[frames * bins];
            var payload = MemoryMarshal.AsBytes(data.AsSpan());
            if (stream.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false) < payload.Length)
            {
                problem = "truncated or of the wrong shape";
                return null;
            }
            if (XxHash64.HashToUInt64(payload) != BinaryPrimitives.ReadUInt64LittleEndian(header[16..]))
            {
                problem = "corrupt (checksum mismatch)";
                return null;
            }
            if (!BitConverter.IsLittleEndian)
            {
                var words = MemoryMarshal.Cast<float, int>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(words, words);
            }
            return new FeatureMatrix(data, frames, bins);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { problem = null; return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { problem = $"unreadable ({e.Message})"; return null; }
    }

    /// <summary>Frames of an intact entry, checked in pooled chunks (nothing the size of the entry is allocated); null when
    /// it is missing or unusable.</summary>
    private int? TryVerify(string path)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            var header = buffer.AsSpan(0, HeaderSize);
            if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize) return null;
            if (HeaderProblem(header, stream.Length - HeaderSize, out var frames, out _) is not null) return null;
            var expected = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
            var hash = new XxHash64();
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.Append(buffer.AsSpan(0, read));
            return hash.GetCurrentHashAsUInt64() == expected ? frames : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    /// <summary>Why an entry with this header and payload length cannot be used, or null when it can.</summary>
    private string? HeaderProblem(ReadOnlySpan<byte> header, long payloadLength, out int frames, out int bins)
    {
        frames = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        bins = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        if (!header[..4].SequenceEqual(Magic)) return "not a feature cache entry";
        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != FormatVersion) return $"format version {version}, not {FormatVersion}";
        if (frames < 0 || bins != _extractor.Bins || (long)frames * bins * 4 != payloadLength) return "truncated or of the wrong shape";
        return null;
    }
}
