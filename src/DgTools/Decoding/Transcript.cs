namespace DgTools.Decoding;

/// <summary>One recognised word: times in seconds from the start of the audio, confidence in [0, 1].</summary>
public sealed record WordTiming(string Word, double Start, double End, double Confidence);

/// <summary>What a decoder makes of one utterance.</summary>
/// <param name="Confidence">Mean of the word confidences (0 when nothing was recognised).</param>
/// <param name="Duration">Seconds of audio the posteriors cover.</param>
public sealed record Transcript(string Text, double Confidence, IReadOnlyList<WordTiming> Words, double Duration)
{
    public static Transcript Empty(double duration) => new("", 0, [], duration);
}
