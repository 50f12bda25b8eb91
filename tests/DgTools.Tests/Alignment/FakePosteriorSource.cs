using DgTools.Decoding;
using DgTools.Alignment;
using DgTools.Text;

namespace DgTools.Tests.Alignment;

/// <summary>A "model" that returns prepared posteriors per audio file and counts how often it was asked.</summary>
internal sealed class FakePosteriorSource(string modelId) : IPosteriorSource
{
    private readonly Dictionary<string, CtcPosteriors> _byPath = [];

    public string ModelId { get; set; } = modelId;
    public Alphabet Alphabet { get; } = Alphabet.For("en");
    public int Calls { get; private set; }

    public void Add(string audioPath, CtcPosteriors posteriors) => _byPath[Path.GetFullPath(audioPath)] = posteriors;

    public CtcPosteriors Compute(string audioPath)
    {
        Calls++;
        return _byPath[Path.GetFullPath(audioPath)];
    }
}
