// What dgtools keeps about one recording's alignment, and its file format
// (<dataset>/resource_properties/<audio path>.align.json). The file says which audio bytes, transcript text, model
// and options it was made from; AlignmentStore reuses it only while all four still match.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DgTools.Alignment;

/// <summary>A transcript word's place in the recording (frames [StartFrame, EndFrame)) and its score (see AlignedWord).</summary>
public sealed record StoredWord(string Text, int StartFrame, int EndFrame, double Score);

/// <summary>Audio before word <paramref name="Gap"/> that the transcript has no words for.</summary>
public sealed record StoredStretch(int Gap, int StartFrame, int EndFrame);

/// <summary>A word of the model's own greedy reading (what it "heard"), frames [StartFrame, EndFrame).</summary>
public sealed record HeardWord(string Text, int StartFrame, int EndFrame);

public sealed record RecordingAlignment
{
    public const string FormatName = "dgtools-alignment";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    /// <summary>The audio file's path relative to its data set directory ('/'-separated).</summary>
    public required string Audio { get; init; }
    public required string AudioHash { get; init; }
    public required string TranscriptHash { get; init; }
    public required string ModelId { get; init; }
    /// <summary>AlignmentOptions.Fingerprint of the options used.</summary>
    public required string Options { get; init; }
    public required double FrameSeconds { get; init; }
    public required int Frames { get; init; }
    /// <summary>False when the transcript could not be fitted at all (more units than the audio has frames).</summary>
    public required bool Aligned { get; init; }
    /// <summary>Share of the transcript's letters the language cannot spell.</summary>
    public double DroppedCharacterShare { get; init; }
    public IReadOnlyList<StoredWord> Words { get; init; } = [];
    public IReadOnlyList<StoredStretch> Untranscribed { get; init; } = [];
    public IReadOnlyList<HeardWord> Heard { get; init; } = [];

    [JsonIgnore]
    public double DurationSeconds => Frames * FrameSeconds;

    public double Seconds(int frame) => frame * FrameSeconds;

    /// <summary>The model's greedy reading of frames [start, end) (words overlapping the range).</summary>
    public string HeardBetween(int startFrame, int endFrame) =>
        string.Join(' ', Heard.Where(h => h.EndFrame > startFrame && h.StartFrame < endFrame).Select(h => h.Text));

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses a stored alignment; throws DatasetError naming the file for anything it does not understand.</summary>
    public static RecordingAlignment FromJson(string json, string path)
    {
        RecordingAlignment? value;
        try
        {
            using (var doc = JsonDocument.Parse(json))
            {
                var root = doc.RootElement;
                if (!root.TryGetProperty("format", out var format) || format.GetString() != FormatName)
                    throw new DatasetError($"not a {FormatName} file", path);
                if (!root.TryGetProperty("version", out var version) || version.GetInt32() != CurrentVersion)
                    throw new DatasetError(
                        $"alignment file version {(root.TryGetProperty("version", out var v) ? v.ToString() : "missing")} is not supported (this dgtools reads version {CurrentVersion})", path);
            }
            value = JsonSerializer.Deserialize<RecordingAlignment>(json, Json);
        }
        catch (JsonException e)
        {
            throw new DatasetError($"alignment file is not valid: {e.Message}", path, e);
        }
        catch (InvalidOperationException e)
        {
            throw new DatasetError($"alignment file is not valid: {e.Message}", path, e);
        }
        if (value is null || value.FrameSeconds <= 0 || value.Frames < 0)
            throw new DatasetError("alignment file is not valid: bad frame count or frame duration", path);
        foreach (var w in value.Words)
            if (w.StartFrame < 0 || w.EndFrame <= w.StartFrame || w.EndFrame > value.Frames)
                throw new DatasetError($"alignment file is not valid: word '{w.Text}' lies outside the recording", path);
        return value;
    }
}
