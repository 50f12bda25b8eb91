// What the decoder knows about how sure it is of one recognised word, before any calibration: the evidence a
// ConfidenceCalibration turns into a probability that the word is right.
namespace DgTools.Decoding;

/// <param name="Acoustic">Geometric mean over the word's units of each unit's peak frame posterior (the uncalibrated
/// confidence dgtools always reported).</param>
/// <param name="WeakestUnit">The lowest peak posterior among the word's units: one unclear letter is enough to be wrong.</param>
/// <param name="Hypotheses">Of the beam search's final hypotheses, weighted by their posterior (softmax of their
/// scores), the share that contain this word at this place (1 for greedy decoding: there are no competitors).</param>
/// <param name="InVocabulary">Whether the word is in the model's lexicon; null when decoding without one.</param>
/// <param name="Units">How many output units spell the word.</param>
/// <param name="FramesPerUnit">Output frames the word spans per unit it spells (rushed or drawn-out words).</param>
/// <param name="Neighbours">The lower acoustic confidence of the words just before and after (errors come in runs);
/// the word's own when it stands alone.</param>
/// <param name="Utterance">Geometric mean of the acoustic confidences of all words of the utterance (how hard the
/// recording is as a whole).</param>
/// <param name="LexiconCount">How often the lexicon's text had the word (0 when unknown or without a lexicon).</param>
/// <param name="LanguageModel">Natural-log probability the word language model gives the word after the two words
/// before it in the transcript (null without a language model): a word the beam forced onto unfamiliar sounds tends
/// to be an unlikely one.</param>
/// <param name="UtteranceLanguageModel">The mean of <see cref="LanguageModel"/> over the utterance's words: how far
/// the whole transcript is from the text the model knows (a new domain, or a garbled recording).</param>
/// <param name="Agreement">How closely the acoustics alone (the most likely unit in each of the word's frames) spell
/// the word: 1 − edit distance / length. Low when the language model overruled the acoustics.</param>
/// <param name="UtteranceAgreement">The mean <see cref="Agreement"/> over the utterance's words.</param>
/// <param name="UtteranceWords">How many words were recognised in the utterance (a lone word has no context to
/// support it).</param>
/// <param name="Heard">What the acoustics alone spell in the word's frames (null when not computed): how a word the
/// model does not know sounds, whatever words the language model made of it.</param>
public sealed record WordEvidence(double Acoustic, double WeakestUnit, double Hypotheses, bool? InVocabulary, int Units,
    double FramesPerUnit = 1, double Neighbours = 1, double Utterance = 1, long LexiconCount = 0,
    double? LanguageModel = null, double? UtteranceLanguageModel = null, double Agreement = 1, double UtteranceAgreement = 1,
    int UtteranceWords = 1, string? Heard = null);
