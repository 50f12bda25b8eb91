// One recorded utterance from a source package, before cleaning: where its audio bytes come from, what the game or
// prompt set says was spoken, and who spoke it.
namespace DgTools.RealSpeech;

/// <param name="Source">Short source name ("asterisk", "fotaq", "bass", "fillets", "fsdd").</param>
/// <param name="Id">Unique within the source; becomes part of the file name (letters, digits, '-', '_').</param>
/// <param name="Speaker">Actor or character; the development split holds out whole speakers.</param>
/// <param name="Text">The transcript as the source stores it (game markup already removed by the reader).</param>
/// <param name="LoadAudio">The clip's audio: encoded bytes (WAV, MP3, Ogg) or raw samples.</param>
public sealed record SpeechClip(string Source, string Id, string Speaker, string Text, Func<ClipAudio> LoadAudio);

/// <summary>Audio as a reader hands it over: either an encoded file's bytes or samples it decoded itself.</summary>
public sealed record ClipAudio(byte[]? Encoded, float[]? Samples, int SampleRate)
{
    public static ClipAudio FromEncoded(byte[] bytes) => new(bytes, null, 0);

    public static ClipAudio FromSamples(float[] samples, int sampleRate) => new(null, samples, sampleRate);
}
