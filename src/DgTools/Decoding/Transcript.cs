namespace DgTools.Decoding;

/// <summary>One recognised word: times in seconds from the start of the audio, confidence in [0, 1] (calibrated when
/// the model carries a ConfidenceCalibration for the way it was decoded, else <see cref="WordEvidence.Acoustic"/>).</summary>
/// <param name="Evidence">What the confidence was computed from; null for words not made by a decoder.</param>
public sealed record WordTiming(string Word, double Start, double End, double Confidence, WordEvidence? Evidence = null);

/// <summary>What a decoder makes of one utterance.</summary>
/// <param name="Confidence">Mean of the word confidences (0 when nothing was recognised).</param>
/// <param name="Duration">Seconds of audio the posteriors cover.</param>
public sealed record Transcript(string Text, double Confidence, IReadOnlyList<WordTiming> Words, double Duration)
{
    public static Transcript Empty(double duration) => new("", 0, [], duration);

    /// <summary>Consecutive chunks of one recording as one transcript (each chunk's times shifted by its offset).</summary>
    public static Transcript Join(IReadOnlyList<(Transcript Chunk, double OffsetSeconds)> chunks)
    {
        var words = chunks
            .SelectMany(c => c.Chunk.Words.Select(w => w with { Start = w.Start + c.OffsetSeconds, End = w.End + c.OffsetSeconds }))
            .ToList();
        double duration = chunks.Count == 0 ? 0 : chunks.Max(c => c.OffsetSeconds + c.Chunk.Duration);
        return new Transcript(string.Join(' ', words.Select(w => w.Word)),
            words.Count == 0 ? 0 : words.Average(w => w.Confidence), words, duration);
    }
}
