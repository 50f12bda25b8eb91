// Beneath a Steel Sky's voiced lines: the English subtitles (text sections 60600-60606) paired with their speech files.
// Text line (section s, line k) is spoken in data file 50000 + SpeechBase[s] + k: unsigned 8-bit PCM at 11.025 kHz
// after the 22-byte data-file header. The subtitles do not say who speaks, so every clip's speaker is "unknown" and
// the source is training-only (no by-speaker development split is possible).
using DgTools.RealSpeech.Sky;

namespace DgTools.RealSpeech.Sources;

public sealed class SteelSkyDialogue(SkyDisk disk, SkyHuffmanTree tree, string licenseFile) : ISpeechSource
{
    public const int SpeechSampleRate = 11025;
    private const int FirstEnglishSection = 60600;
    private const int FirstSpeechFile = 50000;

    /// <summary>Where each voiced section's speech files start (section 7, the control panel, has none): the game
    /// numbers them in steps above each section's line count (553, 488, 1303, 922, 1140, 531, 150 lines).</summary>
    public static readonly int[] SpeechBase = [0, 600, 1100, 2430, 3380, 4530, 5080];

    public string Name => "bass";

    public string LicenseText => File.ReadAllText(licenseFile);

    /// <param name="treeBinary">A binary holding the game's code tree (Debian's ScummVM: usr/games/scummvm).</param>
    public static SteelSkyDialogue FromUnpacked(string unpacked, string treeBinary)
    {
        var package = Path.Combine(unpacked, "beneath-a-steel-sky");
        var data = Path.Combine(package, "usr/share/scummvm/beneath-a-steel-sky");
        if (!File.Exists(Path.Combine(data, "sky.dsk"))) throw new DgToolsException("beneath-a-steel-sky is not unpacked", data);
        if (!File.Exists(treeBinary)) throw new DgToolsException("no binary to read the subtitle code tree from", treeBinary);
        var disk = SkyDisk.Open(data);
        var tree = ChooseTree(SkyHuffmanTree.FindIn(File.ReadAllBytes(treeBinary)), disk.Load(FirstEnglishSection))
                   ?? throw new DgToolsException("no code tree in the binary decodes this game's subtitles", treeBinary);
        return new SteelSkyDialogue(disk, tree, Path.Combine(package, "usr/share/doc/beneath-a-steel-sky/copyright"));
    }

    /// <summary>The tree under which most lines of a text section end where the length table says they end (the
    /// first such tree when versions tie); null when none fits at least half of them.</summary>
    public static SkyHuffmanTree? ChooseTree(IReadOnlyList<SkyHuffmanTree> trees, byte[] section)
    {
        SkyHuffmanTree? best = null;
        int bestScore = 0, lines = 0;
        foreach (var tree in trees)
        {
            IReadOnlyList<SkyTextLine> decoded;
            try { decoded = SkyText.ReadSection(section, tree); }
            catch (InvalidDataException) { continue; }
            lines = decoded.Count(l => l.Units > 0);
            int score = decoded.Count(l => l.FitsItsLength);
            if (score > bestScore) (best, bestScore) = (tree, score);
        }
        return bestScore * 2 >= lines && lines > 0 ? best : null;
    }

    public IEnumerable<SpeechClip> Clips()
    {
        for (int section = 0; section < SpeechBase.Length; section++)
        {
            var lines = SkyText.ReadSection(disk.Load(FirstEnglishSection + section), tree);
            for (int line = 0; line < lines.Count; line++)
            {
                int file = FirstSpeechFile + SpeechBase[section] + line;
                if (lines[line].Text is not { } text || !disk.Contains(file)) continue;
                yield return new SpeechClip(Name, $"{section}-{line:D4}", "unknown", text, () => Speech(disk.Load(file)));
            }
        }
    }

    /// <summary>Unsigned 8-bit samples after the data-file header, as many as the header announces.</summary>
    public static ClipAudio Speech(byte[] file)
    {
        int length = Math.Min(file.Length, SkyDisk.AnnouncedSize(file)) - SkyDisk.DataHeaderSize;
        if (length <= 0) throw new AudioError("speech file has no samples");
        var samples = new float[length];
        for (int i = 0; i < length; i++) samples[i] = (file[SkyDisk.DataHeaderSize + i] - 128) / 128f;
        return ClipAudio.FromSamples(samples, SpeechSampleRate);
    }
}
