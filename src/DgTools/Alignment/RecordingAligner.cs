// Aligns a recording with its transcript through a model, or reuses the alignment stored for exactly these inputs.
using DgTools.Data;
using DgTools.Decoding;
using DgTools.Preparation;
using DgTools.Text;

namespace DgTools.Alignment;

/// <summary>A recording with one transcript (as written), inside a data set directory.</summary>
public sealed record LongRecording(string AudioPath, string Transcript, string DatasetDirectory)
{
    /// <summary>A discovered pair; <paramref name="datasets"/> are DiscoveryResult.Datasets (to find its directory).</summary>
    public static LongRecording From(Utterance utterance, IReadOnlyList<DatasetLocation> datasets)
    {
        var set = datasets.FirstOrDefault(d => d.Name == utterance.Dataset)
                  ?? throw new DatasetError($"data set '{utterance.Dataset}' of {utterance.SourceId} is not among the run's data sets", utterance.AudioPath);
        return new LongRecording(utterance.AudioPath, utterance.RawText, set.Directory);
    }
}

public sealed class RecordingAligner(IPosteriorSource model, TextNormalizer normalizer, AlignmentOptions options,
    Action<string>? warn = null)
{
    private readonly AlignmentOptions _options = options with { SeparatorUnit = Alphabet.SpaceIndex };

    // Alignments this instance already returned: asking again (autotrain segments a recording, then checks it) neither
    // re-hashes the audio nor counts the recording twice.
    private readonly Dictionary<(string Audio, string Transcript), (RecordingAlignment Alignment, bool Made)> _returned = [];

    public string ModelId => model.ModelId;

    /// <summary>Recordings run through the model and aligned by this instance.</summary>
    public int Aligned { get; private set; }

    /// <summary>Recordings whose stored alignment was reused.</summary>
    public int Reused { get; private set; }

    /// <summary>True when this instance ran the model on the recording; false when it reused a stored alignment (or
    /// has not seen the recording).</summary>
    public bool MadeNow(LongRecording recording) =>
        _returned.TryGetValue((Path.GetFullPath(recording.AudioPath), recording.Transcript), out var seen) && seen.Made;

    public RecordingAlignment AlignOrReuse(LongRecording recording)
    {
        var key = (Path.GetFullPath(recording.AudioPath), recording.Transcript);
        if (_returned.TryGetValue(key, out var seen)) return seen.Alignment;
        var alignment = AlignOrReuseStored(recording, out var made);
        _returned[key] = (alignment, made);
        return alignment;
    }

    private RecordingAlignment AlignOrReuseStored(LongRecording recording, out bool made)
    {
        made = false;
        var store = new AlignmentStore(recording.DatasetDirectory);
        var audioHash = AlignmentStore.HashFile(recording.AudioPath);
        var transcriptHash = AlignmentStore.HashText(recording.Transcript);
        var stored = store.Find(recording.AudioPath, audioHash, transcriptHash, model.ModelId, _options.Fingerprint, warn);
        if (stored is not null)
        {
            Reused++;
            return stored;
        }

        var posteriors = model.Compute(recording.AudioPath);
        var transcript = TranscriptWords.From(recording.Transcript, normalizer);
        var result = new CtcForcedAligner(_options).Align(posteriors, transcript.Words);
        var alignment = new RecordingAlignment
        {
            Audio = store.RelativeAudioPath(recording.AudioPath),
            AudioHash = audioHash,
            TranscriptHash = transcriptHash,
            ModelId = model.ModelId,
            Options = _options.Fingerprint,
            FrameSeconds = posteriors.FrameSeconds,
            Frames = posteriors.Frames,
            Aligned = result is not null,
            DroppedCharacterShare = transcript.DroppedShare,
            Words = result?.Words.Select(w => new StoredWord(w.Text, w.StartFrame, w.EndFrame, Math.Round(w.Score, 4))).ToList() ?? [],
            Untranscribed = result?.Garbage.Select(g => new StoredStretch(g.Gap, g.StartFrame, g.EndFrame)).ToList() ?? [],
            Heard = HeardWords(posteriors, model.Alphabet),
        };
        store.Save(recording.AudioPath, alignment);
        Aligned++;
        made = true;
        return alignment;
    }

    /// <summary>The greedy CTC reading as words with frames: the decoder's best path (CtcAlignment.BestPath), repeats
    /// merged, split at spaces.</summary>
    public static IReadOnlyList<HeardWord> HeardWords(CtcPosteriors posteriors, Alphabet alphabet)
    {
        var path = CtcAlignment.BestPath(posteriors);
        var words = new List<HeardWord>();
        var units = new List<int>();
        int start = -1, end = -1, previous = -1;
        void Close()
        {
            if (units.Count > 0) words.Add(new HeardWord(alphabet.Decode(units), start, end));
            units.Clear();
        }
        for (var t = 0; t < path.Length; t++)
        {
            var best = path[t];
            if (best == previous && best != Alphabet.BlankIndex)
            {
                if (best != Alphabet.SpaceIndex) end = t + 1;
            }
            else if (best == Alphabet.SpaceIndex) Close();
            else if (best != Alphabet.BlankIndex && best < alphabet.Count)
            {
                if (units.Count == 0) start = t;
                units.Add(best);
                end = t + 1;
            }
            previous = best;
        }
        Close();
        return words;
    }
}
