using DgTools.Decoding;
using DgTools.Text;

namespace DgTools.Alignment;

/// <summary>The model that alignments are made with: it turns an audio file into CTC log-posteriors.</summary>
public interface IPosteriorSource
{
    /// <summary>Identifies the model (the .dg uuid): alignments made with another model are redone.</summary>
    string ModelId { get; }

    /// <summary>The model's units (blank = 0, space = 1, letters).</summary>
    Alphabet Alphabet { get; }

    /// <summary>Log-posteriors of the whole file (a long file is best run through the model in chunks).</summary>
    CtcPosteriors Compute(string audioPath);
}
