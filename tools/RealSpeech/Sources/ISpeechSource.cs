namespace DgTools.RealSpeech.Sources;

/// <summary>A package (or shared folder) of recorded speech with transcripts.</summary>
public interface ISpeechSource
{
    /// <summary>Short name used in clip ids, set names and the manifest.</summary>
    string Name { get; }

    /// <summary>The licence text to keep beside every set built from this source.</summary>
    string LicenseText { get; }

    IEnumerable<SpeechClip> Clips();
}
