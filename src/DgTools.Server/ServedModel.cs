// The models one server answers with, each loaded once into a SpeechRecognizer, and how a request's `model` and
// `language` parameters pick one: by file name without ".dg", by the model's name, or by its UUID; the first model
// listed is the default.
using DgTools.Decoding;
using DgTools.Model;

namespace DgTools.Server;

public sealed class ServedModel(string fileName, SpeechRecognizer recognizer) : IDisposable
{
    /// <summary>The file name without ".dg" (what `model=` usually names).</summary>
    public string FileName { get; } = fileName;
    public SpeechRecognizer Recognizer { get; } = recognizer;
    public DgModel Model => Recognizer.Model;
    public string Language => Model.Metadata.Language;
    public TranscriptModelInfo Info => new(Model.Metadata.Uuid, Model.Metadata.Name, Model.Metadata.Version);

    public bool Answers(string name) =>
        string.Equals(name, FileName, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, Model.Metadata.Name, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, Model.Metadata.Uuid.ToString(), StringComparison.OrdinalIgnoreCase);

    public void Dispose() => Recognizer.Dispose();
}

public sealed class ServedModels(IReadOnlyList<ServedModel> models) : IDisposable
{
    public IReadOnlyList<ServedModel> All { get; } = models.Count > 0 ? models : throw new ArgumentException("no model to serve");

    /// <summary>The model a request asks for; ApiError 404 for an unknown name, 400 for a language none speaks.</summary>
    public ServedModel Choose(string? model, string? language)
    {
        var candidates = All.AsEnumerable();
        if (!string.IsNullOrWhiteSpace(model))
        {
            candidates = All.Where(m => m.Answers(model));
            if (!candidates.Any())
                throw ApiError.NotFound($"No such model '{model}'. This server has: {string.Join(", ", All.Select(m => m.FileName))}.");
        }
        if (!string.IsNullOrWhiteSpace(language))
        {
            // "en-US" is served by an "en" model.
            var lang = language.Split('-', '_')[0].ToLowerInvariant();
            var spoken = candidates.Where(m => m.Language == lang).ToList();
            if (spoken.Count == 0)
                throw ApiError.BadRequest($"No served model for language '{language}'. Languages served: {string.Join(", ", All.Select(m => m.Language).Distinct())}.");
            return spoken[0];
        }
        return candidates.First();
    }

    public void Dispose()
    {
        foreach (var m in All) m.Dispose();
    }
}
