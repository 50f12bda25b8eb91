// Where alignments live: <dataset>/resource_properties/<audio path relative to the data set>.align.json, one file per
// recording (deleting resource_properties/ forgets them all, as the guide says). A stored alignment is reused only
// if its audio hash, transcript hash, model id and alignment options all match the current ones.
using System.IO.Hashing;
using System.Text;
using DgTools.Alignment;

namespace DgTools.Preparation;

public sealed class AlignmentStore
{
    public const string DirectoryName = "resource_properties";
    public const string Extension = ".align.json";

    public AlignmentStore(string datasetDirectory) => DatasetDirectory = Path.GetFullPath(datasetDirectory);

    public string DatasetDirectory { get; }

    public string Root => Path.Combine(DatasetDirectory, DirectoryName);

    /// <summary>The audio file's path relative to the data set ('/'-separated), as stored in the file.</summary>
    public string RelativeAudioPath(string audioPath)
    {
        var relative = Path.GetRelativePath(DatasetDirectory, Path.GetFullPath(audioPath));
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new DatasetError("audio file is not inside its data set directory", audioPath);
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    public string FileFor(string audioPath) =>
        Path.Combine(Root, RelativeAudioPath(audioPath).Replace('/', Path.DirectorySeparatorChar) + Extension);

    /// <summary>The stored alignment if it exists and was made from exactly these inputs; null otherwise. A file
    /// that cannot be read (corrupt, other version) is reported through <paramref name="warn"/> and treated as absent.</summary>
    public RecordingAlignment? Find(string audioPath, string audioHash, string transcriptHash, string modelId,
        string optionsFingerprint, Action<string>? warn = null)
    {
        var file = FileFor(audioPath);
        if (!File.Exists(file)) return null;
        RecordingAlignment stored;
        try
        {
            stored = RecordingAlignment.FromJson(File.ReadAllText(file), file);
        }
        catch (DatasetError e)
        {
            warn?.Invoke($"{e.OneLine}; aligning again");
            return null;
        }
        return stored.AudioHash == audioHash && stored.TranscriptHash == transcriptHash && stored.ModelId == modelId
               && stored.Options == optionsFingerprint
            ? stored
            : null;
    }

    public void Save(string audioPath, RecordingAlignment alignment) =>
        AtomicFile.WriteAllText(FileFor(audioPath), alignment.ToJson());

    public static string HashFile(string path)
    {
        var hash = new XxHash64();
        using (var stream = File.OpenRead(path)) hash.Append(stream);
        return "xxh64:" + Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    public static string HashText(string text) =>
        "xxh64:" + Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(text)));
}
